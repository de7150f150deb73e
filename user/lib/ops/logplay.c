// SPDX-License-Identifier: GPL-2.0
/*
 * Log play: make this host's view match the log. Missing directories and
 * files are created (files with their logged extents); existing ones are
 * left alone but compared, so replaying changes nothing. Following the log
 * costs one invalidated cache line per poll and plays only new entries.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "famfs/famfs_ops.h"

static void report(const struct famfs_play_opts *o, const char *what,
		   const char *path)
{
	if (o->report)
		o->report(o->arg, what, path);
}

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
 * say which logged file that is, by sequence number and path.
 */
static void name_overlap(const struct famfs_log *log,
			 const struct famfs_entry *e, struct famfs_error *err)
{
	struct famfs_entry *f = malloc(sizeof(*f));
	struct famfs_collision c = { 0 };
	struct famfs_log_iter it;
	char shown[256];

	if (!f || !overlap_owner(log, e, f, &c)) {
		famfs_error_set(err, -EUCLEAN, "seq %llu: its extents overlap no earlier logged file",
				(unsigned long long)e->seq);
		free(f);
		return;
	}
	famfs_log_iter_init(&it, log);
	while (famfs_log_iter_more(&it) && !famfs_log_iter_next(&it, f, NULL))
		if (f->seq == c.owner_seq)
			break;
	famfs_error_set(err, -EUCLEAN, "seq %llu: its extents overlap, at device offset %#llx, those of seq %llu %s",
			(unsigned long long)e->seq, (unsigned long long)c.offset,
			(unsigned long long)c.owner_seq,
			f->seq == c.owner_seq ?
			famfs_path_show(shown, sizeof(shown), f->path) : "(unreadable)");
	free(f);
}

/*
 * Create what e logs, or return -EEXIST when its path is taken: trying the
 * create first costs one path lookup per new entry, not two.
 */
static int play_create(const struct famfs_log *log, const struct famfs_entry *e,
		       int root_fd, const struct famfs_play_opts *o,
		       struct famfs_play_stats *st)
{
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
		name_overlap(log, e, &err);
	if (rc) {
		st->errors++;
		snprintf(what, sizeof(what), "error (%s)", err.msg);
		report(o, what, e->path);
		return rc;
	}
	if (dir)
		st->created_dirs++;
	else
		st->created_files++;
	report(o, dir ? "mkdir" : "create", e->path);
	return 0;
}

static void play_entry(const struct famfs_log *log, const struct famfs_entry *e,
		       int root_fd, const struct famfs_play_opts *o,
		       struct famfs_play_stats *st)
{
	char why[512], what[560];

	st->entries++;
	if (e->type != FAMFS_ENTRY_FILE && e->type != FAMFS_ENTRY_MKDIR)
		return;		/* a skippable entry of a newer minor version */
	if (play_create(log, e, root_fd, o, st) != -EEXIST)
		return;
	if (famfs_local_match(root_fd, e, why, sizeof(why))) {
		st->mismatches++;
		snprintf(what, sizeof(what), "mismatch (%s)", why);
		report(o, what, e->path);
		return;
	}
	st->existing++;
	report(o, "exists", e->path);
}

int famfs_logplay(const struct famfs_log *log, int root_fd,
		  const struct famfs_play_opts *opts,
		  struct famfs_play_cursor *cur, struct famfs_play_stats *st,
		  struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	int rc = 0;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	famfs_log_iter_init(&it, log);
	if (cur && cur->off) {
		it.off = cur->off;
		it.seq = cur->seq;
	}
	while (!rc && famfs_log_iter_more(&it)) {
		rc = famfs_log_iter_next(&it, e, err);
		if (rc)
			break;
		play_entry(log, e, root_fd, opts, st);
		if (cur) {
			cur->off = it.off;
			cur->seq = it.seq;
		}
	}
	if (!rc && !cur)
		rc = famfs_log_iter_finish(&it, err);
	free(e);
	return rc;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);	/* a signal cuts it short: that is fine */
}

int famfs_logplay_follow(struct famfs_fs *fs, const struct famfs_play_opts *opts,
			 unsigned int interval_ms, volatile sig_atomic_t *stop,
			 struct famfs_play_stats *st, struct famfs_error *err)
{
	struct famfs_play_cursor cur = { 0 };
	int rc;

	rc = famfs_logplay(&fs->log, fs->root_fd, opts, &cur, st, err);
	if (rc)
		return rc;
	while (!*stop) {
		sleep_ms(interval_ms);
		/* A header being rewritten fails its CRC: try again next time. */
		if (famfs_log_refresh(&fs->log, NULL) ||
		    fs->log.hdr.next_seq == cur.seq)
			continue;
		/* A bad entry below next_off stays unplayed until it reads well. */
		famfs_logplay(&fs->log, fs->root_fd, opts, &cur, st, NULL);
	}
	return 0;
}
