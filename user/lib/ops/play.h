/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log play's view of the log (playops.c): the namespace at the end of the
 * published log, and the namespace as of the entry being played.
 */
#ifndef FAMFS_OPS_PLAY_H
#define FAMFS_OPS_PLAY_H

#include "core/internal.h"

struct play {
	const struct famfs_log *log;
	int root_fd;
	const struct famfs_play_opts *o;
	struct famfs_play_stats *st;
	struct famfs_names end;		/* after the last published entry */
	const char **live;		/* each entry's path at the end, by seq */
	struct famfs_names now;		/* after the entries played so far */
	struct famfs_offsets offs;	/* log offset of each entry */
	struct famfs_play_cursor end_at;	/* end holds the entries below */
	struct famfs_play_cursor now_at;	/* now and offs hold those below */
};

/* Build end and live (0, or -ENOMEM); now starts empty. */
int famfs_play_init(struct play *p, const struct famfs_log *log,
		    struct famfs_error *err);
/*
 * Add to end (and live) the entries log holds beyond end_at, up to the
 * first that does not decode: play stops there too, and what lies beyond
 * it is not known yet.
 */
int famfs_play_extend(struct play *p, const struct famfs_log *log,
		      struct famfs_error *err);
void famfs_play_free(struct play *p);
/* Apply e (at log offset off) to now; was: what a DELETE or RENAME hit. */
int famfs_play_advance(struct play *p, const struct famfs_entry *e,
		       uint64_t off, struct famfs_path_item *was, char *why,
		       size_t len);
/*
 * A FILE or MKDIR that needs no play: deleted later in the log, or moved
 * later and already at its final path here. 0 when it must be played.
 */
int famfs_play_settled(struct play *p, const struct famfs_entry *e);
/*
 * Does the file at path carry the map of the FILE entry seq? 1 yes, 0 no,
 * -ENOMEM when it cannot tell.
 */
int famfs_play_file_is(struct play *p, const char *path, uint64_t seq);
void famfs_play_delete(struct play *p, const struct famfs_entry *e,
		       const struct famfs_path_item *was);
void famfs_play_rename(struct play *p, const struct famfs_entry *e,
		       const struct famfs_path_item *was);
/*
 * Remove from the tree what the log's end lacks, or holds as another type
 * or map (prune.c); after the log is played, so that p->offs is complete.
 * Returns how many paths it removed.
 */
uint64_t famfs_play_prune(struct play *p);
/* Report what happened to path (opts->report). */
void famfs_play_report(const struct play *p, const char *what,
		       const char *path);

#endif /* FAMFS_OPS_PLAY_H */
