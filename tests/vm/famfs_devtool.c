// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_devtool: raw device access for the module tests, independent of the
 * module: write or break a superblock, check a pattern at a device offset.
 * Works on /dev/pmemN (O_DIRECT pread/pwrite) and /dev/daxX.Y (mmap).
 *
 *   famfs_devtool mkfs DEV [reserved] superblock for the whole device
 *                                     (with a non-zero reserved byte)
 *   famfs_devtool mkfs2 DEV DEV1      format 1.4 over two members: the
 *                                     superblock and member table on DEV,
 *                                     a label on DEV1 (member 1)
 *   famfs_devtool label DEV1 KIND     rewrite DEV1's label: good, other-fs,
 *                                     index2, big (size beyond the device),
 *                                     none (no label)
 *   famfs_devtool corrupt DEV [OFF]   flip the byte at device offset OFF
 *                                     (default: one the superblock CRC covers)
 *   famfs_devtool verify DEV OFF LEN SEED [FILE_OFF]
 *                                     the device bytes at OFF hold the
 *                                     pattern of file bytes from FILE_OFF
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

/* A superblock of this code's format for a device of @size bytes. */
static struct famfs_superblock *sb_new(uint64_t size, uint32_t ndevices)
{
	struct famfs_superblock *sb = xalloc(FAMFS_SB_AREA);

	sb->magic = htole64(FAMFS_SB_MAGIC);
	sb->version_major = htole16(FAMFS_VERSION_MAJOR);
	sb->version_minor = htole16(FAMFS_VERSION_MINOR);
	memcpy(sb->fs_uuid, test_fs_uuid, 16);
	test_member_uuid(sb->dev_uuid, 0);
	memcpy(sb->master_uuid, test_fs_uuid, 16);
	sb->dev_size = htole64(size);
	sb->log_offset = htole64(FAMFS_LOG_OFFSET);
	sb->log_len = htole64(FAMFS_LOG_LEN_DEFAULT);
	sb->log_areas = htole32(1);	/* no active-log record to write */
	sb->alloc_unit = htole32(FAMFS_ALLOC_UNIT);
	sb->ndevices = htole32(ndevices);
	return sb;
}

static void sb_write(struct dev *d, struct famfs_superblock *sb)
{
	sb->crc = htole32(crc32c(sb, offsetof(struct famfs_superblock, crc)));
	dev_io(d, sb, 0, FAMFS_SB_AREA, 1);
	printf("superblock written: dev_size %llu, %u member(s)\n",
	       (unsigned long long)le64toh(sb->dev_size), le32toh(sb->ndevices));
	free(sb);
}

/* Member table slot @index (in the superblock area at @area). */
static void slot_put(void *area, uint32_t index, uint64_t size)
{
	struct famfs_member_slot *slot = (struct famfs_member_slot *)
		((uint8_t *)area + FAMFS_MEMBERS_OFFSET) + index;

	test_member_uuid(slot->uuid, index);
	slot->size = htole64(size);
	slot->index = htole32(index);
	slot->crc = htole32(crc32c(slot, offsetof(struct famfs_member_slot, crc)));
}

/* One member: the member table holds slot 0, this device (format 1.4). */
static int cmd_mkfs(struct dev *d, bool reserved)
{
	struct famfs_superblock *sb = sb_new(d->size & ~(FAMFS_ALLOC_UNIT - 1), 1);

	sb->members_offset = htole64(FAMFS_MEMBERS_OFFSET);
	slot_put(sb, 0, le64toh(sb->dev_size));
	sb->reserved[sizeof(sb->reserved) - 1] = reserved;
	sb_write(d, sb);
	return 0;
}

/* Write member 1's label, of a kind the kernel accepts or refuses. */
static int cmd_label(struct dev *d, const char *kind)
{
	struct famfs_member_label *l = xalloc(FAMFS_SB_AREA);
	uint64_t size = d->size & ~(FAMFS_ALLOC_UNIT - 1);

	if (strcmp(kind, "none")) {
		l->magic = htole64(FAMFS_LABEL_MAGIC);
		l->version_major = htole16(FAMFS_VERSION_MAJOR);
		l->version_minor = htole16(FAMFS_VERSION_MINOR);
		memcpy(l->fs_uuid, test_fs_uuid, 16);
		l->fs_uuid[0] ^= !strcmp(kind, "other-fs");
		l->index = htole32(!strcmp(kind, "index2") ? 2 : 1);
		test_member_uuid(l->uuid, 1);
		l->size = htole64(!strcmp(kind, "big") ? size + FAMFS_ALLOC_UNIT : size);
		l->crc = htole32(crc32c(l, offsetof(struct famfs_member_label, crc)));
	}
	dev_io(d, l, 0, FAMFS_SB_AREA, 1);
	printf("label %s written: size %llu\n", kind, (unsigned long long)size);
	free(l);
	return 0;
}

static int cmd_mkfs2(struct dev *d, const char *path1)
{
	struct famfs_superblock *sb = sb_new(d->size & ~(FAMFS_ALLOC_UNIT - 1), 2);
	struct dev d1;

	dev_open(&d1, path1);
	sb->members_offset = htole64(FAMFS_MEMBERS_OFFSET);
	slot_put(sb, 0, le64toh(sb->dev_size));
	slot_put(sb, 1, d1.size & ~(FAMFS_ALLOC_UNIT - 1));
	sb_write(d, sb);
	return cmd_label(&d1, "good");
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

static int cmd_verify(struct dev *d, uint64_t off, uint64_t len, uint64_t seed,
		      uint64_t file_off)
{
	size_t chunk = 2 * MIB;
	uint8_t *buf = xalloc(chunk);
	long long bad;
	uint64_t o;

	for (o = 0; o < len; o += chunk) {
		dev_io(d, buf, off + o, chunk, 0);
		bad = pattern_check(buf, file_off + o, chunk, seed);
		if (bad >= 0)
			die("device mismatch at file offset %lld (device %llu)",
			    bad, (unsigned long long)(off + bad - file_off));
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
		die("usage: famfs_devtool mkfs|mkfs2|label|corrupt|verify|hold DEV [reserved | DEV1 | KIND | OFF | OFF LEN SEED [FILE_OFF] | SECONDS [READY]]");
	dev_open(&d, argv[2]);
	if (!strcmp(argv[1], "mkfs") && argc == 3)
		return cmd_mkfs(&d, false);
	if (!strcmp(argv[1], "mkfs") && !strcmp(argv[3], "reserved"))
		return cmd_mkfs(&d, true);
	if (!strcmp(argv[1], "mkfs2") && argc == 4)
		return cmd_mkfs2(&d, argv[3]);
	if (!strcmp(argv[1], "label") && argc == 4)
		return cmd_label(&d, argv[3]);
	if (!strcmp(argv[1], "corrupt"))
		return cmd_corrupt(&d, argc == 4 ? parse_u64(argv[3]) :
				   offsetof(struct famfs_superblock, create_time));
	if (!strcmp(argv[1], "verify") && (argc == 6 || argc == 7))
		return cmd_verify(&d, parse_u64(argv[3]), parse_u64(argv[4]),
				  parse_u64(argv[5]),
				  argc == 7 ? parse_u64(argv[6]) : 0);
	if (!strcmp(argv[1], "hold") && (argc == 4 || argc == 5))
		return cmd_hold(&d, parse_u64(argv[3]), argc == 5 ? argv[4] : NULL);
	die("unknown command %s", argv[1]);
}
