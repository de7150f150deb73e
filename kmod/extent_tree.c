// SPDX-License-Identifier: GPL-2.0
/*
 * The extents of every file of a mount, in one tree ordered by device
 * offset. The log is memory any host can write: a damaged or hostile one
 * could hand two files the same bytes, and fs/dax keeps one owner per page
 * (page->mapping), so two files on one page would corrupt its state. A map
 * that overlaps any other file's extent is refused.
 *
 * Extents in the tree never overlap, so a plain rbtree keyed by start finds
 * any overlap with one descent: at each node the query lies wholly left,
 * wholly right, or overlaps it.
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

static struct famfs_extent_node *
famfs_extent_overlap(struct famfs_extent_tree *tree, u64 start, u64 end)
{
	struct rb_node *n = tree->root.rb_node;

	while (n) {
		struct famfs_extent_node *e = rb_entry(n, typeof(*e), rb);

		if (end <= e->start)
			n = n->rb_left;
		else if (start >= e->end)
			n = n->rb_right;
		else
			return e;
	}
	return NULL;
}

static void famfs_extent_insert(struct famfs_extent_tree *tree,
				struct famfs_extent_node *node)
{
	struct rb_node **link = &tree->root.rb_node, *parent = NULL;

	while (*link) {
		struct famfs_extent_node *e = rb_entry(*link, typeof(*e), rb);

		parent = *link;
		link = node->start < e->start ? &parent->rb_left :
						&parent->rb_right;
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

	if (other >= map->nodes && other < map->nodes + map->n_extents) {
		pr_info_ratelimited("%s: map of inode %lu refused: its extents overlap at %#llx\n",
				    id, inode->i_ino, max(node->start, other->start));
		return -EINVAL;
	}
	pr_info_ratelimited("%s: map of inode %lu refused: extent %#llx+%#llx overlaps inode %lu at %#llx+%#llx\n",
			    id, inode->i_ino, node->start, node->end - node->start,
			    other->inode->i_ino, other->start,
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
	u64 file_off = 0;
	int rc;
	u32 i;

	mutex_lock(&tree->lock);
	for (i = 0; i < map->n_extents; i++) {
		struct famfs_extent_node *node = &map->nodes[i];

		node->start = map->extents[i].offset;
		node->end = node->start + map->extents[i].len;
		node->file_off = file_off;
		node->inode = inode;
		file_off += map->extents[i].len;
		other = famfs_extent_overlap(tree, node->start, node->end);
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
 */
u32 famfs_extents_first_held(struct famfs_extent_tree *tree,
			     const struct famfs_ioc_extent *ext, u32 n)
{
	u32 i;

	mutex_lock(&tree->lock);
	for (i = 0; i < n; i++)
		if (famfs_extent_overlap(tree, ext[i].offset,
					 ext[i].offset + ext[i].len))
			break;
	mutex_unlock(&tree->lock);
	return i;
}

/*
 * Name the file that owns the failed device bytes [offset, offset + len), if
 * one does (a failure reported for a page: at most one extent holds it).
 */
void famfs_extents_report(struct famfs_extent_tree *tree,
			  struct super_block *sb, u64 offset, u64 len)
{
	struct famfs_extent_node *e;
	struct dentry *dentry;
	char *buf, *path;
	u64 end = offset + len < offset ? U64_MAX : offset + len;

	buf = __getname();
	mutex_lock(&tree->lock);
	e = famfs_extent_overlap(tree, offset, end);
	if (!e) {
		pr_err("%s: memory failure at device offset %#llx (%llu bytes): no file uses it\n",
		       sb->s_id, offset, len);
		goto out;
	}
	dentry = d_find_alias(e->inode);
	path = dentry && buf ? dentry_path_raw(dentry, buf, PATH_MAX) : NULL;
	pr_err("%s: memory failure at device offset %#llx (%llu bytes): file %s (inode %lu), offset %#llx\n",
	       sb->s_id, offset, len, IS_ERR_OR_NULL(path) ? "?" : path,
	       e->inode->i_ino, e->file_off + (max(offset, e->start) - e->start));
	dput(dentry);
out:
	mutex_unlock(&tree->lock);
	if (buf)
		__putname(buf);
}
