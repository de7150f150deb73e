/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel series famfs builds against (6.1 and 6.12).
 * This is the only file that tests LINUX_VERSION_CODE.
 */
#ifndef FAMFS_COMPAT_H
#define FAMFS_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/blkdev.h>
#include <linux/dax.h>
#include <linux/mman.h>

/* mnt_idmap replaced user_namespace in inode operations in 6.3. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define FAMFS_IDMAP		struct mnt_idmap
#define FAMFS_NOP_IDMAP		(&nop_mnt_idmap)
#else
#define FAMFS_IDMAP		struct user_namespace
#define FAMFS_NOP_IDMAP		(&init_user_ns)
#endif

/* Fault size: enum page_entry_size until 6.6, a page order since. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define FAMFS_FAULT_SIZE_T	unsigned int
#define FAMFS_FAULT_PTE		0
#else
#define FAMFS_FAULT_SIZE_T	enum page_entry_size
#define FAMFS_FAULT_PTE		PE_SIZE_PTE
#endif

/* Inode timestamps became accessor functions in 6.6/6.7. */
static inline void famfs_inode_init_times(struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	simple_inode_init_ts(inode);
#else
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
#endif
}

static inline void famfs_dir_touch(struct inode *dir)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
#else
	dir->i_mtime = dir->i_ctime = current_time(dir);
#endif
}

/* vm_flags became read-only (vm_flags_set/clear) in 6.3. */
static inline void famfs_vma_set_flags(struct vm_area_struct *vma,
				       unsigned long set, unsigned long clear)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * Exclusive block device opens: a struct file since 6.9, a
 * struct block_device with an fmode before (6.1 API, valid until 6.4).
 */
struct famfs_bdev_ref {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *file;
#else
	struct block_device *bdev;
#endif
};

static inline int famfs_bdev_open(struct famfs_bdev_ref *ref, dev_t devt,
				  void *holder)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	ref->file = bdev_file_open_by_dev(devt, BLK_OPEN_READ | BLK_OPEN_WRITE,
					  holder, NULL);
	return PTR_ERR_OR_ZERO(ref->file);
#else
	ref->bdev = blkdev_get_by_dev(devt, FMODE_READ | FMODE_WRITE |
				      FMODE_EXCL, holder);
	return PTR_ERR_OR_ZERO(ref->bdev);
#endif
}

static inline struct block_device *famfs_bdev(struct famfs_bdev_ref *ref)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	return file_bdev(ref->file);
#else
	return ref->bdev;
#endif
}

static inline void famfs_bdev_close(struct famfs_bdev_ref *ref)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	bdev_fput(ref->file);
#else
	blkdev_put(ref->bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
#endif
}

/*
 * splice from a DAX file: vfs_splice_read() copies through read_iter for
 * DAX files since 6.5, before that generic_file_splice_read() did.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define FAMFS_SPLICE_READ	filemap_splice_read
#else
#define FAMFS_SPLICE_READ	generic_file_splice_read
#endif

/* MAP_SYNC support: a file_operations field until 6.11, a flag since 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define FAMFS_MMAP_SYNC_FLAG	.fop_flags = FOP_MMAP_SYNC
#else
#define FAMFS_MMAP_SYNC_FLAG	.mmap_supported_flags = MAP_SYNC
#endif

/* Removal of the whole device reaches notify_failure as a flag since 6.7. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define FAMFS_MF_PRE_REMOVE	MF_MEM_PRE_REMOVE
#else
#define FAMFS_MF_PRE_REMOVE	0
#endif

/* A dentry's children: d_subdirs and d_child until 6.8, d_children and d_sib since. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define famfs_for_each_child(child, parent) \
	hlist_for_each_entry(child, &(parent)->d_children, d_sib)
#else
#define famfs_for_each_child(child, parent) \
	list_for_each_entry(child, &(parent)->d_subdirs, d_child)
#endif

/* Exported since 5.x but declared only in drivers/dax/bus.h. */
void run_dax(struct dax_device *dax_dev);

#endif /* FAMFS_COMPAT_H */
