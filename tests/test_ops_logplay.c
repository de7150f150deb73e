// SPDX-License-Identifier: GPL-2.0
/*
 * Log play planning on an image, into a plain directory: what would be
 * created, what exists, what differs; resuming from a cursor plays only
 * newer entries. (Mapping files needs famfs.ko: the smoke tests do that.)
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

static struct famfs_error err;
static struct famfs_fs fs;
static int root_fd;
static char reported[4096];

static void report(void *arg, const char *what, const char *path)
{
	size_t len = strlen(reported);

	(void)arg;
	snprintf(reported + len, sizeof(reported) - len, "%s %s\n", what, path);
}

static void add(const char *path, bool dir)
{
	struct famfs_meta m = { .mode = (dir ? S_IFDIR | 0711 : S_IFREG | 0600),
				.uid = getuid(), .gid = getgid(),
				.size = dir ? 0 : 100 };

	ft_create_in(ft_path("img"), path, &m);
}

static void setup(void)
{
	ft_setup();
	memset(&err, 0, sizeof(err));
	reported[0] = '\0';
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	add("a", true);
	add("a/f", false);
	add("g", false);
	root_fd = ft_play_open(&fs);
}

static void teardown(void)
{
	ft_play_close(&fs, root_fd);
}

START_TEST(test_dry_run_plans_everything)
{
	struct famfs_play_opts o = { .dry_run = true, .report = report };
	struct famfs_play_stats st = { 0 };

	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, NULL, &st, &err), 0);
	ck_assert_uint_eq(st.entries, FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(st.created_dirs, 1);
	ck_assert_uint_eq(st.created_files, 2);
	ck_assert_str_eq(reported, "mkdir a\ncreate a/f\ncreate g\n");
	ck_assert_int_eq(access(ft_path("root/a"), F_OK), -1);	/* nothing made */
}
END_TEST

/* HOST_TABLE and EVICT are played as entries that change nothing. */
START_TEST(test_host_entries_change_nothing)
{
	static const uint8_t host[16] = { 1 };
	struct famfs_play_opts o = { .dry_run = true, .report = report };
	struct famfs_play_stats st = { 0 };
	struct famfs_fs w;

	ck_assert_int_eq(famfs_fs_open(&w, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_int_eq(famfs_log_append_begin(&w.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_evict(&w.log, host, 7, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&w.log, &err), 0);
	famfs_log_append_end(&w.log);
	famfs_fs_close(&w);
	ck_assert_int_eq(famfs_log_refresh(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, NULL, &st, &err), 0);
	ck_assert_uint_eq(st.entries, FT_MKFS_ENTRIES + 4);
	ck_assert_uint_eq(st.created_dirs + st.created_files, 3);
	ck_assert_uint_eq(st.errors, 0);
	ck_assert_str_eq(reported, "mkdir a\ncreate a/f\ncreate g\n");
}
END_TEST

/* Local paths a (a directory) and g (a plain file, not famfs) with these modes. */
static void make_local(mode_t a_mode, mode_t g_mode)
{
	ck_assert_int_eq(mkdir(ft_path("root/a"), 0), 0);
	ck_assert_int_eq(chmod(ft_path("root/a"), a_mode), 0);
	ft_write_file(ft_path("root/g"), "not famfs");
	ck_assert_int_eq(chmod(ft_path("root/g"), g_mode), 0);
}

START_TEST(test_existing_and_mismatched)
{
	struct famfs_play_opts o = { .dry_run = true, .report = report };
	struct famfs_play_stats st = { 0 };

	make_local(0711, 0600);
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, NULL, &st, &err), 0);
	ck_assert_uint_eq(st.existing, 1);
	ck_assert_uint_eq(st.mismatches, 1);
	ck_assert_uint_eq(st.created_files, 1);
	ck_assert_str_eq(reported, "exists a\ncreate a/f\nmismatch (not a famfs file) g\n");
}
END_TEST

/* A local mode or owner other than the logged one is a mismatch. */
START_TEST(test_mode_and_owner_compared)
{
	struct famfs_play_opts o = { .dry_run = true, .report = report };
	struct famfs_play_stats st = { 0 };

	make_local(0755, 0400);	/* g: a client's 0600 */
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, NULL, &st, &err), 0);
	ck_assert_uint_eq(st.mismatches, 2);
	ck_assert_str_eq(reported, "mismatch (mode 0755, the log says 0711) a\n"
				   "create a/f\n"
				   "mismatch (not a famfs file) g\n");
	if (getuid() != 0)
		return;
	reported[0] = '\0';
	ck_assert_int_eq(chmod(ft_path("root/a"), 0711), 0);
	ck_assert_int_eq(chown(ft_path("root/a"), 1234, getgid()), 0);
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, NULL, &st, &err), 0);
	ck_assert_msg(strstr(reported, "mismatch (owner 1234:0, the log says 0:0) a\n"),
		      "%s", reported);
}
END_TEST

START_TEST(test_play_makes_dirs_and_reports_map_failures)
{
	struct famfs_play_opts o = { .report = report };
	struct famfs_play_stats st = { 0 };
	struct stat sb;

	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, NULL, &st, &err), 0);
	ck_assert_uint_eq(st.created_dirs, 1);
	ck_assert_uint_eq(st.errors, 2);	/* a plain directory cannot map */
	ck_assert_int_eq(stat(ft_path("root/a"), &sb), 0);
	ck_assert_uint_eq(sb.st_mode, S_IFDIR | 0711);
	ck_assert_ptr_nonnull(strstr(reported,
		"error (a/f: cannot map: Inappropriate ioctl for device) a/f\n"));
}
END_TEST

START_TEST(test_cursor_plays_only_new_entries)
{
	struct famfs_play_opts o = { .dry_run = true, .report = report };
	struct famfs_play_stats st = { 0 };
	struct famfs_play_cursor cur = { 0 };

	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, &cur, &st, &err), 0);
	ck_assert_uint_eq(cur.seq, FT_MKFS_ENTRIES + 3);
	add("h", false);
	ck_assert_int_eq(famfs_log_refresh(&fs.log, &err), 0);
	reported[0] = '\0';
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, &cur, &st, &err), 0);
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_str_eq(reported, "create h\n");
	ck_assert_uint_eq(cur.seq, FT_MKFS_ENTRIES + 4);
}
END_TEST

START_TEST(test_bad_entry_is_not_played)
{
	struct famfs_play_opts o = { .dry_run = true, .report = report };
	struct famfs_play_stats st = { 0 };
	struct famfs_play_cursor cur = { 0 };
	uint64_t second;

	famfs_fs_close(&fs);
	/* Damage the second entry (a/f): its CRC no longer matches. */
	second = FAMFS_LOG_OFFSET + FT_FIRST_OFF + famfs_mkdir_entry_size(1);
	ft_flip(ft_path("img"), second + 30, 0x01);
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"), FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, &cur, &st, &err),
			 FAMFS_E_CRC);
	ck_assert_str_eq(reported, "mkdir a\n");
	ck_assert_uint_eq(cur.seq, FT_MKFS_ENTRIES + 1);	/* stays on the bad entry */
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_dry_run_plans_everything,
		test_host_entries_change_nothing,
		test_existing_and_mismatched,
		test_mode_and_owner_compared,
		test_play_makes_dirs_and_reports_map_failures,
		test_cursor_plays_only_new_entries,
		test_bad_entry_is_not_played,
		NULL,
	};

	return ft_main("ops_logplay", setup, teardown, tests);
}
