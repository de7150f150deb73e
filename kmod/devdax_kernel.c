// SPDX-License-Identifier: GPL-2.0
/*
 * devdax with the kernel's own dax_operations (CONFIG_DEV_DAX_IOMAP, the
 * series in kmod/patches): famfs claims the kernel's dax_device as its
 * holder, and the kernel reports the device's removal to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/dax.h>
#include <linux/device.h>
#include "famfs.h"
#include "devdax.h"

int famfs_devdax_get_dax(struct famfs_devdax *dd, struct fs_context *fc)
{
	struct dax_device *dax_dev = dax_dev_get(file_inode(dd->file)->i_rdev);
	int rc;

	if (!dax_dev)
		return famfs_mount_error(fc, -ENXIO, "%s: no live dax device",
					 dev_name(dd->dev));
	rc = fs_dax_get(dax_dev, dd->holder, &famfs_holder_ops);
	if (rc) {
		put_dax(dax_dev);
		return famfs_mount_error(fc, rc, rc == -EBUSY ?
					 "%s: busy: held by a file system or mapped by a process" :
					 "%s: cannot claim the dax device",
					 dev_name(dd->dev));
	}
	dd->dax_dev = dax_dev;
	dd->kernel_ops = true;
	return 0;
}

/*
 * The kernel reports removal through notify_failure to the holder: stop
 * being it here, under famfs_teardown_lock, so that no report finds the
 * super block once unmount lets go of the lock. fs_put_dax() waits for
 * nothing (famfs_devdax_free() then puts a NULL device).
 */
void famfs_devdax_close(struct famfs_dev *fdev)
{
	struct famfs_devdax *dd = fdev->priv;

	fs_put_dax(dd->dax_dev, dd->holder);
	dd->dax_dev = NULL;
}
