// SPDX-License-Identifier: GPL-2.0
/*
 * Log play: make this host's view match the log. Missing directories and
 * files are created (files with their logged extents); existing ones are
 * left alone but compared; deletes and renames are applied in log order
 * (playops.c), so replaying changes nothing. A follower (follow.c) plays
 * from a cursor: the namespace is read again from the start and only the
 * new entries are played.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "play.h"

/* Claim every extent of e for it: 1 (with *c) at the first unit taken. */
static int claim_entry(struct famfs_alloc *a, const struct famfs_entry *e,
		       struct famfs_collision *c)
{
	struct famfs_extent_info x;
	uint32_t i;

	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		if (famfs_alloc_claim(a, &x, e->seq, c))
			return 1;
	}
	return 0;
}

/* The sequence number of the earlier file that owns the unit e collides on. */
static bool overlap_owner(const struct famfs_log *log,
			  const struct famfs_entry *e, struct famfs_entry *f,
			  struct famfs_collision *c)
{
	struct famfs_log_iter it;
	struct famfs_alloc a;
	bool found = false;

	if (famfs_alloc_init(&a, &log->sb.geo, true))
		return false;
	famfs_log_iter_init(&it, log);
	while (it.seq < e->seq && famfs_log_iter_more(&it) &&
	       !famfs_log_iter_next(&it, f, NULL))
		if (f->type == FAMFS_ENTRY_FILE)
			claim_entry(&a, f, c);
	found = claim_entry(&a, e, c) == 1;
	famfs_alloc_free(&a);
	return found;
}

/*
 * The kernel refused e's extents as shared with a file it already maps:
 * say which logged file that is, by sequence number and path (as the
 * namespace played so far has it, like fsck's collision reports).
 */
static void name_overlap(const struct play *p, const struct famfs_entry *e,
			 struct famfs_error *err)
{
	struct famfs_entry *f = malloc(sizeof(*f));
	struct famfs_collision c = { 0 };
	char shown[FAMFS_PATH_SHOWN], at[FAMFS_PLACE_SHOWN];
	const char *path;

	if (!f || !overlap_owner(p->log, e, f, &c)) {
		famfs_error_set(err, -EUCLEAN, "seq %llu: its extents overlap no earlier logged file",
				(unsigned long long)e->seq);
		free(f);
		return;
	}
	free(f);
	path = famfs_names_path(&p->now, c.owner_seq);
	famfs_error_set(err, -EUCLEAN, "seq %llu: its extents overlap, at %s, those of seq %llu %s",
			(unsigned long long)e->seq,
			famfs_place_show(at, sizeof(at), c.dev_index, c.offset),
			(unsigned long long)c.owner_seq,
			path ? famfs_path_show(shown, sizeof(shown), path) : "(unreadable)");
}

/*
 * Create what e logs, or return -EEXIST when its path is taken: trying the
 * create first costs one path lookup per new entry, not two.
 */
static int play_create(const struct famfs_entry *e, struct play *p)
{
	const struct famfs_play_opts *o = p->o;
	struct famfs_play_stats *st = p->st;
	int root_fd = p->root_fd;
	bool dir = e->type == FAMFS_ENTRY_MKDIR;
	struct famfs_error err = { 0 };
	char what[sizeof(err.msg) + 32];
	struct stat sb;
	int rc;

	if (o->dry_run)
		rc = (fstatat(root_fd, e->path, &sb, AT_SYMLINK_NOFOLLOW) < 0 &&
		      errno == ENOENT) ? 0 : -EEXIST;
	else
		rc = famfs_entry_create(root_fd, e, !o->writable, &err);
	if (rc == -EEXIST)
		return rc;
	if (rc == -EUCLEAN)
		name_overlap(p, e, &err);
	if (rc) {
		st->errors++;
		snprintf(what, sizeof(what), "error (%s)", err.msg);
		famfs_play_report(p, what, e->path);
		return rc;
	}
	if (dir)
		st->created_dirs++;
	else
		st->created_files++;
	famfs_play_report(p, dir ? "mkdir" : "create", e->path);
	return 0;
}

static void play_new(const struct famfs_entry *e, struct play *p)
{
	char why[512], what[560];

	if (famfs_play_settled(p, e) || play_create(e, p) != -EEXIST)
		return;
	if (famfs_local_match_settled(p->root_fd, e, why, sizeof(why))) {
		p->st->mismatches++;
		snprintf(what, sizeof(what), "mismatch (%s)", why);
		famfs_play_report(p, what, e->path);
		return;
	}
	p->st->existing++;
	famfs_play_report(p, "exists", e->path);
}

/* A DELETE or RENAME that breaks the namespace rules (fsck says which). */
static void play_broken(const struct famfs_entry *e, struct play *p,
			const char *why)
{
	char what[600];

	p->st->errors++;
	snprintf(what, sizeof(what), "error (seq %llu: %s)",
		 (unsigned long long)e->seq, why);
	famfs_play_report(p, what, e->path);
}

/* Tell the follower what it must track for its slot. */
static void hooks(struct play *p, const struct famfs_entry *e,
		  const struct famfs_path_item *was)
{
	const struct famfs_play_opts *o = p->o;
	struct famfs_entry *file;

	if (e->type == FAMFS_ENTRY_EVICT && o->evicted)
		o->evicted(o->hook_arg, e);
	if (e->type != FAMFS_ENTRY_DELETE || was->type != FAMFS_ENTRY_FILE ||
	    !o->deleted)
		return;
	/* NULL when the file cannot be read back: the follower then holds on. */
	file = malloc(sizeof(*file));
	if (file && famfs_offsets_decode(&p->offs, p->log, was->seq, file)) {
		free(file);
		file = NULL;
	}
	o->deleted(o->hook_arg, e->seq, file);
	free(file);
}

static int play_entry(const struct famfs_entry *e, uint64_t off,
		      struct play *p, bool apply)
{
	struct famfs_path_item was;
	char why[2 * FAMFS_PATH_SHOWN + 64];
	int rc;

	rc = famfs_play_advance(p, e, off, &was, why, sizeof(why));
	if (rc < 0 || !apply)
		return rc;
	if (!rc)
		hooks(p, e, &was);
	p->st->entries++;
	if (e->type == FAMFS_ENTRY_FILE || e->type == FAMFS_ENTRY_MKDIR)
		play_new(e, p);
	else if (rc && (e->type == FAMFS_ENTRY_DELETE ||
			e->type == FAMFS_ENTRY_RENAME))
		play_broken(e, p, why);
	else if (e->type == FAMFS_ENTRY_DELETE)
		famfs_play_delete(p, e, &was);
	else if (e->type == FAMFS_ENTRY_RENAME)
		famfs_play_rename(p, e, &was);
	/* else EVICT, HOST_TABLE or a skippable type: no path to play */
	return 0;
}

/*
 * Walk the log from where now stands (0 for a fresh play), playing the
 * entries from cur on.
 */
static int play_log(struct play *p, struct famfs_play_cursor *cur,
		    struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	uint64_t start = cur && cur->off ? cur->seq : 0, off;
	struct famfs_log_iter it;
	int rc = 0;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	famfs_log_iter_init(&it, p->log);
	famfs_log_iter_seek(&it, p->now_at.off, p->now_at.seq);
	while (!rc && famfs_log_iter_more(&it)) {
		off = it.off;
		rc = famfs_log_iter_next(&it, e, err);
		if (rc)
			break;
		rc = play_entry(e, off, p, e->seq >= start);
		if (rc) {
			rc = famfs_error_set(err, rc, "out of memory");
			break;
		}
		p->now_at.off = it.off;
		p->now_at.seq = it.seq;
		if (cur && e->seq >= start)
			*cur = p->now_at;
	}
	if (!rc && !cur)
		rc = famfs_log_iter_finish(&it, err);
	free(e);
	return rc;
}

/*
 * Prune removed what stood where the log holds something else: play all
 * of it again to make that. What the first pass could not make for it
 * (a file under what was a file) is made now, so this pass's errors and
 * mismatches are the ones that stand.
 */
static int replay(const struct famfs_log *log, int root_fd,
		  const struct famfs_play_opts *opts,
		  struct famfs_play_stats *st, struct famfs_error *err)
{
	struct famfs_play_opts o = *opts;
	struct famfs_play_stats again = { 0 };
	struct play p = { .root_fd = root_fd, .o = &o, .st = &again };
	int rc;

	o.prune = false;
	rc = famfs_play_init(&p, log, err);
	if (!rc)
		rc = play_log(&p, NULL, err);
	famfs_play_free(&p);
	st->created_dirs += again.created_dirs;
	st->created_files += again.created_files;
	st->errors = again.errors;
	st->mismatches = again.mismatches;
	return rc;
}

/*
 * One player of this host at a time (a command on the master and the
 * mount's follower), each reading the log anew once it has the lock: one
 * that read it before another's DELETE would make again what that one had
 * just removed. A log compacted meanwhile is played as read: the caller's
 * cursor counts in its generation. fresh: p holds nothing yet.
 */
static int play_locked(struct play *p, const struct famfs_log *log,
		       bool fresh, struct famfs_play_cursor *cur,
		       struct famfs_error *err)
{
	const struct famfs_play_opts *opts = p->o;
	uint64_t pruned = 0;
	struct famfs_log now;
	int rc, lock = -1;

	if (!opts->dry_run) {
		lock = famfs_run_lock(log->sb.fs_uuid, "play", err);
		if (lock < 0)
			return lock;
		now = *log;
		if (!famfs_log_refresh(&now, NULL) &&
		    now.gen.generation == log->gen.generation)
			log = &now;
	}
	rc = fresh ? famfs_play_init(p, log, err) : famfs_play_extend(p, log, err);
	if (!rc)
		rc = play_log(p, cur, err);
	if (!rc && opts->prune)
		pruned = famfs_play_prune(p);
	if (!rc && pruned)
		rc = replay(log, p->root_fd, opts, p->st, err);
	p->log = NULL;		/* now is gone */
	if (lock >= 0)
		close(lock);
	return rc;
}

/*
 * The namespace at the log's end is built first, up to the first entry
 * that does not decode: playing stops there too, and what lies beyond it
 * is not known yet.
 */
int famfs_logplay(const struct famfs_log *log, int root_fd,
		  const struct famfs_play_opts *opts,
		  struct famfs_play_cursor *cur, struct famfs_play_stats *st,
		  struct famfs_error *err)
{
	struct play p = { .root_fd = root_fd, .o = opts, .st = st };
	int rc;

	rc = play_locked(&p, log, true, cur, err);
	famfs_play_free(&p);
	return rc;
}

/* ---- a player that remembers (follow.c, namer.c) ---- */

struct famfs_player {
	struct play p;
	bool built;			/* p holds a generation's namespaces */
	uint64_t gen;
	struct famfs_play_cursor cur;
};

struct famfs_player *famfs_player_new(const struct famfs_play_cursor *from)
{
	struct famfs_player *pl = calloc(1, sizeof(*pl));

	if (pl && from)
		pl->cur = *from;
	return pl;
}

void famfs_player_free(struct famfs_player *pl)
{
	if (pl && pl->built)
		famfs_play_free(&pl->p);
	free(pl);
}

struct famfs_play_cursor famfs_player_cursor(const struct famfs_player *pl)
{
	return pl->cur;
}

int famfs_player_play(struct famfs_player *pl, const struct famfs_log *log,
		      int root_fd, const struct famfs_play_opts *opts,
		      struct famfs_play_stats *st, struct famfs_error *err)
{
	bool fresh = !pl->built || pl->gen != log->gen.generation;
	int rc;

	if (fresh && pl->built) {
		famfs_play_free(&pl->p);
		memset(&pl->cur, 0, sizeof(pl->cur));	/* seqs start again */
	}
	pl->built = true;
	pl->gen = log->gen.generation;
	pl->p.root_fd = root_fd;
	pl->p.o = opts;
	pl->p.st = st;
	rc = play_locked(&pl->p, log, fresh, &pl->cur, err);
	if (rc && fresh) {
		famfs_play_free(&pl->p);
		pl->built = false;	/* half built: start again next time */
	}
	return rc;
}
