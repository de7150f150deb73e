// SPDX-License-Identifier: GPL-2.0
/* famfs flush: write a file's cache lines back to the shared memory. */
#include <stdio.h>

#include "cli_ops.h"

#define FLUSH_USAGE "famfs flush FILE..."

static void flush_help(void)
{
	printf("usage: " FLUSH_USAGE "\n\n"
	       "Write back (and evict) every cache line of each FILE through a shared\n"
	       "mapping of it, so other hosts see what this host wrote through mmap.\n\n"
	       "Options:\n"
	       "  -h, --help  show this help\n\n"
	       "Exit codes:\n"
	       "  0  every FILE flushed\n"
	       "  1  some FILE could not be opened or mapped\n"
	       "  2  usage error\n");
}

int cmd_flush(int argc, char **argv)
{
	static const struct cli_cmd cmd = { FLUSH_USAGE, flush_help };
	int i, rc, status = FAMFS_EXIT_OK;
	struct famfs_error err = { 0 };

	rc = cli_plain_options(argc, argv, &cmd, NULL);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind >= argc)
		return cli_usage_error(FLUSH_USAGE);
	for (i = optind; i < argc; i++)
		if (famfs_file_flush(argv[i], &err))
			status = cli_fail(&err);
	return status;
}
