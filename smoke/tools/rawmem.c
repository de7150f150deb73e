// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-rawmem: write or read a pattern straight through a shared-memory
 * device, bypassing any file system, to prove two hosts see the same bytes.
 *
 *   famfs-rawmem write DEV OFFSET LENGTH SEED   fill, flush, print checksum
 *   famfs-rawmem read  DEV OFFSET LENGTH        invalidate, print checksum
 *
 * A character device (devdax) is mapped with mmap and the cache lines are
 * flushed after writing and before reading, as a host sharing memory with
 * others must. A block device (fsdax pmem) is accessed with O_DIRECT so that
 * no page cache sits between the host and the memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHELINE 64

static void die(const char *what)
{
	fprintf(stderr, "famfs-rawmem: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Write back and drop every cache line of [p, p + len). */
static void flush_range(const void *p, size_t len)
{
	const char *c = (const char *)((uintptr_t)p & ~(uintptr_t)(CACHELINE - 1));

	for (; c < (const char *)p + len; c += CACHELINE)
		__builtin_ia32_clflush(c);
	__builtin_ia32_mfence();
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(uint64_t *buf, size_t len, uint64_t seed)
{
	uint64_t s = seed ? seed : 1;
	size_t i;

	for (i = 0; i < len / 8; i++)
		buf[i] = xorshift(&s);
}

/* FNV-1a over 64-bit words: order-sensitive and fast enough under TCG. */
static uint64_t checksum(const uint64_t *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len / 8; i++)
		h = (h ^ buf[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t via_mmap(int fd, off_t off, size_t len, int write, uint64_t seed)
{
	uint64_t *p, sum;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (p == MAP_FAILED)
		die("mmap");
	if (write)
		fill(p, len, seed);
	/* After a write this pushes it to memory; before a read it drops stale lines. */
	flush_range(p, len);
	sum = checksum(p, len);
	munmap(p, len);
	return sum;
}

static uint64_t via_direct_io(int fd, off_t off, size_t len, int write, uint64_t seed)
{
	uint64_t *buf, sum;
	ssize_t n;

	if (posix_memalign((void **)&buf, 4096, len))
		die("posix_memalign");
	if (write) {
		fill(buf, len, seed);
		n = pwrite(fd, buf, len, off);
		if (n == (ssize_t)len && fsync(fd))
			die("fsync");
	} else {
		n = pread(fd, buf, len, off);
	}
	if (n != (ssize_t)len)
		die(write ? "pwrite" : "pread");
	sum = checksum(buf, len);
	free(buf);
	return sum;
}

int main(int argc, char **argv)
{
	int write, fd, blk;
	struct stat st;
	uint64_t sum;
	off_t off;
	size_t len;

	if (argc < 5 || (strcmp(argv[1], "write") && strcmp(argv[1], "read")) ||
	    (!strcmp(argv[1], "write") && argc != 6)) {
		fprintf(stderr, "usage: famfs-rawmem write DEV OFFSET LENGTH SEED\n"
				"       famfs-rawmem read DEV OFFSET LENGTH\n");
		return 2;
	}
	write = !strcmp(argv[1], "write");
	off = strtoll(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0);
	if (len == 0 || len % 4096 || off % 4096) {
		fprintf(stderr, "famfs-rawmem: OFFSET and LENGTH must be 4 KiB multiples\n");
		return 2;
	}
	if (stat(argv[2], &st))
		die(argv[2]);
	blk = S_ISBLK(st.st_mode);
	fd = open(argv[2], O_RDWR | (blk ? O_DIRECT : 0));
	if (fd < 0)
		die(argv[2]);
	if (blk)
		sum = via_direct_io(fd, off, len, write, write ? strtoull(argv[5], NULL, 0) : 0);
	else
		sum = via_mmap(fd, off, len, write, write ? strtoull(argv[5], NULL, 0) : 0);
	close(fd);
	printf("%016" PRIx64 "\n", sum);
	return 0;
}
