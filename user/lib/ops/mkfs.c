// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs: label the other members, zero the host table, write the log (its
 * HOST_TABLE entry, then its header), the member table and then a
 * superblock. The old superblock is zeroed first and the new one written
 * last, so that a crash part way never leaves a valid superblock in front
 * of a log, host table or member table that does not belong to it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <uuid/uuid.h>

#include "core/internal.h"

static int check_log_len(uint64_t log_len, struct famfs_error *err)
{
	if (log_len < FAMFS_LOG_LEN_MIN || log_len > FAMFS_LOG_LEN_MAX ||
	    (log_len & (log_len - 1)))
		return famfs_error_set(err, -EINVAL,
				       "log length %llu: must be a power of two from %llu MiB to %llu MiB",
				       (unsigned long long)log_len,
				       FAMFS_LOG_LEN_MIN / FAMFS_MIB,
				       FAMFS_LOG_LEN_MAX / FAMFS_MIB);
	return 0;
}

static void sb_zero(struct famfs_device *dev)
{
	memset(dev->base, 0, sizeof(struct famfs_superblock));
	famfs_device_flush(dev, 0, sizeof(struct famfs_superblock));
}

static int fill_sb(struct famfs_sb_info *sb, const struct famfs_device *dev,
		   uint64_t log_len, struct famfs_error *err)
{
	uint64_t need = FAMFS_SB_AREA + FAMFS_LOG_AREAS * log_len +
			FAMFS_ALLOC_UNIT;
	int rc;

	memset(sb, 0, sizeof(*sb));
	famfs_geo_set_dev_size(&sb->geo, dev->size - dev->size % FAMFS_ALLOC_UNIT);
	sb->geo.log_offset = FAMFS_LOG_OFFSET;
	sb->geo.log_len = log_len;
	sb->geo.log_areas = FAMFS_LOG_AREAS;
	sb->geo.alloc_unit = FAMFS_ALLOC_UNIT;
	if (sb->geo.dev_size < need)
		return famfs_error_set(err, -ENOSPC,
				       "%s: too small (%llu bytes): needs %llu MiB (superblock %llu MiB + two log areas of %llu MiB + one %llu MiB data unit)",
				       dev->path, (unsigned long long)dev->size,
				       (unsigned long long)(need / FAMFS_MIB),
				       FAMFS_SB_AREA / FAMFS_MIB,
				       (unsigned long long)(log_len / FAMFS_MIB),
				       FAMFS_ALLOC_UNIT / FAMFS_MIB);
	rc = famfs_system_uuid(sb->master_uuid, err);
	if (rc)
		return rc;
	uuid_generate(sb->fs_uuid);
	uuid_generate(sb->dev_uuid);
	sb->create_time = (uint64_t)time(NULL);
	sb->hosts_offset = FAMFS_HOSTS_OFFSET;
	sb->hosts_count = FAMFS_HOSTS_COUNT;
	sb->logrec_offset = FAMFS_LOGREC_OFFSET;
	sb->members_offset = FAMFS_MEMBERS_OFFSET;
	sb->ndevices = 1;
	memcpy(sb->members[0].uuid, sb->dev_uuid, sizeof(sb->dev_uuid));
	sb->members[0].size = sb->geo.dev_size;
	return 0;
}

/* Members 1 .. n after member 0 (fill_sb()): the other devices, new UUIDs. */
static void fill_members(struct famfs_sb_info *sb, struct famfs_device *members,
			 uint32_t n)
{
	struct famfs_member_info *m = sb->members;
	uint32_t i;

	for (i = 1; i <= n; i++) {
		uuid_generate(m[i].uuid);
		m[i].index = i;
		m[i].size = famfs_member_usable(&members[i - 1]);
		sb->geo.member_size[i] = m[i].size;
	}
	sb->ndevices = n + 1;
	sb->geo.n_members = n + 1;
}

static int write_labels(struct famfs_device *members, uint32_t n,
			const struct famfs_sb_info *sb, struct famfs_error *err)
{
	uint32_t i;
	int rc = 0;

	for (i = 0; !rc && i < n; i++)
		rc = famfs_label_write(&members[i], sb->fs_uuid,
				       &sb->members[i + 1], err);
	return rc;
}

/* Every slot free: a slot of an earlier file system must not pin this one. */
static void hosts_zero(struct famfs_device *dev, const struct famfs_sb_info *sb)
{
	uint64_t len = (uint64_t)sb->hosts_count * FAMFS_HOST_SLOT_SIZE;

	memset(dev->base + sb->hosts_offset, 0, len);
	famfs_device_flush(dev, sb->hosts_offset, len);
}

/*
 * Area 0 holds generation 0: GENERATION, then HOST_TABLE, so that readers
 * of format 1.2 and older stop at a type they do not know (they would read
 * a compacted log in the wrong area, or keep no slot in the table). Area 1
 * gets no header: what an earlier file system left there is no log. Then
 * the active-log record names area 0; its other copy is cleared, since an
 * earlier file system's could name a higher generation. Each write is
 * flushed before the next.
 */
static int write_log(struct famfs_device *dev, const struct famfs_sb_info *sb,
		     struct famfs_error *err)
{
	const struct famfs_log_gen g0 = { 0 };
	uint8_t *log = dev->base + sb->geo.log_offset;
	uint64_t area1 = sb->geo.log_offset + sb->geo.log_len;
	struct famfs_log_info hdr;
	uint64_t rec = sb->logrec_offset;
	size_t rec_len = FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE;
	int rc;

	memset(dev->base + area1, 0, sizeof(struct famfs_log_header));
	famfs_device_flush(dev, area1, sizeof(struct famfs_log_header));
	rc = famfs_log_area_seed(log, sb, &g0, famfs_log_area_seeds(sb), &hdr);
	if (!rc) {
		famfs_device_flush(dev, sb->geo.log_offset + FAMFS_LOG_ENTRIES_OFF,
				   hdr.next_off - FAMFS_LOG_ENTRIES_OFF);
		rc = famfs_log_header_encode(&hdr, log);
	}
	if (rc)
		return famfs_error_set(err, rc, "%s: log: %s", dev->path,
				       famfs_strerror(rc));
	famfs_device_flush(dev, sb->geo.log_offset,
			   sizeof(struct famfs_log_header));
	memset(dev->base + rec, 0, rec_len);
	famfs_logrec_encode(&g0, dev->base + famfs_logrec_off(sb, 0));
	famfs_device_flush(dev, rec, rec_len);
	return 0;
}

/* The member table (format 1.4), read by every mount before the log. */
static int write_members(struct famfs_device *dev,
			 const struct famfs_sb_info *sb, struct famfs_error *err)
{
	int rc = famfs_members_encode(sb, dev->base, FAMFS_SB_AREA);

	if (rc)
		return famfs_error_set(err, rc, "%s: member table: %s",
				       dev->path, famfs_strerror(rc));
	famfs_device_flush(dev, sb->members_offset,
			   FAMFS_MAX_DEVICES * FAMFS_MEMBER_SLOT_SIZE);
	return 0;
}

/*
 * Host table, member table and log first, superblock last, each flushed
 * before the next.
 */
static int write_fs(struct famfs_device *dev, const struct famfs_sb_info *sb,
		    struct famfs_error *err)
{
	int rc;

	sb_zero(dev);
	hosts_zero(dev, sb);
	rc = write_members(dev, sb, err);
	if (!rc)
		rc = write_log(dev, sb, err);
	if (rc)
		return rc;
	rc = famfs_sb_encode(sb, dev->base);
	if (rc)
		return famfs_error_set(err, rc, "%s: superblock: %s", dev->path,
				       famfs_strerror(rc));
	famfs_device_flush(dev, 0, sizeof(struct famfs_superblock));
	return 0;
}

/* The default stripe of new files (docs/devices.md): none, or 2 .. 64 strips. */
static int default_stripe(const struct famfs_mkfs_opts *opts,
			  struct famfs_sb_info *sb, struct famfs_error *err)
{
	struct famfs_stripe s = {
		.nstrips = opts->stripe_count,
		.chunk = opts->chunk_size ? opts->chunk_size : FAMFS_ALLOC_UNIT,
	};
	int rc;

	if (opts->stripe_count <= 1 && opts->chunk_size)
		return famfs_error_set(err, -EINVAL,
				       "a chunk size needs a stripe of 2 or more strips");
	if (opts->stripe_count <= 1)
		return 0;
	rc = famfs_stripe_valid(&s, FAMFS_ALLOC_UNIT, err);
	if (rc)
		return rc;
	sb->stripe_count = s.nstrips;
	sb->chunk_size = s.chunk;
	return 0;
}

static int mkfs_device(struct famfs_device *dev, struct famfs_device *members,
		       const struct famfs_mkfs_opts *opts, uint64_t log_len,
		       struct famfs_sb_info *out, struct famfs_error *err)
{
	int rc;

	rc = famfs_dev_check_unused(dev, opts->force, err);
	if (rc)
		return rc;
	if (opts->kill) {
		sb_zero(dev);
		memset(out, 0, sizeof(*out));
		return 0;
	}
	rc = fill_sb(out, dev, log_len, err);
	if (!rc)
		rc = default_stripe(opts, out, err);
	if (rc)
		return rc;
	fill_members(out, members, opts->nmembers);
	rc = write_labels(members, opts->nmembers, out, err);
	if (!rc)
		rc = write_fs(dev, out, err);
	if (!rc)
		rc = famfs_sb_decode(dev->base, dev->size, out);
	if (!rc)
		rc = famfs_members_decode(dev->base, dev->size, out);
	return rc;
}

/* Every device once: the same node under two names is one device. */
static int check_named_once(const char *path, const struct famfs_mkfs_opts *o,
			    struct famfs_error *err)
{
	const char *a, *b;
	uint32_t i, j;

	if (o->nmembers >= FAMFS_MAX_DEVICES)
		return famfs_error_set(err, -EINVAL,
				       "%u devices: a famfs has at most %u",
				       o->nmembers + 1, FAMFS_MAX_DEVICES);
	if (o->kill && o->nmembers)
		return famfs_error_set(err, -EINVAL, "-k takes one device");
	for (i = 0; i <= o->nmembers; i++) {
		a = i ? o->members[i - 1] : path;
		for (j = i + 1; j <= o->nmembers; j++) {
			b = o->members[j - 1];
			if (!strcmp(a, b) || famfs_same_file(a, b))
				return famfs_error_set(err, -EINVAL,
						       "%s and %s: the same device named twice",
						       a, b);
		}
	}
	return 0;
}

static void close_members(struct famfs_device *members, uint32_t n)
{
	while (n--)
		famfs_device_close(&members[n]);
}

static int open_members(struct famfs_device *members,
			const struct famfs_mkfs_opts *o,
			struct famfs_error *err)
{
	uint32_t i;
	int rc;

	for (i = 0; i < o->nmembers; i++) {
		rc = famfs_member_dev_open(&members[i], o->members[i], o->force,
					   o->mountinfo, err);
		if (rc) {
			close_members(members, i);
			return rc;
		}
	}
	return 0;
}

int famfs_mkfs(const char *path, const struct famfs_mkfs_opts *opts,
	       struct famfs_sb_info *out, struct famfs_error *err)
{
	uint64_t log_len = opts->log_len ? opts->log_len : FAMFS_LOG_LEN_DEFAULT;
	struct famfs_device dev, members[FAMFS_MAX_DEVICES];
	struct stat st;
	int rc;

	if (opts->kill && !opts->force)
		return famfs_error_set(err, -EINVAL, "-k needs -f");
	rc = check_log_len(log_len, err);
	if (!rc)
		rc = check_named_once(path, opts, err);
	if (rc)
		return rc;
	/*
	 * Mounted first: a kernel that holds a /dev/dax device refuses to map
	 * it, which would hide the reason. A path that does not exist is left
	 * to famfs_device_open to report.
	 */
	if (!stat(path, &st)) {
		rc = famfs_dev_check_not_mounted(path, opts->mountinfo, err);
		if (rc)
			return rc;
	}
	rc = famfs_device_open(&dev, path, FAMFS_DEV_RDWR, err);
	if (rc)
		return rc;
	rc = open_members(members, opts, err);
	if (!rc) {
		rc = mkfs_device(&dev, members, opts, log_len, out, err);
		close_members(members, opts->nmembers);
	}
	famfs_device_close(&dev);
	return rc;
}
