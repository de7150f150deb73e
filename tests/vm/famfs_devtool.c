// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_devtool: raw device access for the module tests, independent of the
 * module: write or break a superblock, check a pattern at a device offset.
 * Works on /dev/pmemN (O_DIRECT pread/pwrite) and /dev/daxX.Y (mmap).
 *
 *   famfs_devtool mkfs DEV [reserved] superblock for the whole device
 *                                     (with a non-zero reserved byte)
 *   famfs_devtool corrupt DEV [OFF]   flip the byte at device offset OFF
 *                                     (default: one the superblock CRC covers)
 *   famfs_devtool verify DEV OFF LEN SEED
 *   famfs_devtool hold DEV SECONDS [READY]
 *                                     map the device's first 2 MiB and read
 *                                     it, create READY, keep the mapping for
 *                                     SECONDS (0: exit at once)
 */
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include "common.h"
#include "famfs/format.h"

struct dev {
	int fd;
	int is_dax;
	uint64_t size;
};

static uint64_t dax_size(const struct stat *st)
{
	char path[128];
	unsigned long long size = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/size",
		 major(st->st_rdev), minor(st->st_rdev));
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &size) != 1)
		die("cannot read %s", path);
	fclose(f);
	return size;
}

static void dev_open(struct dev *d, const char *path)
{
	struct stat st;

	d->fd = open(path, O_RDWR);
	if (d->fd < 0 || fstat(d->fd, &st))
		die("open %s: %s", path, strerror(errno));
	d->is_dax = S_ISCHR(st.st_mode);
	if (d->is_dax) {
		d->size = dax_size(&st);
	} else {
		if (ioctl(d->fd, BLKGETSIZE64, &d->size))
			die("BLKGETSIZE64: %s", strerror(errno));
		close(d->fd);
		d->fd = open(path, O_RDWR | O_DIRECT);
		if (d->fd < 0)
			die("open O_DIRECT %s: %s", path, strerror(errno));
	}
}

/* Copy len bytes (multiple of 2 MiB, aligned) between buf and the device. */
static void dev_io(struct dev *d, void *buf, uint64_t off, size_t len, int wr)
{
	void *p;

	if (d->is_dax) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, off);
		if (p == MAP_FAILED)
			die("mmap device at %llu: %s", (unsigned long long)off,
			    strerror(errno));
		if (wr)
			memcpy(p, buf, len);
		else
			memcpy(buf, p, len);
		munmap(p, len);
		return;
	}
	if ((wr ? pwrite(d->fd, buf, len, off) : pread(d->fd, buf, len, off)) !=
	    (ssize_t)len)
		die("device %s at %llu: %s", wr ? "write" : "read",
		    (unsigned long long)off, strerror(errno));
}

static void *xalloc(size_t len)
{
	void *p;

	if (posix_memalign(&p, 4096, len))
		die("out of memory");
	memset(p, 0, len);
	return p;
}

static uint32_t crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = ~0U;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return ~crc;
}

/* Slot 0 of the member table (format 1.4): this device. */
static void member0_store(struct famfs_superblock *sb)
{
	struct famfs_member_slot slot = {
		.size = sb->dev_size,
	};

	memcpy(slot.uuid, sb->dev_uuid, sizeof(slot.uuid));
	slot.crc = htole32(crc32c(&slot, offsetof(struct famfs_member_slot, crc)));
	memcpy((uint8_t *)sb + FAMFS_MEMBERS_OFFSET, &slot, sizeof(slot));
}

static int cmd_mkfs(struct dev *d, bool reserved)
{
	struct famfs_superblock *sb = xalloc(FAMFS_SB_AREA);
	uint64_t size = d->size & ~(FAMFS_ALLOC_UNIT - 1);
	int i;

	sb->magic = htole64(FAMFS_SB_MAGIC);
	sb->version_major = htole16(FAMFS_VERSION_MAJOR);
	sb->version_minor = htole16(FAMFS_VERSION_MINOR);
	for (i = 0; i < 16; i++)
		sb->fs_uuid[i] = sb->dev_uuid[i] = sb->master_uuid[i] = i + 1;
	sb->dev_size = htole64(size);
	sb->log_offset = htole64(FAMFS_LOG_OFFSET);
	sb->log_len = htole64(FAMFS_LOG_LEN_DEFAULT);
	sb->log_areas = htole32(1);	/* no active-log record to write */
	sb->alloc_unit = htole32(FAMFS_ALLOC_UNIT);
	sb->ndevices = htole32(1);
	sb->members_offset = htole64(FAMFS_MEMBERS_OFFSET);
	member0_store(sb);
	sb->reserved[sizeof(sb->reserved) - 1] = reserved;
	sb->crc = htole32(crc32c(sb, offsetof(struct famfs_superblock, crc)));
	dev_io(d, sb, 0, FAMFS_SB_AREA, 1);
	printf("superblock written: dev_size %llu\n", (unsigned long long)size);
	return 0;
}

static int cmd_corrupt(struct dev *d, uint64_t off)
{
	uint64_t base = off & ~(uint64_t)(FAMFS_SB_AREA - 1);
	uint8_t *buf = xalloc(FAMFS_SB_AREA);

	dev_io(d, buf, base, FAMFS_SB_AREA, 0);
	buf[off - base] ^= 0x5a;
	dev_io(d, buf, base, FAMFS_SB_AREA, 1);
	return 0;
}

static int cmd_verify(struct dev *d, uint64_t off, uint64_t len, uint64_t seed)
{
	size_t chunk = 2 * MIB;
	uint8_t *buf = xalloc(chunk);
	long long bad;
	uint64_t o;

	for (o = 0; o < len; o += chunk) {
		dev_io(d, buf, off + o, chunk, 0);
		bad = pattern_check(buf, o, chunk, seed);
		if (bad >= 0)
			die("device mismatch at file offset %lld (device %llu)",
			    bad, (unsigned long long)(off + bad));
	}
	printf("device bytes [%llu, +%llu) match the pattern\n",
	       (unsigned long long)off, (unsigned long long)len);
	return 0;
}

/* A process that maps the raw device, as a tool that reads it would. */
static int cmd_hold(struct dev *d, uint64_t seconds, const char *ready)
{
	volatile uint8_t *p;
	int fd;

	p = mmap(NULL, 2 * MIB, PROT_READ, MAP_SHARED, d->fd, 0);
	if (p == MAP_FAILED)
		die("mmap device: %s", strerror(errno));
	(void)p[0];
	if (ready) {
		fd = open(ready, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("create %s: %s", ready, strerror(errno));
		close(fd);
	}
	printf("device mapped\n");
	fflush(stdout);
	sleep(seconds);
	return 0;
}

int main(int argc, char **argv)
{
	struct dev d;

	if (argc < 3)
		die("usage: famfs_devtool mkfs|corrupt|verify|hold DEV [reserved | OFF | OFF LEN SEED | SECONDS [READY]]");
	dev_open(&d, argv[2]);
	if (!strcmp(argv[1], "mkfs") && argc == 3)
		return cmd_mkfs(&d, false);
	if (!strcmp(argv[1], "mkfs") && !strcmp(argv[3], "reserved"))
		return cmd_mkfs(&d, true);
	if (!strcmp(argv[1], "corrupt"))
		return cmd_corrupt(&d, argc == 4 ? parse_u64(argv[3]) :
				   offsetof(struct famfs_superblock, create_time));
	if (!strcmp(argv[1], "verify") && argc == 6)
		return cmd_verify(&d, parse_u64(argv[3]), parse_u64(argv[4]),
				  parse_u64(argv[5]));
	if (!strcmp(argv[1], "hold") && (argc == 4 || argc == 5))
		return cmd_hold(&d, parse_u64(argv[3]), argc == 5 ? argv[4] : NULL);
	die("unknown command %s", argv[1]);
}
