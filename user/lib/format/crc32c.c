// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32C (Castagnoli): reflected polynomial 0x82f63b78, initial value ~0,
 * final xor ~0. famfs_crc32c(crc, p, n) continues a previous result, so
 * famfs_crc32c(famfs_crc32c(0, a, m), b, n) is the CRC of a followed by b.
 */
#include <endian.h>
#include <string.h>

#include "famfs/format.h"
#include "crc32c.h"

#define CRC32C_POLY	0x82f63b78u

static uint32_t crc32c_table[8][256];

static uint32_t (*crc32c_impl)(uint32_t crc, const void *buf, size_t len);

static void crc32c_build_tables(void)
{
	uint32_t n, c;
	int k;

	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc32c_table[0][n] = c;
	}
	for (n = 0; n < 256; n++)
		for (k = 1; k < 8; k++)
			crc32c_table[k][n] = (crc32c_table[k - 1][n] >> 8) ^
				crc32c_table[0][crc32c_table[k - 1][n] & 0xff];
}

static uint32_t crc32c_byte(uint32_t c, uint8_t b)
{
	return crc32c_table[0][(c ^ b) & 0xff] ^ (c >> 8);
}

uint32_t famfs_crc32c_portable(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = ~crc;
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, sizeof(w));
		w = le64toh(w) ^ c;
		c = crc32c_table[7][w & 0xff] ^
		    crc32c_table[6][(w >> 8) & 0xff] ^
		    crc32c_table[5][(w >> 16) & 0xff] ^
		    crc32c_table[4][(w >> 24) & 0xff] ^
		    crc32c_table[3][(w >> 32) & 0xff] ^
		    crc32c_table[2][(w >> 40) & 0xff] ^
		    crc32c_table[1][(w >> 48) & 0xff] ^
		    crc32c_table[0][w >> 56];
	}
	while (len--)
		c = crc32c_byte(c, *p++);
	return ~c;
}

#ifdef FAMFS_CRC32C_HW
bool famfs_crc32c_hw_available(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("sse4.2");
}

__attribute__((target("sse4.2")))
uint32_t famfs_crc32c_hw(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t c = ~crc;
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, sizeof(w));
		c = __builtin_ia32_crc32di(c, w);
	}
	while (len--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	return ~(uint32_t)c;
}
#endif

/* Runs before main(): builds the tables and picks the fastest implementation. */
__attribute__((constructor))
static void crc32c_setup(void)
{
	crc32c_build_tables();
	crc32c_impl = famfs_crc32c_portable;
#ifdef FAMFS_CRC32C_HW
	if (famfs_crc32c_hw_available())
		crc32c_impl = famfs_crc32c_hw;
#endif
}

uint32_t famfs_crc32c(uint32_t crc, const void *buf, size_t len)
{
	return crc32c_impl(crc, buf, len);
}
