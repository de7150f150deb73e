// SPDX-License-Identifier: GPL-2.0
/*
 * Free space: one bit per allocation unit, built once by playing the log and
 * then updated as extents are handed out, so a run of allocations never
 * rescans the log.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WORD_BITS	64

static bool unit_used(const struct famfs_alloc *a, uint64_t u)
{
	return a->bits[u / WORD_BITS] & (1ULL << (u % WORD_BITS));
}

static void unit_set(struct famfs_alloc *a, uint64_t u)
{
	a->bits[u / WORD_BITS] |= 1ULL << (u % WORD_BITS);
}

static void unit_clear(struct famfs_alloc *a, uint64_t u)
{
	a->bits[u / WORD_BITS] &= ~(1ULL << (u % WORD_BITS));
}

/* First unit >= u whose bit equals used, or nunits; skips whole words. */
static uint64_t find_next(const struct famfs_alloc *a, uint64_t u, bool used)
{
	uint64_t skip = used ? 0 : ~0ULL;

	while (u < a->nunits) {
		if (!(u % WORD_BITS) && a->bits[u / WORD_BITS] == skip) {
			u += WORD_BITS;
			continue;
		}
		if (unit_used(a, u) == used)
			return u;
		u++;
	}
	return a->nunits;
}

int famfs_alloc_init(struct famfs_alloc *a, const struct famfs_geometry *geo,
		     bool track_owners)
{
	uint64_t words, u;

	memset(a, 0, sizeof(*a));
	a->geo = *geo;
	a->nunits = geo->dev_size / geo->alloc_unit;
	a->data_start = famfs_units(famfs_geo_log_end(geo), geo->alloc_unit);
	if (a->data_start > a->nunits)
		return -EINVAL;
	words = (a->nunits + WORD_BITS - 1) / WORD_BITS;
	a->bits = calloc(words ? words : 1, sizeof(*a->bits));
	if (track_owners)
		a->owners = calloc(a->nunits ? a->nunits : 1, sizeof(*a->owners));
	if (!a->bits || (track_owners && !a->owners)) {
		famfs_alloc_free(a);
		return -ENOMEM;
	}
	for (u = 0; u < a->data_start; u++)
		unit_set(a, u);
	a->free_units = a->nunits - a->data_start;
	a->hint = a->data_start;
	return 0;
}

void famfs_alloc_free(struct famfs_alloc *a)
{
	free(a->bits);
	free(a->owners);
	a->bits = NULL;
	a->owners = NULL;
}

int famfs_alloc_claim(struct famfs_alloc *a, const struct famfs_extent_info *ext,
		      uint64_t seq, struct famfs_collision *c)
{
	uint64_t u = ext->offset / a->geo.alloc_unit;
	uint64_t end = u + famfs_units(ext->len, a->geo.alloc_unit);
	uint64_t taken = 0;

	if (end > a->nunits)
		end = a->nunits;
	for (; u < end; u++) {
		if (unit_used(a, u)) {
			if (!taken++ && c) {
				c->offset = u * a->geo.alloc_unit;
				c->owner_seq = a->owners && a->owners[u] ?
					       a->owners[u] - 1 : UINT64_MAX;
			}
			continue;
		}
		unit_set(a, u);
		if (a->owners)
			a->owners[u] = seq + 1;
		a->free_units--;
	}
	if (taken && c)
		c->units = taken;
	return taken ? 1 : 0;
}

static int claim_entry(struct famfs_alloc *a, const struct famfs_entry *e,
		       struct famfs_error *err)
{
	char shown[FAMFS_PATH_SHOWN];
	struct famfs_extent_info ext;
	struct famfs_collision c;
	uint32_t i;

	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &ext);
		if (famfs_alloc_claim(a, &ext, e->seq, &c))
			return famfs_error_set(err, FAMFS_E_EXT_OVERLAP,
					       "log entry seq %llu (%s) claims device offset %#llx, already in use",
					       (unsigned long long)e->seq,
					       famfs_path_show(shown, sizeof(shown), e->path),
					       (unsigned long long)c.offset);
	}
	return 0;
}

int famfs_alloc_build(struct famfs_alloc *a, const struct famfs_log *log,
		      struct famfs_error *err)
{
	struct famfs_log_iter it;
	struct famfs_entry *e;
	int rc;

	rc = famfs_alloc_init(a, &log->sb.geo, false);
	if (rc)
		return famfs_error_set(err, rc, "allocation bitmap: %s",
				       strerror(-rc));
	e = malloc(sizeof(*e));
	if (!e) {
		famfs_alloc_free(a);
		return famfs_error_set(err, -ENOMEM, "out of memory");
	}
	famfs_log_iter_init(&it, log);
	while (!rc && famfs_log_iter_more(&it)) {
		rc = famfs_log_iter_next(&it, e, err);
		if (!rc && e->type == FAMFS_ENTRY_FILE)
			rc = claim_entry(a, e, err);
	}
	if (!rc)
		rc = famfs_log_iter_finish(&it, err);
	free(e);
	if (rc)
		famfs_alloc_free(a);
	return rc;
}

static void take_run(struct famfs_alloc *a, uint64_t u, uint64_t n,
		     struct famfs_extent_info *ext)
{
	uint64_t i;

	for (i = u; i < u + n; i++)
		unit_set(a, i);
	a->free_units -= n;
	ext->dev_index = 0;
	ext->offset = u * a->geo.alloc_unit;
	ext->len = n * a->geo.alloc_unit;
}

/* First free run of at least need units inside units [lo, hi), or hi. */
static uint64_t fit_within(const struct famfs_alloc *a, uint64_t need,
			   uint64_t lo, uint64_t hi)
{
	uint64_t u = find_next(a, lo, false), end;

	while (u < hi) {
		end = find_next(a, u, true);
		if (end > hi)
			end = hi;
		if (end - u >= need)
			return u;
		u = find_next(a, end, false);
	}
	return hi;
}

/* First free run of at least need units, or nunits. */
static uint64_t first_fit(const struct famfs_alloc *a, uint64_t need)
{
	return fit_within(a, need, a->hint, a->nunits);
}

/* Free runs in address order until need units are covered, at most max. */
static int gather_runs(struct famfs_alloc *a, uint64_t need,
		       struct famfs_extent_info *ext, uint32_t max, uint32_t *n)
{
	uint64_t u = find_next(a, a->hint, false), end, take;

	*n = 0;
	while (need) {
		if (*n == max) {
			famfs_alloc_release(a, ext, *n);
			return -ENOSPC;
		}
		end = find_next(a, u, true);
		take = end - u < need ? end - u : need;
		take_run(a, u, take, &ext[(*n)++]);
		need -= take;
		u = find_next(a, end, false);
	}
	return 0;
}

int famfs_alloc_on_member(struct famfs_alloc *a, uint32_t member, uint64_t lo,
			  uint64_t hi, uint64_t len,
			  struct famfs_extent_info *ext, struct famfs_error *err)
{
	uint64_t unit = a->geo.alloc_unit, need = famfs_units(len, unit);
	uint64_t from = famfs_units(lo, unit), u;
	uint64_t to = hi && hi / unit < a->nunits ? hi / unit : a->nunits;

	/* One bitmap: member 0's. */
	if (member)
		return famfs_error_set(err, -EINVAL,
				       "member %u: the file system has 1 member",
				       member);
	if (from < a->hint)
		from = a->hint;
	u = need && from < to ? fit_within(a, need, from, to) : to;
	if (u >= to)
		return famfs_error_set(err, -ENOSPC,
				       "member %u: no free run of %llu MiB between offsets %#llx and %#llx",
				       member,
				       (unsigned long long)(need * unit / FAMFS_MIB),
				       (unsigned long long)lo,
				       (unsigned long long)(to * unit));
	take_run(a, u, need, ext);
	return 0;
}

int famfs_alloc_extents(struct famfs_alloc *a, uint64_t size,
			struct famfs_extent_info *ext, uint32_t max,
			uint32_t *n, struct famfs_error *err)
{
	uint64_t need = famfs_units(size, a->geo.alloc_unit);
	uint64_t u;

	*n = 0;
	if (!need)
		return 0;
	if (need > a->free_units)
		return famfs_error_set(err, -ENOSPC,
				       "device full: %llu MiB needed, %llu MiB free",
				       (unsigned long long)(need * a->geo.alloc_unit / FAMFS_MIB),
				       (unsigned long long)(a->free_units * a->geo.alloc_unit / FAMFS_MIB));
	if (!max)
		return famfs_error_set(err, -EINVAL, "no room for extents");
	u = first_fit(a, need);
	if (u < a->nunits) {
		take_run(a, u, need, ext);
		*n = 1;
	} else if (gather_runs(a, need, ext, max, n)) {
		return famfs_error_set(err, -ENOSPC,
				       "free space too fragmented: %llu MiB needs more than %u extents",
				       (unsigned long long)(need * a->geo.alloc_unit / FAMFS_MIB),
				       max);
	}
	a->hint = find_next(a, a->hint, false);
	return 0;
}

void famfs_alloc_release(struct famfs_alloc *a,
			 const struct famfs_extent_info *ext, uint32_t n)
{
	uint64_t u, end;
	uint32_t i;

	for (i = 0; i < n; i++) {
		u = ext[i].offset / a->geo.alloc_unit;
		end = u + famfs_units(ext[i].len, a->geo.alloc_unit);
		if (u < a->hint)
			a->hint = u;
		for (; u < end && u < a->nunits; u++) {
			if (u < a->data_start || !unit_used(a, u))
				continue;
			unit_clear(a, u);
			if (a->owners)
				a->owners[u] = 0;
			a->free_units++;
		}
	}
}
