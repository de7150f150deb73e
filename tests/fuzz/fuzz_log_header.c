// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_log_header_decode on any bytes. Flags: bit 0 recomputes the CRC;
 * bit 1 takes the superblock's log_len from the header's own field (else
 * the default), when it is a valid one, so that the checks after the
 * log_len match are reached.
 * Whatever decodes encodes back to the same header.
 */
#include <stddef.h>

#include "fuzz.h"

#define LH_LEN		sizeof(struct famfs_log_header)
#define LH_LOG_LEN_AT	offsetof(struct famfs_log_header, log_len)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct famfs_geometry geo = test_geometry_of(1ULL << 50), mine;
	struct famfs_log_info info, again;
	uint8_t enc[LH_LEN], *buf;
	uint64_t log_len;
	size_t len;

	if (!size)
		return 0;
	buf = fuzz_fixed(data, size, LH_LEN, &len);
	if ((data[0] & 2) && len >= LH_LOG_LEN_AT + sizeof(log_len)) {
		memcpy(&log_len, buf + LH_LOG_LEN_AT, sizeof(log_len));
		mine = geo;
		mine.log_len = le64toh(log_len);
		if (!famfs_geometry_check(&mine))
			geo = mine;
	}
	if (!famfs_log_header_decode(buf, len, &geo, &info)) {
		fuzz_assert(info.next_off <= info.log_len);
		fuzz_assert(!famfs_log_header_encode(&info, enc));
		fuzz_assert(!famfs_log_header_decode(enc, sizeof(enc), &geo, &again));
		fuzz_assert(info.log_len == again.log_len &&
			    info.next_seq == again.next_seq &&
			    info.next_off == again.next_off);
	}
	free(buf);
	return 0;
}
