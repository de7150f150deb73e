// SPDX-License-Identifier: GPL-2.0
/*
 * The extents of every file of a mount, in one tree ordered by member,
 * then device offset. The log is memory any host can write: a damaged or hostile one
 * could hand two files the same bytes, and fs/dax keeps one owner per page
 * (page->mapping), so two files on one page would corrupt its state. A map
 * that overlaps any other file's extent is refused.
 *
 * Extents in the tree never overlap, so a plain rbtree keyed by (member,
 * start) finds any overlap with one descent: at each node the query lies
 * wholly left, wholly right, or overlaps it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rbtree.h>
#include <linux/dcache.h>
#include "famfs.h"

void famfs_extent_tree_init(struct famfs_extent_tree *tree)
{
	tree->root = RB_ROOT;
	mutex_init(&tree->lock);
}

/* Where bytes [start, end) of @member lie against @e: -1 left, 1 right, 0 over it. */
static int famfs_extent_cmp(const struct famfs_extent_node *e, u32 member,
			    u64 start, u64 end)
{
	if (member != e->member)
		return member < e->member ? -1 : 1;
	if (end <= e->start)
		return -1;
	return start >= e->end ? 1 : 0;
}

static struct famfs_extent_node *
famfs_extent_overlap(struct famfs_extent_tree *tree, u32 member, u64 start,
		     u64 end)
{
	struct rb_node *n = tree->root.rb_node;

	while (n) {
		struct famfs_extent_node *e = rb_entry(n, typeof(*e), rb);
		int cmp = famfs_extent_cmp(e, member, start, end);

		if (!cmp)
			return e;
		n = cmp < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/* Called only once no extent of the tree overlaps @node. */
static void famfs_extent_insert(struct famfs_extent_tree *tree,
				struct famfs_extent_node *node)
{
	struct rb_node **link = &tree->root.rb_node, *parent = NULL;

	while (*link) {
		struct famfs_extent_node *e = rb_entry(*link, typeof(*e), rb);

		parent = *link;
		link = famfs_extent_cmp(e, node->member, node->start,
					node->end) < 0 ?
		       &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, link);
	rb_insert_color(&node->rb, &tree->root);
}

static void famfs_extent_erase(struct famfs_extent_tree *tree,
			       struct famfs_map *map, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		rb_erase(&map->nodes[i].rb, &tree->root);
}

/*
 * Two extents of one file that overlap are a malformed map (EINVAL); an
 * extent on another file's bytes is a damaged log (EUCLEAN).
 */
static int famfs_extent_conflict(struct inode *inode,
				 const struct famfs_map *map,
				 const struct famfs_extent_node *node,
				 const struct famfs_extent_node *other)
{
	const char *id = inode->i_sb->s_id;

	if (other->map == map) {
		pr_info_ratelimited("%s: map of inode %lu refused: its extents overlap at member %u offset %#llx\n",
				    id, inode->i_ino, node->member,
				    max(node->start, other->start));
		return -EINVAL;
	}
	pr_info_ratelimited("%s: map of inode %lu refused: extent %#llx+%#llx of member %u overlaps inode %lu at %#llx+%#llx\n",
			    id, inode->i_ino, node->start, node->end - node->start,
			    node->member, other->inode->i_ino, other->start,
			    other->end - other->start);
	return -EUCLEAN;
}

/*
 * Put every extent of @inode's @map in the tree, or none: refused when one
 * overlaps an extent already there.
 */
int famfs_extents_claim(struct famfs_extent_tree *tree, struct inode *inode,
			struct famfs_map *map)
{
	struct famfs_extent_node *other;
	int rc;
	u32 i;

	mutex_lock(&tree->lock);
	for (i = 0; i < map->n_extents; i++) {
		struct famfs_extent_node *node = &map->nodes[i];

		node->start = map->extents[i].offset;
		node->end = node->start + map->extents[i].len;
		node->member = map->extents[i].dev_index;
		node->map = map;
		node->inode = inode;
		other = famfs_extent_overlap(tree, node->member, node->start,
					     node->end);
		if (other) {
			rc = famfs_extent_conflict(inode, map, node, other);
			famfs_extent_erase(tree, map, i);
			mutex_unlock(&tree->lock);
			return rc;
		}
		famfs_extent_insert(tree, node);
	}
	mutex_unlock(&tree->lock);
	return 0;
}

void famfs_extents_release(struct famfs_extent_tree *tree,
			   struct famfs_map *map)
{
	mutex_lock(&tree->lock);
	famfs_extent_erase(tree, map, map->n_extents);
	mutex_unlock(&tree->lock);
}

/*
 * The index of the first of @n byte ranges that overlaps an extent of the
 * tree, or @n: the ranges are known not to wrap (famfs_ioc_extents_held).
 * A member never added holds nothing.
 */
u32 famfs_extents_first_held(struct famfs_extent_tree *tree,
			     const struct famfs_ioc_extent *ext, u32 n)
{
	u32 i;

	mutex_lock(&tree->lock);
	for (i = 0; i < n; i++)
		if (famfs_extent_overlap(tree, ext[i].dev_index, ext[i].offset,
					 ext[i].offset + ext[i].len))
			break;
	mutex_unlock(&tree->lock);
	return i;
}

/*
 * Name the file that owns the failed bytes [offset, offset + len) of
 * @member, if one does (a failure reported for a page: at most one extent
 * holds it).
 */
void famfs_extents_report(struct famfs_extent_tree *tree,
			  struct super_block *sb, u32 member, u64 offset,
			  u64 len)
{
	struct famfs_extent_node *e;
	struct dentry *dentry;
	char *buf, *path;
	u64 end = offset + len < offset ? U64_MAX : offset + len;
	u64 file_off;

	buf = __getname();
	mutex_lock(&tree->lock);
	e = famfs_extent_overlap(tree, member, offset, end);
	if (!e) {
		pr_err("%s: memory failure on member %u at device offset %#llx (%llu bytes): no file uses it\n",
		       sb->s_id, member, offset, len);
		goto out;
	}
	dentry = d_find_alias(e->inode);
	path = dentry && buf ? dentry_path_raw(dentry, buf, PATH_MAX) : NULL;
	file_off = famfs_map_file_offset(e->map, e - e->map->nodes,
					 max(offset, e->start) - e->start);
	pr_err("%s: memory failure on member %u at device offset %#llx (%llu bytes): file %s (inode %lu), offset %#llx\n",
	       sb->s_id, member, offset, len, IS_ERR_OR_NULL(path) ? "?" : path,
	       e->inode->i_ino, file_off);
	dput(dentry);
out:
	mutex_unlock(&tree->lock);
	if (buf)
		__putname(buf);
}
