// SPDX-License-Identifier: GPL-2.0
/*
 * mhtool: small helpers for the multi-host scenarios (smoke/scenarios/mh_*.sh).
 *
 *   mhtool watch ROOT LIST MARKDIR SECONDS
 *       LIST has lines "INDEX PATH SIZE" (PATH relative to ROOT). Poll until
 *       each file exists with its final size, and at that moment create
 *       MARKDIR/INDEX. Exit 1 if some are still missing after SECONDS.
 *   mhtool latency RETDIR SEENDIR
 *       For every INDEX in SEENDIR, the time from RETDIR/INDEX to
 *       SEENDIR/INDEX, by their modification times. Prints count, median,
 *       worst and best in milliseconds.
 *   mhtool try-write FILE
 *       Try to change FILE through open(O_RDWR)+write(2) and a shared
 *       writable mmap; print how each attempt was refused. Exit 0 only if
 *       every attempt was refused.
 *   mhtool tree DIR FILES SEED
 *       Make FILES files of pseudo-random bytes (1 MiB to 2 MiB - 1, so
 *       each takes one 2 MiB unit of famfs) in ten subdirectories of DIR,
 *       reproducibly from SEED.
 *   mhtool hold FILE READY STOP
 *       Map FILE and keep a copy of its bytes, create READY, then compare
 *       the mapping with the copy in a loop until STOP exists, and once
 *       more after. Prints how many passes; exit 1 at the first byte that
 *       differs (the file's bytes must outlive its name).
 *   mhtool seq-past LOG SEQ
 *       Wait until the log header in LOG (a mount's .meta/.log, whose
 *       first area holds the log until it is compacted) publishes a
 *       next_seq above SEQ, and return at once: the moment a batch of the
 *       master's is published. With SEQ -1, print next_seq and return.
 *   mhtool map FILE READY STOP CLOSED
 *       Map FILE and read a byte of every page, create READY, then wait
 *       (checking every millisecond) until STOP exists; unmap and close
 *       FILE and at once create CLOSED. Light on the CPU, for timing what
 *       follows the close.
 *   mhtool gone PATH MARK SECONDS
 *       Poll every millisecond until PATH no longer exists, then create
 *       MARK. Exit 1 if PATH is still there after SECONDS.
 *   mhtool mapcheck FILE
 *       Read FILE through a read-only shared mapping (a byte of every page,
 *       counting the faults), then compare it with read(2), 1 MiB at a time.
 *       Exit 1 if they differ or the faults exceed one per 2 MiB plus 16 (the
 *       mapping must take PMD faults).
 *   mhtool generation SB
 *       Print the log generation the active-log record in SB (a mount's
 *       .meta/.superblock) names: the higher of its two copies whose magic
 *       is right (the CRC is famfs fsck's to check).
 *
 * The marks live in a directory every guest shares with the host: the host
 * stamps their modification times with its own clock, so marks made by
 * different guests compare without synchronising the guests' clocks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS		(1000 * 1000)	/* 1 ms between scans of the watch list */
#define MAX_NAME	4096
#define MAPCHECK_BUF	(1 << 20)

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mhtool: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, ": %s\n", strerror(errno));
	exit(2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void touch_path(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die("%s", path);
	close(fd);
}

static void touch(const char *dir, const char *name)
{
	char path[MAX_NAME];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	touch_path(path);
}

struct watched {
	char index[32];
	char path[MAX_NAME];
	long long size;
	int seen;
};

static struct watched *read_list(const char *list, size_t *n)
{
	struct watched *w = NULL;
	size_t cap = 0;
	FILE *f = fopen(list, "re");
	char line[MAX_NAME + 64];

	if (!f)
		die("%s", list);
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			w = realloc(w, cap * sizeof(*w));
			if (!w)
				die("%s", "out of memory");
		}
		if (sscanf(line, "%31s %4095s %lld", w[*n].index, w[*n].path,
			   &w[*n].size) != 3)
			continue;
		w[(*n)++].seen = 0;
	}
	fclose(f);
	return w;
}

static int cmd_watch(const char *root, const char *list, const char *marks,
		     double secs)
{
	struct timespec pause = { 0, POLL_NS };
	double limit = now_s() + secs;
	size_t n, i, left;
	struct watched *w = read_list(list, &n);
	char path[2 * MAX_NAME];
	struct stat st;

	for (left = n; left && now_s() < limit; nanosleep(&pause, NULL)) {
		for (i = 0; i < n; i++) {
			if (w[i].seen)
				continue;
			snprintf(path, sizeof(path), "%s/%s", root, w[i].path);
			if (stat(path, &st) || st.st_size != w[i].size)
				continue;
			touch(marks, w[i].index);
			w[i].seen = 1;
			left--;
		}
	}
	for (i = 0; i < n && left; i++)
		if (!w[i].seen)
			fprintf(stderr, "mhtool: %s: not seen after %.0f s\n",
				w[i].path, secs);
	free(w);
	return left ? 1 : 0;
}

static int mtime_of(const char *dir, const char *name, double *t)
{
	char path[MAX_NAME];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st))
		return -1;
	*t = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmd_latency(const char *ret, const char *seen)
{
	double *ms = NULL, t0, t1;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir = opendir(seen);

	if (!dir)
		die("%s", seen);
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || mtime_of(ret, d->d_name, &t0) ||
		    mtime_of(seen, d->d_name, &t1))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			ms = realloc(ms, cap * sizeof(*ms));
			if (!ms)
				die("%s", "out of memory");
		}
		ms[n++] = (t1 - t0) * 1e3;
	}
	closedir(dir);
	if (!n) {
		fprintf(stderr, "mhtool: no marks in both %s and %s\n", ret, seen);
		return 1;
	}
	qsort(ms, n, sizeof(*ms), cmp_double);
	printf("files %zu median %.0f ms worst %.0f ms best %.0f ms\n", n,
	       n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2,
	       ms[n - 1], ms[0]);
	free(ms);
	return 0;
}

/* Each attempt must fail; report how. Returns 1 if one succeeded. */
static int cmd_try_write(const char *path)
{
	int fd, bad = 0;
	void *p;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("open(O_RDWR): refused: %s\n", strerror(errno));
		return 0;
	}
	if (pwrite(fd, "X", 1, 0) < 0) {
		printf("write(2): refused: %s\n", strerror(errno));
	} else {
		printf("write(2): ACCEPTED\n");
		bad = 1;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("mmap(PROT_WRITE, MAP_SHARED): refused: %s\n",
		       strerror(errno));
	} else {
		printf("mmap(PROT_WRITE, MAP_SHARED): ACCEPTED\n");
		munmap(p, 4096);
		bad = 1;
	}
	close(fd);
	return bad;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void write_random(const char *path, size_t len, uint64_t *s)
{
	static uint64_t buf[(2 << 20) / 8];
	size_t i;
	FILE *f;

	for (i = 0; i < (len + 7) / 8; i++)
		buf[i] = xorshift(s);
	f = fopen(path, "we");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		die("%s", path);
}

static int cmd_tree(const char *dir, long files, uint64_t seed)
{
	char path[MAX_NAME];
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;
	size_t len;
	long i;

	if (mkdir(dir, 0755) && errno != EEXIST)
		die("%s", dir);
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "%s/d%ld", dir, i);
		if (mkdir(path, 0755) && errno != EEXIST)
			die("%s", path);
	}
	for (i = 0; i < files; i++) {
		len = (1 << 20) + xorshift(&s) % ((1 << 20) - 1);
		snprintf(path, sizeof(path), "%s/d%ld/f%04ld", dir, i % 10, i);
		write_random(path, len, &s);
	}
	return 0;
}

/* The whole mapping equals copy; else report where it differs. */
static int same_bytes(const uint8_t *map, const uint8_t *copy, size_t len,
		      long pass)
{
	size_t i;

	if (!memcmp(map, copy, len))
		return 1;
	for (i = 0; map[i] == copy[i]; i++)
		;
	fprintf(stderr, "mhtool hold: pass %ld: byte %zu is %#x, was %#x\n",
		pass, i, map[i], copy[i]);
	return 0;
}

static int cmd_hold(const char *path, const char *ready, const char *stop)
{
	struct timespec ms = { 0, POLL_NS };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	uint8_t *map, *copy;
	long pass = 0;

	if (fd < 0 || fstat(fd, &sb) || !sb.st_size)
		die("%s", path);
	map = mmap(NULL, sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
	copy = malloc(sb.st_size);
	if (map == MAP_FAILED || !copy)
		die("%s: map", path);
	memcpy(copy, map, sb.st_size);
	touch_path(ready);
	do {
		if (!same_bytes(map, copy, sb.st_size, ++pass))
			return 1;
		nanosleep(&ms, NULL);
	} while (access(stop, F_OK));
	if (!same_bytes(map, copy, sb.st_size, ++pass))
		return 1;
	munmap(map, sb.st_size);
	close(fd);
	printf("%ld passes over %lld bytes, all equal\n", pass,
	       (long long)sb.st_size);
	return 0;
}

/* next_seq of the log header at the start of the mapped log. */
static uint64_t header_seq(const volatile uint8_t *log)
{
	uint64_t seq = 0;
	int i;

	for (i = 7; i >= 0; i--)	/* little-endian, offset 24 */
		seq = seq << 8 | log[24 + i];
	return seq;
}

static int cmd_seq_past(const char *path, long long after)
{
	struct timespec tick = { 0, 100 * 1000 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	volatile uint8_t *log;

	if (fd < 0)
		die("%s", path);
	log = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (log == MAP_FAILED)
		die("%s: map", path);
	if (after < 0) {
		printf("%llu\n", (unsigned long long)header_seq(log));
		return 0;
	}
	while (header_seq(log) <= (uint64_t)after)
		nanosleep(&tick, NULL);
	return 0;
}

#define LOGREC_OFFSET	(32 << 10)
#define LOGREC_MAGIC	0x43455247464d4146ULL	/* "FAMFGREC" */

static uint64_t le64_at(const volatile uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int cmd_generation(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), found = 0, i;
	volatile const uint8_t *rec;
	uint64_t best = 0, g;
	void *map;

	if (fd < 0)
		die("%s", path);
	map = mmap(NULL, LOGREC_OFFSET + 4096, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		die("%s: map", path);
	for (i = 0; i < 2; i++) {
		rec = (const uint8_t *)map + LOGREC_OFFSET + 64 * i;
		if (le64_at(rec) != LOGREC_MAGIC)
			continue;
		g = le64_at(rec + 8);
		if (!found++ || g > best)
			best = g;
	}
	if (!found) {
		fprintf(stderr, "mhtool: %s: no active-log record\n", path);
		return 1;
	}
	printf("%llu\n", (unsigned long long)best);
	return 0;
}

/* Open FILE (not empty) and map all of it, read-only and shared. */
static const uint8_t *map_whole(const char *path, int *fd, struct stat *sb)
{
	const uint8_t *map;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, sb) || !sb->st_size)
		die("%s", path);
	map = mmap(NULL, sb->st_size, PROT_READ, MAP_SHARED, *fd, 0);
	if (map == MAP_FAILED)
		die("%s: map", path);
	return map;
}

/* Read the first byte of every page of the mapping: fault it all in. */
static unsigned long touch_pages(const uint8_t *map, off_t size)
{
	unsigned long sum = 0;
	off_t off;

	for (off = 0; off < size; off += 4096)
		sum += ((volatile const uint8_t *)map)[off];
	return sum;
}

static int cmd_map(const char *path, const char *ready, const char *stop,
		   const char *closed)
{
	struct timespec ms = { 0, POLL_NS };
	const uint8_t *map;
	unsigned long sum;
	struct stat sb;
	int fd;

	map = map_whole(path, &fd, &sb);
	sum = touch_pages(map, sb.st_size);
	touch_path(ready);
	while (access(stop, F_OK))
		nanosleep(&ms, NULL);
	if (munmap((void *)map, sb.st_size) || close(fd))
		die("%s: unmap", path);
	touch_path(closed);
	printf("mapped %lld bytes (page sum %lu), closed\n",
	       (long long)sb.st_size, sum);
	return 0;
}

static int cmd_gone(const char *path, const char *mark, double secs)
{
	struct timespec ms = { 0, POLL_NS };
	double limit = now_s() + secs;
	struct stat st;

	while (!stat(path, &st)) {
		if (now_s() >= limit) {
			fprintf(stderr, "mhtool: %s still exists after %.0f s\n",
				path, secs);
			return 1;
		}
		nanosleep(&ms, NULL);
	}
	touch_path(mark);
	return 0;
}

/*
 * Faults this process has taken: a PMD fault maps 2 MiB at once, a PTE
 * fault 4 KiB.
 */
static long faults_taken(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/*
 * Compare FILE's bytes through read(2) with its bytes through a read-only
 * shared mapping, reading the mapping's first byte of every page, then all
 * of it; count the faults of the mapping's pass.
 */
static int cmd_mapcheck(const char *path)
{
	static uint8_t buf[MAPCHECK_BUF];
	const uint8_t *map;
	long before, faults;
	unsigned long sum;
	off_t off, limit;
	struct stat sb;
	ssize_t got;
	int fd;

	map = map_whole(path, &fd, &sb);
	before = faults_taken();
	sum = touch_pages(map, sb.st_size);
	faults = faults_taken() - before;
	for (off = 0; off < sb.st_size; off += got) {
		got = pread(fd, buf, sizeof(buf), off);
		if (got <= 0)
			die("%s: read", path);
		if (memcmp(buf, map + off, got)) {
			fprintf(stderr, "mhtool: %s: read(2) and mmap differ in [%lld, %lld)\n",
				path, (long long)off, (long long)(off + got));
			return 1;
		}
	}
	limit = sb.st_size / (2 << 20) + 16;
	printf("mapcheck: %lld bytes equal through read(2) and mmap, %ld faults (limit %lld, page sum %lu)\n",
	       (long long)sb.st_size, faults, (long long)limit, sum);
	munmap((void *)map, sb.st_size);
	close(fd);
	return faults <= limit ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mhtool watch ROOT LIST MARKDIR SECONDS\n"
		"       mhtool latency RETDIR SEENDIR\n"
		"       mhtool try-write FILE\n"
		"       mhtool tree DIR FILES SEED\n"
		"       mhtool hold FILE READY STOP\n"
		"       mhtool seq-past LOG SEQ\n"
		"       mhtool map FILE READY STOP CLOSED\n"
		"       mhtool gone PATH MARK SECONDS\n"
		"       mhtool generation SB\n"
		"       mhtool mapcheck FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "watch"))
		return cmd_watch(argv[2], argv[3], argv[4], atof(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "latency"))
		return cmd_latency(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "try-write"))
		return cmd_try_write(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "seq-past"))
		return cmd_seq_past(argv[2], atoll(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "map"))
		return cmd_map(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 5 && !strcmp(argv[1], "gone"))
		return cmd_gone(argv[2], argv[3], atof(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "mapcheck"))
		return cmd_mapcheck(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "generation"))
		return cmd_generation(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "tree"))
		return cmd_tree(argv[2], atol(argv[3]),
				strtoull(argv[4], NULL, 0));
	usage();
	return 2;
}
