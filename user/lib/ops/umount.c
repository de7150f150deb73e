// SPDX-License-Identifier: GPL-2.0
/*
 * Unmount: stop this mount's follower (while it polls it has files of the
 * mount open for an instant, which would make umount(2) fail with EBUSY),
 * unmount, and then mark the slot UNMOUNTED through the device, so that
 * this host pins no deleted space any more. A lazy unmount leaves files in
 * use behind it: its slot stays MOUNTED (it pins until this host mounts
 * again or is evicted). If umount(2) fails, the follower is started again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

struct mounted {
	char *root;
	char *device;
	uint8_t fs_uuid[16];
	struct famfs_host_self me;	/* nonce 0: no slot */
	bool master;
};

static int learn(const char *dir, struct mounted *m, struct famfs_error *err)
{
	enum famfs_role role;
	struct famfs_hosts t;
	uint8_t uuid[16];
	struct famfs_fs fs;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = famfs_fs_open(&fs, dir, 0, err);
	if (rc)
		return rc;
	memcpy(m->fs_uuid, fs.log.sb.fs_uuid, 16);
	m->root = strdup(fs.root);
	m->device = strdup(fs.device);
	m->master = !famfs_role(&fs.log.sb, &role, NULL) &&
		    role == FAMFS_ROLE_MASTER;
	if (!famfs_log_hosts(&fs.log, &t) && !famfs_system_uuid(uuid, NULL))
		famfs_host_find(&t, m->fs_uuid, uuid, &m->me);
	famfs_fs_close(&fs);
	if (!m->root || !m->device)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	return 0;
}

static void restart_follower(const struct mounted *m)
{
	struct famfs_play_opts po = { .writable = m->master };
	struct famfs_follower *f;

	if (famfs_follower_new(&f, m->root, &po, FAMFS_FOLLOW_MS, 0, NULL, NULL))
		return;
	famfs_follower_spawn(f, NULL);
	famfs_follower_free(f);
}

/* The file system is no longer mounted here: say so in the slot. */
static void leave(struct mounted *m)
{
	struct famfs_device dev;
	struct famfs_sb_info sb;
	struct famfs_hosts t;

	if (!m->me.info.nonce ||
	    famfs_device_open(&dev, m->device, FAMFS_DEV_RDWR, NULL))
		return;
	if (!famfs_sb_decode(dev.base, dev.size, &sb) &&
	    !memcmp(sb.fs_uuid, m->fs_uuid, 16) &&
	    !famfs_hosts_init(&t, dev.base, dev.size, &sb))
		famfs_host_leave(&t, &m->me);
	famfs_device_close(&dev);
}

/*
 * A mount whose metadata cannot be read (shut down after an eviction, or
 * its device failed) has no slot left to mark: just unmount it.
 */
static int umount_plain(const char *dir, int flags, struct famfs_error *err)
{
	if (umount2(dir, flags) < 0)
		return famfs_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	return 0;
}

int famfs_umount(const char *dir, int flags, struct famfs_error *err)
{
	struct mounted m;
	int stopped, rc = 0;

	if (learn(dir, &m, NULL)) {
		free(m.root);
		free(m.device);
		return umount_plain(dir, flags, err);
	}
	stopped = famfs_follower_stop(m.fs_uuid);
	if (umount2(m.root, flags) < 0) {
		rc = famfs_error_set(err, -errno, "%s: %s", m.root,
				     errno == EBUSY ? "target is busy (fuser -vm shows who uses it)" :
				     strerror(errno));
		if (stopped)
			restart_follower(&m);
	} else if (!(flags & MNT_DETACH)) {
		leave(&m);
		famfs_mount_record_remove(m.fs_uuid);
	}
	free(m.root);
	free(m.device);
	return rc;
}
