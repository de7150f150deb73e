// SPDX-License-Identifier: GPL-2.0
/*
 * A device about to become a member (mkfs.famfs DEV0 DEV1 ..., famfs
 * device add): not mounted, large enough, and holding no famfs superblock
 * or member label unless the user forces it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uuid/uuid.h>

#include "core/internal.h"

int famfs_dev_check_not_mounted(const char *path, const char *mountinfo,
				struct famfs_error *err)
{
	char *where = NULL;
	int rc;

	rc = famfs_device_mounted(path, mountinfo, &where);
	if (rc < 0)
		return famfs_error_set(err, rc, "%s: cannot read %s: %s", path,
				       mountinfo ? mountinfo : "/proc/self/mountinfo",
				       strerror(-rc));
	if (rc) {
		famfs_error_set(err, -EBUSY, "%s: mounted on %s", path,
				where ? where : "?");
		free(where);
		return -EBUSY;
	}
	return 0;
}

int famfs_dev_check_unused(const struct famfs_device *dev, bool force,
			   struct famfs_error *err)
{
	struct famfs_member_info m;
	struct famfs_sb_info old;
	uint8_t fs_uuid[16];
	char u[40];

	if (force)
		return 0;
	if (dev->size >= sizeof(struct famfs_superblock) &&
	    !famfs_sb_decode(dev->base, dev->size, &old))
		return famfs_error_set(err, -EEXIST,
				       "%s: already holds a famfs file system (use -f to overwrite)",
				       dev->path);
	if (famfs_label_read_dev(dev, fs_uuid, &m))
		return 0;
	uuid_unparse_lower(fs_uuid, u);
	return famfs_error_set(err, -EEXIST,
			       "%s: already member %u of famfs %s (use -f to overwrite)",
			       dev->path, m.index, u);
}

int famfs_member_dev_open(struct famfs_device *dev, const char *path,
			  bool force, const char *mountinfo,
			  struct famfs_error *err)
{
	uint64_t need = FAMFS_MEMBER_DATA_OFFSET + FAMFS_ALLOC_UNIT;
	struct stat st;
	int rc;

	/* Mounted first, as mkfs checks its device: see famfs_mkfs(). */
	if (!stat(path, &st)) {
		rc = famfs_dev_check_not_mounted(path, mountinfo, err);
		if (rc)
			return rc;
	}
	rc = famfs_device_open(dev, path, FAMFS_DEV_RDWR, err);
	if (rc)
		return rc;
	if (dev->size < need)
		rc = famfs_error_set(err, -ENOSPC,
				     "%s: too small for a member (%llu bytes): needs %llu MiB (a %llu MiB label area and one %llu MiB data unit)",
				     path, (unsigned long long)dev->size,
				     (unsigned long long)(need / FAMFS_MIB),
				     FAMFS_MEMBER_DATA_OFFSET / FAMFS_MIB,
				     FAMFS_ALLOC_UNIT / FAMFS_MIB);
	else
		rc = famfs_dev_check_unused(dev, force, err);
	if (rc)
		famfs_device_close(dev);
	return rc;
}

/* A member's usable bytes: whole allocation units. */
uint64_t famfs_member_usable(const struct famfs_device *dev)
{
	return dev->size - dev->size % FAMFS_ALLOC_UNIT;
}
