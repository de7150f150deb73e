// SPDX-License-Identifier: GPL-2.0
/*
 * The active-log record (format 1.3): which of the two log areas is the
 * log. Generation g goes to copy g % 2, so the copy a switch writes is
 * never the one that names the log in use: a torn write fails its CRC
 * and the other copy stays the answer.
 */
#include <endian.h>
#include <string.h>

#include "format_internal.h"

void famfs_logrec_encode(const struct famfs_log_gen *g, void *buf)
{
	struct famfs_log_record r;

	memset(&r, 0, sizeof(r));
	r.magic = htole64(FAMFS_LOGREC_MAGIC);
	r.generation = htole64(g->generation);
	r.area = htole32(g->area);
	famfs_tail_seal(&r, sizeof(r));
	memcpy(buf, &r, sizeof(r));
}

int famfs_logrec_decode(const void *buf, size_t len, uint32_t log_areas,
			struct famfs_log_gen *out)
{
	struct famfs_log_record r;

	if (len < sizeof(r))
		return FAMFS_E_SHORT;
	memcpy(&r, buf, sizeof(r));
	if (le64toh(r.magic) != FAMFS_LOGREC_MAGIC)
		return FAMFS_E_MAGIC;
	if (!famfs_tail_crc_ok(&r, sizeof(r)))
		return FAMFS_E_CRC;
	if (r.flags || !famfs_bytes_zero(r.reserved, sizeof(r.reserved)))
		return FAMFS_E_FLAGS;
	if (le32toh(r.area) >= log_areas)
		return FAMFS_E_GEOMETRY;
	out->generation = le64toh(r.generation);
	out->area = le32toh(r.area);
	return FAMFS_OK;
}

int famfs_logrec_pick(const void *buf, size_t len, uint32_t log_areas,
		      struct famfs_log_gen *out, unsigned int *valid)
{
	struct famfs_log_gen g;
	int first = FAMFS_OK, rc;
	bool found = false;
	unsigned int i;

	if (valid)
		*valid = 0;
	for (i = 0; i < FAMFS_LOGREC_COPIES; i++) {
		if (len < (i + 1) * FAMFS_LOGREC_SIZE) {
			rc = FAMFS_E_SHORT;
		} else {
			rc = famfs_logrec_decode((const uint8_t *)buf +
						 i * FAMFS_LOGREC_SIZE,
						 FAMFS_LOGREC_SIZE, log_areas, &g);
			/* A copy holds only the generations of its parity. */
			if (!rc && g.generation % FAMFS_LOGREC_COPIES != i)
				rc = FAMFS_E_GEOMETRY;
		}
		if (i == 0)
			first = rc;
		if (rc)
			continue;
		if (valid)
			*valid |= 1u << i;
		if (!found || g.generation > out->generation)
			*out = g;
		found = true;
	}
	return found ? FAMFS_OK : first;
}
