// SPDX-License-Identifier: GPL-2.0
/*
 * Per-host runtime files of a file system ($FAMFS_LOCK_DIR, default
 * /run/famfs): the append and play locks, the follower's pid file and the
 * mount's record of its slot. They are named
 * by the file system's UUID, not by a path, so that every way of reaching
 * one file system on this host finds the same files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
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

/*
 * flock locks belong to the open file, so they work across processes and
 * vanish when their holder dies.
 */
int famfs_run_lock(const uint8_t fs_uuid[16], const char *suffix,
		   struct famfs_error *err)
{
	char path[PATH_MAX];
	int fd, rc;

	rc = famfs_run_path(fs_uuid, suffix, path, sizeof(path), err);
	if (rc)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s", path,
				       strerror(errno));
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		rc = famfs_error_set(err, -errno, "%s: cannot lock: %s", path,
				     strerror(errno));
		close(fd);
		return rc;
	}
	return fd;
}

/*
 * Which slot and nonce this host's mount of a file system claimed: what
 * lets a restarted follower and umount find their own slot even when
 * another host (a clone) has one with the same system UUID.
 */
int famfs_mount_record_write(const uint8_t fs_uuid[16],
			     const struct famfs_host_self *me)
{
	char path[PATH_MAX];
	FILE *fp;
	int rc = famfs_run_path(fs_uuid, "mount", path, sizeof(path), NULL);

	if (rc)
		return rc;
	fp = fopen(path, "we");
	if (!fp)
		return -errno;
	fprintf(fp, "%u %llx\n", me->slot, (unsigned long long)me->info.nonce);
	return fclose(fp) ? -errno : 0;
}

int famfs_mount_record_read(const uint8_t fs_uuid[16], uint32_t *slot,
			    uint64_t *nonce)
{
	unsigned long long n;
	char path[PATH_MAX];
	unsigned int s;
	FILE *fp;
	int rc = famfs_run_path(fs_uuid, "mount", path, sizeof(path), NULL);

	if (rc)
		return rc;
	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	rc = fscanf(fp, "%u %llx", &s, &n) == 2 ? 0 : -EINVAL;
	fclose(fp);
	*slot = s;
	*nonce = n;
	return rc;
}

void famfs_mount_record_remove(const uint8_t fs_uuid[16])
{
	char path[PATH_MAX];

	if (!famfs_run_path(fs_uuid, "mount", path, sizeof(path), NULL))
		unlink(path);
}
