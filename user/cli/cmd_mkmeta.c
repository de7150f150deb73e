// SPDX-License-Identifier: GPL-2.0
/* famfs mkmeta: the metadata files of a famfs mounted without them. */
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define MKMETA_USAGE "famfs mkmeta DEVICE"

static void mkmeta_help(void)
{
	printf("usage: " MKMETA_USAGE "\n\n"
	       "Make .meta/.superblock and .meta/.log in the mount of DEVICE, a famfs\n"
	       "that was mounted by mount(2) alone (mount -i -t famfs). 'famfs mount'\n"
	       "and mount -t famfs make them; 'famfs logplay' then plays the log.\n"
	       "Needs root.\n\n"
	       "Options:\n"
	       "  -h, --help  show this help\n\n"
	       "Exit codes:\n"
	       "  0  the metadata files are made\n"
	       "  1  DEVICE is not mounted, not a famfs, or has them already\n"
	       "  2  usage error\n");
}

int cmd_mkmeta(int argc, char **argv)
{
	static const struct cli_cmd cmd = { MKMETA_USAGE, mkmeta_help };
	struct famfs_error err = { 0 };
	char *where = NULL;
	int rc;

	rc = cli_plain_options(argc, argv, &cmd, NULL);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(MKMETA_USAGE);
	rc = cli_need_root();
	if (rc)
		return rc;
	rc = famfs_mkmeta(argv[optind], NULL, &where, &err);
	if (!rc)
		printf("%s: metadata files made in %s/.meta\n", argv[optind], where);
	free(where);
	return rc ? cli_fail(&err) : FAMFS_EXIT_OK;
}
