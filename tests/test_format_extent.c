// SPDX-License-Identifier: GPL-2.0
/* Extents: one against its member's geometry, and a file's list as a whole. */
#include "test_format_common.h"

static int check_one(uint32_t dev, uint64_t offset, uint64_t len)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_extent_info ext = test_extent(offset, len);

	ext.dev_index = dev;
	return famfs_extent_check(&geo, &ext);
}

START_TEST(test_extent_valid)
{
	ck_assert_int_eq(check_one(0, DATA_START, AU), FAMFS_OK);
	ck_assert_int_eq(check_one(0, GiB - AU, AU), FAMFS_OK);
	ck_assert_int_eq(check_one(0, DATA_START, GiB - DATA_START), FAMFS_OK);
}
END_TEST

START_TEST(test_extent_dev)
{
	ck_assert_int_eq(check_one(FAMFS_MAX_DEVICES, DATA_START, AU),
			 FAMFS_E_EXT_DEV);
	ck_assert_int_eq(check_one(UINT32_MAX, DATA_START, AU), FAMFS_E_EXT_DEV);
}
END_TEST

START_TEST(test_extent_zero)
{
	ck_assert_int_eq(check_one(0, DATA_START, 0), FAMFS_E_EXT_ZERO);
}
END_TEST

START_TEST(test_extent_align)
{
	ck_assert_int_eq(check_one(0, DATA_START + 4096, AU), FAMFS_E_EXT_ALIGN);
	ck_assert_int_eq(check_one(0, DATA_START, AU + 4096), FAMFS_E_EXT_ALIGN);
	ck_assert_int_eq(check_one(0, DATA_START, 4096), FAMFS_E_EXT_ALIGN);
}
END_TEST

START_TEST(test_extent_reserved)
{
	ck_assert_int_eq(check_one(0, 0, AU), FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(check_one(0, FAMFS_LOG_OFFSET, AU), FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(check_one(0, DATA_START - AU, AU), FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(check_one(0, DATA_START - AU, 4 * AU),
			 FAMFS_E_EXT_RESERVED);
	/* Log area 1, whichever area is in use. */
	ck_assert_int_eq(check_one(0, LOG_AREA1, AU), FAMFS_E_EXT_RESERVED);
}
END_TEST

/* With one log area (before format 1.3) file data starts after it. */
START_TEST(test_extent_one_log_area)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_extent_info ext = test_extent(LOG_AREA1, AU);

	geo.log_areas = 1;
	ck_assert_int_eq(famfs_extent_check(&geo, &ext), FAMFS_OK);
	ext = test_extent(LOG_AREA1 - AU, AU);
	ck_assert_int_eq(famfs_extent_check(&geo, &ext), FAMFS_E_EXT_RESERVED);
}
END_TEST

START_TEST(test_extent_range)
{
	const uint64_t top = UINT64_MAX & ~(AU - 1);

	ck_assert_int_eq(check_one(0, GiB, AU), FAMFS_E_EXT_RANGE);
	ck_assert_int_eq(check_one(0, GiB - AU, 2 * AU), FAMFS_E_EXT_RANGE);
	/* offset + len would wrap past 2^64 in a naive check. */
	ck_assert_int_eq(check_one(0, top, AU), FAMFS_E_EXT_RANGE);
	ck_assert_int_eq(check_one(0, DATA_START, top), FAMFS_E_EXT_RANGE);
	ck_assert_int_eq(check_one(0, top - AU, 2 * AU), FAMFS_E_EXT_RANGE);
}
END_TEST

/* Members 1 and 2 (format 1.4): 1 GiB and 64 MiB, data from their 2 MiB. */
static int check_member(uint32_t dev, uint64_t offset, uint64_t len)
{
	struct famfs_geometry geo = test_geometry_members(2);
	struct famfs_member_info m = test_member(2, 64ULL << 20);
	struct famfs_extent_info ext = { .dev_index = dev, .offset = offset,
					 .len = len };

	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_OK);
	return famfs_extent_check(&geo, &ext);
}

START_TEST(test_extent_member)
{
	const uint64_t start = FAMFS_MEMBER_DATA_OFFSET;

	ck_assert_int_eq(check_member(1, start, AU), FAMFS_OK);
	ck_assert_int_eq(check_member(1, start, GiB - start), FAMFS_OK);
	ck_assert_int_eq(check_member(2, (64ULL << 20) - AU, AU), FAMFS_OK);
	/* Member 0's log is not theirs: their data starts after the label. */
	ck_assert_int_eq(check_member(1, FAMFS_LOG_OFFSET, AU), FAMFS_OK);
	ck_assert_int_eq(check_member(1, 0, AU), FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(check_member(2, 0, 2 * AU), FAMFS_E_EXT_RESERVED);
	/* Each member's own size bounds it. */
	ck_assert_int_eq(check_member(2, 64ULL << 20, AU), FAMFS_E_EXT_RANGE);
	ck_assert_int_eq(check_member(2, start, 64ULL << 20), FAMFS_E_EXT_RANGE);
	ck_assert_int_eq(check_member(1, GiB - AU, 2 * AU), FAMFS_E_EXT_RANGE);
	/* A member the geometry does not hold (yet). */
	ck_assert_int_eq(check_member(3, start, AU), FAMFS_E_EXT_DEV);
	ck_assert_int_eq(check_one(1, start, AU), FAMFS_E_EXT_DEV);
	ck_assert_int_eq(check_member(1, start + 4096, AU), FAMFS_E_EXT_ALIGN);
}
END_TEST

static int check_list(const struct famfs_extent_info *ext, uint32_t n,
		      uint64_t size)
{
	struct famfs_geometry geo = test_geometry();

	return famfs_extents_check(&geo, ext, n, size);
}

START_TEST(test_list_valid)
{
	struct famfs_extent_info ext[] = {
		test_extent(DATA_START + 4 * AU, AU),
		test_extent(DATA_START, 2 * AU),
		test_extent(DATA_START + 2 * AU, AU),	/* touches, no overlap */
	};

	ck_assert_int_eq(check_list(ext, 3, 4 * AU), FAMFS_OK);
	ck_assert_int_eq(check_list(ext, 3, 4 * AU - 1), FAMFS_OK);
	ck_assert_int_eq(check_list(ext, 3, 0), FAMFS_OK);
	ck_assert_int_eq(check_list(ext, 0, 0), FAMFS_OK);
	ck_assert_int_eq(check_list(NULL, 0, 0), FAMFS_OK);
}
END_TEST

START_TEST(test_list_count)
{
	struct famfs_extent_info ext = test_extent(DATA_START, AU);
	struct famfs_extent_info *many;

	ck_assert_int_eq(check_list(&ext, 0, 1), FAMFS_E_EXT_COUNT);
	many = calloc(FAMFS_MAX_EXTENTS + 1, sizeof(*many));
	ck_assert_ptr_nonnull(many);
	ck_assert_int_eq(check_list(many, FAMFS_MAX_EXTENTS + 1, 0),
			 FAMFS_E_EXT_COUNT);
	ck_assert_int_eq(check_list(many, UINT32_MAX, 0), FAMFS_E_EXT_COUNT);
	free(many);
}
END_TEST

/* The first bad extent decides the error, wherever it is in the list. */
START_TEST(test_list_bad_member)
{
	struct famfs_extent_info ext[] = {
		test_extent(DATA_START, AU),
		test_extent(DATA_START + AU, AU),
		test_extent(0, AU),
		test_extent(DATA_START + 3 * AU, 0),
	};

	ck_assert_int_eq(check_list(ext, 4, 0), FAMFS_E_EXT_RESERVED);
	ck_assert_int_eq(check_list(ext + 3, 1, 0), FAMFS_E_EXT_ZERO);
	ext[1].dev_index = 1;
	ck_assert_int_eq(check_list(ext, 4, 0), FAMFS_E_EXT_DEV);
}
END_TEST

START_TEST(test_list_overlap)
{
	struct famfs_extent_info ext[] = {
		test_extent(DATA_START + 10 * AU, 2 * AU),
		test_extent(DATA_START, AU),
		test_extent(DATA_START + 11 * AU, AU),
	};
	struct famfs_extent_info sorted[] = {
		test_extent(DATA_START, 4 * AU),
		test_extent(DATA_START + AU, AU),
	};
	struct famfs_extent_info same[] = {
		test_extent(DATA_START, AU),
		test_extent(DATA_START, AU),
	};

	/* Not neighbours, list not sorted. */
	ck_assert_int_eq(check_list(ext, 3, 0), FAMFS_E_EXT_OVERLAP);
	/* Contained, list sorted. */
	ck_assert_int_eq(check_list(sorted, 2, 0), FAMFS_E_EXT_OVERLAP);
	ck_assert_int_eq(check_list(same, 2, 0), FAMFS_E_EXT_OVERLAP);
}
END_TEST

/* Overlap is per member: the same bytes of two members are two places. */
START_TEST(test_list_overlap_members)
{
	struct famfs_geometry geo = test_geometry_members(3);
	struct famfs_extent_info ext[] = {
		{ .dev_index = 2, .offset = DATA_START, .len = 2 * AU },
		{ .dev_index = 0, .offset = DATA_START, .len = 2 * AU },
		{ .dev_index = 1, .offset = DATA_START, .len = 2 * AU },
		{ .dev_index = 1, .offset = DATA_START + 4 * AU, .len = AU },
	};

	ck_assert_int_eq(famfs_extents_check(&geo, ext, 4, 7 * AU), FAMFS_OK);
	ext[3].offset = DATA_START + AU;
	ck_assert_int_eq(famfs_extents_check(&geo, ext, 4, 0), FAMFS_E_EXT_OVERLAP);
	ext[3].dev_index = 2;
	ck_assert_int_eq(famfs_extents_check(&geo, ext, 4, 0), FAMFS_E_EXT_OVERLAP);
	ext[3].dev_index = 0;
	ck_assert_int_eq(famfs_extents_check(&geo, ext, 4, 0), FAMFS_E_EXT_OVERLAP);
}
END_TEST

START_TEST(test_list_short)
{
	struct famfs_extent_info ext[] = {
		test_extent(DATA_START, AU),
		test_extent(DATA_START + 2 * AU, AU),
	};

	ck_assert_int_eq(check_list(ext, 2, 2 * AU + 1), FAMFS_E_EXT_SHORT);
	ck_assert_int_eq(check_list(ext, 2, UINT64_MAX), FAMFS_E_EXT_SHORT);
	ck_assert_int_eq(check_list(ext, 1, AU + 1), FAMFS_E_EXT_SHORT);
}
END_TEST

/*
 * FAMFS_MAX_EXTENTS one-unit extents, in the given order, on a big device,
 * then the same list with its last extent overlapping its first.
 */
static void check_max_list(bool reverse)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_extent_info *ext;
	uint32_t i, n = FAMFS_MAX_EXTENTS;

	famfs_geo_set_dev_size(&geo, 64 * GiB);
	ext = calloc(n, sizeof(*ext));
	ck_assert_ptr_nonnull(ext);
	for (i = 0; i < n; i++)
		ext[i] = test_extent(DATA_START + (reverse ? n - 1 - i : i) * AU, AU);
	ck_assert_int_eq(famfs_extents_check(&geo, ext, n, (uint64_t)n * AU),
			 FAMFS_OK);
	ext[n - 1] = ext[0];
	ck_assert_int_eq(famfs_extents_check(&geo, ext, n, 0),
			 FAMFS_E_EXT_OVERLAP);
	free(ext);
}

START_TEST(test_list_max_sorted)
{
	check_max_list(false);
}
END_TEST

START_TEST(test_list_max_unsorted)
{
	check_max_list(true);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_extent");
	TCase *one = tcase_create("extent");
	TCase *list = tcase_create("list");

	tcase_add_test(one, test_extent_valid);
	tcase_add_test(one, test_extent_dev);
	tcase_add_test(one, test_extent_zero);
	tcase_add_test(one, test_extent_align);
	tcase_add_test(one, test_extent_reserved);
	tcase_add_test(one, test_extent_one_log_area);
	tcase_add_test(one, test_extent_range);
	tcase_add_test(one, test_extent_member);
	suite_add_tcase(s, one);

	tcase_add_test(list, test_list_valid);
	tcase_add_test(list, test_list_count);
	tcase_add_test(list, test_list_bad_member);
	tcase_add_test(list, test_list_overlap);
	tcase_add_test(list, test_list_overlap_members);
	tcase_add_test(list, test_list_short);
	tcase_add_test(list, test_list_max_sorted);
	tcase_add_test(list, test_list_max_unsorted);
	suite_add_tcase(s, list);
	return test_run_suite(s);
}
