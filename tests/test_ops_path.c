// SPDX-License-Identifier: GPL-2.0
/* Path handling of the famfs commands: normalising, cp targets, mounts. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

static void normalized(const char *in, const char *want)
{
	char buf[256];

	strcpy(buf, in);
	famfs_path_normalize(buf);
	ck_assert_str_eq(buf, want);
}

START_TEST(test_normalize)
{
	normalized("/", "/");
	normalized("//a//b/", "/a/b");
	normalized("/a/./b/.", "/a/b");
	normalized("/a/b/../c", "/a/c");
	normalized("/a/../..", "/");
	normalized("/..", "/");
	normalized("/a/.../b", "/a/.../b");
}
END_TEST

static void target(const char *src, const char *dest, bool dir,
		   const char *want)
{
	char *t = famfs_cp_target(src, dest, dir);

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, want);
	free(t);
}

START_TEST(test_cp_target)
{
	target("x/file", "d", true, "d/file");
	target("/abs/file", "d/", true, "d/file");
	target("tree/", "", true, "tree");	/* into the root */
	target("tree//", "d/e", true, "d/e/tree");
	target("file", "new", false, "new");
	target("x/file", "d/renamed", false, "d/renamed");
}
END_TEST

START_TEST(test_mount_source)
{
	const char *mounts = ft_path("mounts");
	char *src;

	ft_write_file(mounts,
		      "proc /proc proc rw 0 0\n"
		      "/dev/pmem0 /mnt/famfs famfs rw 0 0\n"
		      "/dev/dax0.0 /mnt/with\\040space famfs rw 0 0\n"
		      "/dev/pmem1 /mnt/famfs famfs rw 0 0\n");
	ck_assert_int_eq(famfs_mount_source("/mnt/famfs", mounts, &src), 0);
	ck_assert_str_eq(src, "/dev/pmem1");	/* the one on top */
	free(src);
	ck_assert_int_eq(famfs_mount_source("/mnt/with space", mounts, &src), 0);
	ck_assert_str_eq(src, "/dev/dax0.0");
	free(src);
	ck_assert_int_eq(famfs_mount_source("/proc", mounts, &src), -ENOENT);
	ck_assert_ptr_null(src);
}
END_TEST

START_TEST(test_resolve_outside_famfs)
{
	struct famfs_error err = { 0 };
	char *root, *rel, want[512];

	snprintf(want, sizeof(want), "%s/no/such/file: not in a famfs file system",
		 ft_dir);
	ck_assert_int_eq(famfs_path_resolve(ft_path("no/such/file"), &root,
					    &rel, &err), -ENOTTY);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(root);
	ck_assert_ptr_null(rel);
}
END_TEST

START_TEST(test_offline_relpath)
{
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	char *rel;

	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"), FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_ptr_null(fs.root);
	ck_assert_int_eq(famfs_fs_relpath(&fs, "a/b", &rel, &err), 0);
	ck_assert_str_eq(rel, "a/b");
	free(rel);
	famfs_fs_close(&fs);
	/* Without FAMFS_FS_OFFLINE an image is not a mount. */
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"), 0, &err), -ENOTTY);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_normalize,
		test_cp_target,
		test_mount_source,
		test_resolve_outside_famfs,
		test_offline_relpath,
		NULL,
	};

	return ft_main("ops_path", ft_setup, ft_teardown, tests);
}
