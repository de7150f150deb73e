// SPDX-License-Identifier: GPL-2.0
/* famfs mount: mount a famfs, give it its metadata files, play the log. */
#include <getopt.h>
#include <stdio.h>

#include "cli_ops.h"

#define MOUNT_USAGE "famfs mount [-w] [-v] [-F] [--no-follow] [-o OPTIONS] DEVICE MOUNTPOINT"

static void mount_help(void)
{
	printf("usage: " MOUNT_USAGE "\n\n"
	       "Mount the famfs on DEVICE (/dev/daxX.Y or /dev/pmemN) at MOUNTPOINT,\n"
	       "create the metadata files .meta/.superblock and .meta/.log, and play\n"
	       "the log: every logged directory and file appears. A follower then runs\n"
	       "in the background: it plays new entries as the master logs them and\n"
	       "keeps this host's slot in the host table current, which tells the\n"
	       "master when deleted files' space is free again (umount stops it).\n"
	       "On a client (a host other than the master) files are read-only unless\n"
	       "-w is given, and the mount is nosuid,nodev unless -o suid or -o dev\n"
	       "says otherwise. Needs root. 'mount -t famfs DEVICE MOUNTPOINT' does\n"
	       "the same.\n\n"
	       "Options:\n"
	       "  -w, --writable  a client's files keep their write permission\n"
	       "  -o, --options OPTIONS\n"
	       "                  comma-separated mount options, as mount.famfs takes\n"
	       "                  them (noatime, nosuid, suid, single_host, ...)\n"
	       "  -v, --verbose   list every directory and file created\n"
	       "  --no-follow     start no follower (-o nofollow): new entries are\n"
	       "                  played only by famfs logplay, and space deleted\n"
	       "                  after the mount stays pinned until umount\n"
	       "  -F, --nofuse    accepted: famfs.ko serves every mount (-f, --fuse\n"
	       "                  is refused)\n"
	       "  -h, --help      show this help\n\n"
	       "Exit codes:\n"
	       "  0  mounted (a warning says if the log did not play to its end)\n"
	       "  1  refused or failed (not root, not a famfs, already mounted, ...)\n"
	       "  2  usage error\n");
}

int cmd_mount(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "writable", no_argument, NULL, 'w' },
		{ "options", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "nofuse", no_argument, NULL, 'F' },
		{ "fuse", no_argument, NULL, 'f' },
		{ "no-follow", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_mount_args args = { 0 };
	struct famfs_mount_opts mo = { 0 };
	struct famfs_error err = { 0 };
	struct famfs_play_stats st;
	int c, rc;

	while ((c = getopt_long(argc, argv, "wvFfo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (famfs_mount_options(optarg, &args, &err)) {
				cli_lib_error(&err);
				famfs_mount_args_free(&args);
				return cli_usage_error(MOUNT_USAGE);
			}
			break;
		case 'F':
			break;
		case 'N':
			mo.no_follow = true;
			break;
		case 'f':
			return cli_no_fuse();
		case 'w':
			mo.writable = true;
			break;
		case 'v':
			mo.report = cli_report;
			break;
		case 'h':
			famfs_mount_args_free(&args);
			mount_help();
			return FAMFS_EXIT_OK;
		default:
			famfs_mount_args_free(&args);
			return cli_usage_error(MOUNT_USAGE);
		}
	}
	rc = optind != argc - 2 ? cli_usage_error(MOUNT_USAGE) : cli_need_root();
	if (!rc) {
		mo.writable |= args.writable;
		mo.flags = args.flags;
		mo.named = args.named;
		mo.data = args.data;
		mo.no_follow |= args.no_follow;
		rc = famfs_mount(argv[optind], argv[optind + 1], &mo, &st, &err);
		rc = rc ? cli_fail(&err) : FAMFS_EXIT_OK;
	}
	famfs_mount_args_free(&args);
	if (rc)
		return rc;
	printf("%s mounted on %s: %llu directories and %llu files\n",
	       argv[optind], argv[optind + 1],
	       (unsigned long long)st.created_dirs,
	       (unsigned long long)st.created_files);
	cli_mount_warnings(argv[optind], &st, &err);
	return FAMFS_EXIT_OK;
}
