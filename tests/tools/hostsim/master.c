// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated master: creates files of 1 to 8 units offline through the
 * library's create operations (which read the host table and keep the
 * reuse rule), deletes random live files (through the namer, or DELETE
 * entries in an append session), evicts the mounts of hosts the
 * controller killed, and runs the checker after every step. It may be
 * killed at any point: what counts is the log's published prefix, which
 * the next master reads again.
 *
 * Each unit of a new file gets a stamp (its FILE seq and index) before the
 * entry is published: a host holding a deleted file whose units were given
 * away too early sees the stamp change.
 *
 * With --break it allocates as if every delete were released everywhere,
 * ignoring the host table: the checker must catch that.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostsim.h"
#include "core/internal.h"

/* Stop creating when the log has less room than this (deletes still fit). */
#define LOG_MARGIN	(64ULL << 10)
/* Below this not even deletes and evictions are logged: the epoch ends. */
#define LOG_RESERVE	(4ULL << 10)
#define FSCK_MS		1000
/* A slot that stays torn this long has no writer left. */
#define TORN_MS		1500

struct torn {
	uint64_t since;		/* 0: not torn when last seen */
	uint8_t bytes[FAMFS_HOST_SLOT_SIZE];
};

struct master {
	struct famfs_fs fs;
	struct sim_rng rng;
	struct sim_view v;
	struct famfs_entry e;
	struct torn *torn;
	uint64_t next_fsck;
	bool log_full;
};

static int fail(const char *what, const struct famfs_error *err)
{
	fprintf(stderr, "famfs-test-hostsim: master (pid %d): %s: %s\n",
		(int)getpid(), what, err->msg);
	return 1;
}

/* Stamp each unit of the entry just added at log offset off (seq seq). */
static int stamp(struct master *m, uint64_t off, uint64_t seq)
{
	struct famfs_log *log = &m->fs.log;
	struct famfs_extent_info x;
	struct sim_stamp st = { .magic = SIM_STAMP_MAGIC, .fseq = seq };
	uint64_t u, at;
	uint32_t i;
	int rc;

	rc = famfs_entry_decode(log->log_buf + off, log->cur.next_off - off, seq,
				&log->sb.geo, &m->e);
	if (rc)
		return rc;
	for (i = 0; i < m->e.n_extents; i++) {
		famfs_entry_extent(&m->e, i, &x);
		for (u = x.offset / FAMFS_ALLOC_UNIT;
		     u < (x.offset + x.len) / FAMFS_ALLOC_UNIT; u++) {
			at = u * FAMFS_ALLOC_UNIT;
			memcpy(m->fs.dev.base + at, &st, sizeof(st));
			famfs_device_flush(&m->fs.dev, at, sizeof(st));
			st.index++;
		}
	}
	return 0;
}

static void new_file(struct master *m, struct famfs_meta *meta, char *path,
		     size_t len)
{
	uint64_t units = sim_range(&m->rng, 1, SIM_FILE_UNITS);

	memset(meta, 0, sizeof(*meta));
	meta->mode = S_IFREG | 0644;
	meta->size = units * FAMFS_ALLOC_UNIT -
		     sim_range(&m->rng, 0, FAMFS_ALLOC_UNIT - 1);
	snprintf(path, len, "f%llu", (unsigned long long)m->fs.log.cur.next_seq);
}

/* Say (-v) which slot holds the release floor down when the device is full. */
static void pinned_by(struct master *m, const struct famfs_error *err)
{
	struct famfs_host_info h, low = { 0 };
	struct famfs_hosts t;
	uint32_t i, at = 0;

	if (!sim->verbose || famfs_log_hosts(&m->fs.log, &t))
		return;
	low.released_seq = UINT64_MAX;
	for (i = 0; i < t.count; i++)
		if (famfs_host_pin(&m->v.ev, &h, famfs_hosts_read(&t, i, &h)) ==
		    FAMFS_PIN_LIVE && h.released_seq < low.released_seq) {
			low = h;
			at = i;
		}
	sim_log("master: full (%s); floor %llu at slot %u (pid %u, applied %llu), next_seq %llu, live units %llu",
		err->msg, (unsigned long long)low.released_seq, at, low.pid,
		(unsigned long long)low.applied_seq,
		(unsigned long long)m->v.next_seq,
		(unsigned long long)m->v.live_units);
}

/* What a full device or log means for the next steps (0: go on). */
static int create_failed(struct master *m, int rc, const struct famfs_error *err)
{
	if (rc == -ENOSPC) {
		/* Deleted files await release: wait for the hosts, as cp would. */
		__atomic_add_fetch(&sim->st.full, 1, __ATOMIC_RELAXED);
		pinned_by(m, err);
		sim_sleep_ms(sim_range(&m->rng, 10, 50));
		return 0;
	}
	if (rc == FAMFS_E_LOG_FULL) {
		m->log_full = true;
		return 0;
	}
	return fail("create", err);
}

/* famfs cp, offline: the library reads the host table at begin. */
static int create_step(struct master *m)
{
	struct famfs_error err = { 0 };
	struct famfs_creator c;
	struct famfs_meta meta;
	char path[32];
	uint64_t off, seq;
	int rc;

	rc = famfs_create_begin(&c, &m->fs, &err);
	if (rc)
		return fail("create begin", &err);
	new_file(m, &meta, path, sizeof(path));
	off = m->fs.log.cur.next_off;
	seq = m->fs.log.cur.next_seq;
	rc = famfs_create_file(&c, path, &meta, NULL, NULL, &err);
	if (!rc && stamp(m, off, seq))
		rc = famfs_error_set(&err, -EIO, "%s: the entry just added does not decode", path);
	if (!rc)
		rc = famfs_create_commit(&c, &err);
	famfs_create_end(&c);
	return rc ? create_failed(m, rc, &err) : 0;
}

static int space_entry(void *arg, const struct famfs_entry *e,
		       const struct famfs_path_item *was, uint64_t off,
		       struct famfs_error *err)
{
	int rc = famfs_space_entry(arg, e, was, off, NULL);

	return rc == -ENOMEM ? famfs_error_set(err, rc, "out of memory") : 0;
}

/* --break: the library's allocator, but every delete counts as released. */
static int broken_alloc(struct master *m, uint64_t size,
			struct famfs_extent_info *ext, uint32_t *n,
			struct famfs_error *err)
{
	struct famfs_space space;
	struct famfs_names names;
	int rc;

	rc = famfs_space_init(&space, &m->fs.log, &m->fs.log.sb.geo, false);
	if (rc)
		return famfs_error_set(err, rc, "out of memory");
	famfs_names_init(&names);
	rc = famfs_names_build(&names, &m->fs.log, space_entry, &space, err);
	if (!rc)
		rc = famfs_space_settle(&space, UINT64_MAX, NULL, NULL);
	if (!rc)
		rc = famfs_alloc_extents(&space.alloc, size, ext, SIM_FILE_UNITS,
					 n, err);
	famfs_names_free(&names);
	famfs_space_free(&space);
	return rc;
}

static int broken_create_step(struct master *m)
{
	struct famfs_extent_info ext[SIM_FILE_UNITS];
	struct famfs_log *log = &m->fs.log;
	struct famfs_error err = { 0 };
	struct famfs_meta meta;
	uint64_t off, seq;
	char path[32];
	uint32_t n = 0;
	int rc;

	rc = famfs_log_append_begin(log, &err);
	if (rc)
		return fail("append", &err);
	new_file(m, &meta, path, sizeof(path));
	off = log->cur.next_off;
	seq = log->cur.next_seq;
	rc = broken_alloc(m, meta.size, ext, &n, &err);
	if (!rc)
		rc = famfs_log_add_file(log, path, &meta, ext, n, &err);
	if (!rc)
		rc = stamp(m, off, seq);
	if (!rc)
		rc = famfs_log_commit(log, &err);
	famfs_log_append_end(log);
	return rc ? create_failed(m, rc, &err) : 0;
}

/* famfs rm of up to three live files: through the namer, or raw entries. */
static int delete_step(struct master *m)
{
	struct famfs_error err = { 0 };
	struct famfs_namer nm = { 0 };
	bool namer = sim_chance(&m->rng, 50);
	uint64_t k, n, first;
	int rc;

	if (!m->v.nlive)
		return 0;
	n = sim_range(&m->rng, 1, m->v.nlive < 3 ? m->v.nlive : 3);
	first = sim_range(&m->rng, 0, m->v.nlive - 1);
	rc = namer ? famfs_namer_begin(&nm, &m->fs, &err) :
	     famfs_log_append_begin(&m->fs.log, &err);
	for (k = 0; !rc && k < n; k++) {
		const char *path = m->v.live[(first + k) % m->v.nlive];

		rc = namer ? famfs_namer_delete(&nm, path, &err) :
		     famfs_log_add_delete(&m->fs.log, path, &err);
	}
	if (!rc)
		rc = namer ? famfs_namer_commit(&nm, &err) :
		     famfs_log_commit(&m->fs.log, &err);
	if (namer)
		famfs_namer_end(&nm);
	else
		famfs_log_append_end(&m->fs.log);
	if (rc == FAMFS_E_LOG_FULL) {
		m->log_full = true;
		return 0;
	}
	return rc ? fail("delete", &err) : 0;
}

/* An EVICT for the mount in slot i: as famfs hosts evict does, or raw. */
static int evict_slot(struct master *m, uint32_t i,
		      const struct famfs_host_info *h)
{
	struct famfs_error err = { 0 };
	struct famfs_host_row row;
	char who[16];
	int rc;

	if (sim_chance(&m->rng, 50)) {
		snprintf(who, sizeof(who), "%u", i);
		rc = famfs_hosts_evict(&m->fs, who, true, &row, &err);
		if (rc == -EALREADY || rc == -ENOENT)
			return 0;	/* evicted or gone since we looked */
		if (!rc && row.h.nonce != h->nonce)
			sim_violation("famfs hosts evict of slot %u evicted nonce %#llx, not the dead mount's %#llx",
				      i, (unsigned long long)row.h.nonce,
				      (unsigned long long)h->nonce);
		return rc ? fail("famfs hosts evict", &err) : 0;
	}
	rc = famfs_log_append_begin(&m->fs.log, &err);
	if (!rc)
		rc = famfs_log_add_evict(&m->fs.log, h->system_uuid, h->nonce, &err);
	if (!rc)
		rc = famfs_log_commit(&m->fs.log, &err);
	famfs_log_append_end(&m->fs.log);
	return rc ? fail("evict", &err) : 0;
}

/* Was h's slot claimed by a process that runs (with h's UUID)? */
static bool claimed_by_running(const struct famfs_host_info *h)
{
	uint32_t i;

	for (i = 1; i < sim->nhosts; i++)
		if (__atomic_load_n(&sim->host[i].state, __ATOMIC_ACQUIRE) == SIM_UP &&
		    (uint32_t)sim->host[i].pid == h->pid &&
		    !memcmp(sim->host[i].uuid, h->system_uuid, 16))
			return true;
	return false;
}

/* Every live slot holding q->uuid whose mount is dead. */
static int evict_request(struct master *m, struct sim_evict *q)
{
	struct famfs_host_info h;
	struct famfs_hosts t;
	uint32_t i;
	int rc = 0;

	famfs_log_hosts(&m->fs.log, &t);
	for (i = 0; !rc && i < t.count; i++) {
		if (famfs_hosts_read(&t, i, &h) || h.state != FAMFS_HOST_MOUNTED ||
		    memcmp(h.system_uuid, q->uuid, 16) || famfs_evicted(&m->v.ev, &h) ||
		    claimed_by_running(&h))
			continue;
		sim_log("master: evicting slot %u (pid %u)", i, h.pid);
		rc = evict_slot(m, i, &h);
	}
	if (!rc)
		__atomic_store_n(&q->state, SIM_EVICT_FREE, __ATOMIC_RELEASE);
	return rc;
}

static struct sim_evict *next_request(void)
{
	uint32_t i;

	for (i = 0; i < SIM_MAX_EVICT; i++)
		if (__atomic_load_n(&sim->evq[i].state, __ATOMIC_ACQUIRE) ==
		    SIM_EVICT_ASKED)
			return &sim->evq[i];
	return NULL;
}

/*
 * A slot left torn by a writer killed mid-write pins everything: free it,
 * as famfs hosts evict does, once it has stayed the same for long (a live
 * writer rewrites it at least every heartbeat).
 */
static int clear_torn(struct master *m)
{
	struct famfs_error err = { 0 };
	struct famfs_host_row row;
	struct famfs_host_info h;
	struct famfs_hosts t;
	struct torn *w;
	char who[16];
	uint32_t i;
	int rc = 0;

	famfs_log_hosts(&m->fs.log, &t);
	for (i = 0; !rc && i < t.count; i++) {
		w = &m->torn[i];
		if (famfs_hosts_read(&t, i, &h) != FAMFS_E_CRC) {
			w->since = 0;
			continue;
		}
		if (!w->since || memcmp(w->bytes, t.base + i * FAMFS_HOST_SLOT_SIZE,
					sizeof(w->bytes))) {
			memcpy(w->bytes, t.base + i * FAMFS_HOST_SLOT_SIZE,
			       sizeof(w->bytes));
			w->since = sim_now_ms();
			continue;
		}
		if (sim_now_ms() - w->since < TORN_MS)
			continue;
		sim_log("master: freeing torn slot %u", i);
		snprintf(who, sizeof(who), "%u", i);
		rc = famfs_hosts_evict(&m->fs, who, true, &row, &err);
		if (rc)
			return fail("freeing a torn slot", &err);
		__atomic_add_fetch(&sim->st.evictions, 1, __ATOMIC_RELAXED);
		w->since = 0;
	}
	return rc;
}

/*
 * Keep up to two thirds of the device in live files, so that there are
 * files to open and delete, and room to reuse; deletes start early, so
 * that reuse does too.
 */
static bool want_create(struct master *m)
{
	uint64_t fill = m->v.live_units * 100 / (m->v.data_units ? m->v.data_units : 1);

	if (m->log_full || fill > 67)
		return false;
	return fill < 10 || sim_chance(&m->rng, 50);
}

static int step(struct master *m)
{
	struct sim_evict *q = next_request();

	__atomic_add_fetch(&sim->st.steps, 1, __ATOMIC_RELAXED);
	if (q && m->v.log_free > LOG_RESERVE)
		return evict_request(m, q);
	if (!want_create(m))
		return delete_step(m);
	return sim->breaks ? broken_create_step(m) : create_step(m);
}

/* Read the log again and run every check (fsck now and then). */
static int check(struct master *m, bool fsck)
{
	struct famfs_error err = { 0 };
	int rc = famfs_log_refresh(&m->fs.log, &err);

	if (rc)
		return fail("log header", &err);
	sim_view_free(&m->v);
	rc = sim_view_build(&m->fs.log, &m->v);
	if (rc)
		return 1;
	sim->epoch_created = m->v.created;
	sim->epoch_deleted = m->v.deleted;
	sim->epoch_reused = m->v.reused;
	sim->epoch_evictions = m->v.evictions;
	if (m->v.log_free < LOG_MARGIN)
		m->log_full = true;
	if (sim_check(&m->fs.log, &m->v))
		return 1;
	if (!fsck && sim_now_ms() < m->next_fsck)
		return 0;
	m->next_fsck = sim_now_ms() + FSCK_MS;
	return sim_fsck(sim->image);
}

/* The log is full and every file is gone: this file system is done. */
static bool epoch_over(const struct master *m)
{
	return m->log_full && (!m->v.nlive || m->v.log_free < LOG_RESERVE);
}

static int run(struct master *m)
{
	int rc = check(m, true);

	while (!rc && !__atomic_load_n(&sim->stop, __ATOMIC_ACQUIRE) &&
	       !sim_violated()) {
		if (epoch_over(m)) {
			__atomic_store_n(&sim->epoch_done, 1, __ATOMIC_RELEASE);
			break;
		}
		rc = step(m);
		if (!rc)
			rc = clear_torn(m);
		if (!rc)
			rc = check(m, false);
		sim_sleep_ms(sim_range(&m->rng, 2, 10));
	}
	/* The last check, fsck included, before the controller stops the hosts. */
	if (!rc)
		rc = check(m, true);
	return rc || sim_violated();
}

int sim_master_main(void)
{
	struct famfs_error err = { 0 };
	struct master *m = calloc(1, sizeof(*m));
	int rc;

	if (!m)
		return 1;
	sim_rng_seed(&m->rng, sim->seed, 0, sim->host[0].gen);
	rc = famfs_fs_open(&m->fs, sim->image, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
			   &err);
	if (rc) {
		free(m);
		return fail("open", &err);
	}
	m->torn = calloc(FAMFS_HOSTS_COUNT_MAX, sizeof(*m->torn));
	rc = m->torn ? run(m) : 1;
	sim_view_free(&m->v);
	famfs_fs_close(&m->fs);
	free(m->torn);
	free(m);
	return rc;
}
