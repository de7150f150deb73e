/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * famfs ioctl ABI, shared by famfs.ko and user space.
 *
 * A famfs file is created empty with open(O_CREAT) in a famfs mount and gets
 * its data only from FAMFS_IOC_MAP_CREATE, which hands the kernel the file's
 * size and extent list once. The kernel validates every extent against the
 * device geometry it read from the superblock at mount time. docs/ioctl.md
 * documents each call and its errors.
 */
#ifndef FAMFS_UAPI_IOCTL_H
#define FAMFS_UAPI_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * 2: FAMFS_MAP_WINDOW. 3: EXTENTS_HELD, SHUTDOWN, SET_SPACE. 4: PROBE's
 * log_len, and the log file's extent, cover every log area (format 1.3).
 * 5: members (MEMBER_ADD, MEMBER_GET, dev_index), striped files
 * (FAMFS_MAP_STRIPED, MAP_CREATE_STRIPED, MAP_GET_STRIPED) (format 1.4).
 */
#define FAMFS_IOC_ABI_VERSION	5
#define FAMFS_IOC_MAX_EXTENTS	16384	/* per file */
#define FAMFS_IOC_MAX_MEMBERS	32	/* member indexes 0 .. 31 */
#define FAMFS_IOC_MAX_STRIPS	64	/* strips of a striped file */

/* What a file is: only the metadata files may map the superblock/log area. */
enum famfs_file_type {
	FAMFS_FILE_REG		= 0,
	FAMFS_FILE_SUPERBLOCK	= 1,	/* .meta/.superblock */
	FAMFS_FILE_LOG		= 2,	/* .meta/.log */
};

/* Map flags */
#define FAMFS_MAP_READONLY	0x1	/* refuse write(2) and shared writable mmap */
/*
 * A window onto device bytes for the tools (ABI 2): read(2)/write(2) only,
 * never mapped, so it may cover bytes that files hold. Regular type only.
 */
#define FAMFS_MAP_WINDOW	0x2
/*
 * ABI 5: the extents are strips of chunk_size bytes round-robin
 * (FAMFS_IOC_MAP_CREATE_STRIPED). Never a window; regular type only.
 */
#define FAMFS_MAP_STRIPED	0x4
#define FAMFS_MAP_FLAGS_ALL	(FAMFS_MAP_READONLY | FAMFS_MAP_WINDOW | \
				 FAMFS_MAP_STRIPED)

struct famfs_ioc_extent {
	__u32	dev_index;	/* member index; ABI 5: a member added to the mount */
	__u32	reserved;	/* must be 0 */
	__u64	offset;		/* device byte offset, aligned */
	__u64	len;		/* bytes, aligned, > 0 */
};

struct famfs_ioc_map {
	__u64	file_size;	/* <= sum of extent lengths */
	__u32	file_type;	/* enum famfs_file_type */
	__u32	flags;		/* FAMFS_MAP_* */
	__u32	n_extents;	/* CREATE: entries at extents; GET: in capacity, out count */
	__u32	reserved;	/* must be 0 */
	__u64	extents;	/* user pointer to struct famfs_ioc_extent[n_extents] */
};

/* What the mounted file system reports about itself. */
struct famfs_ioc_probe {
	__u32	abi_version;	/* FAMFS_IOC_ABI_VERSION */
	__u32	max_extents;	/* FAMFS_IOC_MAX_EXTENTS */
	__u64	dev_size;	/* bytes of the device */
	__u64	alloc_unit;	/* extent alignment in bytes */
	__u64	log_offset;	/* the first log area; [0, log_offset): superblock area */
	__u64	log_len;	/* ABI 4: every log area, back to back (3: the first) */
	__u32	backend;	/* enum famfs_backend */
	__u32	reserved;
};

enum famfs_backend {
	FAMFS_BACKEND_PMEM	= 1,	/* block device with dax (fs_dax_get_by_bdev) */
	FAMFS_BACKEND_DEVDAX	= 2,	/* devdax, the module's own dax_operations */
	FAMFS_BACKEND_DEVDAX_KERNEL = 3, /* devdax, kernel's CONFIG_DEV_DAX_IOMAP ops */
};

#define FAMFS_IOC_MAGIC		0xf5
/* Is this a famfs file (any file or directory in a famfs mount)? */
#define FAMFS_IOC_PROBE		_IOR(FAMFS_IOC_MAGIC, 1, struct famfs_ioc_probe)
/* Give an empty regular file its size and extents, once. */
#define FAMFS_IOC_MAP_CREATE	_IOW(FAMFS_IOC_MAGIC, 2, struct famfs_ioc_map)
/* Read a file's map back. */
#define FAMFS_IOC_MAP_GET	_IOWR(FAMFS_IOC_MAGIC, 3, struct famfs_ioc_map)

/*
 * ABI 3: does any file of this mount, linked or unlinked but still open
 * or mapped, still hold one of these extents? first_held is the index of
 * the first extent that overlaps bytes a file holds, n_extents if none.
 * A deleted file's bytes are released on this host once none is held.
 */
struct famfs_ioc_held {
	__u64	extents;	/* user pointer to struct famfs_ioc_extent[n_extents] */
	__u32	n_extents;	/* <= FAMFS_IOC_MAX_EXTENTS */
	__u32	first_held;	/* out */
};
#define FAMFS_IOC_EXTENTS_HELD	_IOWR(FAMFS_IOC_MAGIC, 4, struct famfs_ioc_held)

/*
 * ABI 3: fence this mount (the host was evicted): from now on every read,
 * write and fault fails (EIO, SIGBUS) and existing mappings are zapped,
 * as after a device failure. Only unmounting ends it.
 */
#define FAMFS_IOC_SHUTDOWN	_IO(FAMFS_IOC_MAGIC, 5)

/*
 * ABI 3: what the log says of the data area, for statfs: the bytes of its
 * allocation units that files hold, deleted files not yet released by
 * every host included (the follower's figure, as famfs fsck counts it).
 * statfs reports as used the larger of this and what this mount maps.
 */
struct famfs_ioc_space {
	__u64	used_bytes;	/* <= the data area */
	__u64	reserved;	/* must be 0 */
};
#define FAMFS_IOC_SET_SPACE	_IOW(FAMFS_IOC_MAGIC, 6, struct famfs_ioc_space)

/*
 * ABI 5: a striped file. map.extents are its strips: 2 .. MAX_STRIPS, all
 * of one length, a multiple of chunk_size (itself a multiple of
 * alloc_unit); file byte f is in chunk c = f / chunk_size, which is
 * chunk c / n of strip c % n. CREATE needs FAMFS_MAP_STRIPED in map.flags.
 * GET answers for any file: chunk_size 0 for one that is not striped.
 */
struct famfs_ioc_stripe_map {
	struct famfs_ioc_map map;
	__u64	chunk_size;
	__u64	reserved;	/* must be 0 */
};
#define FAMFS_IOC_MAP_CREATE_STRIPED _IOW(FAMFS_IOC_MAGIC, 7, struct famfs_ioc_stripe_map)
#define FAMFS_IOC_MAP_GET_STRIPED    _IOWR(FAMFS_IOC_MAGIC, 8, struct famfs_ioc_stripe_map)

/*
 * ABI 5: members. Member 0 is the device mounted. MEMBER_ADD hands the
 * mount another: fd is an open file of the device (/dev/daxX.Y or
 * /dev/pmemN), whose label (struct famfs_member_label at offset 0) must
 * name this file system's UUID, index and uuid, and a size the device
 * holds. Added once per index, kept until unmount. MEMBER_GET reports a
 * member by index: ENOENT if none was added.
 */
struct famfs_ioc_member {
	__s32	fd;		/* ADD: in; GET: unused */
	__u32	index;		/* in: 1 .. MAX_MEMBERS - 1 (GET: 0 too) */
	__u8	uuid[16];	/* ADD: in, must equal the label's; GET: out */
	__u64	size;		/* out: usable bytes (the label's; member 0: dev_size) */
	__u32	backend;	/* out: enum famfs_backend */
	__u32	reserved;	/* must be 0 */
	__u64	reserved2;	/* must be 0 */
};
#define FAMFS_IOC_MEMBER_ADD	_IOW(FAMFS_IOC_MAGIC, 9, struct famfs_ioc_member)
#define FAMFS_IOC_MEMBER_GET	_IOWR(FAMFS_IOC_MAGIC, 10, struct famfs_ioc_member)

#endif /* FAMFS_UAPI_IOCTL_H */
