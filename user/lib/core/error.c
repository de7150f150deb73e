// SPDX-License-Identifier: GPL-2.0
/*
 * Error codes and messages shared by every libfamfs function. A message
 * too long for struct famfs_error loses its middle, never its end: the
 * cause comes last.
 */
#include <stdarg.h>
#include <string.h>

#include "internal.h"

int famfs_error_set(struct famfs_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	famfs_vfit(err->msg, sizeof(err->msg), fmt, ap);
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
	if (err)
		famfs_error_set(err, err->code, "%s: %s", prefix, err->msg);
}
