// SPDX-License-Identifier: GPL-2.0
/*
 * A set of paths (open addressing, FNV-1a), so that a command over tens of
 * thousands of logged files asks "is this path logged, and by which
 * entry?" in O(1). Removal shifts items back instead of leaving
 * tombstones, so a log of many deletes does not slow lookups down.
 */
#include <errno.h>
#include <stdio.h>
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
	for (i = 0; i < s->ngone; i++)
		free(s->gone[i]);
	free(s->slot);
	free(s->gone);
	famfs_pathset_init(s);
}

static int grow(struct famfs_pathset *s)
{
	struct famfs_pathset n = {
		.cap = s->cap ? s->cap * 2 : PATHSET_MIN,
		.gone = s->gone, .ngone = s->ngone, .gone_cap = s->gone_cap,
	};
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
	s->slot[i].children = 0;
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

struct famfs_path_item *famfs_pathset_ref(struct famfs_pathset *s,
					  const char *path)
{
	return (struct famfs_path_item *)famfs_pathset_get(s, path);
}

/* Keep a removed path's string: callers may still hold it (names.c). */
static int retire(struct famfs_pathset *s, char *path)
{
	char **more;
	size_t cap;

	if (s->ngone == s->gone_cap) {
		cap = s->gone_cap ? s->gone_cap * 2 : 64;
		more = realloc(s->gone, cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		s->gone = more;
		s->gone_cap = cap;
	}
	s->gone[s->ngone++] = path;
	return 0;
}

/* Is k, where an item hashes to, cyclically in (i, j]? */
static bool between(size_t i, size_t k, size_t j)
{
	return i <= j ? i < k && k <= j : i < k || k <= j;
}

/*
 * Linear probing without tombstones: after emptying slot i, move back
 * every item of the run after it that would no longer be found.
 */
static void unslot(struct famfs_pathset *s, size_t i)
{
	size_t mask = s->cap - 1, j = i, k;

	for (;;) {
		j = (j + 1) & mask;
		if (!s->slot[j].path)
			break;
		k = hash(s->slot[j].path) & mask;
		if (between(i, k, j))
			continue;
		s->slot[i] = s->slot[j];
		i = j;
	}
	memset(&s->slot[i], 0, sizeof(s->slot[i]));
	s->count--;
}

int famfs_pathset_remove(struct famfs_pathset *s, const char *path)
{
	size_t i;

	if (!s->cap)
		return 1;
	i = lookup(s, path);
	if (!s->slot[i].path)
		return 1;
	if (retire(s, s->slot[i].path))
		return -ENOMEM;
	unslot(s, i);
	return 0;
}

/* from itself, or a path under it. */
static bool under(const char *path, const char *from, size_t n)
{
	return !strncmp(path, from, n) && (!path[n] || path[n] == '/');
}

/* The items to move: from alone, or every slot when it holds something. */
static int gather(const struct famfs_pathset *s, const char *from,
		  struct famfs_path_item **out, size_t *n)
{
	const struct famfs_path_item *top = famfs_pathset_get(s, from);
	size_t i, len = strlen(from);

	*n = 0;
	*out = malloc((top && top->children ? s->count : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	if (!top)
		return 0;
	if (!top->children) {
		(*out)[(*n)++] = *top;
		return 0;
	}
	for (i = 0; i < s->cap; i++)
		if (s->slot[i].path && under(s->slot[i].path, from, len))
			(*out)[(*n)++] = s->slot[i];
	return 0;
}

static int move_one(struct famfs_pathset *s, const struct famfs_path_item *it,
		    size_t from_len, const char *to)
{
	struct famfs_path_item *moved;
	char *path;
	int rc;

	if (asprintf(&path, "%s%s", to, it->path + from_len) < 0)
		return -ENOMEM;
	rc = famfs_pathset_add(s, path, it->type, it->seq);
	moved = rc ? NULL : famfs_pathset_ref(s, path);
	free(path);
	if (!moved)
		return rc < 0 ? rc : -EEXIST;
	moved->children = it->children;
	return 0;
}

int famfs_pathset_move(struct famfs_pathset *s, const char *from,
		       const char *to)
{
	struct famfs_path_item *items;
	size_t i, n, len = strlen(from);
	int rc;

	rc = gather(s, from, &items, &n);
	for (i = 0; !rc && i < n; i++)
		rc = famfs_pathset_remove(s, items[i].path) < 0 ? -ENOMEM : 0;
	for (i = 0; !rc && i < n; i++)
		rc = move_one(s, &items[i], len, to);
	free(items);
	return rc;
}
