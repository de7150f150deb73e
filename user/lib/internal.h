/* SPDX-License-Identifier: GPL-2.0 */
/* libfamfs internals shared between its source files. */
#ifndef FAMFS_LIB_INTERNAL_H
#define FAMFS_LIB_INTERNAL_H

#include "famfs/libfamfs.h"

#define FAMFS_MIB	(1ULL << 20)

/* Put "prefix: " in front of the message already in err. */
void famfs_error_prefix(struct famfs_error *err, const char *prefix);

/* Units of an allocation granule needed for len bytes. */
static inline uint64_t famfs_units(uint64_t len, uint64_t unit)
{
	return (len + unit - 1) / unit;
}

#endif /* FAMFS_LIB_INTERNAL_H */
