/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs on-media format.
 *
 * This header is the only place that knows byte offsets. It is shared by the
 * kernel module (which reads only the superblock) and by user space (which
 * owns the log). Every multi-byte field is little-endian; every structure has
 * explicit padding and a compile-time size check; every structure carries a
 * CRC-32C (Castagnoli, initial value ~0, final xor ~0: the kernel's
 * ~crc32c(~0, p, n)).
 *
 * Device layout:
 *
 *   0                      superblock (struct famfs_superblock), in a reserved
 *                          2 MiB area (FAMFS_SB_AREA)
 *   hosts_offset (64 KiB)  host table (format 1.2): hosts_count slots of
 *                          struct famfs_host_slot, one per mounting host
 *   logrec_offset (32 KiB) active-log record (format 1.3): two copies of
 *                          struct famfs_log_record, naming the log area in use
 *   log_offset (2 MiB)     metadata log: log_areas areas of log_len bytes
 *                          each (two from format 1.3, so that the log can be
 *                          compacted into the other); each holds a struct
 *                          famfs_log_header, then variable-length entries from
 *                          FAMFS_LOG_ENTRIES_OFF
 *   members_offset (16 KiB) member table (format 1.4): ndevices slots of
 *                          struct famfs_member_slot, the devices mkfs made
 *                          the file system over (slot 0: this device)
 *   log_offset + log_areas * log_len
 *                          file data, allocated in 2 MiB units
 *
 * Every other member (format 1.4) carries a struct famfs_member_label at
 * offset 0 in a reserved 2 MiB area (FAMFS_MEMBER_DATA_OFFSET); its file
 * data follows. A member is named by its index in extents; the superblock's
 * table lists the first ones, MEMBER log entries add more.
 *
 * docs/format.md describes every byte and the publish/read protocol.
 */
#ifndef FAMFS_FORMAT_H
#define FAMFS_FORMAT_H

#include <linux/types.h>

#ifdef __KERNEL__
#define FAMFS_STATIC_ASSERT(e, msg) static_assert(e, msg)
#else
#include <stddef.h>
#include <stdint.h>
#define FAMFS_STATIC_ASSERT(e, msg) _Static_assert(e, msg)
#endif

#define FAMFS_SB_MAGIC		0x00425353464d4146ULL	/* bytes "FAMFSSB\0" */
#define FAMFS_LOG_MAGIC		0x474f4c53464d4146ULL	/* bytes "FAMFSLOG" */
#define FAMFS_VERSION_MAJOR	1
#define FAMFS_VERSION_MINOR	4

#define FAMFS_ALLOC_UNIT	(2ULL << 20)	/* 2 MiB: PMD size on x86-64 */
#define FAMFS_SB_AREA		FAMFS_ALLOC_UNIT	/* reserved for the superblock */
#define FAMFS_LOG_OFFSET	FAMFS_SB_AREA
#define FAMFS_LOG_LEN_MIN	(8ULL << 20)
#define FAMFS_LOG_LEN_DEFAULT	FAMFS_LOG_LEN_MIN
#define FAMFS_LOG_LEN_MAX	(1ULL << 40)

#define FAMFS_PATH_MAX		4095	/* bytes in a relative path, no NUL */
#define FAMFS_NAME_MAX		255	/* bytes in one path component */
#define FAMFS_MAX_EXTENTS	16384	/* extents in one file (== ioctl limit) */
#define FAMFS_MAX_DEVICES	32	/* member indexes 0 .. MAX_DEVICES-1 */
#define FAMFS_STRIPE_MAX	64	/* strips of one striped file */
/* The largest chunk: no device is larger, and strips x chunk cannot wrap. */
#define FAMFS_CHUNK_MAX		(1ULL << 40)

/*
 * Superblock: 256 bytes at device offset 0. The CRC covers bytes
 * [0, offsetof(crc)). Geometry is in bytes.
 */
struct famfs_superblock {
	__le64	magic;			/*   0: FAMFS_SB_MAGIC */
	__le16	version_major;		/*   8: readers refuse other majors */
	__le16	version_minor;		/*  10: additions that old readers may ignore */
	__le32	flags;			/*  12: none defined yet, must be 0 */
	__u8	fs_uuid[16];		/*  16: this file system */
	__u8	dev_uuid[16];		/*  32: device index 0 */
	__u8	master_uuid[16];	/*  48: system UUID of the only host that appends */
	__le64	dev_size;		/*  64: usable bytes of device 0 */
	__le64	log_offset;		/*  72: FAMFS_LOG_OFFSET */
	__le64	log_len;		/*  80: power of two, >= FAMFS_LOG_LEN_MIN */
	__le32	alloc_unit;		/*  88: FAMFS_ALLOC_UNIT */
	__le32	ndevices;		/*  92: members in the member table (1 before 1.4) */
	__le64	create_time;		/*  96: seconds since the epoch, informational */
	__le64	hosts_offset;		/* 104: format 1.2: host table, 0: none */
	__le32	hosts_count;		/* 112: slots in the host table */
	__le32	host_slot_size;		/* 116: FAMFS_HOST_SLOT_SIZE */
	__le32	log_areas;		/* 120: format 1.3: 2 (1 before) */
	__le32	reserved0;		/* 124: zero */
	__le64	logrec_offset;		/* 128: format 1.3: FAMFS_LOGREC_OFFSET */
	__le64	members_offset;		/* 136: format 1.4: FAMFS_MEMBERS_OFFSET */
	__le32	stripe_count;		/* 144: format 1.4: default strips of a new file, 0: none */
	__le32	reserved1;		/* 148: zero */
	__le64	chunk_size;		/* 152: format 1.4: default chunk, 0 without stripe_count */
	__u8	reserved[92];		/* 160: zero */
	__le32	crc;			/* 252: CRC-32C of bytes 0..251 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_superblock) == 256, "superblock size");
FAMFS_STATIC_ASSERT(offsetof(struct famfs_superblock, crc) == 252, "sb crc offset");

/*
 * Log header: one 64-byte cache line at the start of the log, so that a
 * client polls it by invalidating one line. The master rewrites it after
 * each batch of appended entries is durable. CRC covers bytes [0, 60).
 */
struct famfs_log_header {
	__le64	magic;			/*  0: FAMFS_LOG_MAGIC */
	__le16	version_major;		/*  8 */
	__le16	version_minor;		/* 10 */
	__le32	flags;			/* 12: none defined yet, must be 0 */
	__le64	log_len;		/* 16: equals the superblock's log_len */
	__le64	next_seq;		/* 24: sequence number of the next entry */
	__le64	next_off;		/* 32: log-relative offset of the first free byte */
	__u8	reserved[20];		/* 40: zero (the generation is in the log, at seq 0) */
	__le32	crc;			/* 60: CRC-32C of bytes 0..59 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_log_header) == 64, "log header size");
FAMFS_STATIC_ASSERT(offsetof(struct famfs_log_header, crc) == 60, "log crc offset");

#define FAMFS_LOG_ENTRIES_OFF	64	/* first entry, log-relative */
#define FAMFS_ENTRY_ALIGN	8	/* every entry length is a multiple of 8 */
#define FAMFS_ENTRY_LEN_MIN	24	/* an entry header with no payload */

/*
 * Entry types. Numbers are never reused; readers refuse types they do not
 * know unless the entry is FAMFS_ENTRY_F_SKIPPABLE. A minor version may add
 * a non-skippable type, since every older reader stops at it (1.0 added
 * FILE and MKDIR, 1.1 DELETE and RENAME).
 */
enum famfs_entry_type {
	FAMFS_ENTRY_FILE	= 1,
	FAMFS_ENTRY_MKDIR	= 2,
	FAMFS_ENTRY_DELETE	= 3,	/* format 1.1 */
	FAMFS_ENTRY_RENAME	= 4,	/* format 1.1 */
	FAMFS_ENTRY_MEMBER	= 5,	/* format 1.4 */
	FAMFS_ENTRY_EVICT	= 6,	/* format 1.2 */
	FAMFS_ENTRY_HOST_TABLE	= 7,	/* format 1.2 */
	FAMFS_ENTRY_GENERATION	= 8,	/* format 1.3 */
	/* reserved: 9..15 namespace ops */
};
/* The minor version that introduced DELETE and RENAME. */
#define FAMFS_VERSION_MINOR_DELETE	1
/* The minor version that introduced the host table, EVICT and HOST_TABLE. */
#define FAMFS_VERSION_MINOR_HOSTS	2
/* The minor version that introduced two log areas, compaction, GENERATION. */
#define FAMFS_VERSION_MINOR_COMPACT	3
/* The minor version that introduced members, MEMBER and striped files. */
#define FAMFS_VERSION_MINOR_MEMBERS	4
#define FAMFS_ENTRY_F_SKIPPABLE	0x0001

/*
 * Every entry starts with this header. The CRC comes first so that it covers
 * one contiguous range: bytes [4, len) of the entry.
 */
struct famfs_entry_header {
	__le32	crc;			/*  0: CRC-32C of entry bytes 4..len-1 */
	__le32	len;			/*  4: whole entry, multiple of 8, >= 24 */
	__le64	seq;			/*  8: 0 for the first entry, +1 each */
	__le16	type;			/* 16: enum famfs_entry_type */
	__le16	flags;			/* 18: FAMFS_ENTRY_F_* */
	__le32	reserved;		/* 20: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_entry_header) == 24, "entry header size");

/* One contiguous piece of a file on a device. Offsets and lengths are bytes. */
struct famfs_extent {
	__le32	dev_index;		/*  0: < FAMFS_MAX_DEVICES */
	__le32	reserved;		/*  4: zero */
	__le64	offset;			/*  8: multiple of alloc_unit */
	__le64	len;			/* 16: multiple of alloc_unit, > 0 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_extent) == 24, "extent size");

/*
 * FILE payload, after the entry header: this fixed part, then n_extents
 * struct famfs_extent, then path_len bytes of path, then zero padding to a
 * multiple of 8.
 */
struct famfs_file_payload {
	__le64	size;			/*  0: file size in bytes, <= sum of extents */
	__le32	mode;			/*  8: S_IFREG | permission bits */
	__le32	uid;			/* 12 */
	__le32	gid;			/* 16 */
	__le32	flags;			/* 20: FAMFS_FILE_F_* */
	__le32	n_extents;		/* 24: 0 only when size is 0; strips if striped */
	__le16	path_len;		/* 28: 1..FAMFS_PATH_MAX */
	__le16	reserved;		/* 30: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_file_payload) == 32, "file payload size");

/*
 * Format 1.4: a striped file. Its FILE payload is followed by struct
 * famfs_stripe_payload, then its n_extents strips (2 .. FAMFS_STRIPE_MAX),
 * then the path. Every strip has the same length, a multiple of
 * chunk_size; file byte f lies in chunk c = f / chunk_size, which is chunk
 * c / n_extents of strip c % n_extents (famfs_stripe_locate()).
 */
#define FAMFS_FILE_F_STRIPED	0x1
#define FAMFS_FILE_F_ALL	FAMFS_FILE_F_STRIPED

struct famfs_stripe_payload {
	__le64	chunk_size;		/*  0: multiple of alloc_unit, > 0 */
	__le64	reserved;		/*  8: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_stripe_payload) == 16, "stripe payload size");

/* MKDIR payload: this fixed part, then path_len bytes, then padding to 8. */
struct famfs_mkdir_payload {
	__le32	mode;			/*  0: S_IFDIR | permission bits */
	__le32	uid;			/*  4 */
	__le32	gid;			/*  8 */
	__le16	path_len;		/* 12: 1..FAMFS_PATH_MAX */
	__le16	reserved;		/* 14: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_mkdir_payload) == 16, "mkdir payload size");

/* DELETE payload: this fixed part, then path_len bytes, then padding to 8. */
struct famfs_delete_payload {
	__le16	path_len;		/*  0: 1..FAMFS_PATH_MAX */
	__le16	reserved;		/*  2: zero */
	__le32	reserved2;		/*  4: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_delete_payload) == 8, "delete payload size");

/*
 * RENAME payload: this fixed part, then src_len bytes of the source path,
 * then dst_len bytes of the destination path, then padding to 8.
 */
struct famfs_rename_payload {
	__le16	src_len;		/*  0: 1..FAMFS_PATH_MAX */
	__le16	dst_len;		/*  2: 1..FAMFS_PATH_MAX */
	__le32	reserved;		/*  4: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_rename_payload) == 8, "rename payload size");

/*
 * EVICT payload (format 1.2): the master declares one mount of one host
 * dead; that mount's slot pins nothing from then on.
 */
struct famfs_evict_payload {
	__u8	system_uuid[16];	/*  0: the host */
	__le64	nonce;			/* 16: the mount (its slot's nonce) */
	__le64	reserved;		/* 24: zero */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_evict_payload) == 32, "evict payload size");

/*
 * HOST_TABLE payload (format 1.2): the log's first entry when the
 * superblock has a host table, and equal to it. Readers older than 1.2
 * stop at it, so they never play a log whose space is reused.
 */
struct famfs_host_table_payload {
	__le64	offset;			/*  0: the superblock's hosts_offset */
	__le32	count;			/*  8: hosts_count */
	__le32	slot_size;		/* 12: host_slot_size */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_host_table_payload) == 16, "host table payload size");

/*
 * GENERATION payload (format 1.3): the first entry (seq 0) of every log
 * area of a file system with two, naming the generation and area the log
 * was written for; HOST_TABLE follows at seq 1. Readers older than 1.3
 * stop at it. The entries below restated (seqs 0 .. restated - 1) restate
 * the namespace at the end of the previous generation; those from it on
 * are new. A host that had played all of that generation has nothing to
 * do for them.
 */
struct famfs_generation_payload {
	__le64	generation;		/*  0: 0 from mkfs, +1 per compaction */
	__le32	area;			/*  8: the area holding this log */
	__le32	restated;		/* 12: >= 1 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_generation_payload) == 16, "generation payload size");

/*
 * MEMBER payload (format 1.4): the master added a device to the file
 * system (famfs device add). index is the number of members before it:
 * the superblock's ndevices plus the MEMBER entries before this one.
 * Compaction restates every MEMBER entry after HOST_TABLE.
 */
struct famfs_member_payload {
	__u8	uuid[16];		/*  0: the member's UUID, as its label says */
	__le64	size;			/* 16: usable bytes of the member */
	__le32	index;			/* 24: 1 .. FAMFS_MAX_DEVICES - 1 */
	__le32	flags;			/* 28: none defined yet, must be 0 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_member_payload) == 32, "member payload size");

/* ------------------------------------------------------------------------
 * Members (format 1.4). The superblock area of member 0 holds a table of
 * the members mkfs wrote, ndevices slots of 64 bytes (slot i: member i;
 * slot 0 repeats the superblock's dev_uuid and dev_size). Every member but
 * 0 starts with a label naming the file system and its index, in a
 * reserved area of FAMFS_MEMBER_DATA_OFFSET bytes that no file may map.
 */
#define FAMFS_MEMBERS_OFFSET	(16ULL << 10)
#define FAMFS_MEMBER_SLOT_SIZE	64
#define FAMFS_MEMBER_DATA_OFFSET FAMFS_SB_AREA	/* first data byte of members >= 1 */
#define FAMFS_LABEL_MAGIC	0x4c424c53464d4146ULL	/* bytes "FAMFSLBL" */
#define FAMFS_LABEL_SIZE	256

struct famfs_member_slot {
	__u8	uuid[16];		/*  0: the member */
	__le64	size;			/* 16: usable bytes */
	__le32	index;			/* 24: the slot's own index */
	__le32	flags;			/* 28: none defined yet, must be 0 */
	__u8	reserved[28];		/* 32: zero */
	__le32	crc;			/* 60: CRC-32C of bytes 0..59 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_member_slot) == FAMFS_MEMBER_SLOT_SIZE, "member slot size");

/* At offset 0 of every member but 0. The CRC covers bytes [0, 252). */
struct famfs_member_label {
	__le64	magic;			/*   0: FAMFS_LABEL_MAGIC */
	__le16	version_major;		/*   8: FAMFS_VERSION_MAJOR */
	__le16	version_minor;		/*  10: of the tool that wrote it */
	__le32	flags;			/*  12: none defined yet, must be 0 */
	__u8	fs_uuid[16];		/*  16: the file system (its superblock's) */
	__u8	uuid[16];		/*  32: this member */
	__le64	size;			/*  48: usable bytes of this member */
	__le32	index;			/*  56: 1 .. FAMFS_MAX_DEVICES - 1 */
	__le32	reserved0;		/*  60: zero */
	__u8	reserved[188];		/*  64: zero */
	__le32	crc;			/* 252: CRC-32C of bytes 0..251 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_member_label) == FAMFS_LABEL_SIZE, "member label size");
FAMFS_STATIC_ASSERT(offsetof(struct famfs_member_label, crc) == 252, "label crc offset");

/* ------------------------------------------------------------------------
 * Active-log record (format 1.3): which log area is in use. Two copies of
 * one cache line each at logrec_offset; generation g is written to copy
 * g % 2, CRC last, so a torn write leaves the other copy (g - 1) valid.
 * Readers take the valid copy with the higher generation.
 * docs/compaction.md gives the protocol.
 */
#define FAMFS_LOGREC_MAGIC	0x43455247464d4146ULL	/* bytes "FAMFGREC" */
#define FAMFS_LOGREC_OFFSET	(32ULL << 10)
FAMFS_STATIC_ASSERT(FAMFS_MEMBERS_OFFSET + FAMFS_MAX_DEVICES * FAMFS_MEMBER_SLOT_SIZE <=
		    FAMFS_LOGREC_OFFSET, "member table before the log record");
#define FAMFS_LOGREC_SIZE	64
#define FAMFS_LOGREC_COPIES	2
#define FAMFS_LOG_AREAS		2	/* what mkfs of format 1.3 reserves */

struct famfs_log_record {
	__le64	magic;			/*  0: FAMFS_LOGREC_MAGIC */
	__le64	generation;		/*  8 */
	__le32	area;			/* 16: < log_areas */
	__le32	flags;			/* 20: none defined yet, must be 0 */
	__u8	reserved[36];		/* 24: zero */
	__le32	crc;			/* 60: CRC-32C of bytes 0..59 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_log_record) == FAMFS_LOGREC_SIZE, "log record size");
FAMFS_STATIC_ASSERT(offsetof(struct famfs_log_record, crc) == 60, "log record crc offset");

/* ------------------------------------------------------------------------
 * Host table (format 1.2): in the superblock area, one slot per mounting
 * host. A slot has one writer, the host that claimed it; it is written
 * whole and flushed, CRC last. A slot whose magic or CRC fails is free.
 * docs/space-release.md gives the protocol.
 */
#define FAMFS_HOST_MAGIC	0x54534853464d4146ULL	/* bytes "FAMFSHST" */
#define FAMFS_HOSTS_OFFSET	(64ULL << 10)
#define FAMFS_HOSTS_COUNT	1024
#define FAMFS_HOSTS_COUNT_MAX	7936	/* (2 MiB - 64 KiB) / 256 */
#define FAMFS_HOST_SLOT_SIZE	256
#define FAMFS_HOSTNAME_LEN	64

enum famfs_host_state {
	FAMFS_HOST_FREE		= 0,
	FAMFS_HOST_MOUNTED	= 1,
	FAMFS_HOST_UNMOUNTED	= 2,
};

/* Slot flags */
#define FAMFS_HOST_F_NOFOLLOW	0x1	/* mounted without a follower */
#define FAMFS_HOST_F_ALL	FAMFS_HOST_F_NOFOLLOW

struct famfs_host_slot {
	__le64	magic;			/*   0: FAMFS_HOST_MAGIC */
	__le32	state;			/*   8: enum famfs_host_state */
	__le32	flags;			/*  12: FAMFS_HOST_F_* */
	__u8	system_uuid[16];	/*  16: the host */
	__le64	nonce;			/*  32: random, one per mount */
	__le64	heartbeat;		/*  40: +1 at every poll */
	__le64	heartbeat_ns;		/*  48: the host's clock at that poll */
	__le64	mount_ns;		/*  56: the host's clock at mount */
	__le64	applied_seq;		/*  64: every entry below it is applied */
	__le64	released_seq;		/*  72: every DELETE below it is released */
	__le64	log_generation;		/*  80: 0 (compaction will use it) */
	__le32	poll_ms;		/*  88: the follower's poll interval */
	__le32	pid;			/*  92: the follower's, informational */
	char	hostname[FAMFS_HOSTNAME_LEN];	/*  96: NUL-padded */
	__u8	reserved[92];		/* 160: zero */
	__le32	crc;			/* 252: CRC-32C of bytes 0..251 */
};
FAMFS_STATIC_ASSERT(sizeof(struct famfs_host_slot) == FAMFS_HOST_SLOT_SIZE, "host slot size");
FAMFS_STATIC_ASSERT(offsetof(struct famfs_host_slot, crc) == 252, "host slot crc offset");

#ifndef __KERNEL__
/* ------------------------------------------------------------------------
 * Pure encode / decode / validate (user/lib/format/). No I/O: bytes in, a
 * decoded host-endian struct or a precise error out.
 */

enum famfs_err {
	FAMFS_OK = 0,
	FAMFS_E_SHORT,		/* buffer shorter than the structure it must hold */
	FAMFS_E_MAGIC,		/* wrong magic number */
	FAMFS_E_VERSION,	/* major version this code does not know */
	FAMFS_E_CRC,		/* CRC mismatch */
	FAMFS_E_FLAGS,		/* unknown flag bits or non-zero reserved bytes */
	FAMFS_E_GEOMETRY,	/* superblock geometry inconsistent */
	FAMFS_E_LOG_HEADER,	/* log header disagrees with the superblock */
	FAMFS_E_LEN,		/* a length field is malformed or runs past the buffer */
	FAMFS_E_SEQ,		/* entry sequence number out of order */
	FAMFS_E_TYPE,		/* unknown entry type */
	FAMFS_E_MODE,		/* mode does not match the entry type */
	FAMFS_E_PATH_EMPTY,	/* empty path or empty component ("a//b", "a/") */
	FAMFS_E_PATH_ABS,	/* absolute path */
	FAMFS_E_PATH_DOT,	/* "." or ".." component */
	FAMFS_E_PATH_NUL,	/* NUL byte inside the path */
	FAMFS_E_PATH_LONG,	/* path longer than FAMFS_PATH_MAX */
	FAMFS_E_NAME_LONG,	/* component longer than FAMFS_NAME_MAX */
	FAMFS_E_EXT_COUNT,	/* no extents for a non-empty file, or too many */
	FAMFS_E_EXT_DEV,	/* device index out of range */
	FAMFS_E_EXT_ZERO,	/* zero-length extent */
	FAMFS_E_EXT_ALIGN,	/* offset or length not a multiple of alloc_unit */
	FAMFS_E_EXT_RESERVED,	/* extent overlaps the superblock or the log */
	FAMFS_E_EXT_RANGE,	/* extent runs past the end of the device */
	FAMFS_E_EXT_OVERLAP,	/* two extents of one file overlap */
	FAMFS_E_EXT_SHORT,	/* extents hold fewer bytes than the file size */
	FAMFS_E_LOG_FULL,	/* no room in the log for the entry */
	FAMFS_E_PADDING,	/* non-zero padding after an entry's path */
	FAMFS_E_NOMEM,		/* out of memory (checking a long unsorted extent list) */
	/* Across the log (fsck): what one entry cannot show. */
	FAMFS_E_PATH_DUP,	/* a path logged twice */
	FAMFS_E_PATH_PARENT,	/* parent not a directory logged before the path */
	FAMFS_E_PATH_RESERVED,	/* a path in the mount's metadata directory */
	FAMFS_E_PATH_MISSING,	/* deleting or renaming a path that does not exist */
	FAMFS_E_DIR_NOT_EMPTY,	/* deleting a directory that holds something */
	FAMFS_E_PATH_EXISTS,	/* renaming onto a path that exists */
	FAMFS_E_RENAME_LOOP,	/* renaming a directory into itself */
	FAMFS_E_HOST_TABLE,	/* host table entry misplaced or unlike the superblock's */
	FAMFS_E_GENERATION,	/* generation entry misplaced or unlike the log record */
	FAMFS_E_STRIPE,		/* striped file: strip count, chunk or strip lengths malformed */
	FAMFS_E_MEMBER,		/* member entry or slot out of order, or unlike another */
	FAMFS_E__COUNT
};

/* A short, stable, human description of an error ("CRC mismatch"). */
const char *famfs_strerror(int err);

/* Standard CRC-32C of a buffer, optionally continued: famfs_crc32c(0, p, n). */
uint32_t famfs_crc32c(uint32_t crc, const void *buf, size_t len);

/*
 * Device geometry, from the superblock and the MEMBER entries played so
 * far: what every extent is checked against. Member 0 is the device with
 * the superblock; its size is dev_size.
 */
struct famfs_geometry {
	uint64_t dev_size;
	uint64_t log_offset;
	uint64_t log_len;	/* of one log area */
	uint32_t log_areas;	/* 1 before format 1.3 */
	uint32_t alloc_unit;
	uint32_t n_members;	/* 1 before format 1.4 */
	uint64_t member_size[FAMFS_MAX_DEVICES];	/* [0] == dev_size */
};

/* The first byte of member m that a file may map. */
static inline uint64_t famfs_geo_data_start(const struct famfs_geometry *geo,
					    uint32_t m)
{
	return m ? FAMFS_MEMBER_DATA_OFFSET :
		   geo->log_offset + geo->log_len * geo->log_areas;
}

/*
 * Set the size of member 0, the device with the superblock. A geometry
 * built from nothing gets its one member this way, so that n_members >= 1
 * and member_size[0] == dev_size hold, as famfs_geometry_check() wants.
 */
static inline void famfs_geo_set_dev_size(struct famfs_geometry *geo,
					  uint64_t dev_size)
{
	geo->dev_size = dev_size;
	geo->member_size[0] = dev_size;
	if (!geo->n_members)
		geo->n_members = 1;
}

/* One member: from the member table, a MEMBER entry or a label. */
struct famfs_member_info {
	uint8_t uuid[16];
	uint64_t size;
	uint32_t index;
};

/* The end of the last log area: where file data may begin. */
static inline uint64_t famfs_geo_log_end(const struct famfs_geometry *geo)
{
	return geo->log_offset + geo->log_len * geo->log_areas;
}

struct famfs_sb_info {
	uint16_t version_major;
	uint16_t version_minor;
	uint32_t flags;
	uint8_t fs_uuid[16];
	uint8_t dev_uuid[16];
	uint8_t master_uuid[16];
	uint64_t create_time;
	uint64_t hosts_offset;	/* 0: no host table (format 1.0, 1.1) */
	uint32_t hosts_count;
	uint64_t logrec_offset;	/* 0: no active-log record (before 1.3) */
	uint64_t members_offset;	/* 0: no member table (before 1.4) */
	uint32_t ndevices;	/* members in the table (1 before 1.4) */
	uint32_t stripe_count;	/* default strips of a new file, 0: none */
	uint64_t chunk_size;	/* default chunk size, 0 without stripe_count */
	/*
	 * members[0 .. ndevices - 1]: the table's (famfs_members_decode());
	 * famfs_sb_decode() fills only members[0] (dev_uuid, dev_size).
	 */
	struct famfs_member_info members[FAMFS_MAX_DEVICES];
	/* n_members: 1 from famfs_sb_decode(), ndevices from famfs_members_decode() */
	struct famfs_geometry geo;
};

/*
 * Check geometry for a device of this size: log at FAMFS_LOG_OFFSET, log_len a
 * power of two >= FAMFS_LOG_LEN_MIN, one or two log areas, alloc_unit
 * FAMFS_ALLOC_UNIT, the log areas and at least one allocation unit of data
 * inside dev_size; 1 .. FAMFS_MAX_DEVICES members, member 0 of dev_size,
 * every other one holding a data unit past FAMFS_MEMBER_DATA_OFFSET.
 */
int famfs_geometry_check(const struct famfs_geometry *geo);

/*
 * Encode fills all sizeof(struct famfs_superblock) bytes of buf, CRC last. It
 * writes this code's FAMFS_VERSION_MAJOR/MINOR (sb's version fields are not
 * used) and checks flags and geometry first: on error nothing is written.
 * hosts_offset 0 writes no host table (hosts_count must be 0 too); else
 * the table must fit the superblock area (FAMFS_E_GEOMETRY). Two log areas
 * need an active-log record (logrec_offset) and a host table. The member
 * table (members_offset, ndevices 1 .. FAMFS_MAX_DEVICES) must lie in the
 * superblock area clear of the superblock, the host table and the record
 * (FAMFS_E_GEOMETRY); stripe_count is 0 or 2 .. FAMFS_STRIPE_MAX, with a
 * chunk_size that is a non-zero multiple of alloc_unit, else 0
 * (FAMFS_E_STRIPE).
 */
int famfs_sb_encode(const struct famfs_sb_info *sb, void *buf);
/*
 * Decode checks magic, major version, CRC, flags, reserved bytes (when the
 * minor version is not newer than this code's), ndevices and geometry,
 * host table and active-log record included. Before format 1.2 the host
 * table's fields are reserved bytes: hosts_offset and hosts_count decode
 * as 0; before 1.3 log_areas decodes as 1 and logrec_offset as 0; before
 * 1.4 members_offset, stripe_count and chunk_size decode as 0 and ndevices
 * must be 1. The geometry has one member (dev_size) and members[0] is set:
 * famfs_members_decode() adds the others.
 */
int famfs_sb_decode(const void *buf, size_t len, struct famfs_sb_info *out);

/*
 * Format 1.4: the member table. area is the superblock area from offset 0
 * (len bytes: for decode at least members_offset + ndevices slots, for
 * encode FAMFS_MAX_DEVICES slots; FAMFS_E_SHORT else). Encode writes
 * slots 0 .. ndevices - 1 of sb->members (slot 0 must be dev_uuid and
 * dev_size; indexes must equal slots; sizes must hold a data unit past
 * FAMFS_MEMBER_DATA_OFFSET) and zeroes the other slots up to
 * FAMFS_MAX_DEVICES. Decode checks each slot (CRC, flags, reserved, index,
 * size, slot 0 against the superblock, no UUID twice) and fills
 * sb->members[] and sb->geo.member_size[]. Before 1.4 both do nothing
 * but succeed (one member, from the superblock).
 */
int famfs_members_encode(const struct famfs_sb_info *sb, void *area, size_t len);
int famfs_members_decode(const void *area, size_t len, struct famfs_sb_info *sb);

/*
 * Add member m to geo (a MEMBER entry played, or a table slot): FAMFS_E_MEMBER
 * unless m->index == geo->n_members, FAMFS_E_GEOMETRY unless its size holds
 * a data unit past FAMFS_MEMBER_DATA_OFFSET.
 */
int famfs_geo_add_member(struct famfs_geometry *geo,
			 const struct famfs_member_info *m);

/*
 * A member's label. Encode fills FAMFS_LABEL_SIZE bytes, CRC last, after
 * checking index (1 .. FAMFS_MAX_DEVICES - 1) and size. Decode:
 * FAMFS_E_MAGIC for a device without a label, then major version, CRC,
 * flags and reserved bytes (unless newer minor), index, size.
 */
int famfs_label_encode(const uint8_t fs_uuid[16],
		       const struct famfs_member_info *m, void *buf);
int famfs_label_decode(const void *buf, size_t len, uint8_t fs_uuid[16],
		       struct famfs_member_info *out);

struct famfs_log_info {
	uint64_t log_len;
	uint64_t next_seq;
	uint64_t next_off;
};

/*
 * Encode fills all sizeof(struct famfs_log_header) bytes of buf, CRC last,
 * after checking log_len (FAMFS_E_GEOMETRY) and next_off/next_seq
 * (FAMFS_E_LOG_HEADER): on error nothing is written.
 */
int famfs_log_header_encode(const struct famfs_log_info *log, void *buf);
/*
 * Decode checks magic, major version, CRC, flags, and that log_len equals the
 * superblock's and next_off lies in [FAMFS_LOG_ENTRIES_OFF, log_len], 8-aligned,
 * with next_seq == 0 exactly when the log is empty and no more entries than
 * FAMFS_ENTRY_LEN_MIN-byte entries could fill.
 */
int famfs_log_header_decode(const void *buf, size_t len,
			    const struct famfs_geometry *geo,
			    struct famfs_log_info *out);

struct famfs_extent_info {
	uint32_t dev_index;
	uint64_t offset;
	uint64_t len;
};

/* File or directory metadata, as logged. */
struct famfs_meta {
	uint32_t mode;		/* includes S_IFREG or S_IFDIR */
	uint32_t uid;
	uint32_t gid;
	uint64_t size;		/* files only */
};

/*
 * A decoded entry. path is NUL-terminated (a copy): the path of FILE,
 * MKDIR and DELETE, the source of RENAME, whose destination is dst.
 * extents point into the decoded buffer in on-media form (any alignment):
 * read them with famfs_entry_extent(). Meaningful only when decoding
 * succeeded.
 */
struct famfs_entry {
	uint64_t seq;
	uint32_t len;
	uint16_t type;
	uint16_t flags;
	struct famfs_meta meta;
	uint32_t n_extents;
	const struct famfs_extent *extents;
	uint16_t path_len;
	char path[FAMFS_PATH_MAX + 1];
	uint16_t dst_len;	/* RENAME only */
	char dst[FAMFS_PATH_MAX + 1];
	uint8_t uuid[16];	/* EVICT: the host */
	uint64_t nonce;		/* EVICT: its mount */
	uint64_t hosts_offset;	/* HOST_TABLE */
	uint32_t hosts_count;	/* HOST_TABLE */
	uint64_t generation;	/* GENERATION */
	uint32_t area;		/* GENERATION */
	uint32_t restated;	/* GENERATION */
	uint64_t chunk_size;	/* FILE: striped (its extents are strips), 0: not */
	struct famfs_member_info member;	/* MEMBER */
};

/* Validate a relative path of len bytes (not NUL-terminated). */
int famfs_path_check(const char *path, size_t len);

/*
 * Validate one extent against a geometry that passed famfs_geometry_check():
 * device index, zero length, alignment, reserved area, range.
 */
int famfs_extent_check(const struct famfs_geometry *geo,
		       const struct famfs_extent_info *ext);

/*
 * Validate a file's extent list: count within limits, each extent, no overlap
 * between them, total >= size. A list not sorted by offset is checked through
 * a sorted copy, which can fail with FAMFS_E_NOMEM.
 */
int famfs_extents_check(const struct famfs_geometry *geo,
			const struct famfs_extent_info *ext, uint32_t n,
			uint64_t size);

/*
 * Validate a striped file's strips (format 1.4): 2 .. FAMFS_STRIPE_MAX of
 * them, chunk a non-zero multiple of alloc_unit, every strip the same
 * length, a multiple of chunk (FAMFS_E_STRIPE), then famfs_extents_check()
 * of the strips as extents.
 */
int famfs_stripe_check(const struct famfs_geometry *geo, uint64_t chunk,
		       const struct famfs_extent_info *strip, uint32_t n,
		       uint64_t size);

/*
 * Where file byte pos of a file striped over n strips of chunk bytes
 * lies: the strip, and the byte offset in that strip. Bytes from there to
 * the end of the chunk are contiguous on the device.
 */
static inline void famfs_stripe_locate(uint64_t chunk, uint32_t n, uint64_t pos,
				       uint32_t *strip, uint64_t *strip_off)
{
	uint64_t c = pos / chunk;

	*strip = (uint32_t)(c % n);
	*strip_off = (c / n) * chunk + pos % chunk;
}

/*
 * Bytes an entry will take in the log, padding included; 0 when the arguments
 * exceed FAMFS_PATH_MAX or FAMFS_MAX_EXTENTS.
 */
size_t famfs_file_entry_size(size_t path_len, uint32_t n_extents);
size_t famfs_mkdir_entry_size(size_t path_len);
size_t famfs_delete_entry_size(size_t path_len);
size_t famfs_rename_entry_size(size_t src_len, size_t dst_len);
size_t famfs_evict_entry_size(void);
size_t famfs_host_table_entry_size(void);
size_t famfs_generation_entry_size(void);
size_t famfs_striped_file_entry_size(size_t path_len, uint32_t n_strips);
size_t famfs_member_entry_size(void);

/*
 * Encode an entry into buf (avail bytes). Everything is validated first, so
 * nothing is written on error; FAMFS_E_LOG_FULL if it does not fit. On
 * success *len_out is the entry's length.
 */
int famfs_file_entry_encode(void *buf, size_t avail, uint64_t seq,
			    const struct famfs_geometry *geo, const char *path,
			    const struct famfs_meta *meta,
			    const struct famfs_extent_info *ext, uint32_t n,
			    size_t *len_out);
int famfs_mkdir_entry_encode(void *buf, size_t avail, uint64_t seq,
			     const char *path, const struct famfs_meta *meta,
			     size_t *len_out);
int famfs_delete_entry_encode(void *buf, size_t avail, uint64_t seq,
			      const char *path, size_t *len_out);
int famfs_rename_entry_encode(void *buf, size_t avail, uint64_t seq,
			      const char *src, const char *dst,
			      size_t *len_out);
int famfs_evict_entry_encode(void *buf, size_t avail, uint64_t seq,
			     const uint8_t uuid[16], uint64_t nonce,
			     size_t *len_out);
int famfs_host_table_entry_encode(void *buf, size_t avail, uint64_t seq,
				  uint64_t offset, uint32_t count,
				  size_t *len_out);
int famfs_generation_entry_encode(void *buf, size_t avail, uint64_t seq,
				  uint64_t generation, uint32_t area,
				  uint32_t restated, size_t *len_out);
/* Format 1.4: a FILE whose extents are strips (famfs_stripe_check()). */
int famfs_striped_file_entry_encode(void *buf, size_t avail, uint64_t seq,
				    const struct famfs_geometry *geo,
				    const char *path,
				    const struct famfs_meta *meta, uint64_t chunk,
				    const struct famfs_extent_info *strip,
				    uint32_t n, size_t *len_out);
/* Format 1.4: index 1 .. FAMFS_MAX_DEVICES - 1, size checked as a label's. */
int famfs_member_entry_encode(void *buf, size_t avail, uint64_t seq,
			      const struct famfs_member_info *m,
			      size_t *len_out);

/*
 * Decode and validate the entry at buf (avail bytes to the end of the used
 * log). It must carry sequence number expect_seq. A FILE's extents are
 * checked against geo: whoever walks a log adds each MEMBER it decodes to
 * its geometry (famfs_geo_add_member()) before decoding the next entry. An entry of a type this code
 * does not know decodes only if it is FAMFS_ENTRY_F_SKIPPABLE: then out holds
 * its header fields, no path, no extents, and the caller skips out->len bytes.
 */
int famfs_entry_decode(const void *buf, size_t avail, uint64_t expect_seq,
		       const struct famfs_geometry *geo,
		       struct famfs_entry *out);

void famfs_entry_extent(const struct famfs_entry *e, uint32_t i,
			struct famfs_extent_info *out);

/* One host-table slot, decoded. */
struct famfs_host_info {
	uint32_t state;		/* enum famfs_host_state */
	uint32_t flags;
	uint8_t system_uuid[16];
	uint64_t nonce;
	uint64_t heartbeat;
	uint64_t heartbeat_ns;
	uint64_t mount_ns;
	uint64_t applied_seq;
	uint64_t released_seq;
	uint64_t log_generation;
	uint32_t poll_ms;
	uint32_t pid;
	char hostname[FAMFS_HOSTNAME_LEN + 1];	/* NUL-terminated */
};

/*
 * Encode fills FAMFS_HOST_SLOT_SIZE bytes, CRC last, after checking state
 * and flags (FAMFS_E_FLAGS), that released_seq <= applied_seq
 * (FAMFS_E_SEQ) and that the hostname fits (FAMFS_E_LEN): on error nothing
 * is written.
 */
int famfs_host_slot_encode(const struct famfs_host_info *h, void *buf);
/*
 * Decode: FAMFS_E_MAGIC for a slot never written (a free one), FAMFS_E_CRC
 * for a torn or damaged one; then state, flags, reserved bytes,
 * released_seq <= applied_seq and a NUL-padded hostname.
 */
int famfs_host_slot_decode(const void *buf, size_t len,
			   struct famfs_host_info *out);

/* The active-log record, decoded. */
struct famfs_log_gen {
	uint64_t generation;
	uint32_t area;
};

/* Encode fills FAMFS_LOGREC_SIZE bytes, CRC last. */
void famfs_logrec_encode(const struct famfs_log_gen *g, void *buf);
/*
 * Decode one copy: FAMFS_E_MAGIC for a copy never written, FAMFS_E_CRC for
 * a torn or damaged one, FAMFS_E_FLAGS for unknown flags or reserved
 * bytes, FAMFS_E_GEOMETRY for an area beyond log_areas.
 */
int famfs_logrec_decode(const void *buf, size_t len, uint32_t log_areas,
			struct famfs_log_gen *out);
/*
 * The active log: of the FAMFS_LOGREC_COPIES copies at buf, the valid one
 * with the higher generation. The error of copy 0 when none is valid.
 * valid (if not NULL) gets a bit per copy that decoded.
 */
int famfs_logrec_pick(const void *buf, size_t len, uint32_t log_areas,
		      struct famfs_log_gen *out, unsigned int *valid);

#endif /* !__KERNEL__ */
#endif /* FAMFS_FORMAT_H */
