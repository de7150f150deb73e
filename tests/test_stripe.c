// SPDX-License-Identifier: GPL-2.0
/* Placing striped files: strip lengths, buckets, members, all or nothing. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "famfs_test.h"

#define UNIT	FAMFS_ALLOC_UNIT

/* A 64 MiB device: units 0-8 hold the superblock and the log, 9-31 data. */
static struct famfs_geometry geo;
static struct famfs_alloc a;
static struct famfs_error err;
static struct famfs_extent_info strip[FAMFS_STRIPE_MAX];

static void setup(void)
{
	memset(&geo, 0, sizeof(geo));
	geo.dev_size = FT_IMAGE_SIZE;
	geo.log_offset = FAMFS_LOG_OFFSET;
	geo.log_len = FAMFS_LOG_LEN_DEFAULT;
	geo.log_areas = FAMFS_LOG_AREAS;
	geo.alloc_unit = FAMFS_ALLOC_UNIT;
	geo.n_members = 1;
	geo.member_size[0] = FT_IMAGE_SIZE;
	ck_assert_int_eq(famfs_alloc_init(&a, &geo, false), 0);
	memset(&err, 0, sizeof(err));
	memset(strip, 0, sizeof(strip));
}

static void teardown(void)
{
	famfs_alloc_free(&a);
}

/* Stripe nstrips x chunk MiB, buckets nb, over a file of size bytes. */
static int alloc(uint32_t nstrips, uint64_t chunk_mib, uint32_t nb,
		 uint64_t size)
{
	struct famfs_stripe s = { .nstrips = nstrips, .nbuckets = nb,
				  .chunk = chunk_mib * FT_MIB };

	return famfs_alloc_stripes(&a, &s, size, strip, &err);
}

START_TEST(test_strip_len_rounds_to_rows)
{
	struct famfs_stripe s = { .nstrips = 4, .chunk = 2 * FT_MIB };

	ck_assert_uint_eq(famfs_strip_len(&s, 1), 2 * FT_MIB);
	ck_assert_uint_eq(famfs_strip_len(&s, 8 * FT_MIB), 2 * FT_MIB);
	ck_assert_uint_eq(famfs_strip_len(&s, 8 * FT_MIB + 1), 4 * FT_MIB);
	ck_assert_uint_eq(famfs_strip_len(&s, 100 * FT_MIB), 26 * FT_MIB);
	s.chunk = 4 * FT_MIB;
	ck_assert_uint_eq(famfs_strip_len(&s, 100 * FT_MIB), 28 * FT_MIB);
	/* Sizes near 2^64 round up without wrapping to a strip of 0. */
	s.nstrips = 2;
	s.chunk = 2 * FT_MIB;
	ck_assert_uint_eq(famfs_strip_len(&s, UINT64_MAX - 2 * FT_MIB + 1),
			  UINT64_MAX / 2 + 1);
}
END_TEST

/* 23 data units in two buckets: [9, 20) and [20, 32). */
START_TEST(test_buckets_default_to_strips)
{
	ck_assert_int_eq(alloc(2, 2, 0, 7 * FT_MIB), 0);
	ck_assert_uint_eq(strip[0].dev_index, 0);
	ck_assert_uint_eq(strip[0].offset, 9 * UNIT);
	ck_assert_uint_eq(strip[0].len, 4 * FT_MIB);
	ck_assert_uint_eq(strip[1].offset, 20 * UNIT);
	ck_assert_uint_eq(strip[1].len, 4 * FT_MIB);
	ck_assert_uint_eq(a.free_units, FT_DATA_UNITS - 4);
}
END_TEST

/* Four buckets of 5 units: strip 1 starts bucket 1. */
START_TEST(test_buckets_given)
{
	ck_assert_int_eq(alloc(2, 2, 4, 1), 0);
	ck_assert_uint_eq(strip[0].offset, 9 * UNIT);
	ck_assert_uint_eq(strip[1].offset, 14 * UNIT);
}
END_TEST

/* More strips than buckets: strip i in bucket i mod B, after the first. */
START_TEST(test_strips_share_buckets)
{
	ck_assert_int_eq(alloc(4, 2, 2, 1), 0);
	ck_assert_uint_eq(strip[0].offset, 9 * UNIT);
	ck_assert_uint_eq(strip[1].offset, 20 * UNIT);
	ck_assert_uint_eq(strip[2].offset, 10 * UNIT);
	ck_assert_uint_eq(strip[3].offset, 21 * UNIT);
}
END_TEST

/* A full bucket: the strip comes from anywhere else on the member. */
START_TEST(test_full_bucket_falls_back)
{
	struct famfs_extent_info used = { .offset = 20 * UNIT,
					  .len = 12 * UNIT };

	ck_assert_int_eq(famfs_alloc_claim(&a, &used, 1, NULL), 0);
	ck_assert_int_eq(alloc(2, 2, 0, 1), 0);
	ck_assert_uint_eq(strip[0].offset, 9 * UNIT);
	ck_assert_uint_eq(strip[1].offset, 10 * UNIT);
}
END_TEST

/* No room for the last strip: the others are given back. */
START_TEST(test_enospc_takes_nothing)
{
	uint64_t before = a.free_units;

	ck_assert_int_eq(alloc(4, 2, 0, 48 * FT_MIB), -ENOSPC);
	ck_assert_uint_eq(a.free_units, before);
	ck_assert_str_eq(err.msg,
			 "member 0 full: no free run of 12 MiB for strip 3 of 4");
	ck_assert_int_eq(alloc(2, 2, 0, 1), 0);
	ck_assert_uint_eq(strip[0].offset, 9 * UNIT);
}
END_TEST

/* Two members of 32 units: member 1's data starts at its unit 1. */
static void two_members(void)
{
	famfs_alloc_free(&a);
	geo.n_members = 2;
	geo.member_size[1] = FT_IMAGE_SIZE;
	ck_assert_int_eq(famfs_alloc_init(&a, &geo, false), 0);
}

/*
 * Strip i on member i mod 2, from bucket i mod 4 of it: member 0's
 * buckets are 5 units wide from unit 9, member 1's 7 from unit 1.
 */
START_TEST(test_round_robin_over_members)
{
	static const uint32_t member[4] = { 0, 1, 0, 1 };
	static const uint64_t unit[4] = { 9, 8, 19, 22 };
	uint32_t i;

	two_members();
	ck_assert_int_eq(alloc(4, 2, 0, 1), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(strip[i].dev_index, member[i]);
		ck_assert_uint_eq(strip[i].offset, unit[i] * UNIT);
	}
}
END_TEST

/* A member without room: the strips taken on the other are given back. */
START_TEST(test_member_full_takes_nothing)
{
	struct famfs_extent_info used = { .dev_index = 1, .offset = UNIT,
					  .len = 31 * UNIT };
	uint64_t before;

	two_members();
	ck_assert_int_eq(famfs_alloc_claim(&a, &used, 1, NULL), 0);
	before = a.free_units;
	ck_assert_int_eq(alloc(2, 2, 0, 1), -ENOSPC);
	ck_assert_uint_eq(a.free_units, before);
	ck_assert_str_eq(err.msg,
			 "member 1 full: no free run of 2 MiB for strip 1 of 2");
}
END_TEST

START_TEST(test_layout_checked)
{
	struct famfs_stripe s = { .nstrips = 1, .chunk = UNIT };

	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "1 strips: a striped file has 2 to 64");
	s.nstrips = FAMFS_STRIPE_MAX + 1;
	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), -EINVAL);
	s.nstrips = 2;
	s.chunk = 3 * FT_MIB;
	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), -EINVAL);
	ck_assert_str_eq(err.msg,
			 "chunk size 3145728: must be a non-zero multiple of 2 MiB, at most 1024 GiB");
	/* Strips x chunk must not wrap (it did at 2 x 2^63: SIGFPE). */
	s.chunk = 1ULL << 63;
	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), -EINVAL);
	s.chunk = FAMFS_CHUNK_MAX + UNIT;
	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), -EINVAL);
	s.chunk = 0;
	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), -EINVAL);
	s.chunk = 4 * FT_MIB;
	ck_assert_int_eq(famfs_stripe_valid(&s, UNIT, &err), 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_strip_len_rounds_to_rows,
		test_buckets_default_to_strips,
		test_buckets_given,
		test_strips_share_buckets,
		test_full_bucket_falls_back,
		test_enospc_takes_nothing,
		test_round_robin_over_members,
		test_member_full_takes_nothing,
		test_layout_checked,
		NULL,
	};

	return ft_main("stripe", setup, teardown, tests);
}
