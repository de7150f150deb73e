// SPDX-License-Identifier: GPL-2.0
/*
 * Striped files (format 1.4): the strip checks, striped FILE entries and
 * where a file byte lies.
 */
#include <sys/stat.h>

#include "test_format_common.h"

#define SEQ		11
#define MEMBERS		4
#define HDR		sizeof(struct famfs_entry_header)
#define FP_OFF(f)	(HDR + offsetof(struct famfs_file_payload, f))
#define SP_OFF(f)	(HDR + sizeof(struct famfs_file_payload) + \
			 offsetof(struct famfs_stripe_payload, f))
#define STRIP_OFF(i, f)	(SP_OFF(chunk_size) + sizeof(struct famfs_stripe_payload) + \
			 (i) * sizeof(struct famfs_extent) + \
			 offsetof(struct famfs_extent, f))

static uint8_t buf[8192] __attribute__((aligned(8)));
static struct famfs_extent_info strip[FAMFS_STRIPE_MAX + 1];
static struct famfs_geometry geo;
static struct famfs_entry e;

/*
 * n strips of len bytes, strip i on member i % MEMBERS, each member's at
 * its own offset: those sharing a member follow each other.
 */
static void make_strips(uint32_t n, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		strip[i].dev_index = i % MEMBERS;
		strip[i].offset = famfs_geo_data_start(&geo, i % MEMBERS) +
				  (i / MEMBERS) * len;
		strip[i].len = len;
	}
}

static void setup(void)
{
	geo = test_geometry_members(MEMBERS);
	make_strips(4, 2 * AU);
	memset(buf, 0, sizeof(buf));
}

static int check(uint64_t chunk, uint32_t n, uint64_t size)
{
	return famfs_stripe_check(&geo, chunk, strip, n, size);
}

START_TEST(test_check_valid)
{
	ck_assert_int_eq(check(AU, 4, 8 * AU), FAMFS_OK);
	ck_assert_int_eq(check(2 * AU, 4, 1), FAMFS_OK);
	ck_assert_int_eq(check(AU, 2, 0), FAMFS_OK);
	make_strips(FAMFS_STRIPE_MAX, AU);
	ck_assert_int_eq(check(AU, FAMFS_STRIPE_MAX, FAMFS_STRIPE_MAX * AU),
			 FAMFS_OK);
}
END_TEST

START_TEST(test_check_count)
{
	ck_assert_int_eq(check(AU, 0, 0), FAMFS_E_STRIPE);
	ck_assert_int_eq(check(AU, 1, AU), FAMFS_E_STRIPE);
	make_strips(FAMFS_STRIPE_MAX + 1, AU);
	ck_assert_int_eq(check(AU, FAMFS_STRIPE_MAX + 1, AU), FAMFS_E_STRIPE);
}
END_TEST

START_TEST(test_check_chunk)
{
	ck_assert_int_eq(check(0, 4, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(check(AU / 2, 4, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(check(AU + 4096, 4, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(check(FAMFS_CHUNK_MAX + AU, 4, AU), FAMFS_E_STRIPE);
	/* Strips of 2 units are not a whole number of 4-unit chunks. */
	ck_assert_int_eq(check(4 * AU, 4, AU), FAMFS_E_STRIPE);
}
END_TEST

START_TEST(test_check_unequal)
{
	strip[3].len = AU;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_STRIPE);
	make_strips(4, 2 * AU);
	strip[0].len = 4 * AU;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_STRIPE);
}
END_TEST

START_TEST(test_check_size)
{
	ck_assert_int_eq(check(AU, 4, 8 * AU + 1), FAMFS_E_EXT_SHORT);
	ck_assert_int_eq(check(AU, 4, UINT64_MAX), FAMFS_E_EXT_SHORT);
}
END_TEST

START_TEST(test_check_overlap)
{
	strip[2] = strip[0];
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_OVERLAP);
	make_strips(4, 2 * AU);
	strip[3].dev_index = 1;
	strip[3].offset = strip[1].offset + AU;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_OVERLAP);
	/* The same offsets on different members do not overlap. */
	make_strips(4, 2 * AU);
	strip[1].offset = strip[0].offset;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_OK);
}
END_TEST

START_TEST(test_check_unknown_member)
{
	strip[1].dev_index = MEMBERS;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_DEV);
	strip[1].dev_index = FAMFS_MAX_DEVICES;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_DEV);
}
END_TEST

/* A strip is an extent: in its member's data area, inside the member. */
START_TEST(test_check_strip_extent)
{
	strip[1].offset = 0;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_RESERVED);
	make_strips(4, 2 * AU);
	strip[2].offset = GiB - AU;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_RANGE);
	make_strips(4, 2 * AU);
	strip[2].offset += 4096;
	ck_assert_int_eq(check(AU, 4, AU), FAMFS_E_EXT_ALIGN);
}
END_TEST

static const struct famfs_meta meta = {
	.mode = S_IFREG | 0600, .uid = 7, .gid = 8, .size = 7 * AU + 5,
};

static int encode(uint64_t chunk, uint32_t n, size_t avail)
{
	size_t len = 0;
	int err;

	err = famfs_striped_file_entry_encode(buf, avail, SEQ, &geo, "s/file",
					      &meta, chunk, strip, n, &len);
	if (!err)
		ck_assert_uint_eq(len, famfs_striped_file_entry_size(6, n));
	return err;
}

static int decode(void)
{
	return famfs_entry_decode(buf, sizeof(buf), SEQ, &geo, &e);
}

static int resealed_decode(void)
{
	test_entry_reseal(buf);
	return decode();
}

static void check_round_trip(uint64_t chunk, uint32_t n)
{
	struct famfs_extent_info got;
	uint32_t i;

	ck_assert_int_eq(encode(chunk, n, sizeof(buf)), FAMFS_OK);
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_FILE);
	ck_assert_uint_eq(e.chunk_size, chunk);
	ck_assert_uint_eq(e.n_extents, n);
	ck_assert_uint_eq(e.meta.size, meta.size);
	ck_assert_uint_eq(e.meta.mode, meta.mode);
	ck_assert_str_eq(e.path, "s/file");
	for (i = 0; i < n; i++) {
		famfs_entry_extent(&e, i, &got);
		ck_assert_uint_eq(got.dev_index, strip[i].dev_index);
		ck_assert_uint_eq(got.offset, strip[i].offset);
		ck_assert_uint_eq(got.len, strip[i].len);
	}
}

START_TEST(test_entry_round_trip)
{
	check_round_trip(AU, 4);
	ck_assert_uint_eq(test_get16(buf + FP_OFF(flags)), FAMFS_FILE_F_STRIPED);
	ck_assert_uint_eq(famfs_striped_file_entry_size(6, 4),
			  HDR + 32 + 16 + 4 * 24 + 8);
	check_round_trip(2 * AU, 4);
	make_strips(2, 4 * AU);
	check_round_trip(2 * AU, 2);
	make_strips(FAMFS_STRIPE_MAX, AU);
	check_round_trip(AU, FAMFS_STRIPE_MAX);
}
END_TEST

/* Every byte of a striped entry is covered by its CRC. */
START_TEST(test_entry_damage)
{
	make_strips(2, 4 * AU);
	ck_assert_int_eq(encode(AU, 2, sizeof(buf)), FAMFS_OK);
	test_entry_every_byte_flipped(buf, SEQ);
}
END_TEST

START_TEST(test_entry_sizes)
{
	ck_assert_uint_eq(famfs_striped_file_entry_size(FAMFS_PATH_MAX + 1, 2), 0);
	ck_assert_uint_eq(famfs_striped_file_entry_size(1, FAMFS_STRIPE_MAX + 1), 0);
	ck_assert_uint_gt(famfs_striped_file_entry_size(1, 2),
			  famfs_file_entry_size(1, 2));
}
END_TEST

static void check_encode_refuses(uint64_t chunk, uint32_t n, size_t avail,
				 int want)
{
	test_poison(buf, sizeof(buf));
	ck_assert_int_eq(encode(chunk, n, avail), want);
	ck_assert(test_poisoned(buf, sizeof(buf)));
}

START_TEST(test_entry_encode_rejects)
{
	check_encode_refuses(0, 4, sizeof(buf), FAMFS_E_STRIPE);
	check_encode_refuses(AU, 1, sizeof(buf), FAMFS_E_STRIPE);
	check_encode_refuses(3 * AU, 4, sizeof(buf), FAMFS_E_STRIPE);
	check_encode_refuses(AU, 4, famfs_striped_file_entry_size(6, 4) - 8,
			     FAMFS_E_LOG_FULL);
	strip[1].len = 4 * AU;
	check_encode_refuses(AU, 4, sizeof(buf), FAMFS_E_STRIPE);
	make_strips(4, AU);
	check_encode_refuses(AU, 4, sizeof(buf), FAMFS_E_EXT_SHORT);
	make_strips(4, 2 * AU);
	strip[0].dev_index = MEMBERS;
	check_encode_refuses(AU, 4, sizeof(buf), FAMFS_E_EXT_DEV);
}
END_TEST

START_TEST(test_entry_decode_chunk)
{
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put64(buf + SP_OFF(chunk_size), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_STRIPE);
	test_put64(buf + SP_OFF(chunk_size), 4 * AU);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_STRIPE);
	test_put64(buf + SP_OFF(chunk_size), AU + 512);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_STRIPE);
}
END_TEST

START_TEST(test_entry_decode_reserved)
{
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put64(buf + SP_OFF(reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put32(buf + STRIP_OFF(2, reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
}
END_TEST

START_TEST(test_entry_decode_strips)
{
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put64(buf + STRIP_OFF(3, len), 4 * AU);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_STRIPE);
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put32(buf + STRIP_OFF(1, dev_index), MEMBERS);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_DEV);
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put32(buf + STRIP_OFF(1, dev_index), 3);
	test_put64(buf + STRIP_OFF(1, offset), strip[3].offset);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_OVERLAP);
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	test_put64(buf + FP_OFF(size), 8 * AU + 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_SHORT);
}
END_TEST

/* The strip count is checked against the entry's length first. */
START_TEST(test_entry_decode_count)
{
	make_strips(2, 4 * AU);
	ck_assert_int_eq(encode(AU, 2, sizeof(buf)), FAMFS_OK);
	test_put32(buf + FP_OFF(n_extents), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
}
END_TEST

/* A strip on a member that the geometry does not know (yet). */
START_TEST(test_entry_decode_member_unknown)
{
	ck_assert_int_eq(encode(AU, 4, sizeof(buf)), FAMFS_OK);
	geo = test_geometry_members(MEMBERS - 1);
	ck_assert_int_eq(decode(), FAMFS_E_EXT_DEV);
}
END_TEST

static void check_locate(uint64_t chunk, uint32_t n, uint64_t pos,
			 uint32_t want_strip, uint64_t want_off)
{
	uint64_t off;
	uint32_t s;

	famfs_stripe_locate(chunk, n, pos, &s, &off);
	ck_assert_uint_eq(s, want_strip);
	ck_assert_uint_eq(off, want_off);
}

START_TEST(test_locate)
{
	check_locate(AU, 4, 0, 0, 0);
	check_locate(AU, 4, AU - 1, 0, AU - 1);
	check_locate(AU, 4, AU, 1, 0);
	check_locate(AU, 4, 3 * AU + 17, 3, 17);
	/* Chunk 4 starts the second row: strip 0's second chunk. */
	check_locate(AU, 4, 4 * AU, 0, AU);
	check_locate(AU, 4, 9 * AU + 5, 1, 2 * AU + 5);
	check_locate(2 * AU, 3, 7 * AU, 0, 3 * AU);
	check_locate(AU, FAMFS_STRIPE_MAX, 130 * AU + 1, 2, 2 * AU + 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_stripe");
	TCase *chk = tcase_create("check");
	TCase *entry = tcase_create("entry");
	TCase *locate = tcase_create("locate");

	tcase_add_checked_fixture(chk, setup, NULL);
	tcase_add_test(chk, test_check_valid);
	tcase_add_test(chk, test_check_count);
	tcase_add_test(chk, test_check_chunk);
	tcase_add_test(chk, test_check_unequal);
	tcase_add_test(chk, test_check_size);
	tcase_add_test(chk, test_check_overlap);
	tcase_add_test(chk, test_check_unknown_member);
	tcase_add_test(chk, test_check_strip_extent);
	suite_add_tcase(s, chk);
	tcase_add_checked_fixture(entry, setup, NULL);
	tcase_add_test(entry, test_entry_round_trip);
	tcase_add_test(entry, test_entry_damage);
	tcase_add_test(entry, test_entry_sizes);
	tcase_add_test(entry, test_entry_encode_rejects);
	tcase_add_test(entry, test_entry_decode_chunk);
	tcase_add_test(entry, test_entry_decode_reserved);
	tcase_add_test(entry, test_entry_decode_strips);
	tcase_add_test(entry, test_entry_decode_count);
	tcase_add_test(entry, test_entry_decode_member_unknown);
	suite_add_tcase(s, entry);
	tcase_add_test(locate, test_locate);
	suite_add_tcase(s, locate);
	return test_run_suite(s);
}
