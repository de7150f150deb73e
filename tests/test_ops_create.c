// SPDX-License-Identifier: GPL-2.0
/*
 * Creating on the master, offline on an image: data lands in the allocated
 * extents before the entry is published, a client is refused naming the
 * master, and a full device or log is reported before anything is written.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

static struct famfs_error err;
static struct famfs_creator cr;
static struct famfs_fs fs;
static const char *img;

static void setup(void)
{
	ft_setup();
	img = ft_path("img");
	memset(&err, 0, sizeof(err));
	ft_mkfs(img, FT_IMAGE_SIZE);
}

static void begin(void)
{
	int rc = famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err);

	ck_assert_msg(rc == 0, "open: %s", err.msg);
	rc = famfs_create_begin(&cr, &fs, &err);
	ck_assert_msg(rc == 0, "begin: %s", err.msg);
}

static void end(void)
{
	ck_assert_int_eq(famfs_create_commit(&cr, &err), 0);
	famfs_create_end(&cr);
	famfs_fs_close(&fs);
}

static struct famfs_meta file_meta(uint64_t size)
{
	struct famfs_meta m = { .mode = S_IFREG | 0640, .uid = 7, .gid = 8,
				.size = size };
	return m;
}

static struct famfs_meta dir_meta(void)
{
	struct famfs_meta m = { .mode = S_IFDIR | 0750, .uid = 7, .gid = 8 };
	return m;
}

/* The published entry with this path (its extents copied to ext). */
static bool find_entry(const char *path, struct famfs_entry *e)
{
	struct famfs_log_iter it;

	famfs_log_iter_init(&it, &fs.log);
	while (famfs_log_iter_more(&it)) {
		ck_assert_int_eq(famfs_log_iter_next(&it, e, NULL), 0);
		if (!strcmp(e->path, path))
			return true;
	}
	return false;
}

static uint64_t published_seq(void)
{
	ck_assert_int_eq(famfs_log_refresh(&fs.log, NULL), 0);
	return fs.log.hdr.next_seq;
}

/*
 * The published entry of path: its metadata as logged, and its one extent
 * holding the stream of seed.
 */
static void check_stream_file(const char *path, const struct famfs_meta *m,
			      uint64_t seed, uint64_t ext_len)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_extent_info x;
	uint8_t *want = malloc(m->size);

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	ck_assert(find_entry(path, e));
	ck_assert_uint_eq(e->meta.size, m->size);
	ck_assert_uint_eq(e->meta.mode, m->mode);
	ck_assert_uint_eq(e->meta.uid, m->uid);
	ck_assert_uint_eq(e->n_extents, 1);
	famfs_entry_extent(e, 0, &x);
	ck_assert_uint_eq(x.len, ext_len);
	famfs_random_fill(seed, 0, want, m->size);
	ck_assert(!memcmp(fs.dev.base + x.offset, want, m->size));
	famfs_fs_close(&fs);
	free(want);
	free(e);
}

START_TEST(test_random_data_in_extents)
{
	struct famfs_meta m = file_meta(5 * FT_MIB + 123);
	uint64_t seed = 42;

	begin();
	ck_assert_int_eq(famfs_create_file(&cr, "f", &m, famfs_random_fill_fn,
					   &seed, &err), 0);
	end();
	check_stream_file("f", &m, seed, 6 * FT_MIB);
}
END_TEST

/* Fails at the third allocation unit of the file only. */
static int failing_fill(void *arg, uint64_t off, void *buf, size_t len,
			struct famfs_error *err)
{
	if (off == 4 * FT_MIB)
		return famfs_error_set(err, -ENODATA, "no data at %llu",
				       (unsigned long long)off);
	return famfs_random_fill_fn(arg, off, buf, len, err);
}

START_TEST(test_threads_write_every_chunk)
{
	struct famfs_meta m = file_meta(9 * FT_MIB + 5);
	struct famfs_entry *e = malloc(sizeof(*e));
	uint64_t seed = 77;

	begin();
	cr.threads = 4;
	ck_assert_int_eq(famfs_create_file(&cr, "bad", &m, failing_fill, &seed, &err),
			 -ENODATA);
	ck_assert_str_eq(err.msg, "bad: no data at 4194304");
	ck_assert_int_eq(famfs_create_file(&cr, "t", &m, famfs_random_fill_fn,
					   &seed, &err), 0);
	end();
	check_stream_file("t", &m, seed, 10 * FT_MIB);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	ck_assert(!find_entry("bad", e));
	famfs_fs_close(&fs);
	free(e);
}
END_TEST

START_TEST(test_dirs_and_parents)
{
	struct famfs_meta d = dir_meta(), f = file_meta(0);
	struct famfs_cp_opts o = { .parents = true, .mode = 0700, .uid = 1, .gid = 2 };

	begin();
	ck_assert_int_eq(famfs_create_dir(&cr, "a", &d, &err), 0);
	ck_assert_int_eq(famfs_create_dir(&cr, "a", &d, &err), 1);
	ck_assert_int_eq(famfs_create_file(&cr, "a/f", &f, NULL, NULL, &err), 0);
	ck_assert_int_eq(famfs_create_file(&cr, "a/f", &f, NULL, NULL, &err), -EEXIST);
	ck_assert_str_eq(err.msg, "a/f: already exists");
	ck_assert_int_eq(famfs_create_file(&cr, "b/f", &f, NULL, NULL, &err), -ENOENT);
	ck_assert_str_eq(err.msg, "b: no such directory");
	ck_assert_int_eq(famfs_create_file(&cr, "a/f/g", &f, NULL, NULL, &err), -ENOTDIR);
	ck_assert_str_eq(err.msg, "a/f: not a directory");
	ck_assert_int_eq(famfs_create_dir(&cr, ".meta", &d, &err), -EPERM);
	ck_assert_str_eq(err.msg, ".meta: reserved for the file system's metadata");
	ck_assert_int_eq(famfs_mkdir(&cr, "x/y/z", &o, &err), 0);
	ck_assert_int_eq(famfs_create_lookup(&cr, "x/y"), FAMFS_ENTRY_MKDIR);
	o.parents = false;
	ck_assert_int_eq(famfs_mkdir(&cr, "x/y", &o, &err), -EEXIST);
	ck_assert_str_eq(err.msg, "x/y: already exists");
	end();
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_uint_eq(published_seq(), FT_MKFS_ENTRIES + 5);	/* a, a/f, x, x/y, x/y/z */
	famfs_fs_close(&fs);
}
END_TEST

START_TEST(test_client_refused)
{
	struct famfs_fs cfs;
	char want[512], master[40];
	int rc;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	uuid_unparse_lower(fs.log.sb.master_uuid, master);
	famfs_fs_close(&fs);
	/* Another host: a different system UUID. */
	ft_write_file(ft_path("system_uuid"), "0b5c2bde-33b5-4f3e-9c7f-2f6e0e3f9a11\n");
	rc = famfs_fs_open(&cfs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err);
	ck_assert_int_eq(rc, -EPERM);
	snprintf(want, sizeof(want),
		 "this host is a client of the file system on %s; only the master (system UUID %s) can create files",
		 img, master);
	ck_assert_str_eq(err.msg, want);
	/* Reading is fine. */
	ck_assert_int_eq(famfs_fs_open(&cfs, img, FAMFS_FS_OFFLINE, &err), 0);
	famfs_fs_close(&cfs);
}
END_TEST

/* Reading the log needs no role: an unreadable system UUID is no obstacle. */
START_TEST(test_read_needs_no_role)
{
	ft_write_file(ft_path("system_uuid"), "not a UUID\n");
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	famfs_fs_close(&fs);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "system_uuid: does not hold a UUID"), "%s",
		      err.msg);
}
END_TEST

static bool all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

START_TEST(test_device_full_before_writing)
{
	/* 64 MiB - 2 MiB superblock - two 8 MiB log areas: 46 MiB of data. */
	struct famfs_meta big = file_meta(48 * FT_MIB), fits = file_meta(46 * FT_MIB);
	/* Log area 1 and the data: nothing written there. */
	uint64_t seed = 1, data = 10 * FT_MIB;

	begin();
	ck_assert_int_eq(famfs_create_file(&cr, "big", &big, famfs_random_fill_fn,
					   &seed, &err), -ENOSPC);
	ck_assert_str_eq(err.msg, "big: device full: 48 MiB needed, 46 MiB free");
	ck_assert(all_zero(fs.dev.base + data, FT_IMAGE_SIZE - data));
	ck_assert_int_eq(famfs_create_lookup(&cr, "big"), 0);
	/* Nothing was kept: the whole device is still free. */
	ck_assert_int_eq(famfs_create_file(&cr, "fits", &fits, NULL, NULL, &err), 0);
	ck_assert_int_eq(famfs_create_file(&cr, "more", &fits, NULL, NULL, &err), -ENOSPC);
	ck_assert_str_eq(err.msg, "more: device full: 46 MiB needed, 0 MiB free");
	end();
}
END_TEST

START_TEST(test_log_full_before_writing)
{
	struct famfs_meta d = dir_meta(), f = file_meta(2 * FT_MIB);
	uint64_t seed = 9, free_units;
	char name[FAMFS_NAME_MAX + 1];
	int i, rc = 0;

	begin();
	for (i = 0; !rc; i++) {
		snprintf(name, sizeof(name), "%0255d", i);
		rc = famfs_create_dir(&cr, name, &d, &err);
	}
	/* Every entry is live: compacting would free nothing, so it is not done. */
	ck_assert_int_eq(rc, FAMFS_E_LOG_FULL);
	ck_assert_msg(strstr(err.msg, ": log full even compacted: the live namespace takes "),
		      "%s", err.msg);
	ck_assert_uint_eq(fs.log.gen.generation, 0);
	/* Fill what is left with short entries (48 bytes each). */
	for (rc = 0; !rc; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		rc = famfs_create_dir(&cr, name, &d, &err);
	}
	ck_assert_int_eq(rc, FAMFS_E_LOG_FULL);
	free_units = cr.space.alloc.free_units;
	rc = famfs_create_file(&cr, "f", &f, famfs_random_fill_fn, &seed, &err);
	ck_assert_int_eq(rc, FAMFS_E_LOG_FULL);
	ck_assert_msg(!strncmp(err.msg, "f: log full even compacted: ", 28),
		      "%s", err.msg);
	ck_assert_uint_eq(cr.space.alloc.free_units, free_units);
	ck_assert(all_zero(fs.dev.base + 10 * FT_MIB, FT_IMAGE_SIZE - 10 * FT_MIB));
	end();
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_uint_eq(published_seq(), FT_MKFS_ENTRIES + (uint64_t)i - 2);
	famfs_fs_close(&fs);
}
END_TEST

START_TEST(test_batches_published)
{
	struct famfs_meta f = file_meta(0);
	char name[32];
	int i;

	begin();
	for (i = 0; i < FAMFS_CREATE_BATCH + 10; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		ck_assert_int_eq(famfs_create_file(&cr, name, &f, NULL, NULL, &err), 0);
	}
	/* The first batch is published while the rest is still pending. */
	ck_assert_uint_eq(fs.log.hdr.next_seq, FT_MKFS_ENTRIES + FAMFS_CREATE_BATCH);
	famfs_create_end(&cr);	/* no commit: the last 10 are dropped */
	famfs_fs_close(&fs);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_uint_eq(published_seq(), FT_MKFS_ENTRIES + FAMFS_CREATE_BATCH);
	famfs_fs_close(&fs);
}
END_TEST

/*
 * Each chunk of the file, found through its strips, holds the stream;
 * member i is the image at path[i].
 */
static void check_striped(const struct famfs_entry *e, uint64_t seed,
			  const char *const *path)
{
	uint64_t size = e->meta.size, chunk = e->chunk_size, off, in, len;
	uint8_t *want = malloc(size), *got = malloc(chunk);
	struct famfs_extent_info x;
	uint32_t s;
	int fd;

	famfs_random_fill(seed, 0, want, size);
	for (off = 0; off < size; off += len) {
		famfs_stripe_locate(chunk, e->n_extents, off, &s, &in);
		famfs_entry_extent(e, s, &x);
		len = size - off < chunk ? size - off : chunk;
		fd = open(path[x.dev_index], O_RDONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(pread(fd, got, len, (off_t)(x.offset + in)), len);
		close(fd);
		ck_assert_msg(!memcmp(got, want + off, len), "chunk at %llu",
			      (unsigned long long)off);
	}
	free(got);
	free(want);
}

/* The published entry of path: striped over n strips of len bytes. */
static struct famfs_entry *striped_entry(const char *path, uint32_t n,
					 uint64_t chunk, uint64_t len)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_extent_info x;
	uint32_t i;

	ck_assert(find_entry(path, e));
	ck_assert_uint_eq(e->chunk_size, chunk);
	ck_assert_uint_eq(e->n_extents, n);
	for (i = 0; i < n; i++) {
		famfs_entry_extent(e, i, &x);
		ck_assert_uint_eq(x.len, len);
	}
	return e;
}

/* 13 MiB over 3 strips of 4 MiB chunks: two rows, 8 MiB a strip. */
START_TEST(test_striped_data_in_strips)
{
	struct famfs_meta m = file_meta(13 * FT_MIB + 7);
	struct famfs_fsck_report rep;
	struct famfs_entry *e;
	uint64_t seed = 5;

	begin();
	cr.threads = 2;
	cr.layout.nstrips = 3;
	cr.layout.chunk = 4 * FT_MIB;
	ck_assert_int_eq(famfs_create_file(&cr, "s", &m, famfs_random_fill_fn,
					   &seed, &err), 0);
	end();
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	e = striped_entry("s", 3, 4 * FT_MIB, 8 * FT_MIB);
	check_striped(e, seed, &img);
	famfs_fs_close(&fs);
	free(e);
	ck_assert_int_eq(famfs_fsck(img, NULL, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.space_used, 24 * FT_MIB);
}
END_TEST

/* mkfs's default stripes new files; -N 1 and empty files are plain. */
START_TEST(test_default_stripe_from_superblock)
{
	struct famfs_mkfs_opts mo = { .force = true, .stripe_count = 2 };
	struct famfs_meta m = file_meta(5 * FT_MIB), empty = file_meta(0);
	struct famfs_sb_info sb;
	struct famfs_entry *e;

	ck_assert_int_eq(famfs_mkfs(img, &mo, &sb, &err), 0);
	ck_assert_uint_eq(sb.stripe_count, 2);
	ck_assert_uint_eq(sb.chunk_size, FAMFS_ALLOC_UNIT);
	begin();
	ck_assert_int_eq(famfs_create_file(&cr, "d", &m, NULL, NULL, &err), 0);
	ck_assert_int_eq(famfs_create_file(&cr, "e", &empty, NULL, NULL, &err), 0);
	cr.layout.nstrips = 1;
	ck_assert_int_eq(famfs_create_file(&cr, "p", &m, NULL, NULL, &err), 0);
	end();
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	e = striped_entry("d", 2, FAMFS_ALLOC_UNIT, 4 * FT_MIB);
	ck_assert(find_entry("e", e));
	ck_assert_uint_eq(e->chunk_size, 0);
	ck_assert_uint_eq(e->n_extents, 0);
	ck_assert(find_entry("p", e));
	ck_assert_uint_eq(e->chunk_size, 0);
	ck_assert_uint_eq(e->n_extents, 1);
	famfs_fs_close(&fs);
	free(e);
}
END_TEST

/* mkfs refuses a chunk without a stripe, and a chunk not of whole units. */
START_TEST(test_mkfs_stripe_checked)
{
	struct famfs_mkfs_opts mo = { .force = true, .chunk_size = 4 * FT_MIB };
	struct famfs_sb_info sb;

	ck_assert_int_eq(famfs_mkfs(img, &mo, &sb, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "a chunk size needs a stripe of 2 or more strips");
	mo.stripe_count = 4;
	mo.chunk_size = 3 * FT_MIB;
	ck_assert_int_eq(famfs_mkfs(img, &mo, &sb, &err), -EINVAL);
	mo.stripe_count = FAMFS_STRIPE_MAX + 1;
	mo.chunk_size = 0;
	ck_assert_int_eq(famfs_mkfs(img, &mo, &sb, &err), -EINVAL);
}
END_TEST

/* A stripe that does not fit takes no space and logs nothing. */
START_TEST(test_striped_device_full)
{
	struct famfs_meta m = file_meta(60 * FT_MIB), small = file_meta(1);
	uint64_t seq;

	begin();
	seq = fs.log.cur.next_seq;
	cr.layout.nstrips = 4;
	ck_assert_int_eq(famfs_create_file(&cr, "big", &m, NULL, NULL, &err),
			 -ENOSPC);
	ck_assert_ptr_nonnull(strstr(err.msg, "big: member 0 full"));
	ck_assert_uint_eq(fs.log.cur.next_seq, seq);
	cr.layout.nstrips = 0;
	ck_assert_int_eq(famfs_create_file(&cr, "one", &small, NULL, NULL, &err), 0);
	end();
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_uint_eq(fs.log.sb.geo.dev_size, FT_IMAGE_SIZE);
	famfs_fs_close(&fs);
}
END_TEST

/* Two members: the strips alternate between them, each holding its chunks. */
START_TEST(test_striped_over_two_members)
{
	char dir[512], member[1024];
	const char *members[] = { member }, *path[] = { img, member };
	struct famfs_mkfs_opts mo = { .force = true, .members = members,
				      .nmembers = 1 };
	struct famfs_meta m = file_meta(9 * FT_MIB + 3);
	struct famfs_extent_info x;
	struct famfs_sb_info sb;
	struct famfs_entry *e;
	uint64_t seed = 11;
	uint32_t i;

	snprintf(dir, sizeof(dir), "%s", ft_path("dev"));
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(member, sizeof(member), "%s/pmem1", dir);
	ft_image(member, FT_IMAGE_SIZE);
	ck_assert_msg(!famfs_mkfs(img, &mo, &sb, &err), "mkfs: %s", err.msg);
	setenv(FAMFS_DEV_DIR_ENV, dir, 1);
	begin();
	cr.layout.nstrips = 4;
	ck_assert_int_eq(famfs_create_file(&cr, "s", &m, famfs_random_fill_fn,
					   &seed, &err), 0);
	end();
	unsetenv(FAMFS_DEV_DIR_ENV);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	e = striped_entry("s", 4, FAMFS_ALLOC_UNIT, 4 * FT_MIB);
	for (i = 0; i < 4; i++) {
		famfs_entry_extent(e, i, &x);
		ck_assert_uint_eq(x.dev_index, i % 2);
	}
	check_striped(e, seed, path);
	famfs_fs_close(&fs);
	free(e);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_random_data_in_extents,
		test_threads_write_every_chunk,
		test_dirs_and_parents,
		test_client_refused,
		test_read_needs_no_role,
		test_device_full_before_writing,
		test_log_full_before_writing,
		test_batches_published,
		test_striped_data_in_strips,
		test_default_stripe_from_superblock,
		test_mkfs_stripe_checked,
		test_striped_device_full,
		test_striped_over_two_members,
		NULL,
	};

	return ft_main("ops_create", setup, ft_teardown, tests);
}
