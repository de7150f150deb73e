// SPDX-License-Identifier: GPL-2.0
/*
 * Where each entry lies in the log, by sequence number: what lets a walk
 * of the log go back to an earlier entry (a deleted file's extents, a
 * file's logged map) without a second walk.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

int famfs_offsets_note(struct famfs_offsets *o, uint64_t seq, uint64_t off)
{
	uint64_t *more;

	if (seq >= o->n) {
		more = realloc(o->off, (seq + 1) * 2 * sizeof(*more));
		if (!more)
			return -ENOMEM;
		o->off = more;
		o->n = (seq + 1) * 2;
	}
	o->off[seq] = off;
	return 0;
}

int famfs_offsets_decode(const struct famfs_offsets *o,
			 const struct famfs_log *log, uint64_t seq,
			 struct famfs_entry *e)
{
	uint64_t off;

	if (seq >= o->n)
		return FAMFS_E_SEQ;
	off = o->off[seq];
	return famfs_entry_decode(log->log_buf + off, log->hdr.next_off - off,
				  seq, &log->sb.geo, e);
}

void famfs_offsets_free(struct famfs_offsets *o)
{
	free(o->off);
	o->off = NULL;
	o->n = 0;
}
