// SPDX-License-Identifier: GPL-2.0
/* famfs rm: log the removal of files and trees (master only). */
#include <getopt.h>
#include <stdio.h>

#include "cli_ops.h"

#define RM_USAGE "famfs rm [-r] [-f] [-v] PATH..."

static void rm_help(void)
{
	printf("usage: " RM_USAGE "\n\n"
	       "Remove files (and with -r directory trees) from a mounted famfs: each\n"
	       "removal is logged, then applied here; every host applies it when it\n"
	       "plays the log. A process that has a file open or mapped keeps it until\n"
	       "it closes it. The space stays allocated for now. Only the master may\n"
	       "remove files, on a file system of format 1.1 or later. Needs root.\n\n"
	       "Options:\n"
	       "  -r, -R, --recursive  remove directories and all they hold (deepest first)\n"
	       "  -f, --force          a missing PATH is not an error\n"
	       "  -v, --verbose        print each path removed\n"
	       "  -h, --help           show this help\n\n"
	       "Exit codes:\n"
	       "  0  every PATH removed\n"
	       "  1  some PATH failed (missing, a directory without -r, client host, ...)\n"
	       "  2  usage error\n");
}

struct rm_args {
	char **paths;
	int n;
	struct famfs_rm_opts o;
	struct famfs_namer *namer;
};

static int rm_one(void *ctx, const char *rel, struct famfs_error *err)
{
	struct rm_args *a = ctx;

	return famfs_rm(a->namer, rel, &a->o, err);
}

static int rm_all(struct famfs_namer *n, void *arg)
{
	struct rm_args *a = arg;

	a->namer = n;
	return cli_each_path(n->fs, a->paths, a->n, rm_one, a);
}

int cmd_rm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "recursive", no_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rm_args a = { 0 };
	bool verbose = false;
	int c;

	while ((c = getopt_long(argc, argv, "rRfvh", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
		case 'R':
			a.o.recursive = true;
			break;
		case 'f':
			a.o.force = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			rm_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(RM_USAGE);
		}
	}
	if (optind >= argc)
		return cli_usage_error(RM_USAGE);
	a.paths = argv + optind;
	a.n = argc - optind;
	return cli_namer(a.paths[0], verbose, rm_all, &a);
}
