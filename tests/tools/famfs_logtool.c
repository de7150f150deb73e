// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-test-logtool: write log entries the famfs tools would never write,
 * as a damaged or hostile master could, for the scenarios that check how
 * the other tools and famfs.ko take them.
 *
 *   famfs-test-logtool add-file FS PATH OFFSET LEN
 *       Append and publish a FILE entry for PATH with the one extent
 *       [OFFSET, OFFSET+LEN), whoever else owns those bytes. FS is a
 *       mount point (of the master) or a device or image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs/famfs_ops.h"

static int fail(const struct famfs_error *err)
{
	fprintf(stderr, "famfs-test-logtool: %s\n", err->msg);
	return 1;
}

static int add_file(const char *fs_path, const char *path, uint64_t off,
		    uint64_t len)
{
	struct famfs_extent_info x = { .offset = off, .len = len };
	struct famfs_meta meta = { .mode = S_IFREG | 0644, .size = len };
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	int rc;

	if (famfs_fs_open(&fs, fs_path, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err))
		return fail(&err);
	rc = famfs_log_append_begin(&fs.log, &err);
	if (!rc)
		rc = famfs_log_add_file(&fs.log, path, &meta, &x, 1, &err);
	if (!rc)
		rc = famfs_log_commit(&fs.log, &err);
	famfs_log_append_end(&fs.log);
	famfs_fs_close(&fs);
	return rc ? fail(&err) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "add-file"))
		return add_file(argv[2], argv[3], strtoull(argv[4], NULL, 0),
				strtoull(argv[5], NULL, 0));
	fprintf(stderr, "usage: famfs-test-logtool add-file FS PATH OFFSET LEN\n");
	return 2;
}
