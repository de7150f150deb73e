// SPDX-License-Identifier: GPL-2.0
/*
 * Log entries: sizes, the FILE (plain or striped) and MKDIR encoders, and
 * the validating decoder. DELETE and RENAME, which carry only paths, are
 * in format_nameops.c; EVICT and HOST_TABLE in format_hostops.c; MEMBER
 * in format_member.c.
 */
#include <endian.h>
#include <string.h>
#include <sys/stat.h>

#include "format_internal.h"

#define FILE_FIXED_LEN	(HDR_LEN + sizeof(struct famfs_file_payload))
#define MKDIR_FIXED_LEN	(HDR_LEN + sizeof(struct famfs_mkdir_payload))
#define STRIPE_LEN	sizeof(struct famfs_stripe_payload)

/* The on-media mode bits are Linux's: S_IFMT type bits and 07777 permissions. */
#define MODE_VALID_BITS	(S_IFMT | 07777)

/* Where a FILE's extents begin: after the stripe payload if it has one. */
static uint64_t file_extents_off(bool striped)
{
	return FILE_FIXED_LEN + (striped ? STRIPE_LEN : 0);
}

/* 64-bit arithmetic: no overflow for any 16-bit path_len and 32-bit n. */
static uint64_t file_entry_len(bool striped, uint64_t path_len,
			       uint64_t n_extents)
{
	return famfs_entry_align(file_extents_off(striped) +
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
	return file_entry_len(false, path_len, n_extents);
}

size_t famfs_striped_file_entry_size(size_t path_len, uint32_t n_strips)
{
	if (path_len > FAMFS_PATH_MAX || n_strips > FAMFS_STRIPE_MAX)
		return 0;
	return file_entry_len(true, path_len, n_strips);
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

/* A FILE entry, striped over its extents when chunk is not 0. */
struct file_layout {
	const char *path;
	const struct famfs_meta *meta;
	uint64_t chunk;
	const struct famfs_extent_info *ext;
	uint32_t n;
};

static int file_layout_check(const struct famfs_geometry *geo,
			     const struct file_layout *f, size_t path_len)
{
	int err;

	err = famfs_path_check(f->path, path_len);
	if (!err)
		err = mode_check(f->meta->mode, S_IFREG);
	if (err)
		return err;
	if (f->chunk)
		return famfs_stripe_check(geo, f->chunk, f->ext, f->n,
					  f->meta->size);
	return famfs_extents_check(geo, f->ext, f->n, f->meta->size);
}

static int file_encode(void *buf, size_t avail, uint64_t seq,
		       const struct famfs_geometry *geo,
		       const struct file_layout *f, size_t *len_out)
{
	size_t path_len = famfs_path_length(f->path);
	const bool striped = f->chunk != 0;
	uint8_t *ext = (uint8_t *)buf + file_extents_off(striped);
	struct famfs_stripe_payload sp = { .chunk_size = htole64(f->chunk) };
	struct famfs_file_payload fp;
	uint8_t *p = buf;
	size_t len;
	uint32_t i;
	int err;

	err = file_layout_check(geo, f, path_len);
	if (err)
		return err;
	len = file_entry_len(striped, path_len, f->n);
	if (len > avail)
		return FAMFS_E_LOG_FULL;

	memset(p, 0, len);
	fp = (struct famfs_file_payload) {
		.size = htole64(f->meta->size),
		.mode = htole32(f->meta->mode),
		.uid = htole32(f->meta->uid),
		.gid = htole32(f->meta->gid),
		.flags = htole32(striped ? FAMFS_FILE_F_STRIPED : 0),
		.n_extents = htole32(f->n),
		.path_len = htole16(path_len),
	};
	memcpy(p + HDR_LEN, &fp, sizeof(fp));
	if (striped)
		memcpy(p + FILE_FIXED_LEN, &sp, sizeof(sp));
	for (i = 0; i < f->n; i++)
		famfs_extent_store(ext + i * sizeof(struct famfs_extent),
				   &f->ext[i]);
	memcpy(ext + f->n * sizeof(struct famfs_extent), f->path, path_len);
	famfs_entry_seal(p, len, seq, FAMFS_ENTRY_FILE);
	*len_out = len;
	return FAMFS_OK;
}

int famfs_file_entry_encode(void *buf, size_t avail, uint64_t seq,
			    const struct famfs_geometry *geo, const char *path,
			    const struct famfs_meta *meta,
			    const struct famfs_extent_info *ext, uint32_t n,
			    size_t *len_out)
{
	const struct file_layout f = {
		.path = path, .meta = meta, .ext = ext, .n = n,
	};

	return file_encode(buf, avail, seq, geo, &f, len_out);
}

int famfs_striped_file_entry_encode(void *buf, size_t avail, uint64_t seq,
				    const struct famfs_geometry *geo,
				    const char *path,
				    const struct famfs_meta *meta, uint64_t chunk,
				    const struct famfs_extent_info *strip,
				    uint32_t n, size_t *len_out)
{
	const struct file_layout f = {
		.path = path, .meta = meta, .chunk = chunk, .ext = strip, .n = n,
	};

	/* chunk 0 would encode a plain file: a stripe needs a chunk. */
	if (!chunk)
		return FAMFS_E_STRIPE;
	return file_encode(buf, avail, seq, geo, &f, len_out);
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

/* A striped FILE's chunk size, after its fixed payload; 0 for a plain one. */
static int stripe_decode(const uint8_t *p, bool striped,
			 struct famfs_entry *out)
{
	struct famfs_stripe_payload sp;

	if (!striped)
		return FAMFS_OK;
	memcpy(&sp, p + FILE_FIXED_LEN, sizeof(sp));
	if (sp.reserved)
		return FAMFS_E_FLAGS;
	out->chunk_size = le64toh(sp.chunk_size);
	/* A zero chunk would make the strips read as a plain extent list. */
	return out->chunk_size ? FAMFS_OK : FAMFS_E_STRIPE;
}

static int file_extents_decode(const struct famfs_geometry *geo,
			       const struct famfs_extent_list *list,
			       struct famfs_entry *out)
{
	int err;

	if (out->chunk_size)
		err = famfs_stripe_list_check(geo, out->chunk_size, list,
					      out->meta.size);
	else
		err = famfs_extent_list_check(geo, list, out->meta.size);
	if (err)
		return err;
	out->n_extents = list->n;
	out->extents = list->media;
	return FAMFS_OK;
}

static int file_decode(const uint8_t *p, const struct famfs_geometry *geo,
		       struct famfs_entry *out)
{
	struct famfs_extent_list list;
	struct famfs_file_payload fp;
	uint16_t path_len;
	bool striped;
	int err;

	if (out->len < FILE_FIXED_LEN)
		return FAMFS_E_LEN;
	memcpy(&fp, p + HDR_LEN, sizeof(fp));
	/* Unknown flags may change the layout: nothing past them is read. */
	if (le32toh(fp.flags) & ~FAMFS_FILE_F_ALL)
		return FAMFS_E_FLAGS;
	striped = le32toh(fp.flags) & FAMFS_FILE_F_STRIPED;
	list.host = NULL;
	list.media = p + file_extents_off(striped);
	list.n = le32toh(fp.n_extents);
	path_len = le16toh(fp.path_len);
	if (file_entry_len(striped, path_len, list.n) != out->len)
		return FAMFS_E_LEN;
	out->meta.mode = le32toh(fp.mode);
	out->meta.uid = le32toh(fp.uid);
	out->meta.gid = le32toh(fp.gid);
	out->meta.size = le64toh(fp.size);
	err = mode_check(out->meta.mode, S_IFREG);
	if (err)
		return err;
	if (fp.reserved)
		return FAMFS_E_FLAGS;
	err = stripe_decode(p, striped, out);
	if (!err)
		err = path_decode((const uint8_t *)list.media +
				  (size_t)list.n * sizeof(struct famfs_extent),
				  path_len, p + out->len, out);
	if (err)
		return err;
	return file_extents_decode(geo, &list, out);
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
	out->chunk_size = 0;
	memset(&out->member, 0, sizeof(out->member));

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
	case FAMFS_ENTRY_MEMBER:
		return famfs_member_entry_decode(p, out);
	default:
		return (out->flags & FAMFS_ENTRY_F_SKIPPABLE) ? FAMFS_OK :
							       FAMFS_E_TYPE;
	}
}
