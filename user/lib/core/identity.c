// SPDX-License-Identifier: GPL-2.0
/*
 * This host's system UUID and its role for a file system: the master is the
 * host whose system UUID the superblock names; every other host is a client.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/libfamfs.h"

#define UUID_TEXT_LEN	36
#define UUID_FILE_MAX	64	/* a UUID and some white space */

const char *famfs_system_uuid_path(void)
{
	const char *env = getenv(FAMFS_SYSTEM_UUID_ENV);

	return env && *env ? env : FAMFS_SYSTEM_UUID_FILE;
}

/*
 * The file holds the UUID as text and, after it, any white space: a
 * newline, or CR LF from an editor that writes them. Nothing else.
 */
static int uuid_file_read(const char *path, uint8_t uuid[16],
			  struct famfs_error *err)
{
	char buf[UUID_FILE_MAX + 1];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s", path,
				       strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return famfs_error_set(err, -errno, "%s: %s", path,
				       strerror(errno));
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	if (n != UUID_TEXT_LEN || uuid_parse(buf, uuid))
		return famfs_error_set(err, -EINVAL,
				       "%s: does not hold a UUID", path);
	return 0;
}

/* mkdir -p of path's parent directory. */
static int make_parent(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Write a new UUID to a temporary file, then link() it into place: link
 * fails if another process created the file first, and then its UUID wins.
 */
static int uuid_file_create(const char *path, struct famfs_error *err)
{
	char tmp[PATH_MAX], text[UUID_TEXT_LEN + 2];
	uuid_t uuid;
	int fd, rc;

	rc = make_parent(path);
	if (rc)
		return famfs_error_set(err, rc, "%s: cannot create its directory: %s",
				       path, strerror(-rc));
	uuid_generate(uuid);
	uuid_unparse_lower(uuid, text);
	strcat(text, "\n");
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fsync(fd))
		rc = -EIO;
	close(fd);
	if (!rc && link(tmp, path) < 0 && errno != EEXIST)
		rc = -errno;
	unlink(tmp);
	if (rc)
		return famfs_error_set(err, rc, "%s: cannot create: %s", path,
				       strerror(-rc));
	return 0;
}

int famfs_system_uuid(uint8_t uuid[16], struct famfs_error *err)
{
	const char *path = famfs_system_uuid_path();
	int rc;

	rc = uuid_file_read(path, uuid, err);
	if (rc != -ENOENT)
		return rc;
	rc = uuid_file_create(path, err);
	if (rc)
		return rc;
	return uuid_file_read(path, uuid, err);
}

int famfs_role(const struct famfs_sb_info *sb, enum famfs_role *role,
	       struct famfs_error *err)
{
	uint8_t sys[16];
	int rc;

	rc = famfs_system_uuid(sys, err);
	if (rc)
		return rc;
	*role = memcmp(sys, sb->master_uuid, sizeof(sys)) ?
		FAMFS_ROLE_CLIENT : FAMFS_ROLE_MASTER;
	return 0;
}

int famfs_role_mapped(const void *sb_map, size_t len, struct famfs_sb_info *sb,
		      enum famfs_role *role, struct famfs_error *err)
{
	int rc;

	/* Another host may have rewritten it (mkfs) since this host cached it. */
	famfs_invalidate(sb_map, sizeof(struct famfs_superblock));
	rc = famfs_sb_decode(sb_map, len, sb);
	if (rc)
		return famfs_error_set(err, rc, "superblock: %s",
				       famfs_strerror(rc));
	return famfs_role(sb, role, err);
}

const char *famfs_role_name(enum famfs_role role)
{
	return role == FAMFS_ROLE_MASTER ? "master" : "client";
}
