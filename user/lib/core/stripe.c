// SPDX-License-Identifier: GPL-2.0
/*
 * Placing a striped file's strips (docs/devices.md, "Striped files"):
 * strip i goes to member i mod M, as the first free run of its length in
 * bucket i mod B of that member, so that strips sharing a member come from
 * distinct regions of it. A full bucket falls back to the whole member:
 * the file is then made all the same, only with two strips closer.
 */
#include <errno.h>

#include "internal.h"

/* Whole rows of nstrips chunks; no sum that could wrap near 2^64. */
uint64_t famfs_strip_len(const struct famfs_stripe *s, uint64_t size)
{
	uint64_t row = (uint64_t)s->nstrips * s->chunk;

	return (size / row + !!(size % row)) * s->chunk;
}

int famfs_stripe_valid(const struct famfs_stripe *s, uint32_t alloc_unit,
		       struct famfs_error *err)
{
	if (s->nstrips < 2 || s->nstrips > FAMFS_STRIPE_MAX)
		return famfs_error_set(err, -EINVAL,
				       "%u strips: a striped file has 2 to %u",
				       s->nstrips, FAMFS_STRIPE_MAX);
	if (!s->chunk || s->chunk % alloc_unit || s->chunk > FAMFS_CHUNK_MAX)
		return famfs_error_set(err, -EINVAL,
				       "chunk size %llu: must be a non-zero multiple of %u MiB, at most %llu GiB",
				       (unsigned long long)s->chunk,
				       alloc_unit >> 20, FAMFS_CHUNK_MAX >> 30);
	if (s->nbuckets > FAMFS_STRIPE_MAX)
		return famfs_error_set(err, -EINVAL,
				       "%u buckets: at most %u", s->nbuckets,
				       FAMFS_STRIPE_MAX);
	return 0;
}

/* Device bytes [*lo, *hi) of bucket b of nb on member m. */
static void bucket_bounds(const struct famfs_geometry *geo, uint32_t m,
			  uint32_t b, uint32_t nb, uint64_t *lo, uint64_t *hi)
{
	uint64_t unit = geo->alloc_unit;
	uint64_t first = (famfs_geo_data_start(geo, m) + unit - 1) / unit;
	uint64_t units = geo->member_size[m] / unit - first;
	uint64_t width = units / nb;

	*lo = (first + b * width) * unit;
	*hi = b + 1 == nb ? geo->member_size[m] : *lo + width * unit;
}

static int alloc_strip(struct famfs_alloc *a, const struct famfs_stripe *s,
		       uint32_t i, uint64_t len, struct famfs_extent_info *strip)
{
	uint32_t m = i % a->geo.n_members;
	uint32_t nb = s->nbuckets ? s->nbuckets : s->nstrips;
	uint64_t lo, hi;

	bucket_bounds(&a->geo, m, i % nb, nb, &lo, &hi);
	if (!famfs_alloc_on_member(a, m, lo, hi, len, strip, NULL))
		return 0;
	return famfs_alloc_on_member(a, m, 0, 0, len, strip, NULL);
}

int famfs_alloc_stripes(struct famfs_alloc *a, const struct famfs_stripe *s,
			uint64_t size, struct famfs_extent_info *strip,
			struct famfs_error *err)
{
	uint64_t len = famfs_strip_len(s, size);
	uint32_t i;

	for (i = 0; i < s->nstrips; i++) {
		if (alloc_strip(a, s, i, len, &strip[i]))
			break;
	}
	if (i == s->nstrips)
		return 0;
	famfs_alloc_release(a, strip, i);
	return famfs_error_set(err, -ENOSPC,
			       "member %u full: no free run of %llu MiB for strip %u of %u",
			       i % a->geo.n_members,
			       (unsigned long long)(len / FAMFS_MIB), i,
			       s->nstrips);
}
