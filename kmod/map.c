// SPDX-License-Identifier: GPL-2.0
/*
 * A file's map: its extent list as FAMFS_IOC_MAP_CREATE handed it in, with
 * what the kernel derives from it once: the file offset where each extent
 * ends (for an O(log n) lookup on every I/O and fault) and one node per
 * extent for the mount's extent tree.
 */
#include <linux/slab.h>
#include <linux/overflow.h>
#include "famfs.h"

struct famfs_map *famfs_map_alloc(u32 n_extents)
{
	struct famfs_map *map;

	map = kvzalloc(struct_size(map, extents, n_extents), GFP_KERNEL);
	if (!map)
		return NULL;
	map->n_extents = n_extents;
	if (!n_extents)
		return map;
	map->file_ends = kvmalloc_array(n_extents, sizeof(*map->file_ends),
					GFP_KERNEL);
	map->nodes = kvcalloc(n_extents, sizeof(*map->nodes), GFP_KERNEL);
	if (!map->file_ends || !map->nodes) {
		famfs_map_free(map);
		return NULL;
	}
	return map;
}

void famfs_map_free(struct famfs_map *map)
{
	if (!map)
		return;
	kvfree(map->file_ends);
	kvfree(map->nodes);
	kvfree(map);
}

/*
 * The file offsets where extents end, and the total. Called once the
 * extents are checked: they are disjoint and inside the device, so the
 * sums cannot overflow.
 */
u64 famfs_map_index(struct famfs_map *map)
{
	u64 end = 0;
	u32 i;

	for (i = 0; i < map->n_extents; i++) {
		end += map->extents[i].len;
		map->file_ends[i] = end;
	}
	return end;
}

u64 famfs_map_bytes(const struct famfs_map *map)
{
	return map->n_extents ? map->file_ends[map->n_extents - 1] : 0;
}

/*
 * The extent holding file offset @pos, and the file offset where it
 * starts; false past the last extent.
 */
bool famfs_map_lookup(const struct famfs_map *map, u64 pos, u32 *index,
		      u64 *file_off)
{
	u32 lo = 0, hi = map->n_extents;

	while (lo < hi) {	/* first extent that ends after pos */
		u32 mid = lo + (hi - lo) / 2;

		if (map->file_ends[mid] > pos)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == map->n_extents)
		return false;
	*index = lo;
	*file_off = map->file_ends[lo] - map->extents[lo].len;
	return true;
}
