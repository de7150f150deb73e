// SPDX-License-Identifier: GPL-2.0
/*
 * Members of a mounted file system (docs/devices.md): each one the log
 * names is found by its label and handed to famfs.ko before any file that
 * names it is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

int famfs_member_get(int root_fd, uint32_t index, struct famfs_ioc_member *mb)
{
	memset(mb, 0, sizeof(*mb));
	mb->index = index;
	return ioctl(root_fd, FAMFS_IOC_MEMBER_GET, mb) < 0 ? -errno : 0;
}

int famfs_member_add(int root_fd, const char *path,
		     const struct famfs_member_info *m, struct famfs_error *err)
{
	struct famfs_ioc_member mb = { .index = m->index };
	int rc = 0;

	memcpy(mb.uuid, m->uuid, sizeof(mb.uuid));
	mb.fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (mb.fd < 0)
		return famfs_error_set(err, -errno, "%s: cannot open member %u: %s",
				       path, m->index, strerror(errno));
	if (ioctl(root_fd, FAMFS_IOC_MEMBER_ADD, &mb) < 0)
		rc = famfs_error_set(err, -errno,
				     "%s: famfs.ko refused it as member %u: %s (the kernel log says why)",
				     path, m->index, strerror(errno));
	close(mb.fd);
	return rc;
}

/* Hand member m to the mount unless it holds it already. */
static int attach_one(int root_fd, const struct famfs_log *log,
		      const struct famfs_member_info *m, const char *skip,
		      struct famfs_error *err)
{
	struct famfs_ioc_member mb;
	char *path;
	int rc;

	rc = famfs_member_get(root_fd, m->index, &mb);
	if (rc != -ENOENT)
		return rc ? famfs_error_set(err, rc, "member %u: %s", m->index,
					    strerror(-rc)) : 0;
	rc = famfs_member_find(log->sb.fs_uuid, m, skip, &path, err);
	if (rc)
		return rc;
	rc = famfs_member_add(root_fd, path, m, err);
	free(path);
	return rc;
}

int famfs_members_attach(int root_fd, const struct famfs_log *log,
			 const char *skip, uint32_t *missing,
			 struct famfs_error *err)
{
	struct famfs_error one = { 0 };
	uint32_t i;
	int rc = 0;

	if (missing)
		*missing = 0;
	for (i = 1; i < log->sb.geo.n_members; i++) {
		if (!attach_one(root_fd, log, &log->sb.members[i], skip, &one))
			continue;
		if (missing)
			*missing |= 1u << i;
		if (!rc)
			rc = famfs_error_set(err, one.code, "%s", one.msg);
	}
	return rc;
}
