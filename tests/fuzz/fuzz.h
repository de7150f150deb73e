/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share. Each target takes its first input byte
 * as flags and the rest as the bytes to decode, copied to a buffer of their
 * exact length so that AddressSanitizer sees any read past them. A CRC
 * flag makes the target recompute a CRC over the mutated bytes: without it
 * almost every mutation would stop at the CRC check, and the checks behind
 * it would never be reached.
 */
#ifndef FAMFS_FUZZ_H
#define FAMFS_FUZZ_H

#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/libfamfs.h"
#include "format_reseal.h"
#include "core/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property every decoded value must have: abort, so the input is saved. */
#define fuzz_assert(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: property failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* A malloc'ed copy of data (at least one byte, so never NULL for size 0). */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (!p)
		abort();
	memcpy(p, data, size);
	return p;
}

/*
 * The input after its flags byte (*len bytes, copied), a superblock or log
 * header of struct_len bytes: its CRC recomputed when flags bit 0 asks and
 * the input holds the whole structure.
 */
static inline uint8_t *fuzz_fixed(const uint8_t *data, size_t size,
				  size_t struct_len, size_t *len)
{
	uint8_t *buf;

	*len = size - 1;
	buf = fuzz_copy(data + 1, *len);
	if ((data[0] & 1) && *len >= struct_len)
		test_fixed_reseal(buf, struct_len);
	return buf;
}

/* Recompute the CRC of the entry at p, if its length fits in avail bytes. */
static inline void fuzz_entry_reseal(uint8_t *p, size_t avail)
{
	struct famfs_entry_header h;

	if (avail < sizeof(h))
		return;
	memcpy(&h, p, sizeof(h));
	if (le32toh(h.len) >= sizeof(h) && le32toh(h.len) <= avail)
		test_entry_reseal(p);
}

/* Text as output shows it: valid UTF-8 without C0 or C1 controls or DEL. */
static inline void fuzz_check_printable(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i, n;

	for (i = 0; i < len; i += n) {
		n = famfs_utf8_len(s + i, len - i);
		fuzz_assert(n);
		fuzz_assert(n > 1 ? s[i] != 0xc2 || s[i + 1] >= 0xa0 :
			    s[i] >= 0x20 && s[i] != 0x7f);
	}
}

#endif /* FAMFS_FUZZ_H */
