// SPDX-License-Identifier: GPL-2.0
/*
 * Log areas (format 1.3): what a fresh area starts with, and the
 * active-log record that names the area in use. mkfs starts area 0;
 * compaction starts the other one and then switches the record.
 */
#include <string.h>

#include "internal.h"

int famfs_log_area_seed(uint8_t *area, const struct famfs_sb_info *sb,
			const struct famfs_log_gen *g, uint32_t restated,
			struct famfs_log_info *hdr)
{
	uint64_t room = sb->geo.log_len - FAMFS_LOG_ENTRIES_OFF;
	uint8_t *p = area + FAMFS_LOG_ENTRIES_OFF;
	size_t len = 0;
	int rc = 0;

	memset(hdr, 0, sizeof(*hdr));
	hdr->log_len = sb->geo.log_len;
	hdr->next_off = FAMFS_LOG_ENTRIES_OFF;
	if (sb->logrec_offset) {
		rc = famfs_generation_entry_encode(p, room, hdr->next_seq,
						   g->generation, g->area,
						   restated, &len);
		if (rc)
			return rc;
		p += len;
		room -= len;
		hdr->next_off += len;
		hdr->next_seq++;
	}
	if (sb->hosts_offset) {
		rc = famfs_host_table_entry_encode(p, room, hdr->next_seq,
						   sb->hosts_offset,
						   sb->hosts_count, &len);
		if (rc)
			return rc;
		hdr->next_off += len;
		hdr->next_seq++;
	}
	return 0;
}

uint32_t famfs_log_area_seeds(const struct famfs_sb_info *sb)
{
	return (sb->logrec_offset ? 1 : 0) + (sb->hosts_offset ? 1 : 0);
}

uint64_t famfs_logrec_off(const struct famfs_sb_info *sb, uint64_t generation)
{
	return sb->logrec_offset +
	       (generation % FAMFS_LOGREC_COPIES) * FAMFS_LOGREC_SIZE;
}
