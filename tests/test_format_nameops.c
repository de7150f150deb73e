// SPDX-License-Identifier: GPL-2.0
/* DELETE and RENAME entries: round trips and every rejection. */
#include "test_format_common.h"

#define SEQ		9
#define HDR		sizeof(struct famfs_entry_header)
#define DEL_FIXED	(HDR + sizeof(struct famfs_delete_payload))
#define REN_FIXED	(HDR + sizeof(struct famfs_rename_payload))
#define HDR_OFF(f)	offsetof(struct famfs_entry_header, f)
#define DP_OFF(f)	(HDR + offsetof(struct famfs_delete_payload, f))
#define RP_OFF(f)	(HDR + offsetof(struct famfs_rename_payload, f))

static uint8_t buf[16 << 10] __attribute__((aligned(8)));
static struct famfs_entry e;

/* The helpers of test_format_common.h, on buf. */
#define put16(off, v)	test_put16(buf + (off), v)
#define put32(off, v)	test_put32(buf + (off), v)
#define entry_len()	test_entry_len(buf)

static void setup(void)
{
	memset(buf, 0, sizeof(buf));
}

/* "dir/gone": 8 bytes, 40 in all, no padding. */
static void encode_delete(void)
{
	size_t len = 0;

	ck_assert_int_eq(famfs_delete_entry_encode(buf, sizeof(buf), SEQ,
						   "dir/gone", &len), FAMFS_OK);
	ck_assert_uint_eq(len, 40);
}

/* "a/b" to "c/de": 7 bytes of paths, 1 of padding, 40 in all. */
static void encode_rename(void)
{
	size_t len = 0;

	ck_assert_int_eq(famfs_rename_entry_encode(buf, sizeof(buf), SEQ, "a/b",
						   "c/de", &len), FAMFS_OK);
	ck_assert_uint_eq(len, 40);
}

static int decode(void)
{
	struct famfs_geometry geo = test_geometry();

	return famfs_entry_decode(buf, entry_len(), SEQ, &geo, &e);
}

static int resealed_decode(void)
{
	test_entry_reseal(buf);
	return decode();
}

START_TEST(test_delete_round_trip)
{
	encode_delete();
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_DELETE);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.len, 40);
	ck_assert_str_eq(e.path, "dir/gone");
	ck_assert_uint_eq(e.path_len, 8);
	ck_assert_str_eq(e.dst, "");
	ck_assert_uint_eq(e.n_extents, 0);
}
END_TEST

START_TEST(test_rename_round_trip)
{
	encode_rename();
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_RENAME);
	ck_assert_str_eq(e.path, "a/b");
	ck_assert_uint_eq(e.path_len, 3);
	ck_assert_str_eq(e.dst, "c/de");
	ck_assert_uint_eq(e.dst_len, 4);
}
END_TEST

START_TEST(test_longest)
{
	char *path = test_path_of(16, 255);	/* 4095 bytes */
	size_t len = 0;

	ck_assert_uint_eq(strlen(path), FAMFS_PATH_MAX);
	ck_assert_uint_eq(famfs_delete_entry_size(FAMFS_PATH_MAX), 4128);
	ck_assert_uint_eq(famfs_rename_entry_size(FAMFS_PATH_MAX, FAMFS_PATH_MAX), 8224);
	ck_assert_uint_eq(famfs_delete_entry_size(FAMFS_PATH_MAX + 1), 0);
	ck_assert_uint_eq(famfs_rename_entry_size(1, FAMFS_PATH_MAX + 1), 0);
	ck_assert_int_eq(famfs_rename_entry_encode(buf, sizeof(buf), SEQ, path,
						   path, &len), FAMFS_OK);
	ck_assert_uint_eq(len, 8224);
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_str_eq(e.dst, path);
	free(path);
}
END_TEST

START_TEST(test_encode_rejects)
{
	char *long_path = test_path_of(17, 255);
	size_t len = 77;

	ck_assert_int_eq(famfs_delete_entry_encode(buf, sizeof(buf), SEQ, "/a", &len),
			 FAMFS_E_PATH_ABS);
	ck_assert_int_eq(famfs_delete_entry_encode(buf, sizeof(buf), SEQ, "", &len),
			 FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(famfs_delete_entry_encode(buf, sizeof(buf), SEQ, long_path,
						   &len), FAMFS_E_PATH_LONG);
	ck_assert_int_eq(famfs_rename_entry_encode(buf, sizeof(buf), SEQ, "a/..",
						   "b", &len), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(famfs_rename_entry_encode(buf, sizeof(buf), SEQ, "a",
						   "b//c", &len), FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(famfs_delete_entry_encode(buf, 39, SEQ, "dir/gone", &len),
			 FAMFS_E_LOG_FULL);
	ck_assert_int_eq(famfs_rename_entry_encode(buf, 39, SEQ, "a/b", "c/de",
						   &len), FAMFS_E_LOG_FULL);
	ck_assert_uint_eq(len, 77);
	for (len = 0; len < 64; len++)
		ck_assert_uint_eq(buf[len], 0);
	free(long_path);
}
END_TEST

START_TEST(test_decode_len)
{
	encode_delete();
	put32(HDR_OFF(len), DEL_FIXED - 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_rename();
	put32(HDR_OFF(len), REN_FIXED - 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_delete();
	put16(DP_OFF(path_len), 9);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_rename();
	put16(RP_OFF(src_len), 0xffff);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_rename();
	put16(RP_OFF(dst_len), 13);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
}
END_TEST

START_TEST(test_decode_reserved)
{
	encode_delete();
	put16(DP_OFF(reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_delete();
	put32(DP_OFF(reserved2), 0x80000000);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_rename();
	put32(RP_OFF(reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_rename();
	put16(HDR_OFF(flags), FAMFS_ENTRY_F_SKIPPABLE << 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
}
END_TEST

START_TEST(test_decode_paths)
{
	encode_delete();
	buf[DEL_FIXED] = '/';
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_ABS);
	encode_delete();
	put16(DP_OFF(path_len), 0);
	put32(HDR_OFF(len), DEL_FIXED);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_EMPTY);
	encode_rename();
	buf[REN_FIXED + 1] = '\0';	/* in the source */
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_NUL);
	encode_rename();
	buf[REN_FIXED + 3] = '/';	/* the destination's first byte */
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_ABS);
	encode_rename();
	memcpy(buf + REN_FIXED + 5, "..", 2);	/* "c/.." */
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_DOT);
}
END_TEST

START_TEST(test_decode_padding)
{
	encode_rename();
	buf[39] = 1;
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PADDING);
}
END_TEST

START_TEST(test_every_byte_flipped)
{
	encode_delete();
	test_entry_every_byte_flipped(buf, SEQ);
	encode_rename();
	test_entry_every_byte_flipped(buf, SEQ);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_nameops");
	TCase *tc = tcase_create("nameops");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_delete_round_trip);
	tcase_add_test(tc, test_rename_round_trip);
	tcase_add_test(tc, test_longest);
	tcase_add_test(tc, test_encode_rejects);
	tcase_add_test(tc, test_decode_len);
	tcase_add_test(tc, test_decode_reserved);
	tcase_add_test(tc, test_decode_paths);
	tcase_add_test(tc, test_decode_padding);
	tcase_add_test(tc, test_every_byte_flipped);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
