// SPDX-License-Identifier: GPL-2.0
/* Small parsing and sysfs helpers shared by the tools. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "famfs/libfamfs.h"
#include "internal.h"

static int size_shift(char suffix, unsigned int *shift)
{
	switch (toupper((unsigned char)suffix)) {
	case 'K':
		*shift = 10;
		return 0;
	case 'M':
		*shift = 20;
		return 0;
	case 'G':
		*shift = 30;
		return 0;
	case 'T':
		*shift = 40;
		return 0;
	}
	return -EINVAL;
}

int famfs_parse_size(const char *s, uint64_t *out)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (hex ? !isxdigit((unsigned char)s[2]) : !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, hex ? 16 : 10);
	if (errno)
		return -ERANGE;
	if (*end) {
		if (end[1] || size_shift(*end, &shift))
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

int famfs_sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

void *famfs_grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t more = *cap * 2 + 64;

	if (n < *cap)
		return v;
	v = realloc(v, more * size);
	if (v)
		*cap = more;
	return v;
}
