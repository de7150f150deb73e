// SPDX-License-Identifier: GPL-2.0
/*
 * famfs inodes and directories. The namespace lives only in memory: user
 * space rebuilds it from the log at every mount, with mkdir(2) and
 * open(O_CREAT) followed by FAMFS_IOC_MAP_CREATE.
 */
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/slab.h>
#include <linux/capability.h>
#include "famfs.h"
#include "compat.h"

struct inode *famfs_new_inode(struct super_block *sb, const struct inode *dir,
			      umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode_init_owner(FAMFS_NOP_IDMAP, inode, dir, mode);
	famfs_inode_init_times(inode);
	if (S_ISDIR(mode)) {
		inode->i_op = &famfs_dir_inode_ops;
		inode->i_fop = &famfs_dir_ops;
		inc_nlink(inode);	/* "." */
	} else {
		inode->i_op = &famfs_file_inode_ops;
		inode->i_fop = &famfs_file_ops;
		inode->i_mapping->a_ops = &famfs_aops;
		inode->i_flags |= S_DAX;
	}
	return inode;
}

void famfs_evict_inode(struct inode *inode)
{
	struct famfs_map *map = inode->i_private;

	struct famfs_sb_info *sbi = FAMFS_SB(inode->i_sb);

	/* Drops the dax entries, clearing page->mapping on the device pages. */
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (!map)
		return;
	if (famfs_map_claims(map)) {
		/* Only now, with no page of it left, may another file take its bytes. */
		famfs_extents_release(&sbi->extents, map);
		if (map->file_type == FAMFS_FILE_REG)
			atomic64_sub(famfs_map_bytes(map), &sbi->mapped_bytes);
	}
	famfs_map_free(map);
}

/*
 * Names come from the log: only the log player (CAP_SYS_ADMIN) adds,
 * removes or moves them, or any user who may write a directory could squat
 * a path the log is about to create, or hide one it holds. Without a link
 * operation the VFS refuses link(2) with EPERM for everyone. A mount that
 * failed or was shut down changes nothing any more (EIO), as on ext4.
 */
static int famfs_may_change(struct inode *dir)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return famfs_failed(dir->i_sb) ? -EIO : 0;
}

/* .meta/.superblock or .meta/.log: a map of another type than regular. */
static bool famfs_is_meta(struct inode *inode)
{
	struct famfs_map *map = inode ? famfs_inode_map(inode) : NULL;

	return map && map->file_type != FAMFS_FILE_REG;
}

/*
 * Does @dir hold a metadata file? Walked as simple_empty() walks it: a
 * positive child keeps its inode while the child's d_lock is held.
 */
static bool famfs_holds_meta(struct dentry *dir)
{
	struct dentry *child;
	bool found = false;

	spin_lock(&dir->d_lock);
	famfs_for_each_child(child, dir) {
		spin_lock_nested(&child->d_lock, DENTRY_D_LOCK_NESTED);
		found = simple_positive(child) && famfs_is_meta(d_inode(child));
		spin_unlock(&child->d_lock);
		if (found)
			break;
	}
	spin_unlock(&dir->d_lock);
	return found;
}

static int famfs_mknod(FAMFS_IDMAP *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode, dev_t dev)
{
	struct inode *inode;
	int rc = famfs_may_change(dir);

	if (rc)
		return rc;
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		return -EPERM;	/* famfs holds only files and directories */
	inode = famfs_new_inode(dir->i_sb, dir, mode);
	if (!inode)
		return -ENOMEM;
	d_instantiate(dentry, inode);
	dget(dentry);		/* pinned: the dcache is the namespace */
	famfs_dir_touch(dir);
	return 0;
}

static int famfs_mkdir(FAMFS_IDMAP *idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode)
{
	int rc = famfs_mknod(idmap, dir, dentry, mode | S_IFDIR, 0);

	if (!rc)
		inc_nlink(dir);
	return rc;
}

static int famfs_create(FAMFS_IDMAP *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode, bool excl)
{
	return famfs_mknod(idmap, dir, dentry, mode | S_IFREG, 0);
}

/*
 * The dentry loses the pin famfs_mknod gave it; an inode still open or
 * mapped lives on, and leaves the extent tree when it is evicted.
 *
 * The metadata files stay where the tools find them, at .meta/.superblock
 * and .meta/.log, for the whole mount: no log entry removes or moves them,
 * so neither may root (EPERM). Their directory is thus never empty, so
 * rmdir refuses it by itself; only a rename could move them with it. The
 * extent tree admits one file of each type, so no other directory holds
 * one, and the mount root, the only directory above, cannot be renamed.
 */
static int famfs_unlink(struct inode *dir, struct dentry *dentry)
{
	int rc = famfs_may_change(dir);

	if (rc)
		return rc;
	if (famfs_is_meta(d_inode(dentry)))
		return -EPERM;
	return simple_unlink(dir, dentry);
}

static int famfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	int rc = famfs_may_change(dir);

	if (rc)
		return rc;
	return simple_rmdir(dir, dentry);
}

/*
 * A RENAME entry never replaces a path (the log would lose a file it
 * still holds), so a plain rename is taken as RENAME_NOREPLACE and
 * exchange or whiteout are refused.
 */
static int famfs_rename(FAMFS_IDMAP *idmap, struct inode *old_dir,
			struct dentry *old_dentry, struct inode *new_dir,
			struct dentry *new_dentry, unsigned int flags)
{
	int rc = famfs_may_change(old_dir);

	if (rc)
		return rc;
	if (famfs_is_meta(d_inode(old_dentry)) ||
	    (d_is_dir(old_dentry) && famfs_holds_meta(old_dentry)))
		return -EPERM;
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (d_really_is_positive(new_dentry))
		return -EEXIST;
	return simple_rename(idmap, old_dir, old_dentry, new_dir, new_dentry,
			     RENAME_NOREPLACE);
}

const struct inode_operations famfs_dir_inode_ops = {
	.lookup		= simple_lookup,
	.create		= famfs_create,
	.mkdir		= famfs_mkdir,
	.mknod		= famfs_mknod,
	.unlink		= famfs_unlink,
	.rmdir		= famfs_rmdir,
	.rename		= famfs_rename,
};
