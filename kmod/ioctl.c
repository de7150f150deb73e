// SPDX-License-Identifier: GPL-2.0
/*
 * famfs ioctls. FAMFS_IOC_MAP_CREATE is the only way a file gets data, and
 * it grants access to raw device memory: every extent is checked against
 * the geometry read from the superblock before the map is accepted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/overflow.h>
#include <linux/math64.h>
#include "famfs.h"
#include "famfs/format.h"

#define famfs_reject(inode, err, fmt, ...) ({				\
	pr_info_ratelimited("%s: map of inode %lu refused: " fmt "\n",	\
			    (inode)->i_sb->s_id, (inode)->i_ino,	\
			    ##__VA_ARGS__);				\
	(err);								\
})

/*
 * Shape of one extent: EINVAL if malformed, ENXIO on a member not added,
 * ERANGE if outside the member's data area.
 */
static int famfs_check_extent(struct inode *inode, u32 file_type,
			      const struct famfs_ioc_extent *ext)
{
	struct famfs_sb_info *sbi = FAMFS_SB(inode->i_sb);
	struct famfs_member *m;
	u64 end;

	if (ext->dev_index >= FAMFS_IOC_MAX_MEMBERS || ext->reserved)
		return famfs_reject(inode, -EINVAL, "bad dev_index %u or reserved",
				    ext->dev_index);
	if (file_type != FAMFS_FILE_REG && ext->dev_index)
		return famfs_reject(inode, -EINVAL, "metadata file not on member 0");
	m = famfs_member(sbi, ext->dev_index);
	if (!m)
		return famfs_reject(inode, -ENXIO, "member %u not added",
				    ext->dev_index);
	if (!ext->len)
		return famfs_reject(inode, -EINVAL, "zero-length extent");
	if (!IS_ALIGNED(ext->offset, sbi->alloc_unit) ||
	    !IS_ALIGNED(ext->len, sbi->alloc_unit))
		return famfs_reject(inode, -EINVAL, "extent %#llx+%#llx unaligned",
				    ext->offset, ext->len);
	if (check_add_overflow(ext->offset, ext->len, &end) || end > m->size)
		return famfs_reject(inode, -ERANGE, "extent %#llx+%#llx beyond member %u",
				    ext->offset, ext->len, m->index);
	if (file_type == FAMFS_FILE_SUPERBLOCK &&
	    (ext->offset || ext->len != FAMFS_SB_AREA))
		return famfs_reject(inode, -EINVAL, "superblock file must map [0, 2MiB)");
	if (file_type == FAMFS_FILE_LOG &&
	    (ext->offset != sbi->log_offset || ext->len != sbi->log_len))
		return famfs_reject(inode, -EINVAL, "log file must map the log exactly");
	if (file_type == FAMFS_FILE_REG && ext->offset < m->data_start)
		return famfs_reject(inode, -ERANGE, "extent %#llx+%#llx in the reserved area of member %u",
				    ext->offset, ext->len, m->index);
	return 0;
}

/*
 * A striped map's shape (its strips passed famfs_check_extent()): 2 ..
 * FAMFS_IOC_MAX_STRIPS strips of one length, a multiple of the chunk,
 * itself a multiple of the allocation unit.
 */
static int famfs_check_stripe(struct inode *inode, const struct famfs_map *map)
{
	u64 chunk = map->chunk_size, len = map->extents[0].len, rem;
	u32 i;

	if (!IS_ALIGNED(chunk, FAMFS_SB(inode->i_sb)->alloc_unit))
		return famfs_reject(inode, -EINVAL, "chunk size %llu not a multiple of the allocation unit",
				    chunk);
	for (i = 1; i < map->n_extents; i++)
		if (map->extents[i].len != len)
			return famfs_reject(inode, -EINVAL, "strip %u of %llu bytes, strip 0 of %llu",
					    i, map->extents[i].len, len);
	div64_u64_rem(len, chunk, &rem);
	if (rem)
		return famfs_reject(inode, -EINVAL, "strip length %llu not a multiple of chunk size %llu",
				    len, chunk);
	return 0;
}

/* Each extent alone, and the members it uses; overlaps are the extent tree's to find. */
static int famfs_check_map(struct inode *inode, struct famfs_map *map)
{
	int rc;
	u32 i;

	if (map->file_type != FAMFS_FILE_REG && map->n_extents != 1)
		return famfs_reject(inode, -EINVAL, "metadata file needs one extent");
	if (map->chunk_size && (map->n_extents < 2 ||
				map->n_extents > FAMFS_IOC_MAX_STRIPS))
		return famfs_reject(inode, -EINVAL, "%u strips, not 2 to %u",
				    map->n_extents, FAMFS_IOC_MAX_STRIPS);
	for (i = 0; i < map->n_extents; i++) {
		rc = famfs_check_extent(inode, map->file_type, &map->extents[i]);
		if (rc)
			return rc;
		map->members |= BIT(map->extents[i].dev_index);
	}
	return map->chunk_size ? famfs_check_stripe(inode, map) : 0;
}

/*
 * The flags a request may carry: FAMFS_MAP_STRIPED exactly when it comes
 * through FAMFS_IOC_MAP_CREATE_STRIPED, never with a window; a window or a
 * stripe is a regular file.
 */
static int famfs_check_flags(struct inode *inode, const struct famfs_ioc_map *req,
			     bool striped)
{
	if (req->reserved || req->flags & ~FAMFS_MAP_FLAGS_ALL)
		return famfs_reject(inode, -EINVAL, "unknown flags or reserved");
	if (req->file_type > FAMFS_FILE_LOG)
		return famfs_reject(inode, -EINVAL, "file_type %u", req->file_type);
	if (!!(req->flags & FAMFS_MAP_STRIPED) != striped)
		return famfs_reject(inode, -EINVAL, "FAMFS_MAP_STRIPED %s",
				    striped ? "missing" :
				    "needs FAMFS_IOC_MAP_CREATE_STRIPED");
	if ((req->flags & (FAMFS_MAP_WINDOW | FAMFS_MAP_STRIPED)) ==
	    (FAMFS_MAP_WINDOW | FAMFS_MAP_STRIPED))
		return famfs_reject(inode, -EINVAL, "a window cannot be striped");
	if ((req->flags & (FAMFS_MAP_WINDOW | FAMFS_MAP_STRIPED)) &&
	    req->file_type != FAMFS_FILE_REG)
		return famfs_reject(inode, -EINVAL, "a window or stripe must be of regular type");
	return 0;
}

/*
 * Copy and check the fixed part; allocate the map with room for extents.
 * @chunk: the chunk size of a striped map, 0 for any other.
 */
static struct famfs_map *famfs_map_from_user(struct inode *inode,
					     const struct famfs_ioc_map *req,
					     u64 chunk)
{
	struct famfs_map *map;
	int rc;

	rc = famfs_check_flags(inode, req, chunk);
	if (rc)
		return ERR_PTR(rc);
	if (req->n_extents > FAMFS_IOC_MAX_EXTENTS ||
	    (!req->n_extents && req->file_size))
		return ERR_PTR(famfs_reject(inode, -EINVAL, "n_extents %u",
					    req->n_extents));
	if (req->file_size > MAX_LFS_FILESIZE)
		return ERR_PTR(famfs_reject(inode, -EINVAL, "file_size too big"));
	map = famfs_map_alloc(req->n_extents);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->file_size = req->file_size;
	map->file_type = req->file_type;
	map->flags = req->flags;
	map->chunk_size = chunk;
	if (copy_from_user(map->extents, u64_to_user_ptr(req->extents),
			   array_size(req->n_extents, sizeof(map->extents[0])))) {
		famfs_map_free(map);
		return ERR_PTR(-EFAULT);
	}
	return map;
}

/*
 * Index the map (a failure report on a claimed extent reads the index),
 * claim its bytes in the mount's extent tree, then check the size against
 * them.
 */
static int famfs_claim_map(struct inode *inode, struct famfs_map *map)
{
	struct famfs_extent_tree *tree = &FAMFS_SB(inode->i_sb)->extents;
	int rc;

	if (!famfs_map_index(map))
		return famfs_reject(inode, -EINVAL, "extents add up past 2^64 bytes");
	rc = famfs_map_claims(map) ? famfs_extents_claim(tree, inode, map) : 0;
	if (rc)
		return rc;
	if (famfs_map_bytes(map) < map->file_size) {
		if (famfs_map_claims(map))
			famfs_extents_release(tree, map);
		return famfs_reject(inode, -EINVAL, "size %llu exceeds extents",
				    map->file_size);
	}
	return 0;
}

/*
 * Publish under the inode lock: a file is mapped once, while still empty.
 * i_size first: a lockless reader that sees the map (famfs_inode_map())
 * must see the size it covers, or a fault would get SIGBUS.
 */
static int famfs_install_map(struct inode *inode, struct famfs_map *map)
{
	int rc;

	inode_lock(inode);
	if (inode->i_private || i_size_read(inode))
		rc = famfs_reject(inode, -EEXIST, "file already mapped");
	else
		rc = famfs_claim_map(inode, map);
	if (!rc) {
		i_size_write(inode, map->file_size);
		smp_store_release(&inode->i_private, map);
		if (map->file_type == FAMFS_FILE_REG && famfs_map_claims(map))
			atomic64_add(famfs_map_bytes(map),
				     &FAMFS_SB(inode->i_sb)->mapped_bytes);
	}
	inode_unlock(inode);
	return rc;
}

/* Who may map, before anything of the request is read. */
static int famfs_may_map(struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	return famfs_failed(file_inode(file)->i_sb) ? -EIO : 0;
}

/*
 * MAP_CREATE, and MAP_CREATE_STRIPED (@striped): the map in a struct
 * famfs_ioc_stripe_map, with a non-zero chunk size.
 */
static long famfs_map_create(struct file *file, void __user *arg, bool striped)
{
	struct inode *inode = file_inode(file);
	struct famfs_ioc_stripe_map req = {};
	size_t len = striped ? sizeof(req) : sizeof(req.map);
	struct famfs_map *map;
	int rc = famfs_may_map(file);

	if (rc)
		return rc;
	if (copy_from_user(&req, arg, len))
		return -EFAULT;
	if (striped && (req.reserved || !req.chunk_size))
		return famfs_reject(inode, -EINVAL, "chunk size 0 or reserved");
	map = famfs_map_from_user(inode, &req.map, req.chunk_size);
	if (IS_ERR(map))
		return PTR_ERR(map);
	rc = famfs_check_map(inode, map);
	if (!rc)
		rc = famfs_install_map(inode, map);
	if (rc)
		famfs_map_free(map);
	return rc;
}

/*
 * MAP_GET, and MAP_GET_STRIPED (@striped): the map in a struct
 * famfs_ioc_stripe_map, with the chunk size, 0 for a file that is not
 * striped. map.n_extents is the capacity of the caller's array on input
 * (0 only asks for the count) and the file's extent count on output.
 */
static long famfs_map_get(struct file *file, void __user *arg, bool striped)
{
	struct famfs_map *map = famfs_inode_map(file_inode(file));
	struct famfs_ioc_stripe_map req;
	size_t len = striped ? sizeof(req) : sizeof(req.map);
	u32 capacity;

	if (!map)
		return -ENODATA;
	if (copy_from_user(&req, arg, len))
		return -EFAULT;
	capacity = req.map.n_extents;
	req.map.file_size = map->file_size;
	req.map.file_type = map->file_type;
	req.map.flags = map->flags;
	req.map.n_extents = map->n_extents;
	req.map.reserved = 0;
	req.chunk_size = map->chunk_size;
	req.reserved = 0;
	if (copy_to_user(arg, &req, len))
		return -EFAULT;
	if (!capacity)
		return 0;
	if (capacity < map->n_extents)
		return -ERANGE;
	if (copy_to_user(u64_to_user_ptr(req.map.extents), map->extents,
			 array_size(map->n_extents, sizeof(map->extents[0]))))
		return -EFAULT;
	return 0;
}

static long famfs_ioc_probe(struct file *file, void __user *arg)
{
	struct famfs_sb_info *sbi = FAMFS_SB(file_inode(file)->i_sb);
	struct famfs_ioc_probe probe = {
		.abi_version	= FAMFS_IOC_ABI_VERSION,
		.max_extents	= FAMFS_IOC_MAX_EXTENTS,
		.dev_size	= sbi->members[0]->size,
		.alloc_unit	= sbi->alloc_unit,
		.log_offset	= sbi->log_offset,
		.log_len	= sbi->log_len,
		.backend	= sbi->members[0]->dev.backend,
	};

	return copy_to_user(arg, &probe, sizeof(probe)) ? -EFAULT : 0;
}

/*
 * One extent of an EXTENTS_HELD query: a byte range, aligned or not. Only
 * its shape is checked; a range beyond a member, or on a member not
 * added, is simply not held.
 */
static bool famfs_held_extent_ok(const struct famfs_ioc_extent *ext)
{
	u64 end;

	return ext->dev_index < FAMFS_IOC_MAX_MEMBERS && !ext->reserved &&
	       ext->len &&
	       !check_add_overflow(ext->offset, ext->len, &end);
}

/*
 * Which of these extents does a file of this mount still hold? The
 * follower asks after playing a DELETE: a deleted file's bytes stay held
 * until its inode is evicted (no open file, no mapping left). The array
 * is copied whole first (at most FAMFS_IOC_MAX_EXTENTS entries), so that
 * no fault on user memory happens under the tree's mutex and a malformed
 * extent fails the call wherever it is.
 */
static long famfs_ioc_extents_held(struct file *file, void __user *arg)
{
	struct famfs_extent_tree *tree = &FAMFS_SB(file_inode(file)->i_sb)->extents;
	struct famfs_ioc_extent *ext;
	struct famfs_ioc_held req;
	long rc = 0;
	u32 i;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.n_extents > FAMFS_IOC_MAX_EXTENTS)
		return -EINVAL;
	ext = kvmalloc_array(req.n_extents ?: 1, sizeof(*ext), GFP_KERNEL);
	if (!ext)
		return -ENOMEM;
	if (copy_from_user(ext, u64_to_user_ptr(req.extents),
			   array_size(req.n_extents, sizeof(*ext)))) {
		rc = -EFAULT;
		goto out;
	}
	for (i = 0; i < req.n_extents; i++) {
		if (!famfs_held_extent_ok(&ext[i])) {
			rc = -EINVAL;
			goto out;
		}
	}
	req.first_held = famfs_extents_first_held(tree, ext, req.n_extents);
	if (copy_to_user(arg, &req, sizeof(req)))
		rc = -EFAULT;
out:
	kvfree(ext);
	return rc;
}

/*
 * Fence the mount, as XFS_IOC_GOINGDOWN and EXT4_IOC_SHUTDOWN do: the host
 * was evicted and the master may hand its bytes to new files. Nothing is
 * flushed first: famfs writes no metadata, and what this host's files hold
 * no longer belongs to it.
 */
static long famfs_ioc_shutdown(struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	famfs_shutdown(file_inode(file)->i_sb);
	return 0;
}

/* The bytes files may map: every member's data area. */
static u64 famfs_data_bytes(struct famfs_sb_info *sbi)
{
	struct famfs_member *m;
	u64 bytes = 0;
	u32 i;

	for (i = 0; i < FAMFS_IOC_MAX_MEMBERS; i++) {
		m = famfs_member(sbi, i);
		if (m)
			bytes += m->size - m->data_start;
	}
	return bytes;
}

/*
 * The follower's count of the space the log holds, so that df agrees with
 * famfs fsck: files this host has not played yet, and deleted files that
 * another host still pins, are not in this mount's own count.
 */
static long famfs_ioc_set_space(struct file *file, void __user *arg)
{
	struct famfs_sb_info *sbi = FAMFS_SB(file_inode(file)->i_sb);
	struct famfs_ioc_space req;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.reserved || req.used_bytes > famfs_data_bytes(sbi))
		return -EINVAL;
	atomic64_set(&sbi->logged_bytes, req.used_bytes);
	return 0;
}

/* The calls that work on any file or directory of a mount. */
static long famfs_mount_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	switch (cmd) {
	case FAMFS_IOC_PROBE:
		return famfs_ioc_probe(file, (void __user *)arg);
	case FAMFS_IOC_EXTENTS_HELD:
		return famfs_ioc_extents_held(file, (void __user *)arg);
	case FAMFS_IOC_SHUTDOWN:
		return famfs_ioc_shutdown(file);
	case FAMFS_IOC_SET_SPACE:
		return famfs_ioc_set_space(file, (void __user *)arg);
	case FAMFS_IOC_MEMBER_ADD:
		return famfs_ioc_member_add(file, (void __user *)arg);
	case FAMFS_IOC_MEMBER_GET:
		return famfs_ioc_member_get(file, (void __user *)arg);
	}
	return -ENOTTY;
}

long famfs_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case FAMFS_IOC_MAP_CREATE:
		return famfs_map_create(file, (void __user *)arg, false);
	case FAMFS_IOC_MAP_GET:
		return famfs_map_get(file, (void __user *)arg, false);
	case FAMFS_IOC_MAP_CREATE_STRIPED:
		return famfs_map_create(file, (void __user *)arg, true);
	case FAMFS_IOC_MAP_GET_STRIPED:
		return famfs_map_get(file, (void __user *)arg, true);
	}
	return famfs_mount_ioctl(file, cmd, arg);
}

long famfs_dir_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return famfs_mount_ioctl(file, cmd, arg);
}
