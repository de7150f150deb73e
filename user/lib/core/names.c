// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace a log builds, entry by entry, as fsck checks it: a path is
 * logged once, as a file or a directory; its parent is the root (which is
 * never logged) or a directory logged before it, as famfs mkdir -p and cp
 * -r log them; and nothing is logged in .meta, which famfs mount makes for
 * the metadata files. No one entry shows any of this (docs/format.md).
 * It also keeps each entry's path by sequence number, so that fsck names
 * the owner of a collision without reading the log again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *type_name(int type)
{
	return type == FAMFS_ENTRY_MKDIR ? "directory" : "file";
}

void famfs_names_init(struct famfs_names *n)
{
	memset(n, 0, sizeof(*n));
	famfs_pathset_init(&n->set);
}

void famfs_names_free(struct famfs_names *n)
{
	famfs_pathset_free(&n->set);
	free(n->by_seq);
	famfs_names_init(n);
}

/* Remember which path entry seq logged (they come in order, from 0). */
static int index_seq(struct famfs_names *n, uint64_t seq, const char *path)
{
	const char **more;
	uint64_t cap;

	if (seq >= n->cap) {
		cap = n->cap ? n->cap * 2 : 1024;
		more = realloc(n->by_seq, cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		n->by_seq = more;
		n->cap = cap;
	}
	n->by_seq[seq] = path;
	n->nseq = seq + 1;
	return 0;
}

const char *famfs_names_path(const struct famfs_names *n, uint64_t seq)
{
	return seq < n->nseq ? n->by_seq[seq] : NULL;
}

/* The parent of path must be the root or a directory already logged. */
static int check_parent(const struct famfs_names *n, const char *path,
			char *why, size_t len)
{
	const char *slash = strrchr(path, '/');
	const struct famfs_path_item *up;
	char parent[FAMFS_PATH_MAX + 1], shown[FAMFS_PATH_SHOWN];

	if (!slash)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	up = famfs_pathset_get(&n->set, parent);
	if (up && up->type == FAMFS_ENTRY_MKDIR)
		return 0;
	famfs_path_show(shown, sizeof(shown), parent);
	if (up)
		snprintf(why, len, "its parent %s is a file (seq %llu)", shown,
			 (unsigned long long)up->seq);
	else
		snprintf(why, len, "its parent directory %s is not logged before it",
			 shown);
	return FAMFS_E_PATH_PARENT;
}

static int check_path(const struct famfs_names *n, const struct famfs_entry *e,
		      char *why, size_t len)
{
	const struct famfs_path_item *same = famfs_pathset_get(&n->set, e->path);

	if (famfs_path_reserved(e->path)) {
		snprintf(why, len, "in %s, where only the metadata files live",
			 FAMFS_META_DIR);
		return FAMFS_E_PATH_RESERVED;
	}
	if (same && same->type == e->type) {
		snprintf(why, len, "logged twice, first at seq %llu",
			 (unsigned long long)same->seq);
		return FAMFS_E_PATH_DUP;
	}
	if (same) {
		snprintf(why, len, "the same path is a %s (seq %llu)",
			 type_name(same->type), (unsigned long long)same->seq);
		return FAMFS_E_PATH_DUP;
	}
	return check_parent(n, e->path, why, len);
}

int famfs_names_add(struct famfs_names *n, const struct famfs_entry *e,
		    char *why, size_t len)
{
	int rc;

	if (e->type != FAMFS_ENTRY_FILE && e->type != FAMFS_ENTRY_MKDIR)
		return index_seq(n, e->seq, NULL);	/* skippable: no path */
	rc = check_path(n, e, why, len);
	if (famfs_pathset_add(&n->set, e->path, e->type, e->seq) < 0 ||
	    index_seq(n, e->seq, famfs_pathset_get(&n->set, e->path)->path))
		return -ENOMEM;
	return rc;
}
