// SPDX-License-Identifier: GPL-2.0
/* Appending DELETE and RENAME, the 1.0 refusal, and unknown entry types. */
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_test.h"
#include "format_reseal.h"

static struct ft_fs fs;
static struct famfs_error err;
static struct famfs_entry entry;

static void setup(void)
{
	ft_setup();
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ft_open(&fs, ft_path("img"));
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	ft_close(&fs);
	ft_teardown();
}

/* Give the image's superblock another minor version and reopen it. */
static void set_minor(uint16_t minor)
{
	struct famfs_superblock *sb = (void *)fs.log.sb_buf;

	sb->version_minor = htole16(minor);
	test_fixed_reseal(sb, sizeof(*sb));
	ft_close(&fs);
	ft_open(&fs, ft_path("img"));
}

static void add_dir(const char *path)
{
	struct famfs_meta dm = { .mode = S_IFDIR | 0755 };

	ck_assert_int_eq(famfs_log_add_mkdir(&fs.log, path, &dm, &err), 0);
}

START_TEST(test_add_and_iterate)
{
	struct famfs_log_iter it;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	add_dir("d");
	ck_assert_int_eq(famfs_log_add_rename(&fs.log, "d", "e", &err), 0);
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "e", &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(fs.log.hdr.next_seq, 3);
	ck_assert_uint_eq(fs.log.hdr.next_off, 64 + 48 + 40 + 40);

	famfs_log_iter_init(&it, &fs.log);
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

START_TEST(test_bad_paths_write_nothing)
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

START_TEST(test_need_begin)
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
	add_dir("d");
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "d", &err), FAMFS_E_VERSION);
	ck_assert_msg(strstr(err.msg, "the file system is format 1.0, which has no delete or rename (format 1.1 and later)"),
		      "%s", err.msg);
	ck_assert_int_eq(famfs_log_add_rename(&fs.log, "d", "e", &err),
			 FAMFS_E_VERSION);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	ck_assert_uint_eq(fs.log.hdr.next_seq, 1);
}
END_TEST

/* Publish a MKDIR entry whose type is then changed to type. */
static void publish_typed(uint16_t type)
{
	struct famfs_entry_header *h;

	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	add_dir("d");
	h = (void *)(fs.log.log_buf + FAMFS_LOG_ENTRIES_OFF);
	h->type = htole16(type);
	test_entry_reseal(h);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
}

static void expect_type_error(const char *want)
{
	struct famfs_log_iter it;

	famfs_log_iter_init(&it, &fs.log);
	ck_assert_int_eq(famfs_log_iter_next(&it, &entry, &err), FAMFS_E_TYPE);
	ck_assert_msg(strstr(err.msg, want), "%s", err.msg);
}

START_TEST(test_unknown_type_newer_fs)
{
	publish_typed(7);
	set_minor(2);
	expect_type_error("log entry seq 0 has type 7, which this famfs (format 1.1) does not know; the file system is format 1.2: update famfs");
}
END_TEST

START_TEST(test_unknown_type_same_version)
{
	publish_typed(9);
	expect_type_error("log entry seq 0 has type 9, which format 1.1 (this famfs and the file system) does not define: the entry is damaged");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_add_and_iterate,
		test_bad_paths_write_nothing,
		test_need_begin,
		test_format_1_0_refuses,
		test_unknown_type_newer_fs,
		test_unknown_type_same_version,
		NULL,
	};

	return ft_main("log_nameops", setup, teardown, tests);
}
