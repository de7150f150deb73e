/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs kernel module: a minimal fs-dax file system whose files are extent
 * lists handed in by user space (FAMFS_IOC_MAP_CREATE).
 */
#ifndef FAMFS_H
#define FAMFS_H

#include <linux/fs.h>
#include <linux/iomap.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include "backend.h"
#include "uapi/famfs_ioctl.h"

#define FAMFS_SUPER_MAGIC	0x46414d46	/* "FAMF", for statfs f_type */

/*
 * Every file's extents on one mount, ordered by (member, device offset)
 * (extent_tree.c).
 */
struct famfs_extent_tree {
	struct rb_root root;
	struct mutex lock;
};

/*
 * One device of the mount (docs/devices.md). Member 0 is the device
 * mounted; FAMFS_IOC_MEMBER_ADD adds the others. Published complete
 * (famfs_member()), freed only at unmount.
 */
struct famfs_member {
	struct famfs_dev dev;
	u64 size;		/* usable bytes: the superblock's or the label's */
	u64 data_start;		/* the first byte a regular file may map */
	dev_t devt;		/* claimed: no other mount or member uses it */
	u32 index;
	u8 uuid[16];
};

struct famfs_sb_info {
	struct famfs_member *members[FAMFS_IOC_MAX_MEMBERS];
	struct mutex members_lock;	/* serializes FAMFS_IOC_MEMBER_ADD */
	struct famfs_extent_tree extents;
	u8 fs_uuid[16];		/* from the superblock: every label names it */
	u64 log_offset;
	u64 log_len;		/* of all log areas: the log file maps them */
	u32 log_areas;		/* 1 before format 1.3 */
	u32 alloc_unit;
	atomic64_t mapped_bytes;	/* regular-file extents, for statfs */
	atomic64_t logged_bytes;	/* the log's figure (FAMFS_IOC_SET_SPACE) */
	unsigned long flags;	/* FAMFS_SB_* bits */
	bool single_host;	/* -o single_host: no other host uses the memory */
};

#define FAMFS_SB_FAILED	0	/* device failed or removed, or shut down: refuse all I/O */

/* One extent in the mount's extent tree: bytes [start, end) of a member. */
struct famfs_extent_node {
	struct rb_node rb;
	u64 start;
	u64 end;
	u32 member;
	struct famfs_map *map;	/* the extent is map->extents[this - map->nodes] */
	struct inode *inode;	/* the owner; alive while the node is in the tree */
};

/*
 * A file's extent list; set once, immutable, stored in inode->i_private
 * (map.c). file_ends[i] is the file offset where extent i ends; for a
 * striped file, where strip i would end if strips were laid end to end.
 */
struct famfs_map {
	u64 file_size;
	u32 file_type;
	u32 flags;
	u64 chunk_size;		/* striped (FAMFS_MAP_STRIPED): bytes per chunk */
	u32 members;		/* bit i: an extent lies on member i */
	u64 *file_ends;
	struct famfs_extent_node *nodes;
	u32 n_extents;
	struct famfs_ioc_extent extents[] __counted_by(n_extents);
};

/* A run of file bytes that lies contiguous on one member (famfs_map_lookup). */
struct famfs_segment {
	u64 file_off;
	u64 len;
	u64 dev_off;
	u32 member;
};

static inline struct famfs_sb_info *FAMFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/*
 * Member @index if it was added; pairs with the release in
 * famfs_member_publish(), so the member is complete.
 */
static inline struct famfs_member *famfs_member(struct famfs_sb_info *sbi,
						u32 index)
{
	if (index >= FAMFS_IOC_MAX_MEMBERS)
		return NULL;
	return smp_load_acquire(&sbi->members[index]);
}

static inline bool famfs_failed(struct super_block *sb)
{
	return test_bit(FAMFS_SB_FAILED, &FAMFS_SB(sb)->flags);
}

/*
 * Whether a map holds its bytes (in the extent tree) and counts as used
 * space: every file but a window, which shares bytes with files.
 */
static inline bool famfs_map_claims(const struct famfs_map *map)
{
	return !(map->flags & FAMFS_MAP_WINDOW);
}

static inline struct famfs_map *famfs_inode_map(struct inode *inode)
{
	/* Pairs with the release in famfs_install_map(): a complete map. */
	return smp_load_acquire((struct famfs_map **)&inode->i_private);
}

/* super.c */
void famfs_shutdown(struct super_block *sb);

/* inode.c */
extern const struct inode_operations famfs_dir_inode_ops;
struct inode *famfs_new_inode(struct super_block *sb, const struct inode *dir,
			      umode_t mode);
void famfs_evict_inode(struct inode *inode);

/* file.c */
extern const struct file_operations famfs_file_ops;
extern const struct file_operations famfs_dir_ops;
extern const struct inode_operations famfs_file_inode_ops;
extern const struct address_space_operations famfs_aops;
void famfs_drop_mappings(struct super_block *sb);

/* ioctl.c */
long famfs_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
long famfs_dir_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* map.c */
struct famfs_map *famfs_map_alloc(u32 n_extents);
void famfs_map_free(struct famfs_map *map);
bool famfs_map_index(struct famfs_map *map);
u64 famfs_map_bytes(const struct famfs_map *map);
bool famfs_map_lookup(const struct famfs_map *map, u64 pos,
		      struct famfs_segment *seg);
u64 famfs_map_file_offset(const struct famfs_map *map, u32 index, u64 ext_off);

/* extent_tree.c */
void famfs_extent_tree_init(struct famfs_extent_tree *tree);
int famfs_extents_claim(struct famfs_extent_tree *tree, struct inode *inode,
			struct famfs_map *map);
void famfs_extents_release(struct famfs_extent_tree *tree,
			   struct famfs_map *map);
u32 famfs_extents_first_held(struct famfs_extent_tree *tree,
			     const struct famfs_ioc_extent *ext, u32 n);
void famfs_extents_report(struct famfs_extent_tree *tree,
			  struct super_block *sb, u32 member, u64 offset,
			  u64 len);

/* member.c */
int famfs_claim_dev(dev_t devt);
int famfs_dev_read_head(struct famfs_dev *fdev, void *out, size_t len);
struct famfs_member *famfs_member_find(struct famfs_sb_info *sbi,
				       const struct dax_device *dax_dev);
void famfs_member_close(struct famfs_member *m);
void famfs_member_put(struct famfs_member *m);
void famfs_member_publish(struct famfs_sb_info *sbi, struct famfs_member *m);
void famfs_members_close(struct famfs_sb_info *sbi);
void famfs_members_put(struct famfs_sb_info *sbi);
long famfs_ioc_member_add(struct file *file, void __user *arg);
long famfs_ioc_member_get(struct file *file, void __user *arg);

/* failure.c: what pmem and the kernel's devdax report to their holder */
extern const struct dax_holder_operations famfs_holder_ops;

#endif /* FAMFS_H */
