// SPDX-License-Identifier: GPL-2.0
/*
 * A set of paths (open addressing, FNV-1a), so that a command over tens of
 * thousands of logged files asks "is this path logged, and by which
 * entry?" in O(1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/famfs_ops.h"

#define PATHSET_MIN	1024

static size_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
	return (size_t)h;
}

/* The slot holding path, or the empty slot where it belongs. */
static size_t lookup(const struct famfs_pathset *s, const char *path)
{
	size_t i = hash(path) & (s->cap - 1);

	while (s->slot[i].path && strcmp(s->slot[i].path, path))
		i = (i + 1) & (s->cap - 1);
	return i;
}

void famfs_pathset_init(struct famfs_pathset *s)
{
	memset(s, 0, sizeof(*s));
}

void famfs_pathset_free(struct famfs_pathset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->slot[i].path);
	free(s->slot);
	famfs_pathset_init(s);
}

static int grow(struct famfs_pathset *s)
{
	struct famfs_pathset n = { .cap = s->cap ? s->cap * 2 : PATHSET_MIN };
	size_t i;

	n.slot = calloc(n.cap, sizeof(*n.slot));
	if (!n.slot)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i].path)
			n.slot[lookup(&n, s->slot[i].path)] = s->slot[i];
	n.count = s->count;
	free(s->slot);
	*s = n;
	return 0;
}

int famfs_pathset_add(struct famfs_pathset *s, const char *path, int type,
		      uint64_t seq)
{
	size_t i;

	if ((s->count + 1) * 2 > s->cap && grow(s))
		return -ENOMEM;
	i = lookup(s, path);
	if (s->slot[i].path)
		return 1;
	s->slot[i].path = strdup(path);
	if (!s->slot[i].path)
		return -ENOMEM;
	s->slot[i].type = type;
	s->slot[i].seq = seq;
	s->count++;
	return 0;
}

const struct famfs_path_item *famfs_pathset_get(const struct famfs_pathset *s,
						const char *path)
{
	size_t i;

	if (!s->cap)
		return NULL;
	i = lookup(s, path);
	return s->slot[i].path ? &s->slot[i] : NULL;
}

int famfs_pathset_find(const struct famfs_pathset *s, const char *path)
{
	const struct famfs_path_item *item = famfs_pathset_get(s, path);

	return item ? item->type : 0;
}
