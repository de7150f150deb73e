// SPDX-License-Identifier: GPL-2.0
/*
 * devdax backend: a /dev/daxX.Y character device (device_dax driver). The
 * device is identified and its memory found (devdax_discover.c), then
 * served through a dax_device: the module's own on a stock kernel
 * (devdax_stock.c), or the kernel's (devdax_kernel.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/file.h>
#include <linux/dax.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "famfs.h"
#include "devdax.h"

/*
 * device_dax sets page->mapping on first fault and never clears it, which
 * makes fs/dax warn when famfs maps the same page later (mkfs and tools use
 * the raw device). While nobody maps the raw device, such values are stale:
 * drop them.
 */
static void famfs_devdax_scrub_mappings(struct famfs_devdax *dd)
{
	struct address_space *raw = dd->file->f_mapping;
	unsigned long pfn, end;
	u32 i;

	if (mapping_mapped(raw))
		return;
	for (i = 0; i < dd->nr_ranges; i++) {
		pfn = PHYS_PFN(dd->ranges[i].phys);
		end = pfn + PHYS_PFN(dd->ranges[i].len);
		for (; pfn < end; pfn++) {
			struct page *page = pfn_to_page(pfn);

			if (READ_ONCE(page->mapping) == raw)
				WRITE_ONCE(page->mapping, NULL);
			if (!(pfn % 4096))
				cond_resched();
		}
	}
}

/* ---- lifetime ------------------------------------------------------ */

void famfs_devdax_free(struct kref *ref)
{
	struct famfs_devdax *dd = container_of(ref, struct famfs_devdax, ref);

	if (dd->kernel_ops) {
		fs_put_dax(dd->dax_dev, dd->holder);
	} else if (dd->dax_dev) {
		kill_dax(dd->dax_dev);
		put_dax(dd->dax_dev);
	}
	put_device(dd->dev);
	if (dd->file)
		fput(dd->file);
	kfree(dd);
}

/* The mount's reference, after famfs_teardown_lock (struct famfs_dev). */
static void famfs_devdax_put(struct famfs_dev *fdev)
{
	struct famfs_devdax *dd = fdev->priv;

	kref_put(&dd->ref, famfs_devdax_free);
}

/* ---- open ---------------------------------------------------------- */

static struct famfs_devdax *famfs_devdax_probe(struct file *file,
					       bool single_host,
					       struct fs_context *fc)
{
	struct device *dev = famfs_devdax_device(file);
	struct famfs_devdax *dd;
	int rc;

	if (!dev)
		return ERR_PTR(famfs_mount_error(fc, -EOPNOTSUPP,
						 "%s is not a DAX device",
						 fc->source));
	dd = famfs_devdax_ranges(dev, fc);
	if (IS_ERR(dd))
		return dd;
	kref_init(&dd->ref);
	dd->dev = get_device(dev);
	rc = famfs_devdax_check_pages(dd, single_host, fc);
	if (rc) {
		kref_put(&dd->ref, famfs_devdax_free);
		return ERR_PTR(rc);
	}
	dd->file = file;	/* from here on, dd owns the open file */
	return dd;
}

int famfs_devdax_open(struct famfs_dev *fdev, const struct path *path,
		      struct super_block *sb, bool single_host,
		      struct fs_context *fc)
{
	struct famfs_devdax *dd;
	struct file *file;
	u64 size = 0;
	u32 i;
	int rc;

	rc = famfs_devdax_identify(d_backing_inode(path->dentry)->i_rdev, fc);
	if (rc)
		return rc;
	file = dentry_open(path, O_RDWR | O_LARGEFILE | O_NOCTTY, current_cred());
	if (IS_ERR(file)) {
		rc = PTR_ERR(file);
		if (rc == -ENXIO)
			return famfs_mount_error(fc, rc,
						 "%s has no device-dax driver (in system-ram/kmem mode?); use daxctl reconfigure-device --mode=devdax",
						 fc->source);
		return famfs_mount_error(fc, rc, "cannot open %s", fc->source);
	}
	dd = famfs_devdax_probe(file, single_host, fc);
	if (IS_ERR(dd)) {
		fput(file);
		return PTR_ERR(dd);
	}
	dd->sb = sb;
	dd->holder = sb;
	rc = famfs_devdax_get_dax(dd, fc);
	if (rc) {
		kref_put(&dd->ref, famfs_devdax_free);
		return rc == -ENXIO ? famfs_mount_error(fc, rc, "%s was unbound or rebound",
							fc->source) : rc;
	}
	/* Only once the removal hook holds the pages in place. */
	famfs_devdax_scrub_mappings(dd);
	for (i = 0; i < dd->nr_ranges; i++)
		size += dd->ranges[i].len;
	pr_info("%s: %u range(s), first at %#llx, %s dax operations\n",
		dev_name(dd->dev), dd->nr_ranges, dd->ranges[0].phys,
		dd->kernel_ops ? "kernel" : "famfs");
	fdev->dax_dev = dd->dax_dev;
	fdev->start_off = 0;
	fdev->size = size;
	fdev->backend = dd->kernel_ops ? FAMFS_BACKEND_DEVDAX_KERNEL :
			FAMFS_BACKEND_DEVDAX;
	fdev->priv = dd;
	fdev->close = famfs_devdax_close;
	fdev->put = famfs_devdax_put;
	return 0;
}
