// SPDX-License-Identifier: GPL-2.0
/*
 * Per-host runtime files of a file system ($FAMFS_LOCK_DIR, default
 * /run/famfs): the append lock and the follower's pid file. They are named
 * by the file system's UUID, not by a path, so that every way of reaching
 * one file system on this host finds the same files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uuid/uuid.h>

#include "internal.h"

int famfs_run_path(const uint8_t fs_uuid[16], const char *suffix, char *path,
		   size_t len, struct famfs_error *err)
{
	const char *dir = getenv(FAMFS_LOCK_DIR_ENV);
	char fs[40];

	if (!dir || !*dir)
		dir = FAMFS_LOCK_DIR;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return famfs_error_set(err, -errno, "%s: cannot create: %s",
				       dir, strerror(errno));
	uuid_unparse_lower(fs_uuid, fs);
	snprintf(path, len, "%s/%s.%s", dir, fs, suffix);
	return 0;
}
