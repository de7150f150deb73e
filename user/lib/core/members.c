// SPDX-License-Identifier: GPL-2.0
/*
 * The members of an open log (format 1.4): the superblock's member table,
 * then one member per MEMBER entry, in log order. Every walk checks the
 * order as it goes (famfs_iter_add_member()); the log handle keeps the
 * members of the whole published log, so that a walk resumed in the
 * middle, the allocator and mount know them all.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "internal.h"

/* The member among the first n that carries uuid, or n. */
static uint32_t member_with_uuid(const struct famfs_log *log, uint32_t n,
				 const uint8_t uuid[16])
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!memcmp(log->sb.members[i].uuid, uuid, 16))
			break;
	return i;
}

int famfs_member_check_new(const struct famfs_log *log, uint32_t known,
			   const struct famfs_member_info *m, char *why,
			   size_t len)
{
	uint32_t same = member_with_uuid(log, known, m->uuid);
	char u[40];

	uuid_unparse_lower(m->uuid, u);
	if (m->index != known) {
		snprintf(why, len, "member %u (%s) is not the next: %u members precede it (%u in the member table), so a MEMBER entry must add index %u",
			 m->index, u, known, log->sb.ndevices, known);
		return FAMFS_E_MEMBER;
	}
	if (same < known) {
		snprintf(why, len, "member %u has the UUID %s of member %u",
			 m->index, u, same);
		return FAMFS_E_MEMBER;
	}
	return 0;
}

int famfs_iter_add_member(struct famfs_log_iter *it, const struct famfs_entry *e,
			  struct famfs_error *err)
{
	char why[256];
	int rc;

	rc = famfs_member_check_new(it->log, it->geo.n_members, &e->member,
				    why, sizeof(why));
	if (rc)
		return famfs_error_set(err, rc, "log entry seq %llu: %s",
				       (unsigned long long)e->seq, why);
	rc = famfs_geo_add_member(&it->geo, &e->member);
	if (rc)
		return famfs_error_set(err, rc,
				       "log entry seq %llu: member %u of %llu bytes: %s",
				       (unsigned long long)e->seq, e->member.index,
				       (unsigned long long)e->member.size,
				       famfs_strerror(rc));
	return 0;
}

/*
 * The last scan of this process: a handle opened again on the same file
 * system (the follower opens it at every poll) starts from there, so that
 * a poll reads what was published since, not the whole log.
 */
static struct famfs_log memo;
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;

/* Does the scan state of from hold for log: same file system, generation, no later end? */
static bool scan_holds(const struct famfs_log *from, const struct famfs_log *log)
{
	return from->scan_off && from->scan_gen == log->gen.generation &&
	       from->scan_off <= log->hdr.next_off &&
	       !memcmp(from->sb.fs_uuid, log->sb.fs_uuid, 16);
}

static void scan_state_copy(struct famfs_log *to, const struct famfs_log *from)
{
	memcpy(to->sb.fs_uuid, from->sb.fs_uuid, 16);
	memcpy(to->sb.members, from->sb.members, sizeof(to->sb.members));
	memcpy(to->member_seq, from->member_seq, sizeof(to->member_seq));
	memcpy(to->sb.geo.member_size, from->sb.geo.member_size,
	       sizeof(to->sb.geo.member_size));
	to->sb.geo.n_members = from->sb.geo.n_members;
	to->scan_gen = from->scan_gen;
	to->scan_off = from->scan_off;
	to->scan_seq = from->scan_seq;
}

/*
 * Go on where the last scan stopped (this handle's, else the process's)
 * if it read this generation's log, which only grows; else start again
 * from the table (a compaction switched).
 */
static void members_scan_start(struct famfs_log *log, struct famfs_log_iter *it)
{
	if (!scan_holds(log, log)) {
		pthread_mutex_lock(&memo_lock);
		if (scan_holds(&memo, log))
			scan_state_copy(log, &memo);
		pthread_mutex_unlock(&memo_lock);
	}
	famfs_log_iter_init(it, log);
	if (scan_holds(log, log))
		famfs_log_iter_seek(it, log->scan_off, log->scan_seq);
}

static void members_scan_keep(const struct famfs_log *log)
{
	pthread_mutex_lock(&memo_lock);
	scan_state_copy(&memo, log);
	pthread_mutex_unlock(&memo_lock);
}

int famfs_log_members_scan(struct famfs_log *log, struct famfs_error *err)
{
	struct famfs_log_iter it;
	struct famfs_entry *e;
	uint32_t i;

	if (log->sb.version_minor < FAMFS_VERSION_MINOR_MEMBERS) {
		log->sb.geo.n_members = log->sb.ndevices;
		return 0;
	}
	e = malloc(sizeof(*e));
	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	/* A bad entry ends the walk: the members before it are the log's. */
	members_scan_start(log, &it);
	while (famfs_log_iter_more(&it) && !famfs_log_iter_next(&it, e, NULL)) {
		if (e->type != FAMFS_ENTRY_MEMBER)
			continue;
		i = e->member.index;
		log->sb.members[i] = e->member;
		log->member_seq[i] = e->seq;
	}
	log->sb.geo = it.geo;
	log->scan_gen = log->gen.generation;
	log->scan_off = it.off;
	log->scan_seq = it.seq;
	members_scan_keep(log);
	free(e);
	return 0;
}
