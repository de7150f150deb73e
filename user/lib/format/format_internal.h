/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the format_*.c files; not part of the library's API. */
#ifndef FAMFS_FORMAT_INTERNAL_H
#define FAMFS_FORMAT_INTERNAL_H

#include <endian.h>
#include <stdbool.h>
#include <string.h>

#include "famfs/format.h"

static inline uint64_t famfs_entry_align(uint64_t n)
{
	return (n + FAMFS_ENTRY_ALIGN - 1) & ~(uint64_t)(FAMFS_ENTRY_ALIGN - 1);
}

static inline bool famfs_bytes_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/*
 * The superblock, the log header and a host slot end with a CRC-32C of
 * everything before it.
 */
static inline uint32_t famfs_tail_crc(const void *raw, size_t size)
{
	return famfs_crc32c(0, raw, size - sizeof(__le32));
}

static inline void famfs_tail_seal(void *raw, size_t size)
{
	__le32 crc = htole32(famfs_tail_crc(raw, size));

	memcpy((uint8_t *)raw + size - sizeof(crc), &crc, sizeof(crc));
}

static inline bool famfs_tail_crc_ok(const void *raw, size_t size)
{
	__le32 crc;

	memcpy(&crc, (const uint8_t *)raw + size - sizeof(crc), sizeof(crc));
	return le32toh(crc) == famfs_tail_crc(raw, size);
}

/*
 * The head that the superblock, the log header and a member label share
 * (format_sb.c): store magic and this code's version; check magic, major
 * version, the trailing CRC of size bytes, flags, and reserved_len bytes
 * at reserved_off unless the minor version is newer than this code's.
 */
void famfs_fixed_head_store(void *raw, uint64_t magic);
int famfs_fixed_check(const void *raw, size_t size, uint64_t magic,
		      size_t reserved_off, size_t reserved_len);

/*
 * Member checks (format_member.c). A member other than 0 holds its label
 * area and a data unit: FAMFS_E_GEOMETRY else. A member named by a label
 * or a MEMBER entry has an index 1 .. FAMFS_MAX_DEVICES - 1
 * (FAMFS_E_MEMBER) and such a size.
 */
int famfs_member_size_check(uint64_t size);
int famfs_member_check(const struct famfs_member_info *m);

/*
 * Host table geometry (format_hosts.c), as the superblock and the
 * HOST_TABLE entry record it: FAMFS_E_GEOMETRY unless the slots are
 * FAMFS_HOST_SLOT_SIZE bytes, 1..FAMFS_HOSTS_COUNT_MAX of them, aligned,
 * past the superblock and inside the superblock area.
 */
int famfs_hosts_check(uint64_t offset, uint32_t count, uint32_t slot_size);

/*
 * A file's extent list, either in host form (host) or as n on-media struct
 * famfs_extent at media, which may have any alignment.
 */
struct famfs_extent_list {
	const struct famfs_extent_info *host;
	const void *media;
	uint32_t n;
};

/* famfs_extents_check() for either form; also refuses non-zero reserved fields. */
int famfs_extent_list_check(const struct famfs_geometry *geo,
			    const struct famfs_extent_list *list, uint64_t size);

/*
 * A stripe's shape (format_extent.c): 2 .. FAMFS_STRIPE_MAX strips, chunk
 * a non-zero multiple of alloc_unit; FAMFS_E_STRIPE else.
 */
int famfs_stripe_shape_check(const struct famfs_geometry *geo, uint64_t chunk,
			     uint32_t n);
/* famfs_stripe_check() for either form of the strip list. */
int famfs_stripe_list_check(const struct famfs_geometry *geo, uint64_t chunk,
			    const struct famfs_extent_list *list, uint64_t size);

/* Convert one extent between host form and on-media form (any alignment). */
void famfs_extent_store(void *media, const struct famfs_extent_info *ext);
/* Returns the extent's reserved field, which must be zero. */
uint32_t famfs_extent_load(const void *media, struct famfs_extent_info *ext);

#define HDR_LEN		sizeof(struct famfs_entry_header)
/* The CRC covers the entry from the field after it to the end. */
#define CRC_START	offsetof(struct famfs_entry_header, len)

/* Path length of a NUL-terminated path, or FAMFS_PATH_MAX + 1 if longer. */
size_t famfs_path_length(const char *path);
/* Write the header and then the CRC around a payload already in place. */
void famfs_entry_seal(uint8_t *buf, uint32_t len, uint64_t seq, uint16_t type);
/*
 * Write an entry of a fixed payload of size bytes, if it fits in avail;
 * FAMFS_E_LOG_FULL else.
 */
int famfs_entry_put_fixed(void *buf, size_t avail, uint64_t seq, uint16_t type,
			  const void *payload, size_t size, size_t *len_out);
/* Check a logged path of len bytes and copy it, NUL-terminated, to dst. */
int famfs_entry_path(const uint8_t *path, uint16_t len, char *dst,
		     uint16_t *dst_len);
/* The bytes from p to end, after an entry's last path, must be zero. */
int famfs_entry_padding(const uint8_t *p, const uint8_t *end);

/* Decode DELETE and RENAME payloads (format_nameops.c). */
int famfs_delete_decode(const uint8_t *p, struct famfs_entry *out);
int famfs_rename_decode(const uint8_t *p, struct famfs_entry *out);
/* Decode EVICT and HOST_TABLE payloads (format_hostops.c). */
int famfs_evict_decode(const uint8_t *p, struct famfs_entry *out);
int famfs_host_table_decode(const uint8_t *p, struct famfs_entry *out);
int famfs_generation_decode(const uint8_t *p, struct famfs_entry *out);
/* Decode a MEMBER payload (format_member.c). */
int famfs_member_entry_decode(const uint8_t *p, struct famfs_entry *out);

#endif /* FAMFS_FORMAT_INTERNAL_H */
