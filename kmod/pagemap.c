// SPDX-License-Identifier: GPL-2.0
/*
 * What fs/dax needs of the device's struct pages, checked at mount for
 * both backends:
 *
 * - they exist (ZONE_DEVICE): fs/dax records each mapped page's owner;
 * - they are not compound (devdax with align > 4K): fs/dax writes
 *   page->mapping on every pfn it maps, which would corrupt the metadata
 *   of compound pages;
 * - they do not live on the device itself (an nvdimm namespace made with
 *   map=dev, ndctl's default): hosts that share the memory would then
 *   share, and overwrite, each other's kernel page metadata. A user who
 *   knows no other host uses the memory says so with -o single_host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memremap.h>
#include <linux/mm.h>
#include "famfs.h"

int famfs_check_pagemap(unsigned long pfn, const char *name,
			bool single_host, struct fs_context *fc)
{
	struct dev_pagemap *pgmap = get_dev_pagemap(pfn, NULL);
	unsigned long shift;
	bool on_device;

	if (!pgmap)
		return famfs_mount_error(fc, -EOPNOTSUPP,
					 "%s: memory has no ZONE_DEVICE pages", name);
	shift = pgmap->vmemmap_shift;
	on_device = pgmap->flags & PGMAP_ALTMAP_VALID;
	put_dev_pagemap(pgmap);
	if (shift)
		return famfs_mount_error(fc, -EOPNOTSUPP,
					 "%s: align %lu uses compound pages; reconfigure it with align 4K (daxctl reconfigure-device --align=4096, or ndctl create-namespace --mode=devdax --align=4K)",
					 name, PAGE_SIZE << shift);
	if (on_device && !single_host)
		return famfs_mount_error(fc, -EOPNOTSUPP,
					 "%s: its struct pages live on the device (namespace map=dev), where other hosts sharing this memory would overwrite them; recreate the namespace with ndctl create-namespace --map=mem, or mount with -o single_host if no other host uses this memory",
					 name);
	return 0;
}
