/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared test fixtures: a private temporary directory per test, with this
 * host's system UUID and the log locks kept inside it.
 */
#ifndef FAMFS_TEST_H
#define FAMFS_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "famfs/libfamfs.h"

#define FT_MIB		(1ULL << 20)
#define FT_IMAGE_SIZE	(64 * FT_MIB)
/*
 * Entries a fresh log holds: mkfs logs GENERATION at seq 0 and HOST_TABLE
 * at seq 1.
 */
#define FT_MKFS_ENTRIES	2
/* Log offset of the first entry after mkfs's. */
#define FT_FIRST_OFF	(FAMFS_LOG_ENTRIES_OFF + \
			 2 * sizeof(struct famfs_entry_header) + \
			 sizeof(struct famfs_generation_payload) + \
			 sizeof(struct famfs_host_table_payload))
/*
 * The first allocation unit of file data with the default log: after the
 * superblock area and both log areas (unit 9, at 18 MiB).
 */
#define FT_DATA_UNIT	((FAMFS_LOG_OFFSET + FAMFS_LOG_AREAS * FAMFS_LOG_LEN_DEFAULT) / \
			 FAMFS_ALLOC_UNIT)
/* Allocation units of file data in an FT_IMAGE_SIZE image (23). */
#define FT_DATA_UNITS	(FT_IMAGE_SIZE / FAMFS_ALLOC_UNIT - FT_DATA_UNIT)

/* The test's directory (valid between ft_setup and ft_teardown). */
extern char ft_dir[256];

/* Make the directory and point FAMFS_SYSTEM_UUID_FILE/FAMFS_LOCK_DIR into it. */
void ft_setup(void);
/* Remove the directory and everything in it. */
void ft_teardown(void);
/*
 * ft_setup, then a fresh famfs (default log) in ft_path("img"), returned,
 * and nothing seen by fsck yet (ft_seen_reset).
 */
const char *ft_setup_fs(void);
/* dir/name, in one of a few rotating static buffers. */
const char *ft_path(const char *name);
/* A sparse regular file of size bytes. */
void ft_image(const char *path, uint64_t size);
/* An image of size bytes holding a fresh famfs (default log). */
void ft_mkfs(const char *path, uint64_t size);
/*
 * Make the fresh file system in the image at path one of format 1.minor
 * (before 1.3) as that format's mkfs wrote it: one log area and no
 * active-log record; from 1.2 a host table, whose HOST_TABLE entry is the
 * log's first (seq 0), before 1.2 neither. Whatever was logged after mkfs
 * is dropped. Not for an open image: reopen it after.
 */
void ft_make_older(const char *path, uint16_t minor);
/*
 * What a compaction does to the image at path (closed), without its
 * entries: start the log area not in use as generation g + 1 (its first
 * entries and header, as compaction seeds it), then, if switch_record,
 * write the active-log record copy of g + 1 naming it. Returns g + 1.
 */
uint64_t ft_switch_log(const char *path, bool switch_record);
/* XOR one byte of a file with mask. */
void ft_flip(const char *path, uint64_t off, uint8_t mask);
/* Write text to a file, replacing it. */
void ft_write_file(const char *path, const char *text);

/* An image opened read-write with its log. */
struct ft_fs {
	struct famfs_device dev;
	struct famfs_log log;
};

void ft_open(struct ft_fs *fs, const char *path);
void ft_close(struct ft_fs *fs);
/*
 * A mounted host "pinner" that has released the deletes below released, with
 * a system UUID (first byte slot + 1, the rest zero) and a nonce (0x5107 +
 * slot) of its slot's.
 */
struct famfs_host_info ft_host(uint32_t slot, uint64_t released);
/* Write h to a slot of fs's host table. */
void ft_put_host(struct ft_fs *fs, uint32_t slot, const struct famfs_host_info *h);
/* A live host-table slot that has released the deletes below released. */
void ft_pin(struct ft_fs *fs, uint32_t slot, uint64_t released);
/* Log an EVICT of the mount nonce of host uuid (committed in its own session). */
void ft_evict(struct ft_fs *fs, const uint8_t uuid[16], uint64_t nonce);
/* Append one file with these extents (committed in its own session). */
void ft_add_file(struct ft_fs *fs, const char *path, uint64_t size,
		 const struct famfs_extent_info *ext, uint32_t n);
/*
 * Publish an entry of len bytes that the test encoded at the writer's
 * cursor, as a master that skipped the library's checks would.
 */
void ft_publish(struct ft_fs *fs, size_t len);
/* One extent of units allocation units starting at unit first. */
struct famfs_extent_info ft_extent(uint64_t first, uint64_t units);

/* What fsck's callbacks (ft_fsck_ops) saw since ft_seen_reset(). */
struct ft_seen {
	unsigned int problems;
	unsigned int notes;
	int first_code;		/* of the first problem */
	char first[1024];	/* the first problem */
	char last[1024];	/* the last problem */
	char note[1024];	/* the first note */
};
extern struct ft_seen ft_seen;
extern const struct famfs_fsck_ops ft_fsck_ops;
void ft_seen_reset(void);

/* Offline, as the master makes them (helpers/ops_test.c). */
struct famfs_fs;
/* A directory or file (by m->mode) in fs, in a session of its own; */
void ft_create(struct famfs_fs *fs, const char *path,
	       const struct famfs_meta *m);
/* the same in the image img. */
void ft_create_in(const char *img, const char *path, const struct famfs_meta *m);
/*
 * famfs device add, offline, of a fresh image of size bytes at member to
 * the file system in img: the member added.
 */
struct famfs_member_info ft_add_member(const char *img, const char *member,
				       uint64_t size);
/*
 * Open ft_path("img") offline as fs, and make and open the directory
 * ft_path("root") to play it into (returned); close both and end the test.
 */
int ft_play_open(struct famfs_fs *fs);
void ft_play_close(struct famfs_fs *fs, int root_fd);

/*
 * Run the NULL-terminated tests as one suite with this fixture (either may be
 * NULL); returns main()'s exit status.
 */
int ft_main(const char *name, void (*setup)(void), void (*teardown)(void),
	    const TTest *const *tests);

#endif /* FAMFS_TEST_H */
