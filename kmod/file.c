// SPDX-License-Identifier: GPL-2.0
/*
 * famfs file I/O: every byte of a file lives at a fixed device offset given
 * by its extent list, served by fs/dax through iomap. Files never grow,
 * shrink or allocate.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/dax.h>
#include <linux/iomap.h>
#include <linux/uio.h>
#include <linux/pagemap.h>
#include "famfs.h"
#include "compat.h"

/*
 * Map the segment holding @pos: an extent, or a chunk of a striped file,
 * on its member. Never a zero-length mapping. The members a map names
 * were added before it was installed, and stay until unmount.
 */
static int famfs_iomap_begin(struct inode *inode, loff_t pos, loff_t length,
			     unsigned int flags, struct iomap *iomap,
			     struct iomap *srcmap)
{
	struct famfs_sb_info *sbi = FAMFS_SB(inode->i_sb);
	struct famfs_map *map = famfs_inode_map(inode);
	struct famfs_segment seg;
	struct famfs_member *m;

	if (!map || famfs_failed(inode->i_sb) || pos < 0)
		return -EIO;
	if (famfs_map_lookup(map, pos, &seg)) {
		m = famfs_member(sbi, seg.member);
		if (!m)
			return -EIO;
		iomap->type = IOMAP_MAPPED;
		iomap->flags = 0;
		iomap->offset = seg.file_off;
		iomap->length = seg.len;
		iomap->addr = m->dev.start_off + seg.dev_off;
		iomap->dax_dev = m->dev.dax_dev;
		iomap->bdev = NULL;
		return 0;
	}
	/*
	 * Past the extents is past EOF, since maps cover i_size. A read there
	 * (one at EOF of a file its extents fill exactly) stops at i_size
	 * before using the mapping, but it needs one; writes and faults never
	 * get here.
	 */
	if (!(flags & IOMAP_WRITE) && pos >= i_size_read(inode)) {
		iomap->type = IOMAP_HOLE;
		iomap->flags = 0;
		iomap->offset = pos;
		iomap->length = length;
		iomap->addr = IOMAP_NULL_ADDR;
		iomap->dax_dev = sbi->members[0]->dev.dax_dev;
		iomap->bdev = NULL;
		return 0;
	}
	return -EIO;
}

static const struct iomap_ops famfs_iomap_ops = {
	.iomap_begin	= famfs_iomap_begin,
};

static ssize_t famfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t rc;

	if (!iov_iter_count(to))
		return 0;
	if (!famfs_inode_map(inode) || famfs_failed(inode->i_sb))
		return -EIO;
	if (iocb->ki_flags & IOCB_NOWAIT) {
		if (!inode_trylock_shared(inode))
			return -EAGAIN;
	} else {
		inode_lock_shared(inode);
	}
	rc = dax_iomap_rw(iocb, to, &famfs_iomap_ops);
	inode_unlock_shared(inode);
	file_accessed(iocb->ki_filp);
	return rc;
}

/*
 * Writes stay inside the file: a write that starts at or beyond EOF fails
 * with ENOSPC, one that crosses EOF is shortened. As on every file system,
 * a write drops set-user-ID and set-group-ID bits and updates the times
 * (file_modified(), under the inode lock).
 */
static ssize_t famfs_write_checks(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct famfs_map *map = famfs_inode_map(inode);
	loff_t size = i_size_read(inode);
	int rc;

	if (!map || famfs_failed(inode->i_sb))
		return -EIO;
	if (map->flags & FAMFS_MAP_READONLY)
		return -EPERM;
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = size;
	if (iocb->ki_pos >= size)
		return -ENOSPC;
	iov_iter_truncate(from, size - iocb->ki_pos);
	rc = file_modified(iocb->ki_filp);
	if (rc)
		return rc;
	return iov_iter_count(from);
}

static ssize_t famfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t rc;

	if (!iov_iter_count(from))
		return 0;
	if (iocb->ki_flags & IOCB_NOWAIT) {
		if (!inode_trylock(inode))
			return -EAGAIN;
	} else {
		inode_lock(inode);
	}
	rc = famfs_write_checks(iocb, from);
	if (rc > 0)
		rc = dax_iomap_rw(iocb, from, &famfs_iomap_ops);
	inode_unlock(inode);
	return rc;
}

/*
 * The invalidate lock keeps faults out while famfs_drop_mappings() empties
 * the mapping; the failed check under it stops faults that come after.
 * A write to a shared mapping updates the file's times, as ext4 and xfs do
 * (a private mapping's write copies and leaves the file alone). MAP_SYNC
 * needs nothing more: famfs never sets IOMAP_F_DIRTY, since no metadata
 * changes under a mapping, so no fault asks for a sync.
 */
static vm_fault_t famfs_fault(struct vm_fault *vmf, FAMFS_FAULT_SIZE_T size)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	bool write = (vmf->flags & FAULT_FLAG_WRITE) &&
		     (vmf->vma->vm_flags & VM_SHARED);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	pfn_t pfn;

	if (write) {
		sb_start_pagefault(inode->i_sb);
		file_update_time(vmf->vma->vm_file);
	}
	filemap_invalidate_lock_shared(inode->i_mapping);
	if (!famfs_failed(inode->i_sb))
		ret = dax_iomap_fault(vmf, size, &pfn, NULL, &famfs_iomap_ops);
	filemap_invalidate_unlock_shared(inode->i_mapping);
	if (write)
		sb_end_pagefault(inode->i_sb);
	return ret;
}

static vm_fault_t famfs_pte_fault(struct vm_fault *vmf)
{
	return famfs_fault(vmf, FAMFS_FAULT_PTE);
}

static const struct vm_operations_struct famfs_vm_ops = {
	.fault		= famfs_pte_fault,
	.huge_fault	= famfs_fault,
	.page_mkwrite	= famfs_pte_fault,
	.pfn_mkwrite	= famfs_pte_fault,
};

/* MAP_SYNC needs every member the file lies on to support it. */
static bool famfs_mapping_supported(struct vm_area_struct *vma,
				    struct famfs_sb_info *sbi,
				    const struct famfs_map *map)
{
	unsigned long members = map->members;
	u32 i;

	for_each_set_bit(i, &members, FAMFS_IOC_MAX_MEMBERS)
		if (!daxdev_mapping_supported(vma, famfs_member(sbi, i)->dev.dax_dev))
			return false;
	return true;
}

static int famfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(file);
	struct famfs_map *map = famfs_inode_map(inode);

	if (!map || famfs_failed(inode->i_sb))
		return -EIO;
	if (!famfs_mapping_supported(vma, FAMFS_SB(inode->i_sb), map))
		return -EOPNOTSUPP;
	/* A window shares its bytes with files: its pages must have no owner. */
	if (map->flags & FAMFS_MAP_WINDOW)
		return -ENODEV;
	if (map->flags & FAMFS_MAP_READONLY) {
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) ==
		    (VM_SHARED | VM_WRITE))
			return -EPERM;
		/* and no mprotect(PROT_WRITE) later */
		if (vma->vm_flags & VM_SHARED)
			famfs_vma_set_flags(vma, 0, VM_MAYWRITE);
	}
	file_accessed(file);
	vma->vm_ops = &famfs_vm_ops;
	famfs_vma_set_flags(vma, VM_HUGEPAGE, 0);
	return 0;
}

/*
 * Caches are not coherent across hosts: what a writer stored through a
 * mapping reaches the memory other hosts read only when its dirty lines
 * are written back. fsync and msync do that for the dax entries that write
 * faults tagged dirty (famfs_writepages), as the flusher threads do in the
 * background through the mount's bdi (famfs_fill_super), like on ext4.
 */
static int famfs_fsync(struct file *file, loff_t start, loff_t end,
		       int datasync)
{
	if (famfs_failed(file_inode(file)->i_sb))
		return -EIO;
	return file_write_and_wait_range(file, start, end);
}

/* As on ext4 and xfs, a mount that failed or was shut down opens no file. */
static int famfs_open(struct inode *inode, struct file *file)
{
	return famfs_failed(inode->i_sb) ? -EIO : 0;
}

const struct file_operations famfs_file_ops = {
	.owner			= THIS_MODULE,
	.open			= famfs_open,
	.llseek			= generic_file_llseek,
	.read_iter		= famfs_read_iter,
	.write_iter		= famfs_write_iter,
	.splice_read		= FAMFS_SPLICE_READ,
	.splice_write		= iter_file_splice_write,
	.mmap			= famfs_mmap,
	FAMFS_MMAP_SYNC_FLAG,
	.get_unmapped_area	= thp_get_unmapped_area,
	.unlocked_ioctl		= famfs_file_ioctl,
	.compat_ioctl		= compat_ptr_ioctl,
	.fsync			= famfs_fsync,
};

const struct file_operations famfs_dir_ops = {
	.owner			= THIS_MODULE,
	.open			= dcache_dir_open,
	.release		= dcache_dir_close,
	.llseek			= dcache_dir_lseek,
	.read			= generic_read_dir,
	.iterate_shared		= dcache_readdir,
	.fsync			= noop_fsync,
	.unlocked_ioctl		= famfs_dir_ioctl,
	.compat_ioctl		= compat_ptr_ioctl,
};

/* Sizes come only from FAMFS_IOC_MAP_CREATE: refuse truncate. */
static int famfs_setattr(FAMFS_IDMAP *idmap, struct dentry *dentry,
			 struct iattr *iattr)
{
	struct inode *inode = d_inode(dentry);
	int rc;

	if ((iattr->ia_valid & ATTR_SIZE) && iattr->ia_size != i_size_read(inode))
		return -EPERM;
	rc = setattr_prepare(idmap, dentry, iattr);
	if (rc)
		return rc;
	setattr_copy(idmap, inode, iattr);
	mark_inode_dirty(inode);
	return 0;
}

const struct inode_operations famfs_file_inode_ops = {
	.setattr	= famfs_setattr,
	.getattr	= simple_getattr,
};

/*
 * fs/dax flushes each dirty entry by its pfn, whatever member holds it;
 * the dax_device only says whether to flush at all. Flush if any member
 * of the file has a write cache.
 */
static struct dax_device *famfs_flush_dax(struct famfs_sb_info *sbi,
					  const struct famfs_map *map)
{
	unsigned long members = map ? map->members : 0;
	struct dax_device *dax_dev;
	u32 i;

	for_each_set_bit(i, &members, FAMFS_IOC_MAX_MEMBERS) {
		dax_dev = famfs_member(sbi, i)->dev.dax_dev;
		if (dax_write_cache_enabled(dax_dev))
			return dax_dev;
	}
	return sbi->members[0]->dev.dax_dev;
}

static int famfs_writepages(struct address_space *mapping,
			    struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct famfs_sb_info *sbi = FAMFS_SB(inode->i_sb);

	if (famfs_failed(inode->i_sb))
		return -EIO;
	return dax_writeback_mapping_range(mapping,
					   famfs_flush_dax(sbi, famfs_inode_map(inode)),
					   wbc);
}

/* As ext4 does for DAX: O_DIRECT opens work, no page is ever dirtied. */
const struct address_space_operations famfs_aops = {
	.writepages	= famfs_writepages,
	.direct_IO	= noop_direct_IO,
	.dirty_folio	= noop_dirty_folio,
};

/*
 * Zap the user mappings of a file and drop its dax entries while the
 * device's struct pages still exist (entries point at them).
 */
static void famfs_drop_inode_mappings(struct inode *inode)
{
	inode_lock(inode);
	filemap_invalidate_lock(inode->i_mapping);
	unmap_mapping_range(inode->i_mapping, 0, 0, 1);
	truncate_inode_pages(inode->i_mapping, 0);
	filemap_invalidate_unlock(inode->i_mapping);
	inode_unlock(inode);
}

/* The device failed or is leaving: nothing may stay mapped. */
void famfs_drop_mappings(struct super_block *sb)
{
	struct inode *inode, *prev = NULL;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		if ((inode->i_state & (I_FREEING | I_WILL_FREE | I_NEW)) ||
		    !S_ISREG(inode->i_mode)) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		__iget(inode);
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);
		famfs_drop_inode_mappings(inode);
		iput(prev);
		prev = inode;
		cond_resched();
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	iput(prev);
}
