// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace a log builds, entry by entry, as fsck checks it and as the
 * tools that need the log's current tree (cp, rm, mv, logplay, check)
 * replay it. A path exists from the FILE or MKDIR entry that logs it until
 * a DELETE removes it or a RENAME moves it; while it exists it is not
 * logged again. Its parent is the root (never logged) or an existing
 * directory, as famfs mkdir -p and cp -r log them; a directory is deleted
 * only when empty, never moved into itself; nothing is logged in .meta,
 * which famfs mount makes for the metadata files. No one entry shows any
 * of this (docs/format.md). It also keeps each entry's path and each
 * file's allocated bytes by sequence number, so that fsck names the owner
 * of a collision and counts deleted space without reading the log again.
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

static const char *shown(char *buf, const char *path)
{
	return famfs_path_show(buf, FAMFS_PATH_SHOWN, path);
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

/* Remember what entry seq logged (they come in order, from 0). */
static int index_seq(struct famfs_names *n, uint64_t seq, const char *path,
		     uint64_t bytes)
{
	struct famfs_name_seq *more;
	uint64_t cap;

	if (seq >= n->cap) {
		cap = n->cap ? n->cap * 2 : 1024;
		more = realloc(n->by_seq, cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		n->by_seq = more;
		n->cap = cap;
	}
	n->by_seq[seq].path = path;
	n->by_seq[seq].bytes = bytes;
	n->nseq = seq + 1;
	return 0;
}

const char *famfs_names_path(const struct famfs_names *n, uint64_t seq)
{
	return seq < n->nseq ? n->by_seq[seq].path : NULL;
}

uint64_t famfs_names_bytes(const struct famfs_names *n, uint64_t seq)
{
	return seq < n->nseq ? n->by_seq[seq].bytes : 0;
}

const char **famfs_names_live(const struct famfs_names *n)
{
	const char **live = calloc(n->nseq ? n->nseq : 1, sizeof(*live));
	const struct famfs_path_item *it;
	size_t i;

	for (i = 0; live && i < n->set.cap; i++) {
		it = &n->set.slot[i];
		if (it->path && it->seq < n->nseq)
			live[it->seq] = it->path;
	}
	return live;
}

size_t famfs_path_depth(const char *path)
{
	size_t d = 0;

	while ((path = strchr(path, '/'))) {
		d++;
		path++;
	}
	return d;
}

/* The directory path is in, NULL for the root. */
static struct famfs_path_item *parent_of(struct famfs_names *n,
					 const char *path)
{
	const char *slash = strrchr(path, '/');
	char parent[FAMFS_PATH_MAX + 1];

	if (!slash)
		return NULL;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	return famfs_pathset_ref(&n->set, parent);
}

/* The parent of path must be the root or an existing directory. */
static int check_parent(struct famfs_names *n, const char *path,
			char *why, size_t len)
{
	const struct famfs_path_item *up = parent_of(n, path);
	const char *slash = strrchr(path, '/');
	char parent[FAMFS_PATH_MAX + 1], buf[FAMFS_PATH_SHOWN];

	if (!slash || (up && up->type == FAMFS_ENTRY_MKDIR))
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	if (up)
		snprintf(why, len, "its parent %s is a file (seq %llu)",
			 shown(buf, parent), (unsigned long long)up->seq);
	else
		snprintf(why, len, "its parent directory %s does not exist at that point of the log",
			 shown(buf, parent));
	return FAMFS_E_PATH_PARENT;
}

static int check_reserved(const char *path, char *why, size_t len)
{
	if (!famfs_path_reserved(path))
		return 0;
	snprintf(why, len, "in %s, where only the metadata files live",
		 FAMFS_META_DIR);
	return FAMFS_E_PATH_RESERVED;
}

static int check_new(struct famfs_names *n, const struct famfs_entry *e,
		     char *why, size_t len)
{
	const struct famfs_path_item *same = famfs_pathset_get(&n->set, e->path);
	int rc = check_reserved(e->path, why, len);

	if (rc)
		return rc;
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

static uint64_t file_bytes(const struct famfs_entry *e)
{
	struct famfs_extent_info x;
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		sum += x.len;
	}
	return sum;
}

static int add_new(struct famfs_names *n, const struct famfs_entry *e,
		   char *why, size_t len)
{
	int rc = check_new(n, e, why, len);
	int added = famfs_pathset_add(&n->set, e->path, e->type, e->seq);
	struct famfs_path_item *up = parent_of(n, e->path);	/* after a grow */

	if (added < 0 ||
	    index_seq(n, e->seq, famfs_pathset_get(&n->set, e->path)->path,
		      e->type == FAMFS_ENTRY_FILE ? file_bytes(e) : 0))
		return -ENOMEM;
	if (!added && up)
		up->children++;
	return rc;
}

/* The path a DELETE or RENAME acts on must exist; *it gets it. */
static int check_existing(struct famfs_names *n, const char *path,
			  struct famfs_path_item **it, char *why, size_t len)
{
	*it = famfs_pathset_ref(&n->set, path);
	if (*it)
		return 0;
	snprintf(why, len, "does not exist at that point of the log");
	return FAMFS_E_PATH_MISSING;
}

static int delete(struct famfs_names *n, const struct famfs_entry *e,
		  struct famfs_path_item *was, char *why, size_t len)
{
	struct famfs_path_item *it, *up;
	int rc = check_existing(n, e->path, &it, why, len);

	if (rc)
		return rc;
	if (it->children) {
		snprintf(why, len, "the directory (seq %llu) holds %llu entries",
			 (unsigned long long)it->seq,
			 (unsigned long long)it->children);
		return FAMFS_E_DIR_NOT_EMPTY;
	}
	*was = *it;
	up = parent_of(n, e->path);
	if (up)
		up->children--;
	return famfs_pathset_remove(&n->set, e->path) < 0 ? -ENOMEM : 0;
}

static int check_rename(struct famfs_names *n, const struct famfs_entry *e,
			const struct famfs_path_item *it, char *why,
			size_t len)
{
	const struct famfs_path_item *there = famfs_pathset_get(&n->set, e->dst);
	size_t src_len = e->path_len;
	int rc = check_reserved(e->dst, why, len);

	if (rc)
		return rc;
	if (there) {
		snprintf(why, len, "its destination exists (%s, seq %llu)",
			 type_name(there->type), (unsigned long long)there->seq);
		return FAMFS_E_PATH_EXISTS;
	}
	if (it->type == FAMFS_ENTRY_MKDIR && !strncmp(e->dst, e->path, src_len) &&
	    e->dst[src_len] == '/') {
		snprintf(why, len, "moves a directory into itself");
		return FAMFS_E_RENAME_LOOP;
	}
	return check_parent(n, e->dst, why, len);
}

static int rename_path(struct famfs_names *n, const struct famfs_entry *e,
		       struct famfs_path_item *was, char *why, size_t len)
{
	struct famfs_path_item *it, *up;
	int rc = check_existing(n, e->path, &it, why, len);

	if (!rc)
		rc = check_rename(n, e, it, why, len);
	if (rc)
		return rc;
	*was = *it;
	up = parent_of(n, e->path);
	if (up)
		up->children--;
	if (famfs_pathset_move(&n->set, e->path, e->dst))
		return -ENOMEM;
	up = parent_of(n, e->dst);
	if (up)
		up->children++;
	return 0;
}

int famfs_names_add(struct famfs_names *n, const struct famfs_entry *e,
		    struct famfs_path_item *was, char *why, size_t len)
{
	struct famfs_path_item ignored;
	int rc;

	if (!was)
		was = &ignored;
	memset(was, 0, sizeof(*was));
	switch (e->type) {
	case FAMFS_ENTRY_FILE:
	case FAMFS_ENTRY_MKDIR:
		return add_new(n, e, why, len);
	case FAMFS_ENTRY_DELETE:
		rc = delete(n, e, was, why, len);
		break;
	case FAMFS_ENTRY_RENAME:
		rc = rename_path(n, e, was, why, len);
		break;
	default:
		rc = 0;		/* EVICT, HOST_TABLE, skippable: no path */
	}
	if (rc >= 0 && index_seq(n, e->seq, NULL, 0))
		return -ENOMEM;
	return rc;
}

int famfs_names_build(struct famfs_names *n, const struct famfs_log *log,
		      famfs_names_fn each, void *arg, struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	struct famfs_path_item was;
	char why[8];
	uint64_t off;
	int rc = 0;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	famfs_log_iter_init(&it, log);
	while (!rc && famfs_log_iter_more(&it)) {
		off = it.off;
		rc = famfs_log_iter_next(&it, e, err);
		if (rc)
			break;
		/* Broken rules are fsck's to report: here they change nothing. */
		if (famfs_names_add(n, e, &was, why, sizeof(why)) < 0)
			rc = famfs_error_set(err, -ENOMEM, "out of memory");
		else if (each)
			rc = each(arg, e, &was, off, err);
	}
	if (!rc)
		rc = famfs_log_iter_finish(&it, err);
	free(e);
	return rc;
}
