// SPDX-License-Identifier: GPL-2.0
/*
 * mount.famfs: what mount(8) runs for 'mount -t famfs DEVICE DIR'. It is
 * called as 'mount.famfs DEVICE DIR [-sfnv] [-o OPTIONS]'.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_ops.h"

#define MOUNT_FAMFS_USAGE "mount.famfs DEVICE DIR [-fnsv] [-o OPTIONS]"

/* mount(8)'s helper convention. */
enum {
	MOUNT_EX_USAGE = 1,
	MOUNT_EX_FAIL = 32,
};

static void mount_famfs_help(void)
{
	printf("usage: " MOUNT_FAMFS_USAGE "\n\n"
	       "Run by mount(8) for 'mount -t famfs DEVICE DIR': mount the famfs, create\n"
	       "its metadata files and play its log, as 'famfs mount' does.\n\n"
	       "Options:\n"
	       "  -o OPTS  comma-separated options:\n"
	       "           writable  a client's files are writable (famfs mount -w)\n"
	       "           ro        they are not (the default)\n"
	       "           nofollow  start no follower: this host then plays new log\n"
	       "                     entries only when told (famfs logplay), and pins\n"
	       "                     deleted files' space; follow: the default\n"
	       "           noatime, relatime, strictatime, nodiratime, lazytime,\n"
	       "           nosuid, nodev, noexec, sync, dirsync and their opposites:\n"
	       "                     mount(2) flags; rw and defaults change nothing\n"
	       "           dax=always  accepted: famfs is always DAX\n"
	       "           single_host  no other host uses this memory: allow a\n"
	       "                     namespace with map=dev (docs/kmod.md)\n"
	       "           A client's mount is nosuid,nodev unless suid or dev is given.\n"
	       "           auto, noauto, user, nouser, nofail, _netdev, x-*: for\n"
	       "                     mount(8) and systemd, not passed on\n"
	       "  -f       fake: do everything but the mount(2) call\n"
	       "  -n       do not write /etc/mtab (there is none to write)\n"
	       "  -v       list every directory and file created\n"
	       "  -s       tolerate sloppy options (ignored)\n\n"
	       "Exit codes (mount(8)'s):\n"
	       "  0   mounted (a warning says if the log did not play to its end)\n"
	       "  1   usage error or not root\n"
	       "  32  mount failure: nothing is mounted\n");
}

static int mount_as_asked(int argc, char **argv,
			  const struct famfs_mount_args *args,
			  struct famfs_mount_opts *mo)
{
	struct famfs_error err = { 0 };
	struct famfs_play_stats st;

	if (optind != argc - 2) {
		cli_usage_error(MOUNT_FAMFS_USAGE);
		return MOUNT_EX_USAGE;
	}
	if (cli_need_root())
		return MOUNT_EX_USAGE;
	mo->writable = args->writable;
	mo->flags = args->flags;
	mo->named = args->named;
	mo->data = args->data;
	mo->no_follow = args->no_follow;
	if (famfs_mount(argv[optind], argv[optind + 1], mo, &st, &err)) {
		cli_lib_error(&err);
		return MOUNT_EX_FAIL;
	}
	cli_mount_warnings(argv[optind], &st, &err);
	return 0;
}

/* One option: CLI_GO_ON, or the code to exit with. */
static int option(int c, struct famfs_mount_args *args,
		  struct famfs_mount_opts *mo)
{
	struct famfs_error err = { 0 };

	switch (c) {
	case 'o':
		if (!famfs_mount_options(optarg, args, &err))
			return CLI_GO_ON;
		cli_lib_error(&err);
		return MOUNT_EX_USAGE;
	case 'f':
		mo->fake = true;
		return CLI_GO_ON;
	case 'v':
		mo->report = cli_report;
		return CLI_GO_ON;
	case 's':
	case 'n':
		return CLI_GO_ON;
	case 'h':
		mount_famfs_help();
		return 0;
	}
	cli_usage_error(MOUNT_FAMFS_USAGE);
	return MOUNT_EX_USAGE;
}

int main(int argc, char **argv)
{
	struct famfs_mount_args args = { 0 };
	struct famfs_mount_opts mo = { 0 };
	int c, rc = CLI_GO_ON;

	cli_prog = "mount.famfs";
	while (rc == CLI_GO_ON && (c = getopt(argc, argv, "sfnvo:h")) != -1)
		rc = option(c, &args, &mo);
	if (rc == CLI_GO_ON)
		rc = mount_as_asked(argc, argv, &args, &mo);
	famfs_mount_args_free(&args);
	return rc;
}
