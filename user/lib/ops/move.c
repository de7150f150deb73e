// SPDX-License-Identifier: GPL-2.0
/* famfs mv: one RENAME entry, whatever the source holds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/famfs_ops.h"

static const char *shown(const char *path)
{
	static char buf[FAMFS_PATH_SHOWN];

	return famfs_path_show(buf, sizeof(buf), path);
}

/* Into an existing directory, as mv(1): dst/basename(src). */
static int target(const struct famfs_namer *n, const char *src,
		  const char *dst, char *out, size_t len,
		  struct famfs_error *err)
{
	const char *base = strrchr(src, '/');
	int type = famfs_namer_lookup(n, dst);

	base = base ? base + 1 : src;
	if (type == FAMFS_ENTRY_MKDIR) {
		if ((size_t)snprintf(out, len, "%s%s%s", dst, *dst ? "/" : "",
				     base) >= len)
			return famfs_error_set(err, FAMFS_E_PATH_LONG,
					       "%s/%s: %s", shown(dst), base,
					       famfs_strerror(FAMFS_E_PATH_LONG));
		type = famfs_namer_lookup(n, out);
	} else {
		snprintf(out, len, "%s", dst);
	}
	if (type)
		return famfs_error_set(err, -EEXIST,
				       "%s: exists (famfs mv never replaces a file)",
				       shown(out));
	return 0;
}

static int check_source(const struct famfs_namer *n, const char *src,
			struct famfs_error *err)
{
	if (!*src)
		return famfs_error_set(err, -EBUSY, "the mount's root cannot be moved");
	if (!famfs_namer_lookup(n, src))
		return famfs_error_set(err, -ENOENT, "%s: no such file or directory",
				       shown(src));
	return 0;
}

static int check_target(const struct famfs_namer *n, const char *src,
			const char *to, struct famfs_error *err)
{
	size_t len = strlen(src);
	const char *slash = strrchr(to, '/');
	char parent[FAMFS_PATH_MAX + 1];

	if (!strncmp(to, src, len) && to[len] == '/')
		return famfs_error_set(err, -EINVAL,
				       "%s: cannot move a directory into itself",
				       shown(src));
	if (famfs_path_reserved(to))
		return famfs_error_set(err, -EPERM,
				       "%s: reserved for the file system's metadata",
				       shown(to));
	snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - to) : 0, to);
	if (famfs_namer_lookup(n, parent) != FAMFS_ENTRY_MKDIR)
		return famfs_error_set(err, -ENOENT, "%s: no such directory",
				       shown(parent));
	return 0;
}

int famfs_mv(struct famfs_namer *n, const char *src, const char *dst,
	     struct famfs_error *err)
{
	char *to = malloc(FAMFS_PATH_MAX + 2);
	int rc;

	if (!to)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	rc = check_source(n, src, err);
	if (!rc)
		rc = target(n, src, dst, to, FAMFS_PATH_MAX + 2, err);
	if (!rc)
		rc = check_target(n, src, to, err);
	if (!rc)
		rc = famfs_namer_rename(n, src, to, err);
	free(to);
	return rc;
}
