// SPDX-License-Identifier: GPL-2.0
/*
 * The fixed structures: superblock, log header, and the geometry they
 * carry; the head they share with a member label.
 */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

/*
 * The superblock, the log header and a member label share their first 16
 * bytes (magic, version, flags) and end with a CRC of everything before
 * it, so one set of helpers seals and checks them all.
 */
struct fixed_head {
	__le64	magic;
	__le16	version_major;
	__le16	version_minor;
	__le32	flags;
};

#define FIXED_SAME_OFFSET(field) \
	FAMFS_STATIC_ASSERT(offsetof(struct famfs_superblock, field) == \
			    offsetof(struct fixed_head, field) && \
			    offsetof(struct famfs_log_header, field) == \
			    offsetof(struct fixed_head, field) && \
			    offsetof(struct famfs_member_label, field) == \
			    offsetof(struct fixed_head, field), #field)
FIXED_SAME_OFFSET(magic);
FIXED_SAME_OFFSET(version_major);
FIXED_SAME_OFFSET(version_minor);
FIXED_SAME_OFFSET(flags);

void famfs_fixed_head_store(void *raw, uint64_t magic)
{
	struct fixed_head h = {
		.magic = htole64(magic),
		.version_major = htole16(FAMFS_VERSION_MAJOR),
		.version_minor = htole16(FAMFS_VERSION_MINOR),
	};

	memcpy(raw, &h, sizeof(h));
}

/*
 * Checks in the order that makes the error most telling: a foreign structure
 * (magic), a future format (major), damage (CRC), then content. A newer minor
 * version may give meaning to reserved bytes, which older code then ignores.
 */
int famfs_fixed_check(const void *raw, size_t size, uint64_t magic,
		      size_t reserved_off, size_t reserved_len)
{
	struct fixed_head h;

	memcpy(&h, raw, sizeof(h));
	if (le64toh(h.magic) != magic)
		return FAMFS_E_MAGIC;
	if (le16toh(h.version_major) != FAMFS_VERSION_MAJOR)
		return FAMFS_E_VERSION;
	if (!famfs_tail_crc_ok(raw, size))
		return FAMFS_E_CRC;
	if (h.flags)
		return FAMFS_E_FLAGS;
	if (le16toh(h.version_minor) <= FAMFS_VERSION_MINOR &&
	    !famfs_bytes_zero((const uint8_t *)raw + reserved_off, reserved_len))
		return FAMFS_E_FLAGS;
	return FAMFS_OK;
}

static int log_len_check(uint64_t log_len)
{
	if (log_len < FAMFS_LOG_LEN_MIN || log_len > FAMFS_LOG_LEN_MAX ||
	    (log_len & (log_len - 1)))
		return FAMFS_E_GEOMETRY;
	return FAMFS_OK;
}

/* Extents index member_size[] by member: every entry up to n_members counts. */
static int geo_members_check(const struct famfs_geometry *geo)
{
	uint32_t m;

	if (geo->n_members < 1 || geo->n_members > FAMFS_MAX_DEVICES ||
	    geo->member_size[0] != geo->dev_size)
		return FAMFS_E_GEOMETRY;
	for (m = 1; m < geo->n_members; m++)
		if (famfs_member_size_check(geo->member_size[m]))
			return FAMFS_E_GEOMETRY;
	return FAMFS_OK;
}

int famfs_geometry_check(const struct famfs_geometry *geo)
{
	if (geo->alloc_unit != FAMFS_ALLOC_UNIT ||
	    geo->log_offset != FAMFS_LOG_OFFSET)
		return FAMFS_E_GEOMETRY;
	if (log_len_check(geo->log_len))
		return FAMFS_E_GEOMETRY;
	if (geo->log_areas < 1 || geo->log_areas > FAMFS_LOG_AREAS)
		return FAMFS_E_GEOMETRY;
	/* No wrap: every term is bounded far below 2^64 by now. */
	if (geo->dev_size < famfs_geo_log_end(geo) + geo->alloc_unit)
		return FAMFS_E_GEOMETRY;
	return geo_members_check(geo);
}

/* No host table (all three zero), or one that famfs_hosts_check() passes. */
static int sb_hosts_check(uint64_t offset, uint32_t count, uint32_t slot_size)
{
	if (!offset && !count && !slot_size)
		return FAMFS_OK;
	return famfs_hosts_check(offset, count, slot_size);
}

/* Whether [a, a + alen) and [b, b + blen) share a byte; neither end wraps. */
static bool ranges_meet(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Whether len bytes at off, aligned to align, lie in the superblock area
 * clear of the superblock and the host table. Written so that off + len
 * cannot wrap.
 */
static bool sb_area_place_ok(const struct famfs_sb_info *sb, uint64_t off,
			     uint64_t len, uint64_t align)
{
	if (off < sizeof(struct famfs_superblock) || off % align ||
	    off > FAMFS_SB_AREA - len)
		return false;
	return !ranges_meet(off, len, sb->hosts_offset,
			    (uint64_t)sb->hosts_count * FAMFS_HOST_SLOT_SIZE);
}

static uint64_t sb_logrec_len(const struct famfs_sb_info *sb)
{
	return sb->logrec_offset ?
	       (uint64_t)FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE : 0;
}

/*
 * One log area and no record; or two, whose record lies in the superblock
 * area clear of the superblock and the host table (which two areas need:
 * compaction asks every host where it is).
 */
static int sb_logrec_check(const struct famfs_sb_info *sb)
{
	if (sb->geo.log_areas == 1 && !sb->logrec_offset)
		return FAMFS_OK;
	if (sb->geo.log_areas == 1 || !sb->hosts_offset)
		return FAMFS_E_GEOMETRY;
	if (!sb_area_place_ok(sb, sb->logrec_offset, sb_logrec_len(sb),
			      FAMFS_LOGREC_SIZE))
		return FAMFS_E_GEOMETRY;
	return FAMFS_OK;
}

/*
 * 1 .. FAMFS_MAX_DEVICES members. With a member table (format 1.4), room
 * for all FAMFS_MAX_DEVICES slots, so that members can be added, clear of
 * everything else in the superblock area; without one, the only device.
 */
static int sb_members_check(const struct famfs_sb_info *sb, bool table)
{
	const uint64_t len = (uint64_t)FAMFS_MAX_DEVICES * FAMFS_MEMBER_SLOT_SIZE;

	if (sb->ndevices < 1 || sb->ndevices > FAMFS_MAX_DEVICES)
		return FAMFS_E_GEOMETRY;
	if (!table)
		return sb->ndevices == 1 ? FAMFS_OK : FAMFS_E_GEOMETRY;
	if (!sb_area_place_ok(sb, sb->members_offset, len,
			      FAMFS_MEMBER_SLOT_SIZE) ||
	    ranges_meet(sb->members_offset, len, sb->logrec_offset,
			sb_logrec_len(sb)))
		return FAMFS_E_GEOMETRY;
	return FAMFS_OK;
}

/* The default stripe of new files: none (both 0), or a valid stripe shape. */
static int sb_stripe_check(const struct famfs_sb_info *sb)
{
	if (!sb->stripe_count)
		return sb->chunk_size ? FAMFS_E_STRIPE : FAMFS_OK;
	return famfs_stripe_shape_check(&sb->geo, sb->chunk_size,
					sb->stripe_count);
}

/* Everything but the fixed head, which the codecs check themselves. */
static int sb_info_check(const struct famfs_sb_info *sb,
			 uint32_t host_slot_size, bool table)
{
	int err;

	err = famfs_geometry_check(&sb->geo);
	if (!err)
		err = sb_hosts_check(sb->hosts_offset, sb->hosts_count,
				     host_slot_size);
	if (!err)
		err = sb_logrec_check(sb);
	if (!err)
		err = sb_members_check(sb, table);
	if (!err)
		err = sb_stripe_check(sb);
	return err;
}

int famfs_sb_encode(const struct famfs_sb_info *info, void *buf)
{
	uint32_t slot_size = info->hosts_offset ? FAMFS_HOST_SLOT_SIZE : 0;
	struct famfs_superblock sb;
	int err;

	if (info->flags)
		return FAMFS_E_FLAGS;
	err = sb_info_check(info, slot_size, true);
	if (err)
		return err;

	memset(&sb, 0, sizeof(sb));
	famfs_fixed_head_store(&sb, FAMFS_SB_MAGIC);
	memcpy(sb.fs_uuid, info->fs_uuid, sizeof(sb.fs_uuid));
	memcpy(sb.dev_uuid, info->dev_uuid, sizeof(sb.dev_uuid));
	memcpy(sb.master_uuid, info->master_uuid, sizeof(sb.master_uuid));
	sb.dev_size = htole64(info->geo.dev_size);
	sb.log_offset = htole64(info->geo.log_offset);
	sb.log_len = htole64(info->geo.log_len);
	sb.alloc_unit = htole32(info->geo.alloc_unit);
	sb.ndevices = htole32(info->ndevices);
	sb.create_time = htole64(info->create_time);
	sb.hosts_offset = htole64(info->hosts_offset);
	sb.hosts_count = htole32(info->hosts_count);
	sb.host_slot_size = htole32(slot_size);
	sb.log_areas = htole32(info->geo.log_areas);
	sb.logrec_offset = htole64(info->logrec_offset);
	sb.members_offset = htole64(info->members_offset);
	sb.stripe_count = htole32(info->stripe_count);
	sb.chunk_size = htole64(info->chunk_size);
	famfs_tail_seal(&sb, sizeof(sb));
	memcpy(buf, &sb, sizeof(sb));
	return FAMFS_OK;
}

/* Member 0, the device with the superblock: the only one known so far. */
static void sb_member0_load(struct famfs_sb_info *info)
{
	memcpy(info->members[0].uuid, info->dev_uuid, sizeof(info->dev_uuid));
	info->members[0].size = info->geo.dev_size;
	info->members[0].index = 0;
	info->geo.n_members = 0;
	famfs_geo_set_dev_size(&info->geo, info->geo.dev_size);
}

/* The fields of format 1.4 and later; before, reserved bytes. */
static void sb_members_load(const struct famfs_superblock *sb,
			    struct famfs_sb_info *info)
{
	info->ndevices = le32toh(sb->ndevices);
	info->members_offset = 0;
	info->stripe_count = 0;
	info->chunk_size = 0;
	if (info->version_minor >= FAMFS_VERSION_MINOR_MEMBERS) {
		info->members_offset = le64toh(sb->members_offset);
		info->stripe_count = le32toh(sb->stripe_count);
		info->chunk_size = le64toh(sb->chunk_size);
	}
}

static void sb_info_load(const struct famfs_superblock *sb,
			 struct famfs_sb_info *info)
{
	info->version_major = le16toh(sb->version_major);
	info->version_minor = le16toh(sb->version_minor);
	info->flags = le32toh(sb->flags);
	memcpy(info->fs_uuid, sb->fs_uuid, sizeof(info->fs_uuid));
	memcpy(info->dev_uuid, sb->dev_uuid, sizeof(info->dev_uuid));
	memcpy(info->master_uuid, sb->master_uuid, sizeof(info->master_uuid));
	info->create_time = le64toh(sb->create_time);
	info->geo.dev_size = le64toh(sb->dev_size);
	info->geo.log_offset = le64toh(sb->log_offset);
	info->geo.log_len = le64toh(sb->log_len);
	info->geo.alloc_unit = le32toh(sb->alloc_unit);
	info->hosts_offset = le64toh(sb->hosts_offset);
	info->hosts_count = le32toh(sb->hosts_count);
	info->geo.log_areas = 1;
	info->logrec_offset = 0;
	if (info->version_minor >= FAMFS_VERSION_MINOR_COMPACT) {
		info->geo.log_areas = le32toh(sb->log_areas);
		info->logrec_offset = le64toh(sb->logrec_offset);
	}
	sb_members_load(sb, info);
	sb_member0_load(info);
}

/*
 * Where the trailing reserved bytes begin: before format 1.2 at the host
 * table's fields, before 1.3 at the log areas', before 1.4 at the member
 * table's.
 */
static size_t sb_reserved_off(uint16_t minor)
{
	if (minor < FAMFS_VERSION_MINOR_HOSTS)
		return offsetof(struct famfs_superblock, hosts_offset);
	if (minor < FAMFS_VERSION_MINOR_COMPACT)
		return offsetof(struct famfs_superblock, log_areas);
	if (minor < FAMFS_VERSION_MINOR_MEMBERS)
		return offsetof(struct famfs_superblock, members_offset);
	return offsetof(struct famfs_superblock, reserved);
}

/*
 * The reserved bytes of the superblock's minor version are zero; a newer
 * minor may have given them a meaning, which this code then ignores.
 */
static bool sb_reserved_zero(const struct famfs_superblock *sb)
{
	uint16_t minor = le16toh(sb->version_minor);
	size_t off = sb_reserved_off(minor);

	if (minor > FAMFS_VERSION_MINOR)
		return true;
	if (minor >= FAMFS_VERSION_MINOR_COMPACT && sb->reserved0)
		return false;
	if (minor >= FAMFS_VERSION_MINOR_MEMBERS && sb->reserved1)
		return false;
	return famfs_bytes_zero((const uint8_t *)sb + off,
				offsetof(struct famfs_superblock, crc) - off);
}

int famfs_sb_decode(const void *buf, size_t len, struct famfs_sb_info *out)
{
	struct famfs_superblock sb;
	struct famfs_sb_info info;
	int err;

	if (len < sizeof(sb))
		return FAMFS_E_SHORT;
	memcpy(&sb, buf, sizeof(sb));
	err = famfs_fixed_check(&sb, sizeof(sb), FAMFS_SB_MAGIC, 0, 0);
	if (err)
		return err;
	if (!sb_reserved_zero(&sb))
		return FAMFS_E_FLAGS;
	memset(&info, 0, sizeof(info));
	sb_info_load(&sb, &info);
	err = sb_info_check(&info, le32toh(sb.host_slot_size),
			    info.version_minor >= FAMFS_VERSION_MINOR_MEMBERS);
	if (err)
		return err;
	*out = info;
	return FAMFS_OK;
}

/*
 * next_off is where the next entry goes; next_seq entries lie below it, each
 * at least FAMFS_ENTRY_LEN_MIN bytes long.
 */
static int log_position_check(const struct famfs_log_info *log)
{
	uint64_t used;

	if (log->next_off < FAMFS_LOG_ENTRIES_OFF ||
	    log->next_off > log->log_len ||
	    log->next_off % FAMFS_ENTRY_ALIGN)
		return FAMFS_E_LOG_HEADER;
	used = log->next_off - FAMFS_LOG_ENTRIES_OFF;
	if ((log->next_seq == 0) != (used == 0) ||
	    log->next_seq > used / FAMFS_ENTRY_LEN_MIN)
		return FAMFS_E_LOG_HEADER;
	return FAMFS_OK;
}

int famfs_log_header_encode(const struct famfs_log_info *log, void *buf)
{
	struct famfs_log_header lh;
	int err;

	err = log_len_check(log->log_len);
	if (!err)
		err = log_position_check(log);
	if (err)
		return err;

	memset(&lh, 0, sizeof(lh));
	famfs_fixed_head_store(&lh, FAMFS_LOG_MAGIC);
	lh.log_len = htole64(log->log_len);
	lh.next_seq = htole64(log->next_seq);
	lh.next_off = htole64(log->next_off);
	famfs_tail_seal(&lh, sizeof(lh));
	memcpy(buf, &lh, sizeof(lh));
	return FAMFS_OK;
}

int famfs_log_header_decode(const void *buf, size_t len,
			    const struct famfs_geometry *geo,
			    struct famfs_log_info *out)
{
	struct famfs_log_header lh;
	struct famfs_log_info log;
	int err;

	if (len < sizeof(lh))
		return FAMFS_E_SHORT;
	memcpy(&lh, buf, sizeof(lh));
	err = famfs_fixed_check(&lh, sizeof(lh), FAMFS_LOG_MAGIC,
				offsetof(struct famfs_log_header, reserved),
				sizeof(lh.reserved));
	if (err)
		return err;
	log.log_len = le64toh(lh.log_len);
	log.next_seq = le64toh(lh.next_seq);
	log.next_off = le64toh(lh.next_off);
	if (log.log_len != geo->log_len)
		return FAMFS_E_LOG_HEADER;
	err = log_position_check(&log);
	if (err)
		return err;
	*out = log;
	return FAMFS_OK;
}
