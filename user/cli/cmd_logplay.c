// SPDX-License-Identifier: GPL-2.0
/* famfs logplay: create what the log holds and this host lacks. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_ops.h"

#define LOGPLAY_USAGE \
	"famfs logplay [-n] [-v] [-w] [--follow [--interval MS]] MOUNTPOINT"
#define DEFAULT_INTERVAL_MS	FAMFS_FOLLOW_MS

static volatile sig_atomic_t stop;

static void logplay_help(void)
{
	printf("usage: " LOGPLAY_USAGE "\n\n"
	       "Create every logged directory and file missing from MOUNTPOINT (mode,\n"
	       "owner and extents as logged), and apply the log's deletes and renames\n"
	       "in order. Existing ones are left alone; a file whose map differs from\n"
	       "the log is reported. Playing twice changes nothing.\n\n"
	       "Options:\n"
	       "  -n, --dry-run        only say what would be created\n"
	       "  -v, --verbose        one line per entry: mkdir, create, delete, rename,\n"
	       "                       exists, gone, mismatch, error\n"
	       "  -w, --writable       on a client, files keep their write permission\n"
	       "  -f, --follow         keep playing new entries until SIGINT or SIGTERM\n"
	       "  -i, --interval=MS    with --follow: poll the log every MS ms (default %d)\n"
	       "  -h, --help           show this help\n\n"
	       "Exit codes:\n"
	       "  0  the local view matches the log\n"
	       "  1  mismatches or failures (each is printed), or the log is damaged\n"
	       "  2  usage error\n", DEFAULT_INTERVAL_MS);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: wake the sleep */
	sigaction(SIGTERM, &sa, NULL);
}

static void say(const char *msg)
{
	cli_error("%s", msg);
}

/*
 * Play as the follower does, keeping this mount's slot in the host table
 * current; a dry run changes nothing here, so it leaves the slot alone.
 */
static int play_following(const char *root, struct famfs_play_opts *po,
			  bool forever, unsigned int interval,
			  struct famfs_play_stats *st, struct famfs_error *err)
{
	struct famfs_follower *f;
	int rc;

	rc = famfs_follower_new(&f, root, po, interval, 0, say, err);
	if (rc)
		return rc;
	rc = famfs_follower_poll(f, st, err);
	if (forever && !rc) {
		catch_signals();
		setvbuf(stdout, NULL, _IOLBF, 0);
		rc = famfs_follower_run(f, &stop, st, err);
	}
	famfs_follower_free(f);
	return rc;
}

static int play(const char *path, struct famfs_play_opts *po, bool forever,
		unsigned int interval, struct famfs_play_stats *st)
{
	struct famfs_error err = { 0 };
	enum famfs_role role;
	struct famfs_fs fs;
	char *root = NULL;
	int rc;

	rc = famfs_fs_open(&fs, path, 0, &err);
	if (!rc)
		rc = famfs_role(&fs.log.sb, &role, &err);
	if (!rc && role == FAMFS_ROLE_MASTER)
		po->writable = true;
	if (!rc && po->dry_run)
		rc = famfs_logplay(&fs.log, fs.root_fd, po, NULL, st, &err);
	else if (!rc && !(root = strdup(fs.root)))
		rc = famfs_error_set(&err, -ENOMEM, "out of memory");
	famfs_fs_close(&fs);
	if (!rc && root)
		rc = play_following(root, po, forever, interval, st, &err);
	free(root);
	return rc ? cli_fail(&err) : 0;
}

/* Without -v, what went wrong still reaches stderr, one line per entry. */
static void report_problem(void *arg, const char *what, const char *path)
{
	(void)arg;
	if (!strncmp(what, "error", 5) || !strncmp(what, "mismatch", 8))
		cli_error("%s: %s", cli_path(path), what);
}

int cmd_logplay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "writable", no_argument, NULL, 'w' },
		{ "follow", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_play_opts po = { .report = report_problem };
	struct famfs_play_stats st = { 0 };
	unsigned long interval = DEFAULT_INTERVAL_MS;
	bool follow = false;
	char *end;
	int c, rc;

	while ((c = getopt_long(argc, argv, "nvwfi:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			po.dry_run = true;
			break;
		case 'v':
			po.report = cli_report;
			break;
		case 'w':
			po.writable = true;
			break;
		case 'f':
			follow = true;
			break;
		case 'i':
			interval = strtoul(optarg, &end, 10);
			if (*end || !*optarg || !interval || interval > 60000) {
				cli_error("invalid interval '%s' (1 to 60000 ms)", optarg);
				return cli_usage_error(LOGPLAY_USAGE);
			}
			break;
		case 'h':
			logplay_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(LOGPLAY_USAGE);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(LOGPLAY_USAGE);
	rc = play(argv[optind], &po, follow, (unsigned int)interval, &st);
	if (rc)
		return rc;
	printf("%s%llu entries: %llu directories and %llu files %s, %llu deleted, %llu renamed, %llu existing, %llu mismatched, %llu failed\n",
	       po.dry_run ? "dry run: " : "", (unsigned long long)st.entries,
	       (unsigned long long)st.created_dirs,
	       (unsigned long long)st.created_files,
	       po.dry_run ? "to create" : "created",
	       (unsigned long long)st.deleted, (unsigned long long)st.renamed,
	       (unsigned long long)st.existing,
	       (unsigned long long)st.mismatches,
	       (unsigned long long)st.errors);
	return st.mismatches || st.errors ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
