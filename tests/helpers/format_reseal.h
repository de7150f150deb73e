/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Format fixtures with no test framework behind them, shared by the format
 * test suites and the fuzz targets: a geometry, and CRCs recomputed over
 * bytes altered on purpose.
 */
#ifndef FAMFS_FORMAT_RESEAL_H
#define FAMFS_FORMAT_RESEAL_H

#include <endian.h>
#include <string.h>

#include "famfs/format.h"

/* A valid geometry for a device of dev_size bytes with the default log. */
static inline struct famfs_geometry test_geometry_of(uint64_t dev_size)
{
	struct famfs_geometry geo = {
		.log_offset = FAMFS_LOG_OFFSET,
		.log_len = FAMFS_LOG_LEN_DEFAULT,
		.log_areas = FAMFS_LOG_AREAS,
		.alloc_unit = FAMFS_ALLOC_UNIT,
	};

	famfs_geo_set_dev_size(&geo, dev_size);
	return geo;
}

/* Recompute an entry's CRC over the length its header gives. */
static inline void test_entry_reseal(void *entry)
{
	uint8_t *p = entry;
	__le32 len, crc;

	memcpy(&len, p + 4, sizeof(len));
	crc = htole32(famfs_crc32c(0, p + 4, le32toh(len) - 4));
	memcpy(p, &crc, sizeof(crc));
}

/* Recompute the trailing CRC of a superblock or log header. */
static inline void test_fixed_reseal(void *raw, size_t size)
{
	__le32 crc = htole32(famfs_crc32c(0, raw, size - 4));

	memcpy((uint8_t *)raw + size - 4, &crc, sizeof(crc));
}

/*
 * Make an encoded superblock format 1.minor, resealed: before 1.4, with no
 * member table and no default stripe; before 1.3, with one log area and no
 * active-log record; before 1.2, without a host table. (A
 * log that mkfs wrote keeps its GENERATION and HOST_TABLE entries:
 * ft_make_older rewrites a whole image.)
 */
static inline void test_sb_set_minor(struct famfs_superblock *sb,
				     uint16_t minor)
{
	sb->version_minor = htole16(minor);
	if (minor < FAMFS_VERSION_MINOR_MEMBERS) {
		sb->members_offset = 0;
		sb->stripe_count = 0;
		sb->chunk_size = 0;
	}
	if (minor < FAMFS_VERSION_MINOR_COMPACT) {
		sb->log_areas = 0;
		sb->reserved0 = 0;
		sb->logrec_offset = 0;
	}
	if (minor < FAMFS_VERSION_MINOR_HOSTS) {
		sb->hosts_offset = 0;
		sb->hosts_count = 0;
		sb->host_slot_size = 0;
	}
	test_fixed_reseal(sb, sizeof(*sb));
}

#endif /* FAMFS_FORMAT_RESEAL_H */
