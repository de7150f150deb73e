// SPDX-License-Identifier: GPL-2.0
/*
 * famfs rm, rmdir and mv on an image (offline: nothing to play locally):
 * what they log, and what they refuse before logging anything.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

static struct famfs_error err;
static struct famfs_fs fs;
static struct famfs_namer n;
static char logged[4096];

static void add(const char *path, bool dir)
{
	struct famfs_meta m = { .mode = dir ? S_IFDIR | 0755 : S_IFREG | 0644,
				.uid = getuid(), .gid = getgid() };

	ft_create(&fs, path, &m);
}

static void setup(void)
{
	ft_setup();
	memset(&err, 0, sizeof(err));
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	add("t", true);
	add("t/a", false);
	add("t/s", true);
	add("t/s/b", false);
	add("f", false);
	ck_assert_int_eq(famfs_namer_begin(&n, &fs, &err), 0);
}

static void teardown(void)
{
	famfs_namer_end(&n);
	famfs_fs_close(&fs);
	ft_teardown();
}

/* The DELETE and RENAME entries of the log, one "d PATH" or "r SRC DST" a line. */
static void read_log(void)
{
	static struct famfs_entry e;
	struct famfs_log_iter it;
	size_t len;

	ck_assert_int_eq(famfs_namer_commit(&n, &err), 0);
	logged[0] = '\0';
	famfs_log_iter_init(&it, &fs.log);
	while (famfs_log_iter_more(&it)) {
		ck_assert_int_eq(famfs_log_iter_next(&it, &e, &err), 0);
		len = strlen(logged);
		if (e.type == FAMFS_ENTRY_DELETE)
			snprintf(logged + len, sizeof(logged) - len, "d %.200s\n", e.path);
		else if (e.type == FAMFS_ENTRY_RENAME)
			snprintf(logged + len, sizeof(logged) - len, "r %.200s %.200s\n",
				 e.path, e.dst);
	}
}

START_TEST(test_rm_recursive_deepest_first)
{
	struct famfs_rm_opts o = { .recursive = true };

	ck_assert_int_eq(famfs_rm(&n, "t", &o, &err), 0);
	ck_assert_int_eq(famfs_rm(&n, "f", &o, &err), 0);
	read_log();
	ck_assert_str_eq(logged, "d t/s/b\nd t/a\nd t/s\nd t\nd f\n");
	ck_assert_uint_eq(n.deleted, 5);
}
END_TEST

START_TEST(test_rm_refusals)
{
	struct famfs_rm_opts plain = { 0 }, force = { .force = true };
	struct famfs_rm_opts dir_only = { .dir_only = true };

	ck_assert_int_eq(famfs_rm(&n, "nope", &plain, &err), -ENOENT);
	ck_assert_str_eq(err.msg, "nope: no such file or directory");
	ck_assert_int_eq(famfs_rm(&n, "nope", &force, &err), 0);
	ck_assert_int_eq(famfs_rm(&n, "t", &plain, &err), -EISDIR);
	ck_assert_msg(strstr(err.msg, "is a directory (famfs rm -r"), "%s", err.msg);
	ck_assert_int_eq(famfs_rm(&n, "t/s", &dir_only, &err), -ENOTEMPTY);
	ck_assert_int_eq(famfs_rm(&n, "f", &dir_only, &err), -ENOTDIR);
	ck_assert_int_eq(famfs_rm(&n, "", &plain, &err), -EBUSY);
	ck_assert_int_eq(famfs_rm(&n, "t/s/b", &plain, &err), 0);
	ck_assert_int_eq(famfs_rm(&n, "t/s", &dir_only, &err), 0);
	read_log();
	ck_assert_str_eq(logged, "d t/s/b\nd t/s\n");
}
END_TEST

START_TEST(test_mv)
{
	ck_assert_int_eq(famfs_mv(&n, "f", "t/s", &err), 0);	/* into a directory */
	ck_assert_int_eq(famfs_mv(&n, "t", "u", &err), 0);	/* a new name */
	ck_assert_int_eq(famfs_mv(&n, "u/s/f", "", &err), 0);	/* into the root */
	read_log();
	ck_assert_str_eq(logged, "r f t/s/f\nr t u\nr u/s/f f\n");
	ck_assert_uint_eq(n.renamed, 3);
}
END_TEST

START_TEST(test_mv_refusals)
{
	ck_assert_int_eq(famfs_mv(&n, "nope", "x", &err), -ENOENT);
	ck_assert_int_eq(famfs_mv(&n, "f", "t/a", &err), -EEXIST);
	ck_assert_str_eq(err.msg, "t/a: exists (famfs mv never replaces a file)");
	ck_assert_int_eq(famfs_mv(&n, "t", "t/s", &err), -EINVAL);
	ck_assert_int_eq(famfs_mv(&n, "f", ".meta/f", &err), -EPERM);
	ck_assert_int_eq(famfs_mv(&n, "f", "no/f", &err), -ENOENT);
	ck_assert_str_eq(err.msg, "no: no such directory");
	ck_assert_int_eq(famfs_mv(&n, "f", "t/a/f", &err), -ENOENT);
	ck_assert_int_eq(famfs_mv(&n, "", "x", &err), -EBUSY);
	read_log();
	ck_assert_str_eq(logged, "");
}
END_TEST

/* A 1.0 file system is refused before anything is logged. */
START_TEST(test_format_1_0)
{
	struct famfs_rm_opts o = { 0 };

	famfs_namer_end(&n);
	famfs_fs_close(&fs);
	ft_make_older(ft_path("img"), 0);
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	add("f", false);
	ck_assert_int_eq(famfs_namer_begin(&n, &fs, &err), 0);
	ck_assert_int_eq(famfs_rm(&n, "f", &o, &err), FAMFS_E_VERSION);
	ck_assert_msg(strstr(err.msg, "format 1.0, which has no delete or rename"),
		      "%s", err.msg);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_rm_recursive_deepest_first,
		test_rm_refusals,
		test_mv,
		test_mv_refusals,
		test_format_1_0,
		NULL,
	};

	return ft_main("ops_namer", setup, teardown, tests);
}
