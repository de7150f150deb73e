// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching a file system: through its mount (the metadata files map the
 * superblock and the log, so every access goes through famfs.ko) or
 * offline through its device or image.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "internal.h"

bool famfs_path_reserved(const char *rel)
{
	size_t len = strlen(FAMFS_META_DIR);

	return !strncmp(rel, FAMFS_META_DIR, len) &&
	       (!rel[len] || rel[len] == '/');
}

void famfs_path_normalize(char *path)
{
	char *out = path, *p = path;
	size_t len;

	while (*p) {
		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		if (len == 1 && p[0] == '.') {
			p += len;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out > path && *--out != '/')
				;
			p += len;
			continue;
		}
		*out++ = '/';
		memmove(out, p, len);
		out += len;
		p += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

static int probe_path(const char *path, struct famfs_ioc_probe *probe)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, FAMFS_IOC_PROBE, probe) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int famfs_fs_relpath(const struct famfs_fs *fs, const char *path, char **rel,
		     struct famfs_error *err)
{
	char *root;
	int rc;

	if (!fs->root)	/* offline: paths are relative to the root already */
		return (*rel = strdup(path)) ? 0 :
		       famfs_error_set(err, -ENOMEM, "out of memory");
	rc = famfs_path_resolve(path, &root, rel, err);
	if (!rc && strcmp(root, fs->root)) {
		rc = famfs_error_set(err, -EXDEV, "%s: not in the famfs mounted at %s",
				     path, fs->root);
		free(*rel);
		*rel = NULL;
	}
	free(root);
	return rc;
}

/* dir's parent, malloc'ed ("/" for "/x"). */
static char *parent_dir(const char *dir)
{
	char *up = strdup(dir), *slash;

	if (!up)
		return NULL;
	slash = strrchr(up, '/');
	slash[slash == up] = '\0';
	return up;
}

/* The highest directory above dir on the same file system: the mount root. */
static char *mount_root(const char *dir)
{
	char *root = strdup(dir), *up;
	struct stat st, ust;

	if (!root || stat(root, &st) < 0) {
		free(root);
		return NULL;
	}
	while (strcmp(root, "/")) {
		up = parent_dir(root);
		if (!up || stat(up, &ust) < 0 || ust.st_dev != st.st_dev) {
			free(up);
			break;
		}
		free(root);
		root = up;
	}
	return root;
}

/*
 * The longest existing prefix of the absolute path abs, resolved; *tail
 * points at the rest of abs (the components that do not exist yet).
 */
static char *existing_prefix(const char *abs, const char **tail)
{
	char *prefix = strdup(abs), *slash, *real = NULL;

	if (!prefix)
		return NULL;
	for (;;) {
		real = realpath(prefix, NULL);
		if (real || errno != ENOENT)
			break;
		slash = strrchr(prefix, '/');
		slash[slash == prefix] = '\0';
	}
	*tail = abs + strlen(prefix);
	while (**tail == '/')
		(*tail)++;
	free(prefix);
	return real;
}

static char *absolute(const char *path)
{
	char cwd[PATH_MAX], *abs;

	if (path[0] == '/')
		abs = strdup(path);
	else if (!getcwd(cwd, sizeof(cwd)) ||
		 asprintf(&abs, "%s/%s", cwd, path) < 0)
		abs = NULL;
	if (abs)
		famfs_path_normalize(abs);
	return abs;
}

/* rel of full below root, with tail (missing components) appended. */
static char *relative(const char *root, const char *real, const char *tail)
{
	const char *r = real + strlen(root);
	char *rel;

	while (*r == '/')
		r++;
	if (asprintf(&rel, "%s%s%s", r, *r && *tail ? "/" : "", tail) < 0)
		return NULL;
	return rel;
}

int famfs_path_resolve(const char *path, char **root, char **rel,
		       struct famfs_error *err)
{
	struct famfs_ioc_probe probe;
	char *abs = absolute(path), *real = NULL, *dir;
	const char *tail;
	struct stat st;
	int rc = -ENOMEM;

	*root = *rel = NULL;
	if (!abs)
		return famfs_error_set(err, -ENOMEM, "%s: out of memory", path);
	real = existing_prefix(abs, &tail);
	if (!real) {
		rc = famfs_error_set(err, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	dir = strdup(real);
	if (dir && stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		*strrchr(dir, '/') = '\0';
	*root = dir ? mount_root(*dir ? dir : "/") : NULL;
	free(dir);
	if (*root && probe_path(*root, &probe)) {
		rc = famfs_error_set(err, -ENOTTY, "%s: not in a famfs file system",
				     path);
		goto out;
	}
	*rel = *root ? relative(*root, real, tail) : NULL;
	rc = *rel ? 0 : famfs_error_set(err, -ENOMEM, "%s: out of memory", path);
out:
	if (rc) {
		free(*root);
		*root = NULL;
	}
	free(abs);
	free(real);
	return rc;
}

int famfs_mount_source(const char *root, const char *mounts, char **source)
{
	struct mntent ent, *m;
	char buf[3 * PATH_MAX];
	FILE *f;

	*source = NULL;
	f = setmntent(mounts ? mounts : "/proc/self/mounts", "re");
	if (!f)
		return -errno;
	while ((m = getmntent_r(f, &ent, buf, sizeof(buf)))) {
		if (strcmp(m->mnt_type, "famfs") || strcmp(m->mnt_dir, root))
			continue;
		free(*source);
		*source = strdup(m->mnt_fsname);	/* the last one is on top */
	}
	endmntent(f);
	return *source ? 0 : -ENOENT;
}

static int map_meta(int root_fd, const char *rel, bool writable, size_t *len,
		    void **map, struct famfs_error *err)
{
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);
	struct stat st;
	int fd, rc = 0;

	fd = openat(root_fd, rel, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s (is the file system mounted with famfs mount?)",
				       rel, strerror(errno));
	if (fstat(fd, &st) < 0 || !st.st_size) {
		rc = famfs_error_set(err, -ENODATA, "%s: not mapped", rel);
		goto out;
	}
	*len = st.st_size;
	*map = mmap(NULL, *len, prot, MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED) {
		*map = NULL;
		rc = famfs_error_set(err, -errno, "%s: cannot map: %s", rel,
				     strerror(errno));
	}
out:
	close(fd);
	return rc;
}

static int client_refusal(const char *device, const struct famfs_sb_info *sb,
			  struct famfs_error *err)
{
	char master[40];

	uuid_unparse_lower(sb->master_uuid, master);
	return famfs_error_set(err, -EPERM,
			       "this host is a client of the file system on %s; only the master (system UUID %s) can create files",
			       device, master);
}

/* Refuse a client before it tries to map the log, which is read-only there. */
static int refuse_client_mapped(const struct famfs_fs *fs,
				struct famfs_error *err)
{
	struct famfs_sb_info sb;
	enum famfs_role role;
	int rc;

	rc = famfs_role_mapped(fs->sb_map, fs->sb_map_len, &sb, &role, err);
	if (!rc && role == FAMFS_ROLE_CLIENT)
		rc = client_refusal(fs->device, &sb, err);
	return rc;
}

/* Map the metadata files of the famfs mounted at root. */
static int map_mounted(struct famfs_fs *fs, const char *root,
		       unsigned int flags, struct famfs_error *err)
{
	bool write = flags & FAMFS_FS_WRITE;
	struct famfs_ioc_probe probe;
	int rc;

	fs->root = strdup(root);
	if (!fs->root || (flags & FAMFS_FS_ROOT) ||
	    famfs_mount_source(root, NULL, &fs->device))
		fs->device = strdup(root);
	fs->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fs->root_fd < 0 || ioctl(fs->root_fd, FAMFS_IOC_PROBE, &probe) < 0)
		return famfs_error_set(err, -errno, "%s: not a famfs mount: %s",
				       root, strerror(errno));
	fs->dev_size = probe.dev_size;
	/* The master writes the active-log record there when it compacts. */
	rc = map_meta(fs->root_fd, FAMFS_META_SB,
		      flags & (FAMFS_FS_HOSTS | FAMFS_FS_WRITE),
		      &fs->sb_map_len, &fs->sb_map, err);
	if (rc)
		goto fail;
	rc = write ? refuse_client_mapped(fs, err) : 0;
	if (rc == -EPERM)
		return rc;	/* the refusal names the device already */
	if (!rc)
		rc = map_meta(fs->root_fd, FAMFS_META_LOG, write,
			      &fs->log_map_len, &fs->log_map, err);
	if (!rc)
		return 0;
fail:
	famfs_error_prefix(err, root);
	return rc;
}

static int open_mounted(struct famfs_fs *fs, const char *root,
			unsigned int flags, struct famfs_error *err)
{
	int rc = map_mounted(fs, root, flags, err);

	if (rc)
		return rc;
	rc = famfs_log_open_mem(&fs->log, fs->sb_map, fs->sb_map_len,
				fs->log_map, fs->log_map_len,
				flags & FAMFS_FS_WRITE, err);
	if (rc)
		famfs_error_prefix(err, root);
	return rc;
}

static int open_offline(struct famfs_fs *fs, const char *path, bool write,
			struct famfs_error *err)
{
	int rc;

	fs->device = strdup(path);
	rc = famfs_device_open(&fs->dev, path, write ? FAMFS_DEV_RDWR : 0, err);
	if (!rc)
		rc = famfs_log_open(&fs->log, &fs->dev, err);
	fs->dev_size = fs->dev.size;
	return rc;
}

/* A device, an image, or something that is neither a directory nor in famfs. */
static bool is_offline_target(const char *path)
{
	struct famfs_ioc_probe probe;
	struct stat st;

	if (stat(path, &st) < 0 || S_ISDIR(st.st_mode))
		return false;
	return S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode) ||
	       probe_path(path, &probe);
}

/*
 * The mount point of a device famfs has mounted here, or NULL. Such a device
 * is read through its mount's metadata files: a kernel that holds a
 * /dev/dax device refuses to map it for anyone else, and the mount reads
 * the memory itself rather than a page cache of it.
 */
static char *famfs_mount_of(const char *device)
{
	struct famfs_ioc_probe probe;
	char *where = NULL;

	if (famfs_device_mounted(device, NULL, &where) != 1)
		return NULL;
	if (probe_path(where, &probe)) {
		free(where);
		return NULL;
	}
	return where;
}

/*
 * What path names: a device or image to read offline (*root stays NULL),
 * or the root of the famfs mount it is in; for a device famfs has mounted
 * here, that mount.
 */
static int resolve_target(const char *path, bool offline_ok, char **root,
			  char **rel, struct famfs_error *err)
{
	*root = *rel = NULL;
	if (offline_ok && is_offline_target(path)) {
		*root = famfs_mount_of(path);
		return 0;
	}
	return famfs_path_resolve(path, root, rel, err);
}

static void fs_init(struct famfs_fs *fs)
{
	uint32_t i;

	memset(fs, 0, sizeof(*fs));
	fs->root_fd = fs->dev.fd = -1;
	for (i = 0; i < FAMFS_MAX_DEVICES; i++)
		fs->data_fd[i] = -1;
}

int famfs_fs_open(struct famfs_fs *fs, const char *path, unsigned int flags,
		  struct famfs_error *err)
{
	bool write = flags & FAMFS_FS_WRITE;
	char *root, *rel;
	enum famfs_role role;
	int rc;

	fs_init(fs);
	if (flags & FAMFS_FS_ROOT) {
		root = strdup(path);
		rel = NULL;
		rc = root ? 0 : famfs_error_set(err, -ENOMEM, "out of memory");
	} else {
		rc = resolve_target(path, flags & FAMFS_FS_OFFLINE, &root, &rel,
				    err);
	}
	if (!rc)
		rc = root ? open_mounted(fs, root, flags, err) :
		     open_offline(fs, path, write, err);
	/* Only a writer needs this host's role: reading needs no identity. */
	if (!rc && write)
		rc = famfs_role(&fs->log.sb, &role, err);
	if (!rc && write && role == FAMFS_ROLE_CLIENT)
		rc = client_refusal(fs->device, &fs->log.sb, err);
	free(root);
	free(rel);
	if (rc)
		famfs_fs_close(fs);
	return rc;
}

int famfs_fs_open_meta(struct famfs_fs *fs, const char *path, bool *offline,
		       struct famfs_error *err)
{
	char *root, *rel;
	int rc;

	fs_init(fs);
	rc = resolve_target(path, true, &root, &rel, err);
	*offline = !rc && !root;
	if (!rc && root)
		rc = map_mounted(fs, root, 0, err);
	free(root);
	free(rel);
	if (rc)
		famfs_fs_close(fs);
	return rc;
}

void famfs_fs_close(struct famfs_fs *fs)
{
	if (fs->sb_map)
		munmap(fs->sb_map, fs->sb_map_len);
	if (fs->log_map)
		munmap(fs->log_map, fs->log_map_len);
	if (fs->root_fd >= 0)
		close(fs->root_fd);
	famfs_fs_close_data(fs);
	if (fs->dev.base || fs->dev.fd >= 0)
		famfs_device_close(&fs->dev);
	free(fs->root);
	free(fs->device);
	fs_init(fs);
}
