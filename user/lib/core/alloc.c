// SPDX-License-Identifier: GPL-2.0
/*
 * Free space: one bit per allocation unit of each member, built once by
 * playing the log and then updated as extents are handed out, so a run of
 * allocations never rescans the log. A run never crosses members: each
 * has its own bitmap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define WORD_BITS	64

static bool unit_used(const struct famfs_alloc_member *m, uint64_t u)
{
	return m->bits[u / WORD_BITS] & (1ULL << (u % WORD_BITS));
}

static void unit_set(struct famfs_alloc_member *m, uint64_t u)
{
	m->bits[u / WORD_BITS] |= 1ULL << (u % WORD_BITS);
}

static void unit_clear(struct famfs_alloc_member *m, uint64_t u)
{
	m->bits[u / WORD_BITS] &= ~(1ULL << (u % WORD_BITS));
}

/* First unit in [u, end) whose bit equals used, or end; skips whole words. */
static uint64_t find_next(const struct famfs_alloc_member *m, uint64_t u,
			  uint64_t end, bool used)
{
	uint64_t skip = used ? 0 : ~0ULL;

	while (u < end) {
		if (!(u % WORD_BITS) && u + WORD_BITS <= end &&
		    m->bits[u / WORD_BITS] == skip) {
			u += WORD_BITS;
			continue;
		}
		if (unit_used(m, u) == used)
			return u;
		u++;
	}
	return end;
}

static int member_init(struct famfs_alloc_member *m, uint64_t nunits,
		       uint64_t data_start, bool track_owners)
{
	uint64_t words = (nunits + WORD_BITS - 1) / WORD_BITS, u;

	if (data_start > nunits)
		return -EINVAL;
	m->nunits = nunits;
	m->data_start = data_start;
	m->bits = calloc(words ? words : 1, sizeof(*m->bits));
	if (track_owners)
		m->owners = calloc(nunits ? nunits : 1, sizeof(*m->owners));
	if (!m->bits || (track_owners && !m->owners))
		return -ENOMEM;
	for (u = 0; u < data_start; u++)
		unit_set(m, u);
	m->free_units = nunits - data_start;
	m->hint = data_start;
	return 0;
}

int famfs_alloc_init(struct famfs_alloc *a, const struct famfs_geometry *geo,
		     bool track_owners)
{
	struct famfs_alloc_member *m;
	uint32_t i;
	int rc = 0;

	memset(a, 0, sizeof(*a));
	a->geo = *geo;
	a->track_owners = track_owners;
	for (i = 0; !rc && i < geo->n_members; i++) {
		m = &a->m[i];
		rc = member_init(m, geo->member_size[i] / geo->alloc_unit,
				 famfs_units(famfs_geo_data_start(geo, i),
					     geo->alloc_unit),
				 track_owners);
		a->data_units += m->nunits - m->data_start;
		a->free_units += m->free_units;
	}
	if (rc)
		famfs_alloc_free(a);
	return rc;
}

void famfs_alloc_free(struct famfs_alloc *a)
{
	uint32_t i;

	for (i = 0; i < FAMFS_MAX_DEVICES; i++) {
		free(a->m[i].bits);
		free(a->m[i].owners);
		a->m[i].bits = NULL;
		a->m[i].owners = NULL;
	}
}

/* The member an extent names; NULL for one the geometry lacks. */
static struct famfs_alloc_member *member_of(struct famfs_alloc *a,
					    uint32_t index)
{
	return index < a->geo.n_members ? &a->m[index] : NULL;
}

int famfs_alloc_claim(struct famfs_alloc *a, const struct famfs_extent_info *ext,
		      uint64_t seq, struct famfs_collision *c)
{
	struct famfs_alloc_member *m = member_of(a, ext->dev_index);
	uint64_t u = ext->offset / a->geo.alloc_unit;
	uint64_t end = u + famfs_units(ext->len, a->geo.alloc_unit);
	uint64_t taken = 0;

	if (!m)		/* decoding checked every index: nothing to claim */
		return 0;
	if (end > m->nunits)
		end = m->nunits;
	for (; u < end; u++) {
		if (unit_used(m, u)) {
			if (!taken++ && c) {
				c->dev_index = ext->dev_index;
				c->offset = u * a->geo.alloc_unit;
				c->owner_seq = m->owners && m->owners[u] ?
					       m->owners[u] - 1 : UINT64_MAX;
			}
			continue;
		}
		unit_set(m, u);
		if (m->owners)
			m->owners[u] = seq + 1;
		m->free_units--;
		a->free_units--;
	}
	if (taken && c)
		c->units = taken;
	return taken ? 1 : 0;
}

static int claim_entry(struct famfs_alloc *a, const struct famfs_entry *e,
		       struct famfs_error *err)
{
	char shown[FAMFS_PATH_SHOWN], at[FAMFS_PLACE_SHOWN];
	struct famfs_extent_info ext;
	struct famfs_collision c;
	uint32_t i;

	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &ext);
		if (famfs_alloc_claim(a, &ext, e->seq, &c))
			return famfs_error_set(err, FAMFS_E_EXT_OVERLAP,
					       "log entry seq %llu (%s) claims %s, already in use",
					       (unsigned long long)e->seq,
					       famfs_path_show(shown, sizeof(shown), e->path),
					       famfs_place_show(at, sizeof(at),
								c.dev_index,
								c.offset));
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

static void take_run(struct famfs_alloc *a, uint32_t index, uint64_t u,
		     uint64_t n, struct famfs_extent_info *ext)
{
	struct famfs_alloc_member *m = &a->m[index];
	uint64_t i;

	for (i = u; i < u + n; i++)
		unit_set(m, i);
	m->free_units -= n;
	a->free_units -= n;
	if (u == m->hint)
		m->hint = find_next(m, u + n, m->nunits, false);
	ext->dev_index = index;
	ext->offset = u * a->geo.alloc_unit;
	ext->len = n * a->geo.alloc_unit;
}

/* First free run of at least need units in [u, end), or end. */
static uint64_t first_fit(const struct famfs_alloc_member *m, uint64_t u,
			  uint64_t end, uint64_t need)
{
	uint64_t used;

	u = find_next(m, u, end, false);
	while (u < end) {
		used = find_next(m, u, end, true);
		if (used - u >= need)
			return u;
		u = find_next(m, used, end, false);
	}
	return end;
}

/*
 * Free runs of member index in address order, until *need units are
 * covered or ext holds max extents (*n of them so far).
 */
static void gather_runs(struct famfs_alloc *a, uint32_t index, uint64_t *need,
			struct famfs_extent_info *ext, uint32_t max,
			uint32_t *n)
{
	struct famfs_alloc_member *m = &a->m[index];
	uint64_t u = find_next(m, m->hint, m->nunits, false), end, take;

	while (*need && *n < max && u < m->nunits) {
		end = find_next(m, u, m->nunits, true);
		take = end - u < *need ? end - u : *need;
		take_run(a, index, u, take, &ext[(*n)++]);
		*need -= take;
		u = find_next(m, end, m->nunits, false);
	}
}

/* The member with the most free units; the first of those with as many. */
static uint32_t roomiest(const struct famfs_alloc *a)
{
	uint32_t i, best = 0;

	for (i = 1; i < a->geo.n_members; i++)
		if (a->m[i].free_units > a->m[best].free_units)
			best = i;
	return best;
}

/* Runs of the roomiest member first, then of the others in index order. */
static int gather_all(struct famfs_alloc *a, uint32_t first, uint64_t need,
		      struct famfs_extent_info *ext, uint32_t max, uint32_t *n)
{
	uint32_t i;

	gather_runs(a, first, &need, ext, max, n);
	for (i = 0; need && i < a->geo.n_members; i++)
		if (i != first)
			gather_runs(a, i, &need, ext, max, n);
	if (!need)
		return 0;
	famfs_alloc_release(a, ext, *n);
	*n = 0;
	return -ENOSPC;
}

int famfs_alloc_extents(struct famfs_alloc *a, uint64_t size,
			struct famfs_extent_info *ext, uint32_t max,
			uint32_t *n, struct famfs_error *err)
{
	uint64_t need = famfs_units(size, a->geo.alloc_unit);
	struct famfs_alloc_member *m;
	uint32_t first;
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
	first = roomiest(a);
	m = &a->m[first];
	u = first_fit(m, m->hint, m->nunits, need);
	if (u < m->nunits) {
		take_run(a, first, u, need, ext);
		*n = 1;
	} else if (gather_all(a, first, need, ext, max, n)) {
		return famfs_error_set(err, -ENOSPC,
				       "free space too fragmented: %llu MiB needs more than %u extents",
				       (unsigned long long)(need * a->geo.alloc_unit / FAMFS_MIB),
				       max);
	}
	return 0;
}

int famfs_alloc_on_member(struct famfs_alloc *a, uint32_t member, uint64_t lo,
			  uint64_t hi, uint64_t len,
			  struct famfs_extent_info *ext, struct famfs_error *err)
{
	struct famfs_alloc_member *m = member_of(a, member);
	uint64_t unit = a->geo.alloc_unit, need = famfs_units(len, unit);
	uint64_t from, to, u;

	if (!m)
		return famfs_error_set(err, -EINVAL,
				       "member %u: the file system has %u members",
				       member, a->geo.n_members);
	from = famfs_units(lo, unit);
	to = hi && hi / unit < m->nunits ? hi / unit : m->nunits;
	if (from < m->hint)
		from = m->hint;
	u = need ? first_fit(m, from, to, need) : to;
	if (u >= to)
		return famfs_error_set(err, -ENOSPC,
				       "member %u: no free run of %llu MiB between offsets %#llx and %#llx (%llu MiB free on it)",
				       member,
				       (unsigned long long)(need * unit / FAMFS_MIB),
				       (unsigned long long)lo,
				       (unsigned long long)(to * unit),
				       (unsigned long long)(m->free_units * unit / FAMFS_MIB));
	take_run(a, member, u, need, ext);
	return 0;
}

uint64_t famfs_alloc_member_free(const struct famfs_alloc *a, uint32_t member)
{
	if (member >= a->geo.n_members)
		return 0;
	return a->m[member].free_units * a->geo.alloc_unit;
}

void famfs_alloc_release(struct famfs_alloc *a,
			 const struct famfs_extent_info *ext, uint32_t n)
{
	struct famfs_alloc_member *m;
	uint64_t u, end;
	uint32_t i;

	for (i = 0; i < n; i++) {
		m = member_of(a, ext[i].dev_index);
		if (!m)
			continue;
		u = ext[i].offset / a->geo.alloc_unit;
		end = u + famfs_units(ext[i].len, a->geo.alloc_unit);
		if (u < m->hint)
			m->hint = u < m->data_start ? m->data_start : u;
		for (; u < end && u < m->nunits; u++) {
			if (u < m->data_start || !unit_used(m, u))
				continue;
			unit_clear(m, u);
			if (m->owners)
				m->owners[u] = 0;
			m->free_units++;
			a->free_units++;
		}
	}
}
