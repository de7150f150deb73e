// SPDX-License-Identifier: GPL-2.0
/*
 * fsck of a device or an image file. A device is mapped, as every host
 * maps it. An image file is read with pread instead: another process may
 * cut it short while fsck runs (rewriting it, or a test), and a mapping of
 * a file that shrank raises SIGBUS at the next read past its new end,
 * killing fsck without a report. A SIGBUS handler would be process-wide
 * state in a library, and jumping out of it would leave the walk's
 * allocations behind; a copy of the metadata (the superblock area and the
 * log, 10 MiB by default) cannot shrink. A read that comes back short is
 * a file that shrank: the check goes on with what was read, and with the
 * smaller size, which it then reports against the superblock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"

/* Read up to len bytes at off; the bytes read (fewer at the end of the file). */
static ssize_t read_at(int fd, uint8_t *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, buf + done, len - done, off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		done += n;
	}
	return (ssize_t)done;
}

/* The metadata fsck reads: the superblock area and the log areas it claims. */
static size_t metadata_len(int fd, uint64_t size)
{
	uint8_t sb_buf[sizeof(struct famfs_superblock)];
	struct famfs_sb_info sb;
	uint64_t len = FAMFS_LOG_OFFSET + sizeof(struct famfs_log_header);

	if (read_at(fd, sb_buf, sizeof(sb_buf), 0) == sizeof(sb_buf) &&
	    !famfs_sb_decode(sb_buf, sizeof(sb_buf), &sb))
		len = famfs_geo_log_end(&sb.geo);
	return len < size ? len : size;
}

/* fsck of len bytes of metadata at buf (the superblock area, then the log). */
static int fsck_buf(const uint8_t *buf, size_t len, uint64_t size,
		    const struct famfs_fsck_ops *ops,
		    struct famfs_fsck_report *rep, struct famfs_error *err)
{
	size_t log_len = len > FAMFS_LOG_OFFSET ? len - FAMFS_LOG_OFFSET : 0;

	return famfs_fsck_mem(buf, len, buf + (log_len ? FAMFS_LOG_OFFSET : 0),
			      log_len, size, ops, rep, err);
}

static int fsck_image(const struct famfs_device *dev,
		      const struct famfs_fsck_ops *ops,
		      struct famfs_fsck_report *rep, struct famfs_error *err)
{
	size_t want = metadata_len(dev->fd, dev->size);
	uint64_t size = dev->size;
	uint8_t *buf = malloc(want ? want : 1);
	struct stat st;
	ssize_t got;
	int rc;

	if (!buf)
		return famfs_error_set(err, -ENOMEM, "%s: out of memory", dev->path);
	got = read_at(dev->fd, buf, want, 0);
	if (got < 0) {
		free(buf);
		return famfs_error_set(err, (int)got, "%s: cannot read: %s",
				       dev->path, strerror((int)-got));
	}
	if (!fstat(dev->fd, &st) && (uint64_t)st.st_size < size)
		size = st.st_size;
	rc = fsck_buf(buf, got, size, ops, rep, err);
	free(buf);
	return rc;
}

int famfs_fsck(const char *path, const struct famfs_fsck_ops *ops,
	       struct famfs_fsck_report *rep, struct famfs_error *err)
{
	struct famfs_device dev;
	int rc;

	rc = famfs_device_open(&dev, path, FAMFS_DEV_NOMAP, err);
	if (rc)
		return rc;
	if (dev.kind == FAMFS_DEV_FILE)
		rc = fsck_image(&dev, ops, rep, err);
	else
		rc = fsck_buf(dev.base, dev.size, dev.size, ops, rep, err);
	famfs_device_close(&dev);
	return rc;
}

int famfs_fsck_path(const char *path, const struct famfs_fsck_ops *ops,
		    struct famfs_fsck_report *rep, struct famfs_error *err)
{
	struct famfs_fs fs;
	struct stat st;
	bool offline;
	int rc;

	/* What fsck checks must exist: a missing path is not "not in famfs". */
	if (stat(path, &st) < 0)
		return famfs_error_set(err, -errno, "%s: %s", path,
				       strerror(errno));
	rc = famfs_fs_open_meta(&fs, path, &offline, err);
	if (rc)
		return rc;
	if (offline) {
		rc = famfs_fsck(path, ops, rep, err);
	} else {
		rc = famfs_fsck_mem(fs.sb_map, fs.sb_map_len, fs.log_map,
				    fs.log_map_len, fs.dev_size, ops, rep, err);
		path = fs.device;
	}
	if (!rc && rep->log_valid)
		famfs_fsck_members(path, ops, rep);
	if (!offline)
		famfs_fs_close(&fs);
	return rc;
}
