// SPDX-License-Identifier: GPL-2.0
/* Log entries: sizes, round trips, and every rejection by encoder and decoder. */
#include <sys/stat.h>

#include "test_format_common.h"

#define SEQ		7
#define HDR		sizeof(struct famfs_entry_header)
#define FILE_FIXED	(HDR + sizeof(struct famfs_file_payload))
#define MKDIR_FIXED	(HDR + sizeof(struct famfs_mkdir_payload))
#define HDR_OFF(f)	offsetof(struct famfs_entry_header, f)
#define FP_OFF(f)	(HDR + offsetof(struct famfs_file_payload, f))
#define MP_OFF(f)	(HDR + offsetof(struct famfs_mkdir_payload, f))
#define EXT_OFF(i, f)	(FILE_FIXED + (i) * sizeof(struct famfs_extent) + \
			 offsetof(struct famfs_extent, f))
#define FILE_MODE	(S_IFREG | 0644)
#define DIR_MODE	(S_IFDIR | 0755)

/* Big enough for a file entry with FAMFS_MAX_EXTENTS and the longest path. */
static uint8_t buf[512 << 10] __attribute__((aligned(8)));

/* The helpers of test_format_common.h, on buf. */
#define put16(off, v)	test_put16(buf + (off), v)
#define put32(off, v)	test_put32(buf + (off), v)
#define put64(off, v)	test_put64(buf + (off), v)
#define entry_len()	test_entry_len(buf)

static const struct famfs_meta file_meta = {
	.mode = FILE_MODE, .uid = 1000, .gid = 100, .size = 3 * AU - 100,
};
static const struct famfs_meta dir_meta = { .mode = DIR_MODE, .uid = 1, .gid = 2 };
static const char file_path[] = "dir/file";	/* 8 bytes: no padding */
static const char dir_path[] = "dir";		/* 3 bytes: 5 bytes of padding */

static struct famfs_extent_info file_ext[2];

static void setup(void)
{
	file_ext[0] = test_extent(DATA_START, AU);
	file_ext[1] = test_extent(DATA_START + 2 * AU, 2 * AU);
	memset(buf, 0, sizeof(buf));
}

static int encode_file_at(uint8_t *dst, size_t avail, uint64_t seq,
			  const struct famfs_geometry *geo, const char *path,
			  const struct famfs_meta *meta,
			  const struct famfs_extent_info *ext, uint32_t n)
{
	size_t len = 0;
	int err;

	err = famfs_file_entry_encode(dst, avail, seq, geo, path, meta, ext, n,
				      &len);
	if (!err)
		ck_assert_uint_eq(len, famfs_file_entry_size(strlen(path), n));
	return err;
}

/* The standard FILE entry (112 bytes) at the start of buf. */
static void encode_file(void)
{
	struct famfs_geometry geo = test_geometry();

	ck_assert_int_eq(encode_file_at(buf, sizeof(buf), SEQ, &geo, file_path,
					&file_meta, file_ext, 2), FAMFS_OK);
	ck_assert_uint_eq(entry_len(), 112);
}

/* The standard MKDIR entry (48 bytes) at the start of buf. */
static void encode_mkdir(void)
{
	size_t len;

	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, sizeof(buf), SEQ, dir_path,
						  &dir_meta, &len), FAMFS_OK);
	ck_assert_uint_eq(len, 48);
}

static int decode_geo(const struct famfs_geometry *geo, struct famfs_entry *e)
{
	return famfs_entry_decode(buf, entry_len(), SEQ, geo, e);
}

static int decode(void)
{
	static struct famfs_entry e;
	struct famfs_geometry geo = test_geometry();

	return decode_geo(&geo, &e);
}

/* Decode after an alteration that is meant to pass the CRC. */
static int resealed_decode(void)
{
	test_entry_reseal(buf);
	return decode();
}

static void check_extent(const struct famfs_entry *e, uint32_t i,
			 const struct famfs_extent_info *want)
{
	struct famfs_extent_info got;

	famfs_entry_extent(e, i, &got);
	ck_assert_uint_eq(got.dev_index, want->dev_index);
	ck_assert_uint_eq(got.offset, want->offset);
	ck_assert_uint_eq(got.len, want->len);
}

static void check_meta(const struct famfs_entry *e, const struct famfs_meta *m)
{
	ck_assert_uint_eq(e->meta.mode, m->mode);
	ck_assert_uint_eq(e->meta.uid, m->uid);
	ck_assert_uint_eq(e->meta.gid, m->gid);
	ck_assert_uint_eq(e->meta.size, S_ISREG(m->mode) ? m->size : 0);
}

START_TEST(test_file_round_trip)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;

	encode_file();
	memset(&e, 0xa5, sizeof(e));
	/* Bytes after the entry are not part of it. */
	ck_assert_int_eq(famfs_entry_decode(buf, sizeof(buf), SEQ, &geo, &e),
			 FAMFS_OK);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.len, 112);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_FILE);
	ck_assert_uint_eq(e.flags, 0);
	check_meta(&e, &file_meta);
	ck_assert_uint_eq(e.path_len, strlen(file_path));
	ck_assert_str_eq(e.path, file_path);
	ck_assert_uint_eq(e.n_extents, 2);
	ck_assert_ptr_eq(e.extents, buf + FILE_FIXED);
	check_extent(&e, 0, &file_ext[0]);
	check_extent(&e, 1, &file_ext[1]);
}
END_TEST

/* The capacity example of docs/format.md: a 32-byte name, one extent. */
START_TEST(test_file_one_extent)
{
	struct famfs_geometry geo = test_geometry();
	const char *path = "0123456789abcdef0123456789abcdef";
	struct famfs_meta meta = file_meta;
	struct famfs_entry e;

	meta.size = AU;
	ck_assert_int_eq(encode_file_at(buf, sizeof(buf), 0, &geo, path, &meta,
					file_ext, 1), FAMFS_OK);
	ck_assert_uint_eq(entry_len(), 112);
	ck_assert_int_eq(famfs_entry_decode(buf, 112, 0, &geo, &e), FAMFS_OK);
	ck_assert_str_eq(e.path, path);
	ck_assert_uint_eq(e.n_extents, 1);
	check_meta(&e, &meta);
	check_extent(&e, 0, &file_ext[0]);
}
END_TEST

/*
 * Encode a FILE entry of n one-unit extents, in descending device order, on a
 * device just big enough. Returns the extents (the caller frees them).
 */
static struct famfs_extent_info *encode_many(uint32_t n, const char *path,
					     struct famfs_geometry *geo,
					     struct famfs_meta *meta)
{
	struct famfs_extent_info *ext;
	uint32_t i;

	*geo = test_geometry();
	famfs_geo_set_dev_size(geo, DATA_START + (uint64_t)n * AU);
	*meta = file_meta;
	meta->size = (uint64_t)n * AU - 1;
	ext = calloc(n, sizeof(*ext));
	ck_assert_ptr_nonnull(ext);
	for (i = 0; i < n; i++)
		ext[i] = test_extent(DATA_START + (uint64_t)(n - 1 - i) * AU, AU);
	ck_assert_int_eq(encode_file_at(buf, sizeof(buf), SEQ, geo, path, meta,
					ext, n), FAMFS_OK);
	return ext;
}

static void check_many_extents(uint32_t n)
{
	struct famfs_extent_info *ext;
	struct famfs_geometry geo;
	struct famfs_meta meta;
	struct famfs_entry e;
	uint32_t i;

	ext = encode_many(n, "big", &geo, &meta);
	ck_assert_int_eq(decode_geo(&geo, &e), FAMFS_OK);
	ck_assert_uint_eq(e.n_extents, n);
	check_meta(&e, &meta);
	for (i = 0; i < n; i++)
		check_extent(&e, i, &ext[i]);
	free(ext);
}

START_TEST(test_file_many_extents)
{
	check_many_extents(1000);
}
END_TEST

START_TEST(test_file_max_extents)
{
	check_many_extents(FAMFS_MAX_EXTENTS);
}
END_TEST

START_TEST(test_file_empty)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_meta meta = file_meta;
	struct famfs_entry e;

	meta.size = 0;
	ck_assert_int_eq(encode_file_at(buf, sizeof(buf), SEQ, &geo, "empty",
					&meta, NULL, 0), FAMFS_OK);
	ck_assert_uint_eq(entry_len(), 64);
	ck_assert_int_eq(decode_geo(&geo, &e), FAMFS_OK);
	ck_assert_uint_eq(e.n_extents, 0);
	ck_assert_uint_eq(e.meta.size, 0);
	ck_assert_str_eq(e.path, "empty");
}
END_TEST

START_TEST(test_mkdir_round_trip)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;

	encode_mkdir();
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(decode_geo(&geo, &e), FAMFS_OK);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.len, 48);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_MKDIR);
	ck_assert_uint_eq(e.flags, 0);
	check_meta(&e, &dir_meta);
	ck_assert_uint_eq(e.path_len, 3);
	ck_assert_str_eq(e.path, dir_path);
	ck_assert_uint_eq(e.n_extents, 0);
	ck_assert_ptr_null(e.extents);
}
END_TEST

static void check_long_path(const char *path)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;
	size_t len;

	ck_assert_int_eq(encode_file_at(buf, sizeof(buf), SEQ, &geo, path,
					&file_meta, file_ext, 2), FAMFS_OK);
	ck_assert_int_eq(decode_geo(&geo, &e), FAMFS_OK);
	ck_assert_uint_eq(e.path_len, strlen(path));
	ck_assert_str_eq(e.path, path);

	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, sizeof(buf), SEQ, path,
						  &dir_meta, &len), FAMFS_OK);
	ck_assert_uint_eq(len, famfs_mkdir_entry_size(strlen(path)));
	ck_assert_int_eq(decode_geo(&geo, &e), FAMFS_OK);
	ck_assert_str_eq(e.path, path);
}

START_TEST(test_longest_name)
{
	char *path = test_path_of(1, FAMFS_NAME_MAX);

	check_long_path(path);
	free(path);
}
END_TEST

START_TEST(test_longest_path)
{
	char *path = test_path_of(16, FAMFS_NAME_MAX);

	ck_assert_uint_eq(strlen(path), FAMFS_PATH_MAX);
	check_long_path(path);
	free(path);
}
END_TEST

START_TEST(test_entry_sizes)
{
	ck_assert_uint_eq(famfs_file_entry_size(32, 1), 112);
	ck_assert_uint_eq(famfs_file_entry_size(1, 0), 64);
	ck_assert_uint_eq(famfs_file_entry_size(8, 0), 64);
	ck_assert_uint_eq(famfs_file_entry_size(9, 0), 72);
	ck_assert_uint_eq(famfs_file_entry_size(FAMFS_PATH_MAX, FAMFS_MAX_EXTENTS),
			  397368);
	ck_assert_uint_eq(famfs_file_entry_size(FAMFS_PATH_MAX + 1, 1), 0);
	ck_assert_uint_eq(famfs_file_entry_size(1, FAMFS_MAX_EXTENTS + 1), 0);
	ck_assert_uint_eq(famfs_file_entry_size(SIZE_MAX, UINT32_MAX), 0);
	ck_assert_uint_eq(famfs_mkdir_entry_size(1), 48);
	ck_assert_uint_eq(famfs_mkdir_entry_size(8), 48);
	ck_assert_uint_eq(famfs_mkdir_entry_size(9), 56);
	ck_assert_uint_eq(famfs_mkdir_entry_size(FAMFS_PATH_MAX), 4136);
	ck_assert_uint_eq(famfs_mkdir_entry_size(FAMFS_PATH_MAX + 1), 0);
}
END_TEST

/* The figure docs/format.md states for the default log. */
START_TEST(test_log_capacity)
{
	ck_assert_uint_eq((FAMFS_LOG_LEN_DEFAULT - FAMFS_LOG_ENTRIES_OFF) /
			  famfs_file_entry_size(32, 1), 74897);
}
END_TEST

/* Entries back to back, read the way log play reads them. */
START_TEST(test_entry_sequence)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;
	size_t off = 0, pos, len;
	uint64_t seq;

	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, sizeof(buf), 0, "dir",
						  &dir_meta, &len), FAMFS_OK);
	off += len;
	ck_assert_int_eq(famfs_file_entry_encode(buf + off, sizeof(buf) - off, 1,
						 &geo, "dir/a", &file_meta,
						 file_ext, 2, &len), FAMFS_OK);
	off += len;
	ck_assert_int_eq(famfs_mkdir_entry_encode(buf + off, sizeof(buf) - off, 2,
						  "dir/sub", &dir_meta, &len),
			 FAMFS_OK);
	off += len;

	ck_assert_int_eq(famfs_entry_decode(buf + 48, off - 48, 0, &geo, &e),
			 FAMFS_E_SEQ);
	for (seq = 0, pos = 0; pos < off; seq++, pos += e.len)
		ck_assert_int_eq(famfs_entry_decode(buf + pos, off - pos, seq,
						    &geo, &e), FAMFS_OK);
	ck_assert_uint_eq(seq, 3);
	ck_assert_str_eq(e.path, "dir/sub");
}
END_TEST

/* An encoder that fails must leave the buffer as it was. */
static void check_file_encode_refuses(const char *path,
				      const struct famfs_meta *meta,
				      const struct famfs_extent_info *ext,
				      uint32_t n, int want)
{
	struct famfs_geometry geo = test_geometry();

	memset(buf, 0xa5, 8192);
	ck_assert_int_eq(encode_file_at(buf, 8192, SEQ, &geo, path, meta, ext, n),
			 want);
	ck_assert_uint_eq(buf[0], 0xa5);
	ck_assert_mem_eq(buf, buf + 4096, 4096);
}

static void check_mkdir_encode_refuses(const char *path,
				       const struct famfs_meta *meta, int want)
{
	size_t len = 12345;

	memset(buf, 0xa5, 8192);
	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, 8192, SEQ, path, meta,
						  &len), want);
	ck_assert_uint_eq(len, 12345);
	ck_assert_uint_eq(buf[0], 0xa5);
	ck_assert_mem_eq(buf, buf + 4096, 4096);
}

static void check_both_encoders_refuse(const char *path, int want)
{
	check_file_encode_refuses(path, &file_meta, file_ext, 2, want);
	check_mkdir_encode_refuses(path, &dir_meta, want);
}

START_TEST(test_encode_bad_path)
{
	char *name = test_path_of(1, FAMFS_NAME_MAX + 1);
	char *path = test_path_of(17, FAMFS_NAME_MAX - 15);

	ck_assert_uint_eq(strlen(path), FAMFS_PATH_MAX + 1);
	check_both_encoders_refuse("", FAMFS_E_PATH_EMPTY);
	check_both_encoders_refuse("a//b", FAMFS_E_PATH_EMPTY);
	check_both_encoders_refuse("a/", FAMFS_E_PATH_EMPTY);
	check_both_encoders_refuse("/a", FAMFS_E_PATH_ABS);
	check_both_encoders_refuse("a/../b", FAMFS_E_PATH_DOT);
	check_both_encoders_refuse(".", FAMFS_E_PATH_DOT);
	check_both_encoders_refuse(name, FAMFS_E_NAME_LONG);
	check_both_encoders_refuse(path, FAMFS_E_PATH_LONG);
	free(name);
	free(path);
}
END_TEST

START_TEST(test_encode_bad_mode)
{
	struct famfs_meta meta = file_meta;

	meta.mode = S_IFDIR | 0644;
	check_file_encode_refuses("f", &meta, file_ext, 2, FAMFS_E_MODE);
	meta.mode = 0644;
	check_file_encode_refuses("f", &meta, file_ext, 2, FAMFS_E_MODE);
	meta.mode = FILE_MODE | 0200000000;
	check_file_encode_refuses("f", &meta, file_ext, 2, FAMFS_E_MODE);
	meta = dir_meta;
	meta.mode = S_IFREG | 0755;
	check_mkdir_encode_refuses("d", &meta, FAMFS_E_MODE);
	meta.mode = S_IFLNK | 0777;
	check_mkdir_encode_refuses("d", &meta, FAMFS_E_MODE);
}
END_TEST

START_TEST(test_encode_bad_extents)
{
	struct famfs_extent_info ext[2] = { file_ext[0], file_ext[1] };
	struct famfs_meta meta = file_meta;

	check_file_encode_refuses("f", &meta, ext, 0, FAMFS_E_EXT_COUNT);
	meta.size = 3 * AU + 1;
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_SHORT);
	meta = file_meta;
	ext[1] = ext[0];
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_OVERLAP);
	ext[1] = test_extent(0, AU);
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_RESERVED);
	ext[1] = test_extent(GiB, 2 * AU);
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_RANGE);
	ext[1] = test_extent(DATA_START + AU + 512, 2 * AU);
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_ALIGN);
	ext[1] = test_extent(DATA_START + AU, 0);
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_ZERO);
	ext[1] = test_extent(DATA_START + AU, 2 * AU);
	ext[1].dev_index = 1;
	check_file_encode_refuses("f", &meta, ext, 2, FAMFS_E_EXT_DEV);
}
END_TEST

START_TEST(test_encode_log_full)
{
	struct famfs_geometry geo = test_geometry();
	size_t len;

	memset(buf, 0xa5, 256);
	ck_assert_int_eq(encode_file_at(buf, 111, SEQ, &geo, file_path, &file_meta,
					file_ext, 2), FAMFS_E_LOG_FULL);
	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, 47, SEQ, dir_path,
						  &dir_meta, &len),
			 FAMFS_E_LOG_FULL);
	ck_assert_mem_eq(buf, buf + 128, 128);
	ck_assert_uint_eq(buf[0], 0xa5);
	ck_assert_int_eq(encode_file_at(buf, 112, SEQ, &geo, file_path, &file_meta,
					file_ext, 2), FAMFS_OK);
	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, 48, SEQ, dir_path,
						  &dir_meta, &len), FAMFS_OK);
}
END_TEST

START_TEST(test_decode_short)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;

	encode_mkdir();
	ck_assert_int_eq(famfs_entry_decode(buf, 0, SEQ, &geo, &e), FAMFS_E_SHORT);
	ck_assert_int_eq(famfs_entry_decode(buf, HDR - 1, SEQ, &geo, &e),
			 FAMFS_E_SHORT);
}
END_TEST

START_TEST(test_decode_len)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;

	encode_file();
	ck_assert_int_eq(famfs_entry_decode(buf, 104, SEQ, &geo, &e), FAMFS_E_LEN);
	ck_assert_int_eq(famfs_entry_decode(buf, HDR, SEQ, &geo, &e), FAMFS_E_LEN);
	put32(HDR_OFF(len), 16);
	ck_assert_int_eq(famfs_entry_decode(buf, 112, SEQ, &geo, &e), FAMFS_E_LEN);
	put32(HDR_OFF(len), 0);
	ck_assert_int_eq(famfs_entry_decode(buf, 112, SEQ, &geo, &e), FAMFS_E_LEN);
	put32(HDR_OFF(len), 108);
	ck_assert_int_eq(famfs_entry_decode(buf, 112, SEQ, &geo, &e), FAMFS_E_LEN);
	put32(HDR_OFF(len), 0xfffffff8);
	ck_assert_int_eq(famfs_entry_decode(buf, sizeof(buf), SEQ, &geo, &e),
			 FAMFS_E_LEN);
}
END_TEST

START_TEST(test_decode_crc)
{
	encode_file();
	buf[FILE_FIXED + 2 * sizeof(struct famfs_extent)] ^= 0x20;
	ck_assert_int_eq(decode(), FAMFS_E_CRC);
	encode_mkdir();
	buf[entry_len() - 1] = 1;	/* padding is covered too */
	ck_assert_int_eq(decode(), FAMFS_E_CRC);
}
END_TEST

START_TEST(test_decode_seq)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;

	encode_file();
	ck_assert_int_eq(famfs_entry_decode(buf, 112, SEQ + 1, &geo, &e),
			 FAMFS_E_SEQ);
	ck_assert_int_eq(famfs_entry_decode(buf, 112, SEQ - 1, &geo, &e),
			 FAMFS_E_SEQ);
	put64(HDR_OFF(seq), SEQ + (1ULL << 32));
	ck_assert_int_eq(resealed_decode(), FAMFS_E_SEQ);
}
END_TEST

START_TEST(test_decode_type)
{
	static const uint16_t unknown[] = { 0, 9, 15, 0xffff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		encode_file();
		put16(HDR_OFF(type), unknown[i]);
		ck_assert_int_eq(resealed_decode(), FAMFS_E_TYPE);
	}
}
END_TEST

/* A type from a newer minor version that old readers may step over. */
START_TEST(test_decode_skippable)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_entry e;

	encode_file();
	put16(HDR_OFF(type), 99);
	put16(HDR_OFF(flags), FAMFS_ENTRY_F_SKIPPABLE);
	test_entry_reseal(buf);
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(famfs_entry_decode(buf, 112, SEQ, &geo, &e), FAMFS_OK);
	ck_assert_uint_eq(e.type, 99);
	ck_assert_uint_eq(e.flags, FAMFS_ENTRY_F_SKIPPABLE);
	ck_assert_uint_eq(e.len, 112);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.n_extents, 0);
	ck_assert_ptr_null(e.extents);
	ck_assert_uint_eq(e.path_len, 0);
	ck_assert_str_eq(e.path, "");
	ck_assert_uint_eq(e.meta.mode, 0);
}
END_TEST

START_TEST(test_decode_flags)
{
	encode_file();
	put16(HDR_OFF(flags), 0x8000);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_file();
	put32(HDR_OFF(reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_file();
	put32(FP_OFF(flags), FAMFS_FILE_F_ALL << 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_file();
	put32(FP_OFF(flags), 0x80000000 | FAMFS_FILE_F_STRIPED);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	/* Striped, the entry has a stripe payload this one lacks. */
	encode_file();
	put32(FP_OFF(flags), FAMFS_FILE_F_STRIPED);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	put16(FP_OFF(reserved), 0x100);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_file();
	put32(EXT_OFF(1, reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_mkdir();
	put16(MP_OFF(reserved), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
}
END_TEST

/* Payload lengths that disagree with the entry length. */
START_TEST(test_decode_payload_len)
{
	encode_file();
	put32(HDR_OFF(len), FILE_FIXED - 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_mkdir();
	put32(HDR_OFF(len), MKDIR_FIXED - 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	put16(FP_OFF(path_len), 9);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	put16(FP_OFF(path_len), 0xffff);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	put32(FP_OFF(n_extents), 3);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	put32(FP_OFF(n_extents), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	/* 0xffffffff * 24 wraps to a small number in 32-bit arithmetic. */
	put32(FP_OFF(n_extents), 0xffffffff);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_file();
	put32(FP_OFF(n_extents), 0xaaaaaaab);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_mkdir();
	put16(MP_OFF(path_len), 11);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
}
END_TEST

START_TEST(test_decode_mode)
{
	encode_file();
	put32(FP_OFF(mode), S_IFDIR | 0644);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_MODE);
	encode_file();
	put32(FP_OFF(mode), FILE_MODE | 0x80000000);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_MODE);
	encode_mkdir();
	put32(MP_OFF(mode), S_IFREG | 0755);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_MODE);
	encode_mkdir();
	put32(MP_OFF(mode), 0755);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_MODE);
}
END_TEST

/* Replace the standard FILE entry's 8-byte path with another of 8 bytes. */
static int file_path_decode(const char path[8])
{
	encode_file();
	memcpy(buf + FILE_FIXED + 2 * sizeof(struct famfs_extent), path, 8);
	return resealed_decode();
}

START_TEST(test_decode_bad_path)
{
	ck_assert_int_eq(file_path_decode("/ir/file"), FAMFS_E_PATH_ABS);
	ck_assert_int_eq(file_path_decode("dir//ile"), FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(file_path_decode("dir/fil/"), FAMFS_E_PATH_EMPTY);
	ck_assert_int_eq(file_path_decode("dir/../e"), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(file_path_decode("./r/file"), FAMFS_E_PATH_DOT);
	ck_assert_int_eq(file_path_decode("dir\0file"), FAMFS_E_PATH_NUL);
	ck_assert_int_eq(file_path_decode("dir/fil\0"), FAMFS_E_PATH_NUL);
}
END_TEST

START_TEST(test_decode_empty_path)
{
	/* "dir" in a 48-byte entry becomes no path in a 40-byte one. */
	encode_mkdir();
	put32(HDR_OFF(len), MKDIR_FIXED);
	put16(MP_OFF(path_len), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_EMPTY);
}
END_TEST

START_TEST(test_decode_long_path)
{
	char *path = test_path_of(16, FAMFS_NAME_MAX);
	size_t len;

	/* The 4095-byte path has one byte of padding; make it path byte 4096. */
	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, sizeof(buf), SEQ, path,
						  &dir_meta, &len), FAMFS_OK);
	ck_assert_uint_eq(len, MKDIR_FIXED + FAMFS_PATH_MAX + 1);
	put16(MP_OFF(path_len), FAMFS_PATH_MAX + 1);
	buf[len - 1] = 'n';
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PATH_LONG);
	free(path);
}
END_TEST

START_TEST(test_decode_long_name)
{
	char *path = test_path_of(2, FAMFS_NAME_MAX - 1);
	size_t len;

	/* Two 254-byte names joined into one of 509 bytes. */
	ck_assert_int_eq(famfs_mkdir_entry_encode(buf, sizeof(buf), SEQ, path,
						  &dir_meta, &len), FAMFS_OK);
	buf[MKDIR_FIXED + FAMFS_NAME_MAX - 1] = 'n';
	ck_assert_int_eq(resealed_decode(), FAMFS_E_NAME_LONG);
	free(path);
}
END_TEST

START_TEST(test_decode_padding)
{
	encode_mkdir();
	buf[MKDIR_FIXED + 3] = 'x';
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PADDING);
	encode_mkdir();
	buf[entry_len() - 1] = 0x80;
	ck_assert_int_eq(resealed_decode(), FAMFS_E_PADDING);
}
END_TEST

START_TEST(test_decode_bad_extent)
{
	encode_file();
	put32(EXT_OFF(1, dev_index), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_DEV);
	encode_file();
	put64(EXT_OFF(0, len), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_ZERO);
	encode_file();
	put64(EXT_OFF(1, offset), DATA_START + 2 * AU + 4096);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_ALIGN);
	encode_file();
	put64(EXT_OFF(1, len), 2 * AU - 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_ALIGN);
	encode_file();
	put64(EXT_OFF(0, offset), FAMFS_LOG_OFFSET);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_RESERVED);
	encode_file();
	put64(EXT_OFF(0, offset), LOG_AREA1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_RESERVED);
	encode_file();
	put64(EXT_OFF(1, offset), GiB - AU);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_RANGE);
	encode_file();
	put64(EXT_OFF(1, offset), UINT64_MAX & ~(AU - 1));
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_RANGE);
	encode_file();
	put64(EXT_OFF(0, offset), DATA_START + 3 * AU);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_OVERLAP);
	encode_file();
	put64(FP_OFF(size), 3 * AU + 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_SHORT);
}
END_TEST

START_TEST(test_decode_extent_count)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_meta meta = file_meta;
	char *path = test_path_of(1, 64);
	struct famfs_extent_info *ext;

	/* An empty file that claims a size. */
	meta.size = 0;
	ck_assert_int_eq(encode_file_at(buf, sizeof(buf), SEQ, &geo, "f", &meta,
					NULL, 0), FAMFS_OK);
	put64(FP_OFF(size), 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_COUNT);

	/*
	 * One extent more than allowed, the entry length kept consistent: the
	 * first 24 bytes of the 64-byte path become extent 16385.
	 */
	ext = encode_many(FAMFS_MAX_EXTENTS, path, &geo, &meta);
	put32(FP_OFF(n_extents), FAMFS_MAX_EXTENTS + 1);
	put16(FP_OFF(path_len), 64 - sizeof(struct famfs_extent));
	ck_assert_int_eq(resealed_decode(), FAMFS_E_EXT_COUNT);
	free(ext);
	free(path);
}
END_TEST

START_TEST(test_file_every_byte_flipped)
{
	encode_file();
	test_entry_every_byte_flipped(buf, SEQ);
}
END_TEST

START_TEST(test_mkdir_every_byte_flipped)
{
	encode_mkdir();
	test_entry_every_byte_flipped(buf, SEQ);
}
END_TEST

/* Encode what was decoded; the entry must come out byte for byte the same. */
static void check_reencodes(const struct famfs_entry *e, const uint8_t *orig)
{
	struct famfs_geometry geo = test_geometry();
	static uint8_t again[sizeof(buf)];
	struct famfs_extent_info ext[4];
	size_t len = 0;
	uint32_t i;

	if (e->type == FAMFS_ENTRY_MKDIR) {
		ck_assert_int_eq(famfs_mkdir_entry_encode(again, sizeof(again),
							  e->seq, e->path,
							  &e->meta, &len),
				 FAMFS_OK);
	} else {
		ck_assert_uint_eq(e->type, FAMFS_ENTRY_FILE);
		ck_assert_uint_le(e->n_extents, 4);
		for (i = 0; i < e->n_extents; i++)
			famfs_entry_extent(e, i, &ext[i]);
		ck_assert_int_eq(famfs_file_entry_encode(again, sizeof(again),
							 e->seq, &geo, e->path,
							 &e->meta, ext,
							 e->n_extents, &len),
				 FAMFS_OK);
	}
	ck_assert_uint_eq(len, e->len);
	ck_assert_mem_eq(again, orig, len);
}

/*
 * Random damage that keeps the CRC valid, as a buggy or hostile writer would
 * produce: whatever the decoder accepts must be exactly what the encoder
 * writes for the decoded values, so nothing malformed slips through.
 */
static void check_random_damage(void (*encode)(void))
{
	struct famfs_geometry geo = test_geometry();
	static struct famfs_entry e;
	uint32_t len, round;
	int n, err;

	srand(2);
	for (round = 0; round < 50000; round++) {
		encode();
		len = entry_len();
		for (n = rand() % 3; n >= 0; n--)
			buf[HDR_OFF(len) + 4 + rand() % (len - 8)] ^= 1u << (rand() % 8);
		test_entry_reseal(buf);
		err = famfs_entry_decode(buf, len, SEQ, &geo, &e);
		ck_assert_int_lt(err, FAMFS_E__COUNT);
		if (!err && (e.flags & FAMFS_ENTRY_F_SKIPPABLE) == 0)
			check_reencodes(&e, buf);
	}
}

START_TEST(test_file_random_damage)
{
	check_random_damage(encode_file);
}
END_TEST

START_TEST(test_mkdir_random_damage)
{
	check_random_damage(encode_mkdir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_entry");
	TCase *ok = tcase_create("round_trip");
	TCase *enc = tcase_create("encode_rejects");
	TCase *dec = tcase_create("decode_rejects");

	tcase_add_checked_fixture(ok, setup, NULL);
	tcase_set_timeout(ok, 60);
	tcase_add_test(ok, test_file_round_trip);
	tcase_add_test(ok, test_file_one_extent);
	tcase_add_test(ok, test_file_many_extents);
	tcase_add_test(ok, test_file_max_extents);
	tcase_add_test(ok, test_file_empty);
	tcase_add_test(ok, test_mkdir_round_trip);
	tcase_add_test(ok, test_longest_name);
	tcase_add_test(ok, test_longest_path);
	tcase_add_test(ok, test_entry_sizes);
	tcase_add_test(ok, test_log_capacity);
	tcase_add_test(ok, test_entry_sequence);
	suite_add_tcase(s, ok);

	tcase_add_checked_fixture(enc, setup, NULL);
	tcase_add_test(enc, test_encode_bad_path);
	tcase_add_test(enc, test_encode_bad_mode);
	tcase_add_test(enc, test_encode_bad_extents);
	tcase_add_test(enc, test_encode_log_full);
	suite_add_tcase(s, enc);

	tcase_add_checked_fixture(dec, setup, NULL);
	/* Room for sanitizer builds on a busy machine. */
	tcase_set_timeout(dec, 60);
	tcase_add_test(dec, test_decode_short);
	tcase_add_test(dec, test_decode_len);
	tcase_add_test(dec, test_decode_crc);
	tcase_add_test(dec, test_decode_seq);
	tcase_add_test(dec, test_decode_type);
	tcase_add_test(dec, test_decode_skippable);
	tcase_add_test(dec, test_decode_flags);
	tcase_add_test(dec, test_decode_payload_len);
	tcase_add_test(dec, test_decode_mode);
	tcase_add_test(dec, test_decode_bad_path);
	tcase_add_test(dec, test_decode_empty_path);
	tcase_add_test(dec, test_decode_long_path);
	tcase_add_test(dec, test_decode_long_name);
	tcase_add_test(dec, test_decode_padding);
	tcase_add_test(dec, test_decode_bad_extent);
	tcase_add_test(dec, test_decode_extent_count);
	tcase_add_test(dec, test_file_every_byte_flipped);
	tcase_add_test(dec, test_mkdir_every_byte_flipped);
	tcase_add_test(dec, test_file_random_damage);
	tcase_add_test(dec, test_mkdir_random_damage);
	suite_add_tcase(s, dec);
	return test_run_suite(s);
}
