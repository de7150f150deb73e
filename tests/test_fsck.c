// SPDX-License-Identifier: GPL-2.0
/* fsck on 64 MiB images, clean and with each kind of damage. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_test.h"

#define UNIT	FAMFS_ALLOC_UNIT

/* What the problem callback saw. */
struct seen {
	unsigned int count;
	int code;		/* of the first problem */
	char msg[1024];
	char last[1024];	/* the last problem */
	unsigned int entries;
};

/* Entries decoded: famfs_entry_decode is wrapped (tests/CMakeLists.txt). */
static unsigned long decodes;

int __real_famfs_entry_decode(const void *buf, size_t avail, uint64_t seq,
			      const struct famfs_geometry *geo,
			      struct famfs_entry *out);

int __wrap_famfs_entry_decode(const void *buf, size_t avail, uint64_t seq,
			      const struct famfs_geometry *geo,
			      struct famfs_entry *out)
{
	decodes++;
	return __real_famfs_entry_decode(buf, avail, seq, geo, out);
}

static struct seen seen;
static struct famfs_fsck_report rep;
static struct famfs_error err;
static const char *img;

static void on_problem(void *arg, int code, const char *msg)
{
	struct seen *s = arg;

	if (!s->count++) {
		s->code = code;
		snprintf(s->msg, sizeof(s->msg), "%s", msg);
	}
	snprintf(s->last, sizeof(s->last), "%s", msg);
}

static void on_entry(void *arg, const struct famfs_entry *e, uint64_t dev_off)
{
	struct seen *s = arg;

	(void)e;
	(void)dev_off;
	s->entries++;
}

static const struct famfs_fsck_ops ops = {
	.problem = on_problem,
	.entry = on_entry,
	.arg = &seen,
};

static void setup(void)
{
	ft_setup();
	img = ft_path("img");
	ft_mkfs(img, FT_IMAGE_SIZE);
	memset(&seen, 0, sizeof(seen));
	memset(&err, 0, sizeof(err));
}

static void run_fsck(void)
{
	ck_assert_int_eq(famfs_fsck(img, &ops, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, seen.count);
}

/* Exactly one problem, with this code and text in its message. */
static void expect_one(int code, const char *want)
{
	run_fsck();
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_int_eq(seen.code, code);
	ck_assert_msg(strstr(seen.msg, want), "message: %s", seen.msg);
}

static void add_dir(struct ft_fs *fs, const char *path)
{
	struct famfs_meta dm = { .mode = S_IFDIR | 0755 };

	ck_assert_int_eq(famfs_log_append_begin(&fs->log, &err), 0);
	ck_assert_int_eq(famfs_log_add_mkdir(&fs->log, path, &dm, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs->log, &err), 0);
	famfs_log_append_end(&fs->log);
}

/*
 * dir "d", then files d/a (the first two data units) and d/b (the fifth);
 * returns b's offset.
 */
static uint64_t populate(void)
{
	struct famfs_extent_info a = ft_extent(FT_DATA_UNIT, 2);
	struct famfs_extent_info b = ft_extent(FT_DATA_UNIT + 4, 1);
	struct ft_fs fs;
	uint64_t off;

	ft_open(&fs, img);
	add_dir(&fs, "d");
	ft_add_file(&fs, "d/a", 3 * FT_MIB, &a, 1);
	off = fs.log.hdr.next_off;
	ft_add_file(&fs, "d/b", 100, &b, 1);
	ft_close(&fs);
	return off;
}

START_TEST(test_clean_empty)
{
	run_fsck();
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert(rep.sb_valid);
	ck_assert(rep.log_valid);
	ck_assert(rep.role_known);
	ck_assert_int_eq(rep.role, FAMFS_ROLE_MASTER);
	ck_assert_uint_eq(rep.device_size, FT_IMAGE_SIZE);
	ck_assert_uint_eq(rep.files, 0);
	ck_assert_uint_eq(rep.dirs, 0);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES);
	ck_assert_uint_eq(rep.log_used, famfs_generation_entry_size() +
					famfs_host_table_entry_size());
	ck_assert_uint_eq(rep.log_free, FAMFS_LOG_LEN_DEFAULT - FT_FIRST_OFF);
	ck_assert_uint_eq(rep.log_free_entries,
			  rep.log_free / famfs_file_entry_size(32, 1));
	ck_assert_uint_eq(rep.space_used, 0);
	ck_assert_uint_eq(rep.space_free, 46 * FT_MIB);
}
END_TEST

START_TEST(test_clean_populated)
{
	populate();
	run_fsck();
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.files, 2);
	ck_assert_uint_eq(rep.dirs, 1);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(seen.entries, FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(rep.log_used, rep.hdr.next_off - FAMFS_LOG_ENTRIES_OFF);
	ck_assert_uint_eq(rep.space_used, 3 * UNIT);
	ck_assert_uint_eq(rep.space_free, (FT_DATA_UNITS - 3) * UNIT);
}
END_TEST

START_TEST(test_client_role)
{
	ft_write_file(ft_path("system_uuid"), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n");
	run_fsck();
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_int_eq(rep.role, FAMFS_ROLE_CLIENT);
}
END_TEST

START_TEST(test_sb_byte_flipped)
{
	uint64_t off;

	for (off = 0; off < sizeof(struct famfs_superblock); off++) {
		ft_flip(img, off, 0x04);
		memset(&seen, 0, sizeof(seen));
		run_fsck();
		ck_assert_msg(rep.errors == 1, "flip at %llu", (unsigned long long)off);
		ck_assert(!rep.sb_valid);
		ck_assert(!rep.log_valid);
		ck_assert_msg(strstr(seen.msg, "superblock (device offset 0)"),
			      "%s", seen.msg);
		ft_flip(img, off, 0x04);
	}
}
END_TEST

START_TEST(test_sb_crc_flipped)
{
	ft_flip(img, 80, 0x10);		/* log_len */
	expect_one(FAMFS_E_CRC,
		   "superblock (device offset 0): CRC mismatch (some byte in 0-251");
}
END_TEST

START_TEST(test_sb_magic_flipped)
{
	ft_flip(img, 3, 0x01);
	expect_one(FAMFS_E_MAGIC, "superblock (device offset 0): bad magic number (magic, bytes 0-7)");
}
END_TEST

START_TEST(test_log_header_byte_flipped)
{
	ft_flip(img, FAMFS_LOG_OFFSET + 33, 0x01);	/* next_off */
	expect_one(FAMFS_E_CRC,
		   "log header (device offset 0x200000): CRC mismatch (some byte in 0-59");
	ck_assert(rep.sb_valid);
	ck_assert(!rep.log_valid);
}
END_TEST

START_TEST(test_entry_byte_flipped)
{
	uint64_t b = populate();
	char want[160];

	ft_flip(img, FAMFS_LOG_OFFSET + b + 60, 0x01);	/* in d/b's extent */
	snprintf(want, sizeof(want),
		 "log entry seq 4 at log offset %#llx (device offset %#llx): CRC mismatch",
		 (unsigned long long)b, (unsigned long long)(FAMFS_LOG_OFFSET + b));
	expect_one(FAMFS_E_CRC, want);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES + 2);
	ck_assert_uint_eq(rep.files, 1);
}
END_TEST

/* Every byte of an entry, flipped on its own, is caught and located. */
START_TEST(test_every_entry_byte_flipped)
{
	uint64_t b = populate();
	uint64_t len, off;
	char want[96];

	run_fsck();
	len = rep.hdr.next_off - b;
	snprintf(want, sizeof(want), "log entry seq 4 at log offset %#llx",
		 (unsigned long long)b);
	for (off = 0; off < len; off++) {
		ft_flip(img, FAMFS_LOG_OFFSET + b + off, 0x20);
		memset(&seen, 0, sizeof(seen));
		run_fsck();
		ck_assert_msg(rep.errors == 1, "flip at entry byte %llu",
			      (unsigned long long)off);
		ck_assert_msg(strstr(seen.msg, want), "%s", seen.msg);
		ft_flip(img, FAMFS_LOG_OFFSET + b + off, 0x20);
	}
}
END_TEST

START_TEST(test_entry_header_flipped)
{
	uint64_t b = populate();
	char want[160];

	ft_flip(img, FAMFS_LOG_OFFSET + b + 4, 0x80);	/* len */
	snprintf(want, sizeof(want),
		 "log entry seq 4 at log offset %#llx (device offset %#llx): malformed length",
		 (unsigned long long)b, (unsigned long long)(FAMFS_LOG_OFFSET + b));
	expect_one(FAMFS_E_LEN, want);
}
END_TEST

START_TEST(test_overlapping_files)
{
	struct famfs_extent_info a = ft_extent(FT_DATA_UNIT, 3);
	struct famfs_extent_info b = ft_extent(FT_DATA_UNIT + 2, 2);
	struct ft_fs fs;

	ft_open(&fs, img);
	ft_add_file(&fs, "first", 3 * UNIT, &a, 1);
	ft_add_file(&fs, "second", 2 * UNIT, &b, 1);
	ft_close(&fs);
	expect_one(FAMFS_E_EXT_OVERLAP,
		   "file second (seq 3, entry at device offset 0x2000e8) overlaps file first (seq 2): 2 MiB from device offset 0x1600000");
	ck_assert_uint_eq(rep.files, 2);
	ck_assert_uint_eq(rep.space_used, 4 * UNIT);
}
END_TEST

/* A path of 3999 bytes: 16 components of c, logged as directories but the last. */
static const char *long_path(struct ft_fs *fs, char c)
{
	static char path[2][4000];
	struct famfs_meta dm = { .mode = S_IFDIR | 0755 };
	char *p = path[c & 1];
	int i;

	memset(p, c, 3999);
	p[3999] = '\0';
	ck_assert_int_eq(famfs_log_append_begin(&fs->log, &err), 0);
	for (i = 1; i < 16; i++) {
		p[i * 250 - 1] = '\0';
		ck_assert_int_eq(famfs_log_add_mkdir(&fs->log, p, &dm, &err), 0);
		p[i * 250 - 1] = '/';
	}
	ck_assert_int_eq(famfs_log_commit(&fs->log, &err), 0);
	famfs_log_append_end(&fs->log);
	return p;
}

/*
 * A chain of files, each overlapping the one before: every collision names
 * its owner, found in an index, not by reading the log again. Counted, not
 * timed: each entry is decoded once (twice, if its CRC check is retried).
 */
START_TEST(test_overlaps_cost_linear)
{
	struct famfs_meta m = { .mode = S_IFREG | 0644, .size = 2 * UNIT };
	enum { FILES = 1000 };
	struct famfs_extent_info x;
	char path[16], want[128];
	struct ft_fs fs;
	int i;

	ft_mkfs(img, (FT_DATA_UNIT + FILES + 3) * UNIT);
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	for (i = 0; i < FILES; i++) {
		x = ft_extent(FT_DATA_UNIT + i, 2);
		snprintf(path, sizeof(path), "f%04d", i);
		ck_assert_int_eq(famfs_log_add_file(&fs.log, path, &m, &x, 1, &err), 0);
	}
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	ft_close(&fs);
	decodes = 0;
	run_fsck();
	ck_assert_uint_eq(rep.errors, FILES - 1);
	ck_assert_uint_le(decodes, 2 * (FT_MKFS_ENTRIES + FILES));
	snprintf(want, sizeof(want),
		 "file f%04d (seq %d, entry at device offset %#llx) overlaps file f%04d (seq %d): 2 MiB from device offset %#llx",
		 FILES - 1, FT_MKFS_ENTRIES + FILES - 1,
		 (unsigned long long)(FAMFS_LOG_OFFSET + FT_FIRST_OFF + (FILES - 1) * 88),
		 FILES - 2, FT_MKFS_ENTRIES + FILES - 2,
		 (unsigned long long)((FT_DATA_UNIT + FILES - 1) * UNIT));
	ck_assert_str_eq(seen.last, want);
}
END_TEST

/* Problems name long paths by their head and tail; the cause always fits. */
START_TEST(test_long_paths_keep_the_cause)
{
	struct famfs_extent_info a = ft_extent(FT_DATA_UNIT, 3);
	struct famfs_extent_info b = ft_extent(FT_DATA_UNIT + 2, 2);
	const char *pa, *pb;
	struct ft_fs fs;
	size_t len;

	ft_open(&fs, img);
	pa = long_path(&fs, 'a');
	ft_add_file(&fs, pa, 3 * UNIT, &a, 1);
	pb = long_path(&fs, 'b');
	ft_add_file(&fs, pb, 2 * UNIT, &b, 1);
	ft_close(&fs);
	run_fsck();
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_int_eq(seen.code, FAMFS_E_EXT_OVERLAP);
	ck_assert_msg(!strncmp(seen.msg, "file bbbb", 9), "%s", seen.msg);
	ck_assert_msg(strstr(seen.msg, "bbb (seq 33, entry at device offset"), "%s", seen.msg);
	ck_assert_msg(strstr(seen.msg, ") overlaps file aaaa"), "%s", seen.msg);
	ck_assert_msg(strstr(seen.msg, "aaa (seq 17): 2 MiB from device offset 0x1600000"),
		      "%s", seen.msg);
	len = strlen(seen.msg);
	ck_assert_uint_lt(len, 2 * FAMFS_PATH_SHOWN + 200);
}
END_TEST

/* Log a file of one unit (unit, or none when unit is 0) or a directory. */
static void add(const char *path, int type, uint64_t unit)
{
	struct famfs_extent_info x = ft_extent(unit, 1);
	struct ft_fs fs;

	ft_open(&fs, img);
	if (type == FAMFS_ENTRY_MKDIR)
		add_dir(&fs, path);
	else
		ft_add_file(&fs, path, unit ? UNIT : 0, &x, unit ? 1 : 0);
	ft_close(&fs);
}

#define FILE	FAMFS_ENTRY_FILE
#define DIR	FAMFS_ENTRY_MKDIR

/* Empty files and directories that break the namespace, and what fsck says. */
static const struct {
	const char *path[2];
	int type[2];
	int code;
	const char *problem;
} name_cases[] = {
	{ { "f", "f" }, { FILE, FILE }, FAMFS_E_PATH_DUP,
	  "file f (seq 3, entry at device offset 0x2000d0): logged twice, first at seq 2" },
	{ { "d", "d" }, { DIR, FILE }, FAMFS_E_PATH_DUP,
	  "file d (seq 3, entry at device offset 0x2000c0): the same path is a directory (seq 2)" },
	{ { "f", "f/g" }, { FILE, DIR }, FAMFS_E_PATH_PARENT,
	  "directory f/g (seq 3, entry at device offset 0x2000d0): its parent f is a file (seq 2)" },
	{ { "a/b/c" }, { FILE }, FAMFS_E_PATH_PARENT,
	  "file a/b/c (seq 2, entry at device offset 0x200090): its parent directory a/b does not exist at that point of the log" },
	/* Log play would make a 0755 for a/b, then find it exists. */
	{ { "a/b", "a" }, { FILE, DIR }, FAMFS_E_PATH_PARENT,
	  "file a/b (seq 2, entry at device offset 0x200090): its parent directory a does not exist at that point of the log" },
	{ { ".meta" }, { DIR }, FAMFS_E_PATH_RESERVED,
	  "directory .meta (seq 2, entry at device offset 0x200090): in .meta, where only the metadata files live" },
	{ { ".meta/x" }, { FILE }, FAMFS_E_PATH_RESERVED,
	  "file .meta/x (seq 2, entry at device offset 0x200090): in .meta, where only the metadata files live" },
};

START_TEST(test_namespace_problems)
{
	size_t i, j;

	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		ft_mkfs(img, FT_IMAGE_SIZE);
		memset(&seen, 0, sizeof(seen));
		for (j = 0; j < 2 && name_cases[i].path[j]; j++)
			add(name_cases[i].path[j], name_cases[i].type[j], 0);
		expect_one(name_cases[i].code, name_cases[i].problem);
		ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES + j);
	}
}
END_TEST

/* A top-level name needs no parent (the root is never logged); a.meta is not .meta. */
START_TEST(test_namespace_clean)
{
	add("a", FAMFS_ENTRY_MKDIR, 0);
	add("a/b", FAMFS_ENTRY_MKDIR, 0);
	add("a/b/f", FAMFS_ENTRY_FILE, FT_DATA_UNIT);
	add("a/f", FAMFS_ENTRY_FILE, FT_DATA_UNIT + 1);
	add("f", FAMFS_ENTRY_FILE, FT_DATA_UNIT + 2);
	add("a.meta", FAMFS_ENTRY_FILE, 0);
	run_fsck();
	ck_assert_uint_eq(rep.errors, 0);
}
END_TEST

/* A well-formed entry whose extent ends past the 64 MiB device. */
START_TEST(test_extent_past_device)
{
	struct famfs_extent_info x = ft_extent(31, 2);
	struct famfs_meta m = { .mode = S_IFREG | 0644, .size = 2 * UNIT };
	struct famfs_geometry big;
	struct ft_fs fs;
	size_t len;

	ft_open(&fs, img);
	big = fs.log.sb.geo;
	famfs_geo_set_dev_size(&big, 2 * FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_file_entry_encode(fs.log.log_buf + fs.log.cur.next_off,
						 4096, fs.log.cur.next_seq, &big,
						 "big", &m, &x, 1, &len), 0);
	ft_publish(&fs, len);
	ft_close(&fs);
	expect_one(FAMFS_E_EXT_RANGE,
		   "log entry seq 2 at log offset 0x90 (device offset 0x200090): extent past the end of the device");
}
END_TEST

START_TEST(test_device_shorter_than_superblock)
{
	ck_assert_int_eq(truncate(img, 32 * FT_MIB), 0);
	expect_one(FAMFS_E_GEOMETRY,
		   "superblock (device offset 0): dev_size 67108864 but the device holds 33554432 bytes");
}
END_TEST

/* Rewrite the superblock and member table of img to claim size bytes. */
static void claim_dev_size(uint64_t size)
{
	struct ft_fs fs;

	ft_open(&fs, img);
	famfs_geo_set_dev_size(&fs.log.sb.geo, size);
	fs.log.sb.members[0].size = size;
	ck_assert_int_eq(famfs_sb_encode(&fs.log.sb, fs.dev.base), FAMFS_OK);
	ck_assert_int_eq(famfs_members_encode(&fs.log.sb, fs.dev.base,
					      FAMFS_SB_AREA), FAMFS_OK);
	ft_close(&fs);
}

/* The bitmaps follow the device, not the superblock's claim. */
static void expect_claim_refuted(uint64_t claim)
{
	char want[128];

	claim_dev_size(claim);
	snprintf(want, sizeof(want),
		 "superblock (device offset 0): dev_size %llu but the device holds %llu bytes",
		 (unsigned long long)claim, (unsigned long long)FT_IMAGE_SIZE);
	expect_one(FAMFS_E_GEOMETRY, want);
	ck_assert(rep.log_valid);
	ck_assert_uint_eq(rep.space_free, 46 * FT_MIB);
	ck_assert_uint_eq(rep.space_used, 0);
}

START_TEST(test_device_claims_2_to_the_63)
{
	expect_claim_refuted(1ULL << 63);
}
END_TEST

START_TEST(test_device_claims_a_pebibyte)
{
	expect_claim_refuted(1ULL << 50);
}
END_TEST

START_TEST(test_mem_shorter_device)
{
	struct famfs_device dev;

	/* Through the buffer API, as a mounted file system's .meta files are. */
	ck_assert_int_eq(famfs_device_open(&dev, img, 0, NULL), 0);
	ck_assert_int_eq(famfs_fsck_mem(dev.base, FAMFS_SB_AREA, dev.base + FAMFS_LOG_OFFSET,
					FAMFS_LOG_AREAS * FAMFS_LOG_LEN_DEFAULT, 32 * FT_MIB,
					&ops, &rep, &err), 0);
	famfs_device_close(&dev);
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_int_eq(seen.code, FAMFS_E_GEOMETRY);
	ck_assert_msg(strstr(seen.msg, "dev_size 67108864 but the device holds 33554432 bytes"),
		      "%s", seen.msg);
	ck_assert(rep.log_valid);
}
END_TEST

/* The first entry's callback cuts the image to 1 MiB, under fsck. */
static void shrink_image(void *arg, const struct famfs_entry *e,
			 uint64_t dev_off)
{
	struct seen *s = arg;

	(void)e;
	(void)dev_off;
	if (!s->entries++)
		ck_assert_int_eq(truncate(img, FT_MIB), 0);
}

/* fsck of an image that shrinks while it runs completes, on what it read. */
START_TEST(test_image_shrinks_under_fsck)
{
	static const struct famfs_fsck_ops shrink = {
		.problem = on_problem, .entry = shrink_image, .arg = &seen,
	};

	populate();
	ck_assert_int_eq(famfs_fsck(img, &shrink, &rep, &err), 0);
	ck_assert_uint_eq(seen.entries, FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES + 3);
	ck_assert_uint_eq(rep.errors, 0);
}
END_TEST

START_TEST(test_unopenable)
{
	ck_assert_int_eq(famfs_fsck(ft_path("missing"), &ops, &rep, &err), -ENOENT);
	ck_assert_int_eq(famfs_fsck("/dev/null", &ops, &rep, &err), -ENODEV);
	ck_assert_uint_eq(seen.count, 0);
}
END_TEST

START_TEST(test_not_famfs)
{
	const char *blank = ft_path("blank");

	ft_image(blank, FT_IMAGE_SIZE);
	img = blank;
	expect_one(FAMFS_E_MAGIC, "superblock (device offset 0): bad magic number");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_clean_empty,
		test_clean_populated,
		test_client_role,
		test_sb_byte_flipped,
		test_sb_crc_flipped,
		test_sb_magic_flipped,
		test_log_header_byte_flipped,
		test_entry_byte_flipped,
		test_every_entry_byte_flipped,
		test_entry_header_flipped,
		test_overlapping_files,
		test_overlaps_cost_linear,
		test_long_paths_keep_the_cause,
		test_namespace_problems,
		test_namespace_clean,
		test_extent_past_device,
		test_device_shorter_than_superblock,
		test_device_claims_2_to_the_63,
		test_device_claims_a_pebibyte,
		test_mem_shorter_device,
		test_image_shrinks_under_fsck,
		test_unopenable,
		test_not_famfs,
		NULL,
	};

	return ft_main("fsck", setup, ft_teardown, tests);
}
