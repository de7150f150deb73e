// SPDX-License-Identifier: GPL-2.0
/* famfs rm and rmdir: DELETE entries, a directory's contents first. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/famfs_ops.h"

static const char *shown(const char *path)
{
	static char buf[FAMFS_PATH_SHOWN];

	return famfs_path_show(buf, sizeof(buf), path);
}

/* Everything under rel, deepest first, then rel itself. */
static int remove_tree(struct famfs_namer *n, const char *rel,
		       struct famfs_error *err)
{
	char **paths;
	size_t count, i;
	int rc;

	rc = famfs_namer_subtree(n, rel, &paths, &count, err);
	if (rc)
		return rc;
	for (i = 0; !rc && i < count; i++)
		rc = famfs_namer_delete(n, paths[i], err);
	for (i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
	return rc ? rc : famfs_namer_delete(n, rel, err);
}

/* Why rel may not be removed as asked, 0 if it may; 1: missing and -f. */
static int check_remove(struct famfs_namer *n, const char *rel, int type,
			const struct famfs_rm_opts *o, struct famfs_error *err)
{
	if (!*rel)
		return famfs_error_set(err, -EBUSY, "the mount's root cannot be removed");
	if (!type && o->force)
		return 1;
	if (!type)
		return famfs_error_set(err, -ENOENT, "%s: no such file or directory",
				       shown(rel));
	if (o->dir_only && type != FAMFS_ENTRY_MKDIR)
		return famfs_error_set(err, -ENOTDIR, "%s: not a directory", shown(rel));
	if (type != FAMFS_ENTRY_MKDIR || o->recursive)
		return 0;
	if (!o->dir_only)
		return famfs_error_set(err, -EISDIR,
				       "%s: is a directory (famfs rm -r removes it and all it holds)",
				       shown(rel));
	if (famfs_namer_children(n, rel))
		return famfs_error_set(err, -ENOTEMPTY, "%s: directory not empty",
				       shown(rel));
	return 0;
}

int famfs_rm(struct famfs_namer *n, const char *rel,
	     const struct famfs_rm_opts *o, struct famfs_error *err)
{
	int type = famfs_namer_lookup(n, rel);
	int rc = check_remove(n, rel, type, o, err);

	if (rc)
		return rc > 0 ? 0 : rc;
	if (type == FAMFS_ENTRY_MKDIR && o->recursive)
		return remove_tree(n, rel, err);
	return famfs_namer_delete(n, rel, err);
}
