// SPDX-License-Identifier: GPL-2.0
/*
 * Format 1.3: the active-log record (one copy: round trip and every
 * rejection; two copies: which one names the log).
 */
#include "test_format_common.h"

#define REC		FAMFS_LOGREC_SIZE
#define REC_OFF(f)	offsetof(struct famfs_log_record, f)

/* Both copies, as they lie in the superblock area; and a spare copy. */
static uint8_t rec[FAMFS_LOGREC_COPIES * REC] __attribute__((aligned(64)));
static uint8_t one[2 * REC] __attribute__((aligned(64)));

static void setup(void)
{
	memset(rec, 0, sizeof(rec));
	memset(one, 0, sizeof(one));
}

/* Write copy i of the record: generation g, area a. */
static void put_copy(unsigned int i, uint64_t g, uint32_t a)
{
	const struct famfs_log_gen gen = { .generation = g, .area = a };

	famfs_logrec_encode(&gen, rec + i * REC);
}

static int decode_one(uint32_t log_areas, struct famfs_log_gen *out)
{
	return famfs_logrec_decode(one, REC, log_areas, out);
}

/* ---- one copy ------------------------------------------------------------ */

START_TEST(test_logrec_layout)
{
	const struct famfs_log_gen g = { .generation = 0x0102030405060708ULL, .area = 1 };

	ck_assert_uint_eq(sizeof(struct famfs_log_record), 64);
	ck_assert_uint_eq(REC_OFF(magic), 0);
	ck_assert_uint_eq(REC_OFF(generation), 8);
	ck_assert_uint_eq(REC_OFF(area), 16);
	ck_assert_uint_eq(REC_OFF(flags), 20);
	ck_assert_uint_eq(REC_OFF(reserved), 24);
	ck_assert_uint_eq(REC_OFF(crc), 60);
	ck_assert_uint_eq(FAMFS_LOGREC_OFFSET, 32768);
	ck_assert_uint_eq(FAMFS_LOGREC_COPIES, 2);
	memset(one, 0xa5, sizeof(one));
	famfs_logrec_encode(&g, one);
	ck_assert_mem_eq(one, "FAMFGREC", 8);
	ck_assert_uint_eq(one[8], 0x08);
	ck_assert_uint_eq(one[15], 0x01);
	ck_assert_uint_eq(one[16], 1);
	ck_assert_uint_eq(one[20], 0);		/* flags */
	ck_assert_uint_eq(one[24], 0);		/* reserved */
	ck_assert_uint_eq(one[59], 0);
	/* Exactly one cache line: what follows it is untouched. */
	ck_assert_uint_eq(one[REC], 0xa5);
	ck_assert_uint_eq(one[2 * REC - 1], 0xa5);
}
END_TEST

START_TEST(test_logrec_round_trip)
{
	static const struct famfs_log_gen cases[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 0 }, { UINT64_MAX, 1 },
	};
	struct famfs_log_gen out;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		famfs_logrec_encode(&cases[i], one);
		memset(&out, 0xa5, sizeof(out));
		ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_OK);
		ck_assert_uint_eq(out.generation, cases[i].generation);
		ck_assert_uint_eq(out.area, cases[i].area);
	}
}
END_TEST

START_TEST(test_logrec_decode_rejects)
{
	const struct famfs_log_gen g = { .generation = 3, .area = 1 };
	struct famfs_log_gen out = { .generation = 77, .area = 77 };

	/* Never written: zero. */
	ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_E_MAGIC);
	famfs_logrec_encode(&g, one);
	ck_assert_int_eq(famfs_logrec_decode(one, REC - 1, FAMFS_LOG_AREAS, &out),
			 FAMFS_E_SHORT);
	/* Torn or damaged: the CRC. */
	one[REC_OFF(generation)] ^= 0x04;
	ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_E_CRC);
	famfs_logrec_encode(&g, one);
	one[REC_OFF(crc) + 3] ^= 0x80;
	ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_E_CRC);
	/* Flags and reserved bytes: none defined. */
	famfs_logrec_encode(&g, one);
	test_put32(one + REC_OFF(flags), 1);
	test_fixed_reseal(one, REC);
	ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_E_FLAGS);
	famfs_logrec_encode(&g, one);
	one[REC_OFF(reserved) + 35] = 0x10;
	test_fixed_reseal(one, REC);
	ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_E_FLAGS);
	/* An area the superblock does not have. */
	famfs_logrec_encode(&g, one);
	test_put32(one + REC_OFF(area), 2);
	test_fixed_reseal(one, REC);
	ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out), FAMFS_E_GEOMETRY);
	famfs_logrec_encode(&g, one);
	ck_assert_int_eq(decode_one(1, &out), FAMFS_E_GEOMETRY);
	/* Nothing was taken from a copy refused. */
	ck_assert_uint_eq(out.generation, 77);
	ck_assert_uint_eq(out.area, 77);
}
END_TEST

/* Damage in the magic is reported as such; anywhere else the CRC catches it. */
START_TEST(test_logrec_every_byte_flipped)
{
	const struct famfs_log_gen g = { .generation = 9, .area = 1 };
	struct famfs_log_gen out;
	uint8_t good[REC];
	size_t i;
	int bit;

	famfs_logrec_encode(&g, good);
	for (i = 0; i < REC; i++) {
		for (bit = -1; bit < 8; bit++) {
			memcpy(one, good, REC);
			one[i] ^= bit < 0 ? 0xff : 1u << bit;
			ck_assert_int_eq(decode_one(FAMFS_LOG_AREAS, &out),
					 i < 8 ? FAMFS_E_MAGIC : FAMFS_E_CRC);
		}
	}
}
END_TEST

/* ---- two copies ---------------------------------------------------------- */

static int pick(struct famfs_log_gen *out, unsigned int *valid)
{
	return famfs_logrec_pick(rec, sizeof(rec), FAMFS_LOG_AREAS, out, valid);
}

/* The copies (of log_areas areas) name generation g in area a; valid copies. */
static void expect_pick_of(size_t len, uint32_t log_areas, uint64_t g,
			   uint32_t a, unsigned int valid)
{
	struct famfs_log_gen out = { .generation = 77, .area = 77 };
	unsigned int got = 7;

	ck_assert_int_eq(famfs_logrec_pick(rec, len, log_areas, &out, &got),
			 FAMFS_OK);
	ck_assert_uint_eq(got, valid);
	ck_assert_uint_eq(out.generation, g);
	ck_assert_uint_eq(out.area, a);
}

static void expect_pick(uint64_t g, uint32_t a, unsigned int valid)
{
	expect_pick_of(sizeof(rec), FAMFS_LOG_AREAS, g, a, valid);
}

/* No copy is valid: err, and nothing picked. */
static void expect_none(size_t len, int err)
{
	struct famfs_log_gen out = { .generation = 77, .area = 77 };
	unsigned int valid = 7;

	ck_assert_int_eq(famfs_logrec_pick(rec, len, FAMFS_LOG_AREAS, &out, &valid),
			 err);
	ck_assert_uint_eq(valid, 0);
	ck_assert_uint_eq(out.generation, 77);
	ck_assert_uint_eq(out.area, 77);
}

START_TEST(test_pick_fresh)
{
	struct famfs_log_gen out;

	/* As mkfs leaves it: copy 0 generation 0, copy 1 cleared. */
	put_copy(0, 0, 0);
	expect_pick(0, 0, 1);
	/* valid may be NULL. */
	ck_assert_int_eq(pick(&out, NULL), FAMFS_OK);
}
END_TEST

/* The valid copy of the higher generation wins, whichever copy it is. */
START_TEST(test_pick_higher_generation)
{
	put_copy(0, 4, 0);
	put_copy(1, 5, 1);
	expect_pick(5, 1, 3);
	put_copy(0, 6, 0);
	expect_pick(6, 0, 3);
	/* Not the order of the copies: 1 is not newer for being second. */
	put_copy(0, 8, 1);
	put_copy(1, 7, 0);
	expect_pick(8, 1, 3);
}
END_TEST

/*
 * A switch to generation 5 (copy 1) torn by a crash: part of the new
 * bytes over generation 3's. The CRC fails, and copy 0 (generation 4)
 * stays the answer, as if the switch had not begun.
 */
START_TEST(test_pick_torn_newer_copy)
{
	const struct famfs_log_gen g5 = { .generation = 5, .area = 1 };
	uint8_t newer[REC], older[REC];
	unsigned int cut;

	famfs_logrec_encode(&g5, newer);
	for (cut = 1; cut < REC; cut++) {
		put_copy(0, 4, 0);
		put_copy(1, 3, 1);
		memcpy(older, rec + REC, REC);
		memcpy(rec + REC, newer, cut);
		/* Until a byte changed, copy 1 is generation 3's, still valid. */
		expect_pick(4, 0, memcmp(rec + REC, older, REC) ? 1 : 3);
	}
	/* A bit flipped in the newer copy: the same. */
	put_copy(1, 5, 1);
	rec[REC + REC_OFF(area)] ^= 0x01;
	expect_pick(4, 0, 1);
}
END_TEST

/* Generation g lives in copy g % 2: anything else is not a record. */
START_TEST(test_pick_wrong_parity)
{
	put_copy(0, 4, 0);
	put_copy(1, 6, 1);		/* even, in copy 1 */
	expect_pick(4, 0, 1);
	put_copy(0, 7, 0);		/* odd, in copy 0 */
	put_copy(1, 5, 1);
	expect_pick(5, 1, 2);
	/* Neither holds its own parity: no answer, copy 0's error. */
	put_copy(1, 8, 1);
	expect_none(sizeof(rec), FAMFS_E_GEOMETRY);
}
END_TEST

/* An area the superblock does not have makes that copy invalid. */
START_TEST(test_pick_area_beyond)
{
	put_copy(0, 2, 0);
	put_copy(1, 3, 1);
	expect_pick_of(sizeof(rec), 1, 2, 0, 1);
}
END_TEST

START_TEST(test_pick_none_valid)
{
	/* Never written. */
	expect_none(sizeof(rec), FAMFS_E_MAGIC);
	/* Both damaged: copy 0's error. */
	put_copy(0, 2, 0);
	put_copy(1, 1, 1);
	rec[REC_OFF(generation)] ^= 0x10;
	rec[REC + 30] ^= 0x10;
	expect_none(sizeof(rec), FAMFS_E_CRC);
	memset(rec + REC, 0, REC);
	expect_none(sizeof(rec), FAMFS_E_CRC);
}
END_TEST

/* A buffer that ends early: the copies it lacks are not valid. */
START_TEST(test_pick_short)
{
	put_copy(0, 0, 0);
	put_copy(1, 1, 1);
	expect_pick_of(REC, FAMFS_LOG_AREAS, 0, 0, 1);
	expect_none(REC - 1, FAMFS_E_SHORT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_logrec");
	TCase *copy = tcase_create("record");
	TCase *pk = tcase_create("pick");

	tcase_add_checked_fixture(copy, setup, NULL);
	tcase_add_test(copy, test_logrec_layout);
	tcase_add_test(copy, test_logrec_round_trip);
	tcase_add_test(copy, test_logrec_decode_rejects);
	tcase_add_test(copy, test_logrec_every_byte_flipped);
	suite_add_tcase(s, copy);

	tcase_add_checked_fixture(pk, setup, NULL);
	tcase_add_test(pk, test_pick_fresh);
	tcase_add_test(pk, test_pick_higher_generation);
	tcase_add_test(pk, test_pick_torn_newer_copy);
	tcase_add_test(pk, test_pick_wrong_parity);
	tcase_add_test(pk, test_pick_area_beyond);
	tcase_add_test(pk, test_pick_none_valid);
	tcase_add_test(pk, test_pick_short);
	suite_add_tcase(s, pk);

	return test_run_suite(s);
}
