// SPDX-License-Identifier: GPL-2.0
/*
 * Members (format 1.4): the member table in the superblock area, the label
 * at the start of every member but 0, the MEMBER entry, and the geometry
 * they grow.
 */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

#define MEMBER_LEN	(HDR_LEN + sizeof(struct famfs_member_payload))
#define TABLE_LEN	((size_t)FAMFS_MAX_DEVICES * FAMFS_MEMBER_SLOT_SIZE)

FAMFS_STATIC_ASSERT(MEMBER_LEN % FAMFS_ENTRY_ALIGN == 0, "member entry aligned");

int famfs_member_size_check(uint64_t size)
{
	if (size < FAMFS_MEMBER_DATA_OFFSET + FAMFS_ALLOC_UNIT)
		return FAMFS_E_GEOMETRY;
	return FAMFS_OK;
}

int famfs_member_check(const struct famfs_member_info *m)
{
	if (m->index < 1 || m->index >= FAMFS_MAX_DEVICES)
		return FAMFS_E_MEMBER;
	return famfs_member_size_check(m->size);
}

int famfs_geo_add_member(struct famfs_geometry *geo,
			 const struct famfs_member_info *m)
{
	int err;

	if (m->index != geo->n_members)
		return FAMFS_E_MEMBER;
	err = famfs_member_check(m);
	if (err)
		return err;
	geo->member_size[geo->n_members++] = m->size;
	return FAMFS_OK;
}

/* A UUID names one member: the first i members must not hold m's. */
static int uuid_unique_check(const struct famfs_member_info *members,
			     uint32_t i, const struct famfs_member_info *m)
{
	while (i--)
		if (!memcmp(members[i].uuid, m->uuid, sizeof(m->uuid)))
			return FAMFS_E_MEMBER;
	return FAMFS_OK;
}

/*
 * Slot i of the table holds members[i]: slot 0 the superblock's device,
 * every other one the next member of geo, which it joins.
 */
static int slot_member_add(const struct famfs_sb_info *sb,
			   const struct famfs_member_info *members, uint32_t i,
			   struct famfs_geometry *geo)
{
	const struct famfs_member_info *m = &members[i];
	int err;

	if (i) {
		err = famfs_geo_add_member(geo, m);
		return err ? err : uuid_unique_check(members, i, m);
	}
	if (m->index || m->size != sb->geo.dev_size ||
	    memcmp(m->uuid, sb->dev_uuid, sizeof(m->uuid)))
		return FAMFS_E_MEMBER;
	return FAMFS_OK;
}

/* The geometry of the superblock's device alone, to add the table's to. */
static int table_geometry(const struct famfs_sb_info *sb,
			  struct famfs_geometry *geo)
{
	if (sb->ndevices < 1 || sb->ndevices > FAMFS_MAX_DEVICES)
		return FAMFS_E_GEOMETRY;
	*geo = sb->geo;
	geo->n_members = 1;
	return FAMFS_OK;
}

/* The whole table is checked before a byte is written. */
static int table_check(const struct famfs_sb_info *sb)
{
	struct famfs_geometry geo;
	uint32_t i;
	int err;

	err = table_geometry(sb, &geo);
	for (i = 0; !err && i < sb->ndevices; i++)
		err = slot_member_add(sb, sb->members, i, &geo);
	return err;
}

static void slot_store(void *raw, const struct famfs_member_info *m)
{
	struct famfs_member_slot slot = {
		.size = htole64(m->size),
		.index = htole32(m->index),
	};

	memcpy(slot.uuid, m->uuid, sizeof(slot.uuid));
	famfs_tail_seal(&slot, sizeof(slot));
	memcpy(raw, &slot, sizeof(slot));
}

int famfs_members_encode(const struct famfs_sb_info *sb, void *area, size_t len)
{
	uint8_t *table;
	uint32_t i;
	int err;

	if (!sb->members_offset)
		return FAMFS_OK;
	if (len < TABLE_LEN || sb->members_offset > len - TABLE_LEN)
		return FAMFS_E_SHORT;
	err = table_check(sb);
	if (err)
		return err;
	table = (uint8_t *)area + sb->members_offset;
	memset(table, 0, TABLE_LEN);
	for (i = 0; i < sb->ndevices; i++)
		slot_store(table + (size_t)i * FAMFS_MEMBER_SLOT_SIZE,
			   &sb->members[i]);
	return FAMFS_OK;
}

/* Damage (CRC) first, then content; reserved bytes as the superblock's. */
static int slot_load(const void *raw, uint16_t minor,
		     struct famfs_member_info *m)
{
	struct famfs_member_slot slot;

	memcpy(&slot, raw, sizeof(slot));
	if (!famfs_tail_crc_ok(&slot, sizeof(slot)))
		return FAMFS_E_CRC;
	if (slot.flags)
		return FAMFS_E_FLAGS;
	if (minor <= FAMFS_VERSION_MINOR &&
	    !famfs_bytes_zero(slot.reserved, sizeof(slot.reserved)))
		return FAMFS_E_FLAGS;
	memcpy(m->uuid, slot.uuid, sizeof(m->uuid));
	m->size = le64toh(slot.size);
	m->index = le32toh(slot.index);
	return FAMFS_OK;
}

int famfs_members_decode(const void *area, size_t len, struct famfs_sb_info *sb)
{
	struct famfs_member_info members[FAMFS_MAX_DEVICES];
	const uint8_t *table;
	struct famfs_geometry geo;
	uint32_t i;
	int err;

	if (!sb->members_offset)
		return FAMFS_OK;
	err = table_geometry(sb, &geo);
	if (err)
		return err;
	if (sb->members_offset > len ||
	    len - sb->members_offset < (size_t)sb->ndevices * FAMFS_MEMBER_SLOT_SIZE)
		return FAMFS_E_SHORT;
	table = (const uint8_t *)area + sb->members_offset;
	for (i = 0; !err && i < sb->ndevices; i++) {
		err = slot_load(table + (size_t)i * FAMFS_MEMBER_SLOT_SIZE,
				sb->version_minor, &members[i]);
		if (!err)
			err = slot_member_add(sb, members, i, &geo);
	}
	if (err)
		return err;
	memcpy(sb->members, members, (size_t)sb->ndevices * sizeof(members[0]));
	sb->geo = geo;
	return FAMFS_OK;
}

int famfs_label_encode(const uint8_t fs_uuid[16],
		       const struct famfs_member_info *m, void *buf)
{
	struct famfs_member_label label;
	int err;

	err = famfs_member_check(m);
	if (err)
		return err;
	memset(&label, 0, sizeof(label));
	famfs_fixed_head_store(&label, FAMFS_LABEL_MAGIC);
	memcpy(label.fs_uuid, fs_uuid, sizeof(label.fs_uuid));
	memcpy(label.uuid, m->uuid, sizeof(label.uuid));
	label.size = htole64(m->size);
	label.index = htole32(m->index);
	famfs_tail_seal(&label, sizeof(label));
	memcpy(buf, &label, sizeof(label));
	return FAMFS_OK;
}

int famfs_label_decode(const void *buf, size_t len, uint8_t fs_uuid[16],
		       struct famfs_member_info *out)
{
	const size_t reserved_off = offsetof(struct famfs_member_label, reserved0);
	struct famfs_member_label label;
	struct famfs_member_info m;
	int err;

	if (len < sizeof(label))
		return FAMFS_E_SHORT;
	memcpy(&label, buf, sizeof(label));
	err = famfs_fixed_check(&label, sizeof(label), FAMFS_LABEL_MAGIC,
				reserved_off,
				offsetof(struct famfs_member_label, crc) - reserved_off);
	if (err)
		return err;
	memcpy(m.uuid, label.uuid, sizeof(m.uuid));
	m.size = le64toh(label.size);
	m.index = le32toh(label.index);
	err = famfs_member_check(&m);
	if (err)
		return err;
	memcpy(fs_uuid, label.fs_uuid, sizeof(label.fs_uuid));
	*out = m;
	return FAMFS_OK;
}

size_t famfs_member_entry_size(void)
{
	return MEMBER_LEN;
}

int famfs_member_entry_encode(void *buf, size_t avail, uint64_t seq,
			      const struct famfs_member_info *m,
			      size_t *len_out)
{
	struct famfs_member_payload mp = {
		.size = htole64(m->size),
		.index = htole32(m->index),
	};
	int err;

	err = famfs_member_check(m);
	if (err)
		return err;
	memcpy(mp.uuid, m->uuid, sizeof(mp.uuid));
	return famfs_entry_put_fixed(buf, avail, seq, FAMFS_ENTRY_MEMBER, &mp,
				     sizeof(mp), len_out);
}

int famfs_member_entry_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_member_payload mp;

	if (out->len != MEMBER_LEN)
		return FAMFS_E_LEN;
	memcpy(&mp, p + HDR_LEN, sizeof(mp));
	if (mp.flags)
		return FAMFS_E_FLAGS;
	memcpy(out->member.uuid, mp.uuid, sizeof(mp.uuid));
	out->member.size = le64toh(mp.size);
	out->member.index = le32toh(mp.index);
	return famfs_member_check(&out->member);
}
