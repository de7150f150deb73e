// SPDX-License-Identifier: GPL-2.0
/*
 * Prune: after a compaction, the log no longer says what was deleted, so
 * a host whose tree holds something the log's end lacks removes it here
 * (docs/compaction.md, "Following across a switch"). A path the log holds
 * as another type, or a file whose map is not the logged one, goes too;
 * log play then makes the logged one. What stays keeps its inode.
 *
 * A removed file's map goes to the pruned hook first: the follower keeps
 * its extents pinned while this host still holds the file open, as it
 * does for a DELETE.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "play.h"

static void prune_failed(struct play *p, const char *rel, int errnum)
{
	char what[600];

	p->st->errors++;
	snprintf(what, sizeof(what), "error (cannot remove: %s)",
		 strerror(errnum));
	famfs_play_report(p, what, rel);
}

/* Hand the map of the file at rel to the hook, before it is unlinked. */
static void note_pruned(struct play *p, const char *rel)
{
	const struct famfs_play_opts *o = p->o;
	struct famfs_ioc_extent *ext = NULL;
	struct famfs_ioc_stripe_map map;
	int fd;

	if (!o->pruned)
		return;
	fd = openat(p->root_fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && !famfs_map_get(fd, &map, &ext, NULL))
		o->pruned(o->hook_arg, ext, map.map.n_extents);
	else
		o->pruned(o->hook_arg, NULL, 1);	/* unknown: held */
	if (fd >= 0)
		close(fd);
	free(ext);
}

static void prune_dir(struct play *p, const char *rel, bool all);

static void remove_path(struct play *p, const char *rel, bool dir)
{
	if (dir)
		prune_dir(p, rel, true);
	else
		note_pruned(p, rel);
	if (!p->o->dry_run &&
	    unlinkat(p->root_fd, rel, dir ? AT_REMOVEDIR : 0) < 0) {
		if (errno != ENOENT)
			prune_failed(p, rel, errno);
		return;
	}
	p->st->deleted++;
	famfs_play_report(p, "prune", rel);
}

/* Keep rel if the log's end holds it as it is here. */
static bool keep(struct play *p, const char *rel, bool dir)
{
	const struct famfs_path_item *item = famfs_pathset_get(&p->end.set, rel);

	if (!item)
		return false;
	if (dir)
		return item->type == FAMFS_ENTRY_MKDIR;
	/* Cannot tell: leave it. */
	return item->type == FAMFS_ENTRY_FILE &&
	       famfs_play_file_is(p, rel, item->seq) != 0;
}

static void prune_entry(struct play *p, const char *rel, bool dir, bool all)
{
	if (all || !keep(p, rel, dir))
		remove_path(p, rel, dir);
	else if (dir)
		prune_dir(p, rel, false);
}

/* Walk the directory rel ("" for the root); all: remove everything in it. */
static void prune_dir(struct play *p, const char *rel, bool all)
{
	char child[FAMFS_PATH_MAX + 2];
	struct dirent *d;
	struct stat sb;
	DIR *dir;
	int fd;

	fd = openat(p->root_fd, *rel ? rel : ".",
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		prune_failed(p, *rel ? rel : "/", errno);
		return;
	}
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    (!*rel && !strcmp(d->d_name, FAMFS_META_DIR)))
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "",
			     d->d_name) > FAMFS_PATH_MAX ||
		    fstatat(p->root_fd, child, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* no log path is that long: not ours */
		prune_entry(p, child, S_ISDIR(sb.st_mode), all);
	}
	closedir(dir);
}

uint64_t famfs_play_prune(struct play *p)
{
	uint64_t before = p->st->deleted;

	prune_dir(p, "", false);
	return p->st->deleted - before;
}
