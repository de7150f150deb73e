// SPDX-License-Identifier: GPL-2.0
/* famfs rmdir: log the removal of empty directories (master only). */
#include <getopt.h>
#include <stdio.h>

#include "cli_ops.h"

#define RMDIR_USAGE "famfs rmdir [-v] DIR..."

static void rmdir_help(void)
{
	printf("usage: " RMDIR_USAGE "\n\n"
	       "Remove empty directories from a mounted famfs: each removal is logged,\n"
	       "then applied here and, as they play the log, on every host. Only the\n"
	       "master may remove them, on a file system of format 1.1 or later.\n"
	       "Needs root.\n\n"
	       "Options:\n"
	       "  -v, --verbose  print each directory removed\n"
	       "  -h, --help     show this help\n\n"
	       "Exit codes:\n"
	       "  0  every DIR removed\n"
	       "  1  some DIR failed (missing, not empty, not a directory, client host, ...)\n"
	       "  2  usage error\n");
}

static int rmdir_one(void *ctx, const char *rel, struct famfs_error *err)
{
	static const struct famfs_rm_opts o = { .dir_only = true };

	return famfs_rm(ctx, rel, &o, err);
}

struct rmdir_args {
	char **dirs;
	int n;
};

static int rmdir_all(struct famfs_namer *n, void *arg)
{
	const struct rmdir_args *a = arg;

	return cli_each_path(n->fs, a->dirs, a->n, rmdir_one, n);
}

int cmd_rmdir(int argc, char **argv)
{
	static const struct cli_cmd cmd = { RMDIR_USAGE, rmdir_help };
	struct rmdir_args a = { 0 };
	bool verbose = false;
	int rc;

	rc = cli_verbose_options(argc, argv, &cmd, &verbose);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind >= argc)
		return cli_usage_error(RMDIR_USAGE);
	a.dirs = argv + optind;
	a.n = argc - optind;
	return cli_namer(a.dirs[0], verbose, rmdir_all, &a);
}
