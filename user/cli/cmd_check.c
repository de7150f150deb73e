// SPDX-License-Identifier: GPL-2.0
/* famfs check: does the mounted tree match the log? */
#include <stdio.h>

#include "cli_ops.h"

#define CHECK_USAGE "famfs check MOUNTPOINT"

static void check_help(void)
{
	printf("usage: " CHECK_USAGE "\n\n"
	       "Compare this host's view of a mounted famfs with its log: every logged\n"
	       "directory and file must exist with the logged map (size and extents),\n"
	       "and every directory and file in the tree must be logged.\n\n"
	       "Options:\n"
	       "  -h, --help  show this help\n\n"
	       "Exit codes:\n"
	       "  0  the tree matches the log\n"
	       "  1  it does not (each difference is printed), or the log is damaged\n"
	       "  2  usage error\n");
}

static void print_problem(void *arg, const char *path, const char *why)
{
	(void)arg;
	printf("%s: %s\n", cli_path(path), why);
}

int cmd_check(int argc, char **argv)
{
	static const struct cli_cmd cmd = { CHECK_USAGE, check_help };
	struct famfs_error err = { 0 };
	struct famfs_check_stats st;
	struct famfs_fs fs;
	int rc;

	rc = cli_plain_options(argc, argv, &cmd, NULL);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(CHECK_USAGE);
	rc = famfs_fs_open(&fs, argv[optind], 0, &err);
	if (!rc)
		rc = famfs_check(&fs, print_problem, NULL, &st, &err);
	famfs_fs_close(&fs);
	if (rc)
		return cli_fail(&err);
	printf("%s: %llu directories, %llu files; %s\n", argv[optind],
	       (unsigned long long)st.dirs, (unsigned long long)st.files,
	       st.problems ? "differs from the log" : "matches the log");
	return st.problems ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
