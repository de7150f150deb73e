// SPDX-License-Identifier: GPL-2.0
/* famfs cp: copy files and trees into a mounted famfs (master only). */
#include <stdio.h>

#include "cli_ops.h"

#define CP_USAGE "famfs cp [-r] [-m MODE] [-u UID] [-g GID] [-t THREADS] [-N STRIPS [-C CHUNK] [-B BUCKETS]] [-v] SRC... DEST"

static void cp_help(void)
{
	printf("usage: " CP_USAGE "\n\n"
	       "Copy files (and with -r directory trees) into a mounted famfs. As with\n"
	       "cp(1), an existing directory DEST receives SRC under its own name;\n"
	       "otherwise DEST is the new name. Each file's space is allocated, its\n"
	       "data copied and flushed, and only then is it logged and created\n"
	       "locally; the log lock is taken once for the whole command. Existing\n"
	       "files are never overwritten. Only the master may add files. Needs root.\n\n"
	       "Options:\n"
	       "  -r, --recursive  copy directories and everything below them\n"
	       "  -m, --mode=MODE  octal permissions of the files (default: the source's)\n"
	       "  -u, --uid=UID    owner of what is created (default: the caller)\n"
	       "  -g, --gid=GID    group (default: the caller's)\n"
	       "  -t, --threadct=N  copy each file's data on N threads (default 1)\n"
	       "  -N, --stripe=N, --nstrips=N\n"
	       "                   stripe each file over N strips (2 to 64; 1: not\n"
	       "                   striped; default: the file system's, see fsck)\n"
	       "  -C, --chunk=SIZE, --chunksize=SIZE\n"
	       "                   bytes of a strip before the next strip: a multiple\n"
	       "                   of 2M (default: the file system's, else 2M)\n"
	       "  -B, --nbuckets=B  take strips that share a device from B regions of\n"
	       "                   it (default N)\n"
	       "  -v, --verbose    print each directory and file created\n"
	       "  -h, --help       show this help\n\n"
	       "Exit codes:\n"
	       "  0  everything copied\n"
	       "  1  something was not (each failure is printed); device or log full\n"
	       "     stops the copy before the file that does not fit\n"
	       "  2  usage error\n");
}

struct cp_args {
	char **srcs;
	int n;
	const char *dest;
	const struct famfs_cp_opts *o;
};

static int copy(struct famfs_creator *c, void *arg)
{
	const struct cp_args *a = arg;
	struct famfs_error err = { 0 };

	c->threads = a->o->threads;
	if (famfs_cp(c, a->srcs, a->n, a->dest, a->o, &err))
		return cli_fail(&err);
	return FAMFS_EXIT_OK;
}

int cmd_cp(int argc, char **argv)
{
	static const struct cli_cmd cmd = { CP_USAGE, cp_help };
	struct famfs_cp_opts o = { .mode = -1, .uid = -1, .gid = -1,
				   .error = cli_report_error };
	struct cp_args a = { .o = &o };
	int rc;

	rc = cli_cp_options(argc, argv, &cmd, "rRm:u:g:t:vh" CLI_LAYOUT_SHORTOPTS, &o);
	if (rc != CLI_GO_ON)
		return rc;
	if (argc - optind < 2)
		return cli_usage_error(CP_USAGE);
	a.srcs = argv + optind;
	a.n = argc - optind - 1;
	a.dest = argv[argc - 1];
	return cli_create(a.dest, copy, &a);
}
