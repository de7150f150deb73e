// SPDX-License-Identifier: GPL-2.0
/*
 * famfs compact: rewrite the log of a mounted famfs (or of a device or
 * image) as its live namespace, on the master (core/compact.c does it).
 */
#include "core/internal.h"

int famfs_compact(struct famfs_fs *fs, const struct famfs_compact_opts *o,
		  struct famfs_compact_report *rep, struct famfs_error *err)
{
	struct famfs_evictions ev = { 0 };
	int rc;

	rc = famfs_log_append_begin(&fs->log, err);
	if (rc)
		return rc;
	/* A clone of the master must not rewrite the log the master appends to. */
	famfs_log_evictions(&fs->log, &ev);
	rc = famfs_log_check_identity(&fs->log, &ev, err);
	famfs_evictions_free(&ev);
	if (!rc)
		rc = famfs_log_compact(&fs->log, o, rep, err);
	famfs_log_append_end(&fs->log);
	return rc;
}
