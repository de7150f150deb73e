// SPDX-License-Identifier: GPL-2.0
/*
 * fsck of the host table's entries: HOST_TABLE at seq 1 only (seq 0 before
 * format 1.3), and EVICT.
 */
#include <check.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_test.h"
#include "format_reseal.h"

static struct famfs_fsck_report rep;
static struct famfs_error err;
static const char *img;
static struct ft_fs fs;

static const uint8_t dead_host[16] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};
#define DEAD_HOST	"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
/* What fsck says of seq 1 on a file system that mkfs made. */
#define TABLE		"the superblock has a host table (1024 slots at 0x10000)"

static void setup(void)
{
	img = ft_setup_fs();
	ft_open(&fs, img);
}

static void teardown(void)
{
	ft_close(&fs);
	ft_teardown();
}

static void run_fsck(void)
{
	ck_assert_int_eq(famfs_fsck(img, &ft_fsck_ops, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, ft_seen.problems);
}

/* Exactly one problem, a host table one, with this text in it. */
static void expect_one(const char *want)
{
	run_fsck();
	ck_assert_msg(rep.errors == 1, "%u errors: %s", rep.errors, ft_seen.first);
	ck_assert_int_eq(ft_seen.first_code, FAMFS_E_HOST_TABLE);
	ck_assert_msg(strstr(ft_seen.first, want), "message: %s", ft_seen.first);
}

/*
 * Start the log again after its GENERATION entry (seq 0), with nothing
 * else: the entry then restates itself alone.
 */
static void empty_log(void)
{
	size_t len;

	ck_assert_int_eq(famfs_generation_entry_encode(fs.log.log_buf + FAMFS_LOG_ENTRIES_OFF,
						       famfs_generation_entry_size(),
						       0, 0, 0, 1, &len), 0);
	fs.log.cur.next_seq = 1;
	fs.log.cur.next_off = FAMFS_LOG_ENTRIES_OFF + len;
	ck_assert_int_eq(famfs_log_header_encode(&fs.log.cur, fs.log.log_buf), 0);
	fs.log.hdr = fs.log.cur;
}

/* Publish a HOST_TABLE entry with this table after the last entry. */
static void add_host_table(uint64_t offset, uint32_t count)
{
	size_t len;

	ck_assert_int_eq(famfs_host_table_entry_encode(fs.log.log_buf + fs.log.cur.next_off,
						       4096, fs.log.cur.next_seq,
						       offset, count, &len), 0);
	ft_publish(&fs, len);
}

static void add_evict(void)
{
	ft_evict(&fs, dead_host, 0x1234);
}

START_TEST(test_fresh_is_clean)
{
	run_fsck();
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES);
}
END_TEST

/* EVICT changes no path: files and directories are as before it. */
START_TEST(test_evict_accepted)
{
	struct famfs_extent_info x = ft_extent(FT_DATA_UNIT, 1);

	ft_add_file(&fs, "f", 100, &x, 1);
	add_evict();
	run_fsck();
	ck_assert_msg(rep.errors == 0, "%s", ft_seen.first);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES + 2);
	ck_assert_uint_eq(rep.files, 1);
	ck_assert_uint_eq(rep.dirs, 0);
}
END_TEST

START_TEST(test_missing_from_empty_log)
{
	empty_log();
	expect_one("log (device offset 0x200000): ends after 1 entry, but " TABLE
		   ", so seq 1 must be its HOST_TABLE entry");
}
END_TEST

START_TEST(test_missing_before_a_file)
{
	struct famfs_extent_info x = ft_extent(FT_DATA_UNIT, 1);

	empty_log();
	ft_add_file(&fs, "f", 100, &x, 1);
	expect_one("file f (seq 1, entry at device offset 0x200068): " TABLE
		   ", so seq 1 must be its HOST_TABLE entry");
	ck_assert_uint_eq(rep.files, 1);
}
END_TEST

START_TEST(test_misplaced)
{
	add_host_table(FAMFS_HOSTS_OFFSET, FAMFS_HOSTS_COUNT);
	expect_one("host table of 1024 slots at 0x10000 (seq 2, entry at device offset 0x200090): only seq 1 may be one");
}
END_TEST

/* The entry is mkfs's, the superblock's table another. */
START_TEST(test_disagrees_with_superblock)
{
	fs.log.sb.hosts_count = 512;
	ck_assert_int_eq(famfs_sb_encode(&fs.log.sb, fs.dev.base), FAMFS_OK);
	expect_one("host table of 1024 slots at 0x10000 (seq 1, entry at device offset 0x200068): the superblock's table has 512 slots at 0x10000");
}
END_TEST

START_TEST(test_entry_disagrees)
{
	empty_log();
	add_host_table(FAMFS_HOSTS_OFFSET * 2, FAMFS_HOSTS_COUNT);
	expect_one("host table of 1024 slots at 0x20000 (seq 1, entry at device offset 0x200068): the superblock's table has 1024 slots at 0x10000");
}
END_TEST

/* Make the image a fresh one of format 1.minor and reopen it. */
static void make_older(uint16_t minor)
{
	ft_close(&fs);
	ft_make_older(img, minor);
	ft_open(&fs, img);
}

/* A 1.1 superblock over a 1.2 log: neither entry may be in its log. */
START_TEST(test_no_table)
{
	make_older(FAMFS_VERSION_MINOR_HOSTS);
	add_evict();
	test_sb_set_minor((void *)fs.log.sb_buf, FAMFS_VERSION_MINOR_DELETE);
	run_fsck();
	ck_assert_uint_eq(rep.errors, 2);
	ck_assert_int_eq(ft_seen.first_code, FAMFS_E_HOST_TABLE);
	ck_assert_msg(strstr(ft_seen.first, "host table of 1024 slots at 0x10000 (seq 0, entry at device offset 0x200040): the superblock has no host table"),
		      "%s", ft_seen.first);
	ck_assert_msg(strstr(ft_seen.last, "eviction of host " DEAD_HOST " nonce 0x0000000000001234 (seq 1, entry at device offset 0x200068): the superblock has no host table, so no slot to evict"),
		      "%s", ft_seen.last);
}
END_TEST

/* Without a table and without its entry, a log is as format 1.1 made it. */
START_TEST(test_no_table_no_entry)
{
	struct famfs_extent_info x = ft_extent(5, 1);	/* after its one log area */

	make_older(FAMFS_VERSION_MINOR_DELETE);
	ck_assert_uint_eq(fs.log.hdr.next_seq, 0);
	run_fsck();
	ck_assert_uint_eq(rep.errors, 0);
	ft_add_file(&fs, "f", 100, &x, 1);
	run_fsck();
	ck_assert_msg(rep.errors == 0, "%s", ft_seen.first);
}
END_TEST

/* Format 1.2: one log area, HOST_TABLE at seq 0, and only there. */
START_TEST(test_format_1_2)
{
	struct famfs_extent_info x = ft_extent(5, 1);	/* after its one log area */

	make_older(FAMFS_VERSION_MINOR_HOSTS);
	ft_add_file(&fs, "f", 100, &x, 1);
	add_evict();
	run_fsck();
	ck_assert_msg(rep.errors == 0, "%s", ft_seen.first);
	ck_assert_uint_eq(rep.entries, 3);
	ck_assert_uint_eq(rep.sb.geo.log_areas, 1);
	add_host_table(FAMFS_HOSTS_OFFSET, FAMFS_HOSTS_COUNT);
	expect_one("host table of 1024 slots at 0x10000 (seq 3, entry at device offset 0x2000f8): only seq 0 may be one");
}
END_TEST

START_TEST(test_format_1_2_missing)
{
	make_older(FAMFS_VERSION_MINOR_HOSTS);
	fs.log.cur.next_seq = 0;
	fs.log.cur.next_off = FAMFS_LOG_ENTRIES_OFF;
	ck_assert_int_eq(famfs_log_header_encode(&fs.log.cur, fs.log.log_buf), 0);
	expect_one("log (device offset 0x200000): empty, but " TABLE
		   ", so seq 0 must be its HOST_TABLE entry");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_fresh_is_clean,
		test_evict_accepted,
		test_missing_from_empty_log,
		test_missing_before_a_file,
		test_misplaced,
		test_disagrees_with_superblock,
		test_entry_disagrees,
		test_no_table,
		test_no_table_no_entry,
		test_format_1_2,
		test_format_1_2_missing,
		NULL,
	};

	return ft_main("fsck_hosts", setup, teardown, tests);
}
