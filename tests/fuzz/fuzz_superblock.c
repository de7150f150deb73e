// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_sb_decode on any bytes. Flags: bit 0 recomputes the CRC. Whatever
 * decodes has a valid geometry of one member and encodes back to the same
 * superblock; but one older than format 1.4, which has no member table
 * and so is not one this code writes.
 */
#include "fuzz.h"

#define SB_LEN		sizeof(struct famfs_superblock)

static int sb_same(const struct famfs_sb_info *a, const struct famfs_sb_info *b)
{
	return a->version_major == b->version_major && a->flags == b->flags &&
	       !memcmp(a->fs_uuid, b->fs_uuid, sizeof(a->fs_uuid)) &&
	       !memcmp(a->dev_uuid, b->dev_uuid, sizeof(a->dev_uuid)) &&
	       !memcmp(a->master_uuid, b->master_uuid, sizeof(a->master_uuid)) &&
	       a->create_time == b->create_time &&
	       a->geo.dev_size == b->geo.dev_size &&
	       a->geo.log_offset == b->geo.log_offset &&
	       a->geo.log_len == b->geo.log_len &&
	       a->geo.alloc_unit == b->geo.alloc_unit &&
	       a->hosts_offset == b->hosts_offset &&
	       a->hosts_count == b->hosts_count &&
	       a->geo.log_areas == b->geo.log_areas &&
	       a->logrec_offset == b->logrec_offset &&
	       a->members_offset == b->members_offset &&
	       a->ndevices == b->ndevices &&
	       a->stripe_count == b->stripe_count &&
	       a->chunk_size == b->chunk_size &&
	       !memcmp(&a->members[0], &b->members[0], sizeof(a->members[0])) &&
	       a->geo.n_members == b->geo.n_members;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct famfs_sb_info info, again;
	uint8_t enc[SB_LEN], *buf;
	size_t len;

	if (!size)
		return 0;
	buf = fuzz_fixed(data, size, SB_LEN, &len);
	if (!famfs_sb_decode(buf, len, &info)) {
		fuzz_assert(!famfs_geometry_check(&info.geo));
		fuzz_assert(info.geo.n_members == 1);
		if (!info.members_offset) {
			fuzz_assert(famfs_sb_encode(&info, enc) == FAMFS_E_GEOMETRY);
			free(buf);
			return 0;
		}
		fuzz_assert(!famfs_sb_encode(&info, enc));
		fuzz_assert(!famfs_sb_decode(enc, sizeof(enc), &again));
		fuzz_assert(sb_same(&info, &again));
	}
	free(buf);
	return 0;
}
