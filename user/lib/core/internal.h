/* SPDX-License-Identifier: GPL-2.0 */
/* libfamfs internals shared between its source files. */
#ifndef FAMFS_LIB_INTERNAL_H
#define FAMFS_LIB_INTERNAL_H

#include <stdarg.h>

#include "famfs/famfs_ops.h"

#define FAMFS_MIB	(1ULL << 20)

/* Put "prefix: " in front of the message already in err. */
void famfs_error_prefix(struct famfs_error *err, const char *prefix);

/* Length of the valid UTF-8 character at s (len bytes left), 0 if none. */
size_t famfs_utf8_len(const unsigned char *s, size_t len);

/* Is all of text valid UTF-8? */
bool famfs_utf8_valid(const char *text);

/* famfs_text_fit() of a printf-style message. */
void famfs_vfit(char *buf, size_t cap, const char *fmt, va_list ap);

/* $FAMFS_LOCK_DIR/<fs_uuid>.<suffix>, creating the directory (rundir.c). */
int famfs_run_path(const uint8_t fs_uuid[16], const char *suffix, char *path,
		   size_t len, struct famfs_error *err);

/*
 * Take the lock $FAMFS_LOCK_DIR/<fs_uuid>.<suffix> (rundir.c), waiting for
 * it: the locked fd (closing it unlocks), or -errno.
 */
int famfs_run_lock(const uint8_t fs_uuid[16], const char *suffix,
		   struct famfs_error *err);

/* Flush len bytes at p of the log's mapping (the device's or another). */
void famfs_log_flush(const struct famfs_log *log, const void *p, size_t len);

/* The components of a relative path below the first: its '/' count (names.c). */
size_t famfs_path_depth(const char *path);

/*
 * An array of n elements of size bytes with room for *cap: v itself while
 * there is room for one more, else v grown (and *cap with it), NULL when
 * memory runs out, v then left as it was (util.c).
 */
void *famfs_grow(void *v, size_t *cap, size_t n, size_t size);

/* Sleep ms milliseconds, through signals (core/hostclaim.c). */
void famfs_sleep_ms(unsigned int ms);

/* Read a sysfs file holding one line into buf; -errno on failure. */
int famfs_sysfs_read(const char *path, char *buf, size_t len);

/* Units of an allocation granule needed for len bytes. */
static inline uint64_t famfs_units(uint64_t len, uint64_t unit)
{
	return (len + unit - 1) / unit;
}

/* What names.c keeps of each entry. */
struct famfs_name_seq {
	const char *path;	/* as logged, owned by the set; NULL: none */
	uint64_t bytes;		/* a file's allocated bytes */
};

/* The namespace of a log as fsck checks it, and each entry's path (names.c). */
struct famfs_names {
	struct famfs_pathset set;	/* the paths that exist */
	struct famfs_name_seq *by_seq;
	uint64_t nseq;
	uint64_t cap;
};

void famfs_names_init(struct famfs_names *n);
void famfs_names_free(struct famfs_names *n);
/*
 * Apply entry e, the next of the log: 0, or a FAMFS_E_* namespace code with
 * why (len bytes) saying what breaks the namespace, or -ENOMEM. A FILE or
 * MKDIR that breaks a rule is added all the same (when its path is free),
 * a DELETE or RENAME that breaks one changes nothing. For a DELETE or
 * RENAME, was (if not NULL) gets the item it removed or moved.
 */
int famfs_names_add(struct famfs_names *n, const struct famfs_entry *e,
		    struct famfs_path_item *was, char *why, size_t len);
/* The path the entry with sequence number seq logged, NULL if none. */
const char *famfs_names_path(const struct famfs_names *n, uint64_t seq);
/* The bytes of the extents the FILE entry seq logged, 0 if none. */
uint64_t famfs_names_bytes(const struct famfs_names *n, uint64_t seq);
/*
 * Each entry's path now, by sequence number: NULL for entries that are
 * deleted or log no path. calloc'ed; the paths are the set's.
 */
const char **famfs_names_live(const struct famfs_names *n);

/*
 * Called for each entry, after it is applied, with its log offset and, for
 * a DELETE or RENAME, the item it removed or moved (type 0 if none).
 */
typedef int (*famfs_names_fn)(void *arg, const struct famfs_entry *e,
			      const struct famfs_path_item *was, uint64_t off,
			      struct famfs_error *err);
/*
 * Apply every published entry of log to n (initialised), calling each (if
 * not NULL) after each one. Entries that break a rule are applied as
 * famfs_names_add does; only a bad entry or -ENOMEM stops it.
 */
int famfs_names_build(struct famfs_names *n, const struct famfs_log *log,
		      famfs_names_fn each, void *arg, struct famfs_error *err);

/*
 * Is entry e where the log's first entries must be (hostlog.c)? 0, or
 * FAMFS_E_GENERATION / FAMFS_E_HOST_TABLE with why (len bytes): with two
 * log areas seq 0 is GENERATION, equal to the active-log record; with a
 * host table the next is HOST_TABLE, equal to the superblock's; neither
 * is anywhere else; an EVICT needs a table.
 */
int famfs_hostlog_check(const struct famfs_log *log,
			const struct famfs_entry *e, char *why, size_t len);
/* The same for a log that ended after n entries (one lacking its first ones). */
int famfs_hostlog_finish(const struct famfs_log *log, uint64_t n,
			 char *why, size_t len);

/*
 * Encode the first entries of a fresh log area of generation g into area
 * (log_len bytes): GENERATION (two areas; restated: the entries that will
 * restate the previous generation, these included), then HOST_TABLE (a
 * host table). hdr gets the header that publishes them; nothing is
 * flushed (logarea.c).
 */
int famfs_log_area_seed(uint8_t *area, const struct famfs_sb_info *sb,
			const struct famfs_log_gen *g, uint32_t restated,
			struct famfs_log_info *hdr);
/* The entries famfs_log_area_seed() writes for sb. */
uint32_t famfs_log_area_seeds(const struct famfs_sb_info *sb);
/* The superblock-area offset of the record copy that holds generation. */
uint64_t famfs_logrec_off(const struct famfs_sb_info *sb, uint64_t generation);

/*
 * Is m the member that may follow the first known ones of log (members.c)?
 * 0, or FAMFS_E_MEMBER with why (len bytes): not index known, or the UUID
 * of one of them.
 */
int famfs_member_check_new(const struct famfs_log *log, uint32_t known,
			   const struct famfs_member_info *m, char *why,
			   size_t len);
/* A walk met MEMBER entry e: check it and add it to the walk's geometry. */
int famfs_iter_add_member(struct famfs_log_iter *it, const struct famfs_entry *e,
			  struct famfs_error *err);
/*
 * The members of the published log into log->sb (table, then MEMBER
 * entries up to the first bad entry) and log->member_seq.
 */
int famfs_log_members_scan(struct famfs_log *log, struct famfs_error *err);

/*
 * Walk the whole log into n and s (both initialised here; free both),
 * then settle s with the host table's release floor.
 */
int famfs_space_scan(struct famfs_space *s, struct famfs_names *n,
		     const struct famfs_log *log, struct famfs_error *err);
/* Bytes of data units allocated: live files and deletes not yet released. */
uint64_t famfs_space_used(const struct famfs_space *s);

/* Are a and b (b may be NULL) the same device node or file (memberfind.c)? */
bool famfs_same_file(const char *a, const char *b);

/* -EBUSY when the device at path is mounted (ops/memberdev.c). */
int famfs_dev_check_not_mounted(const char *path, const char *mountinfo,
				struct famfs_error *err);
/* -EEXIST when dev holds a famfs superblock or a member label, unless force. */
int famfs_dev_check_unused(const struct famfs_device *dev, bool force,
			   struct famfs_error *err);
/*
 * Open the device at path for writing as a new member: not mounted, room
 * for the label area and a data unit (-ENOSPC), unused unless force.
 */
int famfs_member_dev_open(struct famfs_device *dev, const char *path,
			  bool force, const char *mountinfo,
			  struct famfs_error *err);
/* A member's usable bytes: whole allocation units. */
uint64_t famfs_member_usable(const struct famfs_device *dev);

#endif /* FAMFS_LIB_INTERNAL_H */
