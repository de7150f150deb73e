// SPDX-License-Identifier: GPL-2.0
/*
 * The master writes a new file's data on the members its extents name:
 * through a window file of the mount per member (a FAMFS_MAP_WINDOW map
 * of the member's data area, so every byte goes through famfs.ko), or,
 * offline, through each member's device, found by its label.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "internal.h"

/* FAMFS_META_DATA for member 0, FAMFS_META_DATA<N> for member N. */
static void window_name(uint32_t member, char *buf, size_t len)
{
	if (member)
		snprintf(buf, len, "%s%u", FAMFS_META_DATA, member);
	else
		snprintf(buf, len, "%s", FAMFS_META_DATA);
}

static int open_window(struct famfs_fs *fs, uint32_t member,
		       struct famfs_error *err)
{
	const struct famfs_geometry *g = &fs->log.sb.geo;
	struct famfs_ioc_extent ext = {
		.dev_index = member,
		.offset = famfs_geo_data_start(g, member),
		.len = g->member_size[member] - famfs_geo_data_start(g, member),
	};
	struct famfs_ioc_map map = {
		.file_size = ext.len, .file_type = FAMFS_FILE_REG,
		.flags = FAMFS_MAP_WINDOW,
		.n_extents = 1, .extents = (uintptr_t)&ext,
	};
	char name[sizeof(FAMFS_META_DATA) + 12];
	int fd, rc;

	window_name(member, name, sizeof(name));
	fd = openat(fs->root_fd, name, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		rc = famfs_local_map(fs->root_fd, name, S_IFREG | 0600, &map, err);
		if (rc)
			return rc;
		fd = openat(fs->root_fd, name, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s/%s: %s", fs->root, name,
				       strerror(errno));
	fs->data_fd[member] = fd;
	return 0;
}

/* Offline: the device whose label names member, mapped for writing. */
static int open_member_dev(struct famfs_fs *fs, uint32_t member,
			   struct famfs_error *err)
{
	const struct famfs_sb_info *sb = &fs->log.sb;
	struct famfs_device *dev;
	char *path;
	int rc;

	rc = famfs_member_find(sb->fs_uuid, &sb->members[member], fs->device,
			       &path, err);
	if (rc)
		return rc;
	dev = malloc(sizeof(*dev));
	rc = dev ? famfs_device_open(dev, path, FAMFS_DEV_RDWR, err) :
		   famfs_error_set(err, -ENOMEM, "out of memory");
	free(path);
	if (rc) {
		free(dev);
		return rc;
	}
	fs->member_dev[member] = dev;
	return 0;
}

int famfs_fs_open_data(struct famfs_fs *fs, uint32_t member,
		       struct famfs_error *err)
{
	if (member >= fs->log.sb.geo.n_members)
		return famfs_error_set(err, -EINVAL,
				       "member %u: the file system has %u members",
				       member, fs->log.sb.geo.n_members);
	if (fs->data_fd[member] >= 0 || fs->member_dev[member] ||
	    (!fs->root && !member))
		return 0;
	return fs->root ? open_window(fs, member, err) :
			  open_member_dev(fs, member, err);
}

/* Offline: copy into the member's mapping and flush it. */
static void write_mapped(struct famfs_device *dev, uint64_t off,
			 const void *buf, size_t len)
{
	memcpy(dev->base + off, buf, len);
	famfs_device_flush(dev, off, len);
}

int famfs_fs_write(struct famfs_fs *fs, uint32_t member, uint64_t off,
		   const void *buf, size_t len, struct famfs_error *err)
{
	uint64_t start = famfs_geo_data_start(&fs->log.sb.geo, member);
	char at[FAMFS_PLACE_SHOWN];
	const char *p = buf;
	ssize_t n;

	if (!fs->root) {
		write_mapped(member ? fs->member_dev[member] : &fs->dev, off,
			     buf, len);
		return 0;
	}
	while (len) {
		n = pwrite(fs->data_fd[member], p, len, (off_t)(off - start));
		if (n <= 0)
			return famfs_error_set(err, n < 0 ? -errno : -EIO,
					       "writing %s: %s",
					       famfs_place_show(at, sizeof(at),
								member, off),
					       n < 0 ? strerror(errno) : "short write");
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

void famfs_fs_close_data(struct famfs_fs *fs)
{
	uint32_t i;

	for (i = 0; i < FAMFS_MAX_DEVICES; i++) {
		if (fs->data_fd[i] >= 0)
			close(fs->data_fd[i]);
		fs->data_fd[i] = -1;
		if (fs->member_dev[i])
			famfs_device_close(fs->member_dev[i]);
		free(fs->member_dev[i]);
		fs->member_dev[i] = NULL;
	}
}
