// SPDX-License-Identifier: GPL-2.0
/* Error messages: however long the path they name, the cause survives. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "famfs_test.h"
#include "core/internal.h"

static char long_path[3000];

static void setup(void)
{
	memset(long_path, 'p', sizeof(long_path) - 1);
	long_path[0] = '/';
}

static void ck_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	ck_assert_msg(n >= t && !strcmp(s + n - t, tail), "message: %s", s);
}

START_TEST(test_set_keeps_the_cause)
{
	struct famfs_error err = { 0 };

	ck_assert_int_eq(famfs_error_set(&err, -ENOENT, "%s: %s", long_path,
					 strerror(ENOENT)), -ENOENT);
	ck_assert_int_eq(err.code, -ENOENT);
	ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
	ck_assert(!strncmp(err.msg, "/ppp", 4));
	ck_ends_with(err.msg, "ppp: No such file or directory");
	ck_assert_ptr_nonnull(strstr(err.msg, "..."));
}
END_TEST

START_TEST(test_prefix_keeps_the_cause)
{
	struct famfs_error err = { 0 };

	famfs_error_set(&err, -EIO, "%.700s: the cause", long_path);
	famfs_error_prefix(&err, "the object");
	ck_assert(!strncmp(err.msg, "the object: /ppp", 16));
	ck_ends_with(err.msg, "ppp: the cause");
	famfs_error_prefix(&err, long_path);
	ck_ends_with(err.msg, "ppp: the cause");
	ck_assert_int_eq(err.code, -EIO);
}
END_TEST

START_TEST(test_device_open_names_the_cause)
{
	struct famfs_device dev;
	struct famfs_error err = { 0 };

	ck_assert_int_eq(famfs_device_open(&dev, long_path, 0, &err), -ENAMETOOLONG);
	ck_ends_with(err.msg, ": File name too long");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_set_keeps_the_cause,
		test_prefix_keeps_the_cause,
		test_device_open_names_the_cause,
		NULL,
	};

	return ft_main("error", setup, NULL, tests);
}
