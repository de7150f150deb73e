// SPDX-License-Identifier: GPL-2.0
/*
 * famfs hosts: who mounts the file system, what each one still pins, and
 * eviction of a host that is gone (docs/space-release.md). Whether a host
 * is alive is seen, not assumed: its heartbeat must move while we watch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

/* How long famfs hosts watches heartbeats: more than an idle follower's beat. */
#define WATCH_MS	2500

struct scan {
	struct famfs_space space;
	struct famfs_names names;
};

static void scan_free(struct scan *s)
{
	famfs_space_free(&s->space);
	famfs_names_free(&s->names);
}

/* What a slot released below: the deleted files at or above it. */
static void pinned_by(const struct scan *s, uint64_t released,
		      struct famfs_host_row *row)
{
	size_t i;

	for (i = 0; i < s->space.ndel; i++) {
		if (s->space.del[i].dseq < released)
			continue;
		row->pinned_files++;
		row->pinned_bytes += famfs_names_bytes(&s->names,
						       s->space.del[i].fseq);
	}
}

static int read_rows(const struct famfs_hosts *t, const struct scan *s,
		     const uint8_t self[16], struct famfs_hosts_report *r)
{
	struct famfs_host_row *row;
	struct famfs_host_info h;
	uint32_t i;
	int rc;

	r->rows = calloc(t->count, sizeof(*r->rows));
	if (!r->rows)
		return -ENOMEM;
	for (i = 0; i < t->count; i++) {
		rc = famfs_hosts_read(t, i, &h);
		if (rc == FAMFS_E_MAGIC || (!rc && h.state == FAMFS_HOST_FREE))
			continue;
		row = &r->rows[r->n++];
		row->slot = i;
		row->rc = rc;
		if (!rc)	/* a damaged slot tells nothing: h is stale */
			row->h = h;
		row->pin = famfs_host_pin(&s->space.ev, &h, rc);
		row->self = self && !rc && !memcmp(h.system_uuid, self, 16);
		if (row->pin == FAMFS_PIN_LIVE)
			pinned_by(s, h.released_seq, row);
	}
	return 0;
}

/* Which live hosts' heartbeats moved while we watched. */
static void watch(const struct famfs_hosts *t, struct famfs_hosts_report *r)
{
	struct famfs_host_info now;
	size_t i;

	famfs_sleep_ms(WATCH_MS);
	for (i = 0; i < r->n; i++) {
		struct famfs_host_row *row = &r->rows[i];

		row->watched = true;
		row->alive = !famfs_hosts_read(t, row->slot, &now) &&
			     (now.heartbeat != row->h.heartbeat ||
			      now.nonce != row->h.nonce);
	}
}

int famfs_hosts_list(struct famfs_fs *fs, bool watch_beats,
		     struct famfs_hosts_report *r, struct famfs_error *err)
{
	uint8_t self[16];
	struct famfs_hosts t;
	struct scan s;
	int rc;

	memset(r, 0, sizeof(*r));
	if (famfs_log_hosts(&fs->log, &t))
		return famfs_error_set(err, -ENOENT,
				       "%s: the file system is format %u.%u, which has no host table: deleted space is never reused (make a new one with mkfs.famfs to get one)",
				       fs->device, fs->log.sb.version_major,
				       fs->log.sb.version_minor);
	rc = famfs_space_scan(&s.space, &s.names, &fs->log, err);
	if (!rc) {
		r->floor = s.space.floor;
		r->next_seq = fs->log.hdr.next_seq;
		r->awaiting_bytes = s.space.awaiting_units *
				    fs->log.sb.geo.alloc_unit;
		rc = read_rows(&t, &s, famfs_system_uuid(self, NULL) ? NULL : self,
			       r);
		if (rc)
			famfs_error_set(err, rc, "out of memory");
	}
	if (!rc && watch_beats)
		watch(&t, r);
	scan_free(&s);
	return rc;
}

void famfs_hosts_report_free(struct famfs_hosts_report *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* The row who names: a slot number, or the system UUID of a live slot. */
static int find_row(const struct famfs_hosts_report *r, const char *who,
		    struct famfs_host_row **row, struct famfs_error *err)
{
	uint8_t uuid[16];
	char *end;
	unsigned long slot = strtoul(who, &end, 10);
	bool by_uuid = !uuid_parse(who, uuid);
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct famfs_host_row *x = &r->rows[i];

		if (by_uuid ? (x->pin == FAMFS_PIN_LIVE &&
			       !memcmp(x->h.system_uuid, uuid, 16)) :
		    (*who && !*end && x->slot == slot)) {
			*row = x;
			return 0;
		}
	}
	return famfs_error_set(err, -ENOENT, "%s: no mounted host has that system UUID or slot number (famfs hosts lists them)",
			       who);
}

/* A damaged slot has no mount to evict: free it (the only slot not its owner's to write). */
static int clear_slot(struct famfs_fs *fs, uint32_t slot, struct famfs_error *err)
{
	struct famfs_hosts t;
	uint8_t *p;

	if (famfs_log_hosts(&fs->log, &t))
		return famfs_error_set(err, -ENOENT, "no host table");
	p = t.base + (size_t)slot * FAMFS_HOST_SLOT_SIZE;
	memset(p, 0, FAMFS_HOST_SLOT_SIZE);
	famfs_flush(p, FAMFS_HOST_SLOT_SIZE);
	return 0;
}

static int log_evict(struct famfs_fs *fs, const struct famfs_host_info *h,
		     struct famfs_error *err)
{
	int rc = famfs_log_append_begin(&fs->log, err);

	if (rc)
		return rc;
	rc = famfs_log_add_evict(&fs->log, h->system_uuid, h->nonce, err);
	if (!rc)
		rc = famfs_log_commit(&fs->log, err);
	famfs_log_append_end(&fs->log);
	return rc;
}

/* Is row this host's own mount of fs, the slot its mount record names? */
static bool own_mount(const struct famfs_fs *fs, const struct famfs_host_row *row)
{
	struct famfs_host_self me;
	struct famfs_hosts t;

	return !famfs_log_hosts(&fs->log, &t) &&
	       !famfs_host_mine(&t, fs->log.sb.fs_uuid, &me) &&
	       me.slot == row->slot && me.info.nonce == row->h.nonce;
}

int famfs_hosts_evict(struct famfs_fs *fs, const char *who, bool force,
		      struct famfs_host_row *out, struct famfs_error *err)
{
	struct famfs_hosts_report r;
	struct famfs_host_row *row = NULL;
	int rc;

	rc = famfs_hosts_list(fs, !force, &r, err);
	if (!rc)
		rc = find_row(&r, who, &row, err);
	if (!rc && row->rc) {
		*out = *row;
		rc = clear_slot(fs, row->slot, err);
	} else if (!rc && row->pin != FAMFS_PIN_LIVE) {
		rc = famfs_error_set(err, -EALREADY, "slot %u (%s) pins nothing: it is %s",
				     row->slot, row->h.hostname,
				     row->pin == FAMFS_PIN_EVICTED ? "evicted already" :
				     "not mounted");
	} else if (!rc && own_mount(fs, row)) {
		rc = famfs_error_set(err, -EBUSY, "slot %u (%s) is this host's own mount of the file system: to end it, unmount it",
				     row->slot, row->h.hostname);
	} else if (!rc && row->alive) {
		rc = famfs_error_set(err, -EBUSY, "slot %u (%s) is alive: its heartbeat moved while we watched; evicting it would shut down a running mount (%s)",
				     row->slot, row->h.hostname, row->self ?
				     "it holds this host's system UUID: to end this host's own mount, unmount it" :
				     "--force does");
	} else if (!rc) {
		*out = *row;
		rc = log_evict(fs, &row->h, err);
	}
	famfs_hosts_report_free(&r);
	return rc;
}
