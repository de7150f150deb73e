// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_path_check on any bytes (no flags byte: the whole input is the
 * path, not NUL-terminated), against the rules of docs/format.md as they
 * read, one component at a time.
 */
#include "fuzz.h"

static int component_rule(const uint8_t *name, size_t len)
{
	if (!len)
		return FAMFS_E_PATH_EMPTY;
	if (len > FAMFS_NAME_MAX)
		return FAMFS_E_NAME_LONG;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return FAMFS_E_PATH_DOT;
	return FAMFS_OK;
}

static int path_rules(const uint8_t *p, size_t len)
{
	size_t i, start = 0;
	int rc;

	if (!len)
		return FAMFS_E_PATH_EMPTY;
	if (len > FAMFS_PATH_MAX)
		return FAMFS_E_PATH_LONG;
	if (p[0] == '/')
		return FAMFS_E_PATH_ABS;
	if (memchr(p, '\0', len))
		return FAMFS_E_PATH_NUL;
	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '/')
			continue;
		rc = component_rule(p + start, i - start);
		if (rc)
			return rc;
		start = i + 1;
	}
	return FAMFS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *path = fuzz_copy(data, size);

	fuzz_assert(famfs_path_check((const char *)path, size) ==
		    path_rules(path, size));
	free(path);
	return 0;
}
