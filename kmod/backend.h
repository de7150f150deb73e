/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A famfs backend turns the device named at mount into a dax_device that
 * fs/dax can use, plus the offset to add to device offsets.
 */
#ifndef FAMFS_BACKEND_H
#define FAMFS_BACKEND_H

#include <linux/types.h>
#include <linux/fs_context.h>
#include <linux/mutex.h>

struct dax_device;
struct path;
struct super_block;

struct famfs_dev {
	struct dax_device *dax_dev;
	u64 start_off;		/* added to every device offset (pmem partition) */
	u64 size;		/* bytes of the device */
	u32 backend;		/* enum famfs_backend */
	void *priv;		/* backend state */
	/* Under famfs_teardown_lock: detach the device from the mount. */
	void (*close)(struct famfs_dev *fdev);
	/*
	 * After famfs_teardown_lock (NULL: nothing to do): drop what is left.
	 * Freeing a dax device waits for the failure reports in flight
	 * (kill_dax, SRCU), and a report takes that lock.
	 */
	void (*put)(struct famfs_dev *fdev);
};

/*
 * Open the device behind @path for @sb. Errors are logged through @fc:
 *   -EOPNOTSUPP  not DAX-capable, or its pages do not suit famfs
 *                (famfs_check_pagemap(): compound, or on the device
 *                without @single_host)
 *   -ENXIO       devdax device not bound to device_dax (e.g. kmem)
 *   -EBUSY       already claimed by another holder
 */
int famfs_pmem_open(struct famfs_dev *fdev, dev_t devt, struct super_block *sb,
		    bool single_host, struct fs_context *fc);
int famfs_devdax_open(struct famfs_dev *fdev, const struct path *path,
		      struct super_block *sb, bool single_host,
		      struct fs_context *fc);

/* pagemap.c: the device's struct pages at @pfn suit fs/dax on this mount. */
int famfs_check_pagemap(unsigned long pfn, const char *name,
			bool single_host, struct fs_context *fc);

/* Refuse a mount: log the reason in the kernel log and in @fc; return @err. */
__printf(3, 4)
int famfs_mount_error(struct fs_context *fc, int err, const char *fmt, ...);

/* Called by backends when the device fails or goes away. */
void famfs_dev_failed(struct super_block *sb, const char *why);

/*
 * Held by unmount (kill_sb) from the eviction of the inodes to the detaching
 * of the devices (not their release: see struct famfs_dev's put), and by
 * whoever reports a failure or removal of a device (super.c). A report thus never meets a super block half torn down, and
 * the device's driver, which frees the struct pages only after its report
 * returns, never frees them under an eviction that still uses them.
 */
extern struct mutex famfs_teardown_lock;

#endif /* FAMFS_BACKEND_H */
