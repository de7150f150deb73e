// SPDX-License-Identifier: GPL-2.0
/*
 * Members (format 1.4): the member table, labels, MEMBER entries and the
 * geometry they grow; round trips and every rejection.
 */
#include "test_format_common.h"

#define SEQ		9
#define SLOT		FAMFS_MEMBER_SLOT_SIZE
#define MEMBER_MIN	(FAMFS_MEMBER_DATA_OFFSET + AU)
#define SLOT_OFF(i, f)	(FAMFS_MEMBERS_OFFSET + (i) * SLOT + \
			 offsetof(struct famfs_member_slot, f))
#define LBL_OFF(f)	offsetof(struct famfs_member_label, f)
#define MP_OFF(f)	(sizeof(struct famfs_entry_header) + \
			 offsetof(struct famfs_member_payload, f))

/* The superblock area from offset 0: the table lies in it. */
static uint8_t area[FAMFS_MEMBERS_OFFSET + FAMFS_MAX_DEVICES * SLOT];
static const uint8_t fs_uuid[16] = { 0xf5, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

/* test_sb_info() with n members: member i > 0 of i GiB. */
static struct famfs_sb_info sb_members(uint32_t n)
{
	struct famfs_sb_info sb = test_sb_info();
	uint32_t i;

	sb.ndevices = n;
	for (i = 1; i < n; i++)
		sb.members[i] = test_member(i, i * GiB);
	return sb;
}

static void encode_table(uint32_t n)
{
	struct famfs_sb_info sb = sb_members(n);

	memset(area, 0xa5, sizeof(area));
	ck_assert_int_eq(famfs_members_encode(&sb, area, sizeof(area)), FAMFS_OK);
}

/* Decode the table of area into what the superblock alone gives. */
static int decode_table(uint32_t n, struct famfs_sb_info *out)
{
	struct famfs_superblock raw;
	struct famfs_sb_info sb = sb_members(n);

	ck_assert_int_eq(famfs_sb_encode(&sb, &raw), FAMFS_OK);
	ck_assert_int_eq(famfs_sb_decode(&raw, sizeof(raw), out), FAMFS_OK);
	return famfs_members_decode(area, sizeof(area), out);
}

/* Recompute slot i's CRC after an alteration meant to pass it. */
static void reseal_slot(uint32_t i)
{
	test_fixed_reseal(area + FAMFS_MEMBERS_OFFSET + i * SLOT, SLOT);
}

static int resealed_decode_table(uint32_t n, uint32_t slot)
{
	struct famfs_sb_info out;

	reseal_slot(slot);
	return decode_table(n, &out);
}

START_TEST(test_table_round_trip)
{
	const uint32_t n = 5;
	struct famfs_sb_info in = sb_members(n), out;
	uint32_t i;

	encode_table(n);
	ck_assert_int_eq(decode_table(n, &out), FAMFS_OK);
	ck_assert_uint_eq(out.geo.n_members, n);
	ck_assert_uint_eq(out.geo.member_size[0], in.geo.dev_size);
	for (i = 0; i < n; i++) {
		ck_assert_mem_eq(out.members[i].uuid, in.members[i].uuid, 16);
		ck_assert_uint_eq(out.members[i].size, in.members[i].size);
		ck_assert_uint_eq(out.members[i].index, i);
		ck_assert_uint_eq(out.geo.member_size[i], in.members[i].size);
	}
	/* Unused slots are zeroed, up to FAMFS_MAX_DEVICES. */
	ck_assert(test_bytes_zero(area + FAMFS_MEMBERS_OFFSET + n * SLOT,
				  (FAMFS_MAX_DEVICES - n) * SLOT));
	ck_assert_uint_eq(area[FAMFS_MEMBERS_OFFSET - 1], 0xa5);
}
END_TEST

START_TEST(test_table_full)
{
	struct famfs_sb_info out;

	encode_table(FAMFS_MAX_DEVICES);
	ck_assert_int_eq(decode_table(FAMFS_MAX_DEVICES, &out), FAMFS_OK);
	ck_assert_uint_eq(out.geo.n_members, FAMFS_MAX_DEVICES);
	ck_assert_uint_eq(out.geo.member_size[FAMFS_MAX_DEVICES - 1],
			  (FAMFS_MAX_DEVICES - 1) * GiB);
}
END_TEST

/* The slots' bytes: CRC over 0..59, index at 24. */
START_TEST(test_table_layout)
{
	encode_table(2);
	ck_assert_uint_eq(area[SLOT_OFF(1, index)], 1);
	ck_assert_uint_eq(area[SLOT_OFF(1, uuid)], 1);
	ck_assert_uint_eq(offsetof(struct famfs_member_slot, crc), 60);
	ck_assert_uint_eq(offsetof(struct famfs_member_slot, index), 24);
}
END_TEST

/* Before 1.4 there is no table: both do nothing and succeed. */
START_TEST(test_table_none)
{
	struct famfs_sb_info sb = test_sb_info(), before;

	sb.members_offset = 0;
	memset(area, 0xa5, sizeof(area));
	ck_assert_int_eq(famfs_members_encode(&sb, area, 0), FAMFS_OK);
	ck_assert_uint_eq(area[FAMFS_MEMBERS_OFFSET], 0xa5);
	before = sb;
	ck_assert_int_eq(famfs_members_decode(area, 0, &sb), FAMFS_OK);
	ck_assert_mem_eq(&sb, &before, sizeof(sb));
}
END_TEST

static void check_table_encode_refuses(const struct famfs_sb_info *sb,
				       size_t len, int want)
{
	test_poison(area, sizeof(area));
	ck_assert_int_eq(famfs_members_encode(sb, area, len), want);
	ck_assert(test_poisoned(area, sizeof(area)));
}

START_TEST(test_table_encode_short)
{
	struct famfs_sb_info sb = sb_members(2);

	check_table_encode_refuses(&sb, sizeof(area) - 1, FAMFS_E_SHORT);
	sb.members_offset = sizeof(area);
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_SHORT);
}
END_TEST

START_TEST(test_table_encode_ndevices)
{
	struct famfs_sb_info sb = sb_members(2);

	sb.ndevices = 0;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_GEOMETRY);
	sb.ndevices = FAMFS_MAX_DEVICES + 1;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_GEOMETRY);
}
END_TEST

/* Slot 0 is the superblock's device: its UUID, its size, index 0. */
START_TEST(test_table_encode_slot0)
{
	struct famfs_sb_info sb = sb_members(2);

	sb.members[0].uuid[15] ^= 1;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
	sb = sb_members(2);
	sb.members[0].size -= AU;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
	sb = sb_members(2);
	sb.members[0].index = 1;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
}
END_TEST

START_TEST(test_table_encode_index)
{
	struct famfs_sb_info sb = sb_members(3);

	sb.members[2].index = 1;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
	sb.members[2].index = 3;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
}
END_TEST

START_TEST(test_table_encode_size)
{
	struct famfs_sb_info sb = sb_members(3);

	sb.members[2].size = MEMBER_MIN - 1;
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_GEOMETRY);
	sb.members[2].size = MEMBER_MIN;
	memset(area, 0, sizeof(area));
	ck_assert_int_eq(famfs_members_encode(&sb, area, sizeof(area)), FAMFS_OK);
}
END_TEST

START_TEST(test_table_encode_uuid_twice)
{
	struct famfs_sb_info sb = sb_members(3);

	memcpy(sb.members[2].uuid, sb.members[1].uuid, 16);
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
	sb = sb_members(3);
	memcpy(sb.members[1].uuid, sb.dev_uuid, 16);
	check_table_encode_refuses(&sb, sizeof(area), FAMFS_E_MEMBER);
}
END_TEST

START_TEST(test_table_decode_short)
{
	struct famfs_sb_info out;

	encode_table(3);
	ck_assert_int_eq(decode_table(3, &out), FAMFS_OK);
	ck_assert_int_eq(famfs_members_decode(area, FAMFS_MEMBERS_OFFSET + 3 * SLOT - 1,
					      &out), FAMFS_E_SHORT);
	ck_assert_int_eq(famfs_members_decode(area, FAMFS_MEMBERS_OFFSET - 1, &out),
			 FAMFS_E_SHORT);
	ck_assert_int_eq(famfs_members_decode(area, FAMFS_MEMBERS_OFFSET + 3 * SLOT,
					      &out), FAMFS_OK);
}
END_TEST

/* A torn or damaged slot: the CRC catches a change in any of its bytes. */
START_TEST(test_table_decode_crc)
{
	struct famfs_sb_info out;
	size_t i;

	for (i = 0; i < SLOT; i++) {
		encode_table(3);
		area[FAMFS_MEMBERS_OFFSET + 2 * SLOT + i] ^= 0x10;
		ck_assert_int_eq(decode_table(3, &out), FAMFS_E_CRC);
	}
	/* A slot never written. */
	encode_table(2);
	ck_assert_int_eq(decode_table(3, &out), FAMFS_E_CRC);
}
END_TEST

START_TEST(test_table_decode_flags)
{
	encode_table(2);
	test_put32(area + SLOT_OFF(1, flags), 1);
	ck_assert_int_eq(resealed_decode_table(2, 1), FAMFS_E_FLAGS);
}
END_TEST

START_TEST(test_table_decode_reserved)
{
	struct famfs_sb_info out;

	encode_table(2);
	area[SLOT_OFF(1, reserved) + 27] = 1;
	ck_assert_int_eq(resealed_decode_table(2, 1), FAMFS_E_FLAGS);
	/* A newer minor version may use them. */
	ck_assert_int_eq(decode_table(2, &out), FAMFS_E_FLAGS);
	out.version_minor = FAMFS_VERSION_MINOR + 1;
	ck_assert_int_eq(famfs_members_decode(area, sizeof(area), &out), FAMFS_OK);
}
END_TEST

START_TEST(test_table_decode_index)
{
	encode_table(3);
	test_put32(area + SLOT_OFF(2, index), 1);
	ck_assert_int_eq(resealed_decode_table(3, 2), FAMFS_E_MEMBER);
	encode_table(3);
	test_put32(area + SLOT_OFF(0, index), 2);
	ck_assert_int_eq(resealed_decode_table(3, 0), FAMFS_E_MEMBER);
}
END_TEST

START_TEST(test_table_decode_size)
{
	encode_table(3);
	test_put64(area + SLOT_OFF(2, size), MEMBER_MIN - AU);
	ck_assert_int_eq(resealed_decode_table(3, 2), FAMFS_E_GEOMETRY);
}
END_TEST

/* Slot 0 must repeat the superblock's dev_uuid and dev_size. */
START_TEST(test_table_decode_slot0)
{
	encode_table(2);
	area[SLOT_OFF(0, uuid)] ^= 1;
	ck_assert_int_eq(resealed_decode_table(2, 0), FAMFS_E_MEMBER);
	encode_table(2);
	test_put64(area + SLOT_OFF(0, size), GiB - AU);
	ck_assert_int_eq(resealed_decode_table(2, 0), FAMFS_E_MEMBER);
}
END_TEST

START_TEST(test_table_decode_uuid_twice)
{
	encode_table(3);
	memcpy(area + SLOT_OFF(2, uuid), area + SLOT_OFF(1, uuid), 16);
	ck_assert_int_eq(resealed_decode_table(3, 2), FAMFS_E_MEMBER);
}
END_TEST

/* On error, the superblock's info is left as it was. */
START_TEST(test_table_decode_untouched)
{
	struct famfs_sb_info out, before;

	encode_table(3);
	area[SLOT_OFF(2, size)] ^= 1;
	ck_assert_int_eq(decode_table(3, &out), FAMFS_E_CRC);
	before = out;
	ck_assert_int_eq(famfs_members_decode(area, sizeof(area), &out), FAMFS_E_CRC);
	ck_assert_mem_eq(&out, &before, sizeof(out));
	ck_assert_uint_eq(out.geo.n_members, 1);
}
END_TEST

START_TEST(test_geo_add_member)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_member_info m = test_member(1, MEMBER_MIN);

	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_OK);
	ck_assert_uint_eq(geo.n_members, 2);
	ck_assert_uint_eq(geo.member_size[1], MEMBER_MIN);
	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_OK);
	/* Out of order: again, skipping one, or member 0. */
	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_E_MEMBER);
	m.index = 3;
	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_E_MEMBER);
	m.index = 0;
	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_E_MEMBER);
	m = test_member(2, MEMBER_MIN - 1);
	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_E_GEOMETRY);
	ck_assert_uint_eq(geo.n_members, 2);
	/* No more than FAMFS_MAX_DEVICES. */
	geo = test_geometry_members(FAMFS_MAX_DEVICES);
	m = test_member(FAMFS_MAX_DEVICES, GiB);
	ck_assert_int_eq(famfs_geo_add_member(&geo, &m), FAMFS_E_MEMBER);
	ck_assert_uint_eq(geo.n_members, FAMFS_MAX_DEVICES);
}
END_TEST

static void encode_label(uint8_t *buf, uint32_t index, uint64_t size)
{
	struct famfs_member_info m = test_member(index, size);

	ck_assert_int_eq(famfs_label_encode(fs_uuid, &m, buf), FAMFS_OK);
}

static int decode_label(const uint8_t *buf)
{
	struct famfs_member_info m;
	uint8_t fs[16];

	return famfs_label_decode(buf, FAMFS_LABEL_SIZE, fs, &m);
}

/* Decode after an alteration that is meant to pass the CRC. */
static int resealed_decode_label(uint8_t *buf)
{
	test_fixed_reseal(buf, FAMFS_LABEL_SIZE);
	return decode_label(buf);
}

START_TEST(test_label_round_trip)
{
	uint8_t buf[FAMFS_LABEL_SIZE], fs[16];
	struct famfs_member_info m;

	encode_label(buf, 7, 3 * GiB);
	ck_assert_mem_eq(buf, "FAMFSLBL", 8);
	ck_assert_int_eq(famfs_label_decode(buf, sizeof(buf), fs, &m), FAMFS_OK);
	ck_assert_mem_eq(fs, fs_uuid, 16);
	ck_assert_uint_eq(m.index, 7);
	ck_assert_uint_eq(m.size, 3 * GiB);
	ck_assert_uint_eq(m.uuid[0], 7);
	ck_assert_uint_eq(test_get16(buf + LBL_OFF(version_minor)),
			  FAMFS_VERSION_MINOR);
	ck_assert(test_bytes_zero(buf + LBL_OFF(reserved0),
				  LBL_OFF(crc) - LBL_OFF(reserved0)));
	encode_label(buf, FAMFS_MAX_DEVICES - 1, MEMBER_MIN);
	ck_assert_int_eq(decode_label(buf), FAMFS_OK);
}
END_TEST

static void check_label_encode_refuses(uint32_t index, uint64_t size, int want)
{
	struct famfs_member_info m = test_member(index, size);
	uint8_t buf[FAMFS_LABEL_SIZE];

	test_poison(buf, sizeof(buf));
	ck_assert_int_eq(famfs_label_encode(fs_uuid, &m, buf), want);
	ck_assert(test_poisoned(buf, sizeof(buf)));
}

START_TEST(test_label_encode_rejects)
{
	check_label_encode_refuses(0, GiB, FAMFS_E_MEMBER);
	check_label_encode_refuses(FAMFS_MAX_DEVICES, GiB, FAMFS_E_MEMBER);
	check_label_encode_refuses(1, MEMBER_MIN - 1, FAMFS_E_GEOMETRY);
	check_label_encode_refuses(1, 0, FAMFS_E_GEOMETRY);
}
END_TEST

START_TEST(test_label_decode_short)
{
	uint8_t buf[FAMFS_LABEL_SIZE], fs[16];
	struct famfs_member_info m;

	encode_label(buf, 1, GiB);
	ck_assert_int_eq(famfs_label_decode(buf, sizeof(buf) - 1, fs, &m),
			 FAMFS_E_SHORT);
}
END_TEST

/* A device that never held a label, or holds a superblock. */
START_TEST(test_label_decode_magic)
{
	uint8_t buf[FAMFS_LABEL_SIZE] = { 0 };
	struct famfs_sb_info sb = test_sb_info();

	ck_assert_int_eq(decode_label(buf), FAMFS_E_MAGIC);
	ck_assert_int_eq(famfs_sb_encode(&sb, buf), FAMFS_OK);
	ck_assert_int_eq(decode_label(buf), FAMFS_E_MAGIC);
}
END_TEST

START_TEST(test_label_decode_version)
{
	uint8_t buf[FAMFS_LABEL_SIZE];

	encode_label(buf, 1, GiB);
	test_put16(buf + LBL_OFF(version_major), FAMFS_VERSION_MAJOR + 1);
	ck_assert_int_eq(resealed_decode_label(buf), FAMFS_E_VERSION);
}
END_TEST

/* A torn label: written part way, or damaged anywhere the CRC covers. */
START_TEST(test_label_decode_crc)
{
	uint8_t buf[FAMFS_LABEL_SIZE], good[FAMFS_LABEL_SIZE];
	size_t i;

	encode_label(good, 1, GiB);
	for (i = LBL_OFF(version_minor); i < sizeof(buf); i++) {
		memcpy(buf, good, sizeof(buf));
		buf[i] ^= 0x40;
		ck_assert_int_eq(decode_label(buf), FAMFS_E_CRC);
	}
	memcpy(buf, good, sizeof(buf));
	memset(buf + LBL_OFF(crc), 0, 4);
	ck_assert_int_eq(decode_label(buf), FAMFS_E_CRC);
}
END_TEST

START_TEST(test_label_decode_flags)
{
	uint8_t buf[FAMFS_LABEL_SIZE];

	encode_label(buf, 1, GiB);
	test_put32(buf + LBL_OFF(flags), 1);
	ck_assert_int_eq(resealed_decode_label(buf), FAMFS_E_FLAGS);
}
END_TEST

/* Reserved bytes are zero, unless a newer minor version wrote the label. */
START_TEST(test_label_decode_reserved)
{
	static const size_t at[] = { LBL_OFF(reserved0), LBL_OFF(reserved),
				     LBL_OFF(crc) - 1 };
	uint8_t buf[FAMFS_LABEL_SIZE];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		encode_label(buf, 1, GiB);
		buf[at[i]] = 1;
		ck_assert_int_eq(resealed_decode_label(buf), FAMFS_E_FLAGS);
		test_put16(buf + LBL_OFF(version_minor), FAMFS_VERSION_MINOR + 1);
		ck_assert_int_eq(resealed_decode_label(buf), FAMFS_OK);
	}
}
END_TEST

START_TEST(test_label_decode_member)
{
	uint8_t buf[FAMFS_LABEL_SIZE];

	encode_label(buf, 1, GiB);
	test_put32(buf + LBL_OFF(index), 0);
	ck_assert_int_eq(resealed_decode_label(buf), FAMFS_E_MEMBER);
	test_put32(buf + LBL_OFF(index), FAMFS_MAX_DEVICES);
	ck_assert_int_eq(resealed_decode_label(buf), FAMFS_E_MEMBER);
	encode_label(buf, 1, GiB);
	test_put64(buf + LBL_OFF(size), MEMBER_MIN - 1);
	ck_assert_int_eq(resealed_decode_label(buf), FAMFS_E_GEOMETRY);
}
END_TEST

static uint8_t ebuf[128] __attribute__((aligned(8)));

static void encode_member_entry(uint32_t index, uint64_t size)
{
	struct famfs_member_info m = test_member(index, size);
	size_t len = 0;

	ck_assert_int_eq(famfs_member_entry_encode(ebuf, sizeof(ebuf), SEQ, &m,
						   &len), FAMFS_OK);
	ck_assert_uint_eq(len, famfs_member_entry_size());
}

static int decode_member_entry(struct famfs_entry *e)
{
	struct famfs_geometry geo = test_geometry();

	return famfs_entry_decode(ebuf, sizeof(ebuf), SEQ, &geo, e);
}

static int resealed_decode_member_entry(void)
{
	static struct famfs_entry e;

	test_entry_reseal(ebuf);
	return decode_member_entry(&e);
}

START_TEST(test_member_entry_round_trip)
{
	struct famfs_entry e;

	ck_assert_uint_eq(famfs_member_entry_size(), 56);
	encode_member_entry(4, 5 * GiB);
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(decode_member_entry(&e), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_MEMBER);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.len, 56);
	ck_assert_uint_eq(e.member.index, 4);
	ck_assert_uint_eq(e.member.size, 5 * GiB);
	ck_assert_uint_eq(e.member.uuid[15], 4);
	ck_assert_uint_eq(e.n_extents, 0);
	ck_assert_uint_eq(e.chunk_size, 0);
	ck_assert_str_eq(e.path, "");
	test_entry_every_byte_flipped(ebuf, SEQ);
}
END_TEST

static void check_member_entry_refuses(uint32_t index, uint64_t size,
				       size_t avail, int want)
{
	struct famfs_member_info m = test_member(index, size);
	size_t len = 0;

	test_poison(ebuf, sizeof(ebuf));
	ck_assert_int_eq(famfs_member_entry_encode(ebuf, avail, SEQ, &m, &len),
			 want);
	ck_assert(test_poisoned(ebuf, sizeof(ebuf)));
}

START_TEST(test_member_entry_encode_rejects)
{
	check_member_entry_refuses(0, GiB, sizeof(ebuf), FAMFS_E_MEMBER);
	check_member_entry_refuses(FAMFS_MAX_DEVICES, GiB, sizeof(ebuf),
				   FAMFS_E_MEMBER);
	check_member_entry_refuses(1, MEMBER_MIN - AU, sizeof(ebuf),
				   FAMFS_E_GEOMETRY);
	check_member_entry_refuses(1, GiB, 55, FAMFS_E_LOG_FULL);
}
END_TEST

START_TEST(test_member_entry_decode_rejects)
{
	encode_member_entry(1, GiB);
	test_put32(ebuf + MP_OFF(flags), 1);
	ck_assert_int_eq(resealed_decode_member_entry(), FAMFS_E_FLAGS);
	encode_member_entry(1, GiB);
	test_put32(ebuf + MP_OFF(index), 0);
	ck_assert_int_eq(resealed_decode_member_entry(), FAMFS_E_MEMBER);
	encode_member_entry(1, GiB);
	test_put32(ebuf + MP_OFF(index), FAMFS_MAX_DEVICES);
	ck_assert_int_eq(resealed_decode_member_entry(), FAMFS_E_MEMBER);
	encode_member_entry(1, GiB);
	test_put64(ebuf + MP_OFF(size), AU);
	ck_assert_int_eq(resealed_decode_member_entry(), FAMFS_E_GEOMETRY);
	/* A longer entry: the payload is fixed. */
	encode_member_entry(1, GiB);
	test_put32(ebuf + offsetof(struct famfs_entry_header, len), 64);
	ck_assert_int_eq(resealed_decode_member_entry(), FAMFS_E_LEN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_member");
	TCase *table = tcase_create("table");
	TCase *label = tcase_create("label");
	TCase *entry = tcase_create("entry");

	tcase_add_test(table, test_table_round_trip);
	tcase_add_test(table, test_table_full);
	tcase_add_test(table, test_table_layout);
	tcase_add_test(table, test_table_none);
	tcase_add_test(table, test_table_encode_short);
	tcase_add_test(table, test_table_encode_ndevices);
	tcase_add_test(table, test_table_encode_slot0);
	tcase_add_test(table, test_table_encode_index);
	tcase_add_test(table, test_table_encode_size);
	tcase_add_test(table, test_table_encode_uuid_twice);
	tcase_add_test(table, test_table_decode_short);
	tcase_add_test(table, test_table_decode_crc);
	tcase_add_test(table, test_table_decode_flags);
	tcase_add_test(table, test_table_decode_reserved);
	tcase_add_test(table, test_table_decode_index);
	tcase_add_test(table, test_table_decode_size);
	tcase_add_test(table, test_table_decode_slot0);
	tcase_add_test(table, test_table_decode_uuid_twice);
	tcase_add_test(table, test_table_decode_untouched);
	tcase_add_test(table, test_geo_add_member);
	suite_add_tcase(s, table);
	tcase_add_test(label, test_label_round_trip);
	tcase_add_test(label, test_label_encode_rejects);
	tcase_add_test(label, test_label_decode_short);
	tcase_add_test(label, test_label_decode_magic);
	tcase_add_test(label, test_label_decode_version);
	tcase_add_test(label, test_label_decode_crc);
	tcase_add_test(label, test_label_decode_flags);
	tcase_add_test(label, test_label_decode_reserved);
	tcase_add_test(label, test_label_decode_member);
	suite_add_tcase(s, label);
	tcase_add_test(entry, test_member_entry_round_trip);
	tcase_add_test(entry, test_member_entry_encode_rejects);
	tcase_add_test(entry, test_member_entry_decode_rejects);
	suite_add_tcase(s, entry);
	return test_run_suite(s);
}
