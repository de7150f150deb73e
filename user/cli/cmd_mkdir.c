// SPDX-License-Identifier: GPL-2.0
/* famfs mkdir: log and create directories (master only). */
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define MKDIR_USAGE "famfs mkdir [-p] [-m MODE] [-u UID] [-g GID] [-v] DIR..."

static void mkdir_help(void)
{
	printf("usage: " MKDIR_USAGE "\n\n"
	       "Create directories in a mounted famfs: each is logged, then created\n"
	       "locally. Only the master may add to a file system. Needs root.\n\n"
	       "Options:\n"
	       "  -p, --parents    create missing parents; an existing DIR is fine\n"
	       "  -m, --mode=MODE  octal permissions of DIR (default 0755)\n"
	       "  -u, --uid=UID    owner (default: the caller)\n"
	       "  -g, --gid=GID    group (default: the caller's)\n"
	       "  -v, --verbose    print each directory created\n"
	       "  -h, --help       show this help\n\n"
	       "Exit codes:\n"
	       "  0  every DIR created\n"
	       "  1  some DIR failed (exists, no parent, log full, client host, ...)\n"
	       "  2  usage error\n");
}

struct mkdir_args {
	char **dirs;
	int n;
	const struct famfs_cp_opts *o;
};

struct mkdir_ctx {
	struct famfs_creator *c;
	const struct famfs_cp_opts *o;
};

static int make_one(void *ctx, const char *rel, struct famfs_error *err)
{
	struct mkdir_ctx *m = ctx;

	return famfs_mkdir(m->c, rel, m->o, err);
}

static int make_dirs(struct famfs_creator *c, void *arg)
{
	const struct mkdir_args *a = arg;
	struct mkdir_ctx m = { .c = c, .o = a->o };

	return cli_each_path(c->fs, a->dirs, a->n, make_one, &m);
}

int cmd_mkdir(int argc, char **argv)
{
	static const struct cli_cmd cmd = { MKDIR_USAGE, mkdir_help };
	struct famfs_cp_opts o = { .mode = -1, .uid = -1, .gid = -1 };
	struct mkdir_args a = { .o = &o };
	int rc;

	rc = cli_cp_options(argc, argv, &cmd, "pm:u:g:vh", &o);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind >= argc)
		return cli_usage_error(MKDIR_USAGE);
	a.dirs = argv + optind;
	a.n = argc - optind;
	return cli_create(a.dirs[0], make_dirs, &a);
}
