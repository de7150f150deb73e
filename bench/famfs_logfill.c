// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-bench-fill: fill the log of a new image through libfamfs.
 *
 *   famfs-bench-fill [-e] [-n MAX] IMAGE
 *   famfs-bench-fill -t -n MAX FS
 *
 * Makes IMAGE (sparse, with a 2 MiB unit for every file it may log) with the
 * default 8 MiB log and logs files with 32-byte names, each of one 2 MiB
 * extent (-e: empty, no extent), 1000 to a directory, until MAX files or
 * until the log is full (FAMFS_E_LOG_FULL). Prints "files N full|max
 * LOGBYTES": the images it leaves are what famfs fsck is timed on.
 *
 * -t logs into the file system FS (a device or image made by mkfs.famfs,
 * with any log size, not mounted) as it is, and logs the tree
 * famfs-bench-data mktree makes: empty files, 100 to a directory
 * (d000/f00000 ...). A log made this way in seconds is what a mount plays
 * when it is timed against making the same tree on tmpfs.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "famfs/libfamfs.h"

#define COMMIT_EVERY	1000
/* Room in the image when no -n is given: more than an 8 MiB log can hold. */
#define DEFAULT_MAX	200000

struct fill {
	struct famfs_device dev;
	struct famfs_log log;
	struct famfs_alloc alloc;
	struct famfs_error err;
};

static void die(struct fill *f, const char *what)
{
	fprintf(stderr, "famfs-bench-fill: %s: %s\n", what, f->err.msg);
	exit(1);
}

static void make_image(struct fill *f, const char *img, unsigned int max)
{
	struct famfs_mkfs_opts opts = { .force = true };
	struct famfs_sb_info sb;
	FILE *fp = fopen(img, "w");

	if (!fp || ftruncate(fileno(fp), (off_t)(FAMFS_SB_AREA +
	    FAMFS_LOG_LEN_DEFAULT + (uint64_t)(max + 1) * FAMFS_ALLOC_UNIT))) {
		perror(img);
		exit(1);
	}
	fclose(fp);
	if (famfs_mkfs(img, &opts, &sb, &f->err))
		die(f, "mkfs");
}

/* Open the file system at path for appending (the allocator too, if files take units). */
static void open_fs(struct fill *f, const char *path, bool empty)
{
	if (famfs_device_open(&f->dev, path, FAMFS_DEV_RDWR, &f->err) ||
	    famfs_log_open(&f->log, &f->dev, &f->err) ||
	    famfs_log_append_begin(&f->log, &f->err) ||
	    (!empty && famfs_alloc_build(&f->alloc, &f->log, &f->err)))
		die(f, "open");
}

/*
 * Log one file (its directory first); false when the log is full. tree:
 * the names and directories of famfs-bench-data mktree.
 */
static bool add(struct fill *f, unsigned int i, bool empty, bool tree)
{
	const struct famfs_meta dir = { .mode = 040755 };
	struct famfs_meta meta = { .mode = 0100644 };
	unsigned int per_dir = tree ? 100 : 1000;
	struct famfs_extent_info ext[1];
	char path[64];
	uint32_t n = 0;

	if (i % per_dir == 0) {
		snprintf(path, sizeof(path), "d%03u", i / per_dir);
		if (famfs_log_add_mkdir(&f->log, path, &dir, &f->err))
			goto err;
	}
	if (tree)
		snprintf(path, sizeof(path), "d%03u/f%05u", i / per_dir, i);
	else	/* "d000/" and a 32-byte name */
		snprintf(path, sizeof(path), "d%03u/file-%026u", i / per_dir, i);
	if (!empty) {
		meta.size = FAMFS_ALLOC_UNIT;
		if (famfs_alloc_extents(&f->alloc, meta.size, ext, 1, &n, &f->err))
			die(f, "alloc");
	}
	if (!famfs_log_add_file(&f->log, path, &meta, ext, n, &f->err))
		return true;
	famfs_alloc_release(&f->alloc, ext, n);
err:
	if (f->err.code != FAMFS_E_LOG_FULL)
		die(f, path);
	return false;
}

int main(int argc, char **argv)
{
	unsigned int max = DEFAULT_MAX, i;
	bool empty = false, full = false, tree = false;
	struct fill f = { 0 };
	int c;

	while ((c = getopt(argc, argv, "en:t")) != -1) {
		switch (c) {
		case 'e': empty = true; break;
		case 'n': max = strtoul(optarg, NULL, 0); break;
		case 't': tree = empty = true; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || !max)
		goto usage;
	if (!tree)
		make_image(&f, argv[optind], max);
	open_fs(&f, argv[optind], empty);
	for (i = 0; i < max; i++) {
		if (!add(&f, i, empty, tree)) {
			full = true;
			break;
		}
		if ((i + 1) % COMMIT_EVERY == 0 && famfs_log_commit(&f.log, &f.err))
			die(&f, "commit");
	}
	if (famfs_log_commit(&f.log, &f.err))
		die(&f, "commit");
	printf("files %u %s %llu\n", i, full ? "full" : "max",
	       (unsigned long long)(f.log.hdr.next_off - FAMFS_LOG_ENTRIES_OFF));
	famfs_alloc_free(&f.alloc);
	famfs_log_append_end(&f.log);
	famfs_device_close(&f.dev);
	return 0;
usage:
	fprintf(stderr, "usage: famfs-bench-fill [-e] [-n MAX] IMAGE\n"
		"       famfs-bench-fill -t -n MAX FS\n");
	return 2;
}
