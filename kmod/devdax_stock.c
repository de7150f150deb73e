// SPDX-License-Identifier: GPL-2.0
/*
 * devdax on a stock kernel: device-dax creates its dax_device without
 * dax_operations, so fs/dax cannot use it. This file is every workaround
 * famfs needs for that, in one place. It assumes of the kernel (6.1, 6.12):
 *
 * 1. Device-dax memory is in the kernel direct map: memremap_pages() maps
 *    it there (arch_add_memory), as for pmem, so __va(phys) is a valid
 *    kernel address for it.
 * 2. Its pages are ZONE_DEVICE and order 0 (checked at mount, pagemap.c).
 * 3. alloc_dax(), run_dax(), kill_dax(), put_dax() and the set_dax_*
 *    flag setters are exported, and alloc_dax() may hand back a recycled
 *    object whose flags are stale: they are set on every mount.
 * 4. devres actions run at unbind in reverse order of addition, so an
 *    action added to the device once device_dax is bound runs before
 *    device_dax tears the memory down: that is the removal hook.
 * 5. Device-dax tracks no poison (no badblocks): there is nothing to
 *    recover, and no memory-failure hook tells famfs of a poisoned page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/dax.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>
#include <linux/uio.h>
#include "famfs.h"
#include "compat.h"
#include "devdax.h"

static const struct famfs_devdax_range *
famfs_devdax_find(const struct famfs_devdax *dd, u64 off)
{
	u32 i;

	for (i = 0; i < dd->nr_ranges; i++)
		if (off >= dd->ranges[i].dev_off &&
		    off - dd->ranges[i].dev_off < dd->ranges[i].len)
			return &dd->ranges[i];
	return NULL;
}

/*
 * kaddr is the kernel direct map: memremap_pages() maps device-dax memory
 * there (arch_add_memory), as pmem does for its own ZONE_DEVICE pages, so
 * no second mapping with other attributes is needed.
 */
static long famfs_devdax_direct_access(struct dax_device *dax_dev,
				       pgoff_t pgoff, long nr_pages,
				       enum dax_access_mode mode, void **kaddr,
				       pfn_t *pfn)
{
	struct famfs_devdax *dd = dax_get_private(dax_dev);
	const struct famfs_devdax_range *r;
	u64 off = PFN_PHYS(pgoff), phys;

	r = famfs_devdax_find(dd, off);
	if (!r)
		return -ERANGE;
	phys = r->phys + (off - r->dev_off);
	if (kaddr)
		*kaddr = __va(phys);
	if (pfn)
		*pfn = phys_to_pfn_t(phys, PFN_DEV | PFN_MAP);
	return min_t(u64, nr_pages, PHYS_PFN(r->len - (off - r->dev_off)));
}

static int famfs_devdax_zero_page_range(struct dax_device *dax_dev,
					pgoff_t pgoff, size_t nr_pages)
{
	void *kaddr;
	long avail;

	while (nr_pages) {
		avail = famfs_devdax_direct_access(dax_dev, pgoff, nr_pages,
						   DAX_ACCESS, &kaddr, NULL);
		if (avail <= 0)
			return avail ? avail : -EIO;
		pgoff += avail;
		nr_pages -= avail;
		for (; avail; avail--, kaddr += PAGE_SIZE)
			memcpy_flushcache(kaddr, page_address(ZERO_PAGE(0)),
					  PAGE_SIZE);
	}
	return 0;
}

/* No poison tracking here: write through, as pmem does for clean ranges. */
static size_t famfs_devdax_recovery_write(struct dax_device *dax_dev,
					  pgoff_t pgoff, void *addr,
					  size_t bytes, struct iov_iter *iter)
{
	return _copy_from_iter_flushcache(addr, bytes, iter);
}

static const struct dax_operations famfs_devdax_ops = {
	.direct_access		= famfs_devdax_direct_access,
	.zero_page_range	= famfs_devdax_zero_page_range,
	.recovery_write		= famfs_devdax_recovery_write,
};

/*
 * The device is being unbound (devres runs before device_dax tears down
 * its memory): fail the mount and stop every access to the memory. An
 * unmount under way finishes with the pages first (famfs_teardown_lock).
 */
static void famfs_devdax_removed(struct device *dev, void *res)
{
	struct famfs_devdax *dd = *(struct famfs_devdax **)res;

	/* No new direct_access from here on, then zap what is mapped. */
	kill_dax(dd->dax_dev);
	mutex_lock(&famfs_teardown_lock);
	if (dd->sb)
		famfs_dev_failed(dd->sb, "device removed");
	mutex_unlock(&famfs_teardown_lock);
	kref_put(&dd->ref, famfs_devdax_free);
}

static int famfs_devdax_match(struct device *dev, void *res, void *data)
{
	return *(struct famfs_devdax **)res == data;
}

static int famfs_devdax_watch_removal(struct famfs_devdax *dd)
{
	struct famfs_devdax **res;
	int rc = 0;

	res = devres_alloc(famfs_devdax_removed, sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	*res = dd;
	device_lock(dd->dev);
	/*
	 * device_dax itself, not just some driver: between probe and here the
	 * device may have been rebound to kmem, which hands its memory to the
	 * page allocator as System RAM.
	 */
	if (dd->dev->driver && !strcmp(dd->dev->driver->name, "device_dax")) {
		kref_get(&dd->ref);
		devres_add(dd->dev, res);
	} else {
		devres_free(res);
		rc = -ENXIO;
	}
	device_unlock(dd->dev);
	return rc;
}

int famfs_devdax_get_dax(struct famfs_devdax *dd, struct fs_context *fc)
{
	struct dax_device *dax_dev = alloc_dax(dd, &famfs_devdax_ops);

	if (IS_ERR(dax_dev))
		return PTR_ERR(dax_dev);
	/*
	 * Set the copy flags every time: alloc_dax() reuses slab objects
	 * without clearing them, so they would be whatever the last user
	 * left. Like pmem: writes flush (other hosts read this memory),
	 * reads use the machine-check safe copy.
	 */
	set_dax_nocache(dax_dev);
	set_dax_nomc(dax_dev);
	/*
	 * As the kernel's own device-dax operations do: a CPU cache flush
	 * makes a store visible to other hosts (MAP_SYNC is sound), and
	 * fsync/msync write dirty lines back (dax_flush).
	 */
	set_dax_synchronous(dax_dev);
	dax_write_cache(dax_dev, true);
	run_dax(dax_dev);
	dd->dax_dev = dax_dev;
	return famfs_devdax_watch_removal(dd);
}

void famfs_devdax_close(struct famfs_dev *fdev)
{
	struct famfs_devdax *dd = fdev->priv;
	void *res;

	lockdep_assert_held(&famfs_teardown_lock);
	dd->sb = NULL;
	/*
	 * Unhook without running the hook (it takes famfs_teardown_lock).
	 * NULL: the hook ran, or runs and waits for the lock; it puts its
	 * own reference then.
	 */
	res = devres_remove(dd->dev, famfs_devdax_removed, famfs_devdax_match, dd);
	if (res) {
		devres_free(res);
		/* Not the last: the mount's own goes in famfs_devdax_put(). */
		kref_put(&dd->ref, famfs_devdax_free);
	}
}
