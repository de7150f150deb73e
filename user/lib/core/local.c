// SPDX-License-Identifier: GPL-2.0
/*
 * Local inodes: the directories and files this host's famfs mount shows,
 * made from log entries (mkdir, or create + FAMFS_IOC_MAP_CREATE) and
 * compared with them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "internal.h"

/* Directories the log never named (a damaged or foreign log): plain 0755. */
static int make_parents(int root_fd, const char *rel)
{
	char dir[FAMFS_PATH_MAX + 1], *p;

	snprintf(dir, sizeof(dir), "%s", rel);
	for (p = strchr(dir, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdirat(root_fd, dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/* A client's files are made without write permission. */
static uint32_t client_mode(uint32_t mode)
{
	return mode & ~0222U;
}

/* mkdirat, or openat(O_CREAT | O_EXCL) for a file: the fd, 0, or -errno. */
static int make_node_once(int root_fd, const char *rel, bool dir)
{
	int rc;

	if (dir)
		rc = mkdirat(root_fd, rel, 0700);
	else
		rc = openat(root_fd, rel, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC,
			    0600);
	return rc < 0 ? -errno : rc;
}

/*
 * Parents are made only when the node cannot be: in a log they come first,
 * so a replay costs one call per node, not one per path component.
 */
static int make_node(int root_fd, const char *rel, bool dir,
		     struct famfs_error *err)
{
	int rc = make_node_once(root_fd, rel, dir);

	if (rc == -ENOENT) {
		rc = make_parents(root_fd, rel);
		if (rc)
			return famfs_error_set(err, rc, "cannot create its directory: %s",
					       strerror(-rc));
		rc = make_node_once(root_fd, rel, dir);
	}
	if (rc < 0)
		return famfs_error_set(err, rc, "cannot create: %s",
				       strerror(-rc));
	return rc;
}

/*
 * Owner first: chown clears the set-user-ID and set-group-ID bits, which the
 * mode then puts back. meta->uid/gid are not applied when own is false.
 */
static int set_owner_mode(int fd, const struct famfs_meta *meta, bool own,
			  struct famfs_error *err)
{
	if (own && fchown(fd, meta->uid, meta->gid) < 0)
		return famfs_error_set(err, -errno, "chown: %s", strerror(errno));
	if (fchmod(fd, meta->mode & 07777) < 0)
		return famfs_error_set(err, -errno, "chmod: %s", strerror(errno));
	return 0;
}

/*
 * Map the file at fd (request: FAMFS_IOC_MAP_CREATE, or
 * FAMFS_IOC_MAP_CREATE_STRIPED for a striped map), then give it its owner
 * and mode.
 */
static int map_fd(int fd, const struct famfs_meta *meta, bool own,
		  unsigned long request, const void *map,
		  struct famfs_error *err)
{
	if (ioctl(fd, request, map) < 0)
		return famfs_error_set(err, -errno, "cannot map: %s",
				       strerror(errno));
	return set_owner_mode(fd, meta, own, err);
}

static int create_mapped(int root_fd, const char *rel,
			 const struct famfs_meta *meta, bool own,
			 unsigned long request, const void *map,
			 struct famfs_error *err)
{
	int fd, rc;

	fd = make_node(root_fd, rel, false, err);
	if (fd < 0)
		return fd;
	rc = map_fd(fd, meta, own, request, map, err);
	close(fd);
	return rc;
}

/* The file at rel, made before but left unmapped: map it now, once. */
static int map_unmapped(int root_fd, const char *rel,
			const struct famfs_meta *meta, unsigned long request,
			const void *map, struct famfs_error *err)
{
	struct famfs_ioc_extent *held = NULL;
	struct famfs_ioc_stripe_map now;
	int fd, rc;

	fd = openat(root_fd, rel, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "cannot open: %s",
				       strerror(errno));
	rc = famfs_map_get(fd, &now, &held, err);
	free(held);
	if (rc == -ENODATA)
		rc = map_fd(fd, meta, true, request, map, err);
	close(fd);
	return rc;
}

/* A failure's message names the node first, as output shows a path. */
static int named(int rc, const char *rel, struct famfs_error *err)
{
	char shown[FAMFS_PATH_SHOWN];

	if (rc)
		famfs_error_prefix(err, famfs_path_show(shown, sizeof(shown), rel));
	return rc;
}

int famfs_local_map(int root_fd, const char *rel, uint32_t mode,
		    const struct famfs_ioc_map *map, struct famfs_error *err)
{
	struct famfs_meta meta = { .mode = mode };

	return named(create_mapped(root_fd, rel, &meta, false,
				   FAMFS_IOC_MAP_CREATE, map, err), rel, err);
}

/* Make (or, late, map the unmapped) file rel with n extents x. */
static int map_file(int root_fd, const char *rel, const struct famfs_meta *meta,
		    const struct famfs_extent_info *x, uint32_t n,
		    uint64_t chunk, bool readonly, bool late,
		    struct famfs_error *err)
{
	struct famfs_ioc_extent *ext = calloc(n + 1, sizeof(*ext));
	struct famfs_ioc_stripe_map sm = {
		.map = {
			.file_size = meta->size, .file_type = FAMFS_FILE_REG,
			.flags = (readonly ? FAMFS_MAP_READONLY : 0) |
				 (chunk ? FAMFS_MAP_STRIPED : 0),
			.n_extents = n, .extents = (uintptr_t)ext,
		},
		.chunk_size = chunk,
	};
	struct famfs_meta local = *meta;
	unsigned long request;
	const void *map;
	uint32_t i;
	int rc;

	if (!ext)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		ext[i].dev_index = x[i].dev_index;
		ext[i].offset = x[i].offset;
		ext[i].len = x[i].len;
	}
	if (readonly)
		local.mode = client_mode(local.mode);
	/* A plain file keeps the call every module version knows. */
	request = chunk ? FAMFS_IOC_MAP_CREATE_STRIPED : FAMFS_IOC_MAP_CREATE;
	map = chunk ? (const void *)&sm : &sm.map;
	rc = late ? map_unmapped(root_fd, rel, &local, request, map, err) :
		    create_mapped(root_fd, rel, &local, true, request, map, err);
	free(ext);
	return rc;
}

static int make_dir(int root_fd, const char *rel, const struct famfs_meta *meta,
		    struct famfs_error *err)
{
	int fd, rc;

	rc = make_node(root_fd, rel, true, err);
	if (rc)
		return rc;
	fd = openat(root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s", strerror(errno));
	rc = set_owner_mode(fd, meta, true, err);
	close(fd);
	return rc;
}

int famfs_local_create(int root_fd, const char *rel, int type,
		       const struct famfs_meta *meta,
		       const struct famfs_extent_info *ext, uint32_t n,
		       uint64_t chunk, bool readonly, struct famfs_error *err)
{
	int rc;

	if (type == FAMFS_ENTRY_MKDIR)
		rc = make_dir(root_fd, rel, meta, err);
	else
		rc = map_file(root_fd, rel, meta, ext, n, chunk, readonly, false,
			      err);
	return named(rc, rel, err);
}

/* e's extents, in an array to free; NULL when memory runs out. */
static struct famfs_extent_info *entry_extents(const struct famfs_entry *e)
{
	struct famfs_extent_info *ext = calloc(e->n_extents + 1, sizeof(*ext));
	uint32_t i;

	for (i = 0; ext && i < e->n_extents; i++)
		famfs_entry_extent(e, i, &ext[i]);
	return ext;
}

int famfs_entry_create(int root_fd, const struct famfs_entry *e,
		       bool readonly, struct famfs_error *err)
{
	struct famfs_extent_info *ext = entry_extents(e);
	int rc;

	if (!ext)
		return named(famfs_error_set(err, -ENOMEM, "out of memory"),
			     e->path, err);
	rc = famfs_local_create(root_fd, e->path, e->type, &e->meta, ext,
				e->n_extents, e->chunk_size, readonly, err);
	free(ext);
	return rc;
}

int famfs_entry_map_late(int root_fd, const char *rel,
			 const struct famfs_entry *e, bool readonly,
			 struct famfs_error *err)
{
	struct famfs_extent_info *ext = entry_extents(e);
	int rc;

	rc = ext ? map_file(root_fd, rel, &e->meta, ext, e->n_extents,
			    e->chunk_size, readonly, true, err) :
		   famfs_error_set(err, -ENOMEM, "out of memory");
	free(ext);
	return named(rc, rel, err);
}

/* MAP_GET_STRIPED, or MAP_GET from a module before ABI 5 (no stripes). */
static int map_get_call(int fd, struct famfs_ioc_stripe_map *sm)
{
	if (!ioctl(fd, FAMFS_IOC_MAP_GET_STRIPED, sm))
		return 0;
	if (errno != ENOTTY)
		return -1;
	sm->chunk_size = 0;
	return ioctl(fd, FAMFS_IOC_MAP_GET, &sm->map);
}

int famfs_map_get(int fd, struct famfs_ioc_stripe_map *sm,
		  struct famfs_ioc_extent **ext, struct famfs_error *err)
{
	struct famfs_ioc_map *map = &sm->map;

	memset(sm, 0, sizeof(*sm));
	*ext = NULL;
	if (map_get_call(fd, sm) < 0)
		return famfs_error_set(err, -errno, "%s",
				       errno == ENODATA ? "not mapped" :
				       errno == ENOTTY ? "not a famfs file" :
				       strerror(errno));
	*ext = calloc(map->n_extents + 1, sizeof(**ext));
	if (!*ext)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	map->extents = (uintptr_t)*ext;
	if (map->n_extents && map_get_call(fd, sm) < 0) {
		free(*ext);
		*ext = NULL;
		return famfs_error_set(err, -errno, "%s", strerror(errno));
	}
	return 0;
}

static int map_differs(const struct famfs_entry *e,
		       const struct famfs_ioc_stripe_map *sm,
		       const struct famfs_ioc_extent *ext, char *why, size_t len)
{
	const struct famfs_ioc_map *map = &sm->map;
	struct famfs_extent_info x;
	uint32_t i;

	if (map->file_size != e->meta.size) {
		snprintf(why, len, "size %llu, the log says %llu",
			 (unsigned long long)map->file_size,
			 (unsigned long long)e->meta.size);
		return 1;
	}
	if (sm->chunk_size != e->chunk_size) {
		snprintf(why, len, "chunk size %llu, the log says %llu",
			 (unsigned long long)sm->chunk_size,
			 (unsigned long long)e->chunk_size);
		return 1;
	}
	if (map->n_extents != e->n_extents) {
		snprintf(why, len, "%u extents, the log says %u",
			 map->n_extents, e->n_extents);
		return 1;
	}
	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		if (ext[i].dev_index != x.dev_index ||
		    ext[i].offset != x.offset || ext[i].len != x.len) {
			snprintf(why, len, "extent %u is %u:%#llx+%#llx, the log says %u:%#llx+%#llx",
				 i, ext[i].dev_index,
				 (unsigned long long)ext[i].offset,
				 (unsigned long long)ext[i].len, x.dev_index,
				 (unsigned long long)x.offset,
				 (unsigned long long)x.len);
			return 1;
		}
	}
	return 0;
}

/* A file with its logged mode, or with the mode a client gives it, matches. */
static int attrs_differ(const struct famfs_entry *e, const struct stat *st,
			char *why, size_t len)
{
	unsigned int mode = st->st_mode & 07777, logged = e->meta.mode & 07777;

	if (st->st_uid != e->meta.uid || st->st_gid != e->meta.gid) {
		snprintf(why, len, "owner %u:%u, the log says %u:%u",
			 (unsigned int)st->st_uid, (unsigned int)st->st_gid,
			 e->meta.uid, e->meta.gid);
		return 1;
	}
	if (mode != logged &&
	    !(S_ISREG(st->st_mode) && mode == client_mode(logged))) {
		snprintf(why, len, "mode %04o, the log says %04o", mode, logged);
		return 1;
	}
	return 0;
}

int famfs_local_match(int root_fd, const struct famfs_entry *e, char *why,
		      size_t len)
{
	struct famfs_error err = { 0 };
	struct famfs_ioc_stripe_map map;
	struct famfs_ioc_extent *ext;
	struct stat st;
	int fd, rc;

	if (fstatat(root_fd, e->path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return 1;
	}
	if (e->type == FAMFS_ENTRY_MKDIR && !S_ISDIR(st.st_mode)) {
		snprintf(why, len, "not a directory");
		return 1;
	}
	if (e->type == FAMFS_ENTRY_FILE && !S_ISREG(st.st_mode)) {
		snprintf(why, len, "not a regular file");
		return 1;
	}
	rc = attrs_differ(e, &st, why, len);
	if (rc || e->type == FAMFS_ENTRY_MKDIR)
		return rc;
	fd = openat(root_fd, e->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return 1;
	}
	rc = famfs_map_get(fd, &map, &ext, &err);
	close(fd);
	if (rc) {
		snprintf(why, len, "%s", err.msg);
		return 1;
	}
	rc = map_differs(e, &map, ext, why, len);
	free(ext);
	return rc;
}

/*
 * Two players may work on one mount (a command on the master and the
 * mount's follower, or a foreground and a background follower): the
 * inode the other just created may not be mapped yet. Give it a moment
 * before calling it different.
 */
int famfs_local_match_settled(int root_fd, const struct famfs_entry *e,
			      char *why, size_t len)
{
	struct timespec ms = { 0, 1000000L };
	int tries, rc;

	for (tries = 0;; tries++) {
		rc = famfs_local_match(root_fd, e, why, len);
		if (!rc || tries == 200)
			return rc;
		nanosleep(&ms, NULL);
	}
}
