// SPDX-License-Identifier: GPL-2.0
/*
 * Paths and messages as output shows them: escaped, and shortened in the
 * middle; and what the host table's entries say.
 */
#include <check.h>
#include <string.h>

#include "famfs_test.h"

static char buf[FAMFS_PATH_ESCAPED];

static const char *show(const char *path)
{
	return famfs_path_show(buf, sizeof(buf), path);
}

START_TEST(test_plain_unchanged)
{
	ck_assert_str_eq(show("dir/file.txt"), "dir/file.txt");
	ck_assert_str_eq(show("caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80"),
			 "caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80");
}
END_TEST

START_TEST(test_controls_escaped)
{
	ck_assert_str_eq(show("a\nresult: clean"), "a\\x0aresult: clean");
	ck_assert_str_eq(show("\x1b[2J\r\t\x7f"), "\\x1b[2J\\x0d\\x09\\x7f");
	ck_assert_str_eq(show("back\\slash"), "back\\x5cslash");
	/* C1 controls: U+009B is CSI on terminals that take 8-bit controls. */
	ck_assert_str_eq(show("\xc2\x9b" "2J\xc2\xa0"), "\\xc2\\x9b2J\xc2\xa0");
}
END_TEST

START_TEST(test_invalid_utf8_escaped)
{
	ck_assert_str_eq(show("\xff\xfe"), "\\xff\\xfe");
	ck_assert_str_eq(show("\xc0\xaf"), "\\xc0\\xaf");		/* overlong '/' */
	ck_assert_str_eq(show("\xed\xa0\x80"), "\\xed\\xa0\\x80");	/* surrogate */
	ck_assert_str_eq(show("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(show("x\xe2\x82"), "x\\xe2\\x82");	/* cut short */
}
END_TEST

/* A path longer than the room keeps its head and its tail, whole characters. */
START_TEST(test_long_path_shortened)
{
	char path[FAMFS_PATH_MAX + 1], small[FAMFS_PATH_SHOWN];
	size_t len;

	memset(path, 'h', 200);
	memset(path + 200, 'm', 3000);
	memcpy(path + 3200, "\xe2\x82\xac\n", 4);
	memset(path + 3204, 't', 891);
	path[FAMFS_PATH_MAX] = '\0';
	famfs_path_show(small, sizeof(small), path);
	len = strlen(small);
	ck_assert_uint_eq(len, sizeof(small) - 1);
	ck_assert(!strncmp(small, path, 126));
	ck_assert_ptr_nonnull(strstr(small, "..."));
	ck_assert_str_eq(small + len - 126, path + FAMFS_PATH_MAX - 126);
	ck_assert(!strncmp(show(path) + 3200, "\xe2\x82\xac\\x0att", 9));
}
END_TEST

START_TEST(test_cut_between_characters)
{
	char path[64], small[12];
	int i;

	for (i = 0; i < 20; i++)
		memcpy(path + 3 * i, "\xe2\x82\xac", 3);
	path[60] = '\0';
	famfs_path_show(small, sizeof(small), path);
	/* 8 bytes of room: one euro sign (3) at each end, "..." between. */
	ck_assert_str_eq(small, "\xe2\x82\xac...\xe2\x82\xac");
	famfs_path_show(small, sizeof(small), "\n\n\n\n\n\n");
	ck_assert_str_eq(small, "\\x0a...\\x0a");
}
END_TEST

START_TEST(test_text_fit_keeps_the_cause)
{
	char text[2000], fit[100];

	memset(text, 'p', 1900);
	strcpy(text + 1900, ": no such file or directory");
	famfs_text_fit(fit, sizeof(fit), text);
	ck_assert_uint_eq(strlen(fit), sizeof(fit) - 1);
	ck_assert_ptr_nonnull(strstr(fit, "...p"));
	ck_assert_str_eq(fit + strlen(fit) - 27, ": no such file or directory");
	famfs_text_fit(fit, sizeof(fit), "short\n");
	ck_assert_str_eq(fit, "short\n");
}
END_TEST

START_TEST(test_host_entries)
{
	static struct famfs_entry e;
	char what[FAMFS_HOST_ENTRY_SHOWN];

	memset(&e, 0, sizeof(e));
	e.type = FAMFS_ENTRY_EVICT;
	memset(e.uuid, 0xff, sizeof(e.uuid));
	e.nonce = UINT64_MAX;
	ck_assert_str_eq(famfs_host_entry_show(what, sizeof(what), &e),
			 "host ffffffff-ffff-ffff-ffff-ffffffffffff nonce 0xffffffffffffffff");
	e.nonce = 0;
	ck_assert_str_eq(famfs_host_entry_show(what, sizeof(what), &e),
			 "host ffffffff-ffff-ffff-ffff-ffffffffffff nonce 0x0000000000000000");
	e.type = FAMFS_ENTRY_HOST_TABLE;
	e.hosts_offset = FAMFS_SB_AREA - FAMFS_HOST_SLOT_SIZE;
	e.hosts_count = 1;
	ck_assert_str_eq(famfs_host_entry_show(what, sizeof(what), &e),
			 "1 slot at 0x1fff00");
	e.type = FAMFS_ENTRY_FILE;
	ck_assert_str_eq(famfs_host_entry_show(what, sizeof(what), &e), "");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_plain_unchanged,
		test_controls_escaped,
		test_invalid_utf8_escaped,
		test_long_path_shortened,
		test_cut_between_characters,
		test_text_fit_keeps_the_cause,
		test_host_entries,
		NULL,
	};

	return ft_main("show", NULL, NULL, tests);
}
