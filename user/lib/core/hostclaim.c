// SPDX-License-Identifier: GPL-2.0
/*
 * Claiming, keeping and leaving this mount's slot in the host table
 * (docs/space-release.md, "Claiming a slot"). Two hosts may race for one
 * free slot: each writes it, waits, and reads it back; the one whose nonce
 * is gone tries another. A slot of this host's UUID whose heartbeat still
 * moves belongs to another running host with the same identity (a cloned
 * image): it is left alone, and the duplicate shows in the table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "internal.h"

/* How long a claimer waits before it trusts its slot. */
#define CLAIM_WAIT_MS		100
/*
 * How long a heartbeat may stand still before its host counts as stopped:
 * an idle follower beats only once a second, and a busy machine may make
 * it a few polls late. Less would take a running clone's slot from under
 * it, and with it the pins of the files that clone still reads.
 */
#define BEAT_GRACE_MS(poll)	(FAMFS_HOST_BEAT_MS * 3 / 2 + 3 * (poll))

uint64_t famfs_now_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void famfs_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t new_nonce(void)
{
	uint64_t n = 0;

	while (!n)
		if (getrandom(&n, sizeof(n), 0) != sizeof(n))
			n = famfs_now_ns(CLOCK_MONOTONIC) ^ ((uint64_t)getpid() << 32);
	return n;
}

bool famfs_host_alive(const struct famfs_hosts *t, uint32_t i,
		      const struct famfs_host_info *seen)
{
	unsigned int waited = 0, limit = BEAT_GRACE_MS(seen->poll_ms);
	struct famfs_host_info now;

	if (limit > 5000)
		limit = 5000;
	while (waited < limit) {
		famfs_sleep_ms(50);
		waited += 50;
		if (famfs_hosts_read(t, i, &now) || now.nonce != seen->nonce ||
		    now.heartbeat != seen->heartbeat)
			return true;
	}
	return false;
}

static uint32_t hash_start(const struct famfs_hosts *t, const uint8_t uuid[16])
{
	uint32_t h;

	h = famfs_crc32c(0, uuid, 16);
	return h % t->count;
}

/* A slot as it was when picked. */
struct picked {
	uint32_t slot;		/* UINT32_MAX: none */
	int rc;			/* what famfs_hosts_read() said */
	struct famfs_host_info h;
};

static void pick(struct picked *p, uint32_t i, int rc,
		 const struct famfs_host_info *h)
{
	p->slot = i;
	p->rc = rc;
	if (rc)
		memset(&p->h, 0, sizeof(p->h));	/* a free slot: nothing read */
	else
		p->h = *h;
}

/*
 * The slot to try: this host's own (unless a live clone holds it), else
 * the first free one from a place hashed from the UUID, else the slot
 * that pins nothing (unmounted, or its mount evicted: ev may be NULL)
 * heard from longest ago. p->slot is UINT32_MAX when all are taken.
 */
static void pick_slot(const struct famfs_hosts *t,
		      const struct famfs_evictions *ev, const uint8_t uuid[16],
		      const bool *skip, struct picked *p)
{
	uint32_t i, k, start = hash_start(t, uuid);
	struct famfs_host_info h;
	uint64_t oldest = UINT64_MAX;
	int rc;

	p->slot = UINT32_MAX;
	for (i = 0; i < t->count; i++) {
		if (skip[i] || famfs_hosts_read(t, i, &h) ||
		    memcmp(h.system_uuid, uuid, 16))
			continue;
		if (h.state != FAMFS_HOST_MOUNTED || !famfs_host_alive(t, i, &h)) {
			pick(p, i, 0, &h);
			return;
		}
	}
	for (k = 0; k < t->count; k++) {
		i = (start + k) % t->count;
		if (skip[i])
			continue;
		rc = famfs_hosts_read(t, i, &h);
		if (rc == FAMFS_E_MAGIC || (!rc && h.state == FAMFS_HOST_FREE)) {
			pick(p, i, rc, &h);
			return;
		}
		if (!rc && famfs_host_pin(ev, &h, rc) != FAMFS_PIN_LIVE &&
		    h.heartbeat_ns < oldest) {
			oldest = h.heartbeat_ns;
			pick(p, i, rc, &h);
		}
	}
}

/*
 * Is the slot still as it was picked? Every claimer of a full table picks
 * the same slot heard from longest ago; one that was held up since (for
 * seconds, on a busy machine) would write over the slot another has won
 * and trusts already.
 */
static bool still_as_picked(const struct famfs_hosts *t, const struct picked *p)
{
	struct famfs_host_info now;
	int rc = famfs_hosts_read(t, p->slot, &now);

	if (rc != p->rc)
		return false;
	return rc == FAMFS_E_MAGIC ||
	       (!rc && now.state == p->h.state && now.nonce == p->h.nonce &&
		now.heartbeat == p->h.heartbeat &&
		now.heartbeat_ns == p->h.heartbeat_ns);
}

static void fill_self(struct famfs_host_info *h, const uint8_t uuid[16],
		      uint64_t generation, uint64_t from_seq, uint32_t flags,
		      uint32_t poll_ms)
{
	memset(h, 0, sizeof(*h));
	h->state = FAMFS_HOST_MOUNTED;
	h->flags = flags;
	memcpy(h->system_uuid, uuid, 16);
	h->nonce = new_nonce();
	h->heartbeat_ns = h->mount_ns = famfs_now_ns(CLOCK_REALTIME);
	h->applied_seq = h->released_seq = from_seq;
	h->log_generation = generation;
	h->poll_ms = poll_ms;
	h->pid = (uint32_t)getpid();
	if (gethostname(h->hostname, sizeof(h->hostname) - 1))
		snprintf(h->hostname, sizeof(h->hostname), "(unknown)");
}

/*
 * Claim a slot from from_seq, or (log given) from the log's next_seq read
 * just before each write of the slot.
 */
static int claim(const struct famfs_hosts *t, struct famfs_log *log,
		 const struct famfs_evictions *ev, const uint8_t uuid[16],
		 uint64_t from_seq, uint32_t flags, uint32_t poll_ms,
		 struct famfs_host_self *me, struct famfs_error *err)
{
	struct famfs_host_info back;
	bool skip[FAMFS_HOSTS_COUNT_MAX] = { false };
	struct picked p;
	uint32_t i;
	int rc;

	for (;;) {
		pick_slot(t, ev, uuid, skip, &p);
		i = p.slot;
		if (i == UINT32_MAX)
			return famfs_error_set(err, -ENOSPC,
					       "the host table is full: all %u slots hold mounted hosts (famfs hosts lists them; famfs hosts evict frees a dead one's)",
					       t->count);
		/*
		 * Picking may have waited seconds for a heartbeat, while the
		 * master released and reused deletes above an older header's
		 * next_seq: a slot starting there would hold the release floor
		 * below space already reused, which fsck and the master take
		 * for corruption.
		 */
		rc = log ? famfs_log_refresh(log, err) : 0;
		if (rc)
			return rc;
		fill_self(&me->info, uuid,
			  log ? log->gen.generation : t->generation,
			  log ? log->hdr.next_seq : from_seq, flags, poll_ms);
		me->slot = i;
		if (!still_as_picked(t, &p)) {
			skip[i] = true;	/* another host took it meanwhile */
			continue;
		}
		rc = famfs_hosts_write(t, i, &me->info);
		if (rc)
			return famfs_error_set(err, rc, "host table slot %u: %s",
					       i, famfs_strerror(rc));
		famfs_sleep_ms(CLAIM_WAIT_MS);
		if (!famfs_hosts_read(t, i, &back) && back.nonce == me->info.nonce)
			return 0;
		skip[i] = true;	/* another host won it */
	}
}

int famfs_host_claim(const struct famfs_hosts *t, const uint8_t uuid[16],
		     uint64_t from_seq, uint32_t flags, uint32_t poll_ms,
		     struct famfs_host_self *me, struct famfs_error *err)
{
	return claim(t, NULL, NULL, uuid, from_seq, flags, poll_ms, me, err);
}

int famfs_host_claim_log(struct famfs_log *log, const uint8_t uuid[16],
			 uint32_t flags, uint32_t poll_ms,
			 struct famfs_host_self *me, struct famfs_error *err)
{
	struct famfs_evictions ev = { 0 };
	struct famfs_hosts t;
	int rc;

	if (famfs_log_hosts(log, &t))
		return famfs_error_set(err, -ENOENT, "the file system has no host table");
	famfs_log_evictions(log, &ev);
	rc = claim(&t, log, &ev, uuid, 0, flags, poll_ms, me, err);
	famfs_evictions_free(&ev);
	return rc;
}

int famfs_host_beat(const struct famfs_hosts *t, struct famfs_host_self *me,
		    uint64_t applied, uint64_t released)
{
	struct famfs_host_info now;
	int rc = famfs_hosts_read(t, me->slot, &now);

	if (rc || now.nonce != me->info.nonce)
		return -ESTALE;		/* overwritten: claim again */
	/*
	 * Late, never early: released only grows, and never passes applied,
	 * within one log generation; a compacted log counts from 0 again.
	 */
	if (released > applied)
		released = applied;
	if (me->info.log_generation == t->generation) {
		if (released < me->info.released_seq)
			released = me->info.released_seq;
		if (applied < me->info.applied_seq)
			applied = me->info.applied_seq;
	}
	me->info.log_generation = t->generation;
	me->info.applied_seq = applied;
	me->info.released_seq = released;
	me->info.heartbeat++;
	me->info.heartbeat_ns = famfs_now_ns(CLOCK_REALTIME);
	me->info.pid = (uint32_t)getpid();
	return famfs_hosts_write(t, me->slot, &me->info);
}

int famfs_host_leave(const struct famfs_hosts *t, struct famfs_host_self *me)
{
	struct famfs_host_info now;

	if (famfs_hosts_read(t, me->slot, &now) || now.nonce != me->info.nonce)
		return -ESTALE;
	me->info.state = FAMFS_HOST_UNMOUNTED;
	me->info.heartbeat_ns = famfs_now_ns(CLOCK_REALTIME);
	return famfs_hosts_write(t, me->slot, &me->info);
}

int famfs_host_find(const struct famfs_hosts *t, const uint8_t fs_uuid[16],
		    const uint8_t uuid[16], struct famfs_host_self *me)
{
	struct famfs_host_info h;
	uint32_t slots[2];
	int rc = famfs_host_mine(t, fs_uuid, me);

	/* A record whose slot holds another mount: this one has none. */
	if (rc != -ENOENT)
		return rc;
	/* No record (a mount by an older famfs): only an unambiguous slot. */
	if (famfs_hosts_same_uuid(t, NULL, uuid, slots, 2) != 1 ||
	    famfs_hosts_read(t, slots[0], &h))
		return -ENOENT;
	me->slot = slots[0];
	me->info = h;
	return 0;
}

uint32_t famfs_hosts_same_uuid(const struct famfs_hosts *t,
			       const struct famfs_evictions *ev,
			       const uint8_t uuid[16], uint32_t *slots,
			       uint32_t max)
{
	struct famfs_host_info h;
	uint32_t i, n = 0;
	int rc;

	for (i = 0; i < t->count; i++) {
		rc = famfs_hosts_read(t, i, &h);
		if (famfs_host_pin(ev, &h, rc) != FAMFS_PIN_LIVE ||
		    memcmp(h.system_uuid, uuid, 16))
			continue;
		if (n < max)
			slots[n] = i;
		n++;
	}
	return n;
}

int famfs_log_check_identity(const struct famfs_log *log,
			     const struct famfs_evictions *ev,
			     struct famfs_error *err)
{
	uint32_t slots[2];
	struct famfs_hosts t;
	uint8_t uuid[16];
	char text[40];

	if (famfs_log_hosts(log, &t) || famfs_system_uuid(uuid, NULL) ||
	    famfs_hosts_same_uuid(&t, ev, uuid, slots, 2) < 2)
		return 0;
	uuid_unparse_lower(uuid, text);
	return famfs_error_set(err, -ENOTUNIQ,
			       "host table slots %u and %u both hold this host's system UUID %s: two running hosts share one identity (a cloned system image?), and changes are refused until each has its own: on the clone, rm %s and mount again (famfs hosts evict frees the slot of one that is gone)",
			       slots[0], slots[1], text, famfs_system_uuid_path());
}

int famfs_host_mine(const struct famfs_hosts *t, const uint8_t fs_uuid[16],
		    struct famfs_host_self *me)
{
	struct famfs_host_info h;
	uint64_t nonce;
	uint32_t slot;
	int rc = famfs_mount_record_read(fs_uuid, &slot, &nonce);

	if (rc)
		return rc;
	if (slot >= t->count || famfs_hosts_read(t, slot, &h) ||
	    h.nonce != nonce || h.state != FAMFS_HOST_MOUNTED)
		return -ESTALE;
	me->slot = slot;
	me->info = h;
	return 0;
}
