/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devdax backend's pieces: discovery of the device and its memory
 * (devdax_discover.c), the open and the lifetime (backend_devdax.c), and
 * the dax_device, either the module's own on a stock kernel
 * (devdax_stock.c) or the kernel's (devdax_kernel.c, CONFIG_DEV_DAX_IOMAP).
 */
#ifndef FAMFS_DEVDAX_H
#define FAMFS_DEVDAX_H

#include <linux/kref.h>
#include <linux/fs_context.h>
#include "backend.h"

struct famfs_devdax_range {
	u64 dev_off;		/* byte offset within /dev/daxX.Y */
	u64 phys;
	u64 len;
};

struct famfs_devdax {
	struct kref ref;	/* the mount and the removal hook */
	struct super_block *sb;	/* NULL once unmounted (famfs_teardown_lock) */
	struct super_block *holder;
	struct file *file;	/* the open device: pins device_dax */
	struct device *dev;	/* the dev_dax device, referenced */
	struct dax_device *dax_dev;
	bool kernel_ops;	/* dax_device and its ops are the kernel's */
	u32 nr_ranges;
	struct famfs_devdax_range ranges[] __counted_by(nr_ranges);
};

/* devdax_discover.c */
int famfs_devdax_identify(dev_t devt, struct fs_context *fc);
struct device *famfs_devdax_device(struct file *file);
struct famfs_devdax *famfs_devdax_ranges(struct device *dev,
					 struct fs_context *fc);
int famfs_devdax_check_pages(struct famfs_devdax *dd, bool single_host,
			     struct fs_context *fc);

/* backend_devdax.c */
void famfs_devdax_free(struct kref *ref);

/* devdax_stock.c or devdax_kernel.c: claim or make the dax_device */
int famfs_devdax_get_dax(struct famfs_devdax *dd, struct fs_context *fc);
void famfs_devdax_close(struct famfs_dev *fdev);

#endif /* FAMFS_DEVDAX_H */
