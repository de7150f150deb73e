// SPDX-License-Identifier: GPL-2.0
/* Helpers of the famfs commands built on famfs_ops.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_ops.h"

int cli_exit_code(int rc)
{
	switch (rc) {
	case 0:
		return FAMFS_EXIT_OK;
	case -ENODEV:
	case -ENXIO:
		return FAMFS_EXIT_DEVICE;
	}
	return FAMFS_EXIT_FAIL;
}

int cli_fail(const struct famfs_error *err)
{
	cli_lib_error(err);
	return cli_exit_code(err->code ? err->code : -EIO);
}

void cli_report(void *arg, const char *what, const char *path)
{
	(void)arg;
	printf("%s %s\n", what, cli_path(path));
}

void cli_report_error(void *arg, const char *msg)
{
	(void)arg;
	cli_error("%s", msg);
}

void cli_mount_warnings(const char *device, const struct famfs_play_stats *st,
			const struct famfs_error *err)
{
	if (st->stopped)
		cli_error("warning: mounted, but %s", err->msg);
	if (st->errors)
		cli_error("warning: mounted, but %llu logged entries could not be created (famfs mount -v shows them)",
			  (unsigned long long)st->errors);
	if (st->stopped || st->errors)
		cli_error("warning: 'famfs fsck %s' examines the log", device);
}

int cli_need_root(void)
{
	if (!geteuid())
		return 0;
	cli_error("must be run as root (famfs.ko maps files only for CAP_SYS_ADMIN)");
	return FAMFS_EXIT_FAIL;
}

int cli_parse_mode(const char *s, int *mode, const char *usage)
{
	char *end;
	long v = strtol(s, &end, 8);

	if (*s && !*end && v >= 0 && v <= 07777) {
		*mode = (int)v;
		return 0;
	}
	cli_error("invalid mode '%s' (octal, at most 7777)", s);
	return cli_usage_error(usage);
}

int cli_parse_id(const char *s, int64_t *id, const char *usage)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s && !*end && v >= 0 && v < 0xffffffffLL) {
		*id = v;
		return 0;
	}
	cli_error("invalid user or group id '%s' (a number, not negative)", s);
	return cli_usage_error(usage);
}

int cli_parse_threads(const char *s, unsigned int *n, const char *usage)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s && !*end && v >= 1 && v <= FAMFS_MAX_THREADS) {
		*n = (unsigned int)v;
		return 0;
	}
	cli_error("invalid thread count '%s' (1 to %d)", s, FAMFS_MAX_THREADS);
	return cli_usage_error(usage);
}

int cli_split(char *s, char **field, int max)
{
	int n = 0;
	char *comma;

	for (;;) {
		if (n < max)
			field[n] = s;
		n++;
		comma = strchr(s, ',');
		if (!comma || n > max)
			return n;
		*comma = '\0';
		s = comma + 1;
	}
}

int cli_parse_size(const char *s, uint64_t *n, const char *usage)
{
	if (!famfs_parse_size(s, n))
		return 0;
	cli_error("invalid size '%s' (a number with an optional K, M, G or T)", s);
	return cli_usage_error(usage);
}

/* Options: --help and at most one flag, --NAME or -N (its first letter). */
static int one_flag_options(int argc, char **argv, const struct cli_cmd *cmd,
			    const char *name, bool *flag)
{
	const struct option opts[] = {
		{ name, no_argument, NULL, name[0] },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char shortopts[] = { name[0], 'h', '\0' };
	int c;

	while ((c = getopt_long(argc, argv, flag ? shortopts : "h",
				flag ? opts : opts + 1, NULL)) != -1) {
		if (flag && c == name[0]) {
			*flag = true;
		} else if (c == 'h') {
			cmd->help();
			return FAMFS_EXIT_OK;
		} else {
			return cli_usage_error(cmd->usage);
		}
	}
	return CLI_GO_ON;
}

int cli_plain_options(int argc, char **argv, const struct cli_cmd *cmd,
		      bool *yaml)
{
	return one_flag_options(argc, argv, cmd, "yaml", yaml);
}

int cli_verbose_options(int argc, char **argv, const struct cli_cmd *cmd,
			bool *verbose)
{
	return one_flag_options(argc, argv, cmd, "verbose", verbose);
}

int cli_cp_options(int argc, char **argv, const struct cli_cmd *cmd,
		   const char *shortopts, struct famfs_cp_opts *o)
{
	static const struct option opts[] = {
		{ "recursive", no_argument, NULL, 'r' },
		{ "parents", no_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "threadct", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		CLI_LAYOUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c != '?' && c != ':' && !strchr(shortopts, c))
			cli_error("option '%s' does not apply", argv[optind - 1]);
		if (c == '?' || c == ':' || !strchr(shortopts, c))
			return cli_usage_error(cmd->usage);
		switch (c) {
		case 'r':
		case 'R':
			o->recursive = true;
			break;
		case 'p':
			o->parents = true;
			break;
		case 'm':
			rc = cli_parse_mode(optarg, &o->mode, cmd->usage);
			break;
		case 'u':
			rc = cli_parse_id(optarg, &o->uid, cmd->usage);
			break;
		case 'g':
			rc = cli_parse_id(optarg, &o->gid, cmd->usage);
			break;
		case 't':
			rc = cli_parse_threads(optarg, &o->threads, cmd->usage);
			break;
		case 'v':
			o->report = cli_report;
			break;
		case 'N':
		case 'C':
		case 'B':
			rc = cli_parse_layout(c, optarg, &o->layout, cmd->usage);
			break;
		case 'h':
			cmd->help();
			return FAMFS_EXIT_OK;
		}
		if (rc)
			return rc;
	}
	return CLI_GO_ON;
}

/* A session that changes a file system: adding (creator) or naming (namer). */
struct change {
	bool naming;
	int (*create)(struct famfs_creator *c, void *arg);
	int (*name)(struct famfs_namer *n, void *arg);
	struct famfs_creator c;
	struct famfs_namer n;
};

static int change_begin(struct change *ch, struct famfs_fs *fs,
			struct famfs_error *err)
{
	return ch->naming ? famfs_namer_begin(&ch->n, fs, err) :
			    famfs_create_begin(&ch->c, fs, err);
}

static int change_work(struct change *ch, void *arg)
{
	return ch->naming ? ch->name(&ch->n, arg) : ch->create(&ch->c, arg);
}

static int change_commit(struct change *ch, struct famfs_error *err)
{
	return ch->naming ? famfs_namer_commit(&ch->n, err) :
			    famfs_create_commit(&ch->c, err);
}

static void change_end(struct change *ch)
{
	if (ch->naming)
		famfs_namer_end(&ch->n);
	else
		famfs_create_end(&ch->c);
}

int cli_open_master(struct famfs_fs *fs, const char *path, unsigned int flags)
{
	struct famfs_error err = { 0 };
	int rc;

	rc = cli_need_root();
	if (rc)
		return rc;
	if (famfs_fs_open(fs, path, FAMFS_FS_WRITE | flags, &err))
		return cli_fail(&err);
	return CLI_GO_ON;
}

/* As root, open the file system holding path and run the session on it. */
static int run_change(const char *path, struct change *ch, void *arg)
{
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	int rc;

	rc = cli_open_master(&fs, path, 0);
	if (rc != CLI_GO_ON)
		return rc;
	if (change_begin(ch, &fs, &err)) {
		famfs_fs_close(&fs);
		return cli_fail(&err);
	}
	rc = change_work(ch, arg);
	if (change_commit(ch, &err))
		rc = cli_fail(&err);
	change_end(ch);
	famfs_fs_close(&fs);
	return rc;
}

int cli_create(const char *path,
	       int (*work)(struct famfs_creator *c, void *arg), void *arg)
{
	struct change ch = { .create = work };

	return run_change(path, &ch, arg);
}

int cli_namer(const char *path, bool verbose,
	      int (*work)(struct famfs_namer *n, void *arg), void *arg)
{
	struct change ch = { .naming = true, .name = work };

	ch.n.report = verbose ? cli_report : NULL;
	return run_change(path, &ch, arg);
}

int cli_each_path(const struct famfs_fs *fs, char *const *paths, int count,
		  int (*one)(void *ctx, const char *rel, struct famfs_error *err),
		  void *ctx)
{
	struct famfs_error err = { 0 };
	int i, rc, status = FAMFS_EXIT_OK;
	char *rel = NULL;

	for (i = 0; i < count; i++) {
		rc = famfs_fs_relpath(fs, paths[i], &rel, &err);
		if (!rc)
			rc = one(ctx, rel, &err);
		free(rel);
		rel = NULL;
		if (rc)
			status = cli_fail(&err);
		if (rc == FAMFS_E_LOG_FULL)
			break;
	}
	return status;
}

struct problems {
	char **msg;
	size_t n;
};

static void collect_problem(void *arg, int code, const char *msg)
{
	struct problems *p = arg;
	char **more = realloc(p->msg, (p->n + 1) * sizeof(*more));

	(void)code;
	if (!more)
		return;
	p->msg = more;
	p->msg[p->n] = strdup(msg);
	if (p->msg[p->n])
		p->n++;
}

int cli_fsck_yaml(const char *path)
{
	struct problems p = { 0 };
	struct famfs_fsck_ops ops = { .problem = collect_problem, .arg = &p };
	struct famfs_error err = { 0 };
	struct famfs_fsck_report rep;
	int rc;
	size_t i;

	if (famfs_fsck_path(path, &ops, &rep, &err)) {
		cli_lib_error(&err);
		rc = FAMFS_EXIT_DEVICE;
	} else if (famfs_yaml_fsck(stdout, path, &rep, p.msg, p.n)) {
		cli_error("cannot write the YAML report");
		rc = FAMFS_EXIT_FAIL;
	} else {
		rc = rep.errors ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
	}
	for (i = 0; i < p.n; i++)
		free(p.msg[i]);
	free(p.msg);
	return rc;
}
