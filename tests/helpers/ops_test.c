// SPDX-License-Identifier: GPL-2.0
/* Fixtures of the tests of famfs_ops.h: files made as the master makes them. */
#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

void ft_create(struct famfs_fs *fs, const char *path,
	       const struct famfs_meta *m)
{
	struct famfs_error err = { 0 };
	struct famfs_creator c;

	ck_assert_int_eq(famfs_create_begin(&c, fs, &err), 0);
	if (S_ISDIR(m->mode))
		ck_assert_int_eq(famfs_create_dir(&c, path, m, &err), 0);
	else
		ck_assert_int_eq(famfs_create_file(&c, path, m, NULL, NULL, &err), 0);
	ck_assert_int_eq(famfs_create_commit(&c, &err), 0);
	famfs_create_end(&c);
}

void ft_create_in(const char *img, const char *path, const struct famfs_meta *m)
{
	struct famfs_error err = { 0 };
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ft_create(&fs, path, m);
	famfs_fs_close(&fs);
}

int ft_play_open(struct famfs_fs *fs)
{
	struct famfs_error err = { 0 };
	int fd;

	ck_assert_int_eq(mkdir(ft_path("root"), 0755), 0);
	fd = open(ft_path("root"), O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(famfs_fs_open(fs, ft_path("img"), FAMFS_FS_OFFLINE, &err), 0);
	return fd;
}

void ft_play_close(struct famfs_fs *fs, int root_fd)
{
	famfs_fs_close(fs);
	close(root_fd);
	ft_teardown();
}

struct famfs_member_info ft_add_member(const char *img, const char *member,
				       uint64_t size)
{
	struct famfs_device_add_opts o = { 0 };
	struct famfs_error err = { 0 };
	struct famfs_member_info m;
	struct famfs_fs fs;

	ft_image(member, size);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_msg(!famfs_device_add(&fs, member, &o, &m, &err),
		      "device add: %s", err.msg);
	famfs_fs_close(&fs);
	return m;
}
