// SPDX-License-Identifier: GPL-2.0
/* famfs flush: write a file's cache lines back to the shared memory. */
#include <getopt.h>
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
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i, status = FAMFS_EXIT_OK;
	struct famfs_error err = { 0 };

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'h')
			return cli_usage_error(FLUSH_USAGE);
		flush_help();
		return FAMFS_EXIT_OK;
	}
	if (optind >= argc)
		return cli_usage_error(FLUSH_USAGE);
	for (i = optind; i < argc; i++)
		if (famfs_file_flush(argv[i], &err))
			status = cli_fail(&err);
	return status;
}
