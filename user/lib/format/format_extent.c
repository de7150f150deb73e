// SPDX-License-Identifier: GPL-2.0
/*
 * Extents: each one against the geometry of its member, a file's list as a
 * whole, and the strips of a striped file.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "format_internal.h"

void famfs_extent_store(void *media, const struct famfs_extent_info *ext)
{
	struct famfs_extent e = {
		.dev_index = htole32(ext->dev_index),
		.offset = htole64(ext->offset),
		.len = htole64(ext->len),
	};

	memcpy(media, &e, sizeof(e));
}

uint32_t famfs_extent_load(const void *media, struct famfs_extent_info *ext)
{
	struct famfs_extent e;

	memcpy(&e, media, sizeof(e));
	ext->dev_index = le32toh(e.dev_index);
	ext->offset = le64toh(e.offset);
	ext->len = le64toh(e.len);
	return le32toh(e.reserved);
}

void famfs_entry_extent(const struct famfs_entry *e, uint32_t i,
			struct famfs_extent_info *out)
{
	famfs_extent_load((const uint8_t *)e->extents + (size_t)i * sizeof(struct famfs_extent),
			  out);
}

/*
 * geo must have passed famfs_geometry_check(). Each extent lies in the
 * data area of its member.
 */
int famfs_extent_check(const struct famfs_geometry *geo,
		       const struct famfs_extent_info *ext)
{
	uint64_t size;

	if (ext->dev_index >= geo->n_members)
		return FAMFS_E_EXT_DEV;
	if (ext->len == 0)
		return FAMFS_E_EXT_ZERO;
	if (ext->offset % geo->alloc_unit || ext->len % geo->alloc_unit)
		return FAMFS_E_EXT_ALIGN;
	if (ext->offset < famfs_geo_data_start(geo, ext->dev_index))
		return FAMFS_E_EXT_RESERVED;
	size = geo->member_size[ext->dev_index];
	/* Written so that offset + len cannot wrap. */
	if (ext->offset > size || ext->len > size - ext->offset)
		return FAMFS_E_EXT_RANGE;
	return FAMFS_OK;
}

static int extent_at(const struct famfs_extent_list *list, uint32_t i,
		     struct famfs_extent_info *ext)
{
	if (list->host) {
		*ext = list->host[i];
		return FAMFS_OK;
	}
	if (famfs_extent_load((const uint8_t *)list->media +
			      (size_t)i * sizeof(struct famfs_extent), ext))
		return FAMFS_E_FLAGS;
	return FAMFS_OK;
}

/* Both extents lie inside their members, so the ends cannot wrap. */
static bool extents_overlap(const struct famfs_extent_info *a,
			    const struct famfs_extent_info *b)
{
	return a->dev_index == b->dev_index &&
	       a->offset < b->offset + b->len && b->offset < a->offset + a->len;
}

static int extent_cmp(const void *a, const void *b)
{
	const struct famfs_extent_info *x = a, *y = b;

	if (x->dev_index != y->dev_index)
		return x->dev_index < y->dev_index ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

/*
 * In a list sorted by (device, offset) an extent can only overlap its
 * predecessor. The walk stops, with *sorted false, at the first pair out of
 * order, where that reasoning ends.
 */
static int neighbour_overlap_check(const struct famfs_extent_list *list,
				   bool *sorted)
{
	struct famfs_extent_info prev, cur;
	uint32_t i;

	*sorted = false;
	extent_at(list, 0, &prev);
	for (i = 1; i < list->n; i++, prev = cur) {
		extent_at(list, i, &cur);
		if (extent_cmp(&prev, &cur) > 0)
			return FAMFS_OK;
		if (extents_overlap(&prev, &cur))
			return FAMFS_E_EXT_OVERLAP;
	}
	*sorted = true;
	return FAMFS_OK;
}

/*
 * The allocator hands out sorted lists, checked in place in one pass; any
 * other order is sorted in a copy, so that FAMFS_MAX_EXTENTS extents cost
 * n log n rather than n^2 comparisons.
 */
static int extent_list_overlap_check(const struct famfs_extent_list *list)
{
	struct famfs_extent_list by_offset = { .n = list->n };
	struct famfs_extent_info *copy;
	bool sorted;
	uint32_t i;
	int err;

	err = neighbour_overlap_check(list, &sorted);
	if (err || sorted)
		return err;
	copy = malloc((size_t)list->n * sizeof(*copy));
	if (!copy)
		return FAMFS_E_NOMEM;
	for (i = 0; i < list->n; i++)
		extent_at(list, i, &copy[i]);
	qsort(copy, list->n, sizeof(*copy), extent_cmp);
	by_offset.host = copy;
	err = neighbour_overlap_check(&by_offset, &sorted);
	free(copy);
	return err;
}

int famfs_extent_list_check(const struct famfs_geometry *geo,
			    const struct famfs_extent_list *list, uint64_t size)
{
	struct famfs_extent_info ext;
	uint64_t missing = size;
	uint32_t i;
	int err;

	if (list->n > FAMFS_MAX_EXTENTS || (list->n == 0 && size))
		return FAMFS_E_EXT_COUNT;
	if (list->n == 0)
		return FAMFS_OK;
	for (i = 0; i < list->n; i++) {
		err = extent_at(list, i, &ext);
		if (!err)
			err = famfs_extent_check(geo, &ext);
		if (err)
			return err;
		/* Counting down from size cannot overflow, unlike a sum. */
		missing -= ext.len < missing ? ext.len : missing;
	}
	err = extent_list_overlap_check(list);
	if (err)
		return err;
	return missing ? FAMFS_E_EXT_SHORT : FAMFS_OK;
}

int famfs_extents_check(const struct famfs_geometry *geo,
			const struct famfs_extent_info *ext, uint32_t n,
			uint64_t size)
{
	struct famfs_extent_list list = { .host = ext, .n = n };

	return famfs_extent_list_check(geo, &list, size);
}

int famfs_stripe_shape_check(const struct famfs_geometry *geo, uint64_t chunk,
			     uint32_t n)
{
	if (n < 2 || n > FAMFS_STRIPE_MAX)
		return FAMFS_E_STRIPE;
	if (!chunk || chunk % geo->alloc_unit || chunk > FAMFS_CHUNK_MAX)
		return FAMFS_E_STRIPE;
	return FAMFS_OK;
}

/* Every strip as long as the first, a whole number of chunks. */
static int strip_lengths_check(uint64_t chunk,
			       const struct famfs_extent_list *list)
{
	struct famfs_extent_info first, strip;
	uint32_t i;
	int err;

	err = extent_at(list, 0, &first);
	if (err)
		return err;
	if (first.len % chunk)
		return FAMFS_E_STRIPE;
	for (i = 1; i < list->n; i++) {
		err = extent_at(list, i, &strip);
		if (err)
			return err;
		if (strip.len != first.len)
			return FAMFS_E_STRIPE;
	}
	return FAMFS_OK;
}

int famfs_stripe_list_check(const struct famfs_geometry *geo, uint64_t chunk,
			    const struct famfs_extent_list *list, uint64_t size)
{
	int err;

	err = famfs_stripe_shape_check(geo, chunk, list->n);
	if (!err)
		err = strip_lengths_check(chunk, list);
	if (!err)
		err = famfs_extent_list_check(geo, list, size);
	return err;
}

int famfs_stripe_check(const struct famfs_geometry *geo, uint64_t chunk,
		       const struct famfs_extent_info *strip, uint32_t n,
		       uint64_t size)
{
	struct famfs_extent_list list = { .host = strip, .n = n };

	return famfs_stripe_list_check(geo, chunk, &list, size);
}
