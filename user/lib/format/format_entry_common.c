// SPDX-License-Identifier: GPL-2.0
/* What every entry encoder and decoder shares: the seal and the paths. */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

FAMFS_STATIC_ASSERT(offsetof(struct famfs_entry_header, crc) == 0, "crc first");

size_t famfs_path_length(const char *path)
{
	return strnlen(path, FAMFS_PATH_MAX + 1);
}

void famfs_entry_seal(uint8_t *buf, uint32_t len, uint64_t seq, uint16_t type)
{
	struct famfs_entry_header h = {
		.len = htole32(len),
		.seq = htole64(seq),
		.type = htole16(type),
	};

	memcpy(buf, &h, sizeof(h));
	h.crc = htole32(famfs_crc32c(0, buf + CRC_START, len - CRC_START));
	memcpy(buf, &h.crc, sizeof(h.crc));
}

int famfs_entry_put_fixed(void *buf, size_t avail, uint64_t seq, uint16_t type,
			  const void *payload, size_t size, size_t *len_out)
{
	size_t len = HDR_LEN + size;
	uint8_t *p = buf;

	if (len > avail)
		return FAMFS_E_LOG_FULL;
	memcpy(p + HDR_LEN, payload, size);
	famfs_entry_seal(p, len, seq, type);
	*len_out = len;
	return FAMFS_OK;
}

int famfs_entry_path(const uint8_t *path, uint16_t len, char *dst,
		     uint16_t *dst_len)
{
	int err = famfs_path_check((const char *)path, len);

	if (err)
		return err;
	memcpy(dst, path, len);
	dst[len] = '\0';
	*dst_len = len;
	return FAMFS_OK;
}

int famfs_entry_padding(const uint8_t *p, const uint8_t *end)
{
	return famfs_bytes_zero(p, end - p) ? FAMFS_OK : FAMFS_E_PADDING;
}
