// SPDX-License-Identifier: GPL-2.0
/*
 * famfs mount: mount(2) the device, give the mount its metadata files
 * (.meta/.superblock and .meta/.log, mapped onto the superblock area and
 * the log), then play the log. The kernel reads only the superblock; the
 * namespace exists only once user space has played the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

static int mount_error(const char *device, const char *dir, int e,
		       struct famfs_error *err)
{
	switch (e) {
	case ENODEV:
		return famfs_error_set(err, -e, "%s: the kernel does not know the famfs file system type (load famfs.ko: modprobe famfs)",
				       device);
	case EUCLEAN:
		return famfs_error_set(err, -e, "%s: not a famfs file system (no valid superblock; the kernel log says why)",
				       device);
	case EBUSY:
		return famfs_error_set(err, -e, "%s: busy: mounted already, or a process maps the device (fuser -v %s)",
				       device, device);
	case EPERM:
		return famfs_error_set(err, -e, "%s: mounting needs root", device);
	case ENOTBLK:
		return famfs_error_set(err, -e, "%s: not a device", device);
	case ENOENT:
		return famfs_error_set(err, -e, "%s: no such device", device);
	case EOPNOTSUPP:
		return famfs_error_set(err, -e, "%s: the kernel cannot use it for famfs: not DAX-capable, held by another file system, devdax with compound pages, or a namespace whose struct pages live on the device (map=dev) (the kernel log says which and how to fix it)",
				       device);
	case ENXIO:
		return famfs_error_set(err, -e, "%s: no device_dax driver bound (daxctl reconfigure-device --mode=devdax)",
				       device);
	}
	return famfs_error_set(err, -e, "%s: cannot mount on %s: %s (the kernel log may say why)",
			       device, dir, strerror(e));
}

/* Give one metadata file its single extent. */
static int map_meta(int root_fd, const char *rel, uint32_t type, uint64_t off,
		    uint64_t len, bool readonly, struct famfs_error *err)
{
	struct famfs_ioc_extent ext = { .offset = off, .len = len };
	struct famfs_ioc_map map = {
		.file_size = len, .file_type = type,
		.flags = readonly ? FAMFS_MAP_READONLY : 0,
		.n_extents = 1, .extents = (uintptr_t)&ext,
	};

	return famfs_local_map(root_fd, rel, S_IFREG | (readonly ? 0400 : 0600),
			       &map, err);
}

/*
 * A famfs.ko older than ABI 4 predates two log areas (format 1.3): it
 * would keep only the first out of files, and map only it as the log.
 */
static int check_log_areas(const struct famfs_sb_info *sb,
			   const struct famfs_ioc_probe *probe,
			   struct famfs_error *err)
{
	uint64_t need = sb->geo.log_len * sb->geo.log_areas;

	if (probe->log_len == need)
		return 0;
	return famfs_error_set(err, -EPROTO,
			       "famfs.ko (ABI %u) reserves %llu bytes of log, the file system (format %u.%u) %llu in %u areas: load the famfs.ko of this famfs (ABI %u)",
			       probe->abi_version,
			       (unsigned long long)probe->log_len,
			       sb->version_major, sb->version_minor,
			       (unsigned long long)need, sb->geo.log_areas,
			       FAMFS_IOC_ABI_VERSION);
}

/*
 * A famfs.ko older than ABI 5 has no members and no striped files (format
 * 1.4): it would refuse, or never be handed, the files on them.
 */
static int check_members_abi(const struct famfs_sb_info *sb,
			     const struct famfs_ioc_probe *probe,
			     struct famfs_error *err)
{
	if (sb->version_minor < FAMFS_VERSION_MINOR_MEMBERS ||
	    probe->abi_version >= FAMFS_IOC_ABI_VERSION)
		return 0;
	return famfs_error_set(err, -EPROTO,
			       "famfs.ko (ABI %u) knows no members or striped files, which the file system (format %u.%u) may hold: load the famfs.ko of this famfs (ABI %u)",
			       probe->abi_version, sb->version_major,
			       sb->version_minor, FAMFS_IOC_ABI_VERSION);
}

/*
 * This host's role, from the superblock as the mount maps it, once the
 * module is known to reserve every log area and know members.
 */
static int mapped_role(int root_fd, const struct famfs_ioc_probe *probe,
		       enum famfs_role *role, struct famfs_error *err)
{
	struct famfs_sb_info sb;
	void *p;
	int fd, rc;

	fd = openat(root_fd, FAMFS_META_SB, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s", FAMFS_META_SB,
				       strerror(errno));
	p = mmap(NULL, FAMFS_SB_AREA, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return famfs_error_set(err, -errno, "%s: cannot map: %s",
				       FAMFS_META_SB, strerror(errno));
	rc = famfs_role_mapped(p, FAMFS_SB_AREA, &sb, role, err);
	if (!rc)
		rc = check_log_areas(&sb, probe, err);
	if (!rc)
		rc = check_members_abi(&sb, probe, err);
	munmap(p, FAMFS_SB_AREA);
	return rc;
}

static int make_meta(const char *dir, enum famfs_role *role,
		     struct famfs_error *err)
{
	struct famfs_ioc_probe probe;
	int fd, rc;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, FAMFS_IOC_PROBE, &probe) < 0) {
		rc = famfs_error_set(err, -errno, "%s: not a famfs mount: %s",
				     dir, strerror(errno));
		goto out;
	}
	if (mkdirat(fd, FAMFS_META_DIR, 0700) < 0) {
		rc = famfs_error_set(err, -errno, "%s/%s: %s", dir,
				     FAMFS_META_DIR, strerror(errno));
		goto out;
	}
	/* Writable: each host writes its own slot of the host table there. */
	rc = map_meta(fd, FAMFS_META_SB, FAMFS_FILE_SUPERBLOCK, 0,
		      FAMFS_SB_AREA, false, err);
	if (!rc)
		rc = mapped_role(fd, &probe, role, err);
	if (!rc)
		rc = map_meta(fd, FAMFS_META_LOG, FAMFS_FILE_LOG, probe.log_offset,
			      probe.log_len, *role == FAMFS_ROLE_CLIENT, err);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * Claim this mount's slot in the host table, then play the log (the claim
 * comes first: docs/space-release.md), then leave a follower running
 * unless asked not to.
 */
static int play(const char *dir, const struct famfs_mount_opts *opts,
		enum famfs_role role, struct famfs_play_stats *st,
		struct famfs_error *err)
{
	struct famfs_play_opts po = {
		.writable = opts->writable || role == FAMFS_ROLE_MASTER,
		.report = opts->report, .arg = opts->arg,
	};
	struct famfs_error spawn_err = { 0 };
	struct famfs_follower *f;
	int rc;

	rc = famfs_follower_new(&f, dir, &po, FAMFS_FOLLOW_MS,
				FAMFS_FOLLOW_CLAIM |
				(opts->no_follow ? FAMFS_FOLLOW_NONE : 0),
				NULL, err);
	if (rc)
		return rc;
	rc = famfs_follower_poll(f, st, err);
	if (!opts->no_follow && !opts->fake &&
	    famfs_follower_spawn(f, &spawn_err) < 0 && !rc)
		rc = famfs_error_set(err, spawn_err.code, "%s", spawn_err.msg);
	famfs_follower_free(f);
	return rc;
}

/*
 * A member's device mounted in its file system's place would fail with
 * "not a famfs": say what it is instead.
 */
static int check_not_label(const char *device, struct famfs_error *err)
{
	struct famfs_member_info m;
	uint8_t fs_uuid[16];
	char u[40];

	if (famfs_label_read(device, fs_uuid, &m, NULL))
		return 0;
	uuid_unparse_lower(fs_uuid, u);
	return famfs_error_set(err, -EINVAL,
			       "%s: member %u of famfs %s, not its member 0: mount the device that holds its superblock (famfs device list names it)",
			       device, m.index, u);
}

/* Every member the log names, found by label, before any file is made. */
static int attach_members(const char *device, const char *dir,
			  struct famfs_error *err)
{
	struct famfs_fs fs;
	int rc;

	rc = famfs_fs_open(&fs, dir, FAMFS_FS_ROOT, err);
	if (rc)
		return rc;
	rc = famfs_members_attach(fs.root_fd, &fs.log, device, NULL, err);
	famfs_fs_close(&fs);
	return rc;
}

int famfs_mkmeta(const char *device, const char *mountinfo, char **where,
		 struct famfs_error *err)
{
	enum famfs_role role;
	int rc;

	*where = NULL;
	rc = famfs_device_mounted(device, mountinfo, where);
	if (rc < 0)
		return famfs_error_set(err, rc, "%s: %s", device, strerror(-rc));
	if (!rc)
		return famfs_error_set(err, -ENOENT, "%s: not mounted (mount it first: mount -i -t famfs)",
				       device);
	rc = make_meta(*where, &role, err);
	return rc ? rc : attach_members(device, *where, err);
}

/*
 * A client's files come from another host's log: set-ID bits and device
 * nodes there must not take effect here unless the user said so (-o suid,
 * -o dev). A bind remount changes only this mount's flags; the atime flags
 * it keeps by itself.
 */
static int client_flags(const char *dir, const struct famfs_mount_opts *opts,
			struct famfs_error *err)
{
	const unsigned long per_mount = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	unsigned long add = (MS_NOSUID | MS_NODEV) & ~opts->named;

	if (!add || opts->fake)
		return 0;
	if (mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND |
		  (opts->flags & per_mount) | add, NULL) < 0)
		return famfs_error_set(err, -errno, "%s: cannot make a client's mount nosuid,nodev: %s",
				       dir, strerror(errno));
	return 0;
}

int famfs_mount(const char *device, const char *dir,
		const struct famfs_mount_opts *opts,
		struct famfs_play_stats *st, struct famfs_error *err)
{
	enum famfs_role role;
	char *where = NULL;
	int rc;

	memset(st, 0, sizeof(*st));
	if (famfs_device_mounted(device, opts->mountinfo, &where) == 1) {
		rc = famfs_error_set(err, -EBUSY, "%s: already mounted on %s",
				     device, where);
		free(where);
		return rc;
	}
	rc = check_not_label(device, err);
	if (rc)
		return rc;
	if (!opts->fake && mount(device, dir, "famfs", opts->flags, opts->data) < 0)
		return mount_error(device, dir, errno, err);
	rc = make_meta(dir, &role, err);
	if (!rc)
		rc = attach_members(device, dir, err);
	if (!rc && role == FAMFS_ROLE_CLIENT)
		rc = client_flags(dir, opts, err);
	/* A mount without its metadata files is of no use: undo it. */
	if (rc && !opts->fake)
		umount2(dir, 0);
	if (rc)
		return rc;
	/*
	 * A log that does not play to its end still gives every file before
	 * the damage: the mount stays, and says so (st->stopped).
	 */
	st->stopped = play(dir, opts, role, st, err);
	if (st->stopped)
		famfs_error_prefix(err, "the log did not play to its end");
	return 0;
}
