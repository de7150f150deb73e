// SPDX-License-Identifier: GPL-2.0
/*
 * pmem backend: a block device whose driver provides dax_operations
 * (/dev/pmemN, fsdax namespaces). fs/dax uses its dax_device as is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>
#include "famfs.h"
#include "compat.h"

struct famfs_pmem {
	struct famfs_bdev_ref bdev;
	struct super_block *sb;
};

static void famfs_pmem_close(struct famfs_dev *fdev)
{
	struct famfs_pmem *pmem = fdev->priv;

	fs_put_dax(fdev->dax_dev, pmem->sb);
	famfs_bdev_close(&pmem->bdev);
	kfree(pmem);
}

/* The pfn of the device's first page, for famfs_check_pagemap(). */
static int famfs_pmem_first_pfn(struct famfs_dev *fdev, unsigned long *out)
{
	long avail;
	pfn_t pfn;
	int id;

	id = dax_read_lock();
	avail = dax_direct_access(fdev->dax_dev, PHYS_PFN(fdev->start_off), 1,
				  DAX_ACCESS, NULL, &pfn);
	dax_read_unlock(id);
	if (avail <= 0)
		return avail ? avail : -EIO;
	*out = pfn_t_to_pfn(pfn);
	return 0;
}

int famfs_pmem_open(struct famfs_dev *fdev, dev_t devt, struct super_block *sb,
		    bool single_host, struct fs_context *fc)
{
	unsigned long pfn;
	struct famfs_pmem *pmem;
	struct block_device *bdev;
	int rc;

	pmem = kzalloc(sizeof(*pmem), GFP_KERNEL);
	if (!pmem)
		return -ENOMEM;
	pmem->sb = sb;
	rc = famfs_bdev_open(&pmem->bdev, devt, sb);
	if (rc) {
		kfree(pmem);
		return famfs_mount_error(fc, rc, "%s: cannot open block device",
					 fc->source);
	}
	bdev = famfs_bdev(&pmem->bdev);
	fdev->dax_dev = fs_dax_get_by_bdev(bdev, &fdev->start_off, sb,
					   &famfs_holder_ops);
	if (!fdev->dax_dev) {
		famfs_bdev_close(&pmem->bdev);
		kfree(pmem);
		return famfs_mount_error(fc, -EOPNOTSUPP,
					 "%pg is not DAX-capable or its dax device is in use",
					 bdev);
	}
	fdev->size = bdev_nr_bytes(bdev);
	fdev->backend = FAMFS_BACKEND_PMEM;
	fdev->priv = pmem;
	fdev->close = famfs_pmem_close;
	/* From here on, a failure is undone by fdev->close at kill_sb. */
	rc = famfs_pmem_first_pfn(fdev, &pfn);
	if (rc)
		return famfs_mount_error(fc, rc, "%pg: cannot reach its memory", bdev);
	return famfs_check_pagemap(pfn, fc->source, single_host, fc);
}
