// SPDX-License-Identifier: GPL-2.0
/*
 * A reproducible byte stream per seed, addressable at any offset: word w
 * of the stream is splitmix64 of (seed, w), so creat --random and verify
 * agree without sharing state and a file can be checked in any order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "internal.h"

#define VERIFY_CHUNK	(1U << 20)

static uint64_t stream_word(uint64_t seed, uint64_t w)
{
	uint64_t z = seed + (w + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void famfs_random_fill(uint64_t seed, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	uint64_t v;
	size_t i, skip, n;

	while (len) {
		v = stream_word(seed, off / 8);
		skip = off % 8;
		n = 8 - skip < len ? 8 - skip : len;
		for (i = 0; i < n; i++)	/* little-endian byte order */
			p[i] = (uint8_t)(v >> (8 * (skip + i)));
		p += n;
		off += n;
		len -= n;
	}
}

int famfs_random_fill_fn(void *arg, uint64_t off, void *buf, size_t len,
			 struct famfs_error *err)
{
	(void)err;
	famfs_random_fill(*(const uint64_t *)arg, off, buf, len);
	return 0;
}

/* Offset of the first byte where a and b differ (they do). */
static size_t first_diff(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i = 0;

	while (i < len && a[i] == b[i])
		i++;
	return i;
}

/*
 * Read exactly the file's size: no read at end of file, which a file of
 * whole 2 MiB units answers with EIO on famfs.ko builds that map the
 * position before clamping it to the size.
 */
static int compare_fd(int fd, uint64_t seed, uint64_t *bad_off, uint8_t *got,
		      uint8_t *want, struct famfs_error *err)
{
	uint64_t off = 0, size;
	struct stat st;
	ssize_t n = 0;

	if (fstat(fd, &st) < 0)
		return famfs_error_set(err, -errno, "%s", strerror(errno));
	size = st.st_size;
	while (off < size) {
		n = read(fd, got, size - off < VERIFY_CHUNK ? size - off : VERIFY_CHUNK);
		if (n <= 0)
			break;
		famfs_random_fill(seed, off, want, n);
		if (memcmp(got, want, n)) {
			*bad_off = off + first_diff(got, want, n);
			return 1;
		}
		off += n;
	}
	if (n < 0)
		return famfs_error_set(err, -errno, "read at offset %llu: %s",
				       (unsigned long long)off, strerror(errno));
	if (off < size)
		return famfs_error_set(err, -EIO, "read at offset %llu: end of file before its size %llu",
				       (unsigned long long)off,
				       (unsigned long long)size);
	return 0;
}

int famfs_random_verify(const char *path, uint64_t seed, uint64_t *bad_off,
			struct famfs_error *err)
{
	uint8_t *got = malloc(VERIFY_CHUNK), *want = malloc(VERIFY_CHUNK);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		rc = famfs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	else if (!got || !want)
		rc = famfs_error_set(err, -ENOMEM, "%s: out of memory", path);
	else
		rc = compare_fd(fd, seed, bad_off, got, want, err);
	if (rc < 0 && fd >= 0 && got && want)
		famfs_error_prefix(err, path);
	if (fd >= 0)
		close(fd);
	free(got);
	free(want);
	return rc;
}
