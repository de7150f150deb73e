// SPDX-License-Identifier: GPL-2.0
/*
 * fsck of format 1.3's log areas: the active-log record's copies (none
 * valid is an error, one torn beside a valid one a note), what the area
 * not in use holds (never an error), and the GENERATION entry's place:
 * seq 0 of the log, naming the record's generation and area.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_test.h"

#define REC_OFF(copy)	(FAMFS_LOGREC_OFFSET + (copy) * FAMFS_LOGREC_SIZE)
#define AREA1		(FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT)

static struct famfs_fsck_report rep;
static struct famfs_error err;
static const char *img;

static void setup(void)
{
	img = ft_setup_fs();
}

static void run_fsck(void)
{
	ck_assert_int_eq(famfs_fsck(img, &ft_fsck_ops, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, ft_seen.problems);
	ck_assert_uint_eq(rep.notes, ft_seen.notes);
}

static void expect_clean(void)
{
	run_fsck();
	ck_assert_msg(rep.errors == 0, "%u errors: %s", rep.errors, ft_seen.first);
}

/* Exactly n problems, the first with this code and text in its message. */
static void expect_first(unsigned int n, int code, const char *want)
{
	run_fsck();
	ck_assert_msg(rep.errors == n, "%u errors: %s", rep.errors, ft_seen.first);
	ck_assert_int_eq(ft_seen.first_code, code);
	ck_assert_msg(strstr(ft_seen.first, want), "message: %s", ft_seen.first);
}

static void expect_one(int code, const char *want)
{
	expect_first(1, code, want);
}

static void add_dir(const char *path)
{
	struct famfs_meta m = { .mode = S_IFDIR | 0755 };
	struct ft_fs fs;

	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_mkdir(&fs.log, path, &m, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	ft_close(&fs);
}

/* ---- the record and the areas -------------------------------------------- */

START_TEST(test_fresh)
{
	expect_clean();
	ck_assert_uint_eq(rep.notes, 0);
	ck_assert_uint_eq(rep.sb.geo.log_areas, FAMFS_LOG_AREAS);
	ck_assert_uint_eq(rep.logrec_valid, 1);
	ck_assert_uint_eq(rep.logrec_empty, 2);
	ck_assert_uint_eq(rep.logrec[0].generation, 0);
	ck_assert_uint_eq(rep.logrec[0].area, 0);
	ck_assert_uint_eq(rep.gen.generation, 0);
	ck_assert_uint_eq(rep.gen.area, 0);
	ck_assert_uint_eq(rep.inactive.area, 1);
	ck_assert(!rep.inactive.log);
	ck_assert_int_eq(rep.inactive.err, FAMFS_E_MAGIC);
}
END_TEST

/* After a switch: area 1 holds generation 1, area 0 the previous one. */
START_TEST(test_switched)
{
	add_dir("d");
	ck_assert_uint_eq(ft_switch_log(img, true), 1);
	expect_clean();
	ck_assert_uint_eq(rep.notes, 0);
	ck_assert_uint_eq(rep.logrec_valid, 3);
	ck_assert_uint_eq(rep.logrec[1].generation, 1);
	ck_assert_uint_eq(rep.logrec[1].area, 1);
	ck_assert_uint_eq(rep.gen.generation, 1);
	ck_assert_uint_eq(rep.gen.area, 1);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES);
	ck_assert_uint_eq(rep.dirs, 0);		/* ft_switch_log carries nothing over */
	ck_assert_uint_eq(rep.hdr.next_seq, FT_MKFS_ENTRIES);
	ck_assert_uint_eq(rep.inactive.area, 0);
	ck_assert(rep.inactive.log);
	ck_assert(rep.inactive.gen_known);
	ck_assert_uint_eq(rep.inactive.generation, 0);
	ck_assert_uint_eq(rep.inactive.gen_area, 0);
	ck_assert_uint_eq(rep.inactive.entries, FT_MKFS_ENTRIES + 1);
	/* And back into area 0, generation 2 in copy 0. */
	ck_assert_uint_eq(ft_switch_log(img, true), 2);
	expect_clean();
	ck_assert_uint_eq(rep.gen.generation, 2);
	ck_assert_uint_eq(rep.gen.area, 0);
	ck_assert_uint_eq(rep.inactive.area, 1);
	ck_assert_uint_eq(rep.inactive.generation, 1);
}
END_TEST

/*
 * A switch to generation 1 torn by a crash: copy 1 fails its CRC, copy 0
 * still names area 0. A note, no error; area 1 holds what the compaction
 * wrote before it stopped.
 */
START_TEST(test_torn_copy_is_a_note)
{
	char want[160];

	ft_switch_log(img, true);
	ft_flip(img, REC_OFF(1) + 9, 0x01);
	expect_clean();
	ck_assert_uint_eq(rep.notes, 1);
	snprintf(want, sizeof(want),
		 "active-log record copy 1 (device offset %#llx): CRC mismatch; copy 0 (generation 0, area 0) names the log in use",
		 (unsigned long long)REC_OFF(1));
	ck_assert_msg(strstr(ft_seen.note, want), "note: %s", ft_seen.note);
	ck_assert_uint_eq(rep.logrec_valid, 1);
	ck_assert_uint_eq(rep.logrec_empty, 0);
	ck_assert_int_eq(rep.logrec_err[1], FAMFS_E_CRC);
	ck_assert_uint_eq(rep.gen.generation, 0);
	ck_assert_uint_eq(rep.gen.area, 0);
	ck_assert_uint_eq(rep.inactive.area, 1);
	ck_assert(rep.inactive.gen_known);
	ck_assert_uint_eq(rep.inactive.generation, 1);
}
END_TEST

/* A compaction that stopped before the switch: the other area is no error. */
START_TEST(test_unswitched_area)
{
	ft_switch_log(img, false);
	expect_clean();
	ck_assert_uint_eq(rep.notes, 0);
	ck_assert_uint_eq(rep.gen.generation, 0);
	ck_assert(rep.inactive.log);
	ck_assert_uint_eq(rep.inactive.generation, 1);
	ck_assert_uint_eq(rep.inactive.entries, FT_MKFS_ENTRIES);
}
END_TEST

/* A damaged header in the other area: reported as what it holds, no error. */
START_TEST(test_inactive_damaged)
{
	ft_switch_log(img, false);
	ft_flip(img, AREA1 + 30, 0x02);
	expect_clean();
	ck_assert(!rep.inactive.log);
	ck_assert_int_eq(rep.inactive.err, FAMFS_E_CRC);
	ck_assert(!rep.inactive.gen_known);
}
END_TEST

/* A copy valid but of the other copy's parity is no record: a note. */
START_TEST(test_wrong_parity_is_a_note)
{
	const struct famfs_log_gen g2 = { .generation = 2, .area = 1 };
	uint8_t copy[FAMFS_LOGREC_SIZE];
	struct ft_fs fs;

	famfs_logrec_encode(&g2, copy);
	ft_open(&fs, img);
	memcpy(fs.dev.base + REC_OFF(1), copy, sizeof(copy));
	ft_close(&fs);
	expect_clean();
	ck_assert_uint_eq(rep.notes, 1);
	ck_assert_int_eq(rep.logrec_err[1], FAMFS_E_GEOMETRY);
	ck_assert_msg(strstr(ft_seen.note, "a generation of the other copy's parity"),
		      "note: %s", ft_seen.note);
	ck_assert_uint_eq(rep.gen.generation, 0);
}
END_TEST

/* No valid copy: which area is the log cannot be told. */
START_TEST(test_no_valid_copy)
{
	int i;

	for (i = 0; i < FAMFS_LOGREC_SIZE; i++)
		ft_flip(img, REC_OFF(0) + i, (uint8_t)0xff);
	expect_one(FAMFS_E_MAGIC,
		   "active-log record (device offset 0x8000): no valid copy (copy 0: bad magic number; copy 1: never written), so which log area is in use is unknown");
	ck_assert(rep.sb_valid);
	ck_assert(!rep.log_valid);
	ck_assert_uint_eq(rep.logrec_valid, 0);
}
END_TEST

START_TEST(test_no_valid_copy_torn)
{
	ft_switch_log(img, true);
	ft_flip(img, REC_OFF(0) + 20, 0x01);
	ft_flip(img, REC_OFF(1) + 40, 0x01);
	expect_one(FAMFS_E_CRC, "no valid copy (copy 0: CRC mismatch; copy 1: CRC mismatch)");
	ck_assert(!rep.log_valid);
}
END_TEST

/* Through the buffer API: a superblock area that ends before the record. */
START_TEST(test_mem_without_record)
{
	struct famfs_device dev;

	ck_assert_int_eq(famfs_device_open(&dev, img, 0, NULL), 0);
	ck_assert_int_eq(famfs_fsck_mem(dev.base, 4096, dev.base + FAMFS_LOG_OFFSET,
					FAMFS_LOG_AREAS * FAMFS_LOG_LEN_DEFAULT,
					FT_IMAGE_SIZE, &ft_fsck_ops, &rep, &err), 0);
	famfs_device_close(&dev);
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_int_eq(ft_seen.first_code, FAMFS_E_SHORT);
	ck_assert_msg(strstr(ft_seen.first, "active-log record (device offset 0x8000): past the 4096 bytes of the superblock area read"),
		      "%s", ft_seen.first);
	ck_assert(!rep.log_valid);
}
END_TEST

/* A 1.2 file system has neither record nor second area. */
START_TEST(test_format_1_2)
{
	ft_make_older(img, FAMFS_VERSION_MINOR_HOSTS);
	expect_clean();
	ck_assert_uint_eq(rep.sb.geo.log_areas, 1);
	ck_assert_uint_eq(rep.sb.logrec_offset, 0);
	ck_assert_uint_eq(rep.logrec_valid, 0);
	ck_assert_uint_eq(rep.notes, 0);
	ck_assert_uint_eq(rep.entries, 1);
	ck_assert(!rep.inactive.log);
	/* 64 MiB less the superblock area and one 8 MiB log. */
	ck_assert_uint_eq(rep.space_free, 54 * FT_MIB);
}
END_TEST

/* ---- the GENERATION entry's place ---------------------------------------- */

/* Rewrite area 0's log of the image: these entries' bytes, n of them. */
static void rewrite_log(const uint8_t *entries, size_t len, uint64_t n)
{
	struct famfs_log_info hdr = {
		.log_len = FAMFS_LOG_LEN_DEFAULT, .next_seq = n,
		.next_off = FAMFS_LOG_ENTRIES_OFF + len,
	};
	struct ft_fs fs;

	ft_open(&fs, img);
	memcpy(fs.log.log_buf + FAMFS_LOG_ENTRIES_OFF, entries, len);
	ck_assert_int_eq(famfs_log_header_encode(&hdr, fs.log.log_buf), 0);
	ft_close(&fs);
}

#define ENTRIES_MAX	512	/* room for the entries these tests write */

/* Add GENERATION (generation, area) with seq at p + len; the new length. */
static size_t add_generation(uint8_t *p, size_t len, uint64_t seq,
			     uint64_t generation, uint32_t area)
{
	size_t more;

	ck_assert_int_eq(famfs_generation_entry_encode(p + len, ENTRIES_MAX - len,
						       seq, generation, area, 2,
						       &more), 0);
	return len + more;
}

/* Add the superblock's HOST_TABLE with seq at p + len; the new length. */
static size_t add_host_table(uint8_t *p, size_t len, uint64_t seq)
{
	size_t more;

	ck_assert_int_eq(famfs_host_table_entry_encode(p + len, ENTRIES_MAX - len,
						       seq, FAMFS_HOSTS_OFFSET,
						       FAMFS_HOSTS_COUNT, &more), 0);
	return len + more;
}

/* GENERATION (generation, area) at seq 0, then HOST_TABLE at 1; their length. */
static size_t first_entries(uint8_t *p, uint64_t generation, uint32_t area)
{
	return add_host_table(p, add_generation(p, 0, 0, generation, area), 1);
}

START_TEST(test_seq0_not_generation)
{
	uint8_t p[ENTRIES_MAX];

	/* A 1.2 log (HOST_TABLE at seq 0) under a 1.3 superblock. */
	rewrite_log(p, add_host_table(p, 0, 0), 1);
	/* And the log ends before its HOST_TABLE, due at seq 1: two. */
	expect_first(2, FAMFS_E_GENERATION,
		     "host table of 1024 slots at 0x10000 (seq 0, entry at device offset 0x200040): the superblock has 2 log areas, so seq 0 must be a GENERATION entry");
}
END_TEST

START_TEST(test_empty_log)
{
	uint8_t none[1] = { 0 };

	rewrite_log(none, 0, 0);
	expect_one(FAMFS_E_GENERATION,
		   "log (device offset 0x200000): empty, but the superblock has 2 log areas, so seq 0 must be a GENERATION entry");
}
END_TEST

START_TEST(test_generation_other_generation)
{
	uint8_t p[ENTRIES_MAX];

	rewrite_log(p, first_entries(p, 5, 0), 2);
	expect_one(FAMFS_E_GENERATION,
		   "log generation 5 in area 0 (seq 0, entry at device offset 0x200040): it says generation 5 in area 0, the active-log record generation 0 in area 0");
}
END_TEST

START_TEST(test_generation_other_area)
{
	uint8_t p[ENTRIES_MAX];

	rewrite_log(p, first_entries(p, 0, 1), 2);
	expect_one(FAMFS_E_GENERATION,
		   "log generation 0 in area 1 (seq 0, entry at device offset 0x200040): it says generation 0 in area 1, the active-log record generation 0 in area 0");
}
END_TEST

/* A second GENERATION entry, later in the log. */
START_TEST(test_generation_misplaced)
{
	uint8_t p[ENTRIES_MAX];

	rewrite_log(p, add_generation(p, first_entries(p, 0, 0), 2, 0, 0), 3);
	expect_one(FAMFS_E_GENERATION,
		   "log generation 0 in area 0 (seq 2, entry at device offset 0x200090): only the log's first entry (seq 0) may be one");
}
END_TEST

/* Format 1.2 has one log area: a GENERATION entry has no place in it. */
START_TEST(test_generation_in_format_1_2)
{
	uint8_t p[ENTRIES_MAX];

	ft_make_older(img, FAMFS_VERSION_MINOR_HOSTS);
	rewrite_log(p, add_generation(p, add_host_table(p, 0, 0), 1, 0, 0), 2);
	expect_one(FAMFS_E_GENERATION,
		   "log generation 0 in area 0 (seq 1, entry at device offset 0x200068): the superblock has one log area");
}
END_TEST

/* After a switch, the rules hold in the new area, against the new record. */
START_TEST(test_generation_after_switch)
{
	struct ft_fs fs;

	ft_switch_log(img, true);
	/* Copy 1 back to generation 0's area: its GENERATION says otherwise. */
	ft_open(&fs, img);
	famfs_logrec_encode(&(struct famfs_log_gen){ .generation = 1, .area = 0 },
			    fs.dev.base + REC_OFF(1));
	ft_close(&fs);
	expect_one(FAMFS_E_GENERATION,
		   "log generation 0 in area 0 (seq 0, entry at device offset 0x200040): it says generation 0 in area 0, the active-log record generation 1 in area 0");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_fresh,
		test_switched,
		test_torn_copy_is_a_note,
		test_unswitched_area,
		test_inactive_damaged,
		test_wrong_parity_is_a_note,
		test_no_valid_copy,
		test_no_valid_copy_torn,
		test_mem_without_record,
		test_format_1_2,
		test_seq0_not_generation,
		test_empty_log,
		test_generation_other_generation,
		test_generation_other_area,
		test_generation_misplaced,
		test_generation_in_format_1_2,
		test_generation_after_switch,
		NULL,
	};

	return ft_main("fsck_logrec", setup, ft_teardown, tests);
}
