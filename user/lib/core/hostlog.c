// SPDX-License-Identifier: GPL-2.0
/*
 * What the log's first entries must be, which no one entry shows. With
 * two log areas (format 1.3) seq 0 is GENERATION, naming the generation
 * and area the active-log record names; with a host table (1.2) the next
 * entry is HOST_TABLE, equal to the superblock's. Both make every older
 * reader stop before anything else. No other entry is one of them, and
 * an EVICT needs a table whose slot it evicts.
 */
#include <stdio.h>

#include "internal.h"

static bool has_table(const struct famfs_sb_info *sb)
{
	return sb->hosts_offset != 0;
}

static bool has_areas(const struct famfs_sb_info *sb)
{
	return sb->logrec_offset != 0;
}

/* The seq of the HOST_TABLE entry: after GENERATION, when there is one. */
static uint64_t table_seq(const struct famfs_sb_info *sb)
{
	return has_areas(sb) ? 1 : 0;
}

static int first_missing(const struct famfs_sb_info *sb, uint64_t seq,
			 char *why, size_t len)
{
	if (has_areas(sb) && seq == 0) {
		snprintf(why, len, "the superblock has %u log areas, so seq 0 must be a GENERATION entry",
			 sb->geo.log_areas);
		return FAMFS_E_GENERATION;
	}
	snprintf(why, len, "the superblock has a host table (%u slots at %#llx), so seq %llu must be its HOST_TABLE entry",
		 sb->hosts_count, (unsigned long long)sb->hosts_offset,
		 (unsigned long long)seq);
	return FAMFS_E_HOST_TABLE;
}

static int host_table_check(const struct famfs_sb_info *sb,
			    const struct famfs_entry *e, char *why, size_t len)
{
	if (!has_table(sb))
		snprintf(why, len, "the superblock has no host table");
	else if (e->seq != table_seq(sb))
		snprintf(why, len, "only seq %llu may be one",
			 (unsigned long long)table_seq(sb));
	else if (e->hosts_offset != sb->hosts_offset ||
		 e->hosts_count != sb->hosts_count)
		snprintf(why, len, "the superblock's table has %u slots at %#llx",
			 sb->hosts_count, (unsigned long long)sb->hosts_offset);
	else
		return 0;
	return FAMFS_E_HOST_TABLE;
}

static int generation_check(const struct famfs_log *log,
			    const struct famfs_entry *e, char *why, size_t len)
{
	if (!has_areas(&log->sb))
		snprintf(why, len, "the superblock has one log area");
	else if (e->seq != 0)
		snprintf(why, len, "only the log's first entry (seq 0) may be one");
	else if (e->generation != log->gen.generation ||
		 e->area != log->gen.area)
		snprintf(why, len, "it says generation %llu in area %u, the active-log record generation %llu in area %u",
			 (unsigned long long)e->generation, e->area,
			 (unsigned long long)log->gen.generation, log->gen.area);
	else if (e->restated > log->hdr.next_seq)
		snprintf(why, len, "it says the first %u entries restate the previous generation, but the log holds %llu",
			 e->restated, (unsigned long long)log->hdr.next_seq);
	else
		return 0;
	return FAMFS_E_GENERATION;
}

int famfs_hostlog_check(const struct famfs_log *log,
			const struct famfs_entry *e, char *why, size_t len)
{
	const struct famfs_sb_info *sb = &log->sb;

	if (e->type == FAMFS_ENTRY_GENERATION)
		return generation_check(log, e, why, len);
	/* Whatever else seq 0 is (a HOST_TABLE too), GENERATION is missing. */
	if (has_areas(sb) && e->seq == 0)
		return first_missing(sb, 0, why, len);
	if (e->type == FAMFS_ENTRY_HOST_TABLE)
		return host_table_check(sb, e, why, len);
	if (has_table(sb) && e->seq == table_seq(sb))
		return first_missing(sb, e->seq, why, len);
	if (e->type == FAMFS_ENTRY_EVICT && !has_table(sb)) {
		snprintf(why, len, "the superblock has no host table, so no slot to evict");
		return FAMFS_E_HOST_TABLE;
	}
	return 0;
}

int famfs_hostlog_finish(const struct famfs_log *log, uint64_t n,
			 char *why, size_t len)
{
	const struct famfs_sb_info *sb = &log->sb;
	uint64_t need = table_seq(sb) + (has_table(sb) ? 1 : 0);

	if (n >= need)
		return 0;
	return first_missing(sb, n, why, len);
}
