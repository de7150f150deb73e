// SPDX-License-Identifier: GPL-2.0
/*
 * Removing and moving names on the master: each DELETE or RENAME is checked
 * against the log's namespace (the rules fsck applies, names.c), logged,
 * published in batches, and then played on the local mount, as every
 * other host plays it. A crash after a publish leaves the entries logged
 * and the local tree behind, which the next log play catches up on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"

static const char *shown(const char *path)
{
	static char buf[FAMFS_PATH_SHOWN];

	return famfs_path_show(buf, sizeof(buf), path);
}

static int note_eviction(void *arg, const struct famfs_entry *e,
			 const struct famfs_path_item *was, uint64_t off,
			 struct famfs_error *err)
{
	(void)was;
	(void)off;
	if (e->type == FAMFS_ENTRY_EVICT && famfs_evictions_add(arg, e))
		return famfs_error_set(err, -ENOMEM, "out of memory");
	return 0;
}

int famfs_namer_begin(struct famfs_namer *n, struct famfs_fs *fs,
		      struct famfs_error *err)
{
	void (*report)(void *, const char *, const char *) = n->report;
	void *arg = n->arg;
	struct famfs_evictions ev = { 0 };
	int rc;

	memset(n, 0, sizeof(*n));
	n->fs = fs;
	n->report = report;
	n->arg = arg;
	n->names = malloc(sizeof(*n->names));
	n->e = malloc(sizeof(*n->e));
	if (!n->names || !n->e) {
		free(n->names);
		free(n->e);
		return famfs_error_set(err, -ENOMEM, "out of memory");
	}
	famfs_names_init(n->names);
	rc = famfs_log_append_begin(&fs->log, err);
	if (!rc)
		rc = famfs_names_build(n->names, &fs->log, note_eviction, &ev, err);
	if (!rc)
		rc = famfs_log_check_identity(&fs->log, &ev, err);
	famfs_evictions_free(&ev);
	n->cur.off = fs->log.hdr.next_off;
	n->cur.seq = fs->log.hdr.next_seq;
	n->player = rc ? NULL : famfs_player_new(&n->cur);
	if (!rc && !n->player)
		rc = famfs_error_set(err, -ENOMEM, "out of memory");
	if (rc)
		famfs_namer_end(n);
	return rc;
}

int famfs_namer_lookup(const struct famfs_namer *n, const char *rel)
{
	if (!*rel)
		return FAMFS_ENTRY_MKDIR;	/* the root */
	return famfs_pathset_find(&n->names->set, rel);
}

uint64_t famfs_namer_children(const struct famfs_namer *n, const char *rel)
{
	const struct famfs_path_item *it = famfs_pathset_get(&n->names->set, rel);

	return it ? it->children : 0;
}

/* Deepest first: everything a directory holds goes before it. */
static int deeper_first(const void *a, const void *b)
{
	const char *pa = *(char *const *)a, *pb = *(char *const *)b;
	size_t da = famfs_path_depth(pa), db = famfs_path_depth(pb);

	if (da != db)
		return da < db ? 1 : -1;
	return strcmp(pa, pb);
}

static void free_paths(char **paths, size_t count)
{
	while (count--)
		free(paths[count]);
	free(paths);
}

int famfs_namer_subtree(const struct famfs_namer *n, const char *rel,
			char ***paths, size_t *count, struct famfs_error *err)
{
	const struct famfs_pathset *set = &n->names->set;
	char **out = malloc((set->count + 1) * sizeof(*out));
	size_t i, len = strlen(rel);
	const char *p;

	*count = 0;
	for (i = 0; out && i < set->cap; i++) {
		p = set->slot[i].path;
		if (!p || strncmp(p, rel, len) || p[len] != '/')
			continue;
		out[*count] = strdup(p);
		if (!out[*count]) {
			free_paths(out, *count);
			out = NULL;
		} else {
			++*count;
		}
	}
	if (!out)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	qsort(out, *count, sizeof(*out), deeper_first);
	*paths = out;
	return 0;
}

/*
 * No room for the entry: publish and play what is pending, compact the
 * log (docs/compaction.md), and read its namespace anew, whose seqs start
 * again; everything in it is played here already.
 */
static int make_room(struct famfs_namer *n, size_t need,
		     struct famfs_error *err)
{
	struct famfs_log *log = &n->fs->log;
	int rc;

	if (famfs_log_fits(log, need))
		return 0;
	rc = famfs_namer_commit(n, err);
	if (!rc)
		rc = famfs_log_compact_for(log, need, err);
	if (rc)
		return rc;
	famfs_names_free(n->names);
	famfs_names_init(n->names);
	rc = famfs_names_build(n->names, log, NULL, NULL, err);
	n->cur.off = log->hdr.next_off;
	n->cur.seq = log->hdr.next_seq;
	famfs_player_free(n->player);
	n->player = famfs_player_new(&n->cur);
	if (!rc && !n->player)
		rc = famfs_error_set(err, -ENOMEM, "out of memory");
	return rc;
}

static size_t entry_size(const struct famfs_entry *e)
{
	if (e->type == FAMFS_ENTRY_DELETE)
		return famfs_delete_entry_size(strlen(e->path));
	return famfs_rename_entry_size(strlen(e->path), strlen(e->dst));
}

/* Check e against the namespace and apply it there, then log it. */
static int add(struct famfs_namer *n, struct famfs_error *err)
{
	struct famfs_entry *e = n->e;
	char why[2 * FAMFS_PATH_SHOWN + 64];
	int rc;

	rc = make_room(n, entry_size(e), err);
	if (rc)
		return rc;
	e->seq = n->fs->log.cur.next_seq;
	rc = famfs_names_add(n->names, e, NULL, why, sizeof(why));
	if (rc < 0)
		return famfs_error_set(err, rc, "out of memory");
	if (rc)
		return famfs_error_set(err, rc, "%s: %s", shown(e->path), why);
	if (e->type == FAMFS_ENTRY_DELETE)
		rc = famfs_log_add_delete(&n->fs->log, e->path, err);
	else
		rc = famfs_log_add_rename(&n->fs->log, e->path, e->dst, err);
	if (rc)
		return rc;
	if (++n->npend >= FAMFS_CREATE_BATCH)
		return famfs_namer_commit(n, err);
	return 0;
}

static int set_path(char *dst, const char *src, struct famfs_error *err)
{
	int rc = famfs_path_check(src, strlen(src));

	if (rc)
		return famfs_error_set(err, rc, "%s: %s", *src ? shown(src) : "/",
				       famfs_strerror(rc));
	strcpy(dst, src);
	return 0;
}

int famfs_namer_delete(struct famfs_namer *n, const char *rel,
		       struct famfs_error *err)
{
	int rc = set_path(n->e->path, rel, err);

	if (rc)
		return rc;
	n->e->type = FAMFS_ENTRY_DELETE;
	rc = add(n, err);
	if (!rc)
		n->deleted++;
	return rc;
}

int famfs_namer_rename(struct famfs_namer *n, const char *src,
		       const char *dst, struct famfs_error *err)
{
	int rc = set_path(n->e->path, src, err);

	if (!rc)
		rc = set_path(n->e->dst, dst, err);
	if (rc)
		return rc;
	n->e->type = FAMFS_ENTRY_RENAME;
	rc = add(n, err);
	if (!rc)
		n->renamed++;
	return rc;
}

/* What play reports: the changes go to the caller, failures are counted. */
struct played {
	struct famfs_namer *n;
	unsigned int failed;
	char first[FAMFS_PATH_SHOWN + 600];
};

static void on_played(void *arg, const char *what, const char *path)
{
	struct played *p = arg;

	if (!strncmp(what, "error", 5) && !p->failed++)
		snprintf(p->first, sizeof(p->first), "%s: %s", shown(path), what);
	else if (p->n->report && (!strcmp(what, "delete") || !strcmp(what, "rename")))
		p->n->report(p->n->arg, what, path);
}

/* Play the published entries on the local mount, as any host does. */
static int play_local(struct famfs_namer *n, struct famfs_error *err)
{
	struct played p = { .n = n };
	struct famfs_play_opts o = { .writable = true, .report = on_played,
				     .arg = &p };
	struct famfs_play_stats st = { 0 };
	int rc;

	if (!n->fs->root)
		return 0;	/* offline: nothing mounted here */
	rc = famfs_player_play(n->player, &n->fs->log, n->fs->root_fd, &o, &st,
			       err);
	n->cur = famfs_player_cursor(n->player);
	if (!rc && p.failed)
		rc = famfs_error_set(err, -EIO,
				     "logged, but %u local change%s failed (famfs logplay retries): %s",
				     p.failed, p.failed == 1 ? "" : "s", p.first);
	return rc;
}

int famfs_namer_commit(struct famfs_namer *n, struct famfs_error *err)
{
	int rc;

	if (!n->npend)
		return 0;
	rc = famfs_log_commit(&n->fs->log, err);
	if (rc)
		return rc;
	n->npend = 0;
	return play_local(n, err);
}

void famfs_namer_end(struct famfs_namer *n)
{
	famfs_log_append_end(&n->fs->log);
	if (n->names)
		famfs_names_free(n->names);
	free(n->names);
	free(n->e);
	famfs_player_free(n->player);
	n->names = NULL;
	n->e = NULL;
	n->player = NULL;
}
