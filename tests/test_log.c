// SPDX-License-Identifier: GPL-2.0
/*
 * The log: append (single, batch, full; DELETE, RENAME and EVICT), iterate,
 * corruption, unknown types, sessions, locks.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs_test.h"
#include "test_format_common.h"

static struct ft_fs fs;
static struct famfs_error err;
static struct famfs_entry entry;
/* The types of the entries mkfs logged, of the image's format (set_minor). */
static const uint16_t mkfs_types_1_3[] = {
	FAMFS_ENTRY_GENERATION, FAMFS_ENTRY_HOST_TABLE,
};
static const uint16_t *mkfs_types;
static uint64_t mkfs_entries;

static void setup(void)
{
	ft_setup();
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ft_open(&fs, ft_path("img"));
	memset(&err, 0, sizeof(err));
	mkfs_types = mkfs_types_1_3;
	mkfs_entries = FT_MKFS_ENTRIES;
}

static void teardown(void)
{
	ft_close(&fs);
	ft_teardown();
}

static const struct famfs_meta file_meta = { .mode = S_IFREG | 0644, .size = 4096 };

/* Add file name_N with one unit at data unit FT_DATA_UNIT + i (no commit). */
static int add_nth(int i)
{
	struct famfs_extent_info x = ft_extent(FT_DATA_UNIT + (uint64_t)i % FT_DATA_UNITS, 1);
	char path[32];

	snprintf(path, sizeof(path), "dir/file_%d", i);
	return famfs_log_add_file(&fs.log, path, &file_meta, &x, 1, &err);
}

/* Entries a fresh reader of the same image sees. */
static uint64_t count_entries(void)
{
	struct famfs_device dev;
	struct famfs_log log;
	struct famfs_log_iter it;
	uint64_t n = 0;

	ck_assert_int_eq(famfs_device_open(&dev, ft_path("img"), 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, NULL), 0);
	famfs_log_iter_init(&it, &log);
	while (famfs_log_iter_more(&it)) {
		ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
		ck_assert_uint_eq(entry.seq, n);
		n++;
	}
	ck_assert_int_eq(famfs_log_iter_finish(&it, &err), 0);
	famfs_device_close(&dev);
	return n;
}

/* Start iterating after the entries mkfs logged. */
static void iter_past_mkfs(struct famfs_log_iter *it)
{
	uint64_t i;

	famfs_log_iter_init(it, &fs.log);
	for (i = 0; i < mkfs_entries; i++) {
		ck_assert_int_eq(famfs_log_iter_next(it, &entry, &err), 0);
		ck_assert_uint_eq(entry.type, mkfs_types[i]);
	}
	ck_assert_uint_eq(it->seq, mkfs_entries);
}

/*
 * A fresh log is area 0 of generation 0, and holds GENERATION naming them,
 * then the host table's entry.
 */
START_TEST(test_fresh_log)
{
	struct famfs_log_iter it;

	ck_assert_uint_eq(fs.log.sb.geo.log_areas, FAMFS_LOG_AREAS);
	ck_assert_uint_eq(fs.log.gen.generation, 0);
	ck_assert_uint_eq(fs.log.gen.area, 0);
	ck_assert_ptr_eq(fs.log.log_buf, fs.log.areas);
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES);
	ck_assert_uint_eq(fs.log.hdr.next_off, FT_FIRST_OFF);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES);
	ck_assert_uint_eq(entry.type, FAMFS_ENTRY_HOST_TABLE);
	ck_assert_uint_eq(entry.seq, 1);
	ck_assert_uint_eq(entry.hosts_offset, fs.log.sb.hosts_offset);
	ck_assert_uint_eq(entry.hosts_count, fs.log.sb.hosts_count);
	famfs_log_iter_init(&it, &fs.log);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_uint_eq(entry.type, FAMFS_ENTRY_GENERATION);
	ck_assert_uint_eq(entry.seq, 0);
	ck_assert_uint_eq(entry.len, famfs_generation_entry_size());
	ck_assert_uint_eq(entry.generation, 0);
	ck_assert_uint_eq(entry.area, 0);
}
END_TEST

START_TEST(test_append_and_iterate)
{
	struct famfs_extent_info x[2] = {
		ft_extent(FT_DATA_UNIT + 2, 2), ft_extent(20, 1),
	};
	struct famfs_meta dm = { .mode = S_IFDIR | 0755, .uid = 7, .gid = 8 };
	struct famfs_extent_info got;
	struct famfs_log_iter it;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_mkdir(&fs.log, "a", &dm, &err), 0);
	ck_assert_int_eq(famfs_log_add_file(&fs.log, "a/b", &file_meta, x, 2, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + 2);

	iter_past_mkfs(&it);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_int_eq(entry.type, FAMFS_ENTRY_MKDIR);
	ck_assert_str_eq(entry.path, "a");
	ck_assert_uint_eq(entry.meta.uid, 7);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_int_eq(entry.type, FAMFS_ENTRY_FILE);
	ck_assert_str_eq(entry.path, "a/b");
	ck_assert_uint_eq(entry.meta.size, 4096);
	ck_assert_uint_eq(entry.n_extents, 2);
	famfs_entry_extent(&entry, 1, &got);
	ck_assert_uint_eq(got.offset, 20 * FAMFS_ALLOC_UNIT);
	ck_assert_uint_eq(got.len, FAMFS_ALLOC_UNIT);
	ck_assert(!famfs_log_iter_more(&it));
	ck_assert_uint_eq(it.off, fs.log.hdr.next_off);
}
END_TEST

START_TEST(test_batch_published_by_commit)
{
	int i;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(add_nth(i), 0);
	ck_assert_uint_eq(fs.log.cur.next_seq, FT_MKFS_ENTRIES + 100);
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES + 100);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + 100);
}
END_TEST

START_TEST(test_abort_drops_uncommitted)
{
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(add_nth(0), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	ck_assert_int_eq(add_nth(1), 0);
	famfs_log_abort(&fs.log);
	ck_assert_uint_eq(fs.log.cur.next_seq, FT_MKFS_ENTRIES + 1);
	ck_assert_int_eq(add_nth(2), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + 2);
	ck_assert_str_eq(entry.path, "dir/file_2");
}
END_TEST

START_TEST(test_end_without_commit_publishes_nothing)
{
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(add_nth(0), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES);
}
END_TEST

START_TEST(test_second_session_continues)
{
	struct ft_fs other;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(add_nth(0), 0);
	ck_assert_int_eq(add_nth(1), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);

	/* Another writer, opened before or after, starts from the header. */
	ft_open(&other, ft_path("img"));
	ck_assert_int_eq(famfs_log_append_begin(&other.log, &err), 0);
	ck_assert_uint_eq(other.log.cur.next_seq, FT_MKFS_ENTRIES + 2);
	ck_assert_uint_eq(other.log.cur.next_off, fs.log.hdr.next_off);
	ck_assert_int_eq(famfs_log_add_mkdir(&other.log, "d",
		&(struct famfs_meta){ .mode = S_IFDIR | 0755 }, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&other.log, &err), 0);
	ft_close(&other);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(entry.seq, FT_MKFS_ENTRIES + 2);
	ck_assert_str_eq(entry.path, "d");
}
END_TEST

/* A path of len bytes in components of at most 200. */
static void long_path(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (i % 200 == 199) ? '/' : 'p';
	p[len] = '\0';
	if (p[len - 1] == '/')
		p[len - 1] = 'q';
}

START_TEST(test_full_log_writes_nothing)
{
	static char path[4001];
	struct famfs_log_info before;
	uint8_t tail[8192];
	size_t free_bytes;
	int rc, n = 0;

	long_path(path, 4000);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	for (;;) {
		path[0] = 'a' + n % 26;
		rc = famfs_log_add_mkdir(&fs.log, path,
			&(struct famfs_meta){ .mode = S_IFDIR | 0755 }, &err);
		if (rc)
			break;
		n++;
	}
	ck_assert_int_eq(rc, FAMFS_E_LOG_FULL);
	ck_assert_int_eq(err.code, FAMFS_E_LOG_FULL);
	ck_assert_msg(strstr(err.msg, "log full"), "%s", err.msg);
	ck_assert_int_gt(n, 2000);
	before = fs.log.cur;
	free_bytes = fs.log.sb.geo.log_len - before.next_off;
	ck_assert_uint_lt(free_bytes, famfs_mkdir_entry_size(4000));
	memcpy(tail, fs.log.log_buf + before.next_off, free_bytes);

	/* Nothing moves and no byte is written by the refused entry. */
	ck_assert_int_eq(famfs_log_add_mkdir(&fs.log, path,
		&(struct famfs_meta){ .mode = S_IFDIR | 0755 }, &err), FAMFS_E_LOG_FULL);
	ck_assert_mem_eq(&fs.log.cur, &before, sizeof(before));
	ck_assert_mem_eq(fs.log.log_buf + before.next_off, tail, free_bytes);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + (uint64_t)n);
}
END_TEST

START_TEST(test_invalid_entry_refused)
{
	struct famfs_extent_info x = ft_extent(1, 1);	/* inside log area 0 */
	struct famfs_extent_info y = ft_extent(FT_DATA_UNIT - 1, 1);	/* area 1 */

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_file(&fs.log, "f", &file_meta, &x, 1, &err),
			 FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(famfs_log_add_file(&fs.log, "f", &file_meta, &y, 1, &err),
			 FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(famfs_log_add_file(&fs.log, "/abs", &file_meta, NULL, 0, &err),
			 FAMFS_E_PATH_ABS);
	ck_assert_msg(strstr(err.msg, "/abs: absolute path"), "%s", err.msg);
	ck_assert_uint_eq(fs.log.cur.next_seq, FT_MKFS_ENTRIES);
}
END_TEST

/* Three entries published, then one byte of the second flipped. */
static uint64_t publish_three(void)
{
	uint64_t second;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(add_nth(0), 0);
	second = fs.log.cur.next_off;
	ck_assert_int_eq(add_nth(1), 0);
	ck_assert_int_eq(add_nth(2), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	return second;
}

static void expect_bad_second(uint64_t second, int code)
{
	struct famfs_log_iter it;
	char want[96];

	iter_past_mkfs(&it);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), code);
	ck_assert_int_eq(err.code, code);
	ck_assert_uint_eq(it.off, second);
	ck_assert_uint_eq(it.seq, FT_MKFS_ENTRIES + 1);
	snprintf(want, sizeof(want), "log entry seq %d at log offset %#llx (device offset %#llx)",
		 FT_MKFS_ENTRIES + 1, (unsigned long long)second,
		 (unsigned long long)(FAMFS_LOG_OFFSET + second));
	ck_assert_msg(strstr(err.msg, want), "%s", err.msg);
	ck_assert_msg(strstr(err.msg, famfs_strerror(code)), "%s", err.msg);
}

START_TEST(test_corrupt_entry_detected)
{
	uint64_t second = publish_three();

	fs.log.log_buf[second + 40] ^= 0x10;
	expect_bad_second(second, FAMFS_E_CRC);
}
END_TEST

START_TEST(test_torn_entry_detected)
{
	uint64_t second = publish_three();

	/* The header was published but the entry never reached memory. */
	memset(fs.log.log_buf + second, 0, 24);
	expect_bad_second(second, FAMFS_E_LEN);
}
END_TEST

START_TEST(test_header_seq_mismatch)
{
	struct famfs_log_iter it;

	publish_three();
	fs.log.cur.next_seq = FT_MKFS_ENTRIES + 4;
	ck_assert_int_eq(famfs_log_header_encode(&fs.log.cur, fs.log.log_buf), 0);
	ck_assert_int_eq(famfs_log_refresh(&fs.log, &err), 0);
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES + 4);
	famfs_log_iter_init(&it, &fs.log);
	while (famfs_log_iter_more(&it))
		ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_int_eq(famfs_log_iter_finish(&it, &err), FAMFS_E_SEQ);
	ck_assert_msg(strstr(err.msg, "next_seq 6 but the log holds 5 entries"),
		      "%s", err.msg);
}
END_TEST

START_TEST(test_client_cannot_append)
{
	ft_write_file(ft_path("system_uuid"), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n");
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), -EPERM);
	ck_assert_msg(strstr(err.msg, "not the master"), "%s", err.msg);
	ck_assert_int_eq(fs.log.lock_fd, -1);
}
END_TEST

/*
 * Give the image's superblock a newer minor version, or make it an older
 * format's fresh file system (ft_make_older), and reopen it.
 */
static void set_minor(uint16_t minor)
{
	static const uint16_t mkfs_types_1_2[] = { FAMFS_ENTRY_HOST_TABLE };

	if (minor >= FAMFS_VERSION_MINOR_COMPACT)
		test_sb_set_minor((void *)fs.log.sb_buf, minor);
	ft_close(&fs);
	if (minor < FAMFS_VERSION_MINOR_COMPACT) {
		ft_make_older(ft_path("img"), minor);
		mkfs_types = mkfs_types_1_2;
		mkfs_entries = minor >= FAMFS_VERSION_MINOR_HOSTS ? 1 : 0;
	}
	ft_open(&fs, ft_path("img"));
}

/* A file system of a newer minor version is read, never appended to. */
START_TEST(test_newer_minor_cannot_append)
{
	set_minor(FAMFS_VERSION_MINOR + 1);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), FAMFS_E_VERSION);
	ck_assert_msg(strstr(err.msg, "format version 1.5 is newer than this famfs (1.4)"),
		      "%s", err.msg);
	ck_assert_int_eq(fs.log.lock_fd, -1);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES);
}
END_TEST

START_TEST(test_read_only_cannot_append)
{
	struct famfs_device dev;
	struct famfs_log log;

	ck_assert_int_eq(famfs_device_open(&dev, ft_path("img"), 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, NULL), 0);
	ck_assert_int_eq(famfs_log_append_begin(&log, &err), -EROFS);
	famfs_device_close(&dev);
}
END_TEST

START_TEST(test_add_needs_begin)
{
	ck_assert_int_eq(add_nth(0), -EINVAL);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), -EINVAL);
}
END_TEST

START_TEST(test_writer_holds_lock)
{
	char fsu[40], lock[300];
	int fd;

	uuid_unparse_lower(fs.log.sb.fs_uuid, fsu);
	snprintf(lock, sizeof(lock), "lock/%s.lock", fsu);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), -EBUSY);
	fd = open(ft_path(lock), O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	famfs_log_append_end(&fs.log);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
}
END_TEST

/* Writers in several processes, one session per entry, lose nothing. */
START_TEST(test_concurrent_writers)
{
	const int writers = 3, per_writer = 500;
	struct ft_fs mine;
	int w, i, status;
	pid_t pid;

	for (w = 0; w < writers; w++) {
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid)
			continue;
		ft_open(&mine, ft_path("img"));
		for (i = 0; i < per_writer; i++) {
			struct famfs_extent_info x = ft_extent(FT_DATA_UNIT, 1);
			char path[32];

			snprintf(path, sizeof(path), "w%d/f%d", w, i);
			if (famfs_log_append_begin(&mine.log, NULL) ||
			    famfs_log_add_file(&mine.log, path, &file_meta, &x, 1, NULL) ||
			    famfs_log_commit(&mine.log, NULL))
				_exit(1);
			famfs_log_append_end(&mine.log);
		}
		ft_close(&mine);
		_exit(0);
	}
	for (w = 0; w < writers; w++) {
		ck_assert_int_gt(wait(&status), 0);
		ck_assert(WIFEXITED(status));
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	ck_assert_uint_eq(count_entries(),
			  FT_MKFS_ENTRIES + (uint64_t)(writers * per_writer));
}
END_TEST

START_TEST(test_open_bad_superblock)
{
	struct famfs_device dev;
	struct famfs_log log;

	ft_flip(ft_path("img"), 70, 0x01);
	ck_assert_int_eq(famfs_device_open(&dev, ft_path("img"), 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, &err), FAMFS_E_CRC);
	ck_assert_msg(strstr(err.msg, "superblock (device offset 0): CRC mismatch"),
		      "%s", err.msg);
	ck_assert_msg(strstr(err.msg, ft_path("img")), "%s", err.msg);
	famfs_device_close(&dev);
}
END_TEST

START_TEST(test_open_bad_header)
{
	struct famfs_device dev;
	struct famfs_log log;

	ft_flip(ft_path("img"), FAMFS_LOG_OFFSET, 0x01);
	ck_assert_int_eq(famfs_device_open(&dev, ft_path("img"), 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, &err), FAMFS_E_MAGIC);
	ck_assert_msg(strstr(err.msg, "log header (device offset 0x200000)"),
		      "%s", err.msg);
	famfs_device_close(&dev);
}
END_TEST

START_TEST(test_open_truncated_device)
{
	struct famfs_device dev;
	struct famfs_log log;

	ck_assert_int_eq(truncate(ft_path("img"), 32 * FT_MIB), 0);
	ck_assert_int_eq(famfs_device_open(&dev, ft_path("img"), 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, &err), FAMFS_E_GEOMETRY);
	ck_assert_msg(strstr(err.msg, "says the device holds 67108864 bytes, it holds 33554432"),
		      "%s", err.msg);
	famfs_device_close(&dev);
}
END_TEST

static void add_dir_entry(const char *path)
{
	struct famfs_meta dm = { .mode = S_IFDIR | 0755 };

	ck_assert_int_eq(famfs_log_add_mkdir(&fs.log, path, &dm, &err), 0);
}

START_TEST(test_delete_rename_iterate)
{
	struct famfs_log_iter it;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	add_dir_entry("d");
	ck_assert_int_eq(famfs_log_add_rename(&fs.log, "d", "e", &err), 0);
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "e", &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(fs.log.hdr.next_off, FT_FIRST_OFF + 48 + 40 + 40);

	iter_past_mkfs(&it);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_uint_eq(entry.type, FAMFS_ENTRY_RENAME);
	ck_assert_str_eq(entry.path, "d");
	ck_assert_str_eq(entry.dst, "e");
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_uint_eq(entry.type, FAMFS_ENTRY_DELETE);
	ck_assert_str_eq(entry.path, "e");
	ck_assert_int_eq(famfs_log_iter_finish(&it, &err), 0);
}
END_TEST

START_TEST(test_nameop_bad_paths_write_nothing)
{
	uint64_t off = fs.log.cur.next_off;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "/abs", &err),
			 FAMFS_E_PATH_ABS);
	ck_assert_msg(strstr(err.msg, "/abs: absolute path"), "%s", err.msg);
	ck_assert_int_eq(famfs_log_add_rename(&fs.log, "a", "b/../c", &err),
			 FAMFS_E_PATH_DOT);
	ck_assert_msg(strstr(err.msg, "b/../c: "), "%s", err.msg);
	ck_assert_uint_eq(fs.log.cur.next_off, off);
	famfs_log_append_end(&fs.log);
}
END_TEST

START_TEST(test_nameops_need_begin)
{
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "a", &err), -EINVAL);
	ck_assert_int_eq(famfs_log_add_rename(&fs.log, "a", "b", &err), -EINVAL);
}
END_TEST

/* A 1.0 file system takes new files, never a DELETE or RENAME. */
START_TEST(test_format_1_0_refuses)
{
	set_minor(0);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	add_dir_entry("d");
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "d", &err), FAMFS_E_VERSION);
	ck_assert_msg(strstr(err.msg, "the file system is format 1.0, which has no delete or rename (format 1.1 and later)"),
		      "%s", err.msg);
	ck_assert_int_eq(famfs_log_add_rename(&fs.log, "d", "e", &err),
			 FAMFS_E_VERSION);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(fs.log.hdr.next_seq, 1);	/* mkfs 1.0 logged nothing */
}
END_TEST

static const uint8_t dead_host[16] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};

START_TEST(test_evict)
{
	struct famfs_log_iter it;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, dead_host, 0xfeedULL, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(fs.log.hdr.next_off, FT_FIRST_OFF + famfs_evict_entry_size());
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + 1);

	iter_past_mkfs(&it);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_uint_eq(entry.type, FAMFS_ENTRY_EVICT);
	ck_assert_mem_eq(entry.uuid, dead_host, 16);
	ck_assert_uint_eq(entry.nonce, 0xfeed);
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, dead_host, 1, &err), -EINVAL);
}
END_TEST

/* Without a host table (format 1.1) there is no slot to evict. */
START_TEST(test_evict_needs_host_table)
{
	set_minor(FAMFS_VERSION_MINOR_DELETE);
	ck_assert_uint_eq(fs.log.sb.hosts_offset, 0);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, dead_host, 1, &err),
			 FAMFS_E_VERSION);
	ck_assert_msg(strstr(err.msg, "the file system is format 1.1, which has no host table (format 1.2 and later)"),
		      "%s", err.msg);
	ck_assert_uint_eq(fs.log.cur.next_off, fs.log.hdr.next_off);
	famfs_log_append_end(&fs.log);
}
END_TEST

START_TEST(test_evict_log_full)
{
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	fs.log.cur.next_off = fs.log.sb.geo.log_len - famfs_evict_entry_size() + 8;
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, dead_host, 1, &err),
			 FAMFS_E_LOG_FULL);
	ck_assert_msg(strstr(err.msg, "log full: an entry of 56 bytes does not fit in the 48 free bytes"),
		      "%s", err.msg);
	ck_assert_ptr_null(strstr(err.msg, "path"));
	famfs_log_append_end(&fs.log);
}
END_TEST

/* Publish a MKDIR entry (after mkfs's) whose type is then changed to type. */
static void publish_typed(uint16_t type)
{
	struct famfs_entry_header *h;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	h = (void *)(fs.log.log_buf + fs.log.cur.next_off);
	add_dir_entry("d");
	h->type = htole16(type);
	test_entry_reseal(h);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
}

static void expect_type_error(const char *want)
{
	struct famfs_log_iter it;

	iter_past_mkfs(&it);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), FAMFS_E_TYPE);
	ck_assert_msg(strstr(err.msg, want), "%s", err.msg);
}

START_TEST(test_unknown_type_newer_fs)
{
	publish_typed(9);
	set_minor(5);
	expect_type_error("log entry seq 2 has type 9, which this famfs (format 1.4) does not know; the file system is format 1.5: update famfs");
}
END_TEST

START_TEST(test_unknown_type_same_version)
{
	publish_typed(9);
	expect_type_error("log entry seq 2 has type 9, which format 1.4 (this famfs and the file system) does not define: the entry is damaged");
}
END_TEST

/* Types 9 .. 15 are reserved: no format defines them yet. */
START_TEST(test_unknown_type_reserved)
{
	publish_typed(15);
	expect_type_error("log entry seq 2 has type 15, which format 1.4 (this famfs and the file system) does not define");
}
END_TEST

START_TEST(test_unknown_type_older_fs)
{
	set_minor(1);
	publish_typed(9);
	expect_type_error("log entry seq 0 has type 9, which neither the file system's format 1.1 nor this famfs's 1.4 defines: the entry is damaged");
}
END_TEST

/*
 * A file system of format 1.2 keeps one log area, with HOST_TABLE at seq
 * 0, takes entries after it, and has file data right after its log.
 */
START_TEST(test_format_1_2_one_area)
{
	struct famfs_extent_info x = ft_extent((FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT) /
					       FAMFS_ALLOC_UNIT, 1);
	struct famfs_log_iter it;

	set_minor(FAMFS_VERSION_MINOR_HOSTS);
	ck_assert_uint_eq(fs.log.sb.version_minor, FAMFS_VERSION_MINOR_HOSTS);
	ck_assert_uint_eq(fs.log.sb.geo.log_areas, 1);
	ck_assert_uint_eq(fs.log.sb.logrec_offset, 0);
	ck_assert_ptr_eq(fs.log.log_buf, fs.log.areas);
	ck_assert_uint_eq(fs.log.hdr.next_seq, 1);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_file(&fs.log, "dir/file_0", &file_meta, &x, 1, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(count_entries(), 2);
	iter_past_mkfs(&it);
	ck_assert_uint_eq(it.seq, 1);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_str_eq(entry.path, "dir/file_0");
	ck_assert_int_eq(famfs_log_iter_finish(&it, &err), 0);
}
END_TEST

/*
 * After a switch to area 1 (generation 1), the log is read and appended
 * there: area 0 is left as it was.
 */
START_TEST(test_switched_area)
{
	struct famfs_log_info before;
	struct famfs_log_iter it;
	uint8_t *area0;

	ft_close(&fs);
	ck_assert_uint_eq(ft_switch_log(ft_path("img"), true), 1);
	ft_open(&fs, ft_path("img"));
	area0 = fs.log.areas;
	ck_assert_uint_eq(fs.log.gen.generation, 1);
	ck_assert_uint_eq(fs.log.gen.area, 1);
	ck_assert_ptr_eq(fs.log.log_buf, fs.log.areas + FAMFS_LOG_LEN_DEFAULT);
	ck_assert_uint_eq(famfs_log_dev_off(&fs.log, 0),
			  FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT);
	ck_assert_int_eq(famfs_log_header_decode(area0, sizeof(struct famfs_log_header),
						 &fs.log.sb.geo, &before), 0);
	famfs_log_iter_init(&it, &fs.log);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), 0);
	ck_assert_uint_eq(entry.type, FAMFS_ENTRY_GENERATION);
	ck_assert_uint_eq(entry.generation, 1);
	ck_assert_uint_eq(entry.area, 1);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(add_nth(0), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(count_entries(), FT_MKFS_ENTRIES + 1);
	ck_assert_str_eq(entry.path, "dir/file_0");
	/* Area 0's header is generation 0's, untouched. */
	ck_assert_int_eq(famfs_log_header_decode(area0, sizeof(struct famfs_log_header),
						 &fs.log.sb.geo, &fs.log.cur), 0);
	ck_assert_mem_eq(&fs.log.cur, &before, sizeof(before));
	fs.log.cur = fs.log.hdr;
}
END_TEST

/* A log refreshed after a switch follows the record to the other area. */
START_TEST(test_refresh_follows_switch)
{
	ck_assert_uint_eq(ft_switch_log(ft_path("img"), true), 1);
	ck_assert_ptr_eq(fs.log.log_buf, fs.log.areas);
	ck_assert_int_eq(famfs_log_refresh(&fs.log, &err), 0);
	ck_assert_uint_eq(fs.log.gen.generation, 1);
	ck_assert_uint_eq(fs.log.gen.area, 1);
	ck_assert_ptr_eq(fs.log.log_buf, fs.log.areas + FAMFS_LOG_LEN_DEFAULT);
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES);
}
END_TEST

/* No valid record copy: the log cannot be opened, and the message says why. */
START_TEST(test_open_no_record)
{
	struct famfs_device dev;
	struct famfs_log log;

	ft_close(&fs);
	ft_flip(ft_path("img"), FAMFS_LOGREC_OFFSET, 0x01);
	ck_assert_int_eq(famfs_device_open(&dev, ft_path("img"), 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, &err), FAMFS_E_MAGIC);
	ck_assert_msg(strstr(err.msg, "active-log record (device offset 0x8000): no valid copy: bad magic number"),
		      "%s", err.msg);
	famfs_device_close(&dev);
	ft_flip(ft_path("img"), FAMFS_LOGREC_OFFSET, 0x01);
	ft_open(&fs, ft_path("img"));
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_fresh_log,
		test_append_and_iterate,
		test_batch_published_by_commit,
		test_abort_drops_uncommitted,
		test_end_without_commit_publishes_nothing,
		test_second_session_continues,
		test_full_log_writes_nothing,
		test_invalid_entry_refused,
		test_corrupt_entry_detected,
		test_torn_entry_detected,
		test_header_seq_mismatch,
		test_client_cannot_append,
		test_newer_minor_cannot_append,
		test_read_only_cannot_append,
		test_add_needs_begin,
		test_writer_holds_lock,
		test_concurrent_writers,
		test_open_bad_superblock,
		test_open_bad_header,
		test_open_truncated_device,
		test_delete_rename_iterate,
		test_nameop_bad_paths_write_nothing,
		test_nameops_need_begin,
		test_format_1_0_refuses,
		test_evict,
		test_evict_needs_host_table,
		test_evict_log_full,
		test_unknown_type_newer_fs,
		test_unknown_type_same_version,
		test_unknown_type_reserved,
		test_unknown_type_older_fs,
		test_format_1_2_one_area,
		test_switched_area,
		test_refresh_follows_switch,
		test_open_no_record,
		NULL,
	};

	return ft_main("log", setup, teardown, tests);
}
