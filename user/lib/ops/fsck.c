// SPDX-License-Identifier: GPL-2.0
/*
 * fsck: check a superblock and log held in memory (a mapped device, an
 * image, or a mounted file system's metadata files) and count what they
 * hold. Every problem goes to a callback with where it is and why.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

/* A path length typical of real trees, to estimate the free entries. */
#define TYPICAL_PATH_LEN	32

struct fsck {
	const struct famfs_fsck_ops *ops;
	struct famfs_fsck_report *rep;
	struct famfs_log log;
	struct famfs_space space;	/* units, deletes, evictions */
	struct famfs_names names;
	int rc;				/* what stopped the check itself */
	struct famfs_entry *e;		/* the entry being checked */
	char who[2 * FAMFS_PATH_SHOWN + 64];	/* e, as problems name it */
};

static void problem(struct fsck *f, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct fsck *f, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	f->rep->errors++;
	if (!f->ops || !f->ops->problem)
		return;
	va_start(ap, fmt);
	famfs_vfit(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->ops->problem(f->ops->arg, code, msg);
}

static void note(struct fsck *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct fsck *f, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	f->rep->notes++;
	if (!f->ops || !f->ops->note)
		return;
	va_start(ap, fmt);
	famfs_vfit(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->ops->note(f->ops->arg, msg);
}

/* Which bytes of the superblock or log header a decode error points at. */
static const char *fixed_where(int code, bool sb)
{
	switch (code) {
	case FAMFS_E_MAGIC:
		return "magic, bytes 0-7";
	case FAMFS_E_VERSION:
		return "version_major, bytes 8-9";
	case FAMFS_E_CRC:
		return sb ? "some byte in 0-251 differs from what the CRC at 252-255 covers" :
			    "some byte in 0-59 differs from what the CRC at 60-63 covers";
	case FAMFS_E_FLAGS:
		return sb ? "flags at 12-15 or reserved bytes 124-127, 148-151 and 160-251 (136-251 before format 1.4, 120-251 before 1.3, 104-251 before 1.2)" :
			    "flags at 12-15 or reserved bytes 40-59";
	case FAMFS_E_GEOMETRY:
		return "geometry fields, bytes 64-95, host table fields, bytes 104-119, log area fields, bytes 120-135, or member table field, bytes 136-143";
	case FAMFS_E_STRIPE:
		return "default stripe fields, bytes 144-147 and 152-159";
	case FAMFS_E_LOG_HEADER:
		return "log_len, next_seq or next_off, bytes 16-39";
	}
	return "";
}

/* Is every one of len bytes at p zero? */
static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * The active-log record (format 1.3): each copy, and the one that names
 * the log. A copy never written is all zero (mkfs clears copy 1); one
 * torn by a crash while it was switched fails its CRC and leaves the
 * other the answer: a note. With no valid copy the log cannot be found.
 */
static bool check_logrec(struct fsck *f, const uint8_t *sb_buf, size_t sb_len)
{
	const struct famfs_sb_info *sb = &f->rep->sb;
	struct famfs_fsck_report *rep = f->rep;
	const size_t len = FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE;
	const uint8_t *rec = sb_buf + sb->logrec_offset;
	unsigned int i;
	int rc;

	if (sb_len < sb->logrec_offset + len) {
		problem(f, FAMFS_E_SHORT,
			"active-log record (device offset %#llx): past the %zu bytes of the superblock area read",
			(unsigned long long)sb->logrec_offset, sb_len);
		return false;
	}
	famfs_invalidate(rec, len);
	famfs_logrec_pick(rec, len, sb->geo.log_areas, &rep->gen, &rep->logrec_valid);
	for (i = 0; i < FAMFS_LOGREC_COPIES; i++) {
		const uint8_t *copy = rec + i * FAMFS_LOGREC_SIZE;

		rc = famfs_logrec_decode(copy, FAMFS_LOGREC_SIZE,
					 sb->geo.log_areas, &rep->logrec[i]);
		if (!rc && rep->logrec[i].generation % FAMFS_LOGREC_COPIES != i)
			rc = FAMFS_E_GEOMETRY;	/* the other copy's parity */
		rep->logrec_err[i] = rc;
		if (rc && all_zero(copy, FAMFS_LOGREC_SIZE))
			rep->logrec_empty |= 1u << i;
	}
	if (!rep->logrec_valid) {
		problem(f, rep->logrec_err[0],
			"active-log record (device offset %#llx): no valid copy (copy 0: %s; copy 1: %s), so which log area is in use is unknown",
			(unsigned long long)sb->logrec_offset,
			rep->logrec_empty & 1 ? "never written" :
						famfs_strerror(rep->logrec_err[0]),
			rep->logrec_empty & 2 ? "never written" :
						famfs_strerror(rep->logrec_err[1]));
		return false;
	}
	for (i = 0; i < FAMFS_LOGREC_COPIES; i++)
		if (rep->logrec_err[i] && !(rep->logrec_empty & (1u << i)))
			note(f, "active-log record copy %u (device offset %#llx): %s%s; copy %u (generation %llu, area %u) names the log in use, as after a crash while the record was switched",
			     i, (unsigned long long)(sb->logrec_offset +
						     i * FAMFS_LOGREC_SIZE),
			     famfs_strerror(rep->logrec_err[i]),
			     rep->logrec_err[i] == FAMFS_E_GEOMETRY ?
			     " (an area beyond the superblock's, or a generation of the other copy's parity)" : "",
			     1 - i, (unsigned long long)rep->gen.generation,
			     rep->gen.area);
	return true;
}

/*
 * The log area not in use (format 1.3): its header and first entry, as far
 * as they decode. What it holds is no error: the previous generation, a
 * compaction that stopped before its switch, or nothing.
 */
static void read_inactive(struct fsck *f, const uint8_t *log_buf)
{
	const struct famfs_geometry *geo = &f->rep->sb.geo;
	struct famfs_fsck_area *a = &f->rep->inactive;
	const uint8_t *area;
	struct famfs_log_info hdr;

	a->area = f->rep->gen.area ? 0 : 1;
	area = log_buf + (uint64_t)a->area * geo->log_len;
	famfs_invalidate(area, sizeof(struct famfs_log_header));
	a->err = famfs_log_header_decode(area, sizeof(struct famfs_log_header),
					 geo, &hdr);
	if (a->err)
		return;
	a->log = true;
	a->entries = hdr.next_seq;
	if (!hdr.next_seq)
		return;
	famfs_invalidate(area + FAMFS_LOG_ENTRIES_OFF,
			 famfs_generation_entry_size());
	if (!famfs_entry_decode(area + FAMFS_LOG_ENTRIES_OFF,
				hdr.next_off - FAMFS_LOG_ENTRIES_OFF, 0, geo, f->e) &&
	    f->e->type == FAMFS_ENTRY_GENERATION) {
		a->gen_known = true;
		a->generation = f->e->generation;
		a->gen_area = f->e->area;
	}
}

/* Superblock, active-log record and log header; false if the log cannot be walked. */
static bool check_fixed(struct fsck *f, const void *sb_buf, size_t sb_len,
			const void *log_buf, size_t log_len)
{
	struct famfs_fsck_report *rep = f->rep;
	struct famfs_error err = { 0 };
	int rc;

	famfs_invalidate(sb_buf, sizeof(struct famfs_superblock));
	rep->sb_valid = !famfs_sb_decode(sb_buf, sb_len, &rep->sb);
	if (rep->sb_valid && rep->sb.logrec_offset &&
	    !check_logrec(f, sb_buf, sb_len))
		return false;
	rc = famfs_log_open_mem(&f->log, (void *)sb_buf, sb_len,
				(void *)log_buf, log_len, false, &err);
	if (rc) {
		problem(f, rc, "%s (%s)", err.msg, fixed_where(rc, !rep->sb_valid));
		return false;
	}
	rep->log_valid = true;
	rep->sb = f->log.sb;	/* with the members of MEMBER entries */
	rep->hdr = f->log.hdr;
	rep->gen = f->log.gen;
	rep->role_known = !famfs_role(&rep->sb, &rep->role, NULL);
	if (rep->sb.geo.dev_size > rep->device_size)
		problem(f, FAMFS_E_GEOMETRY,
			"superblock (device offset 0): dev_size %llu but the device holds %llu bytes",
			(unsigned long long)rep->sb.geo.dev_size,
			(unsigned long long)rep->device_size);
	return true;
}

/* The entry with sequence number seq, for collision reports. */
static void entry_path(const struct fsck *f, uint64_t seq, char *buf,
		       size_t len)
{
	const char *path = famfs_names_path(&f->names, seq);
	char shown[FAMFS_PATH_SHOWN];

	if (path)
		snprintf(buf, len, "%s (seq %llu)",
			 famfs_path_show(shown, sizeof(shown), path),
			 (unsigned long long)seq);
	else
		snprintf(buf, len, "seq %llu", (unsigned long long)seq);
}

static void check_extent(struct fsck *f, const struct famfs_extent_info *x)
{
	char other[FAMFS_PATH_SHOWN + 32], at[FAMFS_PLACE_SHOWN];
	struct famfs_collision c;

	/*
	 * A deleted file's units are free again while the walk goes on (a
	 * later file may have reused them); at the end, those of deletes not
	 * released everywhere are taken back (settle()).
	 */
	if (!x->dev_index && x->offset + x->len > f->rep->device_size)
		problem(f, FAMFS_E_EXT_RANGE,
			"%s: extent %#llx+%#llx runs past the device's %llu bytes",
			f->who, (unsigned long long)x->offset,
			(unsigned long long)x->len,
			(unsigned long long)f->rep->device_size);
	if (!famfs_alloc_claim(&f->space.alloc, x, f->e->seq, &c))
		return;
	entry_path(f, c.owner_seq, other, sizeof(other));
	problem(f, FAMFS_E_EXT_OVERLAP,
		"%s overlaps file %s: %llu MiB from %s",
		f->who, other,
		(unsigned long long)(c.units * f->space.alloc.geo.alloc_unit / FAMFS_MIB),
		famfs_place_show(at, sizeof(at), c.dev_index, c.offset));
}

/* The space side of an entry that names obey: deletes, evictions. */
static void account(struct fsck *f, const struct famfs_path_item *was,
		    uint64_t log_off)
{
	int rc;

	if (f->e->type == FAMFS_ENTRY_FILE)
		rc = famfs_offsets_note(&f->space.offs, f->e->seq, log_off);
	else
		rc = famfs_space_entry(&f->space, f->e, was, log_off, NULL);
	if (rc == -ENOMEM)
		f->rc = rc;
}

/* A live file took units of a deleted file that a live host has not released. */
static void reused_early(void *arg, const struct famfs_deleted *d,
			 const struct famfs_collision *c)
{
	struct fsck *f = arg;
	char owner[FAMFS_PATH_SHOWN + 32], gone[FAMFS_PATH_SHOWN + 32];
	char at[FAMFS_PLACE_SHOWN];

	entry_path(f, c->owner_seq, owner, sizeof(owner));
	entry_path(f, d->fseq, gone, sizeof(gone));
	problem(f, FAMFS_E_EXT_OVERLAP,
		"file %s holds %s, which file %s held until it was deleted at seq %llu; a mounted host has not released that delete (famfs hosts says which), so it may still read those bytes",
		owner, famfs_place_show(at, sizeof(at), c->dev_index, c->offset),
		gone,
		(unsigned long long)d->dseq);
}

/* What a DELETE did to the counts (its space: settle()). */
static void count_change(struct fsck *f, const struct famfs_path_item *was)
{
	struct famfs_fsck_report *rep = f->rep;

	if (f->e->type != FAMFS_ENTRY_DELETE)
		return;
	if (was->type == FAMFS_ENTRY_MKDIR) {
		rep->dirs--;
		return;
	}
	rep->files--;
	rep->deleted_files++;
}

/* Is e's path where the entries before it allow it? */
static void check_name(struct fsck *f, uint64_t log_off)
{
	char why[2 * FAMFS_PATH_SHOWN + 64];
	struct famfs_path_item was;
	int rc;

	rc = famfs_names_add(&f->names, f->e, &was, why, sizeof(why));
	if (rc > 0)
		problem(f, rc, "%s: %s", f->who, why);
	else if (rc < 0)
		f->rc = rc;
	else if (was.path)
		count_change(f, &was);
	account(f, &was, log_off);
}

static const char *entry_kind(int type)
{
	switch (type) {
	case FAMFS_ENTRY_MKDIR:
		return "directory";
	case FAMFS_ENTRY_DELETE:
		return "delete of";
	case FAMFS_ENTRY_RENAME:
		return "rename of";
	case FAMFS_ENTRY_EVICT:
		return "eviction of";
	case FAMFS_ENTRY_HOST_TABLE:
		return "host table of";
	case FAMFS_ENTRY_GENERATION:
		return "log";
	case FAMFS_ENTRY_MEMBER:
		return "addition of";
	}
	return "file";
}

/* What e acts on: its path (and a RENAME's destination), its hosts, its log. */
static void entry_object(const struct famfs_entry *e, char *buf, size_t len)
{
	char shown[FAMFS_PATH_SHOWN];

	if (e->type == FAMFS_ENTRY_EVICT || e->type == FAMFS_ENTRY_HOST_TABLE ||
	    e->type == FAMFS_ENTRY_GENERATION || e->type == FAMFS_ENTRY_MEMBER) {
		buf[0] = ' ';
		famfs_host_entry_show(buf + 1, len - 1, e);
		return;
	}
	if (!e->path_len) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, " %s", famfs_path_show(shown, sizeof(shown), e->path));
	if (e->type == FAMFS_ENTRY_RENAME)
		snprintf(buf + strlen(buf), len - strlen(buf), " to %s",
			 famfs_path_show(shown, sizeof(shown), e->dst));
}

/* "file PATH (seq N, entry at device offset X)", for e's problems. */
static void name_entry(struct fsck *f, uint64_t dev_off)
{
	const struct famfs_entry *e = f->e;
	char what[2 * FAMFS_PATH_SHOWN + 8];

	entry_object(e, what, sizeof(what));
	snprintf(f->who, sizeof(f->who),
		 "%s%s (seq %llu, entry at device offset %#llx)",
		 entry_kind(e->type), what, (unsigned long long)e->seq,
		 (unsigned long long)dev_off);
}

/* Is e where the log areas and the host table allow it? */
static void check_hosts(struct fsck *f)
{
	char why[160];
	int rc;

	rc = famfs_hostlog_check(&f->log, f->e, why, sizeof(why));
	if (rc)
		problem(f, rc, "%s: %s", f->who, why);
}

static void check_entry(struct fsck *f, uint64_t log_off)
{
	uint64_t dev_off = famfs_log_dev_off(&f->log, log_off);
	const struct famfs_entry *e = f->e;
	struct famfs_extent_info x;
	uint32_t i;

	f->rep->entries++;
	name_entry(f, dev_off);
	check_name(f, log_off);
	check_hosts(f);
	if (e->type == FAMFS_ENTRY_MKDIR)
		f->rep->dirs++;
	if (e->type == FAMFS_ENTRY_FILE) {
		f->rep->files++;
		for (i = 0; i < e->n_extents; i++) {
			famfs_entry_extent(e, i, &x);
			check_extent(f, &x);
		}
	}
	if (f->ops && f->ops->entry)
		f->ops->entry(f->ops->arg, e, dev_off);
}

static void check_entries(struct fsck *f)
{
	struct famfs_error err = { 0 };
	struct famfs_log_iter it;
	char why[160];
	uint64_t off;
	int rc = 0;

	famfs_log_iter_init(&it, &f->log);
	while (!f->rc && famfs_log_iter_more(&it)) {
		off = it.off;
		rc = famfs_log_iter_next(&it, f->e, &err);
		if (rc)
			break;
		check_entry(f, off);
	}
	if (f->rc)
		return;
	if (rc) {
		problem(f, rc, "%s; log bytes %#llx-%#llx, from this entry on, are not checked",
			err.msg, (unsigned long long)it.off,
			(unsigned long long)f->log.hdr.next_off);
		return;
	}
	rc = famfs_log_iter_finish(&it, &err);
	if (rc)
		problem(f, rc, "%s", err.msg);
	else if ((rc = famfs_hostlog_finish(&f->log, it.seq, why, sizeof(why))) &&
		 !it.seq)
		problem(f, rc, "log (device offset %#llx): empty, but %s",
			(unsigned long long)famfs_log_dev_off(&f->log, 0), why);
	else if (rc)
		problem(f, rc, "log (device offset %#llx): ends after %llu entr%s, but %s",
			(unsigned long long)famfs_log_dev_off(&f->log, 0),
			(unsigned long long)it.seq, it.seq == 1 ? "y" : "ies", why);
}

/* The live slots that keep deleted space from being reused, by name. */
static void name_pinners(struct fsck *f)
{
	struct famfs_fsck_report *rep = f->rep;
	uint64_t newest = 0;
	struct famfs_host_info h;
	struct famfs_hosts t;
	size_t i, used = 0;
	uint32_t k;
	int rc;

	for (i = 0; i < f->space.ndel; i++)
		if (f->space.del[i].dseq >= f->space.floor)
			newest = f->space.del[i].dseq;
	if (!f->space.awaiting_units || famfs_log_hosts(&f->log, &t))
		return;
	for (k = 0; k < t.count; k++) {
		rc = famfs_hosts_read(&t, k, &h);
		if (famfs_host_pin(&f->space.ev, &h, rc) == FAMFS_PIN_DAMAGED) {
			/* nothing of it is known: h is the last slot read */
			memset(&h, 0, sizeof(h));
			snprintf(h.hostname, sizeof(h.hostname), "damaged slot");
		} else if (famfs_host_pin(&f->space.ev, &h, rc) != FAMFS_PIN_LIVE ||
			 h.released_seq > newest)
			continue;
		rep->hosts_pinning++;
		if (used < sizeof(rep->pinned_by))
			used += snprintf(rep->pinned_by + used,
					 sizeof(rep->pinned_by) - used,
					 "%s%s (slot %u%s)", used ? ", " : "",
					 h.hostname, k,
					 h.flags & FAMFS_HOST_F_NOFOLLOW ?
					 ", no follower" : "");
	}
}

/* Deletes not released everywhere take their units back. */
static void settle(struct fsck *f)
{
	int rc = famfs_space_settle(&f->space, famfs_space_floor(&f->space),
				    reused_early, f);

	if (rc == -ENOMEM)
		f->rc = rc;
	f->rep->space_deleted = f->space.awaiting_units *
				f->space.alloc.geo.alloc_unit;
	name_pinners(f);
}

static void summarize(struct fsck *f)
{
	struct famfs_fsck_report *rep = f->rep;
	const struct famfs_alloc *a = &f->space.alloc;
	uint64_t unit = a->geo.alloc_unit;

	rep->log_used = rep->hdr.next_off - FAMFS_LOG_ENTRIES_OFF;
	rep->log_free = rep->sb.geo.log_len - rep->hdr.next_off;
	rep->log_free_entries = rep->log_free /
				famfs_file_entry_size(TYPICAL_PATH_LEN, 1);
	rep->space_free = a->free_units * unit;
	rep->space_used = (a->data_units - a->free_units) * unit;
}

/*
 * The bitmaps cover what the device holds, never more than the superblock
 * claims: a claim larger than the device (a problem check_fixed reports)
 * must not make fsck allocate for it, nor count its space as free.
 */
static struct famfs_geometry held_geometry(const struct famfs_fsck_report *rep)
{
	struct famfs_geometry geo = rep->sb.geo;
	uint64_t log_end = famfs_geo_log_end(&geo);

	if (geo.dev_size > rep->device_size)
		famfs_geo_set_dev_size(&geo, rep->device_size > log_end ?
					     rep->device_size : log_end);
	return geo;
}

int famfs_fsck_mem(const void *sb_buf, size_t sb_len, const void *log_buf,
		   size_t log_len, uint64_t device_size,
		   const struct famfs_fsck_ops *ops,
		   struct famfs_fsck_report *rep, struct famfs_error *err)
{
	struct fsck f = { .ops = ops, .rep = rep };
	struct famfs_geometry geo;

	memset(rep, 0, sizeof(*rep));
	rep->device_size = device_size;
	if (!check_fixed(&f, sb_buf, sb_len, log_buf, log_len))
		return 0;
	geo = held_geometry(rep);
	famfs_names_init(&f.names);
	f.e = malloc(sizeof(*f.e));
	f.rc = f.e ? famfs_space_init(&f.space, &f.log, &geo, true) : -ENOMEM;
	if (!f.rc && rep->sb.logrec_offset)
		read_inactive(&f, log_buf);
	if (!f.rc) {
		check_entries(&f);
		if (!f.rc)
			settle(&f);
		summarize(&f);
		famfs_space_free(&f.space);
	}
	famfs_names_free(&f.names);
	free(f.e);
	if (f.rc)
		return famfs_error_set(err, f.rc, "fsck: %s", strerror(-f.rc));
	return 0;
}
