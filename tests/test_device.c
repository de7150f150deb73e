// SPDX-License-Identifier: GPL-2.0
/* Device layer: mapping images, refusing what famfs cannot use, mount checks. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_test.h"

START_TEST(test_image_read_write)
{
	struct famfs_error err = { 0 };
	struct famfs_device dev;
	const char *img = ft_path("img");

	ft_image(img, 4 * FT_MIB);
	ck_assert_int_eq(famfs_device_open(&dev, img, FAMFS_DEV_RDWR, &err), 0);
	ck_assert_int_eq(dev.kind, FAMFS_DEV_FILE);
	ck_assert(dev.writable);
	ck_assert_uint_eq(dev.size, 4 * FT_MIB);
	memcpy(dev.base + 3 * FT_MIB, "famfs", 5);
	famfs_device_flush(&dev, 3 * FT_MIB, 5);
	famfs_device_close(&dev);

	ck_assert_int_eq(famfs_device_open(&dev, img, 0, &err), 0);
	ck_assert(!dev.writable);
	ck_assert_mem_eq(dev.base + 3 * FT_MIB, "famfs", 5);
	famfs_device_close(&dev);
}
END_TEST

/* Open path, expect code, and a message holding path and want. */
static void expect_refused(const char *path, int code, const char *want)
{
	struct famfs_error err = { 0 };
	struct famfs_device dev;

	ck_assert_int_eq(famfs_device_open(&dev, path, 0, &err), code);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(strstr(err.msg, path) && strstr(err.msg, want),
		      "message: %s", err.msg);
	ck_assert_ptr_null(dev.base);
	ck_assert_int_eq(dev.fd, -1);
}

START_TEST(test_refuse_directory)
{
	expect_refused(ft_dir, -ENODEV, "not a famfs-capable device (directory)");
}
END_TEST

START_TEST(test_refuse_dev_null)
{
	expect_refused("/dev/null", -ENODEV,
		       "not a famfs-capable device (character device of class mem, not devdax)");
}
END_TEST

START_TEST(test_refuse_missing)
{
	expect_refused(ft_path("nothing"), -ENOENT, "No such file");
}
END_TEST

START_TEST(test_refuse_empty)
{
	const char *img = ft_path("empty");

	ft_image(img, 0);
	expect_refused(img, -ENODEV, "not a famfs-capable device (empty)");
}
END_TEST

START_TEST(test_refuse_fifo)
{
	const char *fifo = ft_path("fifo");

	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	expect_refused(fifo, -ENODEV, "not a famfs-capable device (fifo)");
}
END_TEST

static const char *mountinfo_with(const char *source)
{
	const char *mi = ft_path("mountinfo");
	char text[4096];

	snprintf(text, sizeof(text),
		 "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
		 "40 22 0:40 / /mnt/with\\040space rw - famfs %s rw\n",
		 source);
	ft_write_file(mi, text);
	return mi;
}

START_TEST(test_mounted_by_source)
{
	const char *img = ft_path("img");
	char *where = NULL;

	ft_image(img, FT_MIB);
	ck_assert_int_eq(famfs_device_mounted(img, mountinfo_with(img), &where), 1);
	ck_assert_str_eq(where, "/mnt/with space");
	free(where);
}
END_TEST

START_TEST(test_not_mounted)
{
	const char *img = ft_path("img");
	const char *other = ft_path("other");

	ft_image(img, FT_MIB);
	ft_image(other, FT_MIB);
	ck_assert_int_eq(famfs_device_mounted(img, mountinfo_with(other), NULL), 0);
}
END_TEST

START_TEST(test_mountinfo_unreadable)
{
	const char *img = ft_path("img");

	ft_image(img, FT_MIB);
	ck_assert_int_eq(famfs_device_mounted(img, ft_path("none"), NULL), -ENOENT);
}
END_TEST

START_TEST(test_parse_size)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t value;
	} cases[] = {
		{ "8M", 0, 8ULL << 20 },
		{ "16m", 0, 16ULL << 20 },
		{ "1G", 0, 1ULL << 30 },
		{ "2t", 0, 2ULL << 40 },
		{ "4k", 0, 4096 },
		{ "12", 0, 12 },
		{ "0x800000", 0, 8ULL << 20 },
		{ "0X1f", 0, 31 },
		{ "0x10M", 0, 16ULL << 20 },
		{ "0x", -EINVAL, 0 },
		{ "0xg", -EINVAL, 0 },
		{ "0x10000000000000000", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "8MB", -EINVAL, 0 },
		{ "8X", -EINVAL, 0 },
		{ "-8M", -EINVAL, 0 },
		{ "16777216T", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = 0;
		ck_assert_msg(famfs_parse_size(cases[i].text, &v) == cases[i].rc,
			      "%s", cases[i].text);
		if (!cases[i].rc)
			ck_assert_uint_eq(v, cases[i].value);
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_image_read_write,
		test_refuse_directory,
		test_refuse_dev_null,
		test_refuse_missing,
		test_refuse_empty,
		test_refuse_fifo,
		test_mounted_by_source,
		test_not_mounted,
		test_mountinfo_unreadable,
		test_parse_size,
		NULL,
	};

	return ft_main("device", ft_setup, ft_teardown, tests);
}
