// SPDX-License-Identifier: GPL-2.0
/*
 * The master reuses a deleted file's space, offline on an image: only once
 * every live slot of the host table has released the delete, at once when
 * no slot is live; fsck agrees in every state and names who pins the space.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

#define UNIT		FAMFS_ALLOC_UNIT
/*
 * 64 MiB image: units 9 to 31 hold data (the first 18 MiB are the
 * superblock area and the two log areas).
 */
#define FIRST		FT_DATA_UNIT
#define UNITS		FT_DATA_UNITS
#define PINNER		3
#define AWAIT		"await release by hosts that may still use them (famfs hosts)"

static struct famfs_fsck_report rep;
static struct famfs_error err;
static unsigned int nproblems;
static char first_msg[1024];
static const char *img;

static void on_problem(void *arg, int code, const char *msg)
{
	(void)arg;
	(void)code;
	if (!nproblems++)
		snprintf(first_msg, sizeof(first_msg), "%s", msg);
}

static const struct famfs_fsck_ops ops = { .problem = on_problem };

static void setup(void)
{
	ft_setup();
	img = ft_path("img");
	memset(&err, 0, sizeof(err));
	ft_mkfs(img, FT_IMAGE_SIZE);
}

/* Create a file of size bytes as the master does: 0 or an error in err. */
static int try_create(const char *path, uint64_t size)
{
	struct famfs_meta m = { .mode = S_IFREG | 0644, .size = size };
	struct famfs_creator cr;
	struct famfs_fs fs;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err);
	ck_assert_msg(rc == 0, "open: %s", err.msg);
	rc = famfs_create_begin(&cr, &fs, &err);
	if (!rc) {
		rc = famfs_create_file(&cr, path, &m, NULL, NULL, &err);
		if (!rc)
			rc = famfs_create_commit(&cr, &err);
		famfs_create_end(&cr);
	}
	famfs_fs_close(&fs);
	return rc;
}

static void create(const char *path, uint64_t size)
{
	int rc = try_create(path, size);

	ck_assert_msg(rc == 0, "create %s: %s", path, err.msg);
}

/* famfs rm path; returns the seq of its DELETE. */
static uint64_t rm(const char *path)
{
	struct famfs_rm_opts o = { 0 };
	struct famfs_namer n;
	struct famfs_fs fs;
	uint64_t seq;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_namer_begin(&n, &fs, &err), 0);
	ck_assert_int_eq(famfs_rm(&n, path, &o, &err), 0);
	ck_assert_int_eq(famfs_namer_commit(&n, &err), 0);
	famfs_namer_end(&n);
	seq = fs.log.hdr.next_seq - 1;
	famfs_fs_close(&fs);
	return seq;
}

/* The one extent of the newest file logged at path, in units. */
static void extent_of(const char *path, uint64_t *first, uint64_t *units)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_extent_info x = { 0 };
	struct famfs_log_iter it;
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	famfs_log_iter_init(&it, &fs.log);
	while (famfs_log_iter_more(&it)) {
		ck_assert_int_eq(famfs_log_iter_next(&it, e, NULL), 0);
		if (e->type != FAMFS_ENTRY_FILE || strcmp(e->path, path))
			continue;
		ck_assert_uint_eq(e->n_extents, 1);
		famfs_entry_extent(e, 0, &x);
	}
	famfs_fs_close(&fs);
	free(e);
	ck_assert_msg(x.len, "%s: not logged", path);
	*first = x.offset / UNIT;
	*units = x.len / UNIT;
}

static uint64_t unit_of(const char *path)
{
	uint64_t first, units;

	extent_of(path, &first, &units);
	return first;
}

/* ft_put_host() on the image. */
static void put(uint32_t slot, const struct famfs_host_info *h)
{
	struct ft_fs fs;

	ft_open(&fs, img);
	ft_put_host(&fs, slot, h);
	ft_close(&fs);
}

/* ft_pin() on the image. */
static void pin(uint32_t slot, uint64_t released)
{
	struct famfs_host_info h = ft_host(slot, released);

	put(slot, &h);
}

/* Make a slot fail its CRC (a byte of its hostname). */
static void damage(uint32_t slot)
{
	ft_flip(img, FAMFS_HOSTS_OFFSET + slot * FAMFS_HOST_SLOT_SIZE + 100, 1);
}

/* fsck finds nothing wrong; awaiting bytes of deleted space, pinned by these. */
static void fsck_clean(uint64_t awaiting, uint64_t pinning, const char *by)
{
	nproblems = 0;
	ck_assert_int_eq(famfs_fsck(img, &ops, &rep, &err), 0);
	ck_assert_msg(rep.errors == 0, "%u errors: %s", rep.errors, first_msg);
	ck_assert_uint_eq(rep.space_deleted, awaiting);
	ck_assert_uint_eq(rep.hosts_pinning, pinning);
	ck_assert_str_eq(rep.pinned_by, by);
}

/* x and y, one unit each at the first two, then x deleted: its seq. */
static uint64_t deleted_x(void)
{
	create("x", UNIT);
	create("y", UNIT);
	ck_assert_uint_eq(unit_of("x"), FIRST);
	ck_assert_uint_eq(unit_of("y"), FIRST + 1);
	return rm("x");
}

START_TEST(test_reuse_after_release)
{
	uint64_t d = deleted_x(), first, units;

	pin(PINNER, d);		/* has not released the delete at d */
	fsck_clean(UNIT, 1, "pinner (slot 3)");
	create("z", UNIT);
	ck_assert_uint_eq(unit_of("z"), FIRST + 2);
	/* All the rest of the device, and x's unit is still not given. */
	create("fill", (UNITS - 3) * UNIT);
	extent_of("fill", &first, &units);
	ck_assert_uint_eq(first, FIRST + 3);
	ck_assert_uint_eq(units, UNITS - 3);
	ck_assert_int_eq(try_create("more", UNIT), -ENOSPC);
	ck_assert_str_eq(err.msg, "more: device full: 2 MiB needed, 0 MiB free; 2 MiB of deleted files " AWAIT);
	fsck_clean(UNIT, 1, "pinner (slot 3)");
	ck_assert_uint_eq(rep.space_free, 0);
	ck_assert_uint_eq(rep.deleted_files, 1);
	/* The host lets go: the next file gets x's unit. */
	pin(PINNER, d + 1);
	fsck_clean(0, 0, "");
	ck_assert_uint_eq(rep.space_free, UNIT);
	create("w", UNIT);
	ck_assert_uint_eq(unit_of("w"), FIRST);
	fsck_clean(0, 0, "");
	ck_assert_uint_eq(rep.files, 4);	/* y, z, fill, w */
	ck_assert_uint_eq(rep.space_free, 0);
}
END_TEST

/* No live slot at all: a deleted file's units are free at once. */
START_TEST(test_reuse_without_hosts)
{
	deleted_x();
	fsck_clean(0, 0, "");
	ck_assert_uint_eq(rep.space_used, UNIT);
	create("z", UNIT);
	ck_assert_uint_eq(unit_of("z"), FIRST);
	fsck_clean(0, 0, "");
	ck_assert_uint_eq(rep.space_used, 2 * UNIT);
}
END_TEST

/* Unmounted and evicted slots pin nothing, however little they released. */
START_TEST(test_reuse_past_unmounted_and_evicted)
{
	struct famfs_host_info h;
	struct ft_fs fs;

	deleted_x();
	ft_open(&fs, img);
	h = ft_host(2, 0);
	h.state = FAMFS_HOST_UNMOUNTED;
	ft_put_host(&fs, 2, &h);
	h = ft_host(4, 0);
	ft_put_host(&fs, 4, &h);
	ft_evict(&fs, h.system_uuid, h.nonce);
	ft_close(&fs);
	fsck_clean(0, 0, "");
	create("z", UNIT);
	ck_assert_uint_eq(unit_of("z"), FIRST);
	fsck_clean(0, 0, "");
}
END_TEST

/* Two deletes, a host that released the first only. */
START_TEST(test_reuse_in_part)
{
	uint64_t d1, d2;

	create("a", UNIT);
	create("b", UNIT);
	create("c", UNIT);
	d1 = rm("a");
	d2 = rm("b");
	pin(PINNER, d1 + 1);
	pin(PINNER + 1, d2 + 1);
	fsck_clean(UNIT, 1, "pinner (slot 3)");
	create("n1", UNIT);
	create("n2", UNIT);
	ck_assert_uint_eq(unit_of("n1"), FIRST);	/* a's */
	ck_assert_uint_eq(unit_of("n2"), FIRST + 3);	/* not b's */
	fsck_clean(UNIT, 1, "pinner (slot 3)");
}
END_TEST

/*
 * A damaged slot might be a live host's that released nothing: it keeps
 * the space of a file deleted before it was damaged. It judges no reuse
 * made while it read back: z took x's unit when every slot had released.
 */
START_TEST(test_damaged_slot)
{
	uint64_t d = deleted_x();
	struct famfs_host_info h;

	pin(PINNER, d + 1);
	create("z", UNIT);
	ck_assert_uint_eq(unit_of("z"), FIRST);
	/* A host without a follower before it has released y's delete too. */
	h = ft_host(PINNER - 1, rm("y") + 1);
	h.flags = FAMFS_HOST_F_NOFOLLOW;
	put(PINNER - 1, &h);
	damage(PINNER);
	fsck_clean(UNIT, 1, "damaged slot (slot 3)");
	create("w", UNIT);
	ck_assert_uint_eq(unit_of("w"), FIRST + 2);
	fsck_clean(UNIT, 1, "damaged slot (slot 3)");
}
END_TEST

/*
 * z took x's unit, and a live slot says it has not released x's delete (a
 * master that broke the rule): the master refuses to go on, damaged slot
 * or not, and fsck says why.
 */
START_TEST(test_early_reuse_refused)
{
	uint64_t d = deleted_x();
	char want[256];

	create("z", UNIT);
	pin(PINNER, d);
	snprintf(want, sizeof(want), "log seq %llu holds device offset 0x1200000, which the file deleted at seq %llu held and some host has not released; run famfs fsck",
		 (unsigned long long)d + 1, (unsigned long long)d);
	ck_assert_int_eq(try_create("w", UNIT), FAMFS_E_EXT_OVERLAP);
	ck_assert_str_eq(err.msg, want);
	pin(PINNER + 1, d + 1);
	damage(PINNER + 1);
	ck_assert_int_eq(try_create("w", UNIT), FAMFS_E_EXT_OVERLAP);
	ck_assert_str_eq(err.msg, want);
	nproblems = 0;
	ck_assert_int_eq(famfs_fsck(img, &ops, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, 1);
	ck_assert_msg(strstr(first_msg, "file z (seq 5) holds device offset 0x1200000, which file x (seq 2) held until it was deleted at seq 4"),
		      "%s", first_msg);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_reuse_after_release,
		test_reuse_without_hosts,
		test_reuse_past_unmounted_and_evicted,
		test_reuse_in_part,
		test_damaged_slot,
		test_early_reuse_refused,
		NULL,
	};

	return ft_main("reuse", setup, ft_teardown, tests);
}
