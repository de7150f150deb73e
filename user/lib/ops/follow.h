/* SPDX-License-Identifier: GPL-2.0 */
/* The follower's parts (follow.c, held.c, follow_daemon.c). */
#ifndef FAMFS_OPS_FOLLOW_H
#define FAMFS_OPS_FOLLOW_H

#include "famfs/famfs_ops.h"
#include "core/internal.h"

/* A delete this host has applied but may still hold the file of. */
struct famfs_held {
	uint64_t dseq;
	uint32_t n;
	struct famfs_ioc_extent *ext;	/* NULL with n 1: unknown, held */
};

struct famfs_held_list {
	struct famfs_held *v;		/* oldest first, from head on */
	size_t head, n, cap;
	int blind;			/* errno: cannot tell, so all are held */
};

/* The delete at dseq of file (its FILE entry; NULL: unknown, held for good). */
void famfs_held_add(struct famfs_held_list *l, uint64_t dseq,
		    const struct famfs_entry *file);
/* The same for a file removed by its map (a reconcile after a compaction). */
void famfs_held_add_map(struct famfs_held_list *l, uint64_t dseq,
			const struct famfs_ioc_extent *ext, uint32_t n);
/*
 * The log was compacted: what is still held was deleted before every
 * entry of the new generation, whose seqs start at 0 again.
 */
void famfs_held_rebase(struct famfs_held_list *l);
/*
 * Drop the deletes whose files the mount at root_fd no longer holds,
 * oldest first: the seq of the first one still held, else applied.
 */
uint64_t famfs_held_released(struct famfs_held_list *l, int root_fd,
			     uint64_t applied);
/* Is there a delete left to ask about? */
static inline bool famfs_held_pending(const struct famfs_held_list *l)
{
	return l->head < l->n;
}
void famfs_held_free(struct famfs_held_list *l);

#endif /* FAMFS_OPS_FOLLOW_H */
