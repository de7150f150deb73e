// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-seeds DIR: write the seeds of every fuzz target into DIR/TARGET/
 * (tests/fuzz/corpus holds what it wrote). They come from a real file
 * system that the library makes on a small image: mkfs's GENERATION and
 * host table entries, a directory, files of one and two extents, an empty
 * file, a rename, a
 * delete, an eviction, and an entry of a type that a newer minor version
 * could add, which this version skips. The entry target also gets a MEMBER
 * entry and a file striped over two members (format 1.4), encoded alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/libfamfs.h"

#define IMAGE_SIZE	(32ULL << 20)
#define SB_LEN		sizeof(struct famfs_superblock)
#define UNIT		FAMFS_ALLOC_UNIT
#define NO_FLAGS	(-1)	/* fuzz_path takes no flags byte */
/*
 * The seeds ask the targets to recompute the CRCs they can, so that most
 * mutations reach the checks behind the CRC; mutating the flags byte
 * tries the CRC checks themselves.
 */
#define SB_RESEAL	0x01	/* fuzz_superblock, fuzz_log_header */
#define ENTRY_RESEAL	0x03	/* fuzz_entry: CRC, and its own seq expected */
#define ENTRY_MEMBERS	0x08	/* fuzz_entry: members 1 to 3, of 64 MiB */
#define IMAGE_RESEAL	0x17	/* fuzz_image: superblock, header, entries, record */
#define REC_LEN		(FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE)

static char tmp[] = "/tmp/famfs-seeds.XXXXXX";
static const char *out_dir;

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz-seeds: %s: %s\n", what, why);
	exit(1);
}

static void check(int rc, const char *what, const struct famfs_error *err)
{
	if (rc)
		die(what, err->msg);
}

/* OUT/target/name: the flags byte (unless NO_FLAGS), then len bytes. */
static void seed(const char *target, const char *name, int flags,
		 const void *bytes, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "w");
	if (!f || (flags != NO_FLAGS && fputc(flags, f) == EOF) ||
	    fwrite(bytes, 1, len, f) != len || fclose(f))
		die(path, "cannot write");
}

/* An entry of an unknown type, marked skippable: 8 bytes of payload. */
static void add_skippable(struct famfs_log *log)
{
	struct famfs_entry_header h = {
		.len = htole32(sizeof(h) + 8),
		.seq = htole64(log->cur.next_seq),
		.type = htole16(16),
		.flags = htole16(FAMFS_ENTRY_F_SKIPPABLE),
	};
	uint8_t *p = log->log_buf + log->cur.next_off;
	uint32_t crc;

	memset(p, 0, sizeof(h) + 8);
	memcpy(p, &h, sizeof(h));
	crc = htole32(famfs_crc32c(0, p + 4, sizeof(h) + 8 - 4));
	memcpy(p, &crc, sizeof(crc));
	log->cur.next_off += sizeof(h) + 8;
	log->cur.next_seq++;
}

static void populate(struct famfs_log *log)
{
	static const uint8_t dead_host[16] = {
		0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
		0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
	};
	struct famfs_meta dir = { .mode = S_IFDIR | 0755 };
	struct famfs_meta one = { .mode = S_IFREG | 0644, .size = 3 << 20 };
	struct famfs_meta two = { .mode = S_IFREG | 0600, .uid = 7, .size = UNIT * 2 };
	struct famfs_meta empty = { .mode = S_IFREG | 0644 };
	struct famfs_extent_info x1 = { .offset = 10 * UNIT, .len = 2 * UNIT };
	struct famfs_extent_info x2[2] = {
		{ .offset = 14 * UNIT, .len = UNIT },
		{ .offset = 12 * UNIT, .len = UNIT },
	};
	struct famfs_error err = { 0 };

	check(famfs_log_append_begin(log, &err), "append", &err);
	check(famfs_log_add_mkdir(log, "dir", &dir, &err), "mkdir", &err);
	check(famfs_log_add_file(log, "dir/one", &one, &x1, 1, &err), "one", &err);
	check(famfs_log_add_file(log, "dir/two", &two, x2, 2, &err), "two", &err);
	check(famfs_log_add_file(log, "empty", &empty, NULL, 0, &err), "empty", &err);
	check(famfs_log_add_rename(log, "empty", "dir/moved", &err), "rename", &err);
	check(famfs_log_add_delete(log, "dir/moved", &err), "delete", &err);
	check(famfs_log_add_evict(log, dead_host, 0x8c1f3a5e9b2d7c40ULL, &err),
	      "evict", &err);
	add_skippable(log);
	check(famfs_log_commit(log, &err), "commit", &err);
	famfs_log_append_end(log);
}

static void entry_seeds(const struct famfs_log *log)
{
	static const char *const name[] = {
		"generation", "host-table", "mkdir", "file", "file-two-extents", "file-empty",
		"rename", "delete", "evict", "skippable",
	};
	struct famfs_log_iter it;
	struct famfs_entry e;
	uint64_t off;
	size_t i;

	famfs_log_iter_init(&it, log);
	for (i = 0; famfs_log_iter_more(&it); i++) {
		off = it.off;
		if (famfs_log_iter_next(&it, &e, NULL) || i >= sizeof(name) / sizeof(name[0]))
			die("log", "does not read back");
		seed("entry", name[i], ENTRY_RESEAL, log->log_buf + off, e.len);
	}
}

/* A MEMBER entry, and a file striped over members 0 and 1 as fuzz_entry has them. */
static void member_seeds(const struct famfs_log *log)
{
	struct famfs_member_info m = { .size = 64ULL << 20, .index = 1 };
	struct famfs_geometry geo = log->sb.geo;
	uint64_t start = famfs_geo_log_end(&geo);
	struct famfs_extent_info strip[2] = {
		{ .offset = start, .len = 2 * UNIT },
		{ .dev_index = 1, .offset = FAMFS_MEMBER_DATA_OFFSET, .len = 2 * UNIT },
	};
	struct famfs_meta meta = { .mode = S_IFREG | 0644, .size = 3 * UNIT };
	uint8_t buf[256];
	size_t len;

	memset(m.uuid, 0x5e, sizeof(m.uuid));
	if (famfs_member_entry_encode(buf, sizeof(buf), 0, &m, &len))
		die("member", "does not encode");
	seed("entry", "member", ENTRY_RESEAL, buf, len);
	if (famfs_geo_add_member(&geo, &m) ||
	    famfs_striped_file_entry_encode(buf, sizeof(buf), 0, &geo, "striped",
					    &meta, UNIT, strip, 2, &len))
		die("striped file", "does not encode");
	seed("entry", "file-striped", ENTRY_RESEAL | ENTRY_MEMBERS, buf, len);
}

static void path_seeds(void)
{
	static const char *const paths[] = {
		"dir/one", "a/b/c", "..", "x//y", "caf\xc3\xa9/na\xefve",
	};
	char name[16];
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(name, sizeof(name), "path-%zu", i);
		seed("path", name, NO_FLAGS, paths[i], strlen(paths[i]));
	}
}

static void write_seeds(const struct famfs_log *log)
{
	size_t used = log->hdr.next_off;
	uint8_t *image = malloc(SB_LEN + REC_LEN + used);

	if (!image)
		die("seeds", "out of memory");
	seed("superblock", "mkfs", SB_RESEAL, log->sb_buf, SB_LEN);
	seed("log_header", "published", SB_RESEAL, log->log_buf,
	     sizeof(struct famfs_log_header));
	entry_seeds(log);
	member_seeds(log);
	path_seeds();
	/* The superblock, the active-log record, the log (fuzz_image's input). */
	memcpy(image, log->sb_buf, SB_LEN);
	memcpy(image + SB_LEN, log->sb_buf + log->sb.logrec_offset, REC_LEN);
	memcpy(image + SB_LEN + REC_LEN, log->log_buf, used);
	seed("image", "small", IMAGE_RESEAL, image, SB_LEN + REC_LEN + used);
	free(image);
}

/* Remove what the library made in tmp: image, system UUID, log lock. */
static void clean_up(const struct famfs_log *log)
{
	char path[128], fs[40];

	uuid_unparse_lower(log->sb.fs_uuid, fs);
	snprintf(path, sizeof(path), "%s/%s.lock", tmp, fs);
	unlink(path);
	snprintf(path, sizeof(path), "%s/system_uuid", tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/img", tmp);
	unlink(path);
	rmdir(tmp);
}

int main(int argc, char **argv)
{
	struct famfs_mkfs_opts opts = { 0 };
	struct famfs_error err = { 0 };
	struct famfs_device dev;
	struct famfs_sb_info sb;
	struct famfs_log log;
	char img[64], env[64];
	int fd;

	if (argc != 2)
		die("usage", "fuzz-seeds DIR");
	out_dir = argv[1];
	if (!mkdtemp(tmp))
		die(tmp, strerror(errno));
	snprintf(env, sizeof(env), "%s/system_uuid", tmp);
	setenv(FAMFS_SYSTEM_UUID_ENV, env, 1);
	setenv(FAMFS_LOCK_DIR_ENV, tmp, 1);
	snprintf(img, sizeof(img), "%s/img", tmp);
	fd = open(img, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, IMAGE_SIZE) || close(fd))
		die(img, strerror(errno));
	check(famfs_mkfs(img, &opts, &sb, &err), "mkfs", &err);
	check(famfs_device_open(&dev, img, FAMFS_DEV_RDWR, &err), "open", &err);
	check(famfs_log_open(&log, &dev, &err), "log", &err);
	populate(&log);
	write_seeds(&log);
	famfs_device_close(&dev);
	clean_up(&log);
	return 0;
}
