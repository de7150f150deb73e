// SPDX-License-Identifier: GPL-2.0
/*
 * A file's map: its extent list as FAMFS_IOC_MAP_CREATE handed it in, with
 * what the kernel derives from it once: the file offset where each extent
 * ends (for an O(log n) lookup on every I/O and fault) and one node per
 * extent for the mount's extent tree. A striped file's extents are its
 * strips: its chunks go round-robin over them (famfs_stripe_locate() in
 * famfs/format.h), so a lookup is arithmetic.
 */
#include <linux/slab.h>
#include <linux/overflow.h>
#include <linux/math64.h>
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
 * The file offsets where extents end; false if they add up past 2^64
 * bytes, which only a window's (overlapping) extents could.
 */
bool famfs_map_index(struct famfs_map *map)
{
	u64 end = 0;
	u32 i;

	for (i = 0; i < map->n_extents; i++) {
		if (check_add_overflow(end, map->extents[i].len, &end))
			return false;
		map->file_ends[i] = end;
	}
	return true;
}

u64 famfs_map_bytes(const struct famfs_map *map)
{
	return map->n_extents ? map->file_ends[map->n_extents - 1] : 0;
}

/* The chunk holding file offset @pos of a striped map, below its end. */
static void famfs_stripe_lookup(const struct famfs_map *map, u64 pos,
				struct famfs_segment *seg)
{
	u64 chunk = map->chunk_size;
	u64 c = div64_u64(pos, chunk);
	u32 strip;
	u64 row = div_u64_rem(c, map->n_extents, &strip);

	seg->file_off = c * chunk;
	seg->len = chunk;
	seg->dev_off = map->extents[strip].offset + row * chunk;
	seg->member = map->extents[strip].dev_index;
}

/* The extent holding file offset @pos: the first that ends after it. */
static bool famfs_extent_lookup(const struct famfs_map *map, u64 pos,
				struct famfs_segment *seg)
{
	u32 lo = 0, hi = map->n_extents;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (map->file_ends[mid] > pos)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == map->n_extents)
		return false;
	seg->len = map->extents[lo].len;
	seg->file_off = map->file_ends[lo] - seg->len;
	seg->dev_off = map->extents[lo].offset;
	seg->member = map->extents[lo].dev_index;
	return true;
}

/*
 * The longest run of file bytes from a boundary at or before @pos that is
 * contiguous on one member; false past the last extent.
 */
bool famfs_map_lookup(const struct famfs_map *map, u64 pos,
		      struct famfs_segment *seg)
{
	if (!map->chunk_size)
		return famfs_extent_lookup(map, pos, seg);
	if (pos >= famfs_map_bytes(map))
		return false;
	famfs_stripe_lookup(map, pos, seg);
	return true;
}

/* The file offset of byte @ext_off of extent (or strip) @index. */
u64 famfs_map_file_offset(const struct famfs_map *map, u32 index, u64 ext_off)
{
	u64 chunk = map->chunk_size;
	u64 in_chunk;
	u64 row;

	if (!chunk)
		return map->file_ends[index] - map->extents[index].len + ext_off;
	row = div64_u64_rem(ext_off, chunk, &in_chunk);
	return (row * map->n_extents + index) * chunk + in_chunk;
}
