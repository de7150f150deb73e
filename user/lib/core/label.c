// SPDX-License-Identifier: GPL-2.0
/*
 * Member labels (format 1.4): the 256 bytes at offset 0 of every member
 * but 0 that say which file system and index the device holds. They are
 * read and written through the device access mkfs uses, so a devdax
 * device (mmap only), a pmem disk and an image file are all alike.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int famfs_label_read_dev(const struct famfs_device *dev, uint8_t fs_uuid[16],
			 struct famfs_member_info *m)
{
	if (dev->size < FAMFS_LABEL_SIZE)
		return FAMFS_E_SHORT;
	famfs_invalidate(dev->base, FAMFS_LABEL_SIZE);
	return famfs_label_decode(dev->base, dev->size, fs_uuid, m);
}

int famfs_label_read(const char *path, uint8_t fs_uuid[16],
		     struct famfs_member_info *m, struct famfs_error *err)
{
	struct famfs_device dev;
	int rc;

	rc = famfs_device_open(&dev, path, 0, err);
	if (rc)
		return rc;
	rc = famfs_label_read_dev(&dev, fs_uuid, m);
	famfs_device_close(&dev);
	if (rc)
		return famfs_error_set(err, rc, "%s: member label: %s", path,
				       famfs_strerror(rc));
	return 0;
}

/* Encoded first, then copied and flushed as the superblock is. */
int famfs_label_write(struct famfs_device *dev, const uint8_t fs_uuid[16],
		      const struct famfs_member_info *m, struct famfs_error *err)
{
	uint8_t buf[FAMFS_LABEL_SIZE];
	int rc;

	rc = famfs_label_encode(fs_uuid, m, buf);
	if (rc)
		return famfs_error_set(err, rc, "%s: member label: %s",
				       dev->path, famfs_strerror(rc));
	memcpy(dev->base, buf, sizeof(buf));
	famfs_device_flush(dev, 0, sizeof(buf));
	return 0;
}
