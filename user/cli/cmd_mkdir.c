// SPDX-License-Identifier: GPL-2.0
/* famfs mkdir: log and create directories (master only). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define MKDIR_USAGE "famfs mkdir [-p] [-m MODE] [-v] DIR..."

static void mkdir_help(void)
{
	printf("usage: " MKDIR_USAGE "\n\n"
	       "Create directories in a mounted famfs: each is logged, then created\n"
	       "locally. Only the master may add to a file system. Needs root.\n\n"
	       "Options:\n"
	       "  -p, --parents    create missing parents; an existing DIR is fine\n"
	       "  -m, --mode=MODE  octal permissions of DIR (default 0755)\n"
	       "  -v, --verbose    print each directory created\n"
	       "  -h, --help       show this help\n\n"
	       "Exit codes:\n"
	       "  0  every DIR created\n"
	       "  1  some DIR failed (exists, no parent, log full, client host, ...)\n"
	       "  2  usage error\n");
}

static int make_dirs(struct famfs_creator *c, char **dirs, int n,
		     const struct famfs_cp_opts *o)
{
	struct famfs_error err = { 0 };
	int i, rc, status = FAMFS_EXIT_OK;
	char *rel;

	for (i = 0; i < n; i++) {
		rc = famfs_fs_relpath(c->fs, dirs[i], &rel, &err);
		if (!rc)
			rc = famfs_mkdir(c, rel, o, &err);
		free(rel);
		rel = NULL;
		if (rc)
			status = cli_fail(&err);
		if (rc == FAMFS_E_LOG_FULL)
			break;
	}
	return status;
}

int cmd_mkdir(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "parents", no_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_cp_opts o = { .mode = -1, .uid = -1, .gid = -1 };
	struct famfs_creator c;
	struct famfs_fs fs;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "pm:vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			o.parents = true;
			break;
		case 'm':
			rc = cli_parse_mode(optarg, &o.mode, MKDIR_USAGE);
			if (rc)
				return rc;
			break;
		case 'v':
			o.report = cli_report;
			break;
		case 'h':
			mkdir_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(MKDIR_USAGE);
		}
	}
	if (optind >= argc)
		return cli_usage_error(MKDIR_USAGE);
	rc = cli_need_root();
	if (!rc)
		rc = cli_create_begin(&fs, &c, argv[optind]);
	if (rc)
		return rc;
	rc = make_dirs(&c, argv + optind, argc - optind, &o);
	return cli_create_end(&fs, &c, rc);
}
