// SPDX-License-Identifier: GPL-2.0
/* Geometry, superblock and log header: round trips and every rejection. */
#include "test_format_common.h"

static struct famfs_superblock encoded_sb(void)
{
	struct famfs_sb_info info = test_sb_info();
	struct famfs_superblock sb;

	ck_assert_int_eq(famfs_sb_encode(&info, &sb), FAMFS_OK);
	return sb;
}

static int decode_sb(const struct famfs_superblock *sb)
{
	struct famfs_sb_info out;

	return famfs_sb_decode(sb, sizeof(*sb), &out);
}

static int geometry_with(uint64_t dev_size, uint64_t log_offset,
			 uint64_t log_len, uint32_t alloc_unit)
{
	struct famfs_geometry geo = {
		.log_offset = log_offset,
		.log_len = log_len,
		.log_areas = FAMFS_LOG_AREAS,
		.alloc_unit = alloc_unit,
	};

	famfs_geo_set_dev_size(&geo, dev_size);
	return famfs_geometry_check(&geo);
}

static int geometry_areas(uint64_t dev_size, uint32_t log_areas)
{
	struct famfs_geometry geo = test_geometry();

	famfs_geo_set_dev_size(&geo, dev_size);
	geo.log_areas = log_areas;
	return famfs_geometry_check(&geo);
}

START_TEST(test_geometry_valid)
{
	struct famfs_geometry geo = test_geometry();

	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_OK);
	/* The smallest device: superblock area, log areas, one allocation unit. */
	ck_assert_int_eq(geometry_with(DATA_START + AU, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MIN, AU), FAMFS_OK);
	ck_assert_int_eq(geometry_with(UINT64_MAX, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MAX, AU), FAMFS_OK);
}
END_TEST

START_TEST(test_geometry_rejects)
{
	ck_assert_int_eq(geometry_with(DATA_START + AU - 1, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MIN, AU), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_with(0, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MIN, AU), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_with(GiB, 0, FAMFS_LOG_LEN_MIN, AU),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_with(GiB, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MIN, 4096), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_with(GiB, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MIN / 2, AU), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_with(GiB, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MIN + AU, AU), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_with(UINT64_MAX, FAMFS_LOG_OFFSET,
				       FAMFS_LOG_LEN_MAX * 2, AU), FAMFS_E_GEOMETRY);
}
END_TEST

/* One log area (before format 1.3) or two; the device holds them all. */
START_TEST(test_geometry_log_areas)
{
	ck_assert_int_eq(geometry_areas(GiB, 1), FAMFS_OK);
	ck_assert_int_eq(geometry_areas(GiB, 2), FAMFS_OK);
	ck_assert_int_eq(geometry_areas(GiB, 0), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_areas(GiB, 3), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_areas(GiB, UINT32_MAX), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_areas(LOG_AREA1 + AU, 1), FAMFS_OK);
	ck_assert_int_eq(geometry_areas(LOG_AREA1 + AU, 2), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(geometry_areas(DATA_START + AU - 1, 2), FAMFS_E_GEOMETRY);
}
END_TEST

/* n_members and member sizes, as famfs_geometry_check() sees them. */
START_TEST(test_geometry_member_sizes)
{
	struct famfs_geometry geo = test_geometry();

	geo.n_members = 0;
	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_E_GEOMETRY);
	geo = test_geometry();
	geo.member_size[0] = geo.dev_size - AU;
	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_E_GEOMETRY);
	geo = test_geometry();
	geo.n_members = FAMFS_MAX_DEVICES + 1;
	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_E_GEOMETRY);
	geo = test_geometry();
	geo.n_members = 2;
	geo.member_size[1] = FAMFS_MEMBER_DATA_OFFSET + AU - 1;
	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_E_GEOMETRY);
	geo.member_size[1] = FAMFS_MEMBER_DATA_OFFSET + AU;
	ck_assert_int_eq(famfs_geometry_check(&geo), FAMFS_OK);
	/* A geometry made from nothing gets its one member. */
	memset(&geo, 0, sizeof(geo));
	famfs_geo_set_dev_size(&geo, GiB);
	ck_assert_uint_eq(geo.n_members, 1);
	ck_assert_uint_eq(geo.member_size[0], GiB);
}
END_TEST

START_TEST(test_sb_round_trip)
{
	struct famfs_sb_info in = test_sb_info(), out;
	struct famfs_superblock sb;

	ck_assert_int_eq(famfs_sb_encode(&in, &sb), FAMFS_OK);
	ck_assert_uint_eq(le64toh(sb.magic), FAMFS_SB_MAGIC);
	ck_assert_mem_eq(&sb, "FAMFSSB", 8);
	ck_assert_uint_eq(le32toh(sb.ndevices), 1);
	memset(&out, 0xa5, sizeof(out));
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
	ck_assert_uint_eq(out.version_major, FAMFS_VERSION_MAJOR);
	ck_assert_uint_eq(out.version_minor, FAMFS_VERSION_MINOR);
	ck_assert_uint_eq(out.flags, 0);
	ck_assert_mem_eq(out.fs_uuid, in.fs_uuid, 16);
	ck_assert_mem_eq(out.dev_uuid, in.dev_uuid, 16);
	ck_assert_mem_eq(out.master_uuid, in.master_uuid, 16);
	ck_assert_uint_eq(out.create_time, in.create_time);
	ck_assert_uint_eq(out.geo.dev_size, in.geo.dev_size);
	ck_assert_uint_eq(out.geo.log_offset, in.geo.log_offset);
	ck_assert_uint_eq(out.geo.log_len, in.geo.log_len);
	ck_assert_uint_eq(out.geo.alloc_unit, in.geo.alloc_unit);
	ck_assert_uint_eq(le32toh(sb.host_slot_size), FAMFS_HOST_SLOT_SIZE);
	ck_assert_uint_eq(out.hosts_offset, FAMFS_HOSTS_OFFSET);
	ck_assert_uint_eq(out.hosts_count, FAMFS_HOSTS_COUNT);
	ck_assert_uint_eq(le32toh(sb.log_areas), FAMFS_LOG_AREAS);
	ck_assert_uint_eq(out.geo.log_areas, FAMFS_LOG_AREAS);
	ck_assert_uint_eq(le64toh(sb.logrec_offset), FAMFS_LOGREC_OFFSET);
	ck_assert_uint_eq(out.logrec_offset, FAMFS_LOGREC_OFFSET);
	ck_assert_uint_eq(sb.reserved0, 0);
	ck_assert_uint_eq(out.members_offset, FAMFS_MEMBERS_OFFSET);
	ck_assert_uint_eq(out.ndevices, 1);
	ck_assert_uint_eq(out.stripe_count, 0);
	ck_assert_uint_eq(out.chunk_size, 0);
	/* Member 0 is known from the superblock alone. */
	ck_assert_uint_eq(out.geo.n_members, 1);
	ck_assert_uint_eq(out.geo.member_size[0], in.geo.dev_size);
	ck_assert_mem_eq(out.members[0].uuid, in.dev_uuid, 16);
	ck_assert_uint_eq(out.members[0].size, in.geo.dev_size);
	ck_assert_uint_eq(out.members[0].index, 0);
}
END_TEST

/* One log area: no active-log record, and 1.3 says so in its fields. */
START_TEST(test_sb_round_trip_one_area)
{
	struct famfs_sb_info in = test_sb_info(), out;
	struct famfs_superblock sb;

	in.geo.log_areas = 1;
	in.logrec_offset = 0;
	ck_assert_int_eq(famfs_sb_encode(&in, &sb), FAMFS_OK);
	ck_assert_uint_eq(le32toh(sb.log_areas), 1);
	ck_assert_uint_eq(sb.logrec_offset, 0);
	memset(&out, 0xa5, sizeof(out));
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
	ck_assert_uint_eq(out.geo.log_areas, 1);
	ck_assert_uint_eq(out.logrec_offset, 0);
}
END_TEST

/*
 * No host table: all three fields zero, whatever hosts_count said. (One
 * log area: two need a table.)
 */
START_TEST(test_sb_round_trip_no_hosts)
{
	struct famfs_sb_info in = test_sb_info(), out;
	struct famfs_superblock sb;

	in.hosts_offset = 0;
	in.hosts_count = 0;
	in.geo.log_areas = 1;
	in.logrec_offset = 0;
	ck_assert_int_eq(famfs_sb_encode(&in, &sb), FAMFS_OK);
	ck_assert_uint_eq(sb.hosts_offset, 0);
	ck_assert_uint_eq(sb.hosts_count, 0);
	ck_assert_uint_eq(sb.host_slot_size, 0);
	ck_assert_uint_eq(le16toh(sb.version_minor), FAMFS_VERSION_MINOR);
	memset(&out, 0xa5, sizeof(out));
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
	ck_assert_uint_eq(out.hosts_offset, 0);
	ck_assert_uint_eq(out.hosts_count, 0);
}
END_TEST

/* The on-media offsets of the fields of formats 1.2, 1.3 and 1.4. */
START_TEST(test_sb_hosts_layout)
{
	struct famfs_superblock sb = encoded_sb();
	const uint8_t *raw = (const uint8_t *)&sb;

	ck_assert_uint_eq(offsetof(struct famfs_superblock, hosts_offset), 104);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, hosts_count), 112);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, host_slot_size), 116);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, log_areas), 120);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, reserved0), 124);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, logrec_offset), 128);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, members_offset), 136);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, stripe_count), 144);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, reserved1), 148);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, chunk_size), 152);
	ck_assert_uint_eq(offsetof(struct famfs_superblock, reserved), 160);
	ck_assert_uint_eq(raw[104 + 2], FAMFS_HOSTS_OFFSET >> 16);
	ck_assert_uint_eq(raw[112 + 1], FAMFS_HOSTS_COUNT >> 8);
	ck_assert_uint_eq(raw[116 + 1], FAMFS_HOST_SLOT_SIZE >> 8);
	ck_assert_uint_eq(raw[120], FAMFS_LOG_AREAS);
	ck_assert_uint_eq(raw[128 + 1], FAMFS_LOGREC_OFFSET >> 8);
	ck_assert_uint_eq(FAMFS_LOGREC_OFFSET, 32768);
	ck_assert_uint_eq(raw[136 + 1], FAMFS_MEMBERS_OFFSET >> 8);
	ck_assert_uint_eq(FAMFS_MEMBERS_OFFSET, 16384);
}
END_TEST

static void check_sb_encode_refuses(const struct famfs_sb_info *info, int want)
{
	uint8_t buf[sizeof(struct famfs_superblock)], untouched[sizeof(buf)];

	memset(buf, 0xa5, sizeof(buf));
	memcpy(untouched, buf, sizeof(buf));
	ck_assert_int_eq(famfs_sb_encode(info, buf), want);
	ck_assert_mem_eq(buf, untouched, sizeof(buf));
}

START_TEST(test_sb_encode_rejects)
{
	struct famfs_sb_info info = test_sb_info();

	info.flags = 1;
	check_sb_encode_refuses(&info, FAMFS_E_FLAGS);
	info = test_sb_info();
	info.geo.dev_size = DATA_START;
	check_sb_encode_refuses(&info, FAMFS_E_GEOMETRY);
}
END_TEST

static void check_sb_hosts_refused(uint64_t offset, uint32_t count)
{
	struct famfs_sb_info info = test_sb_info();

	info.hosts_offset = offset;
	info.hosts_count = count;
	check_sb_encode_refuses(&info, FAMFS_E_GEOMETRY);
}

START_TEST(test_sb_encode_rejects_hosts)
{
	check_sb_hosts_refused(0, 1);
	check_sb_hosts_refused(FAMFS_HOSTS_OFFSET, 0);
	check_sb_hosts_refused(FAMFS_HOSTS_OFFSET + 8, 1);
	check_sb_hosts_refused(FAMFS_HOSTS_OFFSET, FAMFS_HOSTS_COUNT_MAX + 1);
	check_sb_hosts_refused(FAMFS_SB_AREA, 1);
}
END_TEST

/* Put log_areas and the record's offset in an info; encode refuses it. */
static void check_sb_logrec_refused(uint32_t areas, uint64_t offset)
{
	struct famfs_sb_info info = test_sb_info();

	info.geo.log_areas = areas;
	info.logrec_offset = offset;
	check_sb_encode_refuses(&info, FAMFS_E_GEOMETRY);
}

START_TEST(test_sb_encode_rejects_logrec)
{
	const uint64_t hosts_end = FAMFS_HOSTS_OFFSET +
				   (uint64_t)FAMFS_HOSTS_COUNT * FAMFS_HOST_SLOT_SIZE;
	const uint64_t rec_len = FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE;
	struct famfs_sb_info info;

	/* Bad log_areas; two areas without a record; one with a record. */
	check_sb_logrec_refused(0, FAMFS_LOGREC_OFFSET);
	check_sb_logrec_refused(3, FAMFS_LOGREC_OFFSET);
	check_sb_logrec_refused(2, 0);
	check_sb_logrec_refused(1, FAMFS_LOGREC_OFFSET);
	/* The record over the superblock, misaligned, or past the area. */
	check_sb_logrec_refused(2, FAMFS_LOGREC_SIZE);
	check_sb_logrec_refused(2, sizeof(struct famfs_superblock) - FAMFS_LOGREC_SIZE);
	check_sb_logrec_refused(2, FAMFS_LOGREC_OFFSET + 8);
	check_sb_logrec_refused(2, FAMFS_SB_AREA - FAMFS_LOGREC_SIZE);
	check_sb_logrec_refused(2, FAMFS_SB_AREA);
	/* Over the host table, at either end. */
	check_sb_logrec_refused(2, FAMFS_HOSTS_OFFSET);
	check_sb_logrec_refused(2, FAMFS_HOSTS_OFFSET - FAMFS_LOGREC_SIZE);
	check_sb_logrec_refused(2, hosts_end - FAMFS_LOGREC_SIZE);
	/* Two areas need a host table. */
	info = test_sb_info();
	info.hosts_offset = 0;
	info.hosts_count = 0;
	check_sb_encode_refuses(&info, FAMFS_E_GEOMETRY);

	/* Right after the superblock, right before or after the table. */
	info = test_sb_info();
	info.logrec_offset = sizeof(struct famfs_superblock);
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
	info.logrec_offset = FAMFS_HOSTS_OFFSET - rec_len;
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
	info.logrec_offset = hosts_end;
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
	info.logrec_offset = FAMFS_SB_AREA - rec_len;
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
}
END_TEST

START_TEST(test_sb_decode_short)
{
	struct famfs_superblock sb = encoded_sb();
	struct famfs_sb_info out;

	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb) - 1, &out), FAMFS_E_SHORT);
	ck_assert_int_eq(famfs_sb_decode(&sb, 0, &out), FAMFS_E_SHORT);
}
END_TEST

START_TEST(test_sb_decode_magic)
{
	struct famfs_superblock sb = encoded_sb();

	sb.magic = htole64(FAMFS_LOG_MAGIC);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_MAGIC);
}
END_TEST

START_TEST(test_sb_decode_version)
{
	struct famfs_superblock sb = encoded_sb();

	sb.version_major = htole16(FAMFS_VERSION_MAJOR + 1);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_VERSION);
	sb.version_major = 0;
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_VERSION);
}
END_TEST

START_TEST(test_sb_decode_crc)
{
	struct famfs_superblock sb = encoded_sb();

	sb.crc ^= htole32(1);
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_CRC);
}
END_TEST

START_TEST(test_sb_decode_flags)
{
	struct famfs_superblock sb = encoded_sb();

	sb.flags = htole32(0x80000000);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
}
END_TEST

START_TEST(test_sb_decode_reserved)
{
	struct famfs_superblock sb = encoded_sb();

	sb.reserved[sizeof(sb.reserved) - 1] = 1;
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	sb = encoded_sb();
	sb.reserved[0] = 0x80;
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	sb = encoded_sb();
	sb.reserved0 = htole32(1);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	sb = encoded_sb();
	sb.reserved1 = htole32(0x100);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
}
END_TEST

static struct famfs_superblock sb_of_minor(uint16_t minor)
{
	struct famfs_superblock sb = encoded_sb();

	test_sb_set_minor(&sb, minor);
	return sb;
}

START_TEST(test_sb_decode_older_minor)
{
	struct famfs_superblock sb;
	struct famfs_sb_info out;
	uint16_t minor;

	for (minor = 0; minor < FAMFS_VERSION_MINOR_MEMBERS; minor++) {
		sb = sb_of_minor(minor);
		memset(&out, 0xa5, sizeof(out));
		ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
		ck_assert_uint_eq(out.version_minor, minor);
		ck_assert_uint_eq(out.members_offset, 0);
		ck_assert_uint_eq(out.ndevices, 1);
		ck_assert_uint_eq(out.stripe_count, 0);
		ck_assert_uint_eq(out.chunk_size, 0);
		ck_assert_uint_eq(out.geo.n_members, 1);
		ck_assert_uint_eq(out.geo.member_size[0], out.geo.dev_size);
		ck_assert_mem_eq(out.members[0].uuid, out.dev_uuid, 16);
		if (minor >= FAMFS_VERSION_MINOR_COMPACT) {
			ck_assert_uint_eq(out.geo.log_areas, FAMFS_LOG_AREAS);
			ck_assert_uint_eq(out.logrec_offset, FAMFS_LOGREC_OFFSET);
			continue;
		}
		ck_assert_uint_eq(out.geo.log_areas, 1);
		ck_assert_uint_eq(out.logrec_offset, 0);
		if (minor >= FAMFS_VERSION_MINOR_HOSTS) {
			ck_assert_uint_eq(out.hosts_offset, FAMFS_HOSTS_OFFSET);
			ck_assert_uint_eq(out.hosts_count, FAMFS_HOSTS_COUNT);
		} else {
			ck_assert_uint_eq(out.hosts_offset, 0);
			ck_assert_uint_eq(out.hosts_count, 0);
		}
	}
}
END_TEST

/*
 * Before 1.4 the bytes 136..159 of the member table and the default stripe
 * were reserved: zero; and there was one device.
 */
START_TEST(test_sb_decode_older_minor_members_bytes)
{
	struct famfs_superblock sb;
	size_t i;

	for (i = offsetof(struct famfs_superblock, members_offset);
	     i < offsetof(struct famfs_superblock, reserved); i++) {
		sb = sb_of_minor(FAMFS_VERSION_MINOR_COMPACT);
		((uint8_t *)&sb)[i] = 1;
		test_fixed_reseal(&sb, sizeof(sb));
		ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	}
	/* A 1.3 superblock as mkfs 1.4 would have written it. */
	sb = encoded_sb();
	sb.version_minor = htole16(FAMFS_VERSION_MINOR_COMPACT);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	sb = sb_of_minor(FAMFS_VERSION_MINOR_COMPACT);
	sb.ndevices = htole32(2);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
}
END_TEST

/*
 * Before 1.3 the log areas' bytes 120..135 were reserved: zero. A 1.2
 * superblock with 1.3's fields set is damaged, not two areas.
 */
START_TEST(test_sb_decode_older_minor_areas_bytes)
{
	struct famfs_superblock sb;
	size_t i;

	for (i = offsetof(struct famfs_superblock, log_areas);
	     i < offsetof(struct famfs_superblock, reserved); i++) {
		sb = sb_of_minor(FAMFS_VERSION_MINOR_HOSTS);
		((uint8_t *)&sb)[i] = 1;
		test_fixed_reseal(&sb, sizeof(sb));
		ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	}
	/* A 1.2 superblock as mkfs 1.3 would have written it. */
	sb = encoded_sb();
	sb.version_minor = htole16(FAMFS_VERSION_MINOR_HOSTS);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
}
END_TEST

/*
 * Before 1.2 the host table's bytes 104..119 were reserved: zero, as were
 * the log areas' 120..135.
 */
START_TEST(test_sb_decode_older_minor_hosts_bytes)
{
	struct famfs_superblock sb;
	size_t i;

	for (i = offsetof(struct famfs_superblock, hosts_offset);
	     i < offsetof(struct famfs_superblock, reserved); i++) {
		sb = sb_of_minor(FAMFS_VERSION_MINOR_DELETE);
		((uint8_t *)&sb)[i] = 1;
		test_fixed_reseal(&sb, sizeof(sb));
		ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
	}
	/* A 1.1 superblock as mkfs 1.2 would have written it. */
	sb = encoded_sb();
	sb.version_minor = htole16(FAMFS_VERSION_MINOR_DELETE);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_FLAGS);
}
END_TEST

/*
 * Put a host table in a superblock of format 1.2 (no record or member table
 * in the way, no host table needed) and decode it.
 */
static int decode_sb_hosts(uint64_t offset, uint32_t count, uint32_t slot_size)
{
	struct famfs_superblock sb = sb_of_minor(FAMFS_VERSION_MINOR_HOSTS);

	sb.hosts_offset = htole64(offset);
	sb.hosts_count = htole32(count);
	sb.host_slot_size = htole32(slot_size);
	test_fixed_reseal(&sb, sizeof(sb));
	return decode_sb(&sb);
}

START_TEST(test_sb_decode_hosts)
{
	const uint32_t slot = FAMFS_HOST_SLOT_SIZE;

	ck_assert_int_eq(decode_sb_hosts(0, 0, 0), FAMFS_OK);
	ck_assert_int_eq(decode_sb_hosts(slot, FAMFS_HOSTS_COUNT_MAX, slot),
			 FAMFS_OK);
	ck_assert_int_eq(decode_sb_hosts(FAMFS_SB_AREA - slot, 1, slot), FAMFS_OK);
	ck_assert_int_eq(decode_sb_hosts(FAMFS_HOSTS_OFFSET, 1, slot), FAMFS_OK);
}
END_TEST

/* Put the member table's offset and ndevices in an info; encode refuses it. */
static void check_sb_members_refused(uint64_t offset, uint32_t ndevices)
{
	struct famfs_sb_info info = test_sb_info();

	info.members_offset = offset;
	info.ndevices = ndevices;
	check_sb_encode_refuses(&info, FAMFS_E_GEOMETRY);
}

START_TEST(test_sb_encode_rejects_members)
{
	const uint64_t table = (uint64_t)FAMFS_MAX_DEVICES * FAMFS_MEMBER_SLOT_SIZE;
	const uint64_t hosts_end = FAMFS_HOSTS_OFFSET +
				   (uint64_t)FAMFS_HOSTS_COUNT * FAMFS_HOST_SLOT_SIZE;
	struct famfs_sb_info info = test_sb_info();

	check_sb_members_refused(FAMFS_MEMBERS_OFFSET, 0);
	check_sb_members_refused(FAMFS_MEMBERS_OFFSET, FAMFS_MAX_DEVICES + 1);
	/* Format 1.4 always has a table. */
	check_sb_members_refused(0, 1);
	/* Over the superblock, misaligned, past the area. */
	check_sb_members_refused(FAMFS_MEMBER_SLOT_SIZE, 1);
	check_sb_members_refused(FAMFS_MEMBERS_OFFSET + 8, 1);
	check_sb_members_refused(FAMFS_SB_AREA - table + FAMFS_MEMBER_SLOT_SIZE, 1);
	check_sb_members_refused(UINT64_MAX - FAMFS_MEMBER_SLOT_SIZE + 1, 1);
	/* Over the record or the host table, at either end. */
	check_sb_members_refused(FAMFS_LOGREC_OFFSET, 1);
	check_sb_members_refused(FAMFS_LOGREC_OFFSET - table + FAMFS_MEMBER_SLOT_SIZE, 1);
	check_sb_members_refused(FAMFS_HOSTS_OFFSET - table + FAMFS_MEMBER_SLOT_SIZE, 1);
	check_sb_members_refused(hosts_end - FAMFS_MEMBER_SLOT_SIZE, 1);

	/* Right after the superblock, the record, or the host table. */
	info.members_offset = sizeof(struct famfs_superblock);
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
	info.members_offset = FAMFS_LOGREC_OFFSET + FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE;
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
	info.members_offset = hosts_end;
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
	info.members_offset = FAMFS_SB_AREA - table;
	info.ndevices = FAMFS_MAX_DEVICES;
	ck_assert_int_eq(famfs_sb_encode(&info, &(struct famfs_superblock){ 0 }), FAMFS_OK);
}
END_TEST

/* Put a default stripe in an info and encode it. */
static int encode_sb_stripe(uint32_t count, uint64_t chunk)
{
	struct famfs_sb_info info = test_sb_info();
	uint8_t buf[sizeof(struct famfs_superblock)];
	int err;

	info.stripe_count = count;
	info.chunk_size = chunk;
	test_poison(buf, sizeof(buf));
	err = famfs_sb_encode(&info, buf);
	if (err)
		ck_assert(test_poisoned(buf, sizeof(buf)));
	return err;
}

START_TEST(test_sb_encode_stripe)
{
	ck_assert_int_eq(encode_sb_stripe(0, 0), FAMFS_OK);
	ck_assert_int_eq(encode_sb_stripe(2, AU), FAMFS_OK);
	ck_assert_int_eq(encode_sb_stripe(FAMFS_STRIPE_MAX, 64 * AU), FAMFS_OK);
	ck_assert_int_eq(encode_sb_stripe(0, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(encode_sb_stripe(1, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(encode_sb_stripe(FAMFS_STRIPE_MAX + 1, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(encode_sb_stripe(4, 0), FAMFS_E_STRIPE);
	ck_assert_int_eq(encode_sb_stripe(4, AU + 4096), FAMFS_E_STRIPE);
	ck_assert_int_eq(encode_sb_stripe(4, AU / 2), FAMFS_E_STRIPE);
}
END_TEST

START_TEST(test_sb_round_trip_stripe)
{
	struct famfs_sb_info in = test_sb_info(), out;
	struct famfs_superblock sb;

	in.stripe_count = 8;
	in.chunk_size = 4 * AU;
	ck_assert_int_eq(famfs_sb_encode(&in, &sb), FAMFS_OK);
	ck_assert_uint_eq(le32toh(sb.stripe_count), 8);
	ck_assert_uint_eq(le64toh(sb.chunk_size), 4 * AU);
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
	ck_assert_uint_eq(out.stripe_count, 8);
	ck_assert_uint_eq(out.chunk_size, 4 * AU);
}
END_TEST

/* Put a default stripe in an encoded superblock and decode it. */
static int decode_sb_stripe(uint32_t count, uint64_t chunk)
{
	struct famfs_superblock sb = encoded_sb();

	sb.stripe_count = htole32(count);
	sb.chunk_size = htole64(chunk);
	test_fixed_reseal(&sb, sizeof(sb));
	return decode_sb(&sb);
}

START_TEST(test_sb_decode_stripe)
{
	ck_assert_int_eq(decode_sb_stripe(3, 2 * AU), FAMFS_OK);
	ck_assert_int_eq(decode_sb_stripe(0, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(decode_sb_stripe(1, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(decode_sb_stripe(UINT32_MAX, AU), FAMFS_E_STRIPE);
	ck_assert_int_eq(decode_sb_stripe(2, 0), FAMFS_E_STRIPE);
	ck_assert_int_eq(decode_sb_stripe(2, UINT64_MAX), FAMFS_E_STRIPE);
}
END_TEST

/* Put the member table's offset and ndevices in an encoded superblock. */
static int decode_sb_members(uint64_t offset, uint32_t ndevices)
{
	struct famfs_superblock sb = encoded_sb();

	sb.members_offset = htole64(offset);
	sb.ndevices = htole32(ndevices);
	test_fixed_reseal(&sb, sizeof(sb));
	return decode_sb(&sb);
}

START_TEST(test_sb_decode_members)
{
	struct famfs_superblock sb = encoded_sb();
	struct famfs_sb_info out;

	ck_assert_int_eq(decode_sb_members(FAMFS_MEMBERS_OFFSET, FAMFS_MAX_DEVICES),
			 FAMFS_OK);
	ck_assert_int_eq(decode_sb_members(0, 1), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_members(8, 1), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_members(FAMFS_LOGREC_OFFSET, 1), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_members(FAMFS_HOSTS_OFFSET, 1), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_members(FAMFS_SB_AREA, 1), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_members(UINT64_MAX - 63, 1), FAMFS_E_GEOMETRY);
	/* The table's size, not the superblock's alone, decides n_members. */
	sb.ndevices = htole32(3);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
	ck_assert_uint_eq(out.ndevices, 3);
	ck_assert_uint_eq(out.geo.n_members, 1);
}
END_TEST

/* Put log_areas and the record's offset in an encoded superblock and decode it. */
static int decode_sb_logrec(uint32_t areas, uint64_t offset)
{
	struct famfs_superblock sb = encoded_sb();

	sb.log_areas = htole32(areas);
	sb.logrec_offset = htole64(offset);
	test_fixed_reseal(&sb, sizeof(sb));
	return decode_sb(&sb);
}

START_TEST(test_sb_decode_logrec)
{
	struct famfs_superblock sb;

	ck_assert_int_eq(decode_sb_logrec(2, FAMFS_LOGREC_OFFSET), FAMFS_OK);
	ck_assert_int_eq(decode_sb_logrec(1, 0), FAMFS_OK);
	/* Bad log_areas. */
	ck_assert_int_eq(decode_sb_logrec(0, FAMFS_LOGREC_OFFSET), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(0, 0), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(3, FAMFS_LOGREC_OFFSET), FAMFS_E_GEOMETRY);
	/* Two areas without a record, one with. */
	ck_assert_int_eq(decode_sb_logrec(2, 0), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(1, FAMFS_LOGREC_OFFSET), FAMFS_E_GEOMETRY);
	/* The record over the superblock or the host table, or past the area. */
	ck_assert_int_eq(decode_sb_logrec(2, FAMFS_LOGREC_SIZE), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(2, FAMFS_HOSTS_OFFSET), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(2, FAMFS_HOSTS_OFFSET - FAMFS_LOGREC_SIZE),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(2, FAMFS_SB_AREA - FAMFS_LOGREC_SIZE),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(2, UINT64_MAX - FAMFS_LOGREC_SIZE + 1),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_logrec(2, FAMFS_LOGREC_OFFSET + 8), FAMFS_E_GEOMETRY);
	/* Two areas need a host table. */
	sb = encoded_sb();
	sb.hosts_offset = 0;
	sb.hosts_count = 0;
	sb.host_slot_size = 0;
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
	/* Two areas that the device does not hold. */
	sb = encoded_sb();
	sb.dev_size = htole64(LOG_AREA1 + AU);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
}
END_TEST

START_TEST(test_sb_decode_hosts_geometry)
{
	const uint32_t slot = FAMFS_HOST_SLOT_SIZE;
	const uint64_t off = FAMFS_HOSTS_OFFSET;

	/* Some of the three fields zero, not all. */
	ck_assert_int_eq(decode_sb_hosts(0, 0, slot), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(0, 1, 0), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(off, 0, 0), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(off, 1, 0), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(off, 0, slot), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(0, 1, slot), FAMFS_E_GEOMETRY);
	/* Slot size, alignment, the superblock, the count, the area's end. */
	ck_assert_int_eq(decode_sb_hosts(off, 1, slot * 2), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(off + 8, 1, slot), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(slot / 2, 1, slot), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(slot, FAMFS_HOSTS_COUNT_MAX + 1, slot),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(FAMFS_SB_AREA - slot, 2, slot),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(FAMFS_SB_AREA, 1, slot), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(UINT64_MAX - slot + 1, 1, slot),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(decode_sb_hosts(off, UINT32_MAX, slot), FAMFS_E_GEOMETRY);
}
END_TEST

/* A newer minor version may use reserved bytes; this code ignores them. */
START_TEST(test_sb_decode_newer_minor)
{
	struct famfs_superblock sb = encoded_sb();
	struct famfs_sb_info out;

	sb.version_minor = htole16(FAMFS_VERSION_MINOR + 1);
	sb.reserved[0] = 1;
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &out), FAMFS_OK);
	ck_assert_uint_eq(out.version_minor, FAMFS_VERSION_MINOR + 1);
}
END_TEST

START_TEST(test_sb_decode_ndevices)
{
	struct famfs_superblock sb = encoded_sb();

	sb.ndevices = 0;
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
	sb.ndevices = htole32(FAMFS_MAX_DEVICES + 1);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
}
END_TEST

START_TEST(test_sb_decode_geometry)
{
	struct famfs_superblock sb = encoded_sb();

	sb.alloc_unit = htole32(4096);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
	sb = encoded_sb();
	sb.log_len = htole64(FAMFS_LOG_LEN_MIN * 3);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
	sb = encoded_sb();
	sb.dev_size = htole64(DATA_START);
	test_fixed_reseal(&sb, sizeof(sb));
	ck_assert_int_eq(decode_sb(&sb), FAMFS_E_GEOMETRY);
}
END_TEST

/*
 * Damage in the magic or major version is reported as such; anywhere else
 * in the superblock or log header the CRC catches it.
 */
static int expected_damage_error(size_t byte)
{
	if (byte < 8)
		return FAMFS_E_MAGIC;
	if (byte < 10)
		return FAMFS_E_VERSION;
	return FAMFS_E_CRC;
}

START_TEST(test_sb_every_byte_flipped)
{
	struct famfs_superblock good = encoded_sb(), sb;
	size_t i;
	int bit;

	for (i = 0; i < sizeof(sb); i++) {
		for (bit = -1; bit < 8; bit++) {
			sb = good;
			((uint8_t *)&sb)[i] ^= bit < 0 ? 0xff : 1u << bit;
			ck_assert_int_eq(decode_sb(&sb), expected_damage_error(i));
		}
	}
}
END_TEST

static struct famfs_log_info test_log_info(void)
{
	struct famfs_log_info log = {
		.log_len = FAMFS_LOG_LEN_DEFAULT,
		.next_seq = 3,
		.next_off = FAMFS_LOG_ENTRIES_OFF + 3 * 112,
	};

	return log;
}

static struct famfs_log_header encoded_log_header(void)
{
	struct famfs_log_info log = test_log_info();
	struct famfs_log_header lh;

	ck_assert_int_eq(famfs_log_header_encode(&log, &lh), FAMFS_OK);
	return lh;
}

static int decode_lh(const struct famfs_log_header *lh)
{
	struct famfs_geometry geo = test_geometry();
	struct famfs_log_info out;

	return famfs_log_header_decode(lh, sizeof(*lh), &geo, &out);
}

static void check_lh_round_trip(uint64_t next_seq, uint64_t next_off)
{
	struct famfs_log_info in = test_log_info(), out;
	struct famfs_geometry geo = test_geometry();
	struct famfs_log_header lh;

	in.next_seq = next_seq;
	in.next_off = next_off;
	ck_assert_int_eq(famfs_log_header_encode(&in, &lh), FAMFS_OK);
	ck_assert_mem_eq(&lh, "FAMFSLOG", 8);
	memset(&out, 0xa5, sizeof(out));
	ck_assert_int_eq(famfs_log_header_decode(&lh, sizeof(lh), &geo, &out),
			 FAMFS_OK);
	ck_assert_uint_eq(out.log_len, in.log_len);
	ck_assert_uint_eq(out.next_seq, in.next_seq);
	ck_assert_uint_eq(out.next_off, in.next_off);
}

START_TEST(test_lh_round_trip)
{
	check_lh_round_trip(0, FAMFS_LOG_ENTRIES_OFF);
	check_lh_round_trip(3, FAMFS_LOG_ENTRIES_OFF + 3 * 112);
	check_lh_round_trip(1, FAMFS_LOG_LEN_DEFAULT);
	check_lh_round_trip((FAMFS_LOG_LEN_DEFAULT - FAMFS_LOG_ENTRIES_OFF) /
			    FAMFS_ENTRY_LEN_MIN, FAMFS_LOG_LEN_DEFAULT);
}
END_TEST

static void check_lh_encode_refuses(uint64_t log_len, uint64_t next_seq,
				    uint64_t next_off, int want)
{
	struct famfs_log_info log = {
		.log_len = log_len, .next_seq = next_seq, .next_off = next_off,
	};
	uint8_t buf[sizeof(struct famfs_log_header)], untouched[sizeof(buf)];

	memset(buf, 0x5a, sizeof(buf));
	memcpy(untouched, buf, sizeof(buf));
	ck_assert_int_eq(famfs_log_header_encode(&log, buf), want);
	ck_assert_mem_eq(buf, untouched, sizeof(buf));
}

START_TEST(test_lh_encode_rejects)
{
	const uint64_t len = FAMFS_LOG_LEN_DEFAULT, first = FAMFS_LOG_ENTRIES_OFF;

	check_lh_encode_refuses(len + AU, 0, first, FAMFS_E_GEOMETRY);
	check_lh_encode_refuses(FAMFS_LOG_LEN_MIN / 2, 0, first, FAMFS_E_GEOMETRY);
	check_lh_encode_refuses(len, 0, first - 8, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, 1, first + 28, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, 1, len + 8, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, 1, UINT64_MAX - 7, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, 0, first + 48, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, 1, first, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, 3, first + 48, FAMFS_E_LOG_HEADER);
	check_lh_encode_refuses(len, UINT64_MAX, len, FAMFS_E_LOG_HEADER);
}
END_TEST

START_TEST(test_lh_decode_short)
{
	struct famfs_log_header lh = encoded_log_header();
	struct famfs_geometry geo = test_geometry();
	struct famfs_log_info out;

	ck_assert_int_eq(famfs_log_header_decode(&lh, sizeof(lh) - 1, &geo, &out),
			 FAMFS_E_SHORT);
}
END_TEST

START_TEST(test_lh_decode_magic)
{
	struct famfs_log_header lh = encoded_log_header();

	lh.magic = htole64(FAMFS_SB_MAGIC);
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_MAGIC);
}
END_TEST

START_TEST(test_lh_decode_version)
{
	struct famfs_log_header lh = encoded_log_header();

	lh.version_major = htole16(FAMFS_VERSION_MAJOR + 1);
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_VERSION);
}
END_TEST

START_TEST(test_lh_decode_crc)
{
	struct famfs_log_header lh = encoded_log_header();

	lh.crc ^= htole32(0x80000000);
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_CRC);
}
END_TEST

START_TEST(test_lh_decode_flags)
{
	struct famfs_log_header lh = encoded_log_header();

	lh.flags = htole32(1);
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_FLAGS);
	lh = encoded_log_header();
	lh.reserved[0] = 0x40;
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_FLAGS);
}
END_TEST

START_TEST(test_lh_decode_log_len)
{
	struct famfs_log_header lh = encoded_log_header();

	lh.log_len = htole64(FAMFS_LOG_LEN_DEFAULT * 2);
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_LOG_HEADER);
}
END_TEST

START_TEST(test_lh_decode_position)
{
	struct famfs_log_header lh = encoded_log_header();

	lh.next_off = htole64(FAMFS_LOG_LEN_DEFAULT + 8);
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_LOG_HEADER);
	lh = encoded_log_header();
	lh.next_off = htole64(le64toh(lh.next_off) + 4);
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_LOG_HEADER);
	lh = encoded_log_header();
	lh.next_seq = 0;
	test_fixed_reseal(&lh, sizeof(lh));
	ck_assert_int_eq(decode_lh(&lh), FAMFS_E_LOG_HEADER);
}
END_TEST

START_TEST(test_lh_every_byte_flipped)
{
	struct famfs_log_header good = encoded_log_header(), lh;
	size_t i;
	int bit;

	for (i = 0; i < sizeof(lh); i++) {
		for (bit = -1; bit < 8; bit++) {
			lh = good;
			((uint8_t *)&lh)[i] ^= bit < 0 ? 0xff : 1u << bit;
			ck_assert_int_eq(decode_lh(&lh), expected_damage_error(i));
		}
	}
}
END_TEST

START_TEST(test_strerror)
{
	int i, j;

	for (i = 0; i < FAMFS_E__COUNT; i++) {
		ck_assert_ptr_nonnull(famfs_strerror(i));
		ck_assert_str_ne(famfs_strerror(i), "unknown error");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(famfs_strerror(i), famfs_strerror(j));
	}
	ck_assert_str_eq(famfs_strerror(FAMFS_E_CRC), "CRC mismatch");
	ck_assert_str_eq(famfs_strerror(FAMFS_E__COUNT), "unknown error");
	ck_assert_str_eq(famfs_strerror(-1), "unknown error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_sb");
	TCase *geo = tcase_create("geometry");
	TCase *sb = tcase_create("superblock");
	TCase *lh = tcase_create("log_header");

	tcase_add_test(geo, test_geometry_valid);
	tcase_add_test(geo, test_geometry_rejects);
	tcase_add_test(geo, test_geometry_log_areas);
	tcase_add_test(geo, test_geometry_member_sizes);
	tcase_add_test(geo, test_strerror);
	suite_add_tcase(s, geo);

	tcase_add_test(sb, test_sb_round_trip);
	tcase_add_test(sb, test_sb_round_trip_one_area);
	tcase_add_test(sb, test_sb_round_trip_no_hosts);
	tcase_add_test(sb, test_sb_hosts_layout);
	tcase_add_test(sb, test_sb_encode_rejects);
	tcase_add_test(sb, test_sb_encode_rejects_hosts);
	tcase_add_test(sb, test_sb_encode_rejects_logrec);
	tcase_add_test(sb, test_sb_encode_rejects_members);
	tcase_add_test(sb, test_sb_encode_stripe);
	tcase_add_test(sb, test_sb_round_trip_stripe);
	tcase_add_test(sb, test_sb_decode_stripe);
	tcase_add_test(sb, test_sb_decode_members);
	tcase_add_test(sb, test_sb_decode_short);
	tcase_add_test(sb, test_sb_decode_magic);
	tcase_add_test(sb, test_sb_decode_version);
	tcase_add_test(sb, test_sb_decode_crc);
	tcase_add_test(sb, test_sb_decode_flags);
	tcase_add_test(sb, test_sb_decode_reserved);
	tcase_add_test(sb, test_sb_decode_newer_minor);
	tcase_add_test(sb, test_sb_decode_older_minor);
	tcase_add_test(sb, test_sb_decode_older_minor_hosts_bytes);
	tcase_add_test(sb, test_sb_decode_older_minor_areas_bytes);
	tcase_add_test(sb, test_sb_decode_older_minor_members_bytes);
	tcase_add_test(sb, test_sb_decode_hosts);
	tcase_add_test(sb, test_sb_decode_hosts_geometry);
	tcase_add_test(sb, test_sb_decode_logrec);
	tcase_add_test(sb, test_sb_decode_ndevices);
	tcase_add_test(sb, test_sb_decode_geometry);
	tcase_add_test(sb, test_sb_every_byte_flipped);
	suite_add_tcase(s, sb);

	tcase_add_test(lh, test_lh_round_trip);
	tcase_add_test(lh, test_lh_encode_rejects);
	tcase_add_test(lh, test_lh_decode_short);
	tcase_add_test(lh, test_lh_decode_magic);
	tcase_add_test(lh, test_lh_decode_version);
	tcase_add_test(lh, test_lh_decode_crc);
	tcase_add_test(lh, test_lh_decode_flags);
	tcase_add_test(lh, test_lh_decode_log_len);
	tcase_add_test(lh, test_lh_decode_position);
	tcase_add_test(lh, test_lh_every_byte_flipped);
	suite_add_tcase(s, lh);
	return test_run_suite(s);
}
