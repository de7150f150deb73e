// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-layout: the on-media layout as famfs.ko reads it and enforces it.
 *
 *   famfs-layout sb DEV FIELD=VALUE...
 *       set superblock fields and seal the CRC again: minor (version_minor),
 *       log_len, log_areas, reserved0, logrec_offset, hosts_offset,
 *       hosts_count, host_slot_size, ndevices, members_offset, reserved1,
 *       or byte@OFFSET for one byte
 *   famfs-layout maps DIR AREAS AREA_LEN
 *       on a mount with no metadata files yet (mount -t famfs), with AREAS
 *       log areas of AREA_LEN bytes: FAMFS_IOC_PROBE reports them all as
 *       the log; a regular file can map no unit of any area (ERANGE) and
 *       the first unit after them (0); the log file must map every area,
 *       exactly (EINVAL for one area, or more than the areas)
 *   famfs-layout data DIR N
 *       print the device offset of the Nth allocation unit of file data,
 *       the first past every log area, as FAMFS_IOC_PROBE gives them
 *
 * A character device (devdax) is mapped and its cache lines flushed; a
 * block device (fsdax pmem) is read and written with O_DIRECT. Each check
 * prints "ok" or "FAIL"; the exit status is 1 if any failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/format.h"
#include "uapi/famfs_ioctl.h"

#define CACHELINE	64
#define SB_IO		4096	/* the superblock's page */

static int nfail;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "famfs-layout: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, ": %s\n", strerror(errno));
	exit(2);
}

static uint64_t parse_u64(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		errno = EINVAL;
		die("bad number %s", s);
	}
	return v;
}

static void flush_range(const void *p, size_t len)
{
	const char *c = (const char *)((uintptr_t)p & ~(uintptr_t)(CACHELINE - 1));

	for (; c < (const char *)p + len; c += CACHELINE)
		__builtin_ia32_clflush(c);
	__builtin_ia32_mfence();
}

/* ---- sb ------------------------------------------------------------- */

struct field {
	const char *name;
	size_t off;
	size_t size;
};

#define FIELD(n, f) { n, offsetof(struct famfs_superblock, f), \
		      sizeof(((struct famfs_superblock *)0)->f) }

static const struct field fields[] = {
	FIELD("minor", version_minor),
	FIELD("log_len", log_len),
	FIELD("log_areas", log_areas),
	FIELD("reserved0", reserved0),
	FIELD("logrec_offset", logrec_offset),
	FIELD("hosts_offset", hosts_offset),
	FIELD("hosts_count", hosts_count),
	FIELD("host_slot_size", host_slot_size),
	FIELD("ndevices", ndevices),
	FIELD("members_offset", members_offset),
	FIELD("reserved1", reserved1),
};

/* Store v little-endian in size bytes at p. */
static void store_le(uint8_t *p, size_t size, uint64_t v)
{
	size_t i;

	for (i = 0; i < size; i++, v >>= 8)
		p[i] = v & 0xff;
}

static void sb_set(uint8_t *sb, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t i, len;
	uint64_t off;

	if (!eq) {
		errno = EINVAL;
		die("%s: not FIELD=VALUE", arg);
	}
	len = eq - arg;
	if (len > 5 && !strncmp(arg, "byte@", 5)) {
		char num[32];

		snprintf(num, sizeof(num), "%.*s", (int)(len - 5), arg + 5);
		off = parse_u64(num);
		if (off >= offsetof(struct famfs_superblock, crc)) {
			errno = ERANGE;
			die("%s: not a byte the CRC covers", arg);
		}
		sb[off] = parse_u64(eq + 1);
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strlen(fields[i].name) == len && !strncmp(fields[i].name, arg, len)) {
			store_le(sb + fields[i].off, fields[i].size, parse_u64(eq + 1));
			return;
		}
	}
	errno = EINVAL;
	die("%s: unknown field", arg);
}

static void sb_seal(uint8_t *sb)
{
	store_le(sb + offsetof(struct famfs_superblock, crc), 4,
		 famfs_crc32c(0, sb, offsetof(struct famfs_superblock, crc)));
}

static int cmd_sb(const char *dev, int n, char **args)
{
	struct stat st;
	uint8_t *p;
	int fd, i;

	if (stat(dev, &st))
		die("%s", dev);
	fd = open(dev, O_RDWR | (S_ISBLK(st.st_mode) ? O_DIRECT : 0));
	if (fd < 0)
		die("%s", dev);
	if (S_ISBLK(st.st_mode)) {
		if (posix_memalign((void **)&p, SB_IO, SB_IO))
			die("%s", "posix_memalign");
		if (pread(fd, p, SB_IO, 0) != SB_IO)
			die("%s: read", dev);
	} else {
		p = mmap(NULL, SB_IO, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("%s: mmap", dev);
		flush_range(p, sizeof(struct famfs_superblock));
	}
	for (i = 0; i < n; i++)
		sb_set(p, args[i]);
	sb_seal(p);
	if (S_ISBLK(st.st_mode)) {
		if (pwrite(fd, p, SB_IO, 0) != SB_IO || fsync(fd))
			die("%s: write", dev);
	} else {
		flush_range(p, sizeof(struct famfs_superblock));
		munmap(p, SB_IO);
	}
	close(fd);
	return 0;
}

/* ---- maps ----------------------------------------------------------- */

static const char *mnt;

static void expect(const char *what, int rc, int want)
{
	bool ok = rc == -want;

	printf("%-4s %-58s got %-7s want %s\n", ok ? "ok" : "FAIL", what,
	       rc ? strerrorname_np(-rc) : "0", want ? strerrorname_np(want) : "0");
	nfail += !ok;
}

/* A new empty file given one extent of type type. */
static int try_map(const char *name, uint32_t type, uint64_t off, uint64_t len)
{
	struct famfs_ioc_extent ext = { .offset = off, .len = len };
	struct famfs_ioc_map map = {
		.file_size = len, .file_type = type, .n_extents = 1,
		.extents = (uintptr_t)&ext,
	};
	char path[4096];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		die("create %s", path);
	rc = ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0;
	close(fd);
	return rc;
}

static void probe_mount(struct famfs_ioc_probe *probe)
{
	int fd = open(mnt, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || ioctl(fd, FAMFS_IOC_PROBE, probe))
		die("PROBE on %s", mnt);
	close(fd);
}

static int cmd_maps(uint64_t areas, uint64_t area_len)
{
	struct famfs_ioc_probe probe;
	uint64_t au, end, a;
	char what[128], name[64];

	probe_mount(&probe);
	au = probe.alloc_unit;
	end = probe.log_offset + areas * area_len;
	printf("probe: abi %u log %" PRIu64 "+%" PRIu64 " alloc_unit %" PRIu64 "\n",
	       probe.abi_version, (uint64_t)probe.log_offset,
	       (uint64_t)probe.log_len, au);
	snprintf(what, sizeof(what), "PROBE: log_len covers %" PRIu64 " area(s)", areas);
	expect(what, probe.log_len == areas * area_len ? 0 : -EPROTO, 0);
	expect("PROBE: ABI 4 or later", probe.abi_version >= 4 ? 0 : -EPROTO, 0);
	for (a = 0; a < areas; a++) {
		snprintf(what, sizeof(what), "regular file at the start of log area %" PRIu64, a);
		snprintf(name, sizeof(name), "reg-area%" PRIu64 "-first", a);
		expect(what, try_map(name, FAMFS_FILE_REG,
				     probe.log_offset + a * area_len, au), ERANGE);
		snprintf(what, sizeof(what), "regular file on the last unit of log area %" PRIu64, a);
		snprintf(name, sizeof(name), "reg-area%" PRIu64 "-last", a);
		expect(what, try_map(name, FAMFS_FILE_REG,
				     probe.log_offset + (a + 1) * area_len - au, au),
		       ERANGE);
	}
	expect("regular file from the last log unit into the data",
	       try_map("reg-straddle", FAMFS_FILE_REG, end - au, 2 * au), ERANGE);
	for (a = 0; a < areas && areas > 1; a++) {
		snprintf(what, sizeof(what), "log file of log area %" PRIu64 " alone", a);
		snprintf(name, sizeof(name), "log-area%" PRIu64, a);
		expect(what, try_map(name, FAMFS_FILE_LOG,
				     probe.log_offset + a * area_len, area_len), EINVAL);
	}
	expect("log file of the areas and one unit more",
	       try_map("log-long", FAMFS_FILE_LOG, probe.log_offset, end - probe.log_offset + au),
	       EINVAL);
	snprintf(what, sizeof(what), "log file of the %" PRIu64 " area(s) exactly", areas);
	expect(what, try_map("log", FAMFS_FILE_LOG, probe.log_offset,
			     end - probe.log_offset), 0);
	expect("regular file on the first unit after the log areas",
	       try_map("reg-data", FAMFS_FILE_REG, end, au), 0);
	printf("maps: %d failure(s)\n", nfail);
	return !!nfail;
}

/* ABI 4: log_len covers every log area, so data starts right after it. */
static int cmd_data(uint64_t n)
{
	struct famfs_ioc_probe probe;

	probe_mount(&probe);
	printf("%" PRIu64 "\n", (uint64_t)(probe.log_offset + probe.log_len +
					   n * probe.alloc_unit));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "sb"))
		return cmd_sb(argv[2], argc - 3, argv + 3);
	if (argc == 5 && !strcmp(argv[1], "maps")) {
		mnt = argv[2];
		return cmd_maps(parse_u64(argv[3]), parse_u64(argv[4]));
	}
	if (argc == 4 && !strcmp(argv[1], "data")) {
		mnt = argv[2];
		return cmd_data(parse_u64(argv[3]));
	}
	fprintf(stderr, "usage: famfs-layout sb DEV FIELD=VALUE...\n"
			"       famfs-layout maps DIR AREAS AREA_LEN\n"
			"       famfs-layout data DIR N\n");
	return 2;
}
