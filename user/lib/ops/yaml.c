// SPDX-License-Identifier: GPL-2.0
/*
 * Structured output through libyaml's emitter: file maps, log entries and
 * fsck reports. docs/yaml.md is the schema; keys are only ever added.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>
#include <yaml.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

#define BINARY_TAG	"tag:yaml.org,2002:binary"

struct ye {
	yaml_emitter_t em;
	yaml_event_t ev;
	bool failed;
};

static void emit(struct ye *y, int initialized)
{
	if (!initialized || !yaml_emitter_emit(&y->em, &y->ev))
		y->failed = true;
}

static void ye_scalar(struct ye *y, const char *s, yaml_scalar_style_t style)
{
	if (y->failed)
		return;
	emit(y, yaml_scalar_event_initialize(&y->ev, NULL, NULL,
					     (yaml_char_t *)s, (int)strlen(s),
					     1, 1, style));
}

static void ye_str(struct ye *y, const char *s)
{
	ye_scalar(y, s, YAML_ANY_SCALAR_STYLE);
}

/*
 * Text that a YAML 1.1 reader could take for a number or a boolean (a
 * path "0644", a mode, a version "1.0"): always quoted.
 */
static void ye_kquoted(struct ye *y, const char *k, const char *v)
{
	ye_str(y, k);
	ye_scalar(y, v, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/* RFC 4648 base64 of s, malloc'ed. */
static char *base64(const char *s)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *in = (const unsigned char *)s;
	size_t len = strlen(s), i;
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	uint32_t v;

	if (!out)
		return NULL;
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*o++ = alphabet[v >> 18];
		*o++ = alphabet[(v >> 12) & 63];
		*o++ = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? alphabet[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/*
 * A path may hold any byte but NUL and '/', and YAML text must be UTF-8:
 * a path that is not is a binary scalar (!!binary, the base64 of its
 * bytes), which no reader can take for text (docs/yaml.md).
 */
static void ye_kpath(struct ye *y, const char *k, const char *path)
{
	char *b64;

	if (famfs_utf8_valid(path)) {
		ye_kquoted(y, k, path);
		return;
	}
	ye_str(y, k);
	b64 = base64(path);
	if (!b64 || y->failed) {
		y->failed = true;
		free(b64);
		return;
	}
	emit(y, yaml_scalar_event_initialize(&y->ev, NULL,
					     (yaml_char_t *)BINARY_TAG,
					     (yaml_char_t *)b64, (int)strlen(b64),
					     0, 0, YAML_DOUBLE_QUOTED_SCALAR_STYLE));
	free(b64);
}

static void ye_u64(struct ye *y, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ye_str(y, buf);
}

static void ye_kstr(struct ye *y, const char *k, const char *v)
{
	ye_str(y, k);
	ye_str(y, v);
}

static void ye_ku64(struct ye *y, const char *k, uint64_t v)
{
	ye_str(y, k);
	ye_u64(y, v);
}

/* Start or end a block mapping or sequence. */
static void ye_block(struct ye *y, bool mapping, bool start)
{
	if (y->failed)
		return;
	if (start && mapping)
		emit(y, yaml_mapping_start_event_initialize(&y->ev, NULL, NULL, 1,
							    YAML_BLOCK_MAPPING_STYLE));
	else if (start)
		emit(y, yaml_sequence_start_event_initialize(&y->ev, NULL, NULL, 1,
							     YAML_BLOCK_SEQUENCE_STYLE));
	else if (mapping)
		emit(y, yaml_mapping_end_event_initialize(&y->ev));
	else
		emit(y, yaml_sequence_end_event_initialize(&y->ev));
}

static void ye_map(struct ye *y, bool start)
{
	ye_block(y, true, start);
}

static void ye_seq(struct ye *y, bool start)
{
	ye_block(y, false, start);
}

/* A document holding one block mapping; explicit "---" when asked. */
static void ye_doc(struct ye *y, bool start, bool explicit)
{
	if (y->failed)
		return;
	if (start) {
		emit(y, yaml_document_start_event_initialize(&y->ev, NULL, NULL,
							     NULL, !explicit));
		ye_map(y, true);
	} else {
		ye_map(y, false);
		emit(y, yaml_document_end_event_initialize(&y->ev, 1));
	}
}

static void ye_open(struct ye *y, FILE *out)
{
	memset(y, 0, sizeof(*y));
	if (!yaml_emitter_initialize(&y->em)) {
		y->failed = true;
		return;
	}
	yaml_emitter_set_output_file(&y->em, out);
	yaml_emitter_set_unicode(&y->em, 1);
	emit(y, yaml_stream_start_event_initialize(&y->ev, YAML_UTF8_ENCODING));
}

static int ye_close(struct ye *y)
{
	if (!y->failed)
		emit(y, yaml_stream_end_event_initialize(&y->ev));
	yaml_emitter_delete(&y->em);
	return y->failed ? -EIO : 0;
}

static void ye_extent(struct ye *y, uint32_t dev, uint64_t off, uint64_t len)
{
	ye_map(y, true);
	ye_ku64(y, "device", dev);
	ye_ku64(y, "offset", off);
	ye_ku64(y, "length", len);
	ye_map(y, false);
}

/* A striped file's layout; its extents are its strips, in strip order. */
static void ye_stripe(struct ye *y, uint32_t nstrips, uint64_t chunk)
{
	if (!chunk)
		return;
	ye_ku64(y, "nstrips", nstrips);
	ye_ku64(y, "chunk_size", chunk);
}

static const char *file_type_name(uint32_t type)
{
	switch (type) {
	case FAMFS_FILE_REG:
		return "regular";
	case FAMFS_FILE_SUPERBLOCK:
		return "superblock";
	case FAMFS_FILE_LOG:
		return "log";
	}
	return "unknown";
}

int famfs_yaml_map(FILE *out, const char *path,
		   const struct famfs_ioc_stripe_map *sm,
		   const struct famfs_ioc_extent *ext)
{
	const struct famfs_ioc_map *map = &sm->map;
	struct ye y;
	uint32_t i;

	ye_open(&y, out);
	ye_doc(&y, true, false);
	ye_kpath(&y, "file", path);
	ye_kstr(&y, "type", file_type_name(map->file_type));
	ye_ku64(&y, "size", map->file_size);
	ye_kstr(&y, "readonly", map->flags & FAMFS_MAP_READONLY ? "true" : "false");
	ye_stripe(&y, map->n_extents, sm->chunk_size);
	ye_str(&y, "extents");
	ye_seq(&y, true);
	for (i = 0; i < map->n_extents; i++)
		ye_extent(&y, ext[i].dev_index, ext[i].offset, ext[i].len);
	ye_seq(&y, false);
	ye_doc(&y, false, false);
	return ye_close(&y);
}

static void ye_mode(struct ye *y, uint32_t mode)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%04o", mode & 07777);
	ye_kquoted(y, "mode", buf);
}

static void ye_uuid(struct ye *y, const char *k, const uint8_t uuid[16])
{
	char buf[40];

	uuid_unparse_lower(uuid, buf);
	ye_kstr(y, k, buf);
}

static void ye_member_fields(struct ye *y, const struct famfs_member_info *m)
{
	ye_ku64(y, "index", m->index);
	ye_uuid(y, "uuid", m->uuid);
	ye_ku64(y, "size", m->size);
}

static const char *entry_type_name(uint16_t type)
{
	switch (type) {
	case FAMFS_ENTRY_FILE:
		return "file";
	case FAMFS_ENTRY_MKDIR:
		return "directory";
	case FAMFS_ENTRY_DELETE:
		return "delete";
	case FAMFS_ENTRY_RENAME:
		return "rename";
	case FAMFS_ENTRY_EVICT:
		return "evict";
	case FAMFS_ENTRY_HOST_TABLE:
		return "host_table";
	case FAMFS_ENTRY_GENERATION:
		return "generation";
	case FAMFS_ENTRY_MEMBER:
		return "member";
	}
	return "skipped";
}

static void ye_entry(struct ye *y, const struct famfs_entry *e, uint64_t off)
{
	struct famfs_extent_info x;
	uint32_t i;

	ye_doc(y, true, true);
	ye_ku64(y, "seq", e->seq);
	ye_ku64(y, "offset", off);
	ye_kstr(y, "type", entry_type_name(e->type));
	if (e->type == FAMFS_ENTRY_DELETE || e->type == FAMFS_ENTRY_RENAME)
		ye_kpath(y, "path", e->path);
	if (e->type == FAMFS_ENTRY_RENAME)
		ye_kpath(y, "destination", e->dst);
	if (e->type == FAMFS_ENTRY_EVICT) {
		ye_uuid(y, "host", e->uuid);
		ye_ku64(y, "nonce", e->nonce);
	}
	if (e->type == FAMFS_ENTRY_HOST_TABLE) {
		ye_ku64(y, "hosts_offset", e->hosts_offset);
		ye_ku64(y, "hosts_count", e->hosts_count);
	}
	if (e->type == FAMFS_ENTRY_GENERATION) {
		ye_ku64(y, "generation", e->generation);
		ye_ku64(y, "area", e->area);
	}
	if (e->type == FAMFS_ENTRY_MEMBER)
		ye_member_fields(y, &e->member);
	if (e->type == FAMFS_ENTRY_FILE || e->type == FAMFS_ENTRY_MKDIR) {
		ye_kpath(y, "path", e->path);
		ye_mode(y, e->meta.mode);
		ye_ku64(y, "uid", e->meta.uid);
		ye_ku64(y, "gid", e->meta.gid);
	}
	if (e->type == FAMFS_ENTRY_FILE) {
		ye_ku64(y, "size", e->meta.size);
		ye_stripe(y, e->n_extents, e->chunk_size);
		ye_str(y, "extents");
		ye_seq(y, true);
		for (i = 0; i < e->n_extents; i++) {
			famfs_entry_extent(e, i, &x);
			ye_extent(y, x.dev_index, x.offset, x.len);
		}
		ye_seq(y, false);
	}
	ye_doc(y, false, true);
}

int famfs_yaml_log(FILE *out, const struct famfs_log *log,
		   struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	uint64_t off;
	struct ye y;
	int rc = 0;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	ye_open(&y, out);
	famfs_log_iter_init(&it, log);
	while (!rc && famfs_log_iter_more(&it)) {
		off = famfs_log_dev_off(log, it.off);
		rc = famfs_log_iter_next(&it, e, err);
		if (!rc)
			ye_entry(&y, e, off);
	}
	if (!rc)
		rc = famfs_log_iter_finish(&it, err);
	free(e);
	if (ye_close(&y) && !rc)
		rc = famfs_error_set(err, -EIO, "cannot write the YAML output");
	return rc;
}

static void ye_superblock(struct ye *y, const struct famfs_fsck_report *r)
{
	char ver[16];

	snprintf(ver, sizeof(ver), "%u.%u", r->sb.version_major,
		 r->sb.version_minor);
	ye_str(y, "superblock");
	ye_map(y, true);
	ye_kquoted(y, "version", ver);
	ye_uuid(y, "fs_uuid", r->sb.fs_uuid);
	ye_uuid(y, "master_uuid", r->sb.master_uuid);
	ye_ku64(y, "dev_size", r->sb.geo.dev_size);
	ye_ku64(y, "log_offset", r->sb.geo.log_offset);
	ye_ku64(y, "log_len", r->sb.geo.log_len);
	ye_ku64(y, "alloc_unit", r->sb.geo.alloc_unit);
	ye_ku64(y, "hosts_offset", r->sb.hosts_offset);
	ye_ku64(y, "hosts_count", r->sb.hosts_count);
	ye_ku64(y, "log_areas", r->sb.geo.log_areas);
	ye_ku64(y, "logrec_offset", r->sb.logrec_offset);
	ye_ku64(y, "members_offset", r->sb.members_offset);
	ye_ku64(y, "ndevices", r->sb.ndevices);
	ye_ku64(y, "stripe_count", r->sb.stripe_count);
	ye_ku64(y, "chunk_size", r->sb.chunk_size);
	ye_map(y, false);
}

/* Format 1.4: the member table's members, then those MEMBER entries add. */
static void ye_members(struct ye *y, const struct famfs_fsck_report *r)
{
	uint32_t i;

	ye_str(y, "members");
	ye_seq(y, true);
	for (i = 0; i < r->sb.geo.n_members; i++) {
		ye_map(y, true);
		ye_member_fields(y, &r->sb.members[i]);
		ye_kstr(y, "added", i < r->sb.ndevices ? "mkfs" : "log");
		ye_map(y, false);
	}
	ye_seq(y, false);
	ye_ku64(y, "members_found", r->members_found);
}

/* Format 1.3: each copy of the active-log record. */
static void ye_logrec(struct ye *y, const struct famfs_fsck_report *r)
{
	unsigned int i;

	ye_str(y, "log_record");
	ye_seq(y, true);
	for (i = 0; i < FAMFS_LOGREC_COPIES; i++) {
		ye_map(y, true);
		ye_ku64(y, "copy", i);
		if (r->logrec_valid & (1u << i)) {
			ye_kstr(y, "state", "valid");
			ye_ku64(y, "generation", r->logrec[i].generation);
			ye_ku64(y, "area", r->logrec[i].area);
		} else if (r->logrec_empty & (1u << i)) {
			ye_kstr(y, "state", "empty");
		} else {
			ye_kstr(y, "state", "invalid");
			ye_kstr(y, "error", famfs_strerror(r->logrec_err[i]));
		}
		ye_map(y, false);
	}
	ye_seq(y, false);
}

/* Format 1.3: what the area not in use holds, as far as it decodes. */
static void ye_inactive(struct ye *y, const struct famfs_fsck_report *r)
{
	const struct famfs_fsck_area *a = &r->inactive;

	ye_str(y, "inactive_area");
	ye_map(y, true);
	ye_ku64(y, "area", a->area);
	ye_kstr(y, "log", a->log ? "true" : "false");
	if (a->log)
		ye_ku64(y, "entries", a->entries);
	if (a->gen_known) {
		ye_ku64(y, "generation", a->generation);
		ye_ku64(y, "generation_area", a->gen_area);
	}
	ye_map(y, false);
}

static void ye_usage(struct ye *y, const struct famfs_fsck_report *r)
{
	ye_kstr(y, "role", !r->role_known ? "unknown" : famfs_role_name(r->role));
	ye_ku64(y, "files", r->files);
	ye_ku64(y, "directories", r->dirs);
	ye_ku64(y, "deleted_files", r->deleted_files);
	ye_str(y, "log");
	ye_map(y, true);
	if (r->sb.logrec_offset) {
		ye_ku64(y, "generation", r->gen.generation);
		ye_ku64(y, "area", r->gen.area);
	}
	ye_ku64(y, "entries", r->entries);
	ye_ku64(y, "used", r->log_used);
	ye_ku64(y, "free", r->log_free);
	ye_ku64(y, "free_entries", r->log_free_entries);
	ye_map(y, false);
	ye_str(y, "space");
	ye_map(y, true);
	ye_ku64(y, "used", r->space_used);
	ye_ku64(y, "awaiting_release", r->space_deleted);
	ye_ku64(y, "free", r->space_free);
	ye_ku64(y, "hosts_pinning", r->hosts_pinning);
	ye_map(y, false);
}

int famfs_yaml_fsck(FILE *out, const char *path,
		    const struct famfs_fsck_report *rep, char *const *problems,
		    size_t nproblems)
{
	struct ye y;
	size_t i;

	ye_open(&y, out);
	ye_doc(&y, true, false);
	ye_kpath(&y, "device", path);
	ye_ku64(&y, "device_size", rep->device_size);
	ye_kstr(&y, "result", rep->errors ? "errors" : "clean");
	ye_ku64(&y, "errors", rep->errors);
	ye_str(&y, "problems");
	ye_seq(&y, true);
	for (i = 0; i < nproblems; i++)
		ye_scalar(&y, problems[i], YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	ye_seq(&y, false);
	ye_ku64(&y, "notes", rep->notes);
	if (rep->log_valid) {
		ye_superblock(&y, rep);
		ye_members(&y, rep);
		if (rep->sb.logrec_offset) {
			ye_logrec(&y, rep);
			ye_inactive(&y, rep);
		}
		ye_usage(&y, rep);
	}
	ye_doc(&y, false, false);
	return ye_close(&y);
}
