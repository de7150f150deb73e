// SPDX-License-Identifier: GPL-2.0
/*
 * The host table (format 1.2): where it lies, and its slots. A slot has
 * one writer, the host that claimed it, so it carries no version: its
 * magic and CRC say whether it holds anything at all.
 */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

FAMFS_STATIC_ASSERT(FAMFS_HOSTS_OFFSET % FAMFS_HOST_SLOT_SIZE == 0 &&
		    FAMFS_HOSTS_OFFSET + FAMFS_HOSTS_COUNT * FAMFS_HOST_SLOT_SIZE <=
		    FAMFS_SB_AREA, "mkfs's host table fits the superblock area");

int famfs_hosts_check(uint64_t offset, uint32_t count, uint32_t slot_size)
{
	if (slot_size != FAMFS_HOST_SLOT_SIZE)
		return FAMFS_E_GEOMETRY;
	/* Slot 0 would be the superblock. */
	if (offset < slot_size || offset % slot_size)
		return FAMFS_E_GEOMETRY;
	if (count < 1 || count > FAMFS_HOSTS_COUNT_MAX)
		return FAMFS_E_GEOMETRY;
	/* No wrap: count * slot_size is at most FAMFS_SB_AREA. */
	if (offset > FAMFS_SB_AREA - (uint64_t)count * slot_size)
		return FAMFS_E_GEOMETRY;
	return FAMFS_OK;
}

/* What both directions check of the fields that have rules. */
static int host_fields_check(const struct famfs_host_info *h)
{
	if (h->state > FAMFS_HOST_UNMOUNTED || (h->flags & ~FAMFS_HOST_F_ALL))
		return FAMFS_E_FLAGS;
	if (h->released_seq > h->applied_seq)
		return FAMFS_E_SEQ;
	return FAMFS_OK;
}

int famfs_host_slot_encode(const struct famfs_host_info *h, void *buf)
{
	size_t name_len = strnlen(h->hostname, sizeof(h->hostname));
	struct famfs_host_slot s;
	int err;

	err = host_fields_check(h);
	if (err)
		return err;
	if (name_len > FAMFS_HOSTNAME_LEN)
		return FAMFS_E_LEN;

	memset(&s, 0, sizeof(s));
	s.magic = htole64(FAMFS_HOST_MAGIC);
	s.state = htole32(h->state);
	s.flags = htole32(h->flags);
	memcpy(s.system_uuid, h->system_uuid, sizeof(s.system_uuid));
	s.nonce = htole64(h->nonce);
	s.heartbeat = htole64(h->heartbeat);
	s.heartbeat_ns = htole64(h->heartbeat_ns);
	s.mount_ns = htole64(h->mount_ns);
	s.applied_seq = htole64(h->applied_seq);
	s.released_seq = htole64(h->released_seq);
	s.log_generation = htole64(h->log_generation);
	s.poll_ms = htole32(h->poll_ms);
	s.pid = htole32(h->pid);
	memcpy(s.hostname, h->hostname, name_len);
	famfs_tail_seal(&s, sizeof(s));
	memcpy(buf, &s, sizeof(s));
	return FAMFS_OK;
}

static void host_load(const struct famfs_host_slot *s,
		      struct famfs_host_info *h)
{
	h->state = le32toh(s->state);
	h->flags = le32toh(s->flags);
	memcpy(h->system_uuid, s->system_uuid, sizeof(h->system_uuid));
	h->nonce = le64toh(s->nonce);
	h->heartbeat = le64toh(s->heartbeat);
	h->heartbeat_ns = le64toh(s->heartbeat_ns);
	h->mount_ns = le64toh(s->mount_ns);
	h->applied_seq = le64toh(s->applied_seq);
	h->released_seq = le64toh(s->released_seq);
	h->log_generation = le64toh(s->log_generation);
	h->poll_ms = le32toh(s->poll_ms);
	h->pid = le32toh(s->pid);
	memcpy(h->hostname, s->hostname, FAMFS_HOSTNAME_LEN);
	h->hostname[FAMFS_HOSTNAME_LEN] = '\0';
}

/* The name, then NULs to the end of the field: one way to write each name. */
static int hostname_check(const char *name)
{
	size_t len = strnlen(name, FAMFS_HOSTNAME_LEN);

	return famfs_bytes_zero(name + len, FAMFS_HOSTNAME_LEN - len) ?
	       FAMFS_OK : FAMFS_E_LEN;
}

/*
 * Magic first: a slot never written is all zero and a torn first write
 * may hold anything, and both are free slots, not damage.
 */
int famfs_host_slot_decode(const void *buf, size_t len,
			   struct famfs_host_info *out)
{
	struct famfs_host_info h;
	struct famfs_host_slot s;
	int err;

	if (len < sizeof(s))
		return FAMFS_E_SHORT;
	memcpy(&s, buf, sizeof(s));
	if (le64toh(s.magic) != FAMFS_HOST_MAGIC)
		return FAMFS_E_MAGIC;
	if (!famfs_tail_crc_ok(&s, sizeof(s)))
		return FAMFS_E_CRC;
	host_load(&s, &h);
	if (!famfs_bytes_zero(s.reserved, sizeof(s.reserved)))
		return FAMFS_E_FLAGS;
	err = host_fields_check(&h);
	if (!err)
		err = hostname_check(s.hostname);
	if (err)
		return err;
	*out = h;
	return FAMFS_OK;
}
