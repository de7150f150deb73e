// SPDX-License-Identifier: GPL-2.0
/*
 * famfs device add and list (docs/devices.md): a member is added by
 * labelling its device, then logging a MEMBER entry; the label comes
 * first, so that no host ever reads an entry whose device carries none.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

void famfs_member_views_free(struct famfs_member_view *views, uint32_t n)
{
	while (views && n--)
		free(views[n].path);
	free(views);
}

int famfs_member_views(const struct famfs_fs *fs,
		       struct famfs_member_view **views, uint32_t *n,
		       struct famfs_error *err)
{
	const struct famfs_sb_info *sb = &fs->log.sb;
	struct famfs_ioc_member mb;
	struct famfs_member_view *v;
	uint32_t i;

	*n = sb->geo.n_members;
	*views = v = calloc(*n, sizeof(*v));
	if (!v)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < *n; i++) {
		v[i].info = sb->members[i];
		v[i].in_table = i < sb->ndevices;
		if (!i)
			v[i].path = strdup(fs->device);
		else
			famfs_member_find(sb->fs_uuid, &v[i].info, fs->device,
					  &v[i].path, NULL);
		v[i].held = fs->root_fd >= 0 &&
			    !famfs_member_get(fs->root_fd, i, &mb);
	}
	return 0;
}

/* A device that is a member already stays one, even with --force. */
static int check_not_member(const struct famfs_fs *fs,
			    const struct famfs_device *dev,
			    struct famfs_error *err)
{
	const struct famfs_sb_info *sb = &fs->log.sb;
	struct famfs_member_info m;
	uint8_t fs_uuid[16];

	if (famfs_same_file(dev->path, fs->device))
		return famfs_error_set(err, -EEXIST,
				       "%s: member 0 of this file system already",
				       dev->path);
	if (famfs_label_read_dev(dev, fs_uuid, &m) ||
	    memcmp(fs_uuid, sb->fs_uuid, 16) || m.index >= sb->geo.n_members ||
	    memcmp(m.uuid, sb->members[m.index].uuid, 16))
		return 0;
	return famfs_error_set(err, -EEXIST,
			       "%s: member %u of this file system already",
			       dev->path, m.index);
}

/* Label dev as the next member and log it; the log is open for appending. */
static int add_member(struct famfs_fs *fs, struct famfs_device *dev,
		      struct famfs_member_info *m, struct famfs_error *err)
{
	struct famfs_log *log = &fs->log;
	int rc;

	/* Nothing is written, not even the label, unless the entry can follow. */
	rc = famfs_log_member_room(log, err);
	if (!rc)
		rc = famfs_log_compact_for(log, famfs_member_entry_size(), err);
	if (!rc)
		rc = check_not_member(fs, dev, err);
	if (rc)
		return rc;
	memset(m, 0, sizeof(*m));
	uuid_generate(m->uuid);
	m->index = log->sb.geo.n_members;
	m->size = famfs_member_usable(dev);
	rc = famfs_label_write(dev, log->sb.fs_uuid, m, err);
	if (!rc)
		rc = famfs_log_add_member(log, m, err);
	if (!rc)
		rc = famfs_log_commit(log, err);
	return rc;
}

int famfs_device_add(struct famfs_fs *fs, const char *path,
		     const struct famfs_device_add_opts *o,
		     struct famfs_member_info *added, struct famfs_error *err)
{
	struct famfs_device dev;
	int rc;

	rc = famfs_member_dev_open(&dev, path, o->force, o->mountinfo, err);
	if (rc)
		return rc;
	rc = famfs_log_append_begin(&fs->log, err);
	if (!rc) {
		rc = add_member(fs, &dev, added, err);
		famfs_log_append_end(&fs->log);
	}
	famfs_device_close(&dev);
	if (!rc && fs->root_fd >= 0)
		rc = famfs_member_add(fs->root_fd, path, added, err);
	return rc;
}
