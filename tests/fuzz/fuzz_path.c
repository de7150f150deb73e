// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_path_check on any bytes (no flags byte: the whole input is the
 * path, not NUL-terminated), against the rules of docs/format.md as they
 * read, one component at a time. Then famfs_path_show on the bytes up to
 * the first NUL: what it prints is valid UTF-8 without control characters,
 * fits its buffer, and when nothing was cut, unescapes to the path.
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

/* Undo the \xNN escapes of shown into out; the length of the result. */
static size_t unescape(const char *shown, char *out)
{
	unsigned int byte;
	size_t n = 0;

	while (*shown) {
		if (*shown != '\\') {
			out[n++] = *shown++;
			continue;
		}
		fuzz_assert(sscanf(shown, "\\x%2x", &byte) == 1);
		out[n++] = (char)byte;
		shown += 4;
	}
	return n;
}

static void check_shown(const char *path)
{
	static char whole[FAMFS_PATH_ESCAPED], back[FAMFS_PATH_ESCAPED];
	char part[FAMFS_PATH_SHOWN];
	size_t len = strlen(path);

	famfs_path_show(part, sizeof(part), path);
	fuzz_assert(strlen(part) < sizeof(part));
	fuzz_check_printable(part);
	if (len > FAMFS_PATH_MAX)
		return;
	famfs_path_show(whole, sizeof(whole), path);
	fuzz_check_printable(whole);
	fuzz_assert(unescape(whole, back) == len && !memcmp(back, path, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *path = fuzz_copy(data, size);
	char *str;

	fuzz_assert(famfs_path_check((const char *)path, size) ==
		    path_rules(path, size));
	str = strndup((const char *)path, size);
	if (!str)
		abort();
	check_shown(str);
	free(str);
	free(path);
	return 0;
}
