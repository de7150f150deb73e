// SPDX-License-Identifier: GPL-2.0
/* famfs_path_check: what a logged path may and may not be. */
#include "test_format_common.h"

static int check(const char *path)
{
	return famfs_path_check(path, strlen(path));
}

START_TEST(test_path_valid)
{
	ck_assert_int_eq(check("a"), FAMFS_OK);
	ck_assert_int_eq(check("dir/file.txt"), FAMFS_OK);
	ck_assert_int_eq(check(".hidden/..x/x../..."), FAMFS_OK);
	ck_assert_int_eq(check("a b/\xc3\xa9t\xc3\xa9"), FAMFS_OK);
	/* Only len bytes count: what follows is not part of the path. */
	ck_assert_int_eq(famfs_path_check("a//", 1), FAMFS_OK);
}
END_TEST

START_TEST(test_path_limits)
{
	char *name = test_path_of(1, FAMFS_NAME_MAX);
	char *longest = test_path_of(16, FAMFS_NAME_MAX);

	ck_assert_uint_eq(strlen(longest), FAMFS_PATH_MAX);
	ck_assert_int_eq(check(name), FAMFS_OK);
	ck_assert_int_eq(check(longest), FAMFS_OK);
	free(name);
	free(longest);
}
END_TEST

START_TEST(test_path_empty)
{
	ck_assert_int_eq(famfs_path_check("", 0), FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(check("a//b"), FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(check("a/"), FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(check("a/b/"), FAMFS_E_PATH_EMPTY);
}
END_TEST

START_TEST(test_path_absolute)
{
	ck_assert_int_eq(check("/a"), FAMFS_E_PATH_ABS);
	ck_assert_int_eq(check("/"), FAMFS_E_PATH_ABS);
	ck_assert_int_eq(check("//a"), FAMFS_E_PATH_ABS);
}
END_TEST

START_TEST(test_path_dot)
{
	ck_assert_int_eq(check("."), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(check(".."), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(check("./a"), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(check("a/./b"), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(check("a/.."), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(check("../a"), FAMFS_E_PATH_DOT);
}
END_TEST

START_TEST(test_path_nul)
{
	ck_assert_int_eq(famfs_path_check("a\0b", 3), FAMFS_E_PATH_NUL);
	ck_assert_int_eq(famfs_path_check("ab\0", 3), FAMFS_E_PATH_NUL);
	ck_assert_int_eq(famfs_path_check("\0", 1), FAMFS_E_PATH_NUL);
}
END_TEST

START_TEST(test_path_too_long)
{
	char *p = test_path_of(1, FAMFS_PATH_MAX + 1);

	ck_assert_int_eq(check(p), FAMFS_E_PATH_LONG);
	free(p);
}
END_TEST

START_TEST(test_name_too_long)
{
	char *name = test_path_of(1, FAMFS_NAME_MAX + 1);
	char *second = test_path_of(2, FAMFS_NAME_MAX + 1);

	ck_assert_int_eq(check(name), FAMFS_E_NAME_LONG);
	second[0] = 'a';
	second[1] = '/';
	ck_assert_int_eq(check(second), FAMFS_E_NAME_LONG);
	free(name);
	free(second);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_path");
	TCase *tc = tcase_create("path");

	tcase_add_test(tc, test_path_valid);
	tcase_add_test(tc, test_path_limits);
	tcase_add_test(tc, test_path_empty);
	tcase_add_test(tc, test_path_absolute);
	tcase_add_test(tc, test_path_dot);
	tcase_add_test(tc, test_path_nul);
	tcase_add_test(tc, test_path_too_long);
	tcase_add_test(tc, test_name_too_long);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
