// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-bench-log: how fast the master logs files and anyone parses them.
 * Each file costs what creating it costs in libfamfs: a 2 MiB allocation
 * from the bitmap, an encoded entry written and flushed, and the header
 * published per commit. The image is a sparse file in a temporary directory.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "famfs/libfamfs.h"

#define MIB		(1ULL << 20)
#define PARSE_ROUNDS	20

enum mode {
	MODE_BATCH,	/* commit every batch entries */
	MODE_SINGLE,	/* commit after each entry */
	MODE_SESSION,	/* begin, add, commit, end per entry */
};

struct bench {
	char dir[PATH_MAX];
	char img[PATH_MAX + 8];
	unsigned int nfiles;
	unsigned int batch;
	struct famfs_device dev;
	struct famfs_log log;
	struct famfs_alloc alloc;
	struct famfs_error err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(struct bench *b, const char *what)
{
	fprintf(stderr, "famfs-bench-log: %s: %s\n", what, b->err.msg);
	exit(1);
}

/* A fresh file system with room for every file, opened for appending. */
static void fresh_fs(struct bench *b)
{
	struct famfs_mkfs_opts opts = { .force = true };
	uint64_t size = FAMFS_SB_AREA + FAMFS_LOG_LEN_DEFAULT +
			(uint64_t)b->nfiles * FAMFS_ALLOC_UNIT;
	struct famfs_sb_info sb;
	int fd = open(b->img, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || ftruncate(fd, (off_t)size)) {
		perror(b->img);
		exit(1);
	}
	close(fd);
	if (famfs_mkfs(b->img, &opts, &sb, &b->err))
		die(b, "mkfs");
	if (famfs_device_open(&b->dev, b->img, FAMFS_DEV_RDWR, &b->err) ||
	    famfs_log_open(&b->log, &b->dev, &b->err))
		die(b, "open");
}

static void close_fs(struct bench *b)
{
	famfs_alloc_free(&b->alloc);
	famfs_log_append_end(&b->log);
	famfs_device_close(&b->dev);
}

static void add_one(struct bench *b, unsigned int i)
{
	static const struct famfs_meta meta = {
		.mode = 0100644, .size = FAMFS_ALLOC_UNIT,
	};
	struct famfs_extent_info ext[4];
	char path[48];
	uint32_t n;

	snprintf(path, sizeof(path), "bench/dir_%03u/file_%06u", i / 1000, i);
	if (famfs_alloc_extents(&b->alloc, meta.size, ext, 4, &n, &b->err) ||
	    famfs_log_add_file(&b->log, path, &meta, ext, n, &b->err))
		die(b, path);
}

static void begin(struct bench *b)
{
	if (famfs_log_append_begin(&b->log, &b->err))
		die(b, "begin");
}

static void commit(struct bench *b)
{
	if (famfs_log_commit(&b->log, &b->err))
		die(b, "commit");
}

/* Append nfiles entries in mode; returns seconds, bitmap build included. */
static double run_append(struct bench *b, enum mode mode)
{
	double t0;
	unsigned int i;

	fresh_fs(b);
	t0 = now();
	if (famfs_alloc_build(&b->alloc, &b->log, &b->err))
		die(b, "alloc");
	if (mode != MODE_SESSION)
		begin(b);
	for (i = 0; i < b->nfiles; i++) {
		if (mode == MODE_SESSION)
			begin(b);
		add_one(b, i);
		if (mode != MODE_BATCH || (i + 1) % b->batch == 0)
			commit(b);
		if (mode == MODE_SESSION)
			famfs_log_append_end(&b->log);
	}
	if (mode != MODE_SESSION)
		commit(b);
	return now() - t0;
}

static double run_parse(struct bench *b, uint64_t *entries)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	double t0 = now();
	int r;

	*entries = 0;
	for (r = 0; r < PARSE_ROUNDS; r++) {
		famfs_log_iter_init(&it, &b->log);
		while (famfs_log_iter_more(&it)) {
			if (famfs_log_iter_next(&it, e, &b->err))
				die(b, "parse");
			(*entries)++;
		}
	}
	free(e);
	return now() - t0;
}

static void report(const char *what, uint64_t n, double secs)
{
	printf("%-40s %7llu entries in %8.2f ms: %10.0f entries/s\n", what,
	       (unsigned long long)n, secs * 1e3, n / secs);
}

static void bench_all(struct bench *b)
{
	char label[64];
	uint64_t n;
	double t;

	printf("famfs-bench-log: %u files of 2 MiB, log %llu MiB, flush with %s\n",
	       b->nfiles, FAMFS_LOG_LEN_DEFAULT / MIB,
	       famfs_flush_method_name(famfs_flush_method()));
	snprintf(label, sizeof(label), "append, batch (commit every %u):", b->batch);
	report(label, b->nfiles, run_append(b, MODE_BATCH));
	close_fs(b);
	report("append, one at a time (commit each):", b->nfiles,
	       run_append(b, MODE_SINGLE));
	close_fs(b);
	report("append, one session per entry:", b->nfiles,
	       run_append(b, MODE_SESSION));
	printf("log used: %llu bytes for %u entries\n",
	       (unsigned long long)(b->log.hdr.next_off - FAMFS_LOG_ENTRIES_OFF),
	       b->nfiles);
	t = run_parse(b, &n);
	report("parse (iterate and validate):", n, t);
	close_fs(b);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: famfs-bench-log [-n FILES] [-b BATCH] [-d TMPDIR]\n"
		"  -n FILES  files to log (default 10000)\n"
		"  -b BATCH  entries per commit in the batch run (default 1000)\n"
		"  -d DIR    where to make the temporary directory (default $TMPDIR or /tmp)\n");
}

static void setup_dir(struct bench *b, const char *parent)
{
	char path[PATH_MAX + 16];

	snprintf(b->dir, sizeof(b->dir), "%s/famfs-bench.XXXXXX", parent);
	if (!mkdtemp(b->dir)) {
		perror(b->dir);
		exit(1);
	}
	snprintf(b->img, sizeof(b->img), "%s/img", b->dir);
	snprintf(path, sizeof(path), "%s/system_uuid", b->dir);
	setenv(FAMFS_SYSTEM_UUID_ENV, path, 1);
	snprintf(path, sizeof(path), "%s/lock", b->dir);
	setenv(FAMFS_LOCK_DIR_ENV, path, 1);
}

/* The directory holds the image, the system UUID file and the lock directory. */
static void cleanup_dir(struct bench *b)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->dir);
	if (system(cmd))
		fprintf(stderr, "famfs-bench-log: could not remove %s\n", b->dir);
}

int main(int argc, char **argv)
{
	static struct bench b = { .nfiles = 10000, .batch = 1000 };
	const char *parent = getenv("TMPDIR");
	int c;

	while ((c = getopt(argc, argv, "n:b:d:h")) != -1) {
		switch (c) {
		case 'n':
			b.nfiles = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'b':
			b.batch = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'd':
			parent = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!b.nfiles || !b.batch) {
		usage(stderr);
		return 2;
	}
	setup_dir(&b, parent && *parent ? parent : "/tmp");
	bench_all(&b);
	cleanup_dir(&b);
	return 0;
}
