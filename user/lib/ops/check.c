// SPDX-License-Identifier: GPL-2.0
/*
 * famfs check: does this host's view match the log? Every path that exists
 * at the end of the log (deleted ones do not, renamed ones under their new
 * name) must exist locally with its logged map, and every local inode must
 * be such a path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"

struct check {
	struct famfs_names names;	/* the log's namespace at its end */
	struct famfs_offsets offs;
	void (*problem)(void *arg, const char *path, const char *why);
	void *arg;
	struct famfs_check_stats *st;
};

static void problem(struct check *k, const char *path, const char *why)
{
	k->st->problems++;
	if (k->problem)
		k->problem(k->arg, path, why);
}

static int note_offset(void *arg, const struct famfs_entry *e,
		       const struct famfs_path_item *was, uint64_t off,
		       struct famfs_error *err)
{
	struct check *k = arg;

	(void)was;
	if (famfs_offsets_note(&k->offs, e->seq, off))
		return famfs_error_set(err, -ENOMEM, "out of memory");
	return 0;
}

/* Entry seq, re-read, with the path it has now. */
static void compare(struct check *k, struct famfs_fs *fs, uint64_t seq,
		    const char *now, struct famfs_entry *e)
{
	char why[512];

	if (famfs_offsets_decode(&k->offs, &fs->log, seq, e))
		return;		/* it decoded a moment ago: a torn re-read */
	snprintf(e->path, sizeof(e->path), "%s", now);
	if (famfs_local_match(fs->root_fd, e, why, sizeof(why)))
		problem(k, now, why);
}

/* Every path that exists at the end of the log, as its entry logged it. */
static int check_logged(struct check *k, struct famfs_fs *fs,
			struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	const char **live = NULL;
	uint64_t seq;
	int rc;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	rc = famfs_names_build(&k->names, &fs->log, note_offset, k, err);
	if (!rc) {
		live = famfs_names_live(&k->names);
		if (!live)
			rc = famfs_error_set(err, -ENOMEM, "out of memory");
	}
	for (seq = 0; !rc && seq < k->names.nseq; seq++)
		if (live[seq])
			compare(k, fs, seq, live[seq], e);
	free(live);
	free(e);
	return rc;
}

static void walk_local(struct check *k, int dir_fd, const char *rel);

static void visit(struct check *k, int dir_fd, const char *rel,
		  const struct dirent *de)
{
	char path[FAMFS_PATH_MAX + 2];
	int fd;

	snprintf(path, sizeof(path), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
	if (de->d_type == DT_DIR)
		k->st->dirs++;
	else
		k->st->files++;
	if (!famfs_pathset_find(&k->names.set, path))
		problem(k, path, "not in the log");
	if (de->d_type != DT_DIR)
		return;
	fd = openat(dir_fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		problem(k, path, strerror(errno));
		return;
	}
	walk_local(k, fd, path);	/* closes fd */
}

static void walk_local(struct check *k, int dir_fd, const char *rel)
{
	DIR *d = fdopendir(dir_fd);
	struct dirent *de;

	if (!d) {
		close(dir_fd);
		problem(k, *rel ? rel : "/", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    (!*rel && !strcmp(de->d_name, FAMFS_META_DIR)))
			continue;
		visit(k, dirfd(d), rel, de);
	}
	closedir(d);
}

int famfs_check(struct famfs_fs *fs,
		void (*report)(void *arg, const char *path, const char *why),
		void *arg, struct famfs_check_stats *st,
		struct famfs_error *err)
{
	struct check k = { .problem = report, .arg = arg, .st = st };
	int rc, fd;

	memset(st, 0, sizeof(*st));
	famfs_names_init(&k.names);
	rc = check_logged(&k, fs, err);
	fd = rc ? -1 : dup(fs->root_fd);
	if (!rc && fd < 0)
		rc = famfs_error_set(err, -errno, "%s: %s", fs->root, strerror(errno));
	if (!rc)
		walk_local(&k, fd, "");
	famfs_names_free(&k.names);
	famfs_offsets_free(&k.offs);
	return rc;
}
