// SPDX-License-Identifier: GPL-2.0
/*
 * The invariant checker: no unit that a live file owns (at the end of the
 * published log) is held by a running, non-evicted host for another file;
 * each host's slot tells the truth late, never early (released_seq is at
 * most the delete of every deleted file it still holds); every slot is
 * sound; and famfs fsck finds nothing wrong with the image.
 *
 * The master runs it between its steps, when the log cannot change under
 * it. Slots are read before holdings: a host lets go of a file before its
 * slot says so, so the other order could see a close that the slot read
 * later has already announced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "hostsim.h"

/* What the walk keeps of each FILE entry. */
struct frec {
	uint64_t fseq;
	uint32_t nunits;
	uint32_t unit[SIM_FILE_UNITS];
};

struct walk {
	struct sim_view *v;
	struct famfs_pathset names;	/* live paths, with their FILE seq */
	struct frec *files;		/* by FILE entry, in log order */
	size_t nfiles, cap;
	uint8_t *was_deleted;		/* per unit: a deleted file had it */
};

void sim_view_free(struct sim_view *v)
{
	free(v->owner);
	free(v->live);
	famfs_evictions_free(&v->ev);
	memset(v, 0, sizeof(*v));
}

static struct frec *frec_of(const struct walk *w, uint64_t fseq)
{
	size_t lo = 0, hi = w->nfiles, mid;

	while (lo < hi) {	/* files are in seq order */
		mid = (lo + hi) / 2;
		if (w->files[mid].fseq < fseq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->nfiles && w->files[lo].fseq == fseq ? &w->files[lo] : NULL;
}

static int walk_file(struct walk *w, const struct famfs_entry *e)
{
	struct sim_view *v = w->v;
	struct famfs_extent_info x;
	struct frec *f;
	uint64_t u;
	uint32_t i;

	if (w->nfiles == w->cap) {
		f = realloc(w->files, (w->cap * 2 + 256) * sizeof(*f));
		if (!f)
			return -ENOMEM;
		w->files = f;
		w->cap = w->cap * 2 + 256;
	}
	f = &w->files[w->nfiles++];
	memset(f, 0, sizeof(*f));
	f->fseq = e->seq;
	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		for (u = x.offset / FAMFS_ALLOC_UNIT;
		     u < (x.offset + x.len) / FAMFS_ALLOC_UNIT && u < v->nunits; u++) {
			if (v->owner[u]) {
				sim_violation("log seq %llu (%s) claims unit %llu, which live file seq %llu owns",
					      (unsigned long long)e->seq, e->path,
					      (unsigned long long)u,
					      (unsigned long long)v->owner[u] - 1);
				return 1;
			}
			v->reused += w->was_deleted[u];
			w->was_deleted[u] = 0;
			v->owner[u] = e->seq + 1;
			v->live_units++;
			if (f->nunits < SIM_FILE_UNITS)
				f->unit[f->nunits++] = (uint32_t)u;
		}
	}
	v->created++;
	return famfs_pathset_add(&w->names, e->path, e->type, e->seq) < 0 ?
	       -ENOMEM : 0;
}

static void walk_delete(struct walk *w, const struct famfs_entry *e)
{
	const struct famfs_path_item *it = famfs_pathset_get(&w->names, e->path);
	struct frec *f = it ? frec_of(w, it->seq) : NULL;
	uint32_t i;

	if (!f)
		return;
	for (i = 0; i < f->nunits; i++) {
		w->v->owner[f->unit[i]] = 0;
		w->was_deleted[f->unit[i]] = 1;
	}
	w->v->live_units -= f->nunits;
	w->v->deleted++;
	famfs_pathset_remove(&w->names, e->path);
}

static int walk_entry(struct walk *w, const struct famfs_entry *e)
{
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
		return walk_file(w, e);
	case FAMFS_ENTRY_DELETE:
		walk_delete(w, e);
		return 0;
	case FAMFS_ENTRY_EVICT:
		w->v->evictions++;
		return famfs_evictions_add(&w->v->ev, e);
	}
	return 0;
}

/* The live paths, for the master to pick what it deletes. */
static int list_live(struct walk *w)
{
	struct sim_view *v = w->v;
	size_t i;

	v->live = calloc(w->names.count + 1, sizeof(*v->live));
	if (!v->live)
		return -ENOMEM;
	for (i = 0; i < w->names.cap; i++)
		if (w->names.slot[i].path)
			snprintf(v->live[v->nlive++], sizeof(v->live[0]), "%s",
				 w->names.slot[i].path);
	return 0;
}

static int walk_log(const struct famfs_log *log, struct walk *w)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_error err = { 0 };
	struct famfs_log_iter it;
	int rc = e ? 0 : -ENOMEM;

	famfs_log_iter_init(&it, log);
	while (!rc && famfs_log_iter_more(&it)) {
		rc = famfs_log_iter_next(&it, e, &err);
		if (rc > 0) {
			sim_violation("the published log does not read: %s", err.msg);
			rc = 1;
		} else if (!rc)
			rc = walk_entry(w, e);
	}
	if (!rc && famfs_log_iter_finish(&it, &err)) {
		sim_violation("the published log: %s", err.msg);
		rc = 1;
	}
	free(e);
	return rc;
}

int sim_view_build(const struct famfs_log *log, struct sim_view *v)
{
	const struct famfs_geometry *g = &log->sb.geo;
	struct walk w = { .v = v };
	int rc;

	memset(v, 0, sizeof(*v));
	v->next_seq = log->hdr.next_seq;
	v->log_free = g->log_len - log->hdr.next_off;
	v->nunits = g->dev_size / FAMFS_ALLOC_UNIT;
	v->data_units = v->nunits - (g->log_offset + g->log_len) / FAMFS_ALLOC_UNIT;
	v->owner = calloc(v->nunits, sizeof(*v->owner));
	w.was_deleted = calloc(v->nunits, 1);
	famfs_pathset_init(&w.names);
	rc = v->owner && w.was_deleted ? walk_log(log, &w) : -ENOMEM;
	if (!rc)
		rc = list_live(&w);
	if (rc < 0)
		fprintf(stderr, "famfs-test-hostsim: checker: %s\n", strerror(-rc));
	famfs_pathset_free(&w.names);
	free(w.files);
	free(w.was_deleted);
	return rc;
}

/* Every slot decodes (or is being rewritten), and none is ahead of the log. */
static int check_slots(const struct famfs_hosts *t, const struct sim_view *v)
{
	struct famfs_host_info h;
	uint32_t i;
	int rc;

	for (i = 0; i < t->count; i++) {
		rc = famfs_hosts_read(t, i, &h);
		if (rc == FAMFS_E_MAGIC || rc == FAMFS_E_CRC)
			continue;	/* free, or torn by a killed writer */
		if (rc) {
			sim_violation("host table slot %u does not decode: %s", i,
				      famfs_strerror(rc));
			return 1;
		}
		if (h.state == FAMFS_HOST_MOUNTED && h.applied_seq > v->next_seq) {
			sim_violation("host table slot %u (pid %u) has applied_seq %llu, past the log's next_seq %llu",
				      i, h.pid, (unsigned long long)h.applied_seq,
				      (unsigned long long)v->next_seq);
			return 1;
		}
	}
	return 0;
}

static const char *uuid_text(const uint8_t uuid[16], char buf[40])
{
	uuid_unparse_lower(uuid, buf);
	return buf;
}

/* One file host i holds, against the log and its slot h. */
static int check_file(uint32_t i, const struct sim_host *rec,
		      const struct famfs_host_info *h, const struct sim_file *f,
		      const struct sim_view *v)
{
	char u[40], gone[48];
	uint64_t o;
	uint32_t k;

	if (f->dseq && h->released_seq > f->dseq) {
		sim_violation("host %u (pid %d, slot %u, uuid %s) still holds file seq %llu, deleted at seq %llu, but its slot says released_seq %llu (applied_seq %llu)",
			      i, rec->pid, rec->slot, uuid_text(h->system_uuid, u),
			      (unsigned long long)f->fseq,
			      (unsigned long long)f->dseq,
			      (unsigned long long)h->released_seq,
			      (unsigned long long)h->applied_seq);
		return 1;
	}
	for (k = 0; k < f->nunits; k++) {
		o = v->owner[f->unit[k]];
		if (!o || o - 1 == f->fseq)
			continue;
		if (f->dseq)
			snprintf(gone, sizeof(gone), "deleted at seq %llu",
				 (unsigned long long)f->dseq);
		else
			snprintf(gone, sizeof(gone), "whose delete it has not applied");
		sim_violation("unit %u (device offset %#llx) belongs to live file f%llu (log seq %llu), but host %u (pid %d, slot %u, uuid %s, nonce %#llx) still holds it for file seq %llu (%s); its slot says applied_seq %llu, released_seq %llu; the log's next_seq is %llu",
			      f->unit[k],
			      (unsigned long long)f->unit[k] * FAMFS_ALLOC_UNIT,
			      (unsigned long long)o - 1, (unsigned long long)o - 1,
			      i, rec->pid, rec->slot, uuid_text(h->system_uuid, u),
			      (unsigned long long)h->nonce,
			      (unsigned long long)f->fseq, gone,
			      (unsigned long long)h->applied_seq,
			      (unsigned long long)h->released_seq,
			      (unsigned long long)v->next_seq);
		return 1;
	}
	return 0;
}

/* Is the record still the mount it was (no restart, no unmount meanwhile)? */
static bool same_mount(const struct sim_host *rec, uint32_t gen, uint64_t nonce)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&rec->state, __ATOMIC_ACQUIRE) == SIM_UP &&
	       __atomic_load_n(&rec->gen, __ATOMIC_ACQUIRE) == gen &&
	       __atomic_load_n(&rec->phase, __ATOMIC_ACQUIRE) == SIM_PLAYING &&
	       __atomic_load_n(&rec->nonce, __ATOMIC_ACQUIRE) == nonce;
}

/* Host i: its slot is its own, and what it holds is not another file's. */
static int check_host(const struct famfs_hosts *t, uint32_t i,
		      const struct sim_view *v)
{
	const struct sim_host *rec = &sim->host[i];
	struct sim_file held[SIM_MAX_HELD];
	struct famfs_host_info h;
	uint32_t gen, n, k, slot;
	uint64_t nonce;
	int rc;

	gen = __atomic_load_n(&rec->gen, __ATOMIC_ACQUIRE);
	nonce = __atomic_load_n(&rec->nonce, __ATOMIC_ACQUIRE);
	slot = rec->slot;
	if (!same_mount(rec, gen, nonce) || slot >= t->count)
		return 0;
	rc = famfs_hosts_read(t, slot, &h);
	if (!rc && h.nonce == nonce && famfs_evicted(&v->ev, &h))
		return 0;	/* evicted: no longer counted */
	if (!sim_held_copy(rec, held, &n) || !same_mount(rec, gen, nonce))
		return 0;
	if (rc || h.nonce != nonce || h.state != FAMFS_HOST_MOUNTED) {
		sim_violation("host %u (pid %d) runs, but its slot %u no longer holds its mount (nonce %#llx): %s, nonce %#llx, pid %u",
			      i, rec->pid, slot, (unsigned long long)nonce,
			      rc ? famfs_strerror(rc) : famfs_host_state_name(&h, 0),
			      rc ? 0ULL : (unsigned long long)h.nonce, rc ? 0 : h.pid);
		return 1;
	}
	for (k = 0; k < n; k++) {
		if (held[k].dseq)
			__atomic_add_fetch(&sim->st.held_deleted, 1, __ATOMIC_RELAXED);
		if (check_file(i, rec, &h, &held[k], v))
			return 1;
	}
	return 0;
}

int sim_check(const struct famfs_log *log, const struct sim_view *v)
{
	struct famfs_hosts t;
	uint32_t i;

	__atomic_add_fetch(&sim->st.checks, 1, __ATOMIC_RELAXED);
	if (famfs_log_hosts(log, &t)) {
		sim_violation("the image has no host table");
		return 1;
	}
	if (check_slots(&t, v))
		return 1;
	for (i = 1; i < sim->nhosts; i++)
		if (check_host(&t, i, v))
			return 1;
	return 0;
}

struct problems {
	char text[2048];
	size_t used;
};

static void on_problem(void *arg, int code, const char *msg)
{
	struct problems *p = arg;

	(void)code;
	if (p->used < sizeof(p->text) - 1)
		p->used += snprintf(p->text + p->used, sizeof(p->text) - p->used,
				    "%s%s", p->used ? "; " : "", msg);
}

int sim_fsck(const char *image)
{
	struct problems p = { .used = 0 };
	struct famfs_fsck_ops ops = { .problem = on_problem, .arg = &p };
	struct famfs_fsck_report rep;
	struct famfs_error err = { 0 };
	int rc;

	__atomic_add_fetch(&sim->st.fscks, 1, __ATOMIC_RELAXED);
	memset(&rep, 0, sizeof(rep));
	rc = famfs_fsck(image, &ops, &rep, &err);
	if (rc) {
		sim_violation("fsck could not run: %s", err.msg);
		return 1;
	}
	if (!rep.errors)
		return 0;
	sim_violation("fsck found %u problem(s): %s", rep.errors, p.text);
	return 1;
}
