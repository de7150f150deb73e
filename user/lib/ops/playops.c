// SPDX-License-Identifier: GPL-2.0
/*
 * Log play of DELETE and RENAME, and what lets a replay change nothing.
 *
 * A host's tree may already hold later entries than the one being played
 * (famfs logplay run twice, a follower started on a played mount), so an
 * entry is applied only when the local tree still shows the state before
 * it. The player knows the namespace at the end of the log (end) and as of
 * the entry (now), and each file's extents, which identify it:
 *
 * - a FILE or MKDIR deleted later is not created ("gone"); one moved later
 *   is not created when its final path exists ("exists");
 * - a DELETE of a path that is missing, or that holds something other than
 *   what the log deleted (a file with other extents, or a directory where
 *   the log's end has a directory again), is "gone";
 * - a RENAME whose object is already at its final path, whose destination
 *   exists, or whose source is missing or holds something else, is
 *   "exists" or "gone".
 *
 * Two players may work on one mount at once (a command on the master and
 * the master's follower): a name that vanishes or appears between the
 * check and the change is the other's doing, "gone" or "exists" too.
 *
 * docs/cli.md (famfs logplay) states these rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "play.h"

void famfs_play_report(const struct play *p, const char *what,
		       const char *path)
{
	if (p->o->report)
		p->o->report(p->o->arg, what, path);
}

int famfs_play_init(struct play *p, const struct famfs_log *log,
		    struct famfs_error *err)
{
	famfs_names_init(&p->end);
	famfs_names_init(&p->now);
	p->live = NULL;
	memset(&p->offs, 0, sizeof(p->offs));
	p->end_at.off = p->now_at.off = FAMFS_LOG_ENTRIES_OFF;
	p->end_at.seq = p->now_at.seq = 0;
	return famfs_play_extend(p, log, err);
}

int famfs_play_extend(struct play *p, const struct famfs_log *log,
		      struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	char why[8];
	int rc = 0;

	p->log = log;
	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	famfs_log_iter_init(&it, log);
	famfs_log_iter_seek(&it, p->end_at.off, p->end_at.seq);
	/* A bad entry ends the namespace: play stops there too. */
	while (famfs_log_iter_more(&it) && !famfs_log_iter_next(&it, e, NULL)) {
		/* Broken rules are fsck's to report: here they change nothing. */
		if (famfs_names_add(&p->end, e, NULL, why, sizeof(why)) < 0) {
			rc = famfs_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		p->end_at.off = it.off;
		p->end_at.seq = it.seq;
	}
	free(e);
	free(p->live);
	p->live = rc ? NULL : famfs_names_live(&p->end);
	if (!rc && !p->live)
		rc = famfs_error_set(err, -ENOMEM, "out of memory");
	return rc;
}

void famfs_play_free(struct play *p)
{
	famfs_names_free(&p->end);
	famfs_names_free(&p->now);
	free(p->live);
	famfs_offsets_free(&p->offs);
}

int famfs_play_advance(struct play *p, const struct famfs_entry *e,
		       uint64_t off, struct famfs_path_item *was, char *why,
		       size_t len)
{
	if (famfs_offsets_note(&p->offs, e->seq, off))
		return -ENOMEM;
	return famfs_names_add(&p->now, e, was, why, len);
}

static bool exists(const struct play *p, const char *path)
{
	struct stat sb;

	return !fstatat(p->root_fd, path, &sb, AT_SYMLINK_NOFOLLOW);
}

/* The path entry seq has at the end of the log; NULL if deleted. */
static const char *final_path(const struct play *p, uint64_t seq)
{
	return seq < p->end.nseq ? p->live[seq] : NULL;
}

static void failed(struct play *p, const char *path, const char *why)
{
	char what[FAMFS_PATH_SHOWN + 600];

	p->st->errors++;
	snprintf(what, sizeof(what), "error (%s)", why);
	famfs_play_report(p, what, path);
}

static void settled(struct play *p, const char *what, const char *path)
{
	p->st->existing++;
	famfs_play_report(p, what, path);
}

int famfs_play_settled(struct play *p, const struct famfs_entry *e)
{
	const char *f = final_path(p, e->seq);

	if (!f) {
		settled(p, "gone", e->path);
		return 1;
	}
	if (strcmp(f, e->path) && exists(p, f)) {
		settled(p, "exists", e->path);
		return 1;
	}
	return 0;
}

/*
 * Is what path holds here the object was, which the log removes or moves?
 * A file is known by its map; a directory is taken for a newer one when
 * the log's end has a directory at that path again.
 */
static bool holds(struct play *p, const char *path,
		  const struct famfs_path_item *was)
{
	if (was->type == FAMFS_ENTRY_MKDIR)
		return famfs_pathset_find(&p->end.set, path) != FAMFS_ENTRY_MKDIR;
	return famfs_play_file_is(p, path, was->seq) == 1;
}

int famfs_play_file_is(struct play *p, const char *path, uint64_t seq)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	char why[8];
	int same;

	if (!e)
		return -ENOMEM;
	same = !famfs_offsets_decode(&p->offs, p->log, seq, e);
	if (same) {
		snprintf(e->path, sizeof(e->path), "%s", path);
		same = !famfs_local_match(p->root_fd, e, why, sizeof(why));
	}
	free(e);
	return same;
}

void famfs_play_delete(struct play *p, const struct famfs_entry *e,
		       const struct famfs_path_item *was)
{
	int flags = was->type == FAMFS_ENTRY_MKDIR ? AT_REMOVEDIR : 0;

	if (!exists(p, e->path) || !holds(p, e->path, was)) {
		settled(p, "gone", e->path);
		return;
	}
	if (!p->o->dry_run && unlinkat(p->root_fd, e->path, flags) < 0) {
		/* Another player of this mount (its follower) was first. */
		if (errno == ENOENT)
			settled(p, "gone", e->path);
		else
			failed(p, e->path, strerror(errno));
		return;
	}
	p->st->deleted++;
	famfs_play_report(p, "delete", e->path);
}

void famfs_play_rename(struct play *p, const struct famfs_entry *e,
		       const struct famfs_path_item *was)
{
	const char *f = final_path(p, was->seq);
	char both[2 * FAMFS_PATH_MAX + 8];

	snprintf(both, sizeof(both), "%s -> %s", e->path, e->dst);
	if ((f && exists(p, f)) || exists(p, e->dst)) {
		settled(p, "exists", both);
		return;
	}
	/* A live directory is the one here; a deleted one may be a newer. */
	if (!exists(p, e->path) ||
	    ((was->type == FAMFS_ENTRY_FILE || !f) && !holds(p, e->path, was))) {
		settled(p, "gone", both);
		return;
	}
	if (!p->o->dry_run && renameat2(p->root_fd, e->path, p->root_fd, e->dst,
					RENAME_NOREPLACE) < 0) {
		/* Another player of this mount (its follower) was first. */
		if (errno == ENOENT || errno == EEXIST)
			settled(p, errno == EEXIST ? "exists" : "gone", both);
		else
			failed(p, both, strerror(errno));
		return;
	}
	p->st->renamed++;
	famfs_play_report(p, "rename", both);
}
