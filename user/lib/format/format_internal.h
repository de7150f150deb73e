/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the format_*.c files; not part of the library's API. */
#ifndef FAMFS_FORMAT_INTERNAL_H
#define FAMFS_FORMAT_INTERNAL_H

#include <stdbool.h>

#include "famfs/format.h"

static inline uint64_t famfs_entry_align(uint64_t n)
{
	return (n + FAMFS_ENTRY_ALIGN - 1) & ~(uint64_t)(FAMFS_ENTRY_ALIGN - 1);
}

static inline bool famfs_bytes_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/*
 * A file's extent list, either in host form (host) or as n on-media struct
 * famfs_extent at media, which may have any alignment.
 */
struct famfs_extent_list {
	const struct famfs_extent_info *host;
	const void *media;
	uint32_t n;
};

/* famfs_extents_check() for either form; also refuses non-zero reserved fields. */
int famfs_extent_list_check(const struct famfs_geometry *geo,
			    const struct famfs_extent_list *list, uint64_t size);

/* Convert one extent between host form and on-media form (any alignment). */
void famfs_extent_store(void *media, const struct famfs_extent_info *ext);
/* Returns the extent's reserved field, which must be zero. */
uint32_t famfs_extent_load(const void *media, struct famfs_extent_info *ext);

#endif /* FAMFS_FORMAT_INTERNAL_H */
