// SPDX-License-Identifier: GPL-2.0
/*
 * What a host table (format 1.2) asks of the log, which no one entry
 * shows: its HOST_TABLE entry is the log's first, so that every reader
 * older than 1.2 stops before anything else, and equal to the
 * superblock's; no other entry is one; an EVICT needs a table whose slot
 * it evicts. A file system without a table (1.0, 1.1) has neither entry.
 */
#include <stdio.h>

#include "internal.h"

static bool has_table(const struct famfs_sb_info *sb)
{
	return sb->hosts_offset != 0;
}

static int seq0_missing(const struct famfs_sb_info *sb, char *why, size_t len)
{
	snprintf(why, len, "the superblock has a host table (%u slots at %#llx), so seq 0 must be its HOST_TABLE entry",
		 sb->hosts_count, (unsigned long long)sb->hosts_offset);
	return FAMFS_E_HOST_TABLE;
}

static int host_table_check(const struct famfs_sb_info *sb,
			    const struct famfs_entry *e, char *why, size_t len)
{
	if (!has_table(sb))
		snprintf(why, len, "the superblock has no host table");
	else if (e->seq != 0)
		snprintf(why, len, "only the log's first entry (seq 0) may be one");
	else if (e->hosts_offset != sb->hosts_offset ||
		 e->hosts_count != sb->hosts_count)
		snprintf(why, len, "the superblock's table has %u slots at %#llx",
			 sb->hosts_count, (unsigned long long)sb->hosts_offset);
	else
		return 0;
	return FAMFS_E_HOST_TABLE;
}

int famfs_hostlog_check(const struct famfs_sb_info *sb,
			const struct famfs_entry *e, char *why, size_t len)
{
	if (e->type == FAMFS_ENTRY_HOST_TABLE)
		return host_table_check(sb, e, why, len);
	if (e->seq == 0 && has_table(sb))
		return seq0_missing(sb, why, len);
	if (e->type == FAMFS_ENTRY_EVICT && !has_table(sb)) {
		snprintf(why, len, "the superblock has no host table, so no slot to evict");
		return FAMFS_E_HOST_TABLE;
	}
	return 0;
}

int famfs_hostlog_finish(const struct famfs_sb_info *sb, uint64_t n,
			 char *why, size_t len)
{
	if (n || !has_table(sb))
		return 0;
	return seq0_missing(sb, why, len);
}
