/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs operations: what the famfs command does, on top of the library core
 * (libfamfs.h). A file system is reached through its mount (the metadata
 * files .meta/.superblock and .meta/.log) or, offline, through its device or
 * image. Same return convention as libfamfs.h.
 */
#ifndef FAMFS_OPS_H
#define FAMFS_OPS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "famfs/libfamfs.h"
#include "uapi/famfs_ioctl.h"

#define FAMFS_META_DIR		".meta"
#define FAMFS_META_SB		".meta/.superblock"
#define FAMFS_META_LOG		".meta/.log"
/*
 * The master's window on the data area: file data is written through it
 * into freshly allocated extents before any log entry points at them.
 */
#define FAMFS_META_DATA		".meta/.data"

/* ---- jobs on threads (core/parallel.c) ------------------------------------ */

#define FAMFS_MAX_THREADS	256

/* One job; worker (0 .. threads-1) tells the job which thread runs it. */
typedef int (*famfs_job_fn)(void *arg, size_t i, unsigned int worker,
			    struct famfs_error *err);

/*
 * Run job i for every i in [0, n) on up to threads threads (the caller's
 * among them; 0 or 1: only the caller's, in order). After a job fails no
 * new one starts; the first failure's code is returned, its message in err.
 */
int famfs_parallel(unsigned int threads, size_t n, famfs_job_fn job, void *arg,
		   struct famfs_error *err);

/* ---- a file system, mounted or offline (core/fs.c) ----------------------- */

struct famfs_fs {
	char *root;		/* mount point; NULL offline */
	char *device;		/* mount source, or the device/image path */
	int root_fd;		/* -1 offline */
	/*
	 * While creating (master): each member's window onto its data area
	 * (mounted: FAMFS_META_DATA, then FAMFS_META_DATA<N> for member N),
	 * or, offline, the device of each member but 0 (found by label).
	 */
	int data_fd[FAMFS_MAX_DEVICES];
	struct famfs_device *member_dev[FAMFS_MAX_DEVICES];
	struct famfs_device dev;	/* offline only */
	void *sb_map;
	size_t sb_map_len;
	void *log_map;
	size_t log_map_len;
	struct famfs_log log;
	uint64_t dev_size;	/* bytes behind the metadata */
};

#define FAMFS_FS_WRITE		0x1	/* will add files: master only */
#define FAMFS_FS_OFFLINE	0x2	/* a device or image is acceptable */
#define FAMFS_FS_HOSTS		0x4	/* this host writes its host-table slot */
#define FAMFS_FS_ROOT		0x8	/* path is the mount point itself */

/*
 * Open the famfs that path (a mount point, anything inside a mount, or with
 * FAMFS_FS_OFFLINE a device or image) belongs to. With FAMFS_FS_WRITE a
 * client is refused with -EPERM, naming the device and the master; only
 * then is this host's system UUID read (famfs_role() tells a reader).
 */
int famfs_fs_open(struct famfs_fs *fs, const char *path, unsigned int flags,
		  struct famfs_error *err);
/*
 * For the tools that only read metadata: map the superblock and log of the
 * famfs mount path is in (a device famfs has mounted here counts as that
 * mount), or, for a device or image that is not mounted, set *offline and
 * leave fs closed.
 */
int famfs_fs_open_meta(struct famfs_fs *fs, const char *path, bool *offline,
		       struct famfs_error *err);
void famfs_fs_close(struct famfs_fs *fs);
/*
 * Make member's data writable (core/fsdata.c): mounted, open its window
 * (FAMFS_META_DATA for member 0, FAMFS_META_DATA<N> for member N),
 * creating and mapping it on first use (call under the log lock, so that
 * only one process creates it); offline, open the device whose label
 * names the member (member 0: the device already open). Once per member;
 * before writing from several threads.
 */
int famfs_fs_open_data(struct famfs_fs *fs, uint32_t member,
		       struct famfs_error *err);
/*
 * Write len bytes at offset off of member (famfs_fs_open_data() first),
 * durably: famfs.ko copies with cache flushing; offline, they are flushed.
 */
int famfs_fs_write(struct famfs_fs *fs, uint32_t member, uint64_t off,
		   const void *buf, size_t len, struct famfs_error *err);
/* Close what famfs_fs_open_data() opened (famfs_fs_close() does it too). */
void famfs_fs_close_data(struct famfs_fs *fs);

/*
 * Split path (which need not exist yet; its longest existing prefix must be
 * in a famfs mount) into the mount root and the path relative to it, both
 * malloc'ed. *rel is "" for the root itself.
 */
int famfs_path_resolve(const char *path, char **root, char **rel,
		       struct famfs_error *err);
/* path's place in fs (which must hold it) as a malloc'ed relative path. */
int famfs_fs_relpath(const struct famfs_fs *fs, const char *path, char **rel,
		     struct famfs_error *err);
/* Is rel FAMFS_META_DIR or inside it, where only the metadata files live? */
bool famfs_path_reserved(const char *rel);
/* Lexically normalise an absolute path: no "//", ".", "..", trailing "/". */
void famfs_path_normalize(char *path);
/* The source of the famfs mounted at root, per a mounts file (NULL: ours). */
int famfs_mount_source(const char *root, const char *mounts, char **source);

/* ---- local inodes (core/local.c) ----------------------------------------- */

/*
 * Make a local directory (ext unused) or file (mapped to ext, or striped
 * over ext as strips of chunk-byte chunks when chunk is not 0) with the
 * given metadata; readonly: a client's file, without write access.
 */
int famfs_local_create(int root_fd, const char *rel, int type,
		       const struct famfs_meta *meta,
		       const struct famfs_extent_info *ext, uint32_t n,
		       uint64_t chunk, bool readonly, struct famfs_error *err);
/* The same for what a log entry describes. */
int famfs_entry_create(int root_fd, const struct famfs_entry *e,
		       bool readonly, struct famfs_error *err);
/*
 * The file FILE entry e made at rel (its path now), left unmapped when
 * the kernel refused its map: map it now. 0 when it has a map already.
 */
int famfs_entry_map_late(int root_fd, const char *rel,
			 const struct famfs_entry *e, bool readonly,
			 struct famfs_error *err);
/* Create the local file rel and give it a map of the given file_type. */
int famfs_local_map(int root_fd, const char *rel, uint32_t mode,
		    const struct famfs_ioc_map *map, struct famfs_error *err);
/*
 * A file's map (FAMFS_IOC_MAP_GET_STRIPED: sm->chunk_size 0 when it is not
 * striped); *ext is malloc'ed and sm->map.extents points at it.
 */
int famfs_map_get(int fd, struct famfs_ioc_stripe_map *sm,
		  struct famfs_ioc_extent **ext, struct famfs_error *err);
/* Does the existing file at rel carry the map the entry logs? 0, or 1 with why. */
int famfs_local_match(int root_fd, const struct famfs_entry *e, char *why,
		      size_t len);
/* The same, waiting up to 200 ms for another player to map what it made. */
int famfs_local_match_settled(int root_fd, const struct famfs_entry *e,
			      char *why, size_t len);

/* ---- path sets (core/pathset.c) ------------------------------------------ */

struct famfs_path_item {
	char *path;		/* NULL: an empty slot */
	uint64_t seq;		/* of the entry that logged it */
	int type;		/* FAMFS_ENTRY_* */
	uint64_t children;	/* directories: paths directly in it (names.c) */
};

struct famfs_pathset {
	struct famfs_path_item *slot;
	size_t cap;
	size_t count;
	char **gone;		/* paths removed or renamed: freed with the set */
	size_t ngone;
	size_t gone_cap;
};

void famfs_pathset_init(struct famfs_pathset *s);
void famfs_pathset_free(struct famfs_pathset *s);
/* Add path; 1 if it was already there (unchanged), -ENOMEM on failure. */
int famfs_pathset_add(struct famfs_pathset *s, const char *path, int type,
		      uint64_t seq);
/*
 * The item of path, NULL if absent. The item may move on the next add; its
 * path string stays until the set is freed.
 */
const struct famfs_path_item *famfs_pathset_get(const struct famfs_pathset *s,
						const char *path);
/* The type of path, 0 if absent. */
int famfs_pathset_find(const struct famfs_pathset *s, const char *path);
/* The item of path, to change its children count; NULL if absent. */
struct famfs_path_item *famfs_pathset_ref(struct famfs_pathset *s,
					  const char *path);
/* Remove path; 1 if it was not there, -ENOMEM on failure. */
int famfs_pathset_remove(struct famfs_pathset *s, const char *path);
/*
 * Rename from to to, and every path under from (when from is a directory
 * that holds something) to the same place under to; items keep their seq,
 * type and children. to must be absent. -ENOMEM on failure.
 */
int famfs_pathset_move(struct famfs_pathset *s, const char *from,
		       const char *to);

/* ---- log play (ops/logplay.c) -------------------------------------------- */

struct famfs_play_opts {
	bool dry_run;
	bool writable;		/* client files keep their write bits (-w) */
	void (*report)(void *arg, const char *what, const char *path);
	void *arg;
	/*
	 * What a follower keeps its slot by (ops/follow.c), for each entry
	 * played: a DELETE that removed a file (with that file's FILE
	 * entry, NULL if it could not be read back), and an EVICT.
	 */
	void (*deleted)(void *arg, uint64_t seq, const struct famfs_entry *file);
	void (*evicted)(void *arg, const struct famfs_entry *e);
	/* A file prune removed, by its map. */
	void (*pruned)(void *arg, const struct famfs_ioc_extent *ext,
		       uint32_t n);
	void *hook_arg;
	/*
	 * Also remove what the log does not hold (a path it lacks, or holds
	 * as another type or map): a compacted log logs no deletes.
	 */
	bool prune;
};

struct famfs_play_stats {
	uint64_t entries;
	uint64_t created_dirs;
	uint64_t created_files;
	uint64_t existing;	/* nothing to do: exists, gone, moved already */
	uint64_t mismatches;	/* existing inode differs from the log */
	uint64_t errors;	/* could not create, delete or rename */
	uint64_t deleted;	/* paths removed (DELETE, or prune) */
	uint64_t renamed;	/* paths moved (RENAME) */
	int stopped;		/* famfs_mount: -errno when the log did not
				 * play to its end (the error says why) */
};

/* Where a play stopped: resume from here to play only newer entries. */
struct famfs_play_cursor {
	uint64_t off;
	uint64_t seq;
};

/*
 * Play the published entries from cur (NULL: the whole log) into the tree
 * at root_fd, advancing cur. An entry that does not decode is left for the
 * next call (it may be half-written); the error is returned.
 */
int famfs_logplay(const struct famfs_log *log, int root_fd,
		  const struct famfs_play_opts *opts,
		  struct famfs_play_cursor *cur, struct famfs_play_stats *st,
		  struct famfs_error *err);

/*
 * A player that keeps what it read of the log between plays (the
 * namespaces at the log's end and at its cursor), so that each play reads
 * only what was published since: the follower's, and that of a command
 * playing its own batches. It plays from from (NULL: the start); a log of
 * another generation (compacted) is played afresh from its start.
 */
struct famfs_player;
struct famfs_player *famfs_player_new(const struct famfs_play_cursor *from);
void famfs_player_free(struct famfs_player *pl);
int famfs_player_play(struct famfs_player *pl, const struct famfs_log *log,
		      int root_fd, const struct famfs_play_opts *opts,
		      struct famfs_play_stats *st, struct famfs_error *err);
/* Where the next play starts. */
struct famfs_play_cursor famfs_player_cursor(const struct famfs_player *pl);

/* ---- the follower (ops/follow.c, follow_daemon.c) ------------------------ */

struct famfs_follower;

#define FAMFS_FOLLOW_CLAIM	0x1	/* claim a new slot: at mount */
#define FAMFS_FOLLOW_NONE	0x2	/* the slot says no follower will run */
#define FAMFS_FOLLOW_MS		10	/* default poll interval */

/*
 * A follower of the famfs mounted at root (its mount point): with
 * FAMFS_FOLLOW_CLAIM it claims a slot in the host table (before the log is
 * played), else it takes over this host's slot. say (NULL: syslog) gets
 * what an administrator must know.
 */
int famfs_follower_new(struct famfs_follower **f, const char *root,
		       const struct famfs_play_opts *po,
		       unsigned int interval_ms, unsigned int flags,
		       void (*say)(const char *msg), struct famfs_error *err);
void famfs_follower_free(struct famfs_follower *f);
/* The UUID of the file system it follows. */
const uint8_t *famfs_follower_fs_uuid(const struct famfs_follower *f);
/*
 * One poll: play new entries (all of them the first time), learn which
 * deleted files this host has let go of, write the slot. -ESHUTDOWN when
 * the master evicted this mount (it is shut down then).
 */
int famfs_follower_poll(struct famfs_follower *f, struct famfs_play_stats *st,
			struct famfs_error *err);
/* Poll every interval until *stop is set or the file system is unmounted. */
int famfs_follower_run(struct famfs_follower *f, volatile sig_atomic_t *stop,
		       struct famfs_play_stats *st, struct famfs_error *err);
/*
 * Run the follower in the background, detached from the caller (which
 * keeps its own copy of f to free): its pid goes to
 * $FAMFS_LOCK_DIR/<fs_uuid>.follower for umount.famfs. Returns the pid.
 */
int famfs_follower_spawn(struct famfs_follower *f, struct famfs_error *err);
/*
 * Stop the background follower of the file system with this UUID (from
 * its pid file) and wait for it: 0 if none ran.
 */
int famfs_follower_stop(const uint8_t fs_uuid[16]);

/* ---- members of a mount (ops/members.c, devices.c) ----------------------- */

/* FAMFS_IOC_MEMBER_GET of member index: 0, -ENOENT if not added, -errno. */
int famfs_member_get(int root_fd, uint32_t index, struct famfs_ioc_member *mb);
/* Open the device at path and hand it to the mount as member m. */
int famfs_member_add(int root_fd, const char *path,
		     const struct famfs_member_info *m, struct famfs_error *err);
/*
 * Hand the mount at root_fd every member of log (but 0) it does not hold
 * yet, each found by its label (famfs_member_find(); skip: member 0's
 * device). On failure the first member that could not be added is named;
 * *missing (if not NULL) gets a bit per such member.
 */
int famfs_members_attach(int root_fd, const struct famfs_log *log,
			 const char *skip, uint32_t *missing,
			 struct famfs_error *err);

/*
 * Map now the files of the log below seq played that name a member of mask
 * (a bit per index) and were left unmapped, that member missing when they
 * were played (ops/latemap.c). Each failure goes to report (may be NULL).
 */
int famfs_map_late(const struct famfs_log *log, int root_fd, uint32_t mask,
		   uint64_t played,
		   bool readonly, void (*report)(void *arg, const char *msg),
		   void *arg, struct famfs_error *err);

/* One member as famfs device list shows it. */
struct famfs_member_view {
	struct famfs_member_info info;
	bool in_table;		/* else added by a MEMBER entry */
	char *path;		/* this host's device, NULL: not found */
	/*
	 * The mount holds it: its device may not be found by label then, as
	 * a devdax device famfs.ko holds refuses to be mapped.
	 */
	bool held;
};

/*
 * The members of fs (mounted or offline) and, for each, this host's
 * device: member 0's is fs->device; the others' their label's.
 * *views (malloc'ed, n of them) is freed by famfs_member_views_free().
 */
int famfs_member_views(const struct famfs_fs *fs,
		       struct famfs_member_view **views, uint32_t *n,
		       struct famfs_error *err);
void famfs_member_views_free(struct famfs_member_view *views, uint32_t n);

struct famfs_device_add_opts {
	bool force;		/* over a device that holds a famfs or a label */
	const char *mountinfo;	/* NULL: /proc/self/mountinfo */
};

/*
 * famfs device add: label the device at path as the next member of fs
 * (mounted, opened for writing on the master), append its MEMBER entry
 * and hand it to the local mount. *added gets the member.
 */
int famfs_device_add(struct famfs_fs *fs, const char *path,
		     const struct famfs_device_add_opts *o,
		     struct famfs_member_info *added, struct famfs_error *err);

/* ---- mount (ops/mount.c) ------------------------------------------------- */

struct famfs_mount_opts {
	bool writable;		/* -w: a client's files are writable */
	bool fake;		/* mount -f: do everything but the mount call */
	unsigned long flags;	/* MS_* flags of mount(2) */
	unsigned long named;	/* MS_* flags the user chose, set or clear */
	const char *data;	/* options for famfs.ko; NULL for none */
	const char *mountinfo;	/* NULL: /proc/self/mountinfo */
	bool no_follow;		/* start no follower (the slot says so) */
	void (*report)(void *arg, const char *what, const char *path);
	void *arg;
};

/* ---- famfs hosts (ops/hosts.c) ------------------------------------------- */

/* One slot of the host table that is not free. */
struct famfs_host_row {
	uint32_t slot;
	int rc;				/* famfs_hosts_read(): 0 or damaged */
	struct famfs_host_info h;	/* zero when damaged */
	enum famfs_pin pin;
	bool self;			/* this host's system UUID */
	bool watched;			/* alive was observed */
	bool alive;			/* its heartbeat moved meanwhile */
	uint64_t pinned_files;		/* deleted files it has not released */
	uint64_t pinned_bytes;
};

struct famfs_hosts_report {
	struct famfs_host_row *rows;	/* in slot order */
	size_t n;
	uint64_t next_seq;		/* of the log, as read */
	uint64_t floor;			/* deletes below it are released */
	uint64_t awaiting_bytes;	/* deleted files' space not yet free */
};

/*
 * Read the host table and the log: every slot in use, what it pins, and
 * (watch) whether its heartbeat moves, which takes about 2.5 s. -ENOENT
 * for a file system without a host table.
 */
int famfs_hosts_list(struct famfs_fs *fs, bool watch,
		     struct famfs_hosts_report *r, struct famfs_error *err);
void famfs_hosts_report_free(struct famfs_hosts_report *r);
/*
 * Compact the log (master; docs/compaction.md): fs open with
 * FAMFS_FS_WRITE. See famfs_log_compact() for what it waits for and the
 * errors.
 */
int famfs_compact(struct famfs_fs *fs, const struct famfs_compact_opts *o,
		  struct famfs_compact_report *rep, struct famfs_error *err);

/*
 * Evict the mounted host who names (its system UUID, or a slot number):
 * log an EVICT entry for its mount (master only), after which its slot
 * pins nothing and its follower, if it runs, shuts its mount down. A host
 * whose heartbeat moves is refused unless force; this host's own mount
 * (the slot its mount record names) always. A damaged slot is freed.
 * *out gets the row evicted.
 */
int famfs_hosts_evict(struct famfs_fs *fs, const char *who, bool force,
		      struct famfs_host_row *out, struct famfs_error *err);

/*
 * Unmount the famfs that dir is in (umount2 flags: MNT_FORCE, MNT_DETACH),
 * stopping its follower first and marking this host's slot unmounted
 * after (not after a lazy unmount, which leaves files in use behind).
 */
int famfs_umount(const char *dir, int flags, struct famfs_error *err);

/* What mount.famfs -o OPTIONS asks for (ops/mntopts.c). */
struct famfs_mount_args {
	unsigned long flags;	/* MS_* flags: noatime, nosuid, ... */
	unsigned long named;	/* MS_* flags named, either way (suid, nosuid) */
	char *data;		/* options for famfs.ko (malloc'ed), or NULL */
	bool writable;		/* writable (ro: not): a client's files */
	bool no_follow;		/* nofollow: no follower (follow: the default) */
};

/*
 * Add the comma-separated options to a (zeroed before the first call):
 * VFS options to flags, famfs's own to their fields, famfs.ko's
 * (dax=always, single_host) to data;
 * options for mount(8) and systemd only (auto, nofail, _netdev, x-*, ...)
 * are dropped. -EINVAL names an unknown option.
 */
int famfs_mount_options(const char *opts, struct famfs_mount_args *a,
			struct famfs_error *err);
void famfs_mount_args_free(struct famfs_mount_args *a);

/*
 * The metadata files of a famfs that is mounted (found in mountinfo, NULL:
 * /proc/self/mountinfo) but lacks them; *where (malloc'ed) is its mount point.
 */
int famfs_mkmeta(const char *device, const char *mountinfo, char **where,
		 struct famfs_error *err);

/*
 * Mount device at dir, create the metadata files, play the log. A client's
 * mount is nosuid and nodev unless opts->named says the user chose (its
 * files come from another host). A log that does not play to its end
 * leaves the file system mounted: 0, with st->stopped and err saying why.
 */
int famfs_mount(const char *device, const char *dir,
		const struct famfs_mount_opts *opts,
		struct famfs_play_stats *st, struct famfs_error *err);

/* ---- creating files on the master (ops/create.c) ------------------------- */

/* Produce len bytes of file data at offset off into buf. */
typedef int (*famfs_fill_fn)(void *arg, uint64_t off, void *buf, size_t len,
			     struct famfs_error *err);

struct famfs_pending;

/*
 * A batch of creations, under the log lock for its whole life. The
 * allocation bitmap and the set of logged paths are built once at begin.
 * For each file: allocate, write and flush the data, then add the entry.
 * Every FAMFS_CREATE_BATCH entries (and at commit) the header is published
 * and then the local inodes are made.
 */
/* How new files are laid out (docs/devices.md, "Striped files"). */
struct famfs_layout {
	uint32_t nstrips;	/* 0: the file system's default; 1: not striped */
	uint32_t nbuckets;	/* regions of a member strips come from; 0: nstrips */
	uint64_t chunk;		/* 0: the file system's default */
};

struct famfs_creator {
	struct famfs_fs *fs;
	struct famfs_layout layout;	/* set after begin, before files */
	struct famfs_space space;
	struct famfs_pathset logged;
	struct famfs_pending *pend;
	size_t npend;
	size_t cap;
	uint64_t files;
	uint64_t dirs;
	uint64_t bytes;
	unsigned int threads;	/* writing a file's data: 0 or 1, this one */
};

#define FAMFS_CREATE_BATCH	256

int famfs_create_begin(struct famfs_creator *c, struct famfs_fs *fs,
		       struct famfs_error *err);
/* Log a directory; 1 if it exists already (as a directory), no change. */
int famfs_create_dir(struct famfs_creator *c, const char *rel,
		     const struct famfs_meta *meta, struct famfs_error *err);
/* Log a file of meta->size bytes whose data fill produces (NULL: none). */
int famfs_create_file(struct famfs_creator *c, const char *rel,
		      const struct famfs_meta *meta, famfs_fill_fn fill,
		      void *arg, struct famfs_error *err);
/* Type (FAMFS_ENTRY_*) of a logged or pending path, 0 if none. */
int famfs_create_lookup(const struct famfs_creator *c, const char *rel);
/* Publish what was added, then make the local inodes. */
int famfs_create_commit(struct famfs_creator *c, struct famfs_error *err);
/* Drop anything not committed, release the lock. */
void famfs_create_end(struct famfs_creator *c);

/* ---- cp, mkdir, creat (ops/cp.c) ------------------------------------------ */

struct famfs_cp_opts {
	bool recursive;
	bool parents;		/* mkdir -p */
	int mode;		/* -1: from the source (cp) or default */
	int64_t uid;		/* -1: the caller's */
	int64_t gid;
	unsigned int threads;	/* cp: writing each file's data */
	struct famfs_layout layout;	/* cp: how files are laid out */
	void (*report)(void *arg, const char *what, const char *path);
	/* An item that failed; the copy goes on (device or log full stop it). */
	void (*error)(void *arg, const char *msg);
	void *arg;
};

/*
 * Where cp puts src, like cp(1): into dest if dest is an existing directory
 * (or ends in '/'), else at dest itself. Returns a malloc'ed path.
 */
char *famfs_cp_target(const char *src, const char *dest, bool dest_is_dir);

/* Copy the sources into the famfs holding dest. */
int famfs_cp(struct famfs_creator *c, char *const *srcs, int nsrc,
	     const char *dest, const struct famfs_cp_opts *opts,
	     struct famfs_error *err);
/* Make directories (rel paths in c's file system). */
int famfs_mkdir(struct famfs_creator *c, const char *rel,
		const struct famfs_cp_opts *opts, struct famfs_error *err);

/* ---- removing and moving names on the master (ops/namer.c) --------------- */

struct famfs_names;

/*
 * A batch of DELETE and RENAME entries, under the log lock for its whole
 * life, checked against the log's namespace, built once at begin. Every
 * FAMFS_CREATE_BATCH entries (and at commit) the header is published and
 * the new entries are played on the local mount (ops/logplay.c).
 */
struct famfs_namer {
	struct famfs_fs *fs;
	struct famfs_names *names;	/* the namespace with what was added */
	struct famfs_entry *e;		/* scratch */
	struct famfs_play_cursor cur;	/* the first entry not played here */
	struct famfs_player *player;	/* plays the batches here */
	size_t npend;
	uint64_t deleted;
	uint64_t renamed;
	void (*report)(void *arg, const char *what, const char *path);
	void *arg;
};

int famfs_namer_begin(struct famfs_namer *n, struct famfs_fs *fs,
		      struct famfs_error *err);
/* The type (FAMFS_ENTRY_*) of rel in the namespace, 0 if absent. */
int famfs_namer_lookup(const struct famfs_namer *n, const char *rel);
/* How many paths a directory holds directly. */
uint64_t famfs_namer_children(const struct famfs_namer *n, const char *rel);
/* rel's children, deepest first (malloc'ed array of malloc'ed paths). */
int famfs_namer_subtree(const struct famfs_namer *n, const char *rel,
			char ***paths, size_t *count, struct famfs_error *err);
/* Log a DELETE of rel, or a RENAME of src to dst (full paths). */
int famfs_namer_delete(struct famfs_namer *n, const char *rel,
		       struct famfs_error *err);
int famfs_namer_rename(struct famfs_namer *n, const char *src,
		       const char *dst, struct famfs_error *err);
/* Publish what was added, then play it on the local mount. */
int famfs_namer_commit(struct famfs_namer *n, struct famfs_error *err);
/* Drop anything not committed, release the lock. */
void famfs_namer_end(struct famfs_namer *n);

struct famfs_rm_opts {
	bool recursive;		/* -r: a directory and all it holds */
	bool force;		/* -f: a missing path is not an error */
	bool dir_only;		/* rmdir: empty directories only */
};

/* famfs rm / rmdir of rel (ops/remove.c). */
int famfs_rm(struct famfs_namer *n, const char *rel,
	     const struct famfs_rm_opts *o, struct famfs_error *err);
/*
 * famfs mv (ops/move.c): src to dst, or into dst when dst is an existing
 * directory, as mv(1); an existing non-directory is refused.
 */
int famfs_mv(struct famfs_namer *n, const char *src, const char *dst,
	     struct famfs_error *err);

/* ---- reproducible data (core/random.c) ----------------------------------- */

/* Fill buf with the bytes at [off, off+len) of the stream of seed. */
void famfs_random_fill(uint64_t seed, uint64_t off, void *buf, size_t len);
/* famfs_fill_fn producing the stream of *(uint64_t *)arg. */
int famfs_random_fill_fn(void *arg, uint64_t off, void *buf, size_t len,
			 struct famfs_error *err);
/*
 * Compare the file at path with the stream of seed: 0 if equal, 1 if not
 * (*bad_off gets the first differing offset), negative errno on I/O error.
 */
int famfs_random_verify(const char *path, uint64_t seed, uint64_t *bad_off,
			struct famfs_error *err);

/* ---- check (ops/check.c) ------------------------------------------------- */

struct famfs_check_stats {
	uint64_t files;
	uint64_t dirs;
	uint64_t problems;
};

/* Every local inode is logged with the same map, every logged path exists. */
int famfs_check(struct famfs_fs *fs,
		void (*problem)(void *arg, const char *path, const char *why),
		void *arg, struct famfs_check_stats *st,
		struct famfs_error *err);

/*
 * Check a file system given by mount point, device or image, and look for
 * its members' labels on this host (a note for each one missing).
 */
int famfs_fsck_path(const char *path, const struct famfs_fsck_ops *ops,
		    struct famfs_fsck_report *rep, struct famfs_error *err);

/*
 * The labels of rep's members but 0 on this host (skip: member 0's
 * device): rep->members_found, and a note per member not found
 * (ops/fsck_members.c).
 */
void famfs_fsck_members(const char *skip, const struct famfs_fsck_ops *ops,
			struct famfs_fsck_report *rep);

/* ---- flush (ops/fileflush.c) ------------------------------------------------ */

/* Write back a file's cache lines through a shared mapping of it. */
int famfs_file_flush(const char *path, struct famfs_error *err);

/* ---- YAML (ops/yaml.c, docs/yaml.md) -------------------------------------- */

int famfs_yaml_map(FILE *out, const char *path,
		   const struct famfs_ioc_stripe_map *sm,
		   const struct famfs_ioc_extent *ext);
/* One document per entry of the log. */
int famfs_yaml_log(FILE *out, const struct famfs_log *log,
		   struct famfs_error *err);
int famfs_yaml_fsck(FILE *out, const char *path,
		    const struct famfs_fsck_report *rep, char *const *problems,
		    size_t nproblems);

#endif /* FAMFS_OPS_H */
