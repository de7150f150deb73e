// SPDX-License-Identifier: GPL-2.0
/*
 * A set of paths (open addressing, FNV-1a), so that a command over tens of
 * thousands of logged files asks "is this path logged?" in O(1).
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

	while (s->slot[i] && strcmp(s->slot[i], path))
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
		free(s->slot[i]);
	free(s->slot);
	free(s->type);
	famfs_pathset_init(s);
}

static int grow(struct famfs_pathset *s)
{
	struct famfs_pathset n = { .cap = s->cap ? s->cap * 2 : PATHSET_MIN };
	size_t i, j;

	n.slot = calloc(n.cap, sizeof(*n.slot));
	n.type = calloc(n.cap, sizeof(*n.type));
	if (!n.slot || !n.type) {
		free(n.slot);
		free(n.type);
		return -ENOMEM;
	}
	for (i = 0; i < s->cap; i++) {
		if (!s->slot[i])
			continue;
		j = lookup(&n, s->slot[i]);
		n.slot[j] = s->slot[i];
		n.type[j] = s->type[i];
	}
	n.count = s->count;
	free(s->slot);
	free(s->type);
	*s = n;
	return 0;
}

int famfs_pathset_add(struct famfs_pathset *s, const char *path, int type)
{
	size_t i;

	if ((s->count + 1) * 2 > s->cap && grow(s))
		return -ENOMEM;
	i = lookup(s, path);
	if (s->slot[i])
		return 1;
	s->slot[i] = strdup(path);
	if (!s->slot[i])
		return -ENOMEM;
	s->type[i] = (uint8_t)type;
	s->count++;
	return 0;
}

int famfs_pathset_find(const struct famfs_pathset *s, const char *path)
{
	size_t i;

	if (!s->cap)
		return 0;
	i = lookup(s, path);
	return s->slot[i] ? s->type[i] : 0;
}
