// SPDX-License-Identifier: GPL-2.0
/*
 * Log entries: sizes, the FILE and MKDIR encoders, and the validating
 * decoder. DELETE and RENAME, which carry only paths, are in
 * format_nameops.c; EVICT and HOST_TABLE in format_hostops.c.
 */
#include <endian.h>
#include <string.h>
#include <sys/stat.h>

#include "format_internal.h"

#define FILE_FIXED_LEN	(HDR_LEN + sizeof(struct famfs_file_payload))
#define MKDIR_FIXED_LEN	(HDR_LEN + sizeof(struct famfs_mkdir_payload))

/* The on-media mode bits are Linux's: S_IFMT type bits and 07777 permissions. */
#define MODE_VALID_BITS	(S_IFMT | 07777)

/* 64-bit arithmetic: no overflow for any 16-bit path_len and 32-bit n. */
static uint64_t file_entry_len(uint64_t path_len, uint64_t n_extents)
{
	return famfs_entry_align(FILE_FIXED_LEN +
				 n_extents * sizeof(struct famfs_extent) + path_len);
}

static uint64_t mkdir_entry_len(uint64_t path_len)
{
	return famfs_entry_align(MKDIR_FIXED_LEN + path_len);
}

size_t famfs_file_entry_size(size_t path_len, uint32_t n_extents)
{
	if (path_len > FAMFS_PATH_MAX || n_extents > FAMFS_MAX_EXTENTS)
		return 0;
	return file_entry_len(path_len, n_extents);
}

size_t famfs_mkdir_entry_size(size_t path_len)
{
	if (path_len > FAMFS_PATH_MAX)
		return 0;
	return mkdir_entry_len(path_len);
}

static int mode_check(uint32_t mode, uint32_t type)
{
	if ((mode & S_IFMT) != type || (mode & ~MODE_VALID_BITS))
		return FAMFS_E_MODE;
	return FAMFS_OK;
}

int famfs_file_entry_encode(void *buf, size_t avail, uint64_t seq,
			    const struct famfs_geometry *geo, const char *path,
			    const struct famfs_meta *meta,
			    const struct famfs_extent_info *ext, uint32_t n,
			    size_t *len_out)
{
	size_t path_len = famfs_path_length(path);
	struct famfs_file_payload fp;
	uint8_t *p = buf;
	size_t len;
	uint32_t i;
	int err;

	err = famfs_path_check(path, path_len);
	if (!err)
		err = mode_check(meta->mode, S_IFREG);
	if (!err)
		err = famfs_extents_check(geo, ext, n, meta->size);
	if (err)
		return err;
	len = famfs_file_entry_size(path_len, n);
	if (len > avail)
		return FAMFS_E_LOG_FULL;

	memset(p, 0, len);
	fp = (struct famfs_file_payload) {
		.size = htole64(meta->size),
		.mode = htole32(meta->mode),
		.uid = htole32(meta->uid),
		.gid = htole32(meta->gid),
		.n_extents = htole32(n),
		.path_len = htole16(path_len),
	};
	memcpy(p + HDR_LEN, &fp, sizeof(fp));
	for (i = 0; i < n; i++)
		famfs_extent_store(p + FILE_FIXED_LEN + i * sizeof(struct famfs_extent),
				   &ext[i]);
	memcpy(p + FILE_FIXED_LEN + n * sizeof(struct famfs_extent), path, path_len);
	famfs_entry_seal(p, len, seq, FAMFS_ENTRY_FILE);
	*len_out = len;
	return FAMFS_OK;
}

int famfs_mkdir_entry_encode(void *buf, size_t avail, uint64_t seq,
			     const char *path, const struct famfs_meta *meta,
			     size_t *len_out)
{
	size_t path_len = famfs_path_length(path);
	struct famfs_mkdir_payload mp;
	uint8_t *p = buf;
	size_t len;
	int err;

	err = famfs_path_check(path, path_len);
	if (!err)
		err = mode_check(meta->mode, S_IFDIR);
	if (err)
		return err;
	len = famfs_mkdir_entry_size(path_len);
	if (len > avail)
		return FAMFS_E_LOG_FULL;

	memset(p, 0, len);
	mp = (struct famfs_mkdir_payload) {
		.mode = htole32(meta->mode),
		.uid = htole32(meta->uid),
		.gid = htole32(meta->gid),
		.path_len = htole16(path_len),
	};
	memcpy(p + HDR_LEN, &mp, sizeof(mp));
	memcpy(p + MKDIR_FIXED_LEN, path, path_len);
	famfs_entry_seal(p, len, seq, FAMFS_ENTRY_MKDIR);
	*len_out = len;
	return FAMFS_OK;
}

/* The path runs from path to the padding, which runs to end and must be zero. */
static int path_decode(const uint8_t *path, uint16_t path_len,
		       const uint8_t *end, struct famfs_entry *out)
{
	int err;

	err = famfs_entry_path(path, path_len, out->path, &out->path_len);
	if (err)
		return err;
	return famfs_entry_padding(path + path_len, end);
}

static int file_decode(const uint8_t *p, const struct famfs_geometry *geo,
		       struct famfs_entry *out)
{
	struct famfs_extent_list list;
	struct famfs_file_payload fp;
	uint16_t path_len;
	int err;

	if (out->len < FILE_FIXED_LEN)
		return FAMFS_E_LEN;
	memcpy(&fp, p + HDR_LEN, sizeof(fp));
	list.host = NULL;
	list.media = p + FILE_FIXED_LEN;
	list.n = le32toh(fp.n_extents);
	path_len = le16toh(fp.path_len);
	if (file_entry_len(path_len, list.n) != out->len)
		return FAMFS_E_LEN;
	out->meta.mode = le32toh(fp.mode);
	out->meta.uid = le32toh(fp.uid);
	out->meta.gid = le32toh(fp.gid);
	out->meta.size = le64toh(fp.size);
	err = mode_check(out->meta.mode, S_IFREG);
	if (err)
		return err;
	if (fp.flags || fp.reserved)
		return FAMFS_E_FLAGS;
	err = path_decode(p + FILE_FIXED_LEN + (size_t)list.n * sizeof(struct famfs_extent),
			  path_len, p + out->len, out);
	if (err)
		return err;
	err = famfs_extent_list_check(geo, &list, out->meta.size);
	if (err)
		return err;
	out->n_extents = list.n;
	out->extents = list.media;
	return FAMFS_OK;
}

static int mkdir_decode(const uint8_t *p, struct famfs_entry *out)
{
	struct famfs_mkdir_payload mp;
	uint16_t path_len;
	int err;

	if (out->len < MKDIR_FIXED_LEN)
		return FAMFS_E_LEN;
	memcpy(&mp, p + HDR_LEN, sizeof(mp));
	path_len = le16toh(mp.path_len);
	if (mkdir_entry_len(path_len) != out->len)
		return FAMFS_E_LEN;
	out->meta.mode = le32toh(mp.mode);
	out->meta.uid = le32toh(mp.uid);
	out->meta.gid = le32toh(mp.gid);
	err = mode_check(out->meta.mode, S_IFDIR);
	if (err)
		return err;
	if (mp.reserved)
		return FAMFS_E_FLAGS;
	return path_decode(p + MKDIR_FIXED_LEN, path_len, p + out->len, out);
}

/*
 * Structure first (the length bounds what the CRC covers), then integrity
 * (CRC), then order (seq), then content. out is meaningful only on success.
 */
int famfs_entry_decode(const void *buf, size_t avail, uint64_t expect_seq,
		       const struct famfs_geometry *geo,
		       struct famfs_entry *out)
{
	struct famfs_entry_header h;
	const uint8_t *p = buf;

	if (avail < HDR_LEN)
		return FAMFS_E_SHORT;
	memcpy(&h, p, sizeof(h));
	out->len = le32toh(h.len);
	if (out->len < FAMFS_ENTRY_LEN_MIN || out->len % FAMFS_ENTRY_ALIGN ||
	    out->len > avail)
		return FAMFS_E_LEN;
	if (le32toh(h.crc) != famfs_crc32c(0, p + CRC_START, out->len - CRC_START))
		return FAMFS_E_CRC;
	out->seq = le64toh(h.seq);
	if (out->seq != expect_seq)
		return FAMFS_E_SEQ;
	out->type = le16toh(h.type);
	out->flags = le16toh(h.flags);
	if ((out->flags & ~FAMFS_ENTRY_F_SKIPPABLE) || h.reserved)
		return FAMFS_E_FLAGS;
	memset(&out->meta, 0, sizeof(out->meta));
	out->n_extents = 0;
	out->extents = NULL;
	out->path_len = 0;
	out->path[0] = '\0';
	out->dst_len = 0;
	out->dst[0] = '\0';
	memset(out->uuid, 0, sizeof(out->uuid));
	out->nonce = 0;
	out->hosts_offset = 0;
	out->hosts_count = 0;
	out->generation = 0;
	out->area = 0;
	out->restated = 0;

	switch (out->type) {
	case FAMFS_ENTRY_FILE:
		return file_decode(p, geo, out);
	case FAMFS_ENTRY_MKDIR:
		return mkdir_decode(p, out);
	case FAMFS_ENTRY_DELETE:
		return famfs_delete_decode(p, out);
	case FAMFS_ENTRY_RENAME:
		return famfs_rename_decode(p, out);
	case FAMFS_ENTRY_EVICT:
		return famfs_evict_decode(p, out);
	case FAMFS_ENTRY_HOST_TABLE:
		return famfs_host_table_decode(p, out);
	case FAMFS_ENTRY_GENERATION:
		return famfs_generation_decode(p, out);
	default:
		return (out->flags & FAMFS_ENTRY_F_SKIPPABLE) ? FAMFS_OK :
							       FAMFS_E_TYPE;
	}
}
