// SPDX-License-Identifier: GPL-2.0
/*
 * DELETE and RENAME entries (format 1.1): only paths, checked like the
 * path of a FILE or MKDIR entry, in the same decoding order.
 */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

#define DELETE_FIXED_LEN	(HDR_LEN + sizeof(struct famfs_delete_payload))
#define RENAME_FIXED_LEN	(HDR_LEN + sizeof(struct famfs_rename_payload))

static uint64_t delete_entry_len(uint64_t path_len)
{
	return famfs_entry_align(DELETE_FIXED_LEN + path_len);
}

static uint64_t rename_entry_len(uint64_t src_len, uint64_t dst_len)
{
	return famfs_entry_align(RENAME_FIXED_LEN + src_len + dst_len);
}

size_t famfs_delete_entry_size(size_t path_len)
{
	if (path_len > FAMFS_PATH_MAX)
		return 0;
	return delete_entry_len(path_len);
}

size_t famfs_rename_entry_size(size_t src_len, size_t dst_len)
{
	if (src_len > FAMFS_PATH_MAX || dst_len > FAMFS_PATH_MAX)
		return 0;
	return rename_entry_len(src_len, dst_len);
}

int famfs_delete_entry_encode(void *buf, size_t avail, uint64_t seq,
			      const char *path, size_t *len_out)
{
	size_t path_len = famfs_path_length(path);
	struct famfs_delete_payload dp;
	uint8_t *p = buf;
	size_t len;
	int err;

	err = famfs_path_check(path, path_len);
	if (err)
		return err;
	len = famfs_delete_entry_size(path_len);
	if (len > avail)
		return FAMFS_E_LOG_FULL;

	memset(p, 0, len);
	dp = (struct famfs_delete_payload) { .path_len = htole16(path_len) };
	memcpy(p + HDR_LEN, &dp, sizeof(dp));
	memcpy(p + DELETE_FIXED_LEN, path, path_len);
	famfs_entry_seal(p, len, seq, FAMFS_ENTRY_DELETE);
	*len_out = len;
	return FAMFS_OK;
}

int famfs_rename_entry_encode(void *buf, size_t avail, uint64_t seq,
			      const char *src, const char *dst,
			      size_t *len_out)
{
	size_t src_len = famfs_path_length(src);
	size_t dst_len = famfs_path_length(dst);
	struct famfs_rename_payload rp;
	uint8_t *p = buf;
	size_t len;
	int err;

	err = famfs_path_check(src, src_len);
	if (!err)
		err = famfs_path_check(dst, dst_len);
	if (err)
		return err;
	len = famfs_rename_entry_size(src_len, dst_len);
	if (len > avail)
		return FAMFS_E_LOG_FULL;

	memset(p, 0, len);
	rp = (struct famfs_rename_payload) {
		.src_len = htole16(src_len),
		.dst_len = htole16(dst_len),
	};
	memcpy(p + HDR_LEN, &rp, sizeof(rp));
	memcpy(p + RENAME_FIXED_LEN, src, src_len);
	memcpy(p + RENAME_FIXED_LEN + src_len, dst, dst_len);
	famfs_entry_seal(p, len, seq, FAMFS_ENTRY_RENAME);
	*len_out = len;
	return FAMFS_OK;
}

int famfs_delete_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_delete_payload dp;
	uint16_t path_len;
	int err;

	if (out->len < DELETE_FIXED_LEN)
		return FAMFS_E_LEN;
	memcpy(&dp, p + HDR_LEN, sizeof(dp));
	path_len = le16toh(dp.path_len);
	if (delete_entry_len(path_len) != out->len)
		return FAMFS_E_LEN;
	if (dp.reserved || dp.reserved2)
		return FAMFS_E_FLAGS;
	err = famfs_entry_path(p + DELETE_FIXED_LEN, path_len, out->path,
			       &out->path_len);
	if (err)
		return err;
	return famfs_entry_padding(p + DELETE_FIXED_LEN + path_len, p + out->len);
}

int famfs_rename_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_rename_payload rp;
	const uint8_t *dst;
	uint16_t src_len, dst_len;
	int err;

	if (out->len < RENAME_FIXED_LEN)
		return FAMFS_E_LEN;
	memcpy(&rp, p + HDR_LEN, sizeof(rp));
	src_len = le16toh(rp.src_len);
	dst_len = le16toh(rp.dst_len);
	if (rename_entry_len(src_len, dst_len) != out->len)
		return FAMFS_E_LEN;
	if (rp.reserved)
		return FAMFS_E_FLAGS;
	dst = p + RENAME_FIXED_LEN + src_len;
	err = famfs_entry_path(p + RENAME_FIXED_LEN, src_len, out->path,
			       &out->path_len);
	if (!err)
		err = famfs_entry_path(dst, dst_len, out->dst, &out->dst_len);
	if (err)
		return err;
	return famfs_entry_padding(dst + dst_len, p + out->len);
}
