// SPDX-License-Identifier: GPL-2.0
/*
 * famfs check: does this host's view match the log? Every logged path must
 * exist locally with its logged map, and every local inode must be logged.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"

struct check {
	struct famfs_pathset logged;
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

static int check_logged(struct check *k, struct famfs_fs *fs,
			struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	char why[512];
	int rc = 0;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	famfs_log_iter_init(&it, &fs->log);
	while (!rc && famfs_log_iter_more(&it)) {
		rc = famfs_log_iter_next(&it, e, err);
		if (rc)
			break;
		if (famfs_pathset_add(&k->logged, e->path, e->type, e->seq) < 0)
			rc = famfs_error_set(err, -ENOMEM, "out of memory");
		else if (famfs_local_match(fs->root_fd, e, why, sizeof(why)))
			problem(k, e->path, why);
	}
	if (!rc)
		rc = famfs_log_iter_finish(&it, err);
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
	if (!famfs_pathset_find(&k->logged, path))
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
	famfs_pathset_init(&k.logged);
	rc = check_logged(&k, fs, err);
	fd = rc ? -1 : dup(fs->root_fd);
	if (!rc && fd < 0)
		rc = famfs_error_set(err, -errno, "%s: %s", fs->root, strerror(errno));
	if (!rc)
		walk_local(&k, fd, "");
	famfs_pathset_free(&k.logged);
	return rc;
}
