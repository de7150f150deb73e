// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs rules: geometry, host table, size limits, existing file systems, -f,
 * -k, -l, mounts.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_test.h"

static struct famfs_mkfs_opts opts;
static struct famfs_error err;
static struct famfs_sb_info sb;
static const char *img;

static void setup(void)
{
	ft_setup();
	img = ft_path("img");
	memset(&opts, 0, sizeof(opts));
	memset(&err, 0, sizeof(err));
	opts.mountinfo = ft_path("mountinfo");
	ft_write_file(opts.mountinfo, "22 1 0:21 / /proc rw - proc proc rw\n");
}

/* Decode the superblock and log header that are on the image now. */
static int read_fs(struct famfs_sb_info *out, struct famfs_log_info *hdr)
{
	struct famfs_device dev;
	struct famfs_log log;
	int rc;

	ck_assert_int_eq(famfs_device_open(&dev, img, 0, NULL), 0);
	rc = famfs_log_open(&log, &dev, NULL);
	if (!rc) {
		*out = log.sb;
		*hdr = log.hdr;
	}
	famfs_device_close(&dev);
	return rc;
}

START_TEST(test_mkfs_64m)
{
	struct famfs_log_info hdr;
	struct famfs_sb_info disk;
	uint8_t me[16];

	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_uint_eq(sb.geo.dev_size, FT_IMAGE_SIZE);
	ck_assert_uint_eq(sb.geo.log_offset, FAMFS_LOG_OFFSET);
	ck_assert_uint_eq(sb.geo.log_len, FAMFS_LOG_LEN_DEFAULT);
	ck_assert_uint_eq(sb.geo.log_areas, FAMFS_LOG_AREAS);
	ck_assert_uint_eq(sb.logrec_offset, FAMFS_LOGREC_OFFSET);
	ck_assert_uint_eq(sb.geo.alloc_unit, FAMFS_ALLOC_UNIT);
	ck_assert_int_eq(famfs_system_uuid(me, NULL), 0);
	ck_assert_mem_eq(sb.master_uuid, me, 16);
	ck_assert_int_ne(memcmp(sb.fs_uuid, sb.dev_uuid, 16), 0);
	ck_assert_int_eq(read_fs(&disk, &hdr), 0);
	ck_assert_mem_eq(disk.fs_uuid, sb.fs_uuid, 16);
	ck_assert_uint_eq(disk.version_minor, FAMFS_VERSION_MINOR);
	ck_assert_uint_eq(disk.hosts_offset, FAMFS_HOSTS_OFFSET);
	ck_assert_uint_eq(disk.hosts_count, FAMFS_HOSTS_COUNT);
	ck_assert_uint_eq(disk.geo.log_areas, FAMFS_LOG_AREAS);
	ck_assert_uint_eq(disk.logrec_offset, FAMFS_LOGREC_OFFSET);
	ck_assert_uint_eq(hdr.next_seq, 2);
	ck_assert_uint_eq(hdr.next_off, FAMFS_LOG_ENTRIES_OFF +
			  famfs_generation_entry_size() +
			  famfs_host_table_entry_size());
}
END_TEST

/*
 * The only entries of a fresh log: GENERATION of generation 0 in area 0,
 * at seq 0, and the host table, at seq 1, as the superblock's.
 */
START_TEST(test_first_entries)
{
	struct famfs_device dev;
	struct famfs_log_iter it;
	struct famfs_log log;
	struct famfs_entry e;

	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_int_eq(famfs_device_open(&dev, img, 0, NULL), 0);
	ck_assert_int_eq(famfs_log_open(&log, &dev, NULL), 0);
	ck_assert_uint_eq(log.gen.generation, 0);
	ck_assert_uint_eq(log.gen.area, 0);
	famfs_log_iter_init(&it, &log);
	ck_assert_int_eq(famfs_log_iter_next(&it, &e, &err), 0);
	ck_assert_uint_eq(e.seq, 0);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_GENERATION);
	ck_assert_uint_eq(e.generation, 0);
	ck_assert_uint_eq(e.area, 0);
	ck_assert_int_eq(famfs_log_iter_next(&it, &e, &err), 0);
	ck_assert_uint_eq(e.seq, 1);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_HOST_TABLE);
	ck_assert_uint_eq(e.hosts_offset, sb.hosts_offset);
	ck_assert_uint_eq(e.hosts_count, sb.hosts_count);
	ck_assert(!famfs_log_iter_more(&it));
	ck_assert_int_eq(famfs_log_iter_finish(&it, &err), 0);
	famfs_device_close(&dev);
}
END_TEST

/* Is every byte of the image's host table zero? */
static bool hosts_zero(void)
{
	uint64_t len = (uint64_t)FAMFS_HOSTS_COUNT * FAMFS_HOST_SLOT_SIZE, i;
	struct famfs_device dev;
	bool zero = true;

	ck_assert_int_eq(famfs_device_open(&dev, img, 0, NULL), 0);
	for (i = 0; i < len && zero; i++)
		zero = !dev.base[FAMFS_HOSTS_OFFSET + i];
	famfs_device_close(&dev);
	return zero;
}

/* Slots of an earlier file system on the device are gone: all free. */
START_TEST(test_host_table_zeroed)
{
	uint64_t last = FAMFS_HOSTS_OFFSET +
			(uint64_t)FAMFS_HOSTS_COUNT * FAMFS_HOST_SLOT_SIZE - 1;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_flip(img, FAMFS_HOSTS_OFFSET, 0x46);
	ft_flip(img, last, 0x80);
	ck_assert(!hosts_zero());
	opts.force = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert(hosts_zero());
}
END_TEST

/* The image's bytes [off, off + len). */
static void read_bytes(uint64_t off, void *buf, size_t len)
{
	struct famfs_device dev;

	ck_assert_int_eq(famfs_device_open(&dev, img, 0, NULL), 0);
	memcpy(buf, dev.base + off, len);
	famfs_device_close(&dev);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * The active-log record as mkfs leaves it: copy 0 names generation 0 in
 * area 0, copy 1 is cleared; area 1 has no log header.
 */
static void expect_fresh_record(void)
{
	uint8_t rec[FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE];
	uint8_t area1[sizeof(struct famfs_log_header)];
	struct famfs_log_gen g = { .generation = 7, .area = 7 };
	unsigned int valid;

	read_bytes(FAMFS_LOGREC_OFFSET, rec, sizeof(rec));
	ck_assert_int_eq(famfs_logrec_decode(rec, FAMFS_LOGREC_SIZE,
					     FAMFS_LOG_AREAS, &g), 0);
	ck_assert_uint_eq(g.generation, 0);
	ck_assert_uint_eq(g.area, 0);
	ck_assert(all_zero(rec + FAMFS_LOGREC_SIZE, FAMFS_LOGREC_SIZE));
	ck_assert_int_eq(famfs_logrec_pick(rec, sizeof(rec), FAMFS_LOG_AREAS,
					   &g, &valid), 0);
	ck_assert_uint_eq(valid, 1);
	ck_assert_uint_eq(g.generation, 0);
	ck_assert_uint_eq(g.area, 0);
	read_bytes(FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT, area1, sizeof(area1));
	ck_assert(all_zero(area1, sizeof(area1)));
}

START_TEST(test_log_record)
{
	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	expect_fresh_record();
}
END_TEST

/* Write bytes into the image at off. */
static void write_bytes(uint64_t off, const void *buf, size_t len)
{
	struct famfs_device dev;

	ck_assert_int_eq(famfs_device_open(&dev, img, FAMFS_DEV_RDWR, NULL), 0);
	memcpy(dev.base + off, buf, len);
	famfs_device_close(&dev);
}

/*
 * A file system compacted before (generation 5 in area 1: copy 1 and
 * area 1's header valid) is gone after mkfs -f: an old copy of a higher
 * generation would otherwise win, and an old header pass for a log.
 */
START_TEST(test_log_record_reset)
{
	const struct famfs_log_gen g5 = { .generation = 5, .area = 1 };
	struct famfs_log_info hdr = {
		.log_len = FAMFS_LOG_LEN_DEFAULT, .next_seq = 1,
		.next_off = FAMFS_LOG_ENTRIES_OFF + famfs_generation_entry_size(),
	};
	uint8_t buf[FAMFS_LOGREC_SIZE];
	struct famfs_log_header lh;

	ft_mkfs(img, FT_IMAGE_SIZE);
	famfs_logrec_encode(&g5, buf);
	write_bytes(FAMFS_LOGREC_OFFSET + FAMFS_LOGREC_SIZE, buf, sizeof(buf));
	ck_assert_int_eq(famfs_log_header_encode(&hdr, &lh), 0);
	write_bytes(FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT, &lh, sizeof(lh));
	opts.force = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	expect_fresh_record();
}
END_TEST

/*
 * A format 1.2 file system had file data where area 1 is now, and no
 * record: mkfs -f clears that header too (here, one a file held).
 */
START_TEST(test_log_record_over_format_1_2)
{
	struct famfs_log_info hdr = {
		.log_len = FAMFS_LOG_LEN_DEFAULT, .next_off = FAMFS_LOG_ENTRIES_OFF,
	};
	uint8_t junk[FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE];
	struct famfs_log_header lh;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_make_older(img, FAMFS_VERSION_MINOR_HOSTS);
	ck_assert_int_eq(famfs_log_header_encode(&hdr, &lh), 0);
	write_bytes(FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT, &lh, sizeof(lh));
	memset(junk, 0x5a, sizeof(junk));
	write_bytes(FAMFS_LOGREC_OFFSET, junk, sizeof(junk));
	opts.force = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	expect_fresh_record();
}
END_TEST

START_TEST(test_size_rounded_down_to_unit)
{
	ft_image(img, FT_IMAGE_SIZE + FT_MIB + 4096);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_uint_eq(sb.geo.dev_size, FT_IMAGE_SIZE);
}
END_TEST

/* The superblock area, two log areas of 8 MiB, one unit of data: 20 MiB. */
START_TEST(test_smallest_device)
{
	ft_image(img, 20 * FT_MIB);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_uint_eq(sb.geo.dev_size, 20 * FT_MIB);
}
END_TEST

START_TEST(test_too_small)
{
	struct famfs_log_info hdr;
	struct famfs_sb_info disk;

	ft_image(img, 20 * FT_MIB - 1);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), -ENOSPC);
	ck_assert_msg(strstr(err.msg, "too small (20971519 bytes): needs 20 MiB (superblock 2 MiB + two log areas of 8 MiB + one 2 MiB data unit)"),
		      "%s", err.msg);
	ck_assert_int_eq(read_fs(&disk, &hdr), FAMFS_E_MAGIC);
}
END_TEST

START_TEST(test_existing_needs_force)
{
	struct famfs_sb_info again;

	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &again, &err), -EEXIST);
	ck_assert_msg(strstr(err.msg, "already holds a famfs file system (use -f to overwrite)"),
		      "%s", err.msg);
	opts.force = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &again, &err), 0);
	ck_assert_int_ne(memcmp(again.fs_uuid, sb.fs_uuid, 16), 0);
}
END_TEST

START_TEST(test_force_resets_log)
{
	struct famfs_extent_info x = ft_extent(FT_DATA_UNIT, 1);
	struct famfs_log_info hdr;
	struct famfs_sb_info disk;
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_open(&fs, img);
	ft_add_file(&fs, "f", 1, &x, 1);
	ft_close(&fs);
	opts.force = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_int_eq(read_fs(&disk, &hdr), 0);
	ck_assert_uint_eq(hdr.next_seq, FT_MKFS_ENTRIES);
}
END_TEST

START_TEST(test_kill_needs_force)
{
	ft_mkfs(img, FT_IMAGE_SIZE);
	opts.kill = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "-k needs -f");
}
END_TEST

START_TEST(test_kill_invalidates_superblock)
{
	struct famfs_log_info hdr;
	struct famfs_sb_info disk;

	ft_mkfs(img, FT_IMAGE_SIZE);
	opts.kill = true;
	opts.force = true;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_int_eq(read_fs(&disk, &hdr), FAMFS_E_MAGIC);
	/* Now plain mkfs accepts the device again. */
	opts.kill = false;
	opts.force = false;
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
}
END_TEST

START_TEST(test_bad_log_len)
{
	static const uint64_t bad[] = {
		4ULL << 20, 12ULL << 20, (8ULL << 20) + 1, 2ULL << 40,
	};
	size_t i;

	ft_image(img, FT_IMAGE_SIZE);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts.log_len = bad[i];
		ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), -EINVAL);
		ck_assert_msg(strstr(err.msg, "must be a power of two from 8 MiB"),
			      "%s", err.msg);
	}
}
END_TEST

START_TEST(test_log_len_16m)
{
	opts.log_len = 16 * FT_MIB;
	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), 0);
	ck_assert_uint_eq(sb.geo.log_len, 16 * FT_MIB);
}
END_TEST

START_TEST(test_log_too_big_for_device)
{
	opts.log_len = 64 * FT_MIB;
	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), -ENOSPC);
	ck_assert_msg(strstr(err.msg, "needs 132 MiB (superblock 2 MiB + two log areas of 64 MiB"),
		      "%s", err.msg);
}
END_TEST

START_TEST(test_mounted_refused)
{
	char text[512];
	struct famfs_log_info hdr;
	struct famfs_sb_info disk;

	ft_image(img, FT_IMAGE_SIZE);
	snprintf(text, sizeof(text), "40 22 0:40 / /mnt/famfs rw - famfs %s rw\n", img);
	ft_write_file(opts.mountinfo, text);
	ck_assert_int_eq(famfs_mkfs(img, &opts, &sb, &err), -EBUSY);
	ck_assert_msg(strstr(err.msg, "mounted on /mnt/famfs"), "%s", err.msg);
	ck_assert_int_eq(read_fs(&disk, &hdr), FAMFS_E_MAGIC);
}
END_TEST

START_TEST(test_not_a_device)
{
	ck_assert_int_eq(famfs_mkfs(ft_dir, &opts, &sb, &err), -ENODEV);
	ck_assert_msg(strstr(err.msg, "not a famfs-capable device (directory)"),
		      "%s", err.msg);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_mkfs_64m,
		test_first_entries,
		test_host_table_zeroed,
		test_log_record,
		test_log_record_reset,
		test_log_record_over_format_1_2,
		test_size_rounded_down_to_unit,
		test_smallest_device,
		test_too_small,
		test_existing_needs_force,
		test_force_resets_log,
		test_kill_needs_force,
		test_kill_invalidates_superblock,
		test_bad_log_len,
		test_log_len_16m,
		test_log_too_big_for_device,
		test_mounted_refused,
		test_not_a_device,
		NULL,
	};

	return ft_main("mkfs", setup, ft_teardown, tests);
}
