// SPDX-License-Identifier: GPL-2.0
/*
 * A simulated host: what famfs mount and its follower (ops/follow.c) do for
 * the reuse rule, with famfs.ko's part played by a list of open files.
 *
 * It claims a slot before it reads the log, plays the net namespace of the
 * log once (a file deleted later in that read is never seen), then polls:
 * new entries are applied in order, files it sees are opened and closed at
 * random, a deleted file stays held until it is closed, and the slot gets
 * applied_seq and released_seq (the oldest delete of a file still held,
 * else applied_seq) as the follower writes them. Its holdings go to the
 * shared area for the checker, and each poll it checks that the units of
 * every file it holds still carry that file's stamp: a new file written
 * over them would change it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "hostsim.h"

/* A file this host sees. */
struct seen {
	char path[64];
	uint64_t fseq;
	uint32_t nunits;
	uint32_t unit[SIM_FILE_UNITS];
};

struct host {
	uint32_t idx;
	struct sim_host *rec;
	struct sim_rng rng;
	struct famfs_device dev;
	struct famfs_log log;
	struct famfs_hosts t;
	uint8_t uuid[16];
	struct famfs_host_self me;
	struct seen *view;
	size_t nview, cap;
	uint64_t cur_off, cur_seq;	/* the next entry to apply */
	struct sim_file held[SIM_MAX_HELD];
	uint32_t nheld;
	uint64_t released;
	uint64_t next_beat;
	uint64_t stuck_since;		/* the log could not be read from then */
	bool evicted;
	struct famfs_entry e;
};

static volatile sig_atomic_t leaving;

static void on_term(int sig)
{
	(void)sig;
	leaving = 1;
}

static int fail(struct host *h, const char *what, const struct famfs_error *err)
{
	fprintf(stderr, "famfs-test-hostsim: host %u (pid %d): %s: %s\n", h->idx,
		(int)getpid(), what, err ? err->msg : "");
	return 1;
}

static int view_add(struct host *h, const struct famfs_entry *e)
{
	struct famfs_extent_info x;
	struct seen *s;
	uint64_t u;
	uint32_t i;

	if (h->nview == h->cap) {
		s = realloc(h->view, (h->cap * 2 + 64) * sizeof(*s));
		if (!s)
			return -ENOMEM;
		h->view = s;
		h->cap = h->cap * 2 + 64;
	}
	s = &h->view[h->nview++];
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%.*s", (int)sizeof(s->path) - 1, e->path);
	s->fseq = e->seq;
	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		for (u = x.offset / FAMFS_ALLOC_UNIT;
		     u < (x.offset + x.len) / FAMFS_ALLOC_UNIT &&
		     s->nunits < SIM_FILE_UNITS; u++)
			s->unit[s->nunits++] = (uint32_t)u;
	}
	return 0;
}

static struct sim_file *held_of(struct host *h, uint64_t fseq)
{
	uint32_t i;

	for (i = 0; i < h->nheld; i++)
		if (h->held[i].fseq == fseq)
			return &h->held[i];
	return NULL;
}

/* A DELETE: the name goes; an open file stays held, now deleted. */
static void view_delete(struct host *h, const struct famfs_entry *e)
{
	struct sim_file *f;
	size_t i;

	for (i = 0; i < h->nview; i++) {
		if (strcmp(h->view[i].path, e->path))
			continue;
		f = held_of(h, h->view[i].fseq);
		if (f)
			f->dseq = e->seq;
		h->view[i] = h->view[--h->nview];
		return;
	}
}

static int apply(struct host *h, const struct famfs_entry *e)
{
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		return view_add(h, e);
	case FAMFS_ENTRY_DELETE:
		view_delete(h, e);
		return 0;
	case FAMFS_ENTRY_EVICT:
		if (e->nonce == h->me.info.nonce && !memcmp(e->uuid, h->uuid, 16))
			h->evicted = true;
		return 0;
	}
	return 0;
}

/*
 * Apply the published entries from the cursor on. An entry that does not
 * decode is tried again next poll (the header may be ahead of our cache);
 * for long, it is an error.
 */
static int play(struct host *h)
{
	struct famfs_error err = { 0 };
	struct famfs_log_iter it;
	int rc = famfs_log_refresh(&h->log, &err);

	famfs_log_iter_init(&it, &h->log);
	it.off = h->cur_off;
	it.seq = h->cur_seq;
	while (!rc && famfs_log_iter_more(&it)) {
		rc = famfs_log_iter_next(&it, &h->e, &err);
		if (!rc)
			rc = apply(h, &h->e);
		if (!rc) {
			h->cur_off = it.off;
			h->cur_seq = it.seq;
		}
	}
	if (!rc) {
		h->stuck_since = 0;
		return 0;
	}
	if (!h->stuck_since)
		h->stuck_since = sim_now_ms();
	if (sim_now_ms() - h->stuck_since < 2000)
		return 0;
	return fail(h, "the log cannot be played", &err);
}

/* Publish what this host holds, for the checker. */
static void publish(struct host *h)
{
	sim_held_begin(h->rec);
	memcpy(h->rec->held, h->held, h->nheld * sizeof(h->held[0]));
	h->rec->nheld = h->nheld;
	sim_held_end(h->rec);
}

/* Close what is due, open something new now and then. */
static void churn(struct host *h)
{
	uint64_t now = sim_now_ms();
	struct sim_file *f;
	struct seen *s;
	uint32_t i;

	for (i = 0; i < h->nheld;) {
		if (h->held[i].close_ms <= now)
			h->held[i] = h->held[--h->nheld];
		else
			i++;
	}
	if (!h->nview || h->nheld == SIM_MAX_HELD || !sim_chance(&h->rng, 5))
		return;
	s = &h->view[sim_range(&h->rng, 0, h->nview - 1)];
	if (held_of(h, s->fseq))
		return;
	f = &h->held[h->nheld++];
	memset(f, 0, sizeof(*f));
	f->fseq = s->fseq;
	f->nunits = s->nunits;
	memcpy(f->unit, s->unit, sizeof(f->unit));
	/* Mostly brief; now and then long enough to make the master wait. */
	f->close_ms = now + (sim_chance(&h->rng, 1) ? sim_range(&h->rng, 300, 2000) :
			     sim_range(&h->rng, 10, 300));
}

/* Every unit of every file held must still carry that file's stamp. */
static void verify(struct host *h)
{
	struct sim_stamp st;
	const struct sim_file *f;
	uint32_t i, k;

	for (i = 0; i < h->nheld; i++) {
		f = &h->held[i];
		for (k = 0; k < f->nunits; k++) {
			sim_stamp_read(h->dev.base, f->unit[k], &st);
			if (st.magic == SIM_STAMP_MAGIC && st.fseq == f->fseq &&
			    st.index == k)
				continue;
			sim_violation("host %u (pid %d, slot %u) holds file seq %llu (deleted at seq %llu, 0: not deleted here) but its unit %u (device offset %#llx) now carries the stamp of file seq %llu unit %llu: another file was written over it (slot released_seq %llu, applied_seq %llu)",
				      h->idx, (int)getpid(), h->me.slot,
				      (unsigned long long)f->fseq,
				      (unsigned long long)f->dseq, f->unit[k],
				      (unsigned long long)f->unit[k] * FAMFS_ALLOC_UNIT,
				      (unsigned long long)st.fseq,
				      (unsigned long long)st.index,
				      (unsigned long long)h->me.info.released_seq,
				      (unsigned long long)h->me.info.applied_seq);
			return;
		}
	}
}

/* As ops/follow.c: the oldest delete of a file still held, else applied. */
static uint64_t released_seq(const struct host *h)
{
	uint64_t r = h->cur_seq;
	uint32_t i;

	for (i = 0; i < h->nheld; i++)
		if (h->held[i].dseq && h->held[i].dseq < r)
			r = h->held[i].dseq;
	return r;
}

static void published_slot(struct host *h)
{
	h->rec->slot = h->me.slot;
	__atomic_store_n(&h->rec->nonce, h->me.info.nonce, __ATOMIC_RELEASE);
}

/* Write the slot when something changed or a heartbeat is due. */
static int beat(struct host *h, bool changed)
{
	struct famfs_error err = { 0 };
	int rc;

	if (!changed && sim_now_ms() < h->next_beat)
		return 0;
	rc = famfs_host_beat(&h->t, &h->me, h->cur_seq, h->released);
	if (rc == -ESTALE) {
		/* As the follower: someone took the slot; pin everything. */
		fprintf(stderr, "famfs-test-hostsim: host %u (pid %d): slot %u was taken by another mount; claiming a new one\n",
			h->idx, (int)getpid(), h->me.slot);
		rc = famfs_host_claim(&h->t, h->uuid, 0, 0, SIM_POLL_MAX_MS,
				      &h->me, &err);
		if (!rc)
			published_slot(h);
	}
	if (rc)
		return fail(h, "heartbeat", &err);
	h->next_beat = sim_now_ms() + SIM_BEAT_MS;
	return 0;
}

static int poll_once(struct host *h)
{
	uint64_t applied = h->cur_seq, released = h->released;
	int rc = play(h);

	if (rc)
		return rc;
	if (h->evicted) {
		sim_violation("host %u (pid %d, slot %u, nonce %#llx) was evicted while it ran",
			      h->idx, (int)getpid(), h->me.slot,
			      (unsigned long long)h->me.info.nonce);
		return 1;
	}
	churn(h);
	publish(h);
	verify(h);
	h->released = released_seq(h);
	return beat(h, applied != h->cur_seq || released != h->released);
}

/* famfs mount: claim a slot, then play the whole log. */
static int mount_it(struct host *h)
{
	struct famfs_error err = { 0 };
	int rc;

	rc = famfs_device_open(&h->dev, sim->image, FAMFS_DEV_RDWR, &err);
	if (!rc)
		rc = famfs_log_open(&h->log, &h->dev, &err);
	if (!rc && famfs_log_hosts(&h->log, &h->t))
		rc = famfs_error_set(&err, -ENOENT, "no host table");
	if (!rc)
		rc = famfs_system_uuid(h->uuid, &err);
	if (!rc)
		rc = famfs_host_claim_log(&h->log, h->uuid, 0, SIM_POLL_MAX_MS,
					  &h->me, &err);
	if (rc)
		return fail(h, "mount", &err);
	published_slot(h);
	__atomic_store_n(&h->rec->phase, SIM_PLAYING, __ATOMIC_RELEASE);
	h->cur_off = FAMFS_LOG_ENTRIES_OFF;
	h->cur_seq = 0;
	h->released = h->me.info.released_seq;
	return 0;
}

/* umount: nothing may be open any more; the slot says unmounted. */
static int unmount_it(struct host *h)
{
	__atomic_store_n(&h->rec->phase, SIM_LEAVING, __ATOMIC_RELEASE);
	h->nheld = 0;
	publish(h);
	famfs_host_leave(&h->t, &h->me);
	return 0;
}

int sim_host_main(uint32_t i)
{
	struct host *h = calloc(1, sizeof(*h));
	int rc;

	if (!h)
		return 1;
	h->idx = i;
	h->rec = &sim->host[i];
	sim_rng_seed(&h->rng, sim->seed, i, h->rec->gen);
	signal(SIGTERM, on_term);
	rc = mount_it(h);
	/* The first play: before anything is opened, so the net namespace. */
	if (!rc)
		rc = poll_once(h);
	while (!rc && !leaving) {
		sim_sleep_ms(sim_range(&h->rng, SIM_POLL_MIN_MS, SIM_POLL_MAX_MS));
		rc = poll_once(h);
	}
	if (!rc)
		rc = unmount_it(h);
	famfs_device_close(&h->dev);
	free(h->view);
	free(h);
	return rc;
}
