// SPDX-License-Identifier: GPL-2.0
/* Shared test fixtures (see famfs_test.h). */
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "famfs_test.h"
#include "format_reseal.h"

char ft_dir[256];
/* Set by ft_main: every test's directory is made inside it. */
static char ft_base[200];

static const char *tmp_parent(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

void ft_setup(void)
{
	if (ft_base[0])
		snprintf(ft_dir, sizeof(ft_dir), "%s/t.XXXXXX", ft_base);
	else
		snprintf(ft_dir, sizeof(ft_dir), "%s/famfs-test.XXXXXX",
			 tmp_parent());
	ck_assert_ptr_nonnull(mkdtemp(ft_dir));
	setenv(FAMFS_SYSTEM_UUID_ENV, ft_path("system_uuid"), 1);
	setenv(FAMFS_LOCK_DIR_ENV, ft_path("lock"), 1);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(char *dir)
{
	if (dir[0])
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

void ft_teardown(void)
{
	remove_tree(ft_dir);
}

/*
 * Unchecked fixture: runs in the runner process, so the base directory is
 * removed even when a failed check ended a test before its teardown.
 */
static void base_setup(void)
{
	snprintf(ft_base, sizeof(ft_base), "%s/famfs-test.XXXXXX", tmp_parent());
	if (!mkdtemp(ft_base)) {
		perror(ft_base);
		exit(EXIT_FAILURE);
	}
}

static void base_teardown(void)
{
	remove_tree(ft_base);
}

const char *ft_path(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", ft_dir, name);
	return p;
}

void ft_image(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

void ft_mkfs(const char *path, uint64_t size)
{
	struct famfs_mkfs_opts opts = { 0 };
	struct famfs_error err = { 0 };
	struct famfs_sb_info sb;
	int rc;

	ft_image(path, size);
	rc = famfs_mkfs(path, &opts, &sb, &err);
	ck_assert_msg(rc == 0, "mkfs: %s", err.msg);
}

void ft_make_older(const char *path, uint16_t minor)
{
	uint8_t log[FAMFS_LOG_ENTRIES_OFF + 64] = { 0 };
	uint8_t rec[FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE] = { 0 };
	struct famfs_log_info hdr = { .next_off = FAMFS_LOG_ENTRIES_OFF };
	struct famfs_superblock sb;
	struct famfs_sb_info info;
	size_t len = 0;
	int fd = open(path, O_RDWR);

	ck_assert_int_lt(minor, FAMFS_VERSION_MINOR_COMPACT);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &sb, sizeof(sb), 0), sizeof(sb));
	ck_assert_int_eq(famfs_sb_decode(&sb, sizeof(sb), &info), 0);
	ck_assert_uint_eq(info.geo.log_areas, FAMFS_LOG_AREAS);
	test_sb_set_minor(&sb, minor);
	ck_assert_int_eq(pwrite(fd, &sb, sizeof(sb), 0), sizeof(sb));
	ck_assert_int_eq(pwrite(fd, rec, sizeof(rec), (off_t)info.logrec_offset),
			 sizeof(rec));
	hdr.log_len = info.geo.log_len;
	if (minor >= FAMFS_VERSION_MINOR_HOSTS) {
		ck_assert_int_eq(famfs_host_table_entry_encode(log + FAMFS_LOG_ENTRIES_OFF,
							       sizeof(log) - FAMFS_LOG_ENTRIES_OFF,
							       0, info.hosts_offset,
							       info.hosts_count, &len), 0);
		hdr.next_seq = 1;
		hdr.next_off += len;
	}
	ck_assert_int_eq(famfs_log_header_encode(&hdr, log), 0);
	ck_assert_int_eq(pwrite(fd, log, sizeof(log), (off_t)info.geo.log_offset),
			 sizeof(log));
	/* Where area 1 was is file data now, as a fresh image's: no header. */
	memset(log, 0, sizeof(struct famfs_log_header));
	ck_assert_int_eq(pwrite(fd, log, sizeof(struct famfs_log_header),
				(off_t)(info.geo.log_offset + info.geo.log_len)),
			 sizeof(struct famfs_log_header));
	close(fd);
}

uint64_t ft_switch_log(const char *path, bool switch_record)
{
	struct famfs_log_info hdr;
	struct famfs_log_gen next;
	struct ft_fs fs;
	uint8_t *area;

	ft_open(&fs, path);
	ck_assert_uint_eq(fs.log.sb.geo.log_areas, FAMFS_LOG_AREAS);
	next.generation = fs.log.gen.generation + 1;
	next.area = fs.log.gen.area ? 0 : 1;
	area = fs.log.areas + (uint64_t)next.area * fs.log.sb.geo.log_len;
	ck_assert_int_eq(famfs_log_area_seed(area, &fs.log.sb, &next,
					     famfs_log_area_seeds(&fs.log.sb),
					     &hdr), 0);
	ck_assert_int_eq(famfs_log_header_encode(&hdr, area), 0);
	if (switch_record)
		famfs_logrec_encode(&next, fs.log.sb_buf +
				    famfs_logrec_off(&fs.log.sb, next.generation));
	ft_close(&fs);
	return next.generation;
}

const char *ft_setup_fs(void)
{
	const char *img;

	ft_setup();
	img = ft_path("img");
	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_seen_reset();
	return img;
}

void ft_flip(const char *path, uint64_t off, uint8_t mask)
{
	int fd = open(path, O_RDWR);
	uint8_t b;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &b, 1, (off_t)off), 1);
	b ^= mask;
	ck_assert_int_eq(pwrite(fd, &b, 1, (off_t)off), 1);
	close(fd);
}

void ft_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

void ft_open(struct ft_fs *fs, const char *path)
{
	struct famfs_error err = { 0 };
	int rc;

	rc = famfs_device_open(&fs->dev, path, FAMFS_DEV_RDWR, &err);
	ck_assert_msg(rc == 0, "open: %s", err.msg);
	rc = famfs_log_open(&fs->log, &fs->dev, &err);
	ck_assert_msg(rc == 0, "log: %s", err.msg);
}

void ft_close(struct ft_fs *fs)
{
	famfs_log_append_end(&fs->log);
	famfs_device_close(&fs->dev);
}

struct famfs_host_info ft_host(uint32_t slot, uint64_t released)
{
	struct famfs_host_info h = {
		.state = FAMFS_HOST_MOUNTED, .nonce = 0x5107 + slot,
		.applied_seq = released, .released_seq = released,
		.poll_ms = 10, .hostname = "pinner",
	};

	h.system_uuid[0] = (uint8_t)(slot + 1);
	return h;
}

void ft_put_host(struct ft_fs *fs, uint32_t slot, const struct famfs_host_info *h)
{
	struct famfs_hosts t;

	ck_assert_int_eq(famfs_log_hosts(&fs->log, &t), 0);
	ck_assert_int_eq(famfs_hosts_write(&t, slot, h), 0);
}

void ft_pin(struct ft_fs *fs, uint32_t slot, uint64_t released)
{
	struct famfs_host_info h = ft_host(slot, released);

	ft_put_host(fs, slot, &h);
}

void ft_evict(struct ft_fs *fs, const uint8_t uuid[16], uint64_t nonce)
{
	struct famfs_error err = { 0 };
	int rc;

	rc = famfs_log_append_begin(&fs->log, &err);
	ck_assert_msg(rc == 0, "begin: %s", err.msg);
	rc = famfs_log_add_evict(&fs->log, uuid, nonce, &err);
	ck_assert_msg(rc == 0, "evict: %s", err.msg);
	rc = famfs_log_commit(&fs->log, &err);
	ck_assert_msg(rc == 0, "commit: %s", err.msg);
	famfs_log_append_end(&fs->log);
}

void ft_add_file(struct ft_fs *fs, const char *path, uint64_t size,
		 const struct famfs_extent_info *ext, uint32_t n)
{
	struct famfs_meta meta = { .mode = S_IFREG | 0644, .size = size };
	struct famfs_error err = { 0 };
	int rc;

	rc = famfs_log_append_begin(&fs->log, &err);
	ck_assert_msg(rc == 0, "begin: %s", err.msg);
	rc = famfs_log_add_file(&fs->log, path, &meta, ext, n, &err);
	ck_assert_msg(rc == 0, "add %s: %s", path, err.msg);
	rc = famfs_log_commit(&fs->log, &err);
	ck_assert_msg(rc == 0, "commit: %s", err.msg);
	famfs_log_append_end(&fs->log);
}

void ft_publish(struct ft_fs *fs, size_t len)
{
	fs->log.cur.next_seq++;
	fs->log.cur.next_off += len;
	ck_assert_int_eq(famfs_log_header_encode(&fs->log.cur, fs->log.log_buf), 0);
	fs->log.hdr = fs->log.cur;
}

struct ft_seen ft_seen;

static void seen_problem(void *arg, int code, const char *msg)
{
	(void)arg;
	if (!ft_seen.problems++) {
		ft_seen.first_code = code;
		snprintf(ft_seen.first, sizeof(ft_seen.first), "%s", msg);
	}
	snprintf(ft_seen.last, sizeof(ft_seen.last), "%s", msg);
}

static void seen_note(void *arg, const char *msg)
{
	(void)arg;
	if (!ft_seen.notes++)
		snprintf(ft_seen.note, sizeof(ft_seen.note), "%s", msg);
}

const struct famfs_fsck_ops ft_fsck_ops = {
	.problem = seen_problem, .note = seen_note,
};

void ft_seen_reset(void)
{
	memset(&ft_seen, 0, sizeof(ft_seen));
}

struct famfs_extent_info ft_extent(uint64_t first, uint64_t units)
{
	struct famfs_extent_info x = {
		.dev_index = 0,
		.offset = first * FAMFS_ALLOC_UNIT,
		.len = units * FAMFS_ALLOC_UNIT,
	};

	return x;
}

int ft_main(const char *name, void (*setup)(void), void (*teardown)(void),
	    const TTest *const *tests)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create(name);
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	if (setup || teardown)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (; *tests; tests++)
		tcase_add_test(tc, *tests);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
