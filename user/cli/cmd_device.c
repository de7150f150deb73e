// SPDX-License-Identifier: GPL-2.0
/* famfs device: the members of a famfs (docs/devices.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_ops.h"

#define DEVICE_USAGE \
	"famfs device add [-f] DEVICE MOUNTPOINT\n" \
	"       famfs device list PATH"

static void device_help(void)
{
	printf("usage: " DEVICE_USAGE "\n\n"
	       "'add' (master only) makes DEVICE (/dev/daxX.Y, /dev/pmemN) the next\n"
	       "member of the famfs mounted at MOUNTPOINT (or of the device or image\n"
	       "MOUNTPOINT names): it writes a label on DEVICE, logs a MEMBER entry and\n"
	       "hands the device to the local mount. Other hosts find it by its label\n"
	       "(the device's name may differ there). Members are never removed.\n\n"
	       "'list' prints each member of the famfs PATH is in (or of the device\n"
	       "or image PATH names): index, UUID, size, where it was added (the\n"
	       "member table of mkfs.famfs, or the log) and this host's device for it,\n"
	       "'(held by this mount)' when the mount holds a device whose label\n"
	       "cannot be read, or 'missing'. Members are looked for under\n"
	       "$FAMFS_DEV_DIR (default /dev).\n\n"
	       "Options:\n"
	       "  -f, --force  add a device that holds a famfs or another file\n"
	       "               system's member label\n"
	       "  -h, --help   show this help\n\n"
	       "Exit codes:\n"
	       "  0  added, or listed\n"
	       "  1  refused (not the master, not root, device in use, too small,\n"
	       "     already a member) or failed\n"
	       "  2  usage error\n"
	       "  3  the device or image could not be opened\n");
}

static int list(const char *path)
{
	struct famfs_member_view *v = NULL;
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	char u[40], b[32];
	uint32_t i, n = 0;
	int rc;

	rc = famfs_fs_open(&fs, path, FAMFS_FS_OFFLINE, &err);
	if (!rc)
		rc = famfs_member_views(&fs, &v, &n, &err);
	famfs_fs_close(&fs);
	if (rc)
		return cli_fail(&err);
	printf("%-5s %-36s %10s %-5s %s\n", "INDEX", "UUID", "SIZE", "ADDED",
	       "DEVICE");
	for (i = 0; i < n; i++)
		printf("%-5u %-36s %10s %-5s %s\n", v[i].info.index,
		       cli_uuid(v[i].info.uuid, u),
		       cli_bytes(v[i].info.size, b, sizeof(b)),
		       v[i].in_table ? "mkfs" : "log",
		       v[i].path ? v[i].path :
		       v[i].held ? "(held by this mount)" : "missing");
	famfs_member_views_free(v, n);
	return FAMFS_EXIT_OK;
}

static int add(const char *device, const char *path, bool force)
{
	struct famfs_device_add_opts o = { .force = force };
	struct famfs_error err = { 0 };
	struct famfs_member_info m;
	struct famfs_fs fs;
	char u[40], b[32];
	int rc;

	rc = cli_open_master(&fs, path, FAMFS_FS_OFFLINE);
	if (rc != CLI_GO_ON)
		return rc;
	rc = famfs_device_add(&fs, device, &o, &m, &err);
	famfs_fs_close(&fs);
	if (rc)
		return cli_fail(&err);
	printf("%s: member %u (%s), %s\n", device, m.index, cli_uuid(m.uuid, u),
	       cli_bytes(m.size, b, sizeof(b)));
	return FAMFS_EXIT_OK;
}

int cmd_device(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool force = false, adding, listing;
	int c;

	adding = argc > 1 && !strcmp(argv[1], "add");
	listing = argc > 1 && !strcmp(argv[1], "list");
	if (adding || listing) {
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'h':
			device_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(DEVICE_USAGE);
		}
	}
	if (adding && optind == argc - 2)
		return add(argv[optind], argv[optind + 1], force);
	if (listing && !force && optind == argc - 1)
		return list(argv[optind]);
	return cli_usage_error(DEVICE_USAGE);
}
