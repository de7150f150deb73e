// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the famfs tools. */
#include <stdarg.h>
#include <stdio.h>
#include <uuid/uuid.h>

#include "cli.h"

const char *cli_prog = "famfs";

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_lib_error(const struct famfs_error *err)
{
	cli_error("%s", err->msg);
}

int cli_usage_error(const char *usage)
{
	fprintf(stderr, "usage: %s\nTry '%s --help'.\n", usage, cli_prog);
	return FAMFS_EXIT_USAGE;
}

int cli_no_fuse(void)
{
	cli_error("--fuse: famfs has no FUSE mode here: famfs.ko serves every mount (--nofuse is accepted)");
	return FAMFS_EXIT_USAGE;
}

const char *cli_path(const char *path)
{
	static char buf[FAMFS_PATH_ESCAPED];

	return famfs_path_show(buf, sizeof(buf), path);
}

const char *cli_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)n;
	int i = -1;

	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
	else if (v == (double)(uint64_t)v)
		snprintf(buf, len, "%llu %s", (unsigned long long)v, unit[i]);
	else
		snprintf(buf, len, "%.1f %s", v, unit[i]);
	return buf;
}

const char *cli_uuid(const uint8_t uuid[16], char buf[40])
{
	uuid_unparse_lower(uuid, buf);
	return buf;
}
