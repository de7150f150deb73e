// SPDX-License-Identifier: GPL-2.0
/* The striping options of creat, cp and mkfs.famfs (docs/devices.md). */
#include <errno.h>
#include <stdlib.h>

#include "cli_ops.h"

/* A count from 1 to FAMFS_STRIPE_MAX. */
static int parse_count(const char *s, const char *what, uint32_t *n,
		       const char *usage)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!errno && *s >= '0' && *s <= '9' && !*end && v >= 1 &&
	    v <= FAMFS_STRIPE_MAX) {
		*n = v;
		return 0;
	}
	cli_error("invalid %s '%s' (1 to %u)", what, s, FAMFS_STRIPE_MAX);
	return cli_usage_error(usage);
}

/* A size that is a non-zero multiple of the allocation unit. */
static int parse_chunk(const char *s, uint64_t *chunk, const char *usage)
{
	int rc = cli_parse_size(s, chunk, usage);

	if (rc)
		return rc;
	if (*chunk && !(*chunk % FAMFS_ALLOC_UNIT))
		return 0;
	cli_error("invalid chunk size '%s': a multiple of %llu MiB (2M, 4M, ...)",
		  s, (unsigned long long)(FAMFS_ALLOC_UNIT >> 20));
	return cli_usage_error(usage);
}

int cli_parse_layout(int opt, const char *arg, struct famfs_layout *l,
		     const char *usage)
{
	switch (opt) {
	case 'N':
		return parse_count(arg, "strip count", &l->nstrips, usage);
	case 'C':
		return parse_chunk(arg, &l->chunk, usage);
	case 'B':
		return parse_count(arg, "bucket count", &l->nbuckets, usage);
	}
	return cli_usage_error(usage);
}
