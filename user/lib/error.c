// SPDX-License-Identifier: GPL-2.0
/* Error codes and messages shared by every libfamfs function. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "famfs/libfamfs.h"

int famfs_error_set(struct famfs_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

const char *famfs_error_str(int code)
{
	if (code < 0)
		return strerror(-code);
	return famfs_strerror(code);
}

void famfs_error_prefix(struct famfs_error *err, const char *prefix)
{
	size_t cap = sizeof(err->msg);
	size_t plen;

	if (!err)
		return;
	plen = strnlen(prefix, cap / 2);
	memmove(err->msg + plen + 2, err->msg, cap - plen - 3);
	err->msg[cap - 1] = '\0';
	memcpy(err->msg, prefix, plen);
	err->msg[plen] = ':';
	err->msg[plen + 1] = ' ';
}
