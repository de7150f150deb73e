// SPDX-License-Identifier: GPL-2.0
/* famfs mv: log the move of a file or tree within one famfs (master only). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define MV_USAGE "famfs mv [-v] SRC DST"

static void mv_help(void)
{
	printf("usage: " MV_USAGE "\n\n"
	       "Move SRC to DST within one mounted famfs: the move is logged, then\n"
	       "applied here and, as they play the log, on every host. If DST is an\n"
	       "existing directory, SRC moves into it, as with mv(1); an existing file\n"
	       "is never replaced. A directory moves with all it holds. Only the master\n"
	       "may move files, on a file system of format 1.1 or later. Needs root.\n\n"
	       "Options:\n"
	       "  -v, --verbose  print the move\n"
	       "  -h, --help     show this help\n\n"
	       "Exit codes:\n"
	       "  0  moved\n"
	       "  1  refused (missing SRC, DST exists, another file system, client host, ...)\n"
	       "  2  usage error\n");
}

struct mv_args {
	const char *src;
	const char *dst;
};

static int move(struct famfs_namer *n, void *arg)
{
	const struct mv_args *a = arg;
	struct famfs_error err = { 0 };
	char *src = NULL, *dst = NULL;
	int rc;

	rc = famfs_fs_relpath(n->fs, a->src, &src, &err);
	if (!rc)
		rc = famfs_fs_relpath(n->fs, a->dst, &dst, &err);
	if (!rc)
		rc = famfs_mv(n, src, dst, &err);
	free(src);
	free(dst);
	return rc ? cli_fail(&err) : FAMFS_EXIT_OK;
}

int cmd_mv(int argc, char **argv)
{
	static const struct cli_cmd cmd = { MV_USAGE, mv_help };
	struct mv_args a;
	bool verbose = false;
	int rc;

	rc = cli_verbose_options(argc, argv, &cmd, &verbose);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind != argc - 2)
		return cli_usage_error(MV_USAGE);
	a.src = argv[optind];
	a.dst = argv[optind + 1];
	return cli_namer(a.src, verbose, move, &a);
}
