/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CRC-32C implementations behind famfs_crc32c(), exposed so that tests can
 * check that they agree. Library users call famfs_crc32c() only.
 */
#ifndef FAMFS_CRC32C_H
#define FAMFS_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Slicing-by-8 in portable C: works on every CPU and byte order. */
uint32_t famfs_crc32c_portable(uint32_t crc, const void *buf, size_t len);

#if defined(__x86_64__) && defined(__GNUC__)
#define FAMFS_CRC32C_HW 1
/* True when the CPU has the SSE4.2 crc32 instruction. */
bool famfs_crc32c_hw_available(void);
/* The crc32 instruction; call only when famfs_crc32c_hw_available(). */
uint32_t famfs_crc32c_hw(uint32_t crc, const void *buf, size_t len);
#endif

#endif /* FAMFS_CRC32C_H */
