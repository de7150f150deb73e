// SPDX-License-Identifier: GPL-2.0
/*
 * The follower: keeps this host's view of a mount current and its slot in
 * the host table true (docs/space-release.md, "Following").
 *
 * Each poll it plays new entries, asks famfs.ko which deleted files this
 * host still holds (FAMFS_IOC_EXTENTS_HELD: an unlinked file stays in the
 * kernel's extent tree while it is open or mapped), and writes its slot:
 * applied_seq, released_seq (the first delete still held, or applied_seq)
 * and a heartbeat. Between polls it holds nothing in the mount, so that
 * it never keeps umount from succeeding; a mount point that now shows
 * another file system, or none, ends it.
 *
 * When the master has compacted the log (a new generation in the other
 * log area), it goes on from the first entry the new log adds if it had
 * played all of the last one, else plays the new log from its start and
 * prunes what it no longer holds; then it counts its slot in the new
 * generation (docs/compaction.md, "Following across a switch").
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "follow.h"

/* How often it asks famfs.ko about deleted files it may still hold. */
#define HELD_MS		100
/* How often, at most, it counts the log's space again while the log grows. */
#define SPACE_MS	1000
/* How often it looks for a member this host lacks. */
#define MEMBERS_MS	1000

struct famfs_follower {
	char *root;
	uint64_t mnt_id;		/* the mount followed: a remount is another */
	uint8_t fs_uuid[16];
	struct famfs_play_opts po;
	struct famfs_player *player;	/* what it read of the log */
	struct famfs_play_cursor cur;	/* the player's, after each play */
	uint64_t gen;			/* the log generation cur counts in */
	unsigned int interval_ms;
	uint8_t uuid[16];
	bool slotted;			/* this mount has a slot */
	bool blind_said;		/* why famfs.ko cannot tell was logged */
	bool evicted;
	bool dup_warned;
	bool master;			/* this host is the file system's master */
	struct famfs_host_self me;
	struct famfs_held_list held;
	uint64_t released;
	uint64_t next_beat;		/* monotonic ms */
	uint64_t next_held;		/* monotonic ms */
	struct famfs_geometry geo;	/* to read the log header alone */
	uint64_t logrec_offset;		/* and the active-log record */
	uint64_t space_gen;		/* the log's generation, */
	uint64_t space_seq;		/* length at the last count */
	uint64_t space_floor;		/* and the table's floor then */
	uint64_t next_space;		/* monotonic ms: no count before */
	bool space_said;		/* a count reached famfs.ko */
	uint32_t members_held;		/* the mount holds members 0 .. this - 1 */
	uint32_t members_seen;		/* members the log named at the last try */
	uint32_t members_said;		/* a bit per missing member reported */
	uint64_t next_members;		/* monotonic ms: no search before */
	void (*say)(const char *msg);	/* where messages go */
};

static uint64_t now_ms(void)
{
	return famfs_now_ns(CLOCK_MONOTONIC) / 1000000ULL;
}

static void say(struct famfs_follower *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct famfs_follower *f, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (f->say)
		f->say(msg);
	else
		syslog(LOG_WARNING, "%s: %s", f->root, msg);
}

static void on_deleted(void *arg, uint64_t seq, const struct famfs_entry *file)
{
	struct famfs_follower *f = arg;

	/*
	 * Released already (before the mount's claim, or by an earlier
	 * follower of this mount): its units may belong to a newer file now,
	 * which famfs.ko would rightly report as held.
	 */
	if (seq >= f->released)
		famfs_held_add(&f->held, seq, file);
}

static void on_pruned(void *arg, const struct famfs_ioc_extent *ext,
		      uint32_t n)
{
	struct famfs_follower *f = arg;

	famfs_held_add_map(&f->held, 0, ext, n);
}

static void on_evicted(void *arg, const struct famfs_entry *e)
{
	struct famfs_follower *f = arg;

	if (f->slotted && e->nonce == f->me.info.nonce &&
	    !memcmp(e->uuid, f->uuid, 16))
		f->evicted = true;
}

/* The first delete this host still holds, else applied_seq. */
static uint64_t released_seq(struct famfs_follower *f, int root_fd)
{
	uint64_t r = famfs_held_released(&f->held, root_fd, f->cur.seq);

	if (f->held.blind && !f->blind_said) {
		say(f, "cannot tell which deleted files famfs.ko still holds (%s): this host keeps deleted files' space pinned until it unmounts; load a newer famfs.ko",
		    strerror(f->held.blind));
		f->blind_said = true;
	}
	return r;
}

static void check_duplicate(struct famfs_follower *f, const struct famfs_hosts *t)
{
	uint32_t slots[2];
	char uuid[40];

	if (f->dup_warned || famfs_hosts_same_uuid(t, NULL, f->uuid, slots, 2) < 2)
		return;
	uuid_unparse_lower(f->uuid, uuid);
	say(f, "host table slots %u and %u both hold system UUID %s: two running hosts share one identity (a cloned image?); give one of them its own (rm %s there, then mount again)%s",
	    slots[0], slots[1], uuid, famfs_system_uuid_path(),
	    f->master ? "; until then, as the master's identity is shared, changes are refused" : "");
	f->dup_warned = true;
}

/* Write the slot when something changed or a heartbeat is due. */
static int beat(struct famfs_follower *f, struct famfs_fs *fs, bool changed,
		struct famfs_error *err)
{
	struct famfs_hosts t;
	int rc;

	if (!f->slotted || (!changed && now_ms() < f->next_beat))
		return 0;
	if (famfs_log_hosts(&fs->log, &t))
		return 0;
	rc = famfs_host_beat(&t, &f->me, f->cur.seq, f->released);
	if (rc == -ESTALE) {
		say(f, "host table slot %u was taken by another host with this system UUID; this mount claims a new one and pins all deleted space until it is remounted",
		    f->me.slot);
		rc = famfs_host_claim(&t, f->uuid, 0, f->me.info.flags,
				      f->interval_ms, &f->me, err);
		if (!rc)
			famfs_mount_record_write(f->fs_uuid, &f->me);
	}
	if (!rc)
		check_duplicate(f, &t);
	f->next_beat = now_ms() + FAMFS_HOST_BEAT_MS;
	return rc;
}

static int open_mount(struct famfs_follower *f, struct famfs_fs *fs,
		      struct famfs_error *err)
{
	return famfs_fs_open(fs, f->root, FAMFS_FS_ROOT |
			     (f->slotted ? FAMFS_FS_HOSTS : 0), err);
}

/*
 * Tell famfs.ko what the log holds, so that df agrees with famfs fsck: a
 * whole-log count, redone when some host released or the log was
 * compacted, and at most once a second while the log grows (a busy master
 * grows it at every poll; the heartbeat's poll counts the last growth).
 */
static void tell_space(struct famfs_follower *f, struct famfs_fs *fs)
{
	struct famfs_ioc_space req = { 0 };
	struct famfs_space space;
	struct famfs_names names;
	struct famfs_hosts t;
	uint64_t floor;

	floor = famfs_log_hosts(&fs->log, &t) ? 0 : famfs_release_floor(&t, NULL);
	if (f->space_said && fs->log.gen.generation == f->space_gen &&
	    floor == f->space_floor &&
	    (fs->log.hdr.next_seq == f->space_seq || now_ms() < f->next_space))
		return;
	f->next_space = now_ms() + SPACE_MS;
	if (!famfs_space_scan(&space, &names, &fs->log, NULL)) {
		req.used_bytes = famfs_space_used(&space);
		/* A famfs.ko without the call (ABI 2) counts what it maps. */
		ioctl(fs->root_fd, FAMFS_IOC_SET_SPACE, &req);
		f->space_said = true;
		f->space_gen = fs->log.gen.generation;
		f->space_seq = fs->log.hdr.next_seq;
		f->space_floor = floor;
	}
	famfs_space_free(&space);
	famfs_names_free(&names);
}

static void say_late(void *arg, const char *msg)
{
	say(arg, "%s", msg);
}

/*
 * Members in [from, n) whose MEMBER entry the player has gone past: it
 * may have played files on them before they were attached (the log grew
 * between the attach and the play), which the kernel refused.
 */
static uint32_t played_past(const struct famfs_follower *f,
			    const struct famfs_log *log, uint32_t from,
			    uint32_t n)
{
	uint32_t i, mask = 0;

	for (i = from > log->sb.ndevices ? from : log->sb.ndevices; i < n; i++)
		if (log->member_seq[i] < f->cur.seq)
			mask |= 1u << i;
	return mask;
}

/*
 * Hand famfs.ko the members that MEMBER entries added, before the files
 * on them are made. One this host lacks is looked for again each
 * MEMBERS_MS and reported once; the files on it are refused meanwhile,
 * and mapped once it is found.
 */
static void attach_members(struct famfs_follower *f, struct famfs_fs *fs)
{
	uint32_t n = fs->log.sb.geo.n_members, missing, late;
	struct famfs_error err = { 0 };

	if (n == f->members_held ||
	    (n == f->members_seen && now_ms() < f->next_members))
		return;
	f->members_seen = n;
	f->next_members = now_ms() + MEMBERS_MS;
	if (!famfs_members_attach(fs->root_fd, &fs->log, fs->device, &missing,
				  &err)) {
		late = f->members_said |
		       played_past(f, &fs->log, f->members_held, n);
		f->members_held = n;
		if (late &&
		    famfs_map_late(&fs->log, fs->root_fd, late, f->cur.seq,
				   !f->po.writable, say_late, f, &err))
			say(f, "%s", err.msg);
		f->members_said = 0;
		return;
	}
	if (missing & ~f->members_said)
		say(f, "%s; the files on it are refused until it appears",
		    err.msg);
	f->members_said = missing;
}

/* Shut the mount: an evicted host may no longer read what others reuse. */
static int fence(struct famfs_follower *f, struct famfs_fs *fs,
		 struct famfs_error *err)
{
	if (ioctl(fs->root_fd, FAMFS_IOC_SHUTDOWN) < 0)
		say(f, "cannot shut the mount down: %s", strerror(errno));
	return famfs_error_set(err, -ESHUTDOWN,
			       "%s: this host was evicted from the file system (famfs hosts evict on the master): the mount is shut down; unmount and mount it again",
			       f->root);
}

/* Map len bytes of the metadata file name at off (any alignment). */
static const uint8_t *map_meta_at(const struct famfs_follower *f,
				  const char *name, uint64_t off, size_t len,
				  void **base, size_t *maplen)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = off - off % page;
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", f->root, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	*maplen = off - start + len;
	*base = mmap(NULL, *maplen, PROT_READ, MAP_SHARED, fd, (off_t)start);
	close(fd);
	if (*base == MAP_FAILED)
		return NULL;
	famfs_invalidate((uint8_t *)*base + (off - start), len);
	return (const uint8_t *)*base + (off - start);
}

/* The active log, from the record (0 when there is none); -1 if unreadable. */
static int active_generation(const struct famfs_follower *f,
			     struct famfs_log_gen *g)
{
	size_t len = FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE, maplen;
	const uint8_t *rec;
	void *base;
	int rc;

	memset(g, 0, sizeof(*g));
	if (!f->logrec_offset)
		return 0;
	rec = map_meta_at(f, FAMFS_META_SB, f->logrec_offset, len, &base,
			  &maplen);
	if (!rec)
		return -1;
	rc = famfs_logrec_pick(rec, len, f->geo.log_areas, g, NULL);
	munmap(base, maplen);
	return rc ? -1 : 0;
}

/*
 * The cheap part of a poll, most of the time all of it: has the log
 * grown, or been compacted? The record and one page of the active log
 * are mapped for the moment it takes to read them (true when they cannot
 * be read: the full poll will say why).
 */
static bool log_grew(const struct famfs_follower *f)
{
	struct famfs_log_info hdr;
	struct famfs_log_gen g;
	const uint8_t *p;
	size_t maplen;
	void *base;

	if (!f->geo.log_len || active_generation(f, &g) ||
	    g.generation != f->gen)
		return true;
	p = map_meta_at(f, FAMFS_META_LOG, (uint64_t)g.area * f->geo.log_len,
			FAMFS_LOG_ENTRIES_OFF, &base, &maplen);
	if (!p)
		return true;
	if (famfs_log_header_decode(p, FAMFS_LOG_ENTRIES_OFF, &f->geo, &hdr))
		hdr.next_seq = f->cur.seq + 1;	/* being rewritten: look again */
	munmap(base, maplen);
	return hdr.next_seq != f->cur.seq;
}

/* Is there anything a full poll would do? */
static bool poll_due(const struct famfs_follower *f)
{
	uint64_t now = now_ms();

	return now >= f->next_beat ||
	       (famfs_held_pending(&f->held) && now >= f->next_held) ||
	       log_grew(f);
}

/* The GENERATION entry at the start of the log area at area, if it is one. */
static bool area_generation(const struct famfs_log *log, const uint8_t *area,
			    struct famfs_log_info *hdr, struct famfs_entry *e)
{
	const struct famfs_geometry *geo = &log->sb.geo;
	size_t len = famfs_generation_entry_size();

	famfs_invalidate(area, FAMFS_LOG_ENTRIES_OFF + len);
	return !famfs_log_header_decode(area, geo->log_len, geo, hdr) &&
	       hdr->next_off >= FAMFS_LOG_ENTRIES_OFF + len &&
	       !famfs_entry_decode(area + FAMFS_LOG_ENTRIES_OFF, len, 0, geo, e) &&
	       e->type == FAMFS_ENTRY_GENERATION;
}

/*
 * Had this host played all of the generation it followed, whose log the
 * other area still holds? Then its tree is the namespace the entries below
 * *restated of the new log restate: nothing to play or prune for them.
 */
static bool played_all_of_last(const struct famfs_follower *f,
			       const struct famfs_log *log, uint64_t *restated)
{
	const struct famfs_geometry *geo = &log->sb.geo;
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_info hdr;
	const uint8_t *other;
	bool all;

	other = log->areas +
		(uint64_t)((log->gen.area + 1) % geo->log_areas) * geo->log_len;
	all = e && f->cur.off && log->gen.generation == f->gen + 1 &&
	      area_generation(log, other, &hdr, e) &&
	      e->generation == f->gen && hdr.next_seq == f->cur.seq &&
	      area_generation(log, log->log_buf, &hdr, e) &&
	      e->generation == log->gen.generation;
	if (all)
		*restated = e->restated;
	free(e);
	return all;
}

/*
 * The master compacted the log. A host that had played all of the last
 * generation goes on from the first entry the new log adds; any other
 * plays the new one from its start, pruning what it no longer holds.
 * What this host still holds of earlier deletes was deleted before all
 * of the new log.
 */
static void switch_generation(struct famfs_follower *f,
			      const struct famfs_log *log)
{
	struct famfs_play_cursor from = { .off = FAMFS_LOG_ENTRIES_OFF };
	bool all = played_all_of_last(f, log, &from.seq);
	struct famfs_player *fresh = famfs_player_new(all ? &from : NULL);

	if (fresh) {	/* else the player starts afresh by itself */
		famfs_player_free(f->player);
		f->player = fresh;
	}
	if (fresh && all)
		f->cur = from;
	else
		memset(&f->cur, 0, sizeof(f->cur));
	f->gen = log->gen.generation;
	f->released = 0;
	famfs_held_rebase(&f->held);
	f->po.prune = !(fresh && all);
}

int famfs_follower_poll(struct famfs_follower *f, struct famfs_play_stats *st,
			struct famfs_error *err)
{
	uint64_t applied = f->cur.seq, released = f->released, gen = f->gen;
	struct famfs_fs fs;
	int rc, play_rc = 0;

	rc = open_mount(f, &fs, err);
	if (rc)
		return rc;
	f->geo = fs.log.sb.geo;
	f->logrec_offset = fs.log.sb.logrec_offset;
	attach_members(f, &fs);
	f->next_held = now_ms() + HELD_MS;
	if (fs.log.gen.generation != f->gen)
		switch_generation(f, &fs.log);
	if (fs.log.hdr.next_seq != f->cur.seq || !f->cur.off) {
		play_rc = famfs_player_play(f->player, &fs.log, fs.root_fd,
					    &f->po, st, err);
		f->cur = famfs_player_cursor(f->player);
	}
	f->po.prune = false;
	if (f->evicted) {
		rc = fence(f, &fs, err);
	} else {
		f->released = released_seq(f, fs.root_fd);
		rc = beat(f, &fs, applied != f->cur.seq || gen != f->gen ||
			  released != f->released, err);
		tell_space(f, &fs);
	}
	famfs_fs_close(&fs);
	return rc ? rc : play_rc;
}

/*
 * A follower started on a mount takes the slot the mount claimed. When
 * another mount has taken it since, it claims a new one that releases
 * nothing yet, as one whose slot was taken while it runs does (beat()).
 */
static int find_slot(struct famfs_follower *f, const struct famfs_hosts *t,
		     struct famfs_error *err)
{
	int rc = famfs_host_find(t, f->fs_uuid, f->uuid, &f->me);

	if (!rc) {
		f->me.info.flags &= ~FAMFS_HOST_F_NOFOLLOW;
		return 0;
	}
	if (rc != -ESTALE) {
		say(f, "this mount has no slot in the host table (mounted by an older famfs?): the master cannot tell what it still uses; remount it");
		return 0;
	}
	say(f, "this mount's slot in the host table was taken by another mount with this system UUID; claiming a new one, which pins all deleted space until this host is remounted");
	rc = famfs_host_claim(t, f->uuid, 0, 0, f->interval_ms, &f->me, err);
	if (!rc)
		famfs_mount_record_write(f->fs_uuid, &f->me);
	return rc;
}

/* The slot: claimed anew (mount), or this host's own (a restarted follower). */
static int take_slot(struct famfs_follower *f, bool claim, uint32_t flags,
		     struct famfs_error *err)
{
	enum famfs_role role;
	struct famfs_hosts t;
	struct famfs_fs fs;
	int rc;

	rc = famfs_fs_open(&fs, f->root, FAMFS_FS_ROOT | FAMFS_FS_HOSTS, err);
	if (rc)
		return rc;
	memcpy(f->fs_uuid, fs.log.sb.fs_uuid, 16);
	f->master = !famfs_role(&fs.log.sb, &role, NULL) &&
		    role == FAMFS_ROLE_MASTER;
	if (famfs_log_hosts(&fs.log, &t))
		goto out;	/* no host table: nothing to keep */
	rc = famfs_system_uuid(f->uuid, err);
	if (!rc && claim)
		rc = famfs_host_claim_log(&fs.log, f->uuid, flags,
					  f->interval_ms, &f->me, err);
	if (!rc && claim)
		famfs_mount_record_write(f->fs_uuid, &f->me);
	else if (!rc)
		rc = find_slot(f, &t, err);
	f->slotted = !rc && (claim || f->me.info.nonce);
	f->released = f->me.info.released_seq;
	f->gen = f->me.info.log_generation;
out:
	famfs_fs_close(&fs);
	return rc;
}

static int mount_id(const char *path, uint64_t *id)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_NO_AUTOMOUNT, STATX_MNT_ID, &stx) < 0)
		return -1;
	/* Kernels before 5.8 have no mount ID: the device must do. */
	*id = (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id :
	      ((uint64_t)stx.stx_dev_major << 32 | stx.stx_dev_minor);
	return 0;
}

int famfs_follower_new(struct famfs_follower **out, const char *root,
		       const struct famfs_play_opts *po,
		       unsigned int interval_ms, unsigned int flags,
		       void (*say_fn)(const char *msg), struct famfs_error *err)
{
	struct famfs_follower *f = calloc(1, sizeof(*f));
	int rc;

	*out = NULL;
	if (!f || !(f->root = strdup(root)) ||
	    !(f->player = famfs_player_new(NULL))) {
		if (f)
			free(f->root);
		free(f);
		return famfs_error_set(err, -ENOMEM, "out of memory");
	}
	f->po = *po;
	f->po.deleted = on_deleted;
	f->po.evicted = on_evicted;
	f->po.pruned = on_pruned;
	f->po.hook_arg = f;
	f->interval_ms = interval_ms;
	f->say = say_fn;
	rc = mount_id(root, &f->mnt_id) ?
	     famfs_error_set(err, -errno, "%s: %s", root, strerror(errno)) : 0;
	if (!rc)
		rc = take_slot(f, flags & FAMFS_FOLLOW_CLAIM,
			       flags & FAMFS_FOLLOW_NONE ? FAMFS_HOST_F_NOFOLLOW : 0,
			       err);
	if (rc) {
		famfs_follower_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

void famfs_follower_free(struct famfs_follower *f)
{
	if (!f)
		return;
	famfs_held_free(&f->held);
	famfs_player_free(f->player);
	free(f->root);
	free(f);
}

const uint8_t *famfs_follower_fs_uuid(const struct famfs_follower *f)
{
	return f->fs_uuid;
}

/* Is the mount this follower started on still there? */
static bool still_mounted(const struct famfs_follower *f)
{
	uint64_t id;

	return !mount_id(f->root, &id) && id == f->mnt_id;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);	/* a signal cuts it short: that is fine */
}

int famfs_follower_run(struct famfs_follower *f, volatile sig_atomic_t *stop,
		       struct famfs_play_stats *st, struct famfs_error *err)
{
	struct famfs_error e;

	while (!*stop) {
		sleep_ms(f->interval_ms);
		if (*stop || !still_mounted(f))
			break;
		if (!poll_due(f))
			continue;
		/* Anything else (a header being rewritten) may pass by next time. */
		memset(&e, 0, sizeof(e));
		if (famfs_follower_poll(f, st, &e) == -ESHUTDOWN)
			return famfs_error_set(err, e.code, "%s", e.msg);
	}
	return 0;
}
