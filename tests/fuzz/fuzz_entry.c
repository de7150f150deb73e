// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_entry_decode on any bytes: FILE (plain or striped), MKDIR, DELETE,
 * RENAME, MEMBER, EVICT, HOST_TABLE, GENERATION and skippable entries (the
 * type field is mutated like any other). Flags:
 * bit 0 recomputes the CRC over the length the header claims; bit 1 expects
 * the sequence number the entry carries (else 0); bit 2 puts the file
 * system on a 1 TiB device (else 64 MiB); bit 3 gives it three more
 * members of 64 MiB.
 *
 * A known entry that decodes is canonical: encoding what was
 * decoded gives back the same bytes, but for the CRC and the header's
 * flags (the encoders write 0; a known type may also carry SKIPPABLE).
 */
#include <stddef.h>

#include "fuzz.h"

#define HDR_LEN		sizeof(struct famfs_entry_header)
#define LEN_AT		offsetof(struct famfs_entry_header, len)
#define FLAGS_AT	offsetof(struct famfs_entry_header, flags)
#define FLAGS_END	offsetof(struct famfs_entry_header, reserved)

/* Encode what e says into a fresh buffer; return its length (0: refused). */
static size_t reencode(const struct famfs_entry *e,
		       const struct famfs_geometry *geo, uint8_t *out)
{
	struct famfs_extent_info *ext;
	size_t len = 0;
	uint32_t i;
	int rc;

	if (e->type == FAMFS_ENTRY_MKDIR) {
		rc = famfs_mkdir_entry_encode(out, e->len, e->seq, e->path,
					      &e->meta, &len);
		return rc ? 0 : len;
	}
	if (e->type == FAMFS_ENTRY_DELETE) {
		rc = famfs_delete_entry_encode(out, e->len, e->seq, e->path, &len);
		return rc ? 0 : len;
	}
	if (e->type == FAMFS_ENTRY_RENAME) {
		rc = famfs_rename_entry_encode(out, e->len, e->seq, e->path,
					       e->dst, &len);
		return rc ? 0 : len;
	}
	if (e->type == FAMFS_ENTRY_EVICT) {
		rc = famfs_evict_entry_encode(out, e->len, e->seq, e->uuid,
					      e->nonce, &len);
		return rc ? 0 : len;
	}
	if (e->type == FAMFS_ENTRY_HOST_TABLE) {
		rc = famfs_host_table_entry_encode(out, e->len, e->seq,
						   e->hosts_offset,
						   e->hosts_count, &len);
		return rc ? 0 : len;
	}
	if (e->type == FAMFS_ENTRY_GENERATION) {
		rc = famfs_generation_entry_encode(out, e->len, e->seq,
						   e->generation, e->area,
						   e->restated, &len);
		return rc ? 0 : len;
	}
	if (e->type == FAMFS_ENTRY_MEMBER) {
		rc = famfs_member_entry_encode(out, e->len, e->seq, &e->member,
					       &len);
		return rc ? 0 : len;
	}
	ext = calloc(e->n_extents + 1, sizeof(*ext));
	if (!ext)
		abort();
	for (i = 0; i < e->n_extents; i++)
		famfs_entry_extent(e, i, &ext[i]);
	if (e->chunk_size)
		rc = famfs_striped_file_entry_encode(out, e->len, e->seq, geo,
						     e->path, &e->meta,
						     e->chunk_size, ext,
						     e->n_extents, &len);
	else
		rc = famfs_file_entry_encode(out, e->len, e->seq, geo, e->path,
					     &e->meta, ext, e->n_extents, &len);
	free(ext);
	return rc ? 0 : len;
}

/* MEMBER, EVICT, HOST_TABLE and GENERATION: a fixed payload, no path. */
static bool no_path(uint16_t type)
{
	return type == FAMFS_ENTRY_MEMBER || type == FAMFS_ENTRY_EVICT ||
	       type == FAMFS_ENTRY_HOST_TABLE || type == FAMFS_ENTRY_GENERATION;
}

/* Members 1 .. 3, as MEMBER entries would add them. */
static void add_members(struct famfs_geometry *geo)
{
	struct famfs_member_info m = { .size = 64ULL << 20 };

	for (m.index = 1; m.index < 4; m.index++)
		fuzz_assert(!famfs_geo_add_member(geo, &m));
}

static bool known_type(uint16_t type)
{
	return (type >= FAMFS_ENTRY_FILE && type <= FAMFS_ENTRY_RENAME) ||
	       no_path(type);
}

/* FILE, MKDIR, DELETE and RENAME log a valid path; the others none. */
static void check_paths(const struct famfs_entry *e)
{
	bool host = no_path(e->type);

	fuzz_assert(strlen(e->path) == e->path_len);
	fuzz_assert(host ? !e->path_len : !famfs_path_check(e->path, e->path_len));
	fuzz_assert(strlen(e->dst) == e->dst_len);
	fuzz_assert(e->type == FAMFS_ENTRY_RENAME ?
		    !famfs_path_check(e->dst, e->dst_len) : !e->dst_len);
}

static void check_decoded(const struct famfs_entry *e, const uint8_t *buf,
			  size_t avail, const struct famfs_geometry *geo)
{
	uint8_t *again;

	fuzz_assert(e->len >= FAMFS_ENTRY_LEN_MIN && e->len <= avail &&
		    e->len % FAMFS_ENTRY_ALIGN == 0);
	if (!known_type(e->type)) {
		fuzz_assert(e->flags & FAMFS_ENTRY_F_SKIPPABLE);
		return;
	}
	check_paths(e);
	again = calloc(1, e->len);
	if (!again)
		abort();
	fuzz_assert(reencode(e, geo, again) == e->len);
	fuzz_assert(!memcmp(again + LEN_AT, buf + LEN_AT, FLAGS_AT - LEN_AT));
	fuzz_assert(!memcmp(again + FLAGS_END, buf + FLAGS_END, e->len - FLAGS_END));
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct famfs_entry_header h;
	struct famfs_geometry geo;
	struct famfs_entry *e;
	uint64_t seq = 0;
	size_t avail;
	uint8_t *buf;

	if (!size)
		return 0;
	avail = size - 1;
	buf = fuzz_copy(data + 1, avail);
	geo = test_geometry_of(data[0] & 4 ? 1ULL << 40 : 64ULL << 20);
	if (data[0] & 8)
		add_members(&geo);
	if (data[0] & 1)
		fuzz_entry_reseal(buf, avail);
	if ((data[0] & 2) && avail >= HDR_LEN) {
		memcpy(&h, buf, sizeof(h));
		seq = le64toh(h.seq);
	}
	e = malloc(sizeof(*e));
	if (!e)
		abort();
	if (!famfs_entry_decode(buf, avail, seq, &geo, e))
		check_decoded(e, buf, avail, &geo);
	free(e);
	free(buf);
	return 0;
}
