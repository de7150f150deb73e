// SPDX-License-Identifier: GPL-2.0
/*
 * Members, offline on image files: mkfs over several devices (the member
 * table and the labels), famfs device add, walks that meet MEMBER
 * entries, fsck of a member out of order, and finding a member by its
 * label among decoys.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"
#include "famfs_test.h"
#include "format_reseal.h"

#define MEMBER_SIZE	(16 * FT_MIB)

static struct famfs_error err;
/* ft_path()'s buffers rotate: the paths the tests use, kept. */
static char img[512], img2[512], m1[512], m2[512], tiny[512], devdir[512],
	    emptydir[512];

static void setup(void)
{
	ft_setup();
	snprintf(img, sizeof(img), "%s", ft_path("img"));
	snprintf(img2, sizeof(img2), "%s", ft_path("img2"));
	snprintf(m1, sizeof(m1), "%s", ft_path("m1"));
	snprintf(m2, sizeof(m2), "%s", ft_path("m2"));
	snprintf(tiny, sizeof(tiny), "%s", ft_path("tiny"));
	snprintf(devdir, sizeof(devdir), "%s", ft_path("dev"));
	snprintf(emptydir, sizeof(emptydir), "%s", ft_path("empty"));
	memset(&err, 0, sizeof(err));
	ft_seen_reset();
}

static int mkfs_two(const char *dev0, const char *dev1, bool force,
		    struct famfs_sb_info *sb)
{
	const char *members[] = { dev1 };
	struct famfs_mkfs_opts o = { .members = members, .nmembers = 1,
				     .force = force };

	return famfs_mkfs(dev0, &o, sb, &err);
}

static void fsck_img(struct famfs_fsck_report *rep)
{
	ck_assert_int_eq(famfs_fsck(img, &ft_fsck_ops, rep, &err), 0);
}

START_TEST(test_mkfs_two_devices)
{
	struct famfs_member_info m;
	struct famfs_fsck_report rep;
	struct famfs_sb_info sb;
	uint8_t fs_uuid[16];

	ft_image(img, FT_IMAGE_SIZE);
	ft_image(m1, MEMBER_SIZE + FT_MIB);
	ck_assert_msg(!mkfs_two(img, m1, false, &sb), "%s", err.msg);
	ck_assert_uint_eq(sb.ndevices, 2);
	ck_assert_uint_eq(sb.geo.n_members, 2);
	ck_assert_uint_eq(sb.members[1].index, 1);
	ck_assert_uint_eq(sb.members[1].size, MEMBER_SIZE);
	ck_assert_mem_eq(sb.members[0].uuid, sb.dev_uuid, 16);
	ck_assert_int_eq(famfs_label_read(m1, fs_uuid, &m, &err), 0);
	ck_assert_mem_eq(fs_uuid, sb.fs_uuid, 16);
	ck_assert_mem_eq(m.uuid, sb.members[1].uuid, 16);
	ck_assert_uint_eq(m.index, 1);
	ck_assert_uint_eq(m.size, MEMBER_SIZE);
	fsck_img(&rep);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.sb.geo.n_members, 2);
	/* plain files may take member 1's units too */
	ck_assert_uint_eq(rep.space_free,
			  (FT_DATA_UNITS + MEMBER_SIZE / FAMFS_ALLOC_UNIT - 1) *
			  FAMFS_ALLOC_UNIT);
}
END_TEST

START_TEST(test_mkfs_refusals)
{
	const char *members[] = { m1, m1 };
	struct famfs_mkfs_opts twice = { .members = members, .nmembers = 2 };
	struct famfs_sb_info sb;

	ft_image(img, FT_IMAGE_SIZE);
	ft_image(m1, MEMBER_SIZE);
	ft_image(tiny, FAMFS_MEMBER_DATA_OFFSET);
	ck_assert_int_eq(famfs_mkfs(img, &twice, &sb, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "the same device named twice"), "%s", err.msg);
	ck_assert_int_eq(mkfs_two(img, img, false, &sb), -EINVAL);
	ck_assert_int_eq(mkfs_two(img, tiny, false, &sb), -ENOSPC);
	ck_assert_msg(strstr(err.msg, "too small for a member"), "%s", err.msg);
	/* a member of a file system made before, then a famfs */
	ck_assert_int_eq(mkfs_two(img, m1, false, &sb), 0);
	ft_image(img2, FT_IMAGE_SIZE);
	ck_assert_int_eq(mkfs_two(img2, m1, false, &sb),
			 -EEXIST);
	ck_assert_msg(strstr(err.msg, "already member 1 of famfs"), "%s", err.msg);
	ck_assert_int_eq(mkfs_two(img2, img, false, &sb), -EEXIST);
	ck_assert_msg(strstr(err.msg, "already holds a famfs"), "%s", err.msg);
	ck_assert_msg(!mkfs_two(img2, m1, true, &sb),
		      "%s", err.msg);
}
END_TEST

/* A file on member 2 after device add; every walk plays it. */
START_TEST(test_device_add_and_walks)
{
	struct famfs_extent_info x = { .dev_index = 2, .offset = 4 * FT_MIB,
				       .len = 2 * FT_MIB };
	struct famfs_member_info m;
	struct famfs_fsck_report rep;
	struct famfs_sb_info sb;
	struct famfs_alloc a;
	struct ft_fs fs;

	ft_image(img, FT_IMAGE_SIZE);
	ft_image(m1, MEMBER_SIZE);
	ck_assert_int_eq(mkfs_two(img, m1, false, &sb), 0);
	m = ft_add_member(img, m2, MEMBER_SIZE);
	ck_assert_uint_eq(m.index, 2);
	ft_open(&fs, img);
	ck_assert_uint_eq(fs.log.sb.geo.n_members, 3);
	ck_assert_uint_eq(fs.log.member_seq[2], FT_MKFS_ENTRIES);
	ck_assert_mem_eq(fs.log.sb.members[2].uuid, m.uuid, 16);
	ft_add_file(&fs, "on2", 2 * FT_MIB, &x, 1);
	ck_assert_int_eq(famfs_alloc_build(&a, &fs.log, &err), 0);
	ck_assert_uint_eq(famfs_alloc_member_free(&a, 2), MEMBER_SIZE - 2 * 2 * FT_MIB);
	famfs_alloc_free(&a);
	ft_close(&fs);
	fsck_img(&rep);
	ck_assert_msg(rep.errors == 0, "%s", ft_seen.first);
	ck_assert_uint_eq(rep.files, 1);
	ck_assert_uint_eq(rep.sb.geo.n_members, 3);
}
END_TEST

/* A walk resumed after a MEMBER entry knows that member. */
START_TEST(test_iter_seek_knows_members)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	uint64_t off, seq;
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_add_member(img, m1, MEMBER_SIZE);
	ft_open(&fs, img);
	famfs_log_iter_init(&it, &fs.log);
	ck_assert_uint_eq(it.geo.n_members, 1);
	while (famfs_log_iter_more(&it))
		ck_assert_int_eq(famfs_log_iter_next(&it, e, &err), 0);
	ck_assert_uint_eq(it.geo.n_members, 2);
	off = it.off;
	seq = it.seq;
	famfs_log_iter_seek(&it, off, seq);
	ck_assert_uint_eq(it.geo.n_members, 2);
	famfs_log_iter_seek(&it, FAMFS_LOG_ENTRIES_OFF, 0);
	ck_assert_uint_eq(it.geo.n_members, 1);
	ft_close(&fs);
	free(e);
}
END_TEST

/* Log a MEMBER entry by hand, as a master that skipped the checks would. */
static void publish_member(uint32_t index)
{
	struct famfs_member_info m = { .index = index, .size = MEMBER_SIZE };
	struct ft_fs fs;
	size_t len;

	uuid_generate(m.uuid);
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_member_entry_encode(fs.log.log_buf + fs.log.cur.next_off,
						   fs.log.sb.geo.log_len - fs.log.cur.next_off,
						   fs.log.cur.next_seq, &m, &len), 0);
	ft_publish(&fs, len);
	ft_close(&fs);
}

START_TEST(test_member_out_of_order)
{
	struct famfs_fsck_report rep;

	ft_mkfs(img, FT_IMAGE_SIZE);
	publish_member(2);
	fsck_img(&rep);
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_int_eq(ft_seen.first_code, FAMFS_E_MEMBER);
	ck_assert_msg(strstr(ft_seen.first, "log entry seq 2: member 2 (") &&
		      strstr(ft_seen.first, "is not the next: 1 members precede it (1 in the member table), so a MEMBER entry must add index 1"),
		      "%s", ft_seen.first);
}
END_TEST

START_TEST(test_member_uuid_twice)
{
	struct famfs_member_info m;
	struct famfs_fsck_report rep;
	struct ft_fs fs;
	size_t len;

	ft_mkfs(img, FT_IMAGE_SIZE);
	m = ft_add_member(img, m1, MEMBER_SIZE);
	m.index = 2;
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_member(&fs.log, &m, &err), FAMFS_E_MEMBER);
	ck_assert_msg(strstr(err.msg, "has the UUID"), "%s", err.msg);
	ck_assert_int_eq(famfs_member_entry_encode(fs.log.log_buf + fs.log.cur.next_off,
						   fs.log.sb.geo.log_len - fs.log.cur.next_off,
						   fs.log.cur.next_seq, &m, &len), 0);
	ft_publish(&fs, len);
	ft_close(&fs);
	fsck_img(&rep);
	ck_assert_int_eq(ft_seen.first_code, FAMFS_E_MEMBER);
	ck_assert_msg(strstr(ft_seen.first, "member 2 has the UUID"), "%s",
		      ft_seen.first);
}
END_TEST

/*
 * A file on a member no earlier entry added is damage, even when a later
 * MEMBER entry adds it.
 */
START_TEST(test_file_on_unknown_member)
{
	struct famfs_extent_info x = { .dev_index = 1, .offset = 4 * FT_MIB,
				       .len = 2 * FT_MIB };
	struct famfs_meta meta = { .mode = S_IFREG | 0644, .size = 1 };
	struct famfs_fsck_report rep;
	struct famfs_geometry geo;
	struct ft_fs fs;
	size_t len;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_ne(famfs_log_add_file(&fs.log, "f", &meta, &x, 1, &err), 0);
	geo = fs.log.sb.geo;
	geo.n_members = 2;
	geo.member_size[1] = MEMBER_SIZE;
	ck_assert_int_eq(famfs_file_entry_encode(fs.log.log_buf + fs.log.cur.next_off,
						 geo.log_len - fs.log.cur.next_off,
						 fs.log.cur.next_seq, &geo, "f",
						 &meta, &x, 1, &len), 0);
	ft_publish(&fs, len);
	ft_close(&fs);
	ft_add_member(img, m1, MEMBER_SIZE);
	fsck_img(&rep);
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_msg(strstr(ft_seen.first, "log entry seq 2 at log offset"),
		      "%s", ft_seen.first);
}
END_TEST

/* Devices in dir: the member, and decoys whose labels say something else. */
static void decoys(const char *dir, const struct famfs_sb_info *sb)
{
	struct famfs_member_info wrong = sb->members[1];
	struct famfs_device dev;
	char path[1024];
	uint8_t other[16];

	mkdir(dir, 0700);
	uuid_generate(other);
	snprintf(path, sizeof(path), "%s/dax0.0", dir);	/* another fs's */
	ft_image(path, MEMBER_SIZE);
	ck_assert_int_eq(famfs_device_open(&dev, path, FAMFS_DEV_RDWR, &err), 0);
	ck_assert_int_eq(famfs_label_write(&dev, other, &sb->members[1], &err), 0);
	famfs_device_close(&dev);
	snprintf(path, sizeof(path), "%s/dax1.0", dir);	/* wrong index */
	ft_image(path, MEMBER_SIZE);
	wrong.index = 2;
	ck_assert_int_eq(famfs_device_open(&dev, path, FAMFS_DEV_RDWR, &err), 0);
	ck_assert_int_eq(famfs_label_write(&dev, sb->fs_uuid, &wrong, &err), 0);
	famfs_device_close(&dev);
	snprintf(path, sizeof(path), "%s/pmem0", dir);	/* no label */
	ft_image(path, MEMBER_SIZE);
	snprintf(path, sizeof(path), "%s/other", dir);	/* not a dax or pmem name */
	ft_image(path, MEMBER_SIZE);
}

START_TEST(test_find_by_label_among_decoys)
{
	const char *dir = devdir;
	struct famfs_fsck_report rep;
	struct famfs_sb_info sb;
	char want[1024], *path;

	ft_image(img, FT_IMAGE_SIZE);
	ft_image(m1, MEMBER_SIZE);
	ck_assert_int_eq(mkfs_two(img, m1, false, &sb), 0);
	decoys(dir, &sb);
	setenv(FAMFS_DEV_DIR_ENV, dir, 1);
	ck_assert_int_eq(famfs_member_find(sb.fs_uuid, &sb.members[1], NULL,
					   &path, &err), -ENOENT);
	ck_assert_msg(strstr(err.msg, "member 1 (") &&
		      strstr(err.msg, ") not found: no device under ") &&
		      strstr(err.msg, "/dax1.0 carries member 2 of this file system") &&
		      strstr(err.msg, "/dax0.0 carries member 1 of file system "),
		      "%s", err.msg);
	/* the member under a decoy's kind of name */
	snprintf(want, sizeof(want), "%s/pmem7", dir);
	ck_assert_int_eq(rename(m1, want), 0);
	ck_assert_int_eq(famfs_member_find(sb.fs_uuid, &sb.members[1], NULL,
					   &path, &err), 0);
	ck_assert_str_eq(path, want);
	free(path);
	/* skipped: as member 0's own device is */
	ck_assert_int_eq(famfs_member_find(sb.fs_uuid, &sb.members[1], want,
					   &path, &err), -ENOENT);
	ck_assert_int_eq(famfs_fsck_path(img, &ft_fsck_ops, &rep, &err), 0);
	ck_assert_uint_eq(rep.members_found, 2);
	ck_assert_uint_eq(rep.notes, 0);
	unsetenv(FAMFS_DEV_DIR_ENV);
}
END_TEST

START_TEST(test_fsck_notes_missing_member)
{
	struct famfs_fsck_report rep;
	struct famfs_sb_info sb;

	ft_image(img, FT_IMAGE_SIZE);
	ft_image(m1, MEMBER_SIZE);
	ck_assert_int_eq(mkfs_two(img, m1, false, &sb), 0);
	mkdir(emptydir, 0700);
	setenv(FAMFS_DEV_DIR_ENV, emptydir, 1);
	ck_assert_int_eq(famfs_fsck_path(img, &ft_fsck_ops, &rep, &err), 0);
	unsetenv(FAMFS_DEV_DIR_ENV);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.members_found, 1);
	ck_assert_uint_eq(rep.notes, 1);
	ck_assert_msg(strstr(ft_seen.note, "member 1 (") &&
		      strstr(ft_seen.note, "not found: no device under"),
		      "%s", ft_seen.note);
}
END_TEST

START_TEST(test_device_add_refusals)
{
	struct famfs_device_add_opts o = { 0 }, forced = { .force = true };
	struct famfs_member_info m;
	struct famfs_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_add_member(img, m1, MEMBER_SIZE);
	ft_image(tiny, FAMFS_MEMBER_DATA_OFFSET);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_device_add(&fs, m1, &o, &m, &err), -EEXIST);
	ck_assert_int_eq(famfs_device_add(&fs, m1, &forced, &m, &err),
			 -EEXIST);
	ck_assert_msg(strstr(err.msg, "member 1 of this file system already"),
		      "%s", err.msg);
	ck_assert_int_eq(famfs_device_add(&fs, img, &forced, &m, &err), -EEXIST);
	ck_assert_msg(strstr(err.msg, "member 0 of this file system already"),
		      "%s", err.msg);
	ck_assert_int_eq(famfs_device_add(&fs, tiny, &o, &m, &err),
			 -ENOSPC);
	famfs_fs_close(&fs);
}
END_TEST

/* Make the image at path format 1.3: one device, no member table. */
static void make_format_1_3(const char *path)
{
	struct famfs_superblock sb;
	int fd = open(path, O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &sb, sizeof(sb), 0), sizeof(sb));
	test_sb_set_minor(&sb, FAMFS_VERSION_MINOR_COMPACT);
	ck_assert_int_eq(pwrite(fd, &sb, sizeof(sb), 0), sizeof(sb));
	close(fd);
}

/* A file system of format 1.3 takes no member, and the device no label. */
START_TEST(test_device_add_refused_before_1_4)
{
	struct famfs_device_add_opts o = { 0 };
	uint8_t head[FAMFS_LABEL_SIZE], zero[FAMFS_LABEL_SIZE] = { 0 };
	struct famfs_member_info m;
	struct famfs_fs fs;
	int fd;

	ft_mkfs(img, FT_IMAGE_SIZE);
	make_format_1_3(img);
	ft_image(m2, MEMBER_SIZE);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_device_add(&fs, m2, &o, &m, &err),
			 FAMFS_E_VERSION);
	ck_assert_msg(strstr(err.msg, "format 1.3, which has no members"),
		      "%s", err.msg);
	famfs_fs_close(&fs);
	fd = open(m2, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, head, sizeof(head), 0), sizeof(head));
	close(fd);
	ck_assert_mem_eq(head, zero, sizeof(head));
}
END_TEST

/* A byte of file offset off, as pattern_fill writes it. */
static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off ^ (off >> 8) ^ 0x5a);
}

static int pattern_fill(void *arg, uint64_t off, void *buf, size_t len,
			struct famfs_error *e)
{
	uint8_t *p = buf;
	size_t i;

	(void)arg;
	(void)e;
	for (i = 0; i < len; i++)
		p[i] = pattern(off + i);
	return 0;
}

/*
 * Offline, a plain file goes to the roomiest member, and its data to
 * that member's device, found by its label.
 */
START_TEST(test_create_writes_on_member)
{
	struct famfs_meta meta = { .mode = S_IFREG | 0644, .size = 3 * FT_MIB };
	struct famfs_extent_info x;
	struct famfs_creator c;
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	struct famfs_sb_info sb;
	struct famfs_fs fs;
	char member[1024];
	uint8_t *buf = malloc(meta.size);
	uint64_t i;
	FILE *f;

	mkdir(devdir, 0700);
	snprintf(member, sizeof(member), "%s/pmem1", devdir);
	ft_image(img, FT_IMAGE_SIZE);
	ft_image(member, 4 * MEMBER_SIZE);
	ck_assert_int_eq(mkfs_two(img, member, false, &sb), 0);
	setenv(FAMFS_DEV_DIR_ENV, devdir, 1);
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_create_begin(&c, &fs, &err), 0);
	ck_assert_msg(!famfs_create_file(&c, "f", &meta, pattern_fill, NULL, &err),
		      "%s", err.msg);
	ck_assert_int_eq(famfs_create_commit(&c, &err), 0);
	famfs_create_end(&c);
	famfs_log_iter_init(&it, &fs.log);
	do
		ck_assert_int_eq(famfs_log_iter_next(&it, e, &err), 0);
	while (e->type != FAMFS_ENTRY_FILE);
	famfs_entry_extent(e, 0, &x);	/* extents point into the log */
	famfs_fs_close(&fs);
	unsetenv(FAMFS_DEV_DIR_ENV);
	ck_assert_uint_eq(x.dev_index, 1);
	f = fopen(member, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)x.offset, SEEK_SET), 0);
	ck_assert_uint_eq(fread(buf, 1, meta.size, f), meta.size);
	fclose(f);
	for (i = 0; i < meta.size; i++)
		ck_assert_uint_eq(buf[i], pattern(i));
	free(buf);
	free(e);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_mkfs_two_devices,
		test_mkfs_refusals,
		test_device_add_and_walks,
		test_iter_seek_knows_members,
		test_member_out_of_order,
		test_member_uuid_twice,
		test_file_on_unknown_member,
		test_find_by_label_among_decoys,
		test_fsck_notes_missing_member,
		test_device_add_refusals,
		test_device_add_refused_before_1_4,
		test_create_writes_on_member,
		NULL,
	};

	return ft_main("members", setup, ft_teardown, tests);
}
