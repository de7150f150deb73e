// SPDX-License-Identifier: GPL-2.0
/* System UUID file and role. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs_test.h"

static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, (int)len, f));
	fclose(f);
}

START_TEST(test_env_override)
{
	ck_assert_str_eq(famfs_system_uuid_path(), ft_path("system_uuid"));
	unsetenv(FAMFS_SYSTEM_UUID_ENV);
	ck_assert_str_eq(famfs_system_uuid_path(), "/etc/famfs/system_uuid");
	setenv(FAMFS_SYSTEM_UUID_ENV, "", 1);
	ck_assert_str_eq(famfs_system_uuid_path(), "/etc/famfs/system_uuid");
}
END_TEST

START_TEST(test_created_on_first_use)
{
	uint8_t a[16], b[16];
	uuid_t parsed;
	char text[64];

	ck_assert_int_eq(access(ft_path("system_uuid"), F_OK), -1);
	ck_assert_int_eq(famfs_system_uuid(a, NULL), 0);
	read_text(ft_path("system_uuid"), text, sizeof(text));
	ck_assert_uint_eq(strlen(text), 37);
	ck_assert_int_eq(text[36], '\n');
	text[36] = '\0';
	ck_assert_int_eq(uuid_parse(text, parsed), 0);
	ck_assert_mem_eq(parsed, a, 16);
	ck_assert_int_eq(uuid_is_null(a), 0);
	ck_assert_int_eq(famfs_system_uuid(b, NULL), 0);
	ck_assert_mem_eq(a, b, 16);
}
END_TEST

START_TEST(test_parent_directories_created)
{
	uint8_t a[16];

	setenv(FAMFS_SYSTEM_UUID_ENV, ft_path("etc/famfs/system_uuid"), 1);
	ck_assert_int_eq(famfs_system_uuid(a, NULL), 0);
	ck_assert_int_eq(access(ft_path("etc/famfs/system_uuid"), R_OK), 0);
}
END_TEST

START_TEST(test_existing_file_is_used)
{
	uint8_t a[16];
	uuid_t want;

	ft_write_file(ft_path("system_uuid"),
		      "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n");
	uuid_parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", want);
	ck_assert_int_eq(famfs_system_uuid(a, NULL), 0);
	ck_assert_mem_eq(a, want, 16);
}
END_TEST

/* Written by an editor that ends lines with CR LF, or with trailing blanks. */
START_TEST(test_trailing_white_space_accepted)
{
	static const char *const text[] = {
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\r\n",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 \t\r\n\n",
	};
	struct famfs_error err = { 0 };
	uint8_t a[16];
	uuid_t want;
	size_t i;

	uuid_parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", want);
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		ft_write_file(ft_path("system_uuid"), text[i]);
		ck_assert_msg(famfs_system_uuid(a, &err) == 0, "%zu: %s", i, err.msg);
		ck_assert_mem_eq(a, want, 16);
	}
}
END_TEST

START_TEST(test_garbage_refused)
{
	struct famfs_error err = { 0 };
	uint8_t a[16];

	ft_write_file(ft_path("system_uuid"), "not a uuid\n");
	ck_assert_int_eq(famfs_system_uuid(a, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "does not hold a UUID"), "%s", err.msg);
	/* One UUID and white space, nothing else. */
	ft_write_file(ft_path("system_uuid"),
		      "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\nmore\n");
	ck_assert_int_eq(famfs_system_uuid(a, &err), -EINVAL);
}
END_TEST

START_TEST(test_unwritable_location)
{
	struct famfs_error err = { 0 };
	uint8_t a[16];

	ft_write_file(ft_path("file"), "x");
	setenv(FAMFS_SYSTEM_UUID_ENV, ft_path("file/system_uuid"), 1);
	ck_assert_int_eq(famfs_system_uuid(a, &err), -ENOTDIR);
	ck_assert_msg(strstr(err.msg, "file/system_uuid"), "%s", err.msg);
}
END_TEST

START_TEST(test_role)
{
	struct famfs_sb_info sb = { 0 };
	enum famfs_role role;

	ck_assert_int_eq(famfs_system_uuid(sb.master_uuid, NULL), 0);
	ck_assert_int_eq(famfs_role(&sb, &role, NULL), 0);
	ck_assert_int_eq(role, FAMFS_ROLE_MASTER);
	sb.master_uuid[15] ^= 1;
	ck_assert_int_eq(famfs_role(&sb, &role, NULL), 0);
	ck_assert_int_eq(role, FAMFS_ROLE_CLIENT);
	ck_assert_str_eq(famfs_role_name(FAMFS_ROLE_MASTER), "master");
	ck_assert_str_eq(famfs_role_name(FAMFS_ROLE_CLIENT), "client");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_env_override,
		test_created_on_first_use,
		test_parent_directories_created,
		test_existing_file_is_used,
		test_trailing_white_space_accepted,
		test_garbage_refused,
		test_unwritable_location,
		test_role,
		NULL,
	};

	return ft_main("identity", ft_setup, ft_teardown, tests);
}
