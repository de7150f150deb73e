/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libfamfs: device access, cache maintenance, system identity, the metadata
 * log, the space allocator and the file-system operations built on them.
 *
 * Return convention: 0 on success, a negative errno for system errors, or a
 * positive enum famfs_err (format.h) for format errors. Every function that
 * can fail takes a struct famfs_error *, which may be NULL; when given, it
 * receives the same code and a message naming the object and the cause,
 * ready to print after the program name.
 */
#ifndef FAMFS_LIBFAMFS_H
#define FAMFS_LIBFAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "famfs/format.h"

/* ---- errors (core/error.c) ----------------------------------------------- */

struct famfs_error {
	int code;		/* 0, -errno or enum famfs_err */
	char msg[768];
};

/* Record code and a printf-style message in err (if not NULL); returns code. */
int famfs_error_set(struct famfs_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Text for a code of either kind. */
const char *famfs_error_str(int code);

/* ---- showing paths and messages (core/show.c) ----------------------------- */

/* Room a message gives one path, and the most a whole path takes shown. */
#define FAMFS_PATH_SHOWN	256
#define FAMFS_PATH_ESCAPED	(4 * FAMFS_PATH_MAX + 1)

/*
 * A path as output shows it (docs/cli.md): a byte below 0x20, 0x7f, '\\',
 * a C1 control character (U+0080..U+009F) and a byte that is not part of
 * valid UTF-8 become \xNN, so that a logged name can neither forge an
 * output line nor move the cursor. If that does not fit in cap bytes with
 * its NUL, its middle gives way to "...". Returns buf.
 */
const char *famfs_path_show(char *buf, size_t cap, const char *path);
/* Copy text into cap bytes; if it does not fit, its middle gives way to "...". */
void famfs_text_fit(char *buf, size_t cap, const char *text);

/* Room for what famfs_host_entry_show() says. */
#define FAMFS_HOST_ENTRY_SHOWN	80
/*
 * What an EVICT, HOST_TABLE, GENERATION or MEMBER entry says, as output
 * shows it: "host UUID nonce 0xNONCE" (16 hex digits), "COUNT slots at
 * 0xOFFSET", "generation G in area A" or "member N UUID, SIZE bytes"; ""
 * for any other entry. Returns buf.
 */
const char *famfs_host_entry_show(char *buf, size_t cap,
				  const struct famfs_entry *e);

/* Room for what famfs_place_show() says. */
#define FAMFS_PLACE_SHOWN	48
/*
 * A byte of a member, as messages name it: "device offset 0xOFF" on
 * member 0 (the device mounted), "offset 0xOFF of member N" on another.
 * Returns buf.
 */
const char *famfs_place_show(char *buf, size_t cap, uint32_t member,
			     uint64_t offset);

/* ---- small helpers (core/util.c) ----------------------------------------- */

/*
 * Parse a byte count: decimal digits, or hex ones after 0x, with an
 * optional K, M, G or T suffix (either case, powers of 1024). -EINVAL on
 * garbage, -ERANGE on overflow.
 */
int famfs_parse_size(const char *s, uint64_t *out);

/* ---- cache maintenance (core/flush.c) ------------------------------------ */

enum famfs_flush_method {
	FAMFS_FLUSH_CLWB,
	FAMFS_FLUSH_CLFLUSHOPT,
	FAMFS_FLUSH_CLFLUSH,
	FAMFS_FLUSH_BARRIER,	/* no cache-line instruction on this CPU/arch */
};

/* What famfs_flush() uses on this CPU (chosen once, by CPUID). */
enum famfs_flush_method famfs_flush_method(void);
/* What famfs_invalidate() uses: never clwb, which does not evict. */
enum famfs_flush_method famfs_invalidate_method(void);
const char *famfs_flush_method_name(enum famfs_flush_method m);

/* Write back the cache lines of [addr, addr+len) and order with sfence. */
void famfs_flush(const void *addr, size_t len);
/* Write back and evict them, so the next read comes from memory. */
void famfs_invalidate(const void *addr, size_t len);

/* ---- devices (core/device.c) --------------------------------------------- */

enum famfs_dev_kind {
	FAMFS_DEV_FILE,		/* regular file: images and tests */
	FAMFS_DEV_DAX,		/* /dev/daxX.Y character device */
	FAMFS_DEV_PMEM,		/* block device with DAX (/dev/pmemN) */
};

struct famfs_device {
	char *path;
	int fd;
	enum famfs_dev_kind kind;
	bool writable;
	uint64_t size;		/* bytes of the device */
	uint8_t *base;		/* MAP_SHARED mapping of [0, size) */
};

#define FAMFS_DEV_RDWR	0x1
#define FAMFS_DEV_NOMAP	0x2	/* leave a regular file unmapped: the caller reads it */

/*
 * Open and map a famfs-capable device or image. Refuses anything else
 * (directory, tty, block device without DAX, ...) with -ENODEV or the errno.
 */
int famfs_device_open(struct famfs_device *dev, const char *path,
		      unsigned int flags, struct famfs_error *err);
void famfs_device_close(struct famfs_device *dev);
/* Make [off, off+len) durable and visible to other hosts. */
void famfs_device_flush(const struct famfs_device *dev, uint64_t off,
			uint64_t len);
const char *famfs_dev_kind_name(enum famfs_dev_kind kind);

/* ---- where a device's struct pages live (core/memmap.c) ------------------ */

enum famfs_memmap {
	FAMFS_MEMMAP_UNKNOWN,	/* not an nvdimm namespace, or an image */
	FAMFS_MEMMAP_RAM,	/* in this host's RAM (namespace map=mem) */
	FAMFS_MEMMAP_DEVICE,	/* on the device (map=dev): single host only */
};

struct famfs_memmap_info {
	enum famfs_memmap where;
	char namespace[64];	/* the nvdimm namespace ("" if unknown) */
	bool devdax;		/* a dax character device, not a pmem disk */
};

/* Ask sysfs about path's struct pages; -errno only if path cannot be stat'ed. */
int famfs_device_memmap(const char *path, struct famfs_memmap_info *mi);

/*
 * Is the device at path mounted, according to a mountinfo file (normally
 * /proc/self/mountinfo)? 1 yes (*where gets the mount point, malloc'ed, if
 * where is not NULL), 0 no, negative errno if mountinfo cannot be read.
 */
int famfs_device_mounted(const char *path, const char *mountinfo,
			 char **where);

/* ---- members (core/label.c, memberfind.c; docs/devices.md) -------------- */

#define FAMFS_DEV_DIR		"/dev"
#define FAMFS_DEV_DIR_ENV	"FAMFS_DEV_DIR"

/*
 * The label of the device dev (mapped): 0, FAMFS_E_MAGIC for a device
 * without one, FAMFS_E_SHORT for one too small to hold one, another
 * FAMFS_E_* for a damaged one.
 */
int famfs_label_read_dev(const struct famfs_device *dev, uint8_t fs_uuid[16],
			 struct famfs_member_info *m);
/* The same for the device at path, opened read-only. */
int famfs_label_read(const char *path, uint8_t fs_uuid[16],
		     struct famfs_member_info *m, struct famfs_error *err);
/* Write member m's label of file system fs_uuid at offset 0 of dev, flushed. */
int famfs_label_write(struct famfs_device *dev, const uint8_t fs_uuid[16],
		      const struct famfs_member_info *m, struct famfs_error *err);
/* Where members are looked for: $FAMFS_DEV_DIR, else /dev. */
const char *famfs_dev_dir(void);
/*
 * The device (*path, malloc'ed) among famfs_dev_dir()'s dax* and pmem*
 * whose label names file system fs_uuid and member m (index, UUID and
 * size), skip (member 0's device, may be NULL) left out. -ENOENT, naming
 * the member and what the labels found say, when there is none.
 */
int famfs_member_find(const uint8_t fs_uuid[16],
		      const struct famfs_member_info *m, const char *skip,
		      char **path, struct famfs_error *err);

/* ---- system identity (core/identity.c) ----------------------------------- */

#define FAMFS_SYSTEM_UUID_FILE		"/etc/famfs/system_uuid"
#define FAMFS_SYSTEM_UUID_ENV		"FAMFS_SYSTEM_UUID_FILE"

enum famfs_role {
	FAMFS_ROLE_MASTER,
	FAMFS_ROLE_CLIENT,
};

/* The file holding this host's system UUID ($FAMFS_SYSTEM_UUID_FILE or default). */
const char *famfs_system_uuid_path(void);
/* This host's system UUID; the file is created atomically on first use. */
int famfs_system_uuid(uint8_t uuid[16], struct famfs_error *err);
/* This host's role for a file system. */
int famfs_role(const struct famfs_sb_info *sb, enum famfs_role *role,
	       struct famfs_error *err);
/* Decode a mapped superblock (invalidated first) and this host's role in it. */
int famfs_role_mapped(const void *sb_map, size_t len, struct famfs_sb_info *sb,
		      enum famfs_role *role, struct famfs_error *err);
const char *famfs_role_name(enum famfs_role role);

/* ---- the host table (core/hosts.c, hostclaim.c, release.c) -------------- */

struct famfs_log;

/*
 * The longest a running host's heartbeat stands still: a follower rewrites
 * its slot when something changed, and at least this often.
 */
#define FAMFS_HOST_BEAT_MS	1000

/* The host table in a mapping of the superblock area. */
struct famfs_hosts {
	uint8_t *base;		/* slot 0; NULL: the file system has none */
	uint32_t count;
	uint64_t generation;	/* the log's: slots of another count nothing */
};

/*
 * The table of sb, whose superblock area (len bytes) is mapped at sb_area:
 * -ENOENT when the file system has none (format 1.0 and 1.1).
 */
int famfs_hosts_init(struct famfs_hosts *t, void *sb_area, size_t len,
		     const struct famfs_sb_info *sb);
/*
 * Read slot i (invalidated first; a slot that fails its CRC is read again
 * for a while, as its owner may be rewriting it): 0, FAMFS_E_MAGIC for a
 * free slot, another FAMFS_E_* for a damaged one.
 */
int famfs_hosts_read(const struct famfs_hosts *t, uint32_t i,
		     struct famfs_host_info *h);
/* Write slot i whole and flush it: only the slot's owner does. */
int famfs_hosts_write(const struct famfs_hosts *t, uint32_t i,
		      const struct famfs_host_info *h);
/* "free", "mounted", "unmounted" or "damaged", from famfs_hosts_read(). */
const char *famfs_host_state_name(const struct famfs_host_info *h, int rc);

/* The mounts that EVICT entries declared dead. */
struct famfs_eviction {
	uint8_t uuid[16];
	uint64_t nonce;
};

struct famfs_evictions {
	struct famfs_eviction *v;
	size_t n, cap;
};

int famfs_evictions_add(struct famfs_evictions *ev, const struct famfs_entry *e);
bool famfs_evicted(const struct famfs_evictions *ev,
		   const struct famfs_host_info *h);
void famfs_evictions_free(struct famfs_evictions *ev);
/*
 * The mounts the log's EVICT entries declared dead, as many as can be
 * read (one missed keeps its slot pinning, the safe side).
 */
void famfs_log_evictions(const struct famfs_log *log,
			 struct famfs_evictions *ev);

/* What a slot pins. */
enum famfs_pin {
	FAMFS_PIN_NONE,		/* free or unmounted */
	FAMFS_PIN_LIVE,		/* mounted: deletes from released_seq on */
	FAMFS_PIN_EVICTED,	/* mounted, but an EVICT names it: nothing */
	FAMFS_PIN_DAMAGED,	/* unreadable: everything */
};

/* rc: what famfs_hosts_read() returned for h. */
enum famfs_pin famfs_host_pin(const struct famfs_evictions *ev,
			      const struct famfs_host_info *h, int rc);
/*
 * The lowest released_seq of the live slots: every DELETE below it is
 * released on every host. UINT64_MAX when no slot is live; 0 without a
 * table or with a damaged slot (nothing is released).
 */
uint64_t famfs_release_floor(const struct famfs_hosts *t,
			     const struct famfs_evictions *ev);
/*
 * The same, and in *judged (if not NULL) the floor of the slots that read
 * back, damaged ones left out: a file that took units of a file deleted
 * below it took them after every host had released them. A reuse is made
 * only while no slot is damaged (else the floor is 0), so a slot damaged
 * since had released the delete then, or was claimed after it. 0 without a
 * table, where deleted space is never reused.
 */
uint64_t famfs_release_floors(const struct famfs_hosts *t,
			      const struct famfs_evictions *ev,
			      uint64_t *judged);

/* This mount's slot and what it last wrote there. */
struct famfs_host_self {
	uint32_t slot;
	struct famfs_host_info info;
};

/*
 * Claim a slot for this mount of the host with system UUID uuid (before
 * the log is read): MOUNTED, a new nonce, applied_seq = released_seq =
 * from_seq, at most the log's next_seq when the slot is written (a mount
 * never instantiates a file deleted before it reads the log). -ENOSPC
 * when every slot is taken.
 */
int famfs_host_claim(const struct famfs_hosts *t, const uint8_t uuid[16],
		     uint64_t from_seq, uint32_t flags, uint32_t poll_ms,
		     struct famfs_host_self *me, struct famfs_error *err);
/*
 * The same at mount, from the log's next_seq as read (famfs_log_refresh)
 * just before the slot is written: finding a slot may wait seconds, and a
 * header read before that would let the claim lower the release floor
 * below deletes the master has released and reused meanwhile. The slot of
 * a mount an EVICT entry names may be taken, as an unmounted one.
 */
int famfs_host_claim_log(struct famfs_log *log, const uint8_t uuid[16],
			 uint32_t flags, uint32_t poll_ms,
			 struct famfs_host_self *me, struct famfs_error *err);
/*
 * Heartbeat: write applied and released, counted in t's log generation
 * (within one, released never decreases nor passes applied). -ESTALE when
 * the slot now holds another mount.
 */
int famfs_host_beat(const struct famfs_hosts *t, struct famfs_host_self *me,
		    uint64_t applied, uint64_t released);
/* Mark the slot UNMOUNTED (after the file system is unmounted here). */
int famfs_host_leave(const struct famfs_hosts *t, struct famfs_host_self *me);
/*
 * This host's mounted slot (a follower restarted on a mount, umount): the
 * one the mount record names, else (no record) the only live slot with
 * this host's UUID uuid; -ENOENT when there is none, or no telling which;
 * -ESTALE when the record's slot holds another mount now. *me is left
 * alone on failure.
 */
int famfs_host_find(const struct famfs_hosts *t, const uint8_t fs_uuid[16],
		    const uint8_t uuid[16], struct famfs_host_self *me);
/*
 * Does slot i (last seen as seen) still beat? Waits longer than an idle
 * follower's heartbeat (FAMFS_HOST_BEAT_MS), and a few poll intervals.
 */
bool famfs_host_alive(const struct famfs_hosts *t, uint32_t i,
		      const struct famfs_host_info *seen);
/*
 * The live slots holding uuid (up to max of them in slots): more than one
 * means two running hosts share one system UUID.
 */
uint32_t famfs_hosts_same_uuid(const struct famfs_hosts *t,
			       const struct famfs_evictions *ev,
			       const uint8_t uuid[16], uint32_t *slots,
			       uint32_t max);
/*
 * The slot and nonce this host's mount of the file system fs_uuid claimed,
 * kept in $FAMFS_LOCK_DIR/<fs_uuid>.mount (core/rundir.c).
 */
int famfs_mount_record_write(const uint8_t fs_uuid[16],
			     const struct famfs_host_self *me);
int famfs_mount_record_read(const uint8_t fs_uuid[16], uint32_t *slot,
			    uint64_t *nonce);
void famfs_mount_record_remove(const uint8_t fs_uuid[16]);
/*
 * This mount's slot, from its record: -ENOENT without one, -ESTALE if the
 * slot holds another mount (*me is left alone then).
 */
int famfs_host_mine(const struct famfs_hosts *t, const uint8_t fs_uuid[16],
		    struct famfs_host_self *me);
/*
 * -ENOTUNIQ when two live slots hold this host's system UUID (a cloned
 * image): the master must not change anything then.
 */
int famfs_log_check_identity(const struct famfs_log *log,
			     const struct famfs_evictions *ev,
			     struct famfs_error *err);
/* CLOCK_REALTIME or CLOCK_MONOTONIC in nanoseconds. */
uint64_t famfs_now_ns(int clock);

/* ---- the metadata log (core/log.c) --------------------------------------- */

#define FAMFS_LOCK_DIR		"/run/famfs"
#define FAMFS_LOCK_DIR_ENV	"FAMFS_LOCK_DIR"

/*
 * An open log: the decoded superblock, and the header as last read or, while
 * appending, the writer's cursor (next_seq/next_off of the next entry).
 */
struct famfs_log {
	const struct famfs_device *dev;	/* NULL when opened from memory */
	uint8_t *sb_buf;	/* the superblock area's bytes */
	size_t sb_len;		/* how many are mapped (the host table's too) */
	uint8_t *areas;		/* every log area, log_areas * log_len bytes */
	uint8_t *log_buf;	/* the active area: header then entries */
	struct famfs_log_gen gen;	/* which area is active (1.3), else 0 */
	bool writable;
	/*
	 * sb.members[] and sb.geo hold the member table and then every
	 * member a published MEMBER entry adds (format 1.4), read again at
	 * each refresh; sb.ndevices stays the table's count. member_seq[i]
	 * is the seq of the MEMBER entry that added member i (i >= ndevices).
	 */
	struct famfs_sb_info sb;
	uint64_t member_seq[FAMFS_MAX_DEVICES];
	/*
	 * Where the members' scan stopped in the log of generation scan_gen
	 * (scan_off 0: nowhere yet): the next refresh reads only what was
	 * published since, as the log only grows within a generation.
	 */
	uint64_t scan_gen;
	uint64_t scan_off;
	uint64_t scan_seq;
	struct famfs_log_info hdr;	/* published header */
	struct famfs_log_info cur;	/* writer cursor, >= hdr */
	int lock_fd;		/* >= 0 while appending */
};

/*
 * Open the log held in memory: sb_buf holds at least the superblock (and
 * the active-log record, for two log areas), log_buf the log areas,
 * log_len bytes. Works on a mapped device or on any other mapping of the
 * metadata (e.g. a mounted file system's .meta files). Invalidates the
 * superblock, record and log header before decoding them.
 */
int famfs_log_open_mem(struct famfs_log *log, void *sb_buf, size_t sb_len,
		       void *log_buf, size_t log_len, bool writable,
		       struct famfs_error *err);
/* Same for a mapped device; also checks the superblock fits the device. */
int famfs_log_open(struct famfs_log *log, const struct famfs_device *dev,
		   struct famfs_error *err);
/* Re-read the published header (after invalidating it). */
int famfs_log_refresh(struct famfs_log *log, struct famfs_error *err);
/* Device offset of a log-relative offset. */
uint64_t famfs_log_dev_off(const struct famfs_log *log, uint64_t log_off);

/*
 * Iterate the published entries, validating each. Each FILE is checked
 * against the members that precede it: the table's, and those of the
 * MEMBER entries the walk met, each of which must add the next index.
 */
struct famfs_log_iter {
	const struct famfs_log *log;
	uint64_t off;		/* log offset of the next entry */
	uint64_t seq;		/* its expected sequence number */
	struct famfs_geometry geo;	/* the members known before seq */
};

void famfs_log_iter_init(struct famfs_log_iter *it, const struct famfs_log *log);
/* Go on from the entry seq at log offset off (a walk's saved cursor). */
void famfs_log_iter_seek(struct famfs_log_iter *it, uint64_t off, uint64_t seq);
bool famfs_log_iter_more(const struct famfs_log_iter *it);
/*
 * Decode the entry at it->off into *e and advance. A bad entry is read again
 * after invalidating its cache lines before it is reported; the iterator
 * then stays on it.
 */
int famfs_log_iter_next(struct famfs_log_iter *it, struct famfs_entry *e,
			struct famfs_error *err);
/* At the end: does the number of entries agree with the header's next_seq? */
int famfs_log_iter_finish(const struct famfs_log_iter *it,
			  struct famfs_error *err);

/*
 * Appending (master only). begin takes the file system's lock (a flock on
 * $FAMFS_LOCK_DIR/<fs_uuid>.lock, default /run/famfs), re-reads the header and
 * sets the cursor from it. Each add writes and flushes one entry at the
 * cursor; commit publishes everything added so far by rewriting and flushing
 * the header once; abort drops what was added since the last commit; end
 * releases the lock (aborting anything not committed). Build the allocator
 * (famfs_alloc_build) after begin, so that it sees every published entry.
 */
int famfs_log_append_begin(struct famfs_log *log, struct famfs_error *err);
int famfs_log_add_file(struct famfs_log *log, const char *path,
		       const struct famfs_meta *meta,
		       const struct famfs_extent_info *ext, uint32_t n,
		       struct famfs_error *err);
/*
 * A FILE mapped to ext, or striped over them (format 1.4: FAMFS_E_VERSION
 * before) as strips of chunk-byte chunks when chunk is not 0.
 */
int famfs_log_add_file_map(struct famfs_log *log, const char *path,
			   const struct famfs_meta *meta, uint64_t chunk,
			   const struct famfs_extent_info *ext, uint32_t n,
			   struct famfs_error *err);
/* Bytes of that entry in the log. */
size_t famfs_file_map_entry_size(size_t path_len, uint32_t n, uint64_t chunk);
int famfs_log_add_mkdir(struct famfs_log *log, const char *path,
			const struct famfs_meta *meta, struct famfs_error *err);
/*
 * DELETE and RENAME entries (format 1.1): FAMFS_E_VERSION on a 1.0 file
 * system. They check the paths only; the namespace rules (the path exists,
 * a directory is empty, the destination does not exist) are the caller's.
 */
int famfs_log_add_delete(struct famfs_log *log, const char *path,
			 struct famfs_error *err);
int famfs_log_add_rename(struct famfs_log *log, const char *src,
			 const char *dst, struct famfs_error *err);
/* The host table of an open log's file system (-ENOENT: it has none). */
int famfs_log_hosts(const struct famfs_log *log, struct famfs_hosts *t);
/*
 * An EVICT entry (format 1.2): the mount nonce of the host uuid is dead.
 * FAMFS_E_VERSION on a file system without a host table.
 */
int famfs_log_add_evict(struct famfs_log *log, const uint8_t uuid[16],
			uint64_t nonce, struct famfs_error *err);
/*
 * May this log take one more member? FAMFS_E_VERSION before format 1.4,
 * -ENOSPC with FAMFS_MAX_DEVICES members already.
 */
int famfs_log_member_room(const struct famfs_log *log, struct famfs_error *err);
/*
 * A MEMBER entry (format 1.4): m must take the next index (the members of
 * the published log) and a UUID no member has.
 */
int famfs_log_add_member(struct famfs_log *log,
			 const struct famfs_member_info *m,
			 struct famfs_error *err);
int famfs_log_commit(struct famfs_log *log, struct famfs_error *err);
void famfs_log_abort(struct famfs_log *log);
void famfs_log_append_end(struct famfs_log *log);

/* ---- compaction (core/compact.c; docs/compaction.md) --------------------- */

struct famfs_compact_opts {
	unsigned int wait_ms;	/* for hosts to catch up; 0: look once */
	size_t room;		/* bytes the new log must leave free */
};

struct famfs_compact_report {
	uint64_t generation;	/* the new log's */
	uint32_t area;
	uint64_t entries_before, entries_after;
	uint64_t bytes_before, bytes_after;	/* log bytes used */
	uint64_t members, dirs, files, evictions;	/* logged again */
	uint64_t waited_ms;	/* for hosts */
	uint64_t write_ms;	/* writing the new log and switching */
};

/*
 * Compact the log, open for appending with nothing pending: wait (up to
 * o->wait_ms) until every live host has caught up with this generation,
 * write the live namespace into the other log area as the next
 * generation, switch the active-log record to it. On success log is the
 * new log, still open for appending. -EBUSY names the hosts that lag;
 * -EOPNOTSUPP for a file system with one log area (before format 1.3);
 * FAMFS_E_LOG_FULL, with nothing written, when the new log would not
 * leave o->room bytes free.
 */
int famfs_log_compact(struct famfs_log *log, const struct famfs_compact_opts *o,
		      struct famfs_compact_report *rep, struct famfs_error *err);
/* How long an append that does not fit waits for hosts before it fails. */
#define FAMFS_COMPACT_WAIT_MS	30000
/* Is there room at the writer's cursor for an entry of need bytes (> 0)? */
bool famfs_log_fits(const struct famfs_log *log, size_t need);
/*
 * Make room for an entry of need bytes by compacting the log, which must
 * have nothing pending (the caller publishes its batch first, and reads
 * the log anew after: seqs start again). 0 when it fits (compacted or
 * not); FAMFS_E_LOG_FULL saying why not.
 */
int famfs_log_compact_for(struct famfs_log *log, size_t need,
			  struct famfs_error *err);

/* ---- space allocation (core/alloc.c) ------------------------------------- */

/*
 * One bit per allocation unit of each member; the superblock and log
 * units of member 0 and the label area of the others are reserved. owners
 * (optional) records, per unit, 1 + the seq of the entry that claimed it,
 * so that a collision names both files.
 */
struct famfs_alloc_member {
	uint64_t nunits;
	uint64_t data_start;	/* first unit a file may take */
	uint64_t free_units;
	uint64_t hint;		/* no free unit below this one */
	uint64_t *bits;
	uint64_t *owners;
};

struct famfs_alloc {
	struct famfs_geometry geo;
	uint64_t data_units;	/* of every member */
	uint64_t free_units;	/* of every member */
	bool track_owners;
	struct famfs_alloc_member m[FAMFS_MAX_DEVICES];	/* geo.n_members */
};

int famfs_alloc_init(struct famfs_alloc *a, const struct famfs_geometry *geo,
		     bool track_owners);
void famfs_alloc_free(struct famfs_alloc *a);

/* A unit claimed twice. */
struct famfs_collision {
	uint32_t dev_index;	/* the member */
	uint64_t offset;	/* its offset of the first shared unit */
	uint64_t units;		/* how many units of the extent were taken */
	uint64_t owner_seq;	/* entry that had it (if owners are tracked) */
};

/*
 * Mark an extent used on behalf of entry seq. Returns 0, or 1 if some of it
 * was already in use (then *c describes the first such unit).
 */
int famfs_alloc_claim(struct famfs_alloc *a, const struct famfs_extent_info *ext,
		      uint64_t seq, struct famfs_collision *c);
/*
 * Initialise a (without owners) and claim every published FILE entry of the
 * log: FAMFS_E_EXT_OVERLAP if two files share a unit.
 */
int famfs_alloc_build(struct famfs_alloc *a, const struct famfs_log *log,
		      struct famfs_error *err);
/*
 * Allocate size bytes (rounded up to units) for a plain file, on the
 * member with the most free space (the lowest index of those with as
 * much): one contiguous extent, first fit, when possible, else up to max
 * extents of that member, then of the others. -ENOSPC when every member
 * is full.
 */
int famfs_alloc_extents(struct famfs_alloc *a, uint64_t size,
			struct famfs_extent_info *ext, uint32_t max,
			uint32_t *n, struct famfs_error *err);
/*
 * One contiguous run of len bytes (rounded up to units) on member, the
 * first free one that lies in its device offsets [lo, hi) (hi 0: the
 * member's end): what a strip of a striped file takes. -ENOSPC when there
 * is none, -EINVAL for a member the geometry lacks.
 */
int famfs_alloc_on_member(struct famfs_alloc *a, uint32_t member, uint64_t lo,
			  uint64_t hi, uint64_t len,
			  struct famfs_extent_info *ext, struct famfs_error *err);
/* Free units of one member, in bytes (0 for a member the geometry lacks). */
uint64_t famfs_alloc_member_free(const struct famfs_alloc *a, uint32_t member);
/* Give back extents allocated but never logged. */
void famfs_alloc_release(struct famfs_alloc *a,
			 const struct famfs_extent_info *ext, uint32_t n);

/* ---- striped files (core/stripe.c; docs/devices.md) --------------------- */

/* How a striped file is laid out. */
struct famfs_stripe {
	uint32_t nstrips;	/* 2 .. FAMFS_STRIPE_MAX */
	uint32_t nbuckets;	/* regions of a member strips come from; 0: nstrips */
	uint64_t chunk;		/* bytes, a multiple of alloc_unit */
};

/* Bytes of each strip of a file of size bytes: whole rows of chunks. */
uint64_t famfs_strip_len(const struct famfs_stripe *s, uint64_t size);
/* -EINVAL, saying why, unless s is a layout a file may have. */
int famfs_stripe_valid(const struct famfs_stripe *s, uint32_t alloc_unit,
		       struct famfs_error *err);
/*
 * Allocate the s->nstrips strips of a file of size bytes, strip i on
 * member i mod M, from bucket i mod B of it when there is room there.
 * All or nothing: -ENOSPC naming the member that lacked room.
 */
int famfs_alloc_stripes(struct famfs_alloc *a, const struct famfs_stripe *s,
			uint64_t size, struct famfs_extent_info *strip,
			struct famfs_error *err);

/* ---- space under the reuse rule (core/space.c, offsets.c) ---------------- */

struct famfs_path_item;

/* Log offset of each entry, by sequence number (offsets.c); zeroed: empty. */
struct famfs_offsets {
	uint64_t *off;
	uint64_t n;
};

int famfs_offsets_note(struct famfs_offsets *o, uint64_t seq, uint64_t off);
/* Decode entry seq again (a FAMFS_E_* code if it no longer decodes). */
int famfs_offsets_decode(const struct famfs_offsets *o,
			 const struct famfs_log *log, uint64_t seq,
			 struct famfs_entry *e);
void famfs_offsets_free(struct famfs_offsets *o);

/* A file deleted at dseq, logged at fseq. */
struct famfs_deleted {
	uint64_t dseq;
	uint64_t fseq;
};

/* Space under the reuse rule, from one walk of the log (space.c). */
struct famfs_space {
	struct famfs_alloc alloc;
	const struct famfs_log *log;
	struct famfs_offsets offs;
	struct famfs_evictions ev;	/* EVICT entries seen */
	struct famfs_deleted *del;	/* deletes of files, in log order */
	size_t ndel, cap;
	uint64_t floor;			/* as settled */
	uint64_t judged;		/* reuse of deletes below it was not early */
	uint64_t awaiting_units;	/* deleted, not released everywhere */
	struct famfs_entry *e;		/* scratch */
};

int famfs_space_init(struct famfs_space *s, const struct famfs_log *log,
		     const struct famfs_geometry *geo, bool track_owners);
void famfs_space_free(struct famfs_space *s);
/*
 * Account for e, the next entry of the walk (was: what famfs_names_add
 * said it removed). FAMFS_E_EXT_OVERLAP, with *c, when a FILE claims a
 * unit another file holds; -ENOMEM.
 */
int famfs_space_entry(struct famfs_space *s, const struct famfs_entry *e,
		      const struct famfs_path_item *was, uint64_t off,
		      struct famfs_collision *c);
/*
 * The release floor of the log's host table, given the EVICTs seen; sets
 * s->judged (famfs_release_floors()).
 */
uint64_t famfs_space_floor(struct famfs_space *s);

/* A later file holds units of d, which is not released everywhere. */
typedef void (*famfs_space_early_fn)(void *arg, const struct famfs_deleted *d,
				     const struct famfs_collision *c);
/*
 * After the walk: every delete at or above floor takes its file's units
 * back (awaiting release); early (may be NULL) hears of each one at or
 * above s->judged that a later file holds already.
 */
int famfs_space_settle(struct famfs_space *s, uint64_t floor,
		       famfs_space_early_fn early, void *arg);

/* ---- mkfs (ops/mkfs.c) --------------------------------------------------- */

struct famfs_mkfs_opts {
	uint64_t log_len;	/* 0: FAMFS_LOG_LEN_DEFAULT */
	uint32_t stripe_count;	/* default strips of a new file; 0, 1: none */
	uint64_t chunk_size;	/* their chunk; 0: FAMFS_ALLOC_UNIT */
	const char *const *members;	/* the devices of members 1 .. nmembers */
	uint32_t nmembers;
	bool force;		/* overwrite an existing famfs or member label */
	bool kill;		/* only invalidate the superblock (needs force) */
	const char *mountinfo;	/* NULL: /proc/self/mountinfo */
};

/*
 * Create a file system on the device at path (member 0), and on the other
 * members opts names, each labelled; on success *out describes it (its
 * member table too). -EEXIST: a device holds a famfs or a member label
 * and !force; -EBUSY: mounted; -ENOSPC: too small; -EINVAL: bad options
 * or a device named twice.
 */
int famfs_mkfs(const char *path, const struct famfs_mkfs_opts *opts,
	       struct famfs_sb_info *out, struct famfs_error *err);

/* ---- fsck (ops/fsck.c) --------------------------------------------------- */

/* What the log area not in use holds (format 1.3), as far as it decodes. */
struct famfs_fsck_area {
	uint32_t area;			/* its number */
	bool log;			/* its header decoded */
	int err;			/* else why not (FAMFS_E_MAGIC: never written) */
	uint64_t entries;		/* its header's next_seq */
	bool gen_known;			/* its first entry is a GENERATION entry */
	uint64_t generation;		/* that entry's */
	uint32_t gen_area;		/* the area that entry names */
};

struct famfs_fsck_report {
	bool sb_valid;
	bool log_valid;			/* header decoded */
	struct famfs_sb_info sb;
	struct famfs_log_info hdr;
	bool role_known;		/* this host's system UUID was readable */
	enum famfs_role role;
	uint64_t device_size;		/* actual bytes behind the metadata */
	uint64_t files;			/* that exist at the end of the log */
	uint64_t dirs;
	uint64_t deleted_files;		/* logged, then deleted */
	uint64_t entries;		/* entries checked */
	uint64_t log_used;		/* bytes of entries */
	uint64_t log_free;
	uint64_t log_free_entries;	/* more typical FILE entries that fit */
	uint64_t space_used;		/* bytes of data units allocated */
	uint64_t space_deleted;		/* of those, deleted files' (awaiting release) */
	uint64_t space_free;
	uint64_t hosts_pinning;		/* live slots that keep some of it */
	char pinned_by[512];		/* "hostB (slot 4), ..." */
	/*
	 * Format 1.3: the active-log record's copies (a bit each: valid, or
	 * never written, i.e. all zero; else logrec_err says why not) and
	 * what the valid ones say; the active log; the other area.
	 */
	unsigned int logrec_valid;
	unsigned int logrec_empty;
	int logrec_err[FAMFS_LOGREC_COPIES];
	struct famfs_log_gen logrec[FAMFS_LOGREC_COPIES];
	struct famfs_log_gen gen;
	struct famfs_fsck_area inactive;
	/*
	 * sb.members[] and sb.geo hold the members of the member table and
	 * the MEMBER entries; this many of them carry their label on a
	 * device of this host (famfs_fsck_path(); member 0 counts).
	 */
	uint32_t members_found;
	unsigned int errors;
	unsigned int notes;		/* what is unusual but no error */
};

/*
 * Callbacks: each problem as it is found, each note (optional: what is
 * unusual but no error, such as a record copy torn by a crash), and
 * (optional) each good entry.
 */
struct famfs_fsck_ops {
	void (*problem)(void *arg, int code, const char *msg);
	void (*note)(void *arg, const char *msg);
	void (*entry)(void *arg, const struct famfs_entry *e, uint64_t dev_off);
	void *arg;
};

/*
 * Check a superblock and log held in memory; device_size is what the
 * device actually holds. Returns 0 after a check (rep->errors counts the
 * problems), negative errno if the check itself could not run.
 */
int famfs_fsck_mem(const void *sb_buf, size_t sb_len, const void *log_buf,
		   size_t log_len, uint64_t device_size,
		   const struct famfs_fsck_ops *ops,
		   struct famfs_fsck_report *rep, struct famfs_error *err);
/*
 * Open the device or image at path read-only and check it. An image file
 * is read, not mapped, so that it may shrink while fsck runs.
 */
int famfs_fsck(const char *path, const struct famfs_fsck_ops *ops,
	       struct famfs_fsck_report *rep, struct famfs_error *err);

#endif /* FAMFS_LIBFAMFS_H */
