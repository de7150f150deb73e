// SPDX-License-Identifier: GPL-2.0
/* The allocator: first fit, multiple extents, device full, collisions. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_test.h"

#define UNIT	FAMFS_ALLOC_UNIT

/*
 * A 64 MiB device: units 0-8 hold the superblock and the two log areas,
 * 9-31 are data.
 */
static const struct famfs_geometry geo = {
	.dev_size = FT_IMAGE_SIZE,
	.log_offset = FAMFS_LOG_OFFSET,
	.log_len = FAMFS_LOG_LEN_DEFAULT,
	.log_areas = FAMFS_LOG_AREAS,
	.alloc_unit = FAMFS_ALLOC_UNIT,
	.n_members = 1,
	.member_size = { FT_IMAGE_SIZE },
};

static struct famfs_alloc a;
static struct famfs_error err;

static void setup(void)
{
	ck_assert_int_eq(famfs_alloc_init(&a, &geo, true), 0);
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	famfs_alloc_free(&a);
}

/* Allocate size bytes in one extent and return its first unit. */
static uint64_t alloc_one(uint64_t size)
{
	struct famfs_extent_info x[4];
	uint32_t n;

	ck_assert_int_eq(famfs_alloc_extents(&a, size, x, 4, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	return x[0].offset / UNIT;
}

START_TEST(test_init_reserves_metadata)
{
	ck_assert_uint_eq(a.m[0].nunits, 32);
	ck_assert_uint_eq(a.m[0].data_start, 9);
	ck_assert_uint_eq(a.free_units, 23);
}
END_TEST

START_TEST(test_first_fit_contiguous)
{
	ck_assert_uint_eq(alloc_one(1), 9);
	ck_assert_uint_eq(alloc_one(UNIT + 1), 10);	/* rounds up to 2 units */
	ck_assert_uint_eq(alloc_one(UNIT), 12);
	ck_assert_uint_eq(a.free_units, 19);
}
END_TEST

START_TEST(test_first_fit_reuses_released_hole)
{
	struct famfs_extent_info x = ft_extent(10, 2);

	ck_assert_uint_eq(alloc_one(4 * UNIT), 9);		/* 9-12 */
	famfs_alloc_release(&a, &x, 1);				/* hole 10-11 */
	ck_assert_uint_eq(alloc_one(3 * UNIT), 13);		/* does not fit */
	ck_assert_uint_eq(alloc_one(2 * UNIT), 10);		/* fits */
}
END_TEST

START_TEST(test_multi_extent_when_fragmented)
{
	struct famfs_extent_info holes[3] = {
		ft_extent(11, 1), ft_extent(16, 2), ft_extent(30, 1),
	};
	struct famfs_extent_info x[4];
	uint32_t n;

	ck_assert_uint_eq(alloc_one(23 * UNIT), 9);		/* all of it */
	famfs_alloc_release(&a, holes, 3);
	ck_assert_uint_eq(a.free_units, 4);
	ck_assert_int_eq(famfs_alloc_extents(&a, 4 * UNIT, x, 4, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(x[0].offset, 11 * UNIT);
	ck_assert_uint_eq(x[0].len, UNIT);
	ck_assert_uint_eq(x[1].offset, 16 * UNIT);
	ck_assert_uint_eq(x[1].len, 2 * UNIT);
	ck_assert_uint_eq(x[2].offset, 30 * UNIT);
	ck_assert_uint_eq(a.free_units, 0);
	ck_assert_int_eq(famfs_extents_check(&geo, x, n, 4 * UNIT), 0);
}
END_TEST

START_TEST(test_too_fragmented_takes_nothing)
{
	struct famfs_extent_info holes[3] = {
		ft_extent(11, 1), ft_extent(16, 2), ft_extent(30, 1),
	};
	struct famfs_extent_info x[2];
	uint32_t n;

	alloc_one(23 * UNIT);
	famfs_alloc_release(&a, holes, 3);
	ck_assert_int_eq(famfs_alloc_extents(&a, 4 * UNIT, x, 2, &n, &err), -ENOSPC);
	ck_assert_msg(strstr(err.msg, "too fragmented"), "%s", err.msg);
	ck_assert_uint_eq(a.free_units, 4);
	ck_assert_uint_eq(alloc_one(2 * UNIT), 16);
}
END_TEST

START_TEST(test_device_full)
{
	struct famfs_extent_info x[4];
	uint32_t n;

	ck_assert_int_eq(famfs_alloc_extents(&a, 24 * UNIT, x, 4, &n, &err), -ENOSPC);
	ck_assert_str_eq(err.msg, "device full: 48 MiB needed, 46 MiB free");
	ck_assert_uint_eq(a.free_units, 23);
	alloc_one(23 * UNIT);
	ck_assert_int_eq(famfs_alloc_extents(&a, 1, x, 4, &n, &err), -ENOSPC);
	ck_assert_str_eq(err.msg, "device full: 2 MiB needed, 0 MiB free");
}
END_TEST

START_TEST(test_empty_file_needs_no_extent)
{
	struct famfs_extent_info x[1];
	uint32_t n = 7;

	ck_assert_int_eq(famfs_alloc_extents(&a, 0, x, 1, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(a.free_units, 23);
}
END_TEST

START_TEST(test_collision_names_owner)
{
	struct famfs_extent_info first = ft_extent(14, 3);
	struct famfs_extent_info second = ft_extent(16, 2);
	struct famfs_collision c;

	ck_assert_int_eq(famfs_alloc_claim(&a, &first, 4, &c), 0);
	ck_assert_int_eq(famfs_alloc_claim(&a, &second, 9, &c), 1);
	ck_assert_uint_eq(c.offset, 16 * UNIT);
	ck_assert_uint_eq(c.units, 1);
	ck_assert_uint_eq(c.owner_seq, 4);
	ck_assert_uint_eq(a.free_units, 23 - 4);
}
END_TEST

START_TEST(test_release_ignores_reserved)
{
	struct famfs_extent_info meta = ft_extent(0, 9);

	famfs_alloc_release(&a, &meta, 1);
	ck_assert_uint_eq(a.free_units, 23);
	ck_assert_uint_eq(alloc_one(UNIT), 9);
}
END_TEST

/* geo with a member 1 of 16 MiB: units 1-7 of it data. */
static struct famfs_geometry two_members(void)
{
	struct famfs_geometry g = geo;

	g.n_members = 2;
	g.member_size[1] = 8 * UNIT;
	return g;
}

START_TEST(test_plain_file_on_roomiest_member)
{
	const struct famfs_geometry g2 = two_members();
	struct famfs_extent_info x[4];
	struct famfs_alloc b;
	uint32_t n;

	ck_assert_int_eq(famfs_alloc_init(&b, &g2, false), 0);
	ck_assert_uint_eq(b.data_units, 23 + 7);
	ck_assert_uint_eq(b.free_units, 23 + 7);
	ck_assert_int_eq(famfs_alloc_extents(&b, 20 * UNIT, x, 4, &n, &err), 0);
	ck_assert_uint_eq(x[0].dev_index, 0);
	/* member 0 has 3 units left, member 1 seven */
	ck_assert_int_eq(famfs_alloc_extents(&b, UNIT, x, 4, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(x[0].dev_index, 1);
	ck_assert_uint_eq(x[0].offset, FAMFS_MEMBER_DATA_OFFSET);
	ck_assert_uint_eq(famfs_alloc_member_free(&b, 1), 6 * UNIT);
	/* 9 units: more than either holds, so runs of both */
	ck_assert_int_eq(famfs_alloc_extents(&b, 9 * UNIT, x, 4, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(x[0].dev_index, 1);
	ck_assert_uint_eq(x[0].len, 6 * UNIT);
	ck_assert_uint_eq(x[1].dev_index, 0);
	ck_assert_uint_eq(x[1].len, 3 * UNIT);
	ck_assert_uint_eq(b.free_units, 0);
	famfs_alloc_free(&b);
}
END_TEST

START_TEST(test_run_on_member)
{
	const struct famfs_geometry g2 = two_members();
	struct famfs_extent_info x;
	struct famfs_alloc b;

	ck_assert_int_eq(famfs_alloc_init(&b, &g2, true), 0);
	ck_assert_int_eq(famfs_alloc_on_member(&b, 1, 0, 0, 2 * UNIT, &x, &err), 0);
	ck_assert_uint_eq(x.dev_index, 1);
	ck_assert_uint_eq(x.offset, UNIT);
	ck_assert_uint_eq(x.len, 2 * UNIT);
	ck_assert_int_eq(famfs_alloc_on_member(&b, 1, 4 * UNIT, 6 * UNIT, UNIT + 1,
					       &x, &err), 0);
	ck_assert_uint_eq(x.offset, 4 * UNIT);
	ck_assert_int_eq(famfs_alloc_on_member(&b, 1, 4 * UNIT, 6 * UNIT, UNIT,
					       &x, &err), -ENOSPC);
	ck_assert_str_eq(err.msg, "member 1: no free run of 2 MiB between offsets 0x800000 and 0xc00000 (6 MiB free on it)");
	ck_assert_int_eq(famfs_alloc_on_member(&b, 2, 0, 0, UNIT, &x, &err), -EINVAL);
	ck_assert_uint_eq(b.free_units, 23 + 3);
	famfs_alloc_free(&b);
}
END_TEST

START_TEST(test_collision_on_member)
{
	const struct famfs_geometry g2 = two_members();
	struct famfs_extent_info x = { .dev_index = 1, .offset = 2 * UNIT, .len = UNIT };
	struct famfs_collision c;
	struct famfs_alloc b;

	ck_assert_int_eq(famfs_alloc_init(&b, &g2, true), 0);
	ck_assert_int_eq(famfs_alloc_claim(&b, &x, 5, &c), 0);
	x.offset = 2 * UNIT;
	ck_assert_int_eq(famfs_alloc_claim(&b, &x, 6, &c), 1);
	ck_assert_uint_eq(c.dev_index, 1);
	ck_assert_uint_eq(c.owner_seq, 5);
	/* the same offset on member 0 is another unit */
	x.dev_index = 0;
	x.offset = 20 * UNIT;
	ck_assert_int_eq(famfs_alloc_claim(&b, &x, 7, &c), 0);
	famfs_alloc_release(&b, &x, 1);
	ck_assert_uint_eq(famfs_alloc_member_free(&b, 0), 23 * UNIT);
	famfs_alloc_free(&b);
}
END_TEST

/* Building from a log claims what its files hold. */
START_TEST(test_build_from_log)
{
	struct famfs_extent_info x2[2] = { ft_extent(13, 1), ft_extent(24, 2) };
	struct famfs_extent_info x1 = ft_extent(9, 2);
	struct famfs_alloc b;
	struct ft_fs fs;

	ft_setup();
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ft_open(&fs, ft_path("img"));
	ft_add_file(&fs, "one", 2 * UNIT, &x1, 1);
	ft_add_file(&fs, "two", 3 * UNIT, x2, 2);
	ck_assert_int_eq(famfs_alloc_build(&b, &fs.log, &err), 0);
	ck_assert_uint_eq(b.free_units, 23 - 5);
	ck_assert_ptr_null(b.m[0].owners);
	famfs_alloc_free(&a);
	a = b;
	ck_assert_uint_eq(alloc_one(UNIT), 11);
	ck_assert_uint_eq(alloc_one(3 * UNIT), 14);
	ft_close(&fs);
	ft_teardown();
}
END_TEST

START_TEST(test_build_detects_collision)
{
	struct famfs_extent_info x1 = ft_extent(9, 2);
	struct famfs_extent_info x2 = ft_extent(10, 1);
	struct famfs_alloc b;
	struct ft_fs fs;

	ft_setup();
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ft_open(&fs, ft_path("img"));
	ft_add_file(&fs, "one", UNIT, &x1, 1);
	ft_add_file(&fs, "two", UNIT, &x2, 1);
	ck_assert_int_eq(famfs_alloc_build(&b, &fs.log, &err), FAMFS_E_EXT_OVERLAP);
	ck_assert_str_eq(err.msg,
			 "log entry seq 3 (two) claims device offset 0x1400000, already in use");
	ck_assert_ptr_null(b.m[0].bits);
	ft_close(&fs);
	ft_teardown();
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_init_reserves_metadata,
		test_first_fit_contiguous,
		test_first_fit_reuses_released_hole,
		test_multi_extent_when_fragmented,
		test_too_fragmented_takes_nothing,
		test_device_full,
		test_empty_file_needs_no_extent,
		test_collision_names_owner,
		test_release_ignores_reserved,
		test_build_from_log,
		test_build_detects_collision,
		test_plain_file_on_roomiest_member,
		test_run_on_member,
		test_collision_on_member,
		NULL,
	};

	return ft_main("alloc", setup, teardown, tests);
}
