// SPDX-License-Identifier: GPL-2.0
/*
 * devdax discovery: whether a character device is device-dax, and its
 * memory ranges and pages, found without struct dev_dax (private to
 * drivers/dax, its layout changes) through what sysfs documents: the
 * device's bus (/sys/dev/char/MAJ:MIN/subsystem), and its attributes
 * size and mappingN/{start,end,page_offset} (Documentation/ABI/testing/
 * sysfs-bus-dax), read by calling their show() methods.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include "famfs.h"
#include "devdax.h"

/*
 * Whether character device @devt is on the dax bus, asked of sysfs
 * (/sys/dev/char/MAJ:MIN/subsystem, documented ABI) before anything opens
 * it: opening an arbitrary character device runs its driver's open, which
 * may arm a watchdog or make a tty the controlling terminal.
 */
int famfs_devdax_identify(dev_t devt, struct fs_context *fc)
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
struct device *famfs_devdax_device(struct file *file)
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

struct famfs_devdax *famfs_devdax_ranges(struct device *dev,
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
int famfs_devdax_check_pages(struct famfs_devdax *dd, bool single_host,
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
