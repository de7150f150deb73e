// SPDX-License-Identifier: GPL-2.0
/*
 * Devices famfs lives on: a devdax character device, a block device with
 * DAX (pmem), or a regular file (images, tests). Each is mapped MAP_SHARED
 * in one piece; everything else is refused with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "famfs/libfamfs.h"
#include "internal.h"

const char *famfs_dev_kind_name(enum famfs_dev_kind kind)
{
	switch (kind) {
	case FAMFS_DEV_FILE:
		return "image file";
	case FAMFS_DEV_DAX:
		return "devdax";
	case FAMFS_DEV_PMEM:
		return "pmem";
	}
	return "unknown";
}

static const char *file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "directory";
	if (S_ISFIFO(mode))
		return "fifo";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISLNK(mode))
		return "symbolic link";
	return "unknown file type";
}

static int devdax_size(const char *sysdir, uint64_t *size)
{
	char path[PATH_MAX], buf[64], *end;

	snprintf(path, sizeof(path), "%s/size", sysdir);
	if (famfs_sysfs_read(path, buf, sizeof(buf)))
		return -ENODEV;
	errno = 0;
	*size = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -ENODEV;
	return 0;
}

/* A devdax device is a character device whose sysfs subsystem is "dax". */
static int check_char(const char *path, const struct stat *st, uint64_t *size,
		      struct famfs_error *err)
{
	char sysdir[64], link[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(sysdir, sizeof(sysdir), "/sys/dev/char/%u:%u",
		 major(st->st_rdev), minor(st->st_rdev));
	snprintf(link, sizeof(link), "%s/subsystem", sysdir);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return famfs_error_set(err, -ENODEV,
				       "%s: not a famfs-capable device (character device unknown to sysfs)",
				       path);
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strcmp(base, "dax"))
		return famfs_error_set(err, -ENODEV,
				       "%s: not a famfs-capable device (character device of class %s, not devdax)",
				       path, base);
	if (devdax_size(sysdir, size))
		return famfs_error_set(err, -ENODEV,
				       "%s: cannot read the devdax size from %s/size",
				       path, sysdir);
	return 0;
}

/* A partition has no queue directory of its own: look at its disk's. */
static bool block_has_dax(const struct stat *st)
{
	static const char *const fmt[] = {
		"/sys/dev/block/%u:%u/queue/dax",
		"/sys/dev/block/%u:%u/../queue/dax",
	};
	char path[96], buf[16];
	size_t i;

	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		snprintf(path, sizeof(path), fmt[i], major(st->st_rdev),
			 minor(st->st_rdev));
		if (!famfs_sysfs_read(path, buf, sizeof(buf)))
			return !strcmp(buf, "1");
	}
	return false;
}

static int check_type(const char *path, const struct stat *st,
		      enum famfs_dev_kind *kind, struct famfs_error *err)
{
	if (S_ISREG(st->st_mode)) {
		*kind = FAMFS_DEV_FILE;
		return 0;
	}
	if (S_ISCHR(st->st_mode)) {
		*kind = FAMFS_DEV_DAX;
		return 0;
	}
	if (S_ISBLK(st->st_mode)) {
		*kind = FAMFS_DEV_PMEM;
		if (block_has_dax(st))
			return 0;
		return famfs_error_set(err, -ENODEV,
				       "%s: not a famfs-capable device (block device without DAX)",
				       path);
	}
	return famfs_error_set(err, -ENODEV,
			       "%s: not a famfs-capable device (%s)", path,
			       file_type_name(st->st_mode));
}

static int device_size(struct famfs_device *dev, const struct stat *st,
		       struct famfs_error *err)
{
	switch (dev->kind) {
	case FAMFS_DEV_FILE:
		dev->size = st->st_size;
		return 0;
	case FAMFS_DEV_DAX:
		return check_char(dev->path, st, &dev->size, err);
	case FAMFS_DEV_PMEM:
		if (ioctl(dev->fd, BLKGETSIZE64, &dev->size) < 0)
			return famfs_error_set(err, -errno,
					       "%s: cannot get the block device size: %s",
					       dev->path, strerror(errno));
		return 0;
	}
	return -ENODEV;
}

static int device_map(struct famfs_device *dev, struct famfs_error *err)
{
	int prot = PROT_READ | (dev->writable ? PROT_WRITE : 0);
	void *p;

	if (!dev->size)
		return famfs_error_set(err, -ENODEV,
				       "%s: not a famfs-capable device (empty)",
				       dev->path);
	if (dev->size > SIZE_MAX)
		return famfs_error_set(err, -EFBIG, "%s: too large to map",
				       dev->path);
	p = mmap(NULL, dev->size, prot, MAP_SHARED, dev->fd, 0);
	if (p == MAP_FAILED)
		return famfs_error_set(err, -errno, "%s: cannot map %llu bytes: %s",
				       dev->path,
				       (unsigned long long)dev->size,
				       strerror(errno));
	dev->base = p;
	return 0;
}

/*
 * A pmem block device is mapped through this host's page cache, which keeps
 * what an earlier open read even after another host has written the memory.
 * Dropping the clean cached pages first makes the new mapping read the
 * device. Pages someone still maps stay; nothing here keeps one mapped.
 */
static void drop_cached_pages(const struct famfs_device *dev)
{
	if (dev->kind == FAMFS_DEV_PMEM)
		posix_fadvise(dev->fd, 0, 0, POSIX_FADV_DONTNEED);
}

static int device_setup(struct famfs_device *dev, const char *path,
			unsigned int flags, struct famfs_error *err)
{
	int oflags = O_CLOEXEC | O_NOCTTY;
	struct stat st;
	int rc;

	if (stat(path, &st) < 0)
		return famfs_error_set(err, -errno, "%s: %s", path,
				       strerror(errno));
	rc = check_type(path, &st, &dev->kind, err);
	if (rc)
		return rc;
	dev->writable = flags & FAMFS_DEV_RDWR;
	oflags |= dev->writable ? O_RDWR : O_RDONLY;
	dev->fd = open(path, oflags);
	if (dev->fd < 0)
		return famfs_error_set(err, -errno, "%s: cannot open: %s", path,
				       strerror(errno));
	/* The node may have changed between stat and open: check what we got. */
	if (fstat(dev->fd, &st) < 0)
		return famfs_error_set(err, -errno, "%s: %s", path,
				       strerror(errno));
	rc = check_type(path, &st, &dev->kind, err);
	if (!rc)
		rc = device_size(dev, &st, err);
	if (rc)
		return rc;
	drop_cached_pages(dev);
	if (dev->kind == FAMFS_DEV_FILE && (flags & FAMFS_DEV_NOMAP))
		return 0;
	return device_map(dev, err);
}

int famfs_device_open(struct famfs_device *dev, const char *path,
		      unsigned int flags, struct famfs_error *err)
{
	int rc;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	dev->path = strdup(path);
	if (!dev->path)
		return famfs_error_set(err, -ENOMEM, "%s: out of memory", path);
	rc = device_setup(dev, path, flags, err);
	if (rc)
		famfs_device_close(dev);
	return rc;
}

void famfs_device_close(struct famfs_device *dev)
{
	if (dev->base) {
		if (dev->writable)
			msync(dev->base, dev->size, MS_SYNC);
		munmap(dev->base, dev->size);
	}
	if (dev->fd >= 0)
		close(dev->fd);
	free(dev->path);
	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
}

/*
 * The CPU cache flush is what makes devdax bytes durable and visible. A
 * pmem block device mapped through its page cache also needs the pages
 * written to the device. An image file's MAP_SHARED pages are already what
 * every other mapper (another process, a guest sharing the file) sees;
 * close() writes them back.
 */
void famfs_device_flush(const struct famfs_device *dev, uint64_t off,
			uint64_t len)
{
	uint64_t start;

	famfs_flush(dev->base + off, len);
	if (dev->kind != FAMFS_DEV_PMEM)
		return;
	start = off & ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
	msync(dev->base + start, off + len - start, MS_SYNC);
}

/* Undo mountinfo's octal escapes (\040 for a space, ...) in place. */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					(s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* Split one mountinfo line into its dev_t, mount point and source. */
static bool mountinfo_parse(char *line, unsigned int *maj, unsigned int *min,
			    char **mnt, char **source)
{
	char *sep = strstr(line, " - ");
	char *save, *tok;
	int i;

	if (!sep)
		return false;
	*sep = '\0';
	tok = strtok_r(line, " ", &save);
	for (i = 0; tok && i < 4; i++) {
		if (i == 2 && sscanf(tok, "%u:%u", maj, min) != 2)
			return false;
		tok = strtok_r(NULL, " ", &save);
	}
	if (!tok)
		return false;
	*mnt = tok;				/* field 5: mount point */
	strtok_r(sep + 3, " ", &save);		/* file system type */
	*source = strtok_r(NULL, " ", &save);
	if (!*source)
		return false;
	unescape(*mnt);
	unescape(*source);
	return true;
}

static bool mount_matches(const char *dev_real, const struct stat *st,
			  unsigned int maj, unsigned int min,
			  const char *source)
{
	char src_real[PATH_MAX];

	if (S_ISBLK(st->st_mode) && major(st->st_rdev) == maj &&
	    minor(st->st_rdev) == min)
		return true;
	return source[0] == '/' && realpath(source, src_real) &&
	       !strcmp(src_real, dev_real);
}

int famfs_device_mounted(const char *path, const char *mountinfo,
			 char **where)
{
	char dev_real[PATH_MAX], *line = NULL, *mnt, *source;
	unsigned int maj, min;
	size_t cap = 0;
	struct stat st;
	int found = 0;
	FILE *f;

	if (!realpath(path, dev_real) || stat(dev_real, &st) < 0)
		return -errno;
	f = fopen(mountinfo ? mountinfo : "/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (!found && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!mountinfo_parse(line, &maj, &min, &mnt, &source))
			continue;
		found = mount_matches(dev_real, &st, maj, min, source);
		if (found && where)
			*where = strdup(mnt);
	}
	free(line);
	fclose(f);
	return found;
}
