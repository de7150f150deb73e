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
#include "internal.h"

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

/* Store at p + at the CRC-32C of p[from, to), little-endian. */
static inline void fuzz_seal(uint8_t *p, size_t at, size_t from, size_t to)
{
	uint32_t crc = htole32(famfs_crc32c(0, p + from, to - from));

	memcpy(p + at, &crc, sizeof(crc));
}

/* The geometry of a famfs on a device of dev_size bytes, default log. */
static inline struct famfs_geometry fuzz_geometry(uint64_t dev_size)
{
	struct famfs_geometry geo = {
		.dev_size = dev_size,
		.log_offset = FAMFS_LOG_OFFSET,
		.log_len = FAMFS_LOG_LEN_DEFAULT,
		.alloc_unit = FAMFS_ALLOC_UNIT,
	};

	return geo;
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
