// SPDX-License-Identifier: GPL-2.0
/*
 * Where a device's struct pages live. An nvdimm namespace made with
 * map=dev (ndctl's default) keeps them on the device, where hosts that
 * share the memory overwrite each other's; famfs.ko refuses to mount such
 * a device unless told it is single-host. sysfs says which: the
 * namespace's pfn instance (fsdax) or dax instance (devdax) has a "mode"
 * of "pmem" (on the device) or "ram", and names its namespace.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "famfs/libfamfs.h"
#include "internal.h"

/*
 * The sysfs directory of the nvdimm instance that holds the pages: the
 * parent of a dax device, the parent device of a pmem disk.
 */
static int instance_dir(const struct stat *st, char *dir, size_t len)
{
	const char *fmt = S_ISCHR(st->st_mode) ? "/sys/dev/char/%u:%u/.." :
			  "/sys/dev/block/%u:%u/device";

	if (!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode))
		return -ENODEV;
	snprintf(dir, len, fmt, major(st->st_rdev), minor(st->st_rdev));
	return 0;
}

int famfs_device_memmap(const char *path, struct famfs_memmap_info *mi)
{
	char dir[PATH_MAX], file[PATH_MAX + 16], mode[32];
	struct stat st;

	memset(mi, 0, sizeof(*mi));
	if (stat(path, &st) < 0)
		return -errno;
	if (instance_dir(&st, dir, sizeof(dir)))
		return 0;
	mi->devdax = S_ISCHR(st.st_mode);
	snprintf(file, sizeof(file), "%s/mode", dir);
	if (famfs_sysfs_read(file, mode, sizeof(mode)))
		return 0;
	if (!strcmp(mode, "pmem"))
		mi->where = FAMFS_MEMMAP_DEVICE;
	else if (!strcmp(mode, "ram"))
		mi->where = FAMFS_MEMMAP_RAM;
	snprintf(file, sizeof(file), "%s/namespace", dir);
	if (famfs_sysfs_read(file, mi->namespace, sizeof(mi->namespace)))
		mi->namespace[0] = '\0';
	return 0;
}
