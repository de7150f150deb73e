// SPDX-License-Identifier: GPL-2.0
/*
 * The metadata log: open (superblock + header), iterate (validating every
 * entry) and append (master only, one writer at a time).
 *
 * Publication order: an entry is written and flushed, then the header is
 * advanced and flushed. A reader trusts only what lies below the header's
 * next_off, so a crash between the two leaves the entry invisible. The
 * writer keeps its own cursor, so appending N entries costs O(N): each entry
 * is flushed once and the header once per commit.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "internal.h"

void famfs_log_flush(const struct famfs_log *log, const void *p, size_t len)
{
	if (log->dev)
		famfs_device_flush(log->dev, (const uint8_t *)p - log->dev->base,
				   len);
	else
		famfs_flush(p, len);
}

uint64_t famfs_log_dev_off(const struct famfs_log *log, uint64_t log_off)
{
	return log->sb.geo.log_offset +
	       (uint64_t)log->gen.area * log->sb.geo.log_len + log_off;
}

/*
 * Which area is the log: the active-log record's answer (format 1.3), read
 * again each time, since a compaction on the master may have switched.
 */
static int pick_area(struct famfs_log *log, struct famfs_error *err)
{
	const struct famfs_sb_info *sb = &log->sb;
	size_t len = FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE;
	const uint8_t *rec;
	int rc;

	if (!sb->logrec_offset)
		return 0;
	rec = log->sb_buf + sb->logrec_offset;
	famfs_invalidate(rec, len);
	rc = famfs_logrec_pick(rec, len, sb->geo.log_areas, &log->gen, NULL);
	if (rc)
		return famfs_error_set(err, rc,
				       "active-log record (device offset %#llx): no valid copy: %s",
				       (unsigned long long)sb->logrec_offset,
				       famfs_strerror(rc));
	log->log_buf = log->areas + (uint64_t)log->gen.area * sb->geo.log_len;
	return 0;
}

int famfs_log_refresh(struct famfs_log *log, struct famfs_error *err)
{
	int tries, rc = 0;

	rc = pick_area(log, err);
	if (rc)
		return rc;
	/* A second read, in case we caught the master rewriting the line. */
	for (tries = 0; tries < 2 && (!tries || rc); tries++) {
		famfs_invalidate(log->log_buf, sizeof(struct famfs_log_header));
		rc = famfs_log_header_decode(log->log_buf, log->sb.geo.log_len,
					     &log->sb.geo, &log->hdr);
	}
	if (rc)
		return famfs_error_set(err, rc,
				       "log header (device offset %#llx): %s",
				       (unsigned long long)famfs_log_dev_off(log, 0),
				       famfs_strerror(rc));
	log->cur = log->hdr;
	return famfs_log_members_scan(log, err);
}

int famfs_log_open_mem(struct famfs_log *log, void *sb_buf, size_t sb_len,
		       void *log_buf, size_t log_len, bool writable,
		       struct famfs_error *err)
{
	uint64_t need;
	int rc;

	memset(log, 0, sizeof(*log));
	log->lock_fd = -1;
	log->sb_buf = sb_buf;
	log->sb_len = sb_len;
	log->areas = log_buf;
	log->log_buf = log_buf;
	log->writable = writable;
	famfs_invalidate(sb_buf, sizeof(struct famfs_superblock));
	rc = famfs_sb_decode(sb_buf, sb_len, &log->sb);
	if (rc)
		return famfs_error_set(err, rc,
				       "superblock (device offset 0): %s",
				       famfs_strerror(rc));
	rc = famfs_members_decode(sb_buf, sb_len, &log->sb);
	if (rc)
		return famfs_error_set(err, rc,
				       "member table (device offset %#llx): %s",
				       (unsigned long long)log->sb.members_offset,
				       famfs_strerror(rc));
	need = log->sb.geo.log_len * log->sb.geo.log_areas;
	if (log_len < need)
		return famfs_error_set(err, FAMFS_E_GEOMETRY,
				       "log areas hold %zu bytes, the superblock says %llu",
				       log_len, (unsigned long long)need);
	if (log->sb.logrec_offset &&
	    sb_len < log->sb.logrec_offset + FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE)
		return famfs_error_set(err, FAMFS_E_SHORT,
				       "the superblock area mapped (%zu bytes) ends before the active-log record",
				       sb_len);
	return famfs_log_refresh(log, err);
}

int famfs_log_hosts(const struct famfs_log *log, struct famfs_hosts *t)
{
	int rc = famfs_hosts_init(t, log->sb_buf, log->sb_len, &log->sb);

	t->generation = log->gen.generation;
	return rc;
}

int famfs_log_open(struct famfs_log *log, const struct famfs_device *dev,
		   struct famfs_error *err)
{
	uint64_t dev_size;
	int rc;

	if (dev->size <= FAMFS_LOG_OFFSET)
		return famfs_error_set(err, FAMFS_E_SHORT,
				       "%s: too small to hold a famfs (%llu bytes)",
				       dev->path, (unsigned long long)dev->size);
	rc = famfs_log_open_mem(log, dev->base, dev->size,
				dev->base + FAMFS_LOG_OFFSET,
				dev->size - FAMFS_LOG_OFFSET, dev->writable, err);
	if (rc) {
		famfs_error_prefix(err, dev->path);
		return rc;
	}
	log->dev = dev;
	dev_size = log->sb.geo.dev_size;
	if (dev_size > dev->size)
		return famfs_error_set(err, FAMFS_E_GEOMETRY,
				       "%s: superblock says the device holds %llu bytes, it holds %llu",
				       dev->path, (unsigned long long)dev_size,
				       (unsigned long long)dev->size);
	return 0;
}

void famfs_log_iter_init(struct famfs_log_iter *it, const struct famfs_log *log)
{
	it->log = log;
	it->geo = log->sb.geo;
	famfs_log_iter_seek(it, FAMFS_LOG_ENTRIES_OFF, 0);
}

void famfs_log_iter_seek(struct famfs_log_iter *it, uint64_t off, uint64_t seq)
{
	const struct famfs_log *log = it->log;
	uint32_t n = log->sb.ndevices;

	while (n < log->sb.geo.n_members && log->member_seq[n] < seq)
		n++;
	it->geo.n_members = n;
	it->off = off;
	it->seq = seq;
}

bool famfs_log_iter_more(const struct famfs_log_iter *it)
{
	return it->off < it->log->hdr.next_off;
}

/* Bytes the entry at p claims, bounded by what is there: what to re-read. */
static size_t entry_span(const uint8_t *p, size_t avail)
{
	struct famfs_entry_header h;
	size_t len = FAMFS_ENTRY_LEN_MIN;

	if (avail >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (le32toh(h.len) > len)
			len = le32toh(h.len);
	}
	return len < avail ? len : avail;
}

/*
 * An entry type this code does not know (every type up to GENERATION, of
 * format 1.3, it does): a newer famfs wrote it, or the entry is damaged in
 * a way its CRC did not catch. Say which, so that the fix (update famfs)
 * is in the message.
 */
static int unknown_type(const struct famfs_log *log, uint64_t seq,
			uint16_t type, struct famfs_error *err)
{
	const struct famfs_sb_info *sb = &log->sb;

	if (sb->version_minor > FAMFS_VERSION_MINOR)
		return famfs_error_set(err, FAMFS_E_TYPE,
				       "log entry seq %llu has type %u, which this famfs (format %u.%u) does not know; the file system is format %u.%u: update famfs",
				       (unsigned long long)seq, type,
				       FAMFS_VERSION_MAJOR, FAMFS_VERSION_MINOR,
				       sb->version_major, sb->version_minor);
	if (sb->version_minor < FAMFS_VERSION_MINOR)
		return famfs_error_set(err, FAMFS_E_TYPE,
				       "log entry seq %llu has type %u, which neither the file system's format %u.%u nor this famfs's %u.%u defines: the entry is damaged",
				       (unsigned long long)seq, type,
				       sb->version_major, sb->version_minor,
				       FAMFS_VERSION_MAJOR, FAMFS_VERSION_MINOR);
	return famfs_error_set(err, FAMFS_E_TYPE,
			       "log entry seq %llu has type %u, which format %u.%u (this famfs and the file system) does not define: the entry is damaged",
			       (unsigned long long)seq, type,
			       sb->version_major, sb->version_minor);
}

int famfs_log_iter_next(struct famfs_log_iter *it, struct famfs_entry *e,
			struct famfs_error *err)
{
	const struct famfs_log *log = it->log;
	const uint8_t *p = log->log_buf + it->off;
	size_t avail = log->hdr.next_off - it->off;
	int rc;

	rc = famfs_entry_decode(p, avail, it->seq, &it->geo, e);
	if (rc) {
		/* Perhaps a stale cache line of an entry another host wrote. */
		famfs_invalidate(p, entry_span(p, avail));
		rc = famfs_entry_decode(p, avail, it->seq, &it->geo, e);
	}
	if (rc == FAMFS_E_TYPE)
		return unknown_type(log, it->seq, e->type, err);
	if (rc)
		return famfs_error_set(err, rc,
				       "log entry seq %llu at log offset %#llx (device offset %#llx): %s",
				       (unsigned long long)it->seq,
				       (unsigned long long)it->off,
				       (unsigned long long)famfs_log_dev_off(log, it->off),
				       famfs_strerror(rc));
	if (e->type == FAMFS_ENTRY_MEMBER) {
		rc = famfs_iter_add_member(it, e, err);
		if (rc)
			return rc;
	}
	it->off += e->len;
	it->seq++;
	return 0;
}

int famfs_log_iter_finish(const struct famfs_log_iter *it,
			  struct famfs_error *err)
{
	const struct famfs_log_info *hdr = &it->log->hdr;

	if (it->seq == hdr->next_seq)
		return 0;
	return famfs_error_set(err, FAMFS_E_SEQ,
			       "log header (device offset %#llx): next_seq %llu but the log holds %llu entries below next_off %#llx",
			       (unsigned long long)famfs_log_dev_off(it->log, 0),
			       (unsigned long long)hdr->next_seq,
			       (unsigned long long)it->seq,
			       (unsigned long long)hdr->next_off);
}

static int check_master(const struct famfs_log *log, struct famfs_error *err)
{
	char master[40], fs[40];
	enum famfs_role role;
	int rc;

	rc = famfs_role(&log->sb, &role, err);
	if (rc || role == FAMFS_ROLE_MASTER)
		return rc;
	uuid_unparse_lower(log->sb.master_uuid, master);
	uuid_unparse_lower(log->sb.fs_uuid, fs);
	return famfs_error_set(err, -EPERM,
			       "this host is not the master of file system %s (master %s; this host's UUID is in %s)",
			       fs, master, famfs_system_uuid_path());
}

/*
 * A newer minor version may add invariants this code does not know and would
 * not keep, so it reads such a file system but does not append to its log.
 */
static int check_version(const struct famfs_log *log, struct famfs_error *err)
{
	if (log->sb.version_minor <= FAMFS_VERSION_MINOR)
		return 0;
	return famfs_error_set(err, FAMFS_E_VERSION,
			       "superblock (device offset 0): format version %u.%u is newer than this famfs (%u.%u), which can read the file system but not append to its log",
			       log->sb.version_major, log->sb.version_minor,
			       FAMFS_VERSION_MAJOR, FAMFS_VERSION_MINOR);
}

/*
 * The lock is keyed by the file system's UUID, not by the path used to reach
 * it, so that every way of writing the same log on this host (the device
 * node, an image, a mounted file system's .meta/.log) takes the same lock.
 * /run is local to the host, which is all that is needed: only the master
 * appends.
 */
static int lock_log(struct famfs_log *log, struct famfs_error *err)
{
	int fd = famfs_run_lock(log->sb.fs_uuid, "lock", err);

	if (fd < 0)
		return fd;
	log->lock_fd = fd;
	return 0;
}

int famfs_log_append_begin(struct famfs_log *log, struct famfs_error *err)
{
	int rc;

	if (!log->writable)
		return famfs_error_set(err, -EROFS, "the log is mapped read-only");
	if (log->lock_fd >= 0)
		return famfs_error_set(err, -EBUSY, "an append is already in progress");
	rc = check_master(log, err);
	if (!rc)
		rc = check_version(log, err);
	if (!rc)
		rc = lock_log(log, err);
	/* Another process may have appended since we read the header. */
	if (!rc)
		rc = famfs_log_refresh(log, err);
	if (rc)
		famfs_log_append_end(log);
	return rc;
}

/*
 * Account for an encoded entry of len bytes, or explain why it failed,
 * naming the entry's path (NULL for an entry that logs none).
 */
static int entry_added(struct famfs_log *log, int rc, const char *path,
		       size_t need, size_t len, struct famfs_error *err)
{
	uint8_t *dst = log->log_buf + log->cur.next_off;
	char shown[FAMFS_PATH_SHOWN] = "the entry";

	if (rc && path)
		famfs_path_show(shown, sizeof(shown), path);
	if (rc == FAMFS_E_LOG_FULL)
		return famfs_error_set(err, rc,
				       "log full: an entry of %zu bytes does not fit in the %llu free bytes%s%s%s",
				       need,
				       (unsigned long long)(log->sb.geo.log_len -
							    log->cur.next_off),
				       path ? " (path " : "", path ? shown : "",
				       path ? ")" : "");
	if (rc)
		return famfs_error_set(err, rc, "%s: %s", shown,
				       famfs_strerror(rc));
	famfs_log_flush(log, dst, len);
	log->cur.next_off += len;
	log->cur.next_seq++;
	return 0;
}

static int writer_check(const struct famfs_log *log, struct famfs_error *err)
{
	if (log->lock_fd < 0)
		return famfs_error_set(err, -EINVAL, "the log is not open for appending");
	return 0;
}

int famfs_log_add_file(struct famfs_log *log, const char *path,
		       const struct famfs_meta *meta,
		       const struct famfs_extent_info *ext, uint32_t n,
		       struct famfs_error *err)
{
	return famfs_log_add_file_map(log, path, meta, 0, ext, n, err);
}

int famfs_log_add_mkdir(struct famfs_log *log, const char *path,
			const struct famfs_meta *meta, struct famfs_error *err)
{
	size_t avail = log->sb.geo.log_len - log->cur.next_off;
	size_t len = 0;
	int rc;

	rc = writer_check(log, err);
	if (rc)
		return rc;
	rc = famfs_mkdir_entry_encode(log->log_buf + log->cur.next_off, avail,
				      log->cur.next_seq, path, meta, &len);
	return entry_added(log, rc, path,
			   famfs_mkdir_entry_size(strlen(path)), len, err);
}

/*
 * An older reader stops at an entry type that a newer format added, so
 * such entries go only into a log that every host already reads as that
 * format: mkfs wrote it so (has). Rewriting the superblock in place would
 * not tell hosts still running older tools, which would then stop playing
 * (see docs/format.md). lacks names what the file system has not, since
 * format 1.minor; so what it still allows.
 */
static int check_format(const struct famfs_log *log, bool has,
			const char *lacks, unsigned int minor, const char *so,
			struct famfs_error *err)
{
	if (has)
		return 0;
	return famfs_error_set(err, FAMFS_E_VERSION,
			       "the file system is format %u.%u, which has no %s (format %u.%u and later): %s",
			       log->sb.version_major, log->sb.version_minor,
			       lacks, FAMFS_VERSION_MAJOR, minor, so);
}

/* DELETE and RENAME: 1.0 readers stop at them. */
static int check_delete_version(const struct famfs_log *log,
				struct famfs_error *err)
{
	return check_format(log,
			    log->sb.version_minor >= FAMFS_VERSION_MINOR_DELETE,
			    "delete or rename", FAMFS_VERSION_MINOR_DELETE,
			    "its files can only be added to", err);
}

/* Striped files: 1.3 readers would take their strips for extents. */
static int check_stripe_version(const struct famfs_log *log,
				struct famfs_error *err)
{
	return check_format(log,
			    log->sb.version_minor >= FAMFS_VERSION_MINOR_MEMBERS,
			    "striped files", FAMFS_VERSION_MINOR_MEMBERS,
			    "its files are not striped", err);
}

static int file_entry_encode(struct famfs_log *log, const char *path,
			     const struct famfs_meta *meta, uint64_t chunk,
			     const struct famfs_extent_info *ext, uint32_t n,
			     size_t *len)
{
	uint8_t *at = log->log_buf + log->cur.next_off;
	size_t avail = log->sb.geo.log_len - log->cur.next_off;

	if (chunk)
		return famfs_striped_file_entry_encode(at, avail,
						       log->cur.next_seq,
						       &log->sb.geo, path, meta,
						       chunk, ext, n, len);
	return famfs_file_entry_encode(at, avail, log->cur.next_seq,
				       &log->sb.geo, path, meta, ext, n, len);
}

size_t famfs_file_map_entry_size(size_t path_len, uint32_t n, uint64_t chunk)
{
	if (chunk)
		return famfs_striped_file_entry_size(path_len, n);
	return famfs_file_entry_size(path_len, n);
}

int famfs_log_add_file_map(struct famfs_log *log, const char *path,
			   const struct famfs_meta *meta, uint64_t chunk,
			   const struct famfs_extent_info *ext, uint32_t n,
			   struct famfs_error *err)
{
	size_t len = 0;
	int rc;

	rc = writer_check(log, err);
	if (!rc && chunk)
		rc = check_stripe_version(log, err);
	if (rc)
		return rc;
	rc = file_entry_encode(log, path, meta, chunk, ext, n, &len);
	return entry_added(log, rc, path,
			   famfs_file_map_entry_size(strlen(path), n, chunk),
			   len, err);
}

/* A DELETE (dst NULL) or RENAME entry at the cursor. */
static int add_nameop(struct famfs_log *log, const char *src, const char *dst,
		      struct famfs_error *err)
{
	size_t avail = log->sb.geo.log_len - log->cur.next_off;
	uint8_t *at = log->log_buf + log->cur.next_off;
	size_t len = 0, need;
	int rc;

	rc = writer_check(log, err);
	if (!rc)
		rc = check_delete_version(log, err);
	if (rc)
		return rc;
	if (dst) {
		rc = famfs_rename_entry_encode(at, avail, log->cur.next_seq, src,
					       dst, &len);
		need = famfs_rename_entry_size(strlen(src), strlen(dst));
	} else {
		rc = famfs_delete_entry_encode(at, avail, log->cur.next_seq, src,
					       &len);
		need = famfs_delete_entry_size(strlen(src));
	}
	/* A message names the path that is wrong, else the source. */
	if (rc && rc != FAMFS_E_LOG_FULL && !famfs_path_check(src, strlen(src)))
		src = dst;
	return entry_added(log, rc, src, need, len, err);
}

int famfs_log_add_delete(struct famfs_log *log, const char *path,
			 struct famfs_error *err)
{
	return add_nameop(log, path, NULL, err);
}

int famfs_log_add_rename(struct famfs_log *log, const char *src,
			 const char *dst, struct famfs_error *err)
{
	return add_nameop(log, src, dst, err);
}

/*
 * EVICT: only with a host table, whose HOST_TABLE entry at seq 0 stops
 * every reader older than 1.2 before it could meet one.
 */
int famfs_log_add_evict(struct famfs_log *log, const uint8_t uuid[16],
			uint64_t nonce, struct famfs_error *err)
{
	size_t avail = log->sb.geo.log_len - log->cur.next_off;
	size_t len = 0;
	int rc;

	rc = writer_check(log, err);
	if (!rc)
		rc = check_format(log, log->sb.hosts_offset != 0, "host table",
				  FAMFS_VERSION_MINOR_HOSTS,
				  "no host holds a slot to evict", err);
	if (rc)
		return rc;
	rc = famfs_evict_entry_encode(log->log_buf + log->cur.next_off, avail,
				      log->cur.next_seq, uuid, nonce, &len);
	return entry_added(log, rc, NULL, famfs_evict_entry_size(), len, err);
}

/*
 * MEMBER: only in a log of format 1.4, whose readers all know it. The
 * next index is the published log's count, so one append session adds
 * one member.
 */
int famfs_log_member_room(const struct famfs_log *log, struct famfs_error *err)
{
	int rc = check_format(log,
			      log->sb.version_minor >= FAMFS_VERSION_MINOR_MEMBERS,
			      "members", FAMFS_VERSION_MINOR_MEMBERS,
			      "it holds one device", err);

	if (rc || log->sb.geo.n_members < FAMFS_MAX_DEVICES)
		return rc;
	return famfs_error_set(err, -ENOSPC,
			       "the file system has %u members, the most it can hold",
			       log->sb.geo.n_members);
}

int famfs_log_add_member(struct famfs_log *log,
			 const struct famfs_member_info *m,
			 struct famfs_error *err)
{
	size_t avail = log->sb.geo.log_len - log->cur.next_off;
	char why[256];
	size_t len = 0;
	int rc;

	rc = writer_check(log, err);
	if (!rc)
		rc = famfs_log_member_room(log, err);
	if (rc)
		return rc;
	rc = famfs_member_check_new(log, log->sb.geo.n_members, m, why,
				    sizeof(why));
	if (rc)
		return famfs_error_set(err, rc, "%s", why);
	rc = famfs_member_entry_encode(log->log_buf + log->cur.next_off, avail,
				       log->cur.next_seq, m, &len);
	return entry_added(log, rc, NULL, famfs_member_entry_size(), len, err);
}

int famfs_log_commit(struct famfs_log *log, struct famfs_error *err)
{
	int rc;

	rc = writer_check(log, err);
	if (rc || log->cur.next_off == log->hdr.next_off)
		return rc;
	rc = famfs_log_header_encode(&log->cur, log->log_buf);
	if (rc)
		return famfs_error_set(err, rc, "log header: %s",
				       famfs_strerror(rc));
	famfs_log_flush(log, log->log_buf, sizeof(struct famfs_log_header));
	log->hdr = log->cur;
	return 0;
}

void famfs_log_abort(struct famfs_log *log)
{
	log->cur = log->hdr;
}

void famfs_log_append_end(struct famfs_log *log)
{
	famfs_log_abort(log);
	if (log->lock_fd >= 0)
		close(log->lock_fd);
	log->lock_fd = -1;
}
