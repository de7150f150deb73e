// SPDX-License-Identifier: GPL-2.0
/* Paths as the log stores them: relative, '/'-separated, no NUL. */
#include <string.h>

#include "famfs/format.h"

static int component_check(const char *name, size_t len)
{
	if (len == 0)
		return FAMFS_E_PATH_EMPTY;
	if (len > FAMFS_NAME_MAX)
		return FAMFS_E_NAME_LONG;
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return FAMFS_E_PATH_DOT;
	return FAMFS_OK;
}

int famfs_path_check(const char *path, size_t len)
{
	const char *slash;
	size_t start, end;
	int err;

	if (len == 0)
		return FAMFS_E_PATH_EMPTY;
	if (len > FAMFS_PATH_MAX)
		return FAMFS_E_PATH_LONG;
	if (path[0] == '/')
		return FAMFS_E_PATH_ABS;
	if (memchr(path, '\0', len))
		return FAMFS_E_PATH_NUL;
	for (start = 0;; start = end + 1) {
		slash = memchr(path + start, '/', len - start);
		end = slash ? (size_t)(slash - path) : len;
		err = component_check(path + start, end - start);
		if (err || end == len)
			return err;
	}
}
