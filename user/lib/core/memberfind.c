// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a member by its label, not its path: device names differ from
 * host to host, so every /dev/dax* and /dev/pmem* is read and the one
 * whose label names the file system, the member's index, UUID and size
 * is the member.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uuid/uuid.h>

#include "internal.h"

/* Near misses named in a refusal. */
#define SEEN_MAX	3

const char *famfs_dev_dir(void)
{
	const char *dir = getenv(FAMFS_DEV_DIR_ENV);

	return dir && *dir ? dir : FAMFS_DEV_DIR;
}

static bool member_name(const char *name)
{
	return !strncmp(name, "dax", 3) || !strncmp(name, "pmem", 4);
}

bool famfs_same_file(const char *a, const char *b)
{
	struct stat x, y;

	if (!b || stat(a, &x) || stat(b, &y))
		return false;
	if ((S_ISCHR(x.st_mode) || S_ISBLK(x.st_mode)) &&
	    (x.st_mode & S_IFMT) == (y.st_mode & S_IFMT))
		return x.st_rdev == y.st_rdev;
	return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* What a label that is not the member's says instead, or "" to say nothing. */
static void near_miss(const uint8_t fs_uuid[16],
		      const struct famfs_member_info *want,
		      const uint8_t got_fs[16],
		      const struct famfs_member_info *got, char *buf,
		      size_t len)
{
	char u[40];

	if (memcmp(got_fs, fs_uuid, 16)) {
		uuid_unparse_lower(got_fs, u);
		snprintf(buf, len, "member %u of file system %s", got->index, u);
	} else if (got->index != want->index) {
		snprintf(buf, len, "member %u of this file system", got->index);
	} else if (memcmp(got->uuid, want->uuid, 16)) {
		uuid_unparse_lower(got->uuid, u);
		snprintf(buf, len, "member %u with UUID %s", got->index, u);
	} else {
		snprintf(buf, len, "member %u of %llu bytes, not %llu",
			 got->index, (unsigned long long)got->size,
			 (unsigned long long)want->size);
	}
}

struct finder {
	const uint8_t *fs_uuid;
	const struct famfs_member_info *want;
	char seen[512];		/* near misses, "; "-separated */
	unsigned int nseen;
};

/* Is the device at path the member? Else note what its label says. */
static bool is_member(struct finder *f, const char *path)
{
	struct famfs_member_info got;
	uint8_t got_fs[16];
	size_t used = strlen(f->seen);
	char what[128];

	if (famfs_label_read(path, got_fs, &got, NULL))
		return false;
	if (!memcmp(got_fs, f->fs_uuid, 16) && got.index == f->want->index &&
	    !memcmp(got.uuid, f->want->uuid, 16) && got.size == f->want->size)
		return true;
	near_miss(f->fs_uuid, f->want, got_fs, &got, what, sizeof(what));
	if (f->nseen++ < SEEN_MAX && used < sizeof(f->seen))
		snprintf(f->seen + used, sizeof(f->seen) - used, "%s%.200s carries %s",
			 used ? "; " : "", path, what);
	return false;
}

static int not_found(const struct finder *f, const char *dir,
		     struct famfs_error *err)
{
	char u[40];

	uuid_unparse_lower(f->want->uuid, u);
	return famfs_error_set(err, -ENOENT,
			       "member %u (%s) not found: no device under %s carries its label%s%s%s",
			       f->want->index, u, dir, f->nseen ? " (found: " : "",
			       f->seen, f->nseen ? ")" : "");
}

int famfs_member_find(const uint8_t fs_uuid[16],
		      const struct famfs_member_info *m, const char *skip,
		      char **path, struct famfs_error *err)
{
	struct finder f = { .fs_uuid = fs_uuid, .want = m };
	const char *dir = famfs_dev_dir();
	char cand[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	*path = NULL;
	dp = opendir(dir);
	if (!dp)
		return famfs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	while ((d = readdir(dp))) {
		if (!member_name(d->d_name))
			continue;
		snprintf(cand, sizeof(cand), "%s/%s", dir, d->d_name);
		if (famfs_same_file(cand, skip) || !is_member(&f, cand))
			continue;
		closedir(dp);
		*path = strdup(cand);
		return *path ? 0 : famfs_error_set(err, -ENOMEM, "out of memory");
	}
	closedir(dp);
	return not_found(&f, dir, err);
}
