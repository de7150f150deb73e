// SPDX-License-Identifier: GPL-2.0
/*
 * Failures that the device's driver reports to famfs as the dax holder:
 * pmem, and devdax with the kernel's own operations (CONFIG_DEV_DAX_IOMAP).
 * On a stock kernel the module's own devdax dax_device hears nothing: the
 * kernel handles a poisoned page itself there (see docs/kmod.md).
 *
 * A poisoned page is one page of one file, as on xfs: famfs names the file
 * in the kernel log and leaves the page to the kernel's own handling, which
 * marks it HWPoison and signals (SIGBUS) the processes that map it, through
 * page->mapping, which fs/dax set to the file's mapping. Every other page
 * and file keeps working. Only the removal of the whole device fails the
 * mount: kill_dax() reports it as a failure of every byte (length
 * U64_MAX), flagged MF_MEM_PRE_REMOVE since 6.7.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/dax.h>
#include "famfs.h"
#include "compat.h"

/* A page's failure: name the member and the file that holds it, if one does. */
static void famfs_page_failed(struct super_block *sb,
			      struct dax_device *dax_dev, u64 offset, u64 len)
{
	struct famfs_sb_info *sbi = FAMFS_SB(sb);
	struct famfs_member *m = famfs_member_find(sbi, dax_dev);

	if (m && offset >= m->dev.start_off)
		famfs_extents_report(&sbi->extents, sb, m->index,
				     offset - m->dev.start_off, len);
}

/*
 * The holder is read again under famfs_teardown_lock: an unmount that ran
 * meanwhile has released the device (fs_put_dax() clears the holder), and
 * its super block is gone.
 */
static int famfs_notify_failure(struct dax_device *dax_dev, u64 offset,
				u64 len, int mf_flags)
{
	bool removal = (mf_flags & FAMFS_MF_PRE_REMOVE) || len == U64_MAX;
	struct super_block *sb;

	mutex_lock(&famfs_teardown_lock);
	sb = dax_holder(dax_dev);
	/* A device MEMBER_ADD has not accepted yet is not the mount's. */
	if (sb && !famfs_member_find(FAMFS_SB(sb), dax_dev))
		sb = NULL;
	if (sb && removal)
		famfs_dev_failed(sb, "device removal");
	else if (sb)
		famfs_page_failed(sb, dax_dev, offset, len);
	mutex_unlock(&famfs_teardown_lock);
	/* A page: the kernel's generic handling does the rest. */
	return removal ? 0 : -EOPNOTSUPP;
}

const struct dax_holder_operations famfs_holder_ops = {
	.notify_failure	= famfs_notify_failure,
};
