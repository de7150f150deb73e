// SPDX-License-Identifier: GPL-2.0
/*
 * The reuse rule: a unit of a file deleted at seq d may go to a new file
 * only when every live slot has released_seq > d. A slot is live while it
 * says MOUNTED and no EVICT entry names its mount; a damaged slot might be
 * a live host's, so it pins everything, and so does one whose seqs count
 * in another log generation than the log's (docs/compaction.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int famfs_evictions_add(struct famfs_evictions *ev, const struct famfs_entry *e)
{
	struct famfs_eviction *more = famfs_grow(ev->v, &ev->cap, ev->n,
						 sizeof(*more));

	if (!more)
		return -ENOMEM;
	ev->v = more;
	memcpy(ev->v[ev->n].uuid, e->uuid, sizeof(e->uuid));
	ev->v[ev->n++].nonce = e->nonce;
	return 0;
}

bool famfs_evicted(const struct famfs_evictions *ev,
		   const struct famfs_host_info *h)
{
	size_t i;

	for (i = 0; ev && i < ev->n; i++)
		if (ev->v[i].nonce == h->nonce &&
		    !memcmp(ev->v[i].uuid, h->system_uuid, 16))
			return true;
	return false;
}

void famfs_log_evictions(const struct famfs_log *log,
			 struct famfs_evictions *ev)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;

	famfs_log_iter_init(&it, log);
	while (e && famfs_log_iter_more(&it) &&
	       !famfs_log_iter_next(&it, e, NULL))
		if (e->type == FAMFS_ENTRY_EVICT && famfs_evictions_add(ev, e))
			break;
	free(e);
}

void famfs_evictions_free(struct famfs_evictions *ev)
{
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

enum famfs_pin famfs_host_pin(const struct famfs_evictions *ev,
			      const struct famfs_host_info *h, int rc)
{
	if (rc == FAMFS_E_MAGIC)
		return FAMFS_PIN_NONE;
	if (rc)
		return FAMFS_PIN_DAMAGED;
	if (h->state != FAMFS_HOST_MOUNTED)
		return FAMFS_PIN_NONE;
	return famfs_evicted(ev, h) ? FAMFS_PIN_EVICTED : FAMFS_PIN_LIVE;
}

uint64_t famfs_release_floors(const struct famfs_hosts *t,
			      const struct famfs_evictions *ev,
			      uint64_t *judged)
{
	struct famfs_host_info h;
	uint64_t floor = UINT64_MAX;
	bool damaged = false;
	uint32_t i;
	int rc;

	if (judged)
		*judged = 0;
	if (!t->base)
		return 0;	/* no table: nothing is ever released */
	for (i = 0; i < t->count; i++) {
		rc = famfs_hosts_read(t, i, &h);
		switch (famfs_host_pin(ev, &h, rc)) {
		case FAMFS_PIN_DAMAGED:
			damaged = true;
			break;
		case FAMFS_PIN_LIVE:
			if (h.log_generation != t->generation)
				floor = 0;
			else if (h.released_seq < floor)
				floor = h.released_seq;
			break;
		default:
			break;
		}
	}
	if (judged)
		*judged = floor;
	return damaged ? 0 : floor;
}

uint64_t famfs_release_floor(const struct famfs_hosts *t,
			     const struct famfs_evictions *ev)
{
	return famfs_release_floors(t, ev, NULL);
}
