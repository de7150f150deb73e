// SPDX-License-Identifier: GPL-2.0
/*
 * Log compaction (format 1.3; docs/compaction.md). The master writes the
 * live namespace into the log area no host reads, as generation g + 1,
 * then switches the active-log record to it: one 64-byte write, which a
 * crash leaves either undone or done.
 *
 * It runs only when every live slot has switched to generation g, applied
 * all of it and released every delete in it: then no host reads the other
 * area (it held g - 1), and no deleted space is pinned anywhere, so the
 * new log, which forgets deletes, has nothing left to release.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* How often the master looks at the host table while waiting. */
#define WAIT_STEP_MS	10
/* Laggards named in the refusal. */
#define NAMED_MAX	4

/* A directory to log again: parents first, so by depth, then in log order. */
struct compact_dir {
	uint64_t seq;
	size_t depth;
};

struct compactor {
	struct famfs_log *log;
	struct famfs_names names;
	const char **live;		/* each entry's final path, by seq */
	struct famfs_offsets offs;
	struct compact_dir *dirs;
	size_t ndirs, cap;
	uint64_t nfiles;
	uint64_t bytes;			/* the directories' and files' entries */
	struct famfs_evictions ev;
	struct famfs_host_info *evicted;	/* slots to keep evicted */
	size_t nevicted;
	struct famfs_entry *e;
	struct famfs_extent_info *ext;	/* FAMFS_MAX_EXTENTS */
	struct famfs_log next;		/* the log being written */
	struct famfs_compact_report *rep;
	uint64_t half;			/* entries written when a test stops */
};

static uint64_t ms_now(void)
{
	return famfs_now_ns(CLOCK_MONOTONIC) / 1000000ULL;
}

/*
 * FAMFS_TEST_COMPACT_STOP=entries|area|record stops the compaction there
 * (after half the new log's entries; after its header; after the switch)
 * and waits to be killed or powered off: the crash tests' way to stop a
 * master at a chosen step.
 */
static void test_stop(const char *step)
{
	const char *want = getenv("FAMFS_TEST_COMPACT_STOP");

	if (!want || strcmp(want, step))
		return;
	fprintf(stderr, "famfs: compaction stopped for a test at step %s\n",
		step);
	fflush(stderr);
	for (;;)
		pause();
}

/* ------------------------------------------------------------------------
 * The hosts: has every live one caught up with generation g?
 */

static void name_laggard(char *buf, size_t len, uint32_t slot,
			 const struct famfs_host_info *h, int rc)
{
	if (rc) {
		snprintf(buf, len, "slot %u is damaged (famfs hosts evict frees it)",
			 slot);
		return;
	}
	if (h->flags & FAMFS_HOST_F_NOFOLLOW) {
		snprintf(buf, len, "slot %u (%s) is mounted without a follower (unmount it, or mount it with one)",
			 slot, h->hostname);
		return;
	}
	snprintf(buf, len, "slot %u (%s) is at generation %llu, seq %llu applied, %llu released",
		 slot, h->hostname, (unsigned long long)h->log_generation,
		 (unsigned long long)h->applied_seq,
		 (unsigned long long)h->released_seq);
}

/* Does slot h (decoded as rc) keep the log from compacting? */
static bool lags(const struct famfs_log *log, const struct famfs_evictions *ev,
		 const struct famfs_host_info *h, int rc)
{
	switch (famfs_host_pin(ev, h, rc)) {
	case FAMFS_PIN_DAMAGED:
		return true;
	case FAMFS_PIN_LIVE:
		return h->log_generation != log->gen.generation ||
		       h->applied_seq < log->hdr.next_seq ||
		       h->released_seq < log->hdr.next_seq;
	default:
		return false;
	}
}

/* The slots that lag, named in why (len bytes): 0 when none does. */
static uint32_t laggards(const struct famfs_log *log,
			 const struct famfs_evictions *ev, char *why,
			 size_t len)
{
	struct famfs_host_info h;
	struct famfs_hosts t;
	uint32_t i, n = 0;
	size_t used = 0;
	int rc;

	why[0] = '\0';
	if (famfs_log_hosts(log, &t))
		return 0;
	for (i = 0; i < t.count; i++) {
		rc = famfs_hosts_read(&t, i, &h);
		if (!lags(log, ev, &h, rc))
			continue;
		if (n++ < NAMED_MAX && used < len) {
			if (used)
				used += snprintf(why + used, len - used, "; ");
			if (used < len)
				name_laggard(why + used, len - used, i, &h, rc);
			used += strlen(why + used);
		}
	}
	if (n > NAMED_MAX && used < len)
		snprintf(why + used, len - used, "; and %u more", n - NAMED_MAX);
	return n;
}

/* Wait up to wait_ms for every live host to catch up (precondition 1). */
static int wait_for_hosts(struct compactor *c, unsigned int wait_ms,
			  struct famfs_error *err)
{
	uint64_t start = ms_now();
	char why[1024];
	uint32_t n;

	for (;;) {
		n = laggards(c->log, &c->ev, why, sizeof(why));
		c->rep->waited_ms = ms_now() - start;
		if (!n)
			return 0;
		if (c->rep->waited_ms >= wait_ms)
			break;
		famfs_sleep_ms(WAIT_STEP_MS);
	}
	return famfs_error_set(err, -EBUSY,
			       "cannot compact the log yet: %u host%s %s not caught up with generation %llu after %llu ms (%s); famfs hosts shows them",
			       n, n == 1 ? "" : "s", n == 1 ? "has" : "have",
			       (unsigned long long)c->log->gen.generation,
			       (unsigned long long)c->rep->waited_ms, why);
}

/* ------------------------------------------------------------------------
 * The live namespace, read from the active log.
 */

static int note_dir(struct compactor *c, uint64_t seq, const char *path)
{
	struct compact_dir *more = famfs_grow(c->dirs, &c->cap, c->ndirs,
					      sizeof(*more));

	if (!more)
		return -ENOMEM;
	c->dirs = more;
	c->dirs[c->ndirs].seq = seq;
	c->dirs[c->ndirs++].depth = famfs_path_depth(path);
	return 0;
}

static int seen(void *arg, const struct famfs_entry *e,
		const struct famfs_path_item *was, uint64_t off,
		struct famfs_error *err)
{
	struct compactor *c = arg;

	(void)was;
	(void)err;
	if (e->type == FAMFS_ENTRY_EVICT)
		return famfs_evictions_add(&c->ev, e);
	return famfs_offsets_note(&c->offs, e->seq, off);
}

static int by_depth(const void *a, const void *b)
{
	const struct compact_dir *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Is entry seq a FILE or MKDIR that lives at the end (then in c->e)? */
static bool live_entry(struct compactor *c, uint64_t seq)
{
	return c->live[seq] &&
	       !famfs_offsets_decode(&c->offs, c->log, seq, c->e) &&
	       (c->e->type == FAMFS_ENTRY_FILE ||
		c->e->type == FAMFS_ENTRY_MKDIR);
}

/* The namespace at the log's end, and where each live directory was logged. */
static int read_namespace(struct compactor *c, struct famfs_error *err)
{
	uint64_t seq;
	int rc;

	rc = famfs_names_build(&c->names, c->log, seen, c, err);
	if (rc > 0)
		famfs_error_prefix(err, "the log does not read to its end (famfs fsck tells more)");
	if (rc)
		return rc;
	c->live = famfs_names_live(&c->names);
	if (!c->live)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	for (seq = 0; seq < c->names.nseq; seq++) {
		if (!live_entry(c, seq))
			continue;
		if (c->e->type == FAMFS_ENTRY_FILE) {
			c->nfiles++;
			c->bytes += famfs_file_map_entry_size(strlen(c->live[seq]),
							      c->e->n_extents,
							      c->e->chunk_size);
		} else if (note_dir(c, seq, c->live[seq])) {
			return famfs_error_set(err, -ENOMEM, "out of memory");
		} else {
			c->bytes += famfs_mkdir_entry_size(strlen(c->live[seq]));
		}
	}
	if (c->ndirs)	/* c->dirs is NULL then, which qsort() may not take */
		qsort(c->dirs, c->ndirs, sizeof(*c->dirs), by_depth);
	return 0;
}

/* ------------------------------------------------------------------------
 * The new log, in the other area.
 */

/* The members MEMBER entries added (format 1.4): each is logged again. */
static uint32_t added_members(const struct famfs_log *log)
{
	return log->sb.geo.n_members - log->sb.ndevices;
}

static int copy_members(struct compactor *c, struct famfs_error *err)
{
	const struct famfs_log *log = c->log;
	uint32_t i;
	int rc;

	for (i = log->sb.ndevices; i < log->sb.geo.n_members; i++) {
		/* The new log's members grow as they are restated. */
		c->next.sb.geo.n_members = i;
		rc = famfs_log_add_member(&c->next, &log->sb.members[i], err);
		if (rc)
			return rc;
		c->rep->members++;
	}
	c->next.sb.geo = log->sb.geo;
	return 0;
}

/* The mounts evicted whose slots still say MOUNTED: they must stay dead. */
static int find_evicted(struct compactor *c, struct famfs_error *err)
{
	struct famfs_hosts t;
	uint32_t i;

	if (famfs_log_hosts(c->log, &t))
		return 0;
	c->evicted = calloc(t.count, sizeof(*c->evicted));
	if (!c->evicted)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < t.count; i++) {
		if (!famfs_hosts_read(&t, i, &c->evicted[c->nevicted]) &&
		    famfs_host_pin(&c->ev, &c->evicted[c->nevicted], 0) ==
		    FAMFS_PIN_EVICTED)
			c->nevicted++;
	}
	return 0;
}

static int copy_evictions(struct compactor *c, struct famfs_error *err)
{
	const struct famfs_host_info *h;
	size_t i;
	int rc;

	for (i = 0; i < c->nevicted; i++) {
		h = &c->evicted[i];
		rc = famfs_log_add_evict(&c->next, h->system_uuid, h->nonce, err);
		if (rc)
			return rc;
		c->rep->evictions++;
	}
	return 0;
}

static void maybe_stop_half(struct compactor *c)
{
	if (c->next.cur.next_seq == c->half)
		test_stop("entries");
}

static int copy_dirs(struct compactor *c, struct famfs_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < c->ndirs; i++) {
		rc = famfs_offsets_decode(&c->offs, c->log, c->dirs[i].seq, c->e);
		if (rc)
			return famfs_error_set(err, rc, "seq %llu: %s",
					       (unsigned long long)c->dirs[i].seq,
					       famfs_strerror(rc));
		rc = famfs_log_add_mkdir(&c->next, c->live[c->dirs[i].seq],
					 &c->e->meta, err);
		if (rc)
			return rc;
		c->rep->dirs++;
		maybe_stop_half(c);
	}
	return 0;
}

static int copy_file(struct compactor *c, const char *path,
		     struct famfs_error *err)
{
	const struct famfs_entry *e = c->e;
	uint32_t i;
	int rc;

	for (i = 0; i < e->n_extents; i++)
		famfs_entry_extent(e, i, &c->ext[i]);
	rc = famfs_log_add_file_map(&c->next, path, &e->meta, e->chunk_size,
				    c->ext, e->n_extents, err);
	if (rc)
		return rc;
	c->rep->files++;
	maybe_stop_half(c);
	return 0;
}

static int copy_files(struct compactor *c, struct famfs_error *err)
{
	uint64_t seq;
	int rc;

	for (seq = 0; seq < c->names.nseq; seq++) {
		if (!live_entry(c, seq) || c->e->type != FAMFS_ENTRY_FILE)
			continue;
		rc = copy_file(c, c->live[seq], err);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Start generation g + 1 in the other area: its old header goes first, so
 * that a crash from here on leaves that area holding no log at all.
 */
static int start_next(struct compactor *c, struct famfs_error *err)
{
	const struct famfs_log *log = c->log;
	struct famfs_log *n = &c->next;
	int rc;

	*n = *log;
	n->gen.generation = log->gen.generation + 1;
	n->gen.area = (log->gen.area + 1) % log->sb.geo.log_areas;
	n->log_buf = log->areas + (uint64_t)n->gen.area * log->sb.geo.log_len;
	memset(n->log_buf, 0, sizeof(struct famfs_log_header));
	famfs_log_flush(log, n->log_buf, sizeof(struct famfs_log_header));
	rc = famfs_log_area_seed(n->log_buf, &log->sb, &n->gen,
				 famfs_log_area_seeds(&log->sb) +
				 added_members(log) + c->nevicted +
				 c->ndirs + c->nfiles, &n->cur);
	if (rc)
		return famfs_error_set(err, rc, "the new log's first entries: %s",
				       famfs_strerror(rc));
	famfs_log_flush(log, n->log_buf + FAMFS_LOG_ENTRIES_OFF,
		    n->cur.next_off - FAMFS_LOG_ENTRIES_OFF);
	/* Nothing published yet: the commit writes the header. */
	n->hdr = n->cur;
	n->hdr.next_seq = 0;
	n->hdr.next_off = FAMFS_LOG_ENTRIES_OFF;
	return 0;
}

/* The switch: the record copy of generation g + 1, flushed. */
static void switch_record(struct compactor *c)
{
	const struct famfs_log *log = c->log;
	uint8_t *rec = log->sb_buf + famfs_logrec_off(&log->sb,
						       c->next.gen.generation);

	famfs_logrec_encode(&c->next.gen, rec);
	famfs_log_flush(log, rec, FAMFS_LOGREC_SIZE);
}

static int write_next(struct compactor *c, struct famfs_error *err)
{
	int rc;

	rc = start_next(c, err);
	c->half = c->next.cur.next_seq + (c->ndirs + c->nfiles) / 2;
	if (!rc)
		rc = copy_members(c, err);
	if (!rc)
		rc = copy_evictions(c, err);
	if (!rc)
		rc = copy_dirs(c, err);
	if (!rc)
		rc = copy_files(c, err);
	if (!rc)
		rc = famfs_log_commit(&c->next, err);
	if (rc)
		return rc;
	test_stop("area");
	switch_record(c);
	test_stop("record");
	return 0;
}

/* ------------------------------------------------------------------------ */

static int check_compactable(const struct famfs_log *log,
			     struct famfs_error *err)
{
	if (log->lock_fd < 0)
		return famfs_error_set(err, -EINVAL, "the log is not open for appending");
	if (log->cur.next_off != log->hdr.next_off)
		return famfs_error_set(err, -EINVAL, "the log has entries not yet published");
	if (log->sb.geo.log_areas < 2)
		return famfs_error_set(err, -EOPNOTSUPP,
				       "the file system is format %u.%u, which has one log area: compaction needs format %u.%u (two areas; mkfs.famfs makes them)",
				       log->sb.version_major, log->sb.version_minor,
				       FAMFS_VERSION_MAJOR,
				       FAMFS_VERSION_MINOR_COMPACT);
	return 0;
}

static void compactor_free(struct compactor *c)
{
	famfs_names_free(&c->names);
	free(c->live);
	famfs_offsets_free(&c->offs);
	free(c->dirs);
	famfs_evictions_free(&c->ev);
	free(c->evicted);
	free(c->e);
	free(c->ext);
}

/* Would the new log leave room bytes free? Refuse before writing it. */
static int check_fits(const struct compactor *c, size_t room,
		      struct famfs_error *err)
{
	const struct famfs_log *log = c->log;
	uint64_t need = FAMFS_LOG_ENTRIES_OFF + c->bytes +
			c->nevicted * famfs_evict_entry_size() +
			added_members(log) * famfs_member_entry_size() +
			(log->sb.logrec_offset ? famfs_generation_entry_size() : 0) +
			(log->sb.hosts_offset ? famfs_host_table_entry_size() : 0);

	if (need + room <= log->sb.geo.log_len)
		return 0;
	return famfs_error_set(err, FAMFS_E_LOG_FULL,
			       "log full even compacted: the live namespace takes %llu of its %llu bytes%s (make the file system again with a larger log, mkfs.famfs -l)",
			       (unsigned long long)need,
			       (unsigned long long)log->sb.geo.log_len,
			       room ? ", leaving too little for the entry" : "");
}

static int compact(struct compactor *c, const struct famfs_compact_opts *o,
		   struct famfs_error *err)
{
	uint64_t start;
	int rc;

	c->e = malloc(sizeof(*c->e));
	c->ext = malloc(FAMFS_MAX_EXTENTS * sizeof(*c->ext));
	if (!c->e || !c->ext)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	famfs_names_init(&c->names);
	rc = read_namespace(c, err);
	if (!rc)
		rc = find_evicted(c, err);
	if (!rc)
		rc = check_fits(c, o ? o->room : 0, err);
	if (!rc)
		rc = wait_for_hosts(c, o ? o->wait_ms : 0, err);
	if (rc)
		return rc;
	start = ms_now();
	rc = write_next(c, err);
	c->rep->write_ms = ms_now() - start;
	return rc;
}

int famfs_log_compact(struct famfs_log *log, const struct famfs_compact_opts *o,
		      struct famfs_compact_report *rep, struct famfs_error *err)
{
	struct famfs_compact_report mine;
	struct compactor c = { .log = log };
	int rc;

	c.rep = rep ? rep : &mine;
	memset(c.rep, 0, sizeof(*c.rep));
	c.rep->entries_before = log->hdr.next_seq;
	c.rep->bytes_before = log->hdr.next_off;
	rc = check_compactable(log, err);
	if (!rc)
		rc = compact(&c, o, err);
	compactor_free(&c);
	if (rc)
		return rc;
	log->log_buf = c.next.log_buf;
	log->gen = c.next.gen;
	log->hdr = log->cur = c.next.hdr;
	/* The same members, at the seqs of the new log. */
	rc = famfs_log_members_scan(log, err);
	if (rc)
		return rc;
	c.rep->generation = log->gen.generation;
	c.rep->area = log->gen.area;
	c.rep->entries_after = log->hdr.next_seq;
	c.rep->bytes_after = log->hdr.next_off;
	return 0;
}

bool famfs_log_fits(const struct famfs_log *log, size_t need)
{
	return need && need <= log->sb.geo.log_len - log->cur.next_off;
}

int famfs_log_compact_for(struct famfs_log *log, size_t need,
			  struct famfs_error *err)
{
	const struct famfs_compact_opts o = { .wait_ms = FAMFS_COMPACT_WAIT_MS,
					      .room = need };
	uint64_t free_bytes = log->sb.geo.log_len - log->cur.next_off;
	char why[sizeof(err->msg)];
	int rc;

	if (famfs_log_fits(log, need))
		return 0;
	if (log->sb.geo.log_areas < 2 || !need)
		return famfs_error_set(err, FAMFS_E_LOG_FULL,
				       "log full: the entry needs %zu bytes, %llu are free%s",
				       need, (unsigned long long)free_bytes,
				       need ? " (a file system of format 1.3 and later compacts its log)" : "");
	rc = famfs_log_compact(log, &o, NULL, err);
	if (rc == FAMFS_E_LOG_FULL)
		return rc;
	if (rc) {
		snprintf(why, sizeof(why), "%.700s", err->msg);
		return famfs_error_set(err, FAMFS_E_LOG_FULL,
				       "log full, and it cannot be compacted now: %s",
				       why);
	}
	return 0;
}
