/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the famfs VM test programs. */
#ifndef FAMFS_VM_COMMON_H
#define FAMFS_VM_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define MIB (1ULL << 20)

#define die(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)

/* The test pattern: 64-bit words that depend on their offset and a seed. */
static inline uint64_t pattern_word(uint64_t off, uint64_t seed)
{
	return (off ^ (seed * 0x9e3779b97f4a7c15ULL)) + (off >> 21);
}

static inline void pattern_fill(void *buf, uint64_t off, size_t len,
				uint64_t seed)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = pattern_word(off + i * 8, seed);
}

/* Offset of the first mismatching word, or -1 when buf matches. */
static inline long long pattern_check(const void *buf, uint64_t off,
				      size_t len, uint64_t seed)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != pattern_word(off + i * 8, seed))
			return (long long)(off + i * 8);
	return -1;
}

static inline uint64_t parse_u64(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end)
		die("bad number '%s'", s);
	return v;
}

#endif
