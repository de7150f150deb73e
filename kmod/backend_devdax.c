// SPDX-License-Identifier: GPL-2.0
/*
 * devdax backend: a /dev/daxX.Y character device (device_dax driver).
 *
 * A stock kernel creates device-dax dax_devices without dax_operations, so
 * fs/dax cannot use them. This backend finds the device's memory ranges and
 * serves them through a dax_device of its own. When the kernel provides the
 * operations itself (CONFIG_DEV_DAX_IOMAP), its dax_device is used instead.
 *
 * The ranges are read from the device's documented sysfs attributes
 * (mappingN/{start,end,page_offset}, see Documentation/ABI/testing/
 * sysfs-bus-dax) by calling their show() methods: struct dev_dax is
 * private to drivers/dax, its attributes are not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/dax.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uio.h>
#include "famfs.h"
#include "compat.h"

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

/* ---- device discovery ---------------------------------------------- */

static struct device_attribute *famfs_dev_attr(struct device *dev,
					       const char *name)
{
	const struct attribute_group **grp;
	struct attribute **attr;

	if (!dev->type || !dev->type->groups)
		return NULL;
	for (grp = dev->type->groups; *grp; grp++)
		for (attr = (*grp)->attrs; attr && *attr; attr++)
			if (!strcmp((*attr)->name, name))
				return container_of(*attr,
						    struct device_attribute,
						    attr);
	return NULL;
}

static int famfs_dev_attr_u64(struct device *dev, const char *name, u64 *val)
{
	struct device_attribute *da = famfs_dev_attr(dev, name);
	ssize_t len;
	char *buf;
	int rc;

	if (!da || !da->show)
		return -ENODEV;
	buf = (char *)get_zeroed_page(GFP_KERNEL);	/* show() gets a page */
	if (!buf)
		return -ENOMEM;
	len = da->show(dev, da, buf);
	rc = len < 0 ? len : kstrtou64(strim(buf), 0, val);
	free_page((unsigned long)buf);
	return rc;
}

/* The dev_dax device behind an open character device, if it is one. */
static struct device *famfs_devdax_device(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct device *dev;

	if (!inode->i_cdev || !inode->i_cdev->kobj.parent)
		return NULL;
	dev = kobj_to_dev(inode->i_cdev->kobj.parent);
	if (!dev->bus || strcmp(dev->bus->name, "dax") ||
	    dev->devt != inode->i_rdev)
		return NULL;
	return dev;
}

static bool famfs_is_mapping_dev(struct device *dev)
{
	return !strncmp(dev_name(dev), "mapping", 7);
}

static int famfs_count_mapping(struct device *dev, void *data)
{
	if (famfs_is_mapping_dev(dev))
		(*(u32 *)data)++;
	return 0;
}

struct famfs_mapping_ctx {
	struct famfs_devdax *dd;
	u32 filled;
};

static int famfs_read_mapping(struct device *dev, void *data)
{
	struct famfs_mapping_ctx *ctx = data;
	struct famfs_devdax_range *r;
	u64 start, end, pgoff;
	int rc;

	if (!famfs_is_mapping_dev(dev))
		return 0;
	if (ctx->filled == ctx->dd->nr_ranges)
		return -EAGAIN;	/* more mappings than counted: raced */
	rc = famfs_dev_attr_u64(dev, "start", &start) ?:
	     famfs_dev_attr_u64(dev, "end", &end) ?:
	     famfs_dev_attr_u64(dev, "page_offset", &pgoff);
	if (rc)
		return rc;
	if (end < start)
		return -EINVAL;
	r = &ctx->dd->ranges[ctx->filled++];
	r->phys = start;
	r->len = end - start + 1;
	r->dev_off = PFN_PHYS(pgoff);
	return 0;
}

static int famfs_cmp_range(const void *a, const void *b)
{
	const struct famfs_devdax_range *x = a, *y = b;

	return x->dev_off < y->dev_off ? -1 : x->dev_off > y->dev_off;
}

/* Ranges sorted by device offset must tile [0, size) with whole pages. */
static int famfs_check_ranges(struct famfs_devdax *dd, u64 size)
{
	u64 next = 0;
	u32 i;

	sort(dd->ranges, dd->nr_ranges, sizeof(dd->ranges[0]),
	     famfs_cmp_range, NULL);
	for (i = 0; i < dd->nr_ranges; i++) {
		struct famfs_devdax_range *r = &dd->ranges[i];

		if (r->dev_off != next || !PAGE_ALIGNED(r->phys) ||
		    !PAGE_ALIGNED(r->len))
			return -EINVAL;
		next += r->len;
	}
	return next == size && size ? 0 : -EINVAL;
}

static struct famfs_devdax *famfs_devdax_ranges(struct device *dev,
						struct fs_context *fc)
{
	struct famfs_mapping_ctx ctx = {};
	struct famfs_devdax *dd;
	u32 n = 0;
	u64 size;
	int rc;

	rc = famfs_dev_attr_u64(dev, "size", &size);
	if (rc)
		return ERR_PTR(rc);
	device_for_each_child(dev, &n, famfs_count_mapping);
	if (!n)
		return ERR_PTR(-ENODEV);
	dd = kzalloc(struct_size(dd, ranges, n), GFP_KERNEL);
	if (!dd)
		return ERR_PTR(-ENOMEM);
	dd->nr_ranges = n;
	ctx.dd = dd;
	rc = device_for_each_child(dev, &ctx, famfs_read_mapping);
	if (!rc && ctx.filled != n)
		rc = -EAGAIN;	/* fewer mappings than counted: raced */
	if (!rc)
		rc = famfs_check_ranges(dd, size);
	if (rc) {
		kfree(dd);
		return ERR_PTR(famfs_mount_error(fc, rc,
						 "%s: cannot read its memory ranges",
						 dev_name(dev)));
	}
	return dd;
}

/* Every range's pages must suit fs/dax and this mount (pagemap.c). */
static int famfs_check_pages(struct famfs_devdax *dd, bool single_host,
			     struct fs_context *fc)
{
	int rc;
	u32 i;

	for (i = 0; i < dd->nr_ranges; i++) {
		rc = famfs_check_pagemap(PHYS_PFN(dd->ranges[i].phys),
					 dev_name(dd->dev), single_host, fc);
		if (rc)
			return rc;
	}
	return 0;
}

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

/* ---- lifetime and removal ------------------------------------------ */

static void famfs_devdax_free(struct kref *ref)
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

#if IS_ENABLED(CONFIG_DEV_DAX_IOMAP)
/* ---- the kernel's dax_device and operations ------------------------- */

static int famfs_devdax_get_dax(struct famfs_devdax *dd, struct fs_context *fc)
{
	struct dax_device *dax_dev = dax_dev_get(file_inode(dd->file)->i_rdev);
	int rc;

	if (!dax_dev)
		return famfs_mount_error(fc, -ENXIO, "%s: no live dax device",
					 dev_name(dd->dev));
	rc = fs_dax_get(dax_dev, dd->holder, &famfs_holder_ops);
	if (rc) {
		put_dax(dax_dev);
		return famfs_mount_error(fc, rc, "%s: cannot claim the dax device",
					 dev_name(dd->dev));
	}
	dd->dax_dev = dax_dev;
	dd->kernel_ops = true;
	return 0;
}

/* The kernel reports removal through notify_failure: nothing to unhook. */
static void famfs_devdax_close(struct famfs_dev *fdev)
{
	struct famfs_devdax *dd = fdev->priv;

	kref_put(&dd->ref, famfs_devdax_free);
}
#else
/* ---- the module's own dax_operations ------------------------------- */

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

/* ---- removal of the device under the module's own dax_device ------- */

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

static int famfs_devdax_get_dax(struct famfs_devdax *dd, struct fs_context *fc)
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

static void famfs_devdax_close(struct famfs_dev *fdev)
{
	struct famfs_devdax *dd = fdev->priv;

	lockdep_assert_held(&famfs_teardown_lock);
	dd->sb = NULL;
	/* -ENOENT: the removal hook already ran, or is running. */
	devres_release(dd->dev, famfs_devdax_removed, famfs_devdax_match, dd);
	kref_put(&dd->ref, famfs_devdax_free);
}
#endif

/* ---- open ------------------------------------------------------------ */

/*
 * Whether character device @devt is on the dax bus, asked of sysfs
 * (/sys/dev/char/MAJ:MIN/subsystem, documented ABI) before anything opens
 * it: opening an arbitrary character device runs its driver's open, which
 * may arm a watchdog or make a tty the controlling terminal.
 */
static int famfs_devdax_identify(dev_t devt, struct fs_context *fc)
{
	char link[64], *buf, *name;
	struct path path;
	bool dax;
	int rc;

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/subsystem",
		 MAJOR(devt), MINOR(devt));
	rc = kern_path(link, LOOKUP_FOLLOW, &path);
	if (rc)
		return famfs_mount_error(fc, -EOPNOTSUPP,
					 "%s is not a DAX device (%s: %d)",
					 fc->source, link, rc);
	buf = __getname();
	if (!buf) {
		path_put(&path);
		return -ENOMEM;
	}
	name = d_path(&path, buf, PATH_MAX);
	dax = !IS_ERR(name) && !strcmp(name, "/sys/bus/dax");
	__putname(buf);
	path_put(&path);
	if (!dax)
		return famfs_mount_error(fc, -EOPNOTSUPP,
					 "%s is not a DAX device", fc->source);
	return 0;
}

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
	rc = famfs_check_pages(dd, single_host, fc);
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
	return 0;
}
