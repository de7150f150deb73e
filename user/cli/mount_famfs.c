// SPDX-License-Identifier: GPL-2.0
/*
 * mount.famfs: what mount(8) runs for 'mount -t famfs DEVICE DIR'. It is
 * called as 'mount.famfs DEVICE DIR [-sfnv] [-o OPTIONS]'.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_ops.h"

#define MOUNT_FAMFS_USAGE "mount.famfs DEVICE DIR [-fnsv] [-o ro|rw|writable]"

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
	       "  -o OPTS  comma-separated: writable (a client's files are writable,\n"
	       "           like famfs mount -w), ro (they are not: the default); rw\n"
	       "           (which mount(8) may add by itself), defaults, auto, noauto,\n"
	       "           nofail, _netdev, nouser are accepted and change nothing\n"
	       "  -f       fake: do everything but the mount(2) call\n"
	       "  -n       do not write /etc/mtab (there is none to write)\n"
	       "  -v       list every directory and file created\n"
	       "  -s       tolerate sloppy options (ignored)\n\n"
	       "Exit codes (mount(8)'s):\n"
	       "  0   mounted\n"
	       "  1   usage error or not root\n"
	       "  32  mount failure\n");
}

static bool ignored_option(const char *o)
{
	static const char *const ignored[] = {
		"defaults", "auto", "noauto", "nofail", "_netdev", "nouser",
	};
	size_t i;

	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (!strcmp(o, ignored[i]))
			return true;
	return false;
}

static int parse_options(char *opts, struct famfs_mount_opts *mo)
{
	char *save = NULL, *o;

	for (o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (!strcmp(o, "writable"))
			mo->writable = true;
		else if (!strcmp(o, "ro") || !strcmp(o, "rw"))
			mo->writable = false;
		else if (!ignored_option(o)) {
			cli_error("unknown option '%s'", o);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct famfs_mount_opts mo = { 0 };
	struct famfs_error err = { 0 };
	struct famfs_play_stats st;
	int c;

	cli_prog = "mount.famfs";
	while ((c = getopt(argc, argv, "sfnvo:h")) != -1) {
		switch (c) {
		case 'o':
			if (parse_options(optarg, &mo))
				return MOUNT_EX_USAGE;
			break;
		case 'f':
			mo.fake = true;
			break;
		case 'v':
			mo.report = cli_report;
			break;
		case 's':
		case 'n':
			break;
		case 'h':
			mount_famfs_help();
			return 0;
		default:
			cli_usage_error(MOUNT_FAMFS_USAGE);
			return MOUNT_EX_USAGE;
		}
	}
	if (optind != argc - 2) {
		cli_usage_error(MOUNT_FAMFS_USAGE);
		return MOUNT_EX_USAGE;
	}
	if (cli_need_root())
		return MOUNT_EX_USAGE;
	if (famfs_mount(argv[optind], argv[optind + 1], &mo, &st, &err)) {
		cli_lib_error(&err);
		return MOUNT_EX_FAIL;
	}
	return st.errors ? MOUNT_EX_FAIL : 0;
}
