/* SPDX-License-Identifier: GPL-2.0 */
/* Fixtures shared by the format test suites. */
#ifndef TEST_FORMAT_COMMON_H
#define TEST_FORMAT_COMMON_H

#include <check.h>
#include <endian.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/format.h"
#include "format_reseal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define GiB		(1ULL << 30)
#define AU		FAMFS_ALLOC_UNIT
/*
 * First device byte that a file may use with the default geometry: after
 * both log areas.
 */
#define DATA_START	(FAMFS_LOG_OFFSET + FAMFS_LOG_AREAS * FAMFS_LOG_LEN_DEFAULT)
/* The start of log area 1 with the default log. */
#define LOG_AREA1	(FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT)

/* A valid 1 GiB device with the default log (two areas). */
static inline struct famfs_geometry test_geometry(void)
{
	return test_geometry_of(GiB);
}

/* Member m (1 ..) of the test geometries: its UUID's bytes are all m. */
static inline struct famfs_member_info test_member(uint32_t m, uint64_t size)
{
	struct famfs_member_info info = { .size = size, .index = m };

	memset(info.uuid, (int)m, sizeof(info.uuid));
	return info;
}

/* test_geometry() and n - 1 more members of 1 GiB each. */
static inline struct famfs_geometry test_geometry_members(uint32_t n)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_member_info m;
	uint32_t i;

	for (i = 1; i < n; i++) {
		m = test_member(i, GiB);
		ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_OK);
	}
	return geo;
}

/* A superblock of format 1.4 over test_geometry(): one member, no stripe. */
static inline struct famfs_sb_info test_sb_info(void)
{
	struct famfs_sb_info info;
	int i;

	memset(&info, 0, sizeof(info));
	for (i = 0; i < 16; i++) {
		info.fs_uuid[i] = 0x10 + i;
		info.dev_uuid[i] = 0x20 + i;
		info.master_uuid[i] = 0x30 + i;
	}
	info.create_time = 1764000000;
	info.hosts_offset = FAMFS_HOSTS_OFFSET;
	info.hosts_count = FAMFS_HOSTS_COUNT;
	info.logrec_offset = FAMFS_LOGREC_OFFSET;
	info.members_offset = FAMFS_MEMBERS_OFFSET;
	info.ndevices = 1;
	info.geo = test_geometry();
	memcpy(info.members[0].uuid, info.dev_uuid, 16);
	info.members[0].size = info.geo.dev_size;
	return info;
}

static inline struct famfs_extent_info test_extent(uint64_t offset, uint64_t len)
{
	struct famfs_extent_info ext = { .dev_index = 0, .offset = offset, .len = len };

	return ext;
}

/* n components of len bytes joined with '/': n * (len + 1) - 1 bytes, malloc'd. */
static inline char *test_path_of(unsigned int n, size_t len)
{
	size_t total = n * (len + 1) - 1, i;
	char *p = malloc(total + 1);

	ck_assert_ptr_nonnull(p);
	memset(p, 'n', total);
	for (i = len; i < total; i += len + 1)
		p[i] = '/';
	p[total] = '\0';
	return p;
}

/* Little-endian stores at any alignment, to damage an encoded structure. */
static inline void test_put16(uint8_t *p, uint16_t v)
{
	__le16 le = htole16(v);

	memcpy(p, &le, sizeof(le));
}

static inline void test_put32(uint8_t *p, uint32_t v)
{
	__le32 le = htole32(v);

	memcpy(p, &le, sizeof(le));
}

static inline void test_put64(uint8_t *p, uint64_t v)
{
	__le64 le = htole64(v);

	memcpy(p, &le, sizeof(le));
}

static inline uint16_t test_get16(const uint8_t *p)
{
	__le16 le;

	memcpy(&le, p, sizeof(le));
	return le16toh(le);
}

/*
 * An encoder that refuses writes nothing: fill its buffer with a pattern
 * first, and find it whole after.
 */
#define TEST_POISON	0x5a

static inline void test_poison(uint8_t *p, size_t n)
{
	memset(p, TEST_POISON, n);
}

static inline bool test_poisoned(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++ != TEST_POISON)
			return false;
	return true;
}

static inline bool test_bytes_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* The len field of the entry at p. */
static inline uint32_t test_entry_len(const uint8_t *p)
{
	__le32 le;

	memcpy(&le, p + offsetof(struct famfs_entry_header, len), sizeof(le));
	return le32toh(le);
}

/*
 * Damage anywhere in the entry at buf (sequence number seq, at most 128
 * bytes) is caught: by the CRC, or as a bad length when it hits the
 * length field (which bounds what the CRC covers). buf is left damaged.
 */
static inline void test_entry_every_byte_flipped(uint8_t *buf, uint64_t seq)
{
	const size_t len_off = offsetof(struct famfs_entry_header, len);
	struct famfs_geometry geo = test_geometry();
	uint32_t len = test_entry_len(buf), i;
	static struct famfs_entry e;
	uint8_t good[128];
	int bit, err;

	ck_assert_uint_le(len, sizeof(good));
	memcpy(good, buf, len);
	for (i = 0; i < len; i++) {
		for (bit = -1; bit < 8; bit++) {
			memcpy(buf, good, len);
			buf[i] ^= bit < 0 ? 0xff : 1u << bit;
			err = famfs_entry_decode(buf, len, seq, &geo, &e);
			if (i >= len_off && i < len_off + 4)
				ck_assert_msg(err == FAMFS_E_LEN || err == FAMFS_E_CRC,
					      "byte %u bit %d: %s", i, bit,
					      famfs_strerror(err));
			else
				ck_assert_int_eq(err, FAMFS_E_CRC);
		}
	}
}

/* Run one suite; the exit status is what ctest checks. */
static inline int test_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* TEST_FORMAT_COMMON_H */
