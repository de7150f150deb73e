// SPDX-License-Identifier: GPL-2.0
/*
 * Creating directories and files on the master.
 *
 * Order, for crash safety: allocate, write and flush the data, add the log
 * entry, publish the header (commit), and only then make the local inode.
 * A crash before the commit leaves nothing any host can see (the space
 * was only marked in this process's bitmap); a crash after it leaves a
 * logged file without a local inode, which the next log play creates.
 *
 * The log lock is held from begin to end, the bitmap and the set of logged
 * paths are built once, and the header is published once per batch, so a
 * tree of thousands of small files costs one log scan, not one per file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

struct famfs_pending {
	uint64_t seq;		/* its log entry */
	uint64_t off;
	char *path;
	int type;
	struct famfs_meta meta;
	struct famfs_extent_info *ext;
	uint32_t n;
	uint64_t chunk;		/* striped: ext are strips */
};

/* A file's map: its extents, or its strips when chunk is not 0. */
struct file_map {
	struct famfs_extent_info *ext;
	uint32_t n;
	uint64_t chunk;
};

/* Bytes of the FILE entry that logs path with map m. */
static size_t file_entry_size(const char *path, const struct file_map *m)
{
	return famfs_file_map_entry_size(strlen(path), m->n, m->chunk);
}

/* A path as messages show it (famfs_path_show); one message at a time. */
static const char *shown(const char *path)
{
	static char buf[FAMFS_PATH_SHOWN];

	return famfs_path_show(buf, sizeof(buf), path);
}

/* Account for each entry's space as the log scan applies it. */
static int claim_file(void *arg, const struct famfs_entry *e,
		      const struct famfs_path_item *was, uint64_t off,
		      struct famfs_error *err)
{
	struct famfs_creator *c = arg;
	struct famfs_collision col;
	int rc = famfs_space_entry(&c->space, e, was, off, &col);
	char at[FAMFS_PLACE_SHOWN];

	if (rc == FAMFS_E_EXT_OVERLAP)
		return famfs_error_set(err, rc,
				       "%s (log seq %llu) shares %s with another file; run famfs fsck",
				       shown(e->path), (unsigned long long)e->seq,
				       famfs_place_show(at, sizeof(at), col.dev_index,
							col.offset));
	if (rc)
		return famfs_error_set(err, rc, "log seq %llu: %s",
				       (unsigned long long)e->seq,
				       famfs_error_str(rc));
	return 0;
}

/* Full, but deleted files hold space that hosts have not released yet. */
static void awaiting_note(const struct famfs_creator *c, struct famfs_error *err)
{
	uint64_t mib = c->space.awaiting_units * c->space.alloc.geo.alloc_unit /
		       FAMFS_MIB;
	char msg[sizeof(err->msg)];

	if (!c->space.awaiting_units)
		return;
	snprintf(msg, sizeof(msg), "%.400s; %llu MiB of deleted files await release by hosts that may still use them (famfs hosts)",
		 err->msg, (unsigned long long)mib);
	famfs_error_set(err, err->code, "%s", msg);
}

/* A file took units of a deleted file that some host may still read. */
static void reused_early(void *arg, const struct famfs_deleted *d,
			 const struct famfs_collision *col)
{
	struct famfs_error *err = arg;
	char at[FAMFS_PLACE_SHOWN];

	if (!err->code)
		famfs_error_set(err, FAMFS_E_EXT_OVERLAP,
				"log seq %llu holds %s, which the file deleted at seq %llu held and some host has not released; run famfs fsck",
				(unsigned long long)col->owner_seq,
				famfs_place_show(at, sizeof(at), col->dev_index,
						 col->offset),
				(unsigned long long)d->dseq);
}

/*
 * One log pass: the paths that exist now and the space files hold; then
 * the host table says which deleted files' units are free again.
 */
static int scan_log(struct famfs_creator *c, struct famfs_error *err)
{
	struct famfs_error early = { 0 };
	struct famfs_names names;
	int rc;

	famfs_names_init(&names);
	rc = famfs_names_build(&names, &c->fs->log, claim_file, c, err);
	famfs_pathset_free(&c->logged);
	c->logged = names.set;
	famfs_pathset_init(&names.set);
	famfs_names_free(&names);
	if (!rc)
		rc = famfs_space_settle(&c->space, famfs_space_floor(&c->space),
					reused_early, &early);
	if (!rc && early.code)
		rc = famfs_error_set(err, early.code, "%s", early.msg);
	if (!rc)
		rc = famfs_log_check_identity(&c->fs->log, &c->space.ev, err);
	return rc;
}

/* The space and paths of the log as it is now (after a compaction). */
static int rescan(struct famfs_creator *c, struct famfs_error *err)
{
	int rc;

	famfs_space_free(&c->space);
	rc = famfs_space_init(&c->space, &c->fs->log, &c->fs->log.sb.geo, true);
	if (rc)
		return famfs_error_set(err, rc, "allocation bitmap: %s",
				       strerror(-rc));
	return scan_log(c, err);
}

int famfs_create_begin(struct famfs_creator *c, struct famfs_fs *fs,
		       struct famfs_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->fs = fs;
	famfs_pathset_init(&c->logged);
	rc = famfs_log_append_begin(&fs->log, err);
	if (rc)
		return rc;
	if (fs->root)
		rc = famfs_fs_open_data(fs, 0, err);
	if (rc) {
		famfs_create_end(c);
		return rc;
	}
	rc = famfs_space_init(&c->space, &fs->log, &fs->log.sb.geo, true);
	if (rc)
		famfs_error_set(err, rc, "allocation bitmap: %s", strerror(-rc));
	else
		rc = scan_log(c, err);
	if (rc)
		famfs_create_end(c);
	return rc;
}

int famfs_create_lookup(const struct famfs_creator *c, const char *rel)
{
	if (!*rel)
		return FAMFS_ENTRY_MKDIR;	/* the root */
	return famfs_pathset_find(&c->logged, rel);
}

/* Can rel be added: not reserved, not there yet, in a logged directory? */
static int check_new(const struct famfs_creator *c, const char *rel,
		     struct famfs_error *err)
{
	const char *slash = strrchr(rel, '/');
	char parent[FAMFS_PATH_MAX + 1];
	int rc = famfs_path_check(rel, strlen(rel));

	if (rc)
		return famfs_error_set(err, rc, "%s: %s", *rel ? shown(rel) : "/",
				       famfs_strerror(rc));
	if (famfs_path_reserved(rel))
		return famfs_error_set(err, -EPERM,
				       "%s: reserved for the file system's metadata", shown(rel));
	if (famfs_create_lookup(c, rel))
		return famfs_error_set(err, -EEXIST, "%s: already exists", shown(rel));
	snprintf(parent, sizeof(parent), "%.*s",
		 slash ? (int)(slash - rel) : 0, rel);
	rc = famfs_create_lookup(c, parent);
	if (rc == FAMFS_ENTRY_MKDIR)
		return 0;
	return famfs_error_set(err, rc ? -ENOTDIR : -ENOENT, "%s: %s", shown(parent),
			       rc ? "not a directory" : "no such directory");
}

/*
 * Room in the log for an entry of need bytes, before anything is written:
 * if there is none, what is pending is published and the log compacted
 * (docs/compaction.md), after which the space is counted anew.
 */
static int check_log_room(struct famfs_creator *c, const char *rel,
			  size_t need, struct famfs_error *err)
{
	struct famfs_log *log = &c->fs->log;
	int rc;

	if (famfs_log_fits(log, need))
		return 0;
	rc = famfs_create_commit(c, err);
	if (!rc)
		rc = famfs_log_compact_for(log, need, err);
	if (!rc)
		rc = rescan(c, err);
	if (rc)
		famfs_error_prefix(err, shown(rel));
	return rc;
}

static int add_pending(struct famfs_creator *c, const char *rel, int type,
		       const struct famfs_meta *meta, const struct file_map *m)
{
	const struct famfs_extent_info *ext = m->ext;
	uint32_t n = m->n;
	struct famfs_pending *p;

	if (c->npend == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : FAMFS_CREATE_BATCH;

		p = realloc(c->pend, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		c->pend = p;
		c->cap = cap;
	}
	p = &c->pend[c->npend];
	p->path = strdup(rel);
	p->ext = n ? malloc(n * sizeof(*ext)) : NULL;
	if (!p->path || (n && !p->ext)) {
		free(p->path);
		free(p->ext);
		return -ENOMEM;
	}
	if (n)
		memcpy(p->ext, ext, n * sizeof(*ext));
	p->type = type;
	p->meta = *meta;
	p->n = n;
	p->chunk = m->chunk;
	c->npend++;
	/* Its entry is the last one added to the log. */
	return famfs_pathset_add(&c->logged, rel, type,
				 c->fs->log.cur.next_seq - 1) < 0 ? -ENOMEM : 0;
}

/* The entry is in the log (not yet published): remember the local inode. */
static int added(struct famfs_creator *c, const char *rel, int type,
		 const struct famfs_meta *meta, const struct file_map *m,
		 struct famfs_error *err)
{
	const struct famfs_log_info *cur = &c->fs->log.cur;
	size_t len = type == FAMFS_ENTRY_MKDIR ? famfs_mkdir_entry_size(strlen(rel)) :
		     file_entry_size(rel, m);

	if (add_pending(c, rel, type, meta, m))
		return famfs_error_set(err, -ENOMEM, "%s: out of memory", shown(rel));
	c->pend[c->npend - 1].seq = cur->next_seq - 1;
	c->pend[c->npend - 1].off = cur->next_off - len;
	if (c->npend >= FAMFS_CREATE_BATCH)
		return famfs_create_commit(c, err);
	return 0;
}

int famfs_create_dir(struct famfs_creator *c, const char *rel,
		     const struct famfs_meta *meta, struct famfs_error *err)
{
	struct file_map none = { 0 };
	int rc;

	if (famfs_create_lookup(c, rel) == FAMFS_ENTRY_MKDIR)
		return 1;
	rc = check_new(c, rel, err);
	if (!rc)
		rc = check_log_room(c, rel, famfs_mkdir_entry_size(strlen(rel)), err);
	if (!rc)
		rc = famfs_log_add_mkdir(&c->fs->log, rel, meta, err);
	if (rc)
		return rc;
	c->dirs++;
	return added(c, rel, FAMFS_ENTRY_MKDIR, meta, &none, err);
}

/* A file's data, written in pieces of one allocation unit by c->threads. */
struct fill_job {
	struct famfs_creator *c;
	const struct file_map *map;
	uint64_t size;
	uint64_t piece;
	famfs_fill_fn fill;
	void *arg;
	void *buf[FAMFS_MAX_THREADS];	/* one per worker, made on first use */
};

/* The extent or strip that holds file byte off, and off's place in it. */
static const struct famfs_extent_info *locate(const struct file_map *m,
					      uint64_t off, uint64_t *in)
{
	const struct famfs_extent_info *x = m->ext;
	uint32_t strip;

	if (m->chunk) {
		famfs_stripe_locate(m->chunk, m->n, off, &strip, in);
		return &x[strip];
	}
	while (off >= x->len)
		off -= x++->len;
	*in = off;
	return x;
}

/*
 * Piece i: extents and stripe chunks are whole allocation units, so a
 * piece of one unit never spans two of them.
 */
static int fill_piece(void *arg, size_t i, unsigned int worker,
		      struct famfs_error *err)
{
	struct fill_job *j = arg;
	uint64_t off = (uint64_t)i * j->piece, in;
	uint64_t len = j->size - off < j->piece ? j->size - off : j->piece;
	const struct famfs_extent_info *x = locate(j->map, off, &in);
	int rc;

	if (!j->buf[worker])
		j->buf[worker] = malloc(j->piece);
	if (!j->buf[worker])
		return famfs_error_set(err, -ENOMEM, "out of memory");
	rc = j->fill(j->arg, off, j->buf[worker], len, err);
	if (!rc)
		rc = famfs_fs_write(j->c->fs, x->dev_index, x->offset + in,
				    j->buf[worker], len, err);
	return rc;
}

/* Fill the file's n extents with size bytes from fill. */
static int write_data(struct famfs_creator *c, const char *rel, uint64_t size,
		      const struct file_map *map, famfs_fill_fn fill,
		      void *arg, struct famfs_error *err)
{
	struct fill_job j = { .c = c, .map = map, .size = size, .fill = fill,
			      .arg = arg, .piece = c->fs->log.sb.geo.alloc_unit };
	unsigned int i;
	int rc = 0;

	/* Every member's data opened first: the workers only write. */
	for (i = 0; !rc && i < map->n; i++)
		rc = famfs_fs_open_data(c->fs, map->ext[i].dev_index, err);
	if (!rc)
		rc = famfs_parallel(c->threads, (size + j.piece - 1) / j.piece,
				    fill_piece, &j, err);
	for (i = 0; i < FAMFS_MAX_THREADS; i++)
		free(j.buf[i]);
	if (rc)
		famfs_error_prefix(err, shown(rel));
	return rc;
}

/*
 * The stripe a new file of size bytes gets (s->nstrips 0: none): the
 * creator's layout, else the file system's default, else chunks of one
 * allocation unit. Empty files have no strips.
 */
static int file_stripe(const struct famfs_creator *c, uint64_t size,
		       struct famfs_stripe *s, struct famfs_error *err)
{
	const struct famfs_sb_info *sb = &c->fs->log.sb;

	s->nstrips = c->layout.nstrips ? c->layout.nstrips : sb->stripe_count;
	s->chunk = c->layout.chunk ? c->layout.chunk : sb->chunk_size;
	s->nbuckets = c->layout.nbuckets;
	if (s->nstrips <= 1 || !size) {
		s->nstrips = 0;
		return 0;
	}
	if (!s->chunk)
		s->chunk = sb->geo.alloc_unit;
	return famfs_stripe_valid(s, sb->geo.alloc_unit, err);
}

/* An allocation failed: say which file, and what may free space. */
static int alloc_failed(struct famfs_creator *c, const char *rel, int rc,
			struct famfs_error *err)
{
	if (rc == -ENOSPC)
		awaiting_note(c, err);
	famfs_error_prefix(err, shown(rel));
	return rc;
}

/* Extents for a plain file, as few as free space allows. */
static int alloc_plain(struct famfs_creator *c, const char *rel,
		       const struct famfs_meta *meta, struct file_map *m,
		       struct famfs_error *err)
{
	struct famfs_alloc *a = &c->space.alloc;
	int rc;

	rc = check_log_room(c, rel, famfs_file_entry_size(strlen(rel),
							 meta->size ? 1 : 0), err);
	if (rc)
		return rc;
	rc = famfs_alloc_extents(a, meta->size, m->ext, FAMFS_MAX_EXTENTS,
				 &m->n, err);
	if (rc)
		return alloc_failed(c, rel, rc, err);
	if (m->n > 1 &&	/* more extents than planned: still fits? */
	    !famfs_log_fits(&c->fs->log, file_entry_size(rel, m))) {
		famfs_alloc_release(a, m->ext, m->n);
		m->n = 0;
		rc = check_log_room(c, rel, famfs_file_entry_size(strlen(rel), FAMFS_MAX_EXTENTS), err);
		if (rc)
			return rc;
		rc = famfs_alloc_extents(a, meta->size, m->ext,
					 FAMFS_MAX_EXTENTS, &m->n, err);
		if (rc)
			return alloc_failed(c, rel, rc, err);
	}
	return 0;
}

/* Strips for a striped file. */
static int alloc_striped(struct famfs_creator *c, const char *rel,
			 const struct famfs_meta *meta,
			 const struct famfs_stripe *s, struct file_map *m,
			 struct famfs_error *err)
{
	int rc;

	m->n = s->nstrips;
	m->chunk = s->chunk;
	rc = check_log_room(c, rel, file_entry_size(rel, m), err);
	if (!rc)
		rc = famfs_alloc_stripes(&c->space.alloc, s, meta->size, m->ext,
					 err);
	if (!rc)
		return 0;
	m->n = 0;
	return rc == -ENOSPC ? alloc_failed(c, rel, rc, err) : rc;
}

static int alloc_file(struct famfs_creator *c, const char *rel,
		      const struct famfs_meta *meta, struct file_map *m,
		      struct famfs_error *err)
{
	struct famfs_stripe s;
	int rc;

	rc = file_stripe(c, meta->size, &s, err);
	if (rc) {
		famfs_error_prefix(err, shown(rel));
		return rc;
	}
	if (s.nstrips)
		return alloc_striped(c, rel, meta, &s, m, err);
	return alloc_plain(c, rel, meta, m, err);
}

int famfs_create_file(struct famfs_creator *c, const char *rel,
		      const struct famfs_meta *meta, famfs_fill_fn fill,
		      void *arg, struct famfs_error *err)
{
	struct file_map m = { 0 };
	int rc;

	rc = check_new(c, rel, err);
	if (rc)
		return rc;
	m.ext = calloc(FAMFS_MAX_EXTENTS, sizeof(*m.ext));
	if (!m.ext)
		return famfs_error_set(err, -ENOMEM, "%s: out of memory", shown(rel));
	rc = alloc_file(c, rel, meta, &m, err);
	if (!rc && fill)
		rc = write_data(c, rel, meta->size, &m, fill, arg, err);
	if (!rc)
		rc = famfs_log_add_file_map(&c->fs->log, rel, meta, m.chunk,
					    m.ext, m.n, err);
	if (!rc) {
		c->files++;
		c->bytes += meta->size;
		rc = added(c, rel, FAMFS_ENTRY_FILE, meta, &m, err);
	} else {
		famfs_alloc_release(&c->space.alloc, m.ext, m.n);
	}
	free(m.ext);
	return rc;
}

static void drop_pending(struct famfs_creator *c)
{
	size_t i;

	for (i = 0; i < c->npend; i++) {
		free(c->pend[i].path);
		free(c->pend[i].ext);
	}
	c->npend = 0;
}

/*
 * The follower of the master's own mount may play an entry before the
 * command that logged it makes the inode: what it made is then the same.
 */
static bool played_already(struct famfs_creator *c,
			   const struct famfs_pending *p)
{
	const struct famfs_log *log = &c->fs->log;
	char why[8];

	if (famfs_entry_decode(log->log_buf + p->off, log->hdr.next_off - p->off,
			       p->seq, &log->sb.geo, c->space.e))
		return false;
	return !famfs_local_match_settled(c->fs->root_fd, c->space.e, why,
					  sizeof(why));
}

int famfs_create_commit(struct famfs_creator *c, struct famfs_error *err)
{
	struct famfs_pending *p;
	int rc, first = 0;
	size_t i;

	rc = famfs_log_commit(&c->fs->log, err);
	if (rc)
		return rc;
	for (i = 0; c->fs->root_fd >= 0 && i < c->npend; i++) {
		p = &c->pend[i];
		rc = famfs_local_create(c->fs->root_fd, p->path, p->type,
					&p->meta, p->ext, p->n, p->chunk, false,
					first ? NULL : err);
		if (rc == -EEXIST && played_already(c, p))
			rc = 0;
		if (rc && !first) {
			first = rc;
			famfs_error_prefix(err, "logged, but the local inode failed (famfs logplay retries it)");
		}
	}
	drop_pending(c);
	return first;
}

void famfs_create_end(struct famfs_creator *c)
{
	famfs_log_append_end(&c->fs->log);
	drop_pending(c);
	free(c->pend);
	famfs_space_free(&c->space);
	famfs_pathset_free(&c->logged);
	c->pend = NULL;
	c->cap = 0;
}
