// SPDX-License-Identifier: GPL-2.0
/*
 * umount.famfs: what umount(8) runs for a famfs mount. It is called as
 * 'umount.famfs DIR [-flnrv] [-t TYPE]'.
 */
#include <getopt.h>
#include <stdio.h>
#include <sys/mount.h>

#include "cli_ops.h"

#define UMOUNT_FAMFS_USAGE "umount.famfs DIR [-flnrv] [-t TYPE]"

/* umount(8)'s helper convention, as mount's. */
enum {
	UMOUNT_EX_USAGE = 1,
	UMOUNT_EX_FAIL = 32,
};

static void umount_famfs_help(void)
{
	printf("usage: " UMOUNT_FAMFS_USAGE "\n\n"
	       "Run by umount(8) for a famfs mount: stop the mount's follower, unmount,\n"
	       "and mark this host's slot in the host table unmounted, so that it pins\n"
	       "no deleted file's space any more.\n\n"
	       "Options:\n"
	       "  -f       force (umount2 MNT_FORCE)\n"
	       "  -l       lazy (MNT_DETACH): files still in use stay reachable, so\n"
	       "           the slot stays mounted and keeps pinning their space\n"
	       "  -n, -r, -v, -t TYPE  accepted, as umount(8) passes them\n\n"
	       "Exit codes (umount(8)'s):\n"
	       "  0   unmounted\n"
	       "  1   usage error or not root\n"
	       "  32  failure: still mounted\n");
}

int main(int argc, char **argv)
{
	struct famfs_error err = { 0 };
	int c, flags = 0;

	cli_prog = "umount.famfs";
	while ((c = getopt(argc, argv, "flnrvt:h")) != -1) {
		switch (c) {
		case 'f':
			flags |= MNT_FORCE;
			break;
		case 'l':
			flags |= MNT_DETACH;
			break;
		case 'n':
		case 'r':
		case 'v':
		case 't':
			break;
		case 'h':
			umount_famfs_help();
			return 0;
		default:
			cli_usage_error(UMOUNT_FAMFS_USAGE);
			return UMOUNT_EX_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_usage_error(UMOUNT_FAMFS_USAGE);
		return UMOUNT_EX_USAGE;
	}
	if (cli_need_root())
		return UMOUNT_EX_USAGE;
	if (famfs_umount(argv[optind], flags, &err)) {
		cli_lib_error(&err);
		return UMOUNT_EX_FAIL;
	}
	return 0;
}
