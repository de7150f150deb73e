// SPDX-License-Identifier: GPL-2.0
/*
 * Files played while this host lacked a member they name were made
 * without a map (the kernel refused it). Once the member is added, each
 * such file, under its path at the log's end, gets its map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

struct late {
	uint32_t mask;
	uint64_t played;	/* entries from this seq on are not played yet */
	struct famfs_offsets offs;	/* the FILE entries on those members */
};

static bool names_member(const struct famfs_entry *e, uint32_t mask)
{
	struct famfs_extent_info x;
	uint32_t i;

	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		if (mask & (1u << x.dev_index))
			return true;
	}
	return false;
}

static int note_file(void *arg, const struct famfs_entry *e,
		     const struct famfs_path_item *was, uint64_t off,
		     struct famfs_error *err)
{
	struct late *l = arg;

	(void)was;
	if (e->type != FAMFS_ENTRY_FILE || e->seq >= l->played ||
	    !names_member(e, l->mask))
		return 0;
	if (famfs_offsets_note(&l->offs, e->seq, off))
		return famfs_error_set(err, -ENOMEM, "out of memory");
	return 0;
}

int famfs_map_late(const struct famfs_log *log, int root_fd, uint32_t mask,
		   uint64_t played, bool readonly, void (*report)(void *arg, const char *msg),
		   void *arg, struct famfs_error *err)
{
	struct late l = { .mask = mask, .played = played };
	struct famfs_error one = { 0 };
	struct famfs_names names;
	struct famfs_entry *e = malloc(sizeof(*e));
	const char **live = NULL;
	uint64_t seq;
	int rc;

	famfs_names_init(&names);
	rc = e ? famfs_names_build(&names, log, note_file, &l, err) :
		 famfs_error_set(err, -ENOMEM, "out of memory");
	if (!rc && !(live = famfs_names_live(&names)))
		rc = famfs_error_set(err, -ENOMEM, "out of memory");
	for (seq = 0; !rc && seq < l.offs.n && seq < names.nseq; seq++) {
		if (!l.offs.off[seq] || !live[seq] ||
		    famfs_offsets_decode(&l.offs, log, seq, e))
			continue;
		if (famfs_entry_map_late(root_fd, live[seq], e, readonly, &one) &&
		    report)
			report(arg, one.msg);
	}
	free(live);
	famfs_offsets_free(&l.offs);
	famfs_names_free(&names);
	free(e);
	return rc;
}
