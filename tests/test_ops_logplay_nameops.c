// SPDX-License-Identifier: GPL-2.0
/*
 * Log play of DELETE and RENAME into a plain directory (directories need
 * no famfs.ko): applied in order, and a replay changes nothing.
 */
#include <check.h>
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
static struct famfs_play_stats st;

static void report(void *arg, const char *what, const char *path)
{
	size_t len = strlen(reported);

	(void)arg;
	snprintf(reported + len, sizeof(reported) - len, "%s %s\n", what, path);
}

/* Log "m PATH" (mkdir), "d PATH" (delete), "r SRC DST", "f PATH" (empty file). */
static void log_ops(const char *const *ops)
{
	struct famfs_meta dm = { .mode = S_IFDIR | 0755, .uid = getuid(),
				 .gid = getgid() };
	struct famfs_meta fm = { .mode = S_IFREG | 0644, .uid = getuid(),
				 .gid = getgid() };
	struct famfs_fs wfs;
	char src[64], dst[64];
	int rc = 0;

	ck_assert_int_eq(famfs_fs_open(&wfs, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_int_eq(famfs_log_append_begin(&wfs.log, &err), 0);
	for (; *ops; ops++) {
		ck_assert_int_ge(sscanf(*ops + 2, "%63s %63s", src, dst), 1);
		if (**ops == 'm')
			rc = famfs_log_add_mkdir(&wfs.log, src, &dm, &err);
		else if (**ops == 'f')
			rc = famfs_log_add_file(&wfs.log, src, &fm, NULL, 0, &err);
		else if (**ops == 'd')
			rc = famfs_log_add_delete(&wfs.log, src, &err);
		else
			rc = famfs_log_add_rename(&wfs.log, src, dst, &err);
		ck_assert_msg(!rc, "%s", err.msg);
	}
	ck_assert_int_eq(famfs_log_commit(&wfs.log, &err), 0);
	famfs_log_append_end(&wfs.log);
	famfs_fs_close(&wfs);
	ck_assert_int_eq(famfs_log_refresh(&fs.log, &err), 0);
}

static void play(bool dry_run, struct famfs_play_cursor *cur)
{
	struct famfs_play_opts o = { .dry_run = dry_run, .report = report };

	reported[0] = '\0';
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(famfs_logplay(&fs.log, root_fd, &o, cur, &st, &err), 0);
}

static bool is_dir(const char *rel)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", ft_path("root"), rel);
	return !stat(path, &sb) && S_ISDIR(sb.st_mode);
}

static void setup(void)
{
	ft_setup();
	memset(&err, 0, sizeof(err));
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	root_fd = ft_play_open(&fs);
}

static void teardown(void)
{
	ft_play_close(&fs, root_fd);
}

static const char *const tree[] = {
	"m a", "m a/b", "m c", "r a x", "d c", "m c", NULL,
};

/* Deleted-later entries are never made; a moved one is made, then moved. */
START_TEST(test_fresh_play)
{
	log_ops(tree);
	play(false, NULL);
	ck_assert_str_eq(reported, "mkdir a\nmkdir a/b\ngone c\nrename a -> x\n"
				   "gone c\nmkdir c\n");
	ck_assert_uint_eq(st.renamed, 1);
	ck_assert(is_dir("x/b") && is_dir("c") && !is_dir("a"));
}
END_TEST

/* Replaying a played log changes nothing and reports nothing to do. */
START_TEST(test_replay_changes_nothing)
{
	log_ops(tree);
	play(false, NULL);
	play(false, NULL);
	ck_assert_str_eq(reported, "exists a\nexists a/b\ngone c\nexists a -> x\n"
				   "gone c\nexists c\n");
	ck_assert_uint_eq(st.existing, 6);
	ck_assert_uint_eq(st.deleted + st.renamed + st.created_dirs + st.errors, 0);
	ck_assert(is_dir("x/b") && is_dir("c"));
}
END_TEST

/* A follower plays new deletes and renames from its cursor. */
START_TEST(test_cursor_applies_in_order)
{
	static const char *const more[] = {
		"d x/b", "r x y", "m x", "r c y/c", NULL,
	};
	struct famfs_play_cursor cur = { 0 };

	log_ops(tree);
	play(false, &cur);
	log_ops(more);
	play(false, &cur);
	ck_assert_str_eq(reported, "delete x/b\nrename x -> y\nmkdir x\n"
				   "rename c -> y/c\n");
	ck_assert_uint_eq(st.deleted, 1);
	ck_assert_uint_eq(st.renamed, 2);
	ck_assert(is_dir("y/c") && is_dir("x") && !is_dir("c") && !is_dir("y/b"));
	play(false, NULL);
	ck_assert_uint_eq(st.existing, 10);
	ck_assert_uint_eq(st.deleted + st.renamed + st.created_dirs + st.errors, 0);
}
END_TEST

/* A tree that missed a delete and a rename catches up on a full play. */
START_TEST(test_behind_catches_up)
{
	static const char *const first[] = { "m a", "m a/b", "m d", NULL };
	static const char *const later[] = { "d a/b", "r a z", "d d", NULL };

	log_ops(first);
	play(false, NULL);
	log_ops(later);
	play(false, NULL);
	ck_assert_str_eq(reported, "exists a\ngone a/b\ngone d\ndelete a/b\n"
				   "rename a -> z\ndelete d\n");
	ck_assert(is_dir("z") && !is_dir("a") && !is_dir("d"));
}
END_TEST

/* Dry run: files deleted later are planned as gone, nothing changes. */
START_TEST(test_dry_run)
{
	static const char *const ops[] = { "m a", "f a/f", "d a/f", "r a b", NULL };

	log_ops(ops);
	play(true, NULL);
	ck_assert_str_eq(reported, "mkdir a\ngone a/f\ngone a/f\ngone a -> b\n");
	ck_assert(!is_dir("a") && !is_dir("b"));
}
END_TEST

/* An entry that breaks the namespace is an error; play goes on. */
START_TEST(test_broken_entry)
{
	static const char *const ops[] = { "d nothing", "m a", "d a", NULL };

	log_ops(ops);
	play(false, NULL);
	ck_assert_str_eq(reported,
			 "error (seq 2: does not exist at that point of the log) nothing\n"
			 "gone a\ngone a\n");
	ck_assert_uint_eq(st.errors, 1);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_fresh_play,
		test_replay_changes_nothing,
		test_cursor_applies_in_order,
		test_behind_catches_up,
		test_dry_run,
		test_broken_entry,
		NULL,
	};

	return ft_main("ops_logplay_nameops", setup, teardown, tests);
}
