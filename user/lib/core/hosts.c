// SPDX-License-Identifier: GPL-2.0
/*
 * The host table: one slot per mounting host in the superblock area. A
 * slot has one writer, the host that claimed it, which writes it whole and
 * flushes it; everyone else only reads it, after invalidating it. There is
 * no lock between hosts (docs/space-release.md).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* A reader may meet a slot being rewritten: its CRC fails until it is done. */
#define TORN_RETRIES	20
#define TORN_WAIT_NS	(500 * 1000)

int famfs_hosts_init(struct famfs_hosts *t, void *sb_area, size_t len,
		     const struct famfs_sb_info *sb)
{
	uint64_t end = sb->hosts_offset +
		       (uint64_t)sb->hosts_count * FAMFS_HOST_SLOT_SIZE;

	memset(t, 0, sizeof(*t));
	if (!sb->hosts_offset || !sb->hosts_count)
		return -ENOENT;
	if (end > len)
		return -EINVAL;
	t->base = (uint8_t *)sb_area + sb->hosts_offset;
	t->count = sb->hosts_count;
	return 0;
}

static uint8_t *slot_addr(const struct famfs_hosts *t, uint32_t i)
{
	return t->base + (size_t)i * FAMFS_HOST_SLOT_SIZE;
}

static void short_sleep(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

int famfs_hosts_read(const struct famfs_hosts *t, uint32_t i,
		     struct famfs_host_info *h)
{
	uint8_t copy[FAMFS_HOST_SLOT_SIZE];
	int rc, tries = 0;

	do {
		if (tries)
			short_sleep(TORN_WAIT_NS);
		famfs_invalidate(slot_addr(t, i), FAMFS_HOST_SLOT_SIZE);
		memcpy(copy, slot_addr(t, i), sizeof(copy));
		rc = famfs_host_slot_decode(copy, sizeof(copy), h);
	} while (rc == FAMFS_E_CRC && ++tries < TORN_RETRIES);
	return rc;
}

int famfs_hosts_write(const struct famfs_hosts *t, uint32_t i,
		      const struct famfs_host_info *h)
{
	uint8_t buf[FAMFS_HOST_SLOT_SIZE];
	int rc = famfs_host_slot_encode(h, buf);

	if (rc)
		return rc;
	memcpy(slot_addr(t, i), buf, sizeof(buf));
	famfs_flush(slot_addr(t, i), sizeof(buf));
	return 0;
}

const char *famfs_host_state_name(const struct famfs_host_info *h, int rc)
{
	if (rc == FAMFS_E_MAGIC)
		return "free";
	if (rc)
		return "damaged";
	switch (h->state) {
	case FAMFS_HOST_MOUNTED:
		return "mounted";
	case FAMFS_HOST_UNMOUNTED:
		return "unmounted";
	}
	return "free";
}
