// SPDX-License-Identifier: GPL-2.0
/*
 * Space under the reuse rule (docs/space-release.md), from one walk of the
 * log. While walking, a DELETE frees its file's units at once, so that a
 * later file that reused them claims them cleanly; at the end, the deletes
 * that some live host has not released yet (seq >= the release floor) take
 * their units back as awaiting release. A unit a later file took before
 * its delete was released everywhere then shows as a collision: that file
 * reused space some host may still read. A damaged slot keeps what is not
 * reused yet, but judges no reuse: it was readable when the reuse was made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int famfs_space_init(struct famfs_space *s, const struct famfs_log *log,
		     const struct famfs_geometry *geo, bool track_owners)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->log = log;
	s->e = malloc(sizeof(*s->e));
	if (!s->e)
		return -ENOMEM;
	rc = famfs_alloc_init(&s->alloc, geo, track_owners);
	if (rc) {
		free(s->e);
		s->e = NULL;
	}
	return rc;
}

void famfs_space_free(struct famfs_space *s)
{
	famfs_alloc_free(&s->alloc);
	famfs_offsets_free(&s->offs);
	famfs_evictions_free(&s->ev);
	free(s->del);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

/* Claim (or, with give_back, free) the extents of FILE entry fseq. */
static int file_units(struct famfs_space *s, uint64_t fseq, bool give_back,
		      struct famfs_collision *c)
{
	struct famfs_extent_info x;
	int rc = famfs_offsets_decode(&s->offs, s->log, fseq, s->e);
	uint32_t i;

	if (rc)
		return rc;
	for (i = 0; i < s->e->n_extents; i++) {
		famfs_entry_extent(s->e, i, &x);
		if (give_back)
			famfs_alloc_release(&s->alloc, &x, 1);
		else if (famfs_alloc_claim(&s->alloc, &x, fseq, c))
			rc = FAMFS_E_EXT_OVERLAP;
	}
	return rc;
}

static int note_delete(struct famfs_space *s, uint64_t dseq, uint64_t fseq)
{
	struct famfs_deleted *more = famfs_grow(s->del, &s->cap, s->ndel,
						sizeof(*more));

	if (!more)
		return -ENOMEM;
	s->del = more;
	s->del[s->ndel].dseq = dseq;
	s->del[s->ndel++].fseq = fseq;
	return file_units(s, fseq, true, NULL);
}

int famfs_space_entry(struct famfs_space *s, const struct famfs_entry *e,
		      const struct famfs_path_item *was, uint64_t off,
		      struct famfs_collision *c)
{
	struct famfs_extent_info x;
	int rc = 0;
	uint32_t i;

	if (famfs_offsets_note(&s->offs, e->seq, off))
		return -ENOMEM;
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		for (i = 0; i < e->n_extents; i++) {
			famfs_entry_extent(e, i, &x);
			if (famfs_alloc_claim(&s->alloc, &x, e->seq, c) && !rc)
				rc = FAMFS_E_EXT_OVERLAP;
		}
		return rc;
	case FAMFS_ENTRY_DELETE:
		if (was && was->type == FAMFS_ENTRY_FILE)
			return note_delete(s, e->seq, was->seq);
		return 0;
	case FAMFS_ENTRY_EVICT:
		return famfs_evictions_add(&s->ev, e);
	}
	return 0;
}

uint64_t famfs_space_floor(struct famfs_space *s)
{
	struct famfs_hosts t;

	s->judged = 0;
	if (famfs_log_hosts(s->log, &t))
		return 0;
	return famfs_release_floors(&t, &s->ev, &s->judged);
}

int famfs_space_settle(struct famfs_space *s, uint64_t floor,
		       famfs_space_early_fn early, void *arg)
{
	struct famfs_collision c;
	uint64_t before;
	size_t i;
	int rc;

	s->floor = floor;
	for (i = 0; i < s->ndel; i++) {
		if (s->del[i].dseq < floor)
			continue;
		before = s->alloc.free_units;
		rc = file_units(s, s->del[i].fseq, false, &c);
		s->awaiting_units += before - s->alloc.free_units;
		if (rc == FAMFS_E_EXT_OVERLAP && early &&
		    s->del[i].dseq >= s->judged)
			early(arg, &s->del[i], &c);
		else if (rc && rc != FAMFS_E_EXT_OVERLAP)
			return rc;
	}
	return 0;
}

static int scan_entry(void *arg, const struct famfs_entry *e,
		      const struct famfs_path_item *was, uint64_t off,
		      struct famfs_error *err)
{
	struct famfs_collision c;

	if (famfs_space_entry(arg, e, was, off, &c) == -ENOMEM)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	return 0;	/* overlaps are fsck's to report */
}

int famfs_space_scan(struct famfs_space *s, struct famfs_names *n,
		     const struct famfs_log *log, struct famfs_error *err)
{
	int rc;

	famfs_names_init(n);
	rc = famfs_space_init(s, log, &log->sb.geo, false);
	if (rc)
		return famfs_error_set(err, rc, "out of memory");
	rc = famfs_names_build(n, log, scan_entry, s, err);
	if (!rc)
		rc = famfs_space_settle(s, famfs_space_floor(s), NULL, NULL);
	return rc;
}

uint64_t famfs_space_used(const struct famfs_space *s)
{
	const struct famfs_alloc *a = &s->alloc;

	return (a->data_units - a->free_units) * a->geo.alloc_unit;
}
