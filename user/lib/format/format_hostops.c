// SPDX-License-Identifier: GPL-2.0
/*
 * EVICT and HOST_TABLE entries (format 1.2) and GENERATION (1.3): a fixed
 * payload each, no path, so the length is exact.
 */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

#define EVICT_LEN	(HDR_LEN + sizeof(struct famfs_evict_payload))
#define HOST_TABLE_LEN	(HDR_LEN + sizeof(struct famfs_host_table_payload))
#define GENERATION_LEN	(HDR_LEN + sizeof(struct famfs_generation_payload))

FAMFS_STATIC_ASSERT(EVICT_LEN % FAMFS_ENTRY_ALIGN == 0, "evict entry aligned");
FAMFS_STATIC_ASSERT(HOST_TABLE_LEN % FAMFS_ENTRY_ALIGN == 0,
		    "host table entry aligned");
FAMFS_STATIC_ASSERT(GENERATION_LEN % FAMFS_ENTRY_ALIGN == 0,
		    "generation entry aligned");

size_t famfs_evict_entry_size(void)
{
	return EVICT_LEN;
}

size_t famfs_host_table_entry_size(void)
{
	return HOST_TABLE_LEN;
}

size_t famfs_generation_entry_size(void)
{
	return GENERATION_LEN;
}

int famfs_evict_entry_encode(void *buf, size_t avail, uint64_t seq,
			     const uint8_t uuid[16], uint64_t nonce,
			     size_t *len_out)
{
	struct famfs_evict_payload ep = { .nonce = htole64(nonce) };

	memcpy(ep.system_uuid, uuid, sizeof(ep.system_uuid));
	return famfs_entry_put_fixed(buf, avail, seq, FAMFS_ENTRY_EVICT, &ep,
				     sizeof(ep), len_out);
}

int famfs_host_table_entry_encode(void *buf, size_t avail, uint64_t seq,
				  uint64_t offset, uint32_t count,
				  size_t *len_out)
{
	struct famfs_host_table_payload hp = {
		.offset = htole64(offset),
		.count = htole32(count),
		.slot_size = htole32(FAMFS_HOST_SLOT_SIZE),
	};
	int err;

	err = famfs_hosts_check(offset, count, FAMFS_HOST_SLOT_SIZE);
	if (err)
		return err;
	return famfs_entry_put_fixed(buf, avail, seq, FAMFS_ENTRY_HOST_TABLE,
				     &hp, sizeof(hp), len_out);
}

int famfs_generation_entry_encode(void *buf, size_t avail, uint64_t seq,
				  uint64_t generation, uint32_t area,
				  uint32_t restated, size_t *len_out)
{
	struct famfs_generation_payload gp = {
		.generation = htole64(generation),
		.area = htole32(area),
		.restated = htole32(restated),
	};

	if (area >= FAMFS_LOG_AREAS)
		return FAMFS_E_GEOMETRY;
	if (!restated)
		return FAMFS_E_SEQ;
	return famfs_entry_put_fixed(buf, avail, seq, FAMFS_ENTRY_GENERATION,
				     &gp, sizeof(gp), len_out);
}

int famfs_evict_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_evict_payload ep;

	if (out->len != EVICT_LEN)
		return FAMFS_E_LEN;
	memcpy(&ep, p + HDR_LEN, sizeof(ep));
	if (ep.reserved)
		return FAMFS_E_FLAGS;
	memcpy(out->uuid, ep.system_uuid, sizeof(out->uuid));
	out->nonce = le64toh(ep.nonce);
	return FAMFS_OK;
}

int famfs_host_table_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_host_table_payload hp;

	if (out->len != HOST_TABLE_LEN)
		return FAMFS_E_LEN;
	memcpy(&hp, p + HDR_LEN, sizeof(hp));
	out->hosts_offset = le64toh(hp.offset);
	out->hosts_count = le32toh(hp.count);
	return famfs_hosts_check(out->hosts_offset, out->hosts_count,
				 le32toh(hp.slot_size));
}

int famfs_generation_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_generation_payload gp;

	if (out->len != GENERATION_LEN)
		return FAMFS_E_LEN;
	memcpy(&gp, p + HDR_LEN, sizeof(gp));
	out->generation = le64toh(gp.generation);
	out->area = le32toh(gp.area);
	out->restated = le32toh(gp.restated);
	if (!out->restated)
		return FAMFS_E_SEQ;
	return out->area < FAMFS_LOG_AREAS ? FAMFS_OK : FAMFS_E_GEOMETRY;
}
