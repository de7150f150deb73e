// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-bench-data: timed data-path loops on a file or a device.
 *
 *   famfs-bench-data [-p PASSES] [-r RANDOPS] data SIZE NAME=PATH[@OFFSET]...
 *       On each target: sequential read and write of SIZE bytes at OFFSET
 *       through a shared mmap (memcpy to and from a 1 MiB buffer), random
 *       4 KiB reads through the same mapping, the sequential copies again
 *       with "rep movsb" (movsb_read, movsb_write) and, for a regular file or a
 *       block device, pread(2)/pwrite(2) of 1 MiB. A block device is only
 *       read and written, with O_DIRECT: its mmap would be its page cache,
 *       not the device's memory. Each figure is the best of PASSES,
 *       after one untimed pass that takes the page faults; the targets take
 *       turns within each pass, so that a change of load hits them alike.
 *       Prints "NAME TEST MiB/s" lines (rand4k: reads/s).
 *   famfs-bench-data faults PATH SIZE
 *       Touch every 4 KiB page of a shared mapping of SIZE bytes once and
 *       print "faults SIZE MINFLT" (minor faults from getrusage).
 *   famfs-bench-data mktree DIR FILES
 *       Make FILES empty files, 100 to a directory (DIR/d000/f00000 ...), in
 *       one process: the baseline for playing the same tree from the log.
 *   famfs-bench-data peak FILE CMD [ARG...]
 *       Run CMD, write its peak resident size in KiB (getrusage of the
 *       child) to FILE, and exit with its status.
 *
 * Copies go through a buffer in both cases so that mmap and read(2) do
 * the same work per byte and their ratio shows the cost of the path.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	(1UL << 20)
#define PAGE	4096UL

struct target {
	const char *name;
	int fd;
	int rw_fd;	/* -1: no read(2)/write(2) test (a dax char device) */
	char *map;	/* NULL: no mmap tests (a block device) */
	uint64_t size;
	uint64_t off;
	char *buf;
};

static void die(const char *what)
{
	fprintf(stderr, "famfs-bench-data: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	switch (*end) {
	case 'G': v <<= 10; /* fall through */
	case 'M': v <<= 10; /* fall through */
	case 'K': v <<= 10; end++; break;
	}
	if (*end || !v) {
		fprintf(stderr, "famfs-bench-data: bad size '%s'\n", s);
		exit(2);
	}
	return v;
}

/* NAME=PATH[@OFFSET] */
static void open_target(struct target *t, char *arg, uint64_t size)
{
	char *path = strchr(arg, '='), *at;
	uint64_t off = 0;
	struct stat st;

	if (!path) {
		fprintf(stderr, "famfs-bench-data: '%s' is not NAME=PATH\n", arg);
		exit(2);
	}
	*path++ = '\0';
	at = strrchr(path, '@');
	if (at) {
		char *end;

		*at = '\0';
		errno = 0;
		off = strtoull(at + 1, &end, 0);
		if (errno || end == at + 1 || *end) {
			fprintf(stderr, "famfs-bench-data: bad offset '%s'\n", at + 1);
			exit(2);
		}
	}
	t->name = arg;
	t->fd = open(path, O_RDWR);
	if (t->fd < 0 || fstat(t->fd, &st))
		die(path);
	t->rw_fd = S_ISREG(st.st_mode) ? t->fd :
		S_ISBLK(st.st_mode) ? open(path, O_RDWR | O_DIRECT) : -1;
	if (S_ISBLK(st.st_mode) && t->rw_fd < 0)
		die(path);
	t->size = size;
	t->off = off;
	t->buf = aligned_alloc(PAGE, CHUNK);
	if (!t->buf)
		die("buffer");
	memset(t->buf, 0x5a, CHUNK);
	/* A block device's mmap is its page cache, not the device: skip it. */
	if (S_ISBLK(st.st_mode))
		return;
	t->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd,
		      (off_t)off);
	if (t->map == MAP_FAILED)
		die("mmap");
}

typedef void *(*copy_fn)(void *dst, const void *src, size_t n);

/* Copy the whole mapping in 1 MiB chunks, to it or from it. */
static void map_copy(struct target *t, copy_fn copy, bool to_map)
{
	uint64_t o;

	for (o = 0; o < t->size; o += CHUNK)
		if (to_map)
			copy(t->map + o, t->buf, CHUNK);
		else
			copy(t->buf, t->map + o, CHUNK);
}

static void mmap_read(struct target *t)
{
	map_copy(t, memcpy, false);
}

static void mmap_write(struct target *t)
{
	map_copy(t, memcpy, true);
}

static void rw_read(struct target *t)
{
	uint64_t o;

	for (o = 0; o < t->size; o += CHUNK)
		if (pread(t->rw_fd, t->buf, CHUNK, (off_t)(t->off + o)) != CHUNK)
			die("pread");
}

static void rw_write(struct target *t)
{
	uint64_t o;

	for (o = 0; o < t->size; o += CHUNK)
		if (pwrite(t->rw_fd, t->buf, CHUNK, (off_t)(t->off + o)) != CHUNK)
			die("pwrite");
}

/*
 * The same copies with "rep movsb", the instruction the guest kernel's
 * copy_to_user()/copy_from_user() use on a CPU with ERMS: what read(2)
 * and write(2) can reach at best when that instruction is slow (QEMU TCG
 * runs it a byte at a time).
 */
static void *movsb(void *dst, const void *src, size_t n)
{
	void *ret = dst;

#if defined(__x86_64__)
	asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
#else
	memcpy(dst, src, n);
#endif
	return ret;
}

static void movsb_read(struct target *t)
{
	map_copy(t, movsb, false);
}

static void movsb_write(struct target *t)
{
	map_copy(t, movsb, true);
}

static unsigned long rand_ops;

/* xorshift64: the same offsets in every run and on every target. */
static void mmap_rand4k(struct target *t)
{
	uint64_t x = 88172645463325252ULL, pages = t->size / PAGE;
	unsigned long i;

	for (i = 0; i < rand_ops; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(t->buf, t->map + (x % pages) * PAGE, PAGE);
	}
}

struct test {
	const char *name;
	void (*run)(struct target *t);
	bool needs_rw;
	bool random;
};

static bool runs_on(const struct test *test, const struct target *t)
{
	return test->needs_rw ? t->rw_fd >= 0 : t->map != NULL;
}

static const struct test tests[] = {
	{ .name = "mmap_write", .run = mmap_write },
	{ .name = "mmap_read", .run = mmap_read },
	{ .name = "rw_write", .run = rw_write, .needs_rw = true },
	{ .name = "rw_read", .run = rw_read, .needs_rw = true },
	{ .name = "rand4k", .run = mmap_rand4k, .random = true },
	{ .name = "movsb_write", .run = movsb_write },
	{ .name = "movsb_read", .run = movsb_read },
};

#define NTESTS	(sizeof(tests) / sizeof(tests[0]))

static int cmd_data(int passes, uint64_t size, int n, char **args)
{
	struct target *t = calloc(n, sizeof(*t));
	double (*best)[NTESTS] = calloc(n, sizeof(*best)), t0, rate;
	size_t i;
	int p, k;

	if (!t || !best)
		die("calloc");
	for (k = 0; k < n; k++) {
		open_target(&t[k], args[k], size);
		if (t[k].map)
			mmap_write(&t[k]);
	}
	for (p = 0; p < passes; p++) {
		for (i = 0; i < NTESTS; i++) {
			for (k = 0; k < n; k++) {
				if (!runs_on(&tests[i], &t[k]))
					continue;
				t0 = now();
				tests[i].run(&t[k]);
				rate = tests[i].random ? rand_ops / (now() - t0) :
					size / (now() - t0) / CHUNK;
				if (rate > best[k][i])
					best[k][i] = rate;
			}
		}
	}
	for (k = 0; k < n; k++)
		for (i = 0; i < NTESTS; i++)
			if (best[k][i] > 0)
				printf("%s %s %.1f\n", t[k].name, tests[i].name,
				       best[k][i]);
	return 0;
}

static int cmd_faults(const char *path, uint64_t size)
{
	struct rusage r0, r1;
	volatile char *p;
	uint64_t o;
	int fd = open(path, O_RDWR);

	if (fd < 0)
		die(path);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	getrusage(RUSAGE_SELF, &r0);
	for (o = 0; o < size; o += PAGE)
		(void)p[o];
	getrusage(RUSAGE_SELF, &r1);
	printf("faults %llu %ld\n", (unsigned long long)size,
	       r1.ru_minflt - r0.ru_minflt);
	return 0;
}

static int cmd_mktree(const char *dir, unsigned long files)
{
	char path[4096];
	unsigned long i;
	int fd;

	for (i = 0; i < files; i++) {
		if (i % 100 == 0) {
			snprintf(path, sizeof(path), "%s/d%03lu", dir, i / 100);
			if (mkdir(path, 0755))
				die(path);
		}
		snprintf(path, sizeof(path), "%s/d%03lu/f%05lu", dir, i / 100, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			die(path);
	}
	return 0;
}

static int cmd_peak(const char *out, char **cmd)
{
	struct rusage ru;
	int status;
	FILE *fp;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(cmd[0], cmd);
		die(cmd[0]);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4");
	fp = fopen(out, "w");
	if (!fp || fprintf(fp, "%ld\n", ru.ru_maxrss) < 0 || fclose(fp))
		die(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: famfs-bench-data [-p PASSES] [-r RANDOPS] data SIZE NAME=PATH[@OFFSET]...\n"
		"       famfs-bench-data faults PATH SIZE\n"
		"       famfs-bench-data mktree DIR FILES\n"
		"       famfs-bench-data peak FILE CMD [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int passes = 3, c;

	rand_ops = 65536;
	while ((c = getopt(argc, argv, "p:r:")) != -1) {
		switch (c) {
		case 'p': passes = atoi(optarg); break;
		case 'r': rand_ops = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc >= 3 && !strcmp(argv[0], "data") && passes > 0 && rand_ops)
		return cmd_data(passes, parse_size(argv[1]), argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[0], "faults"))
		return cmd_faults(argv[1], parse_size(argv[2]));
	if (argc == 3 && !strcmp(argv[0], "mktree"))
		return cmd_mktree(argv[1], strtoul(argv[2], NULL, 0));
	if (argc >= 3 && !strcmp(argv[0], "peak"))
		return cmd_peak(argv[1], argv + 2);
	usage();
}
