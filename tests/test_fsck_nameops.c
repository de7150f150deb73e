// SPDX-License-Identifier: GPL-2.0
/* fsck of logs that delete and rename: the namespace rules and the space. */
#include <check.h>
#include <string.h>
#include <sys/stat.h>

#include "famfs_test.h"

#define UNIT	FAMFS_ALLOC_UNIT
#define F	FAMFS_ENTRY_FILE
#define D	FAMFS_ENTRY_MKDIR
#define DEL	FAMFS_ENTRY_DELETE
#define REN	FAMFS_ENTRY_RENAME

/* One logged operation: a file of one unit at unit (0: empty), a dir, ... */
struct op {
	int type;
	const char *path;
	const char *dst;	/* RENAME */
	uint64_t unit;		/* FILE */
};

#define FL(p, u)	{ F, p, NULL, u }
#define DR(p)		{ D, p, NULL, 0 }
#define RM(p)		{ DEL, p, NULL, 0 }
#define MV(s, d)	{ REN, s, d, 0 }
#define END		{ 0, NULL, NULL, 0 }
/* Data units, from the first. */
#define U0		FT_DATA_UNIT
#define U1		(FT_DATA_UNIT + 1)
#define U2		(FT_DATA_UNIT + 2)
#define U3		(FT_DATA_UNIT + 3)

static struct famfs_fsck_report rep;
static struct famfs_error err;
static const char *img;

static void setup(void)
{
	img = ft_setup_fs();
}

static void log_op(struct famfs_log *log, const struct op *o)
{
	struct famfs_meta dm = { .mode = S_IFDIR | 0755 };
	struct famfs_meta fm = { .mode = S_IFREG | 0644 };
	struct famfs_extent_info x = ft_extent(o->unit, 1);
	int rc;

	fm.size = o->unit ? UNIT : 0;
	if (o->type == D)
		rc = famfs_log_add_mkdir(log, o->path, &dm, &err);
	else if (o->type == F)
		rc = famfs_log_add_file(log, o->path, &fm, &x, o->unit ? 1 : 0, &err);
	else if (o->type == DEL)
		rc = famfs_log_add_delete(log, o->path, &err);
	else
		rc = famfs_log_add_rename(log, o->path, o->dst, &err);
	ck_assert_msg(!rc, "%s", err.msg);
}

/* No live host: every delete is released. */
#define NO_PIN	UINT64_MAX

/*
 * Log ops (up to a zero type), then check the image; with a pin, a live
 * host that has released the deletes below it.
 */
static void play_pinned(const struct op *ops_list, uint64_t pin)
{
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_seen_reset();
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	for (; ops_list->type; ops_list++)
		log_op(&fs.log, ops_list);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	if (pin != NO_PIN)
		ft_pin(&fs, 3, pin);
	ft_close(&fs);
	ck_assert_int_eq(famfs_fsck(img, &ft_fsck_ops, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, ft_seen.problems);
}

/* Pinned at 0: a live host that released nothing. */
static void play(const struct op *ops_list)
{
	play_pinned(ops_list, 0);
}

static const struct {
	struct op ops[5];
	int code;
	const char *problem;
} bad[] = {
	{ { RM("nothing") }, FAMFS_E_PATH_MISSING,
	  "delete of nothing (seq 2, entry at device offset 0x200090): does not exist at that point of the log" },
	{ { DR("d"), FL("d/f", 0), RM("d") }, FAMFS_E_DIR_NOT_EMPTY,
	  "delete of d (seq 4, entry at device offset 0x200100): the directory (seq 2) holds 1 entries" },
	{ { FL("a", 0), FL("b", 0), MV("a", "b") }, FAMFS_E_PATH_EXISTS,
	  "rename of a to b (seq 4, entry at device offset 0x200110): its destination exists (file, seq 3)" },
	{ { FL("a", 0), MV("a", "a") }, FAMFS_E_PATH_EXISTS,
	  "its destination exists (file, seq 2)" },
	{ { DR("d"), DR("d/e"), MV("d", "d/e/d") }, FAMFS_E_RENAME_LOOP,
	  "rename of d to d/e/d (seq 4, entry at device offset 0x2000f0): moves a directory into itself" },
	{ { FL("a", 0), MV("a", ".meta/a") }, FAMFS_E_PATH_RESERVED,
	  "in .meta, where only the metadata files live" },
	{ { MV("a", "b") }, FAMFS_E_PATH_MISSING,
	  "rename of a to b (seq 2, entry at device offset 0x200090): does not exist at that point of the log" },
	{ { FL("a", 0), MV("a", "x/a") }, FAMFS_E_PATH_PARENT,
	  "its parent directory x does not exist at that point of the log" },
	{ { FL("a", 0), FL("f", 0), MV("a", "f/a") }, FAMFS_E_PATH_PARENT,
	  "its parent f is a file (seq 3)" },
	/* The children moved with their directory: d/f is gone. */
	{ { DR("d"), FL("d/f", 0), MV("d", "e"), RM("d/f") },
	  FAMFS_E_PATH_MISSING, "delete of d/f (seq 5" },
	/* A file deleted, then its units given to another before release. */
	{ { FL("a", U0), RM("a"), FL("b", U0) },
	  FAMFS_E_EXT_OVERLAP, "file b (seq 4) holds device offset 0x1200000, which file a (seq 2) held until it was deleted at seq 3" },
};

START_TEST(test_rules)
{
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		play(bad[i].ops);
		ck_assert_msg(rep.errors == 1, "case %zu: %u errors", i, rep.errors);
		ck_assert_int_eq(ft_seen.first_code, bad[i].code);
		ck_assert_msg(strstr(ft_seen.first, bad[i].problem), "case %zu: %s", i,
			      ft_seen.first);
	}
}
END_TEST

/* Paths come back after a delete or a rename; moved trees keep their children. */
START_TEST(test_clean)
{
	static const struct op ops_list[] = {
		DR("d"), FL("d/f", U0), DR("d/s"), FL("d/s/g", U1),
		MV("d", "e"), DR("d"), FL("d/f", U2),
		RM("e/s/g"), RM("e/s"), MV("e/f", "d/s"),
		RM("e"), FL("e", U3), MV("d", "x"),
		FL("x/new", 0), END,
	};

	play(ops_list);
	ck_assert_msg(rep.errors == 0, "%s", ft_seen.first);
	ck_assert_uint_eq(rep.entries, FT_MKFS_ENTRIES + 14);
	ck_assert_uint_eq(rep.files, 4);	/* x/f, x/s, e, x/new */
	ck_assert_uint_eq(rep.dirs, 1);		/* x */
	ck_assert_uint_eq(rep.deleted_files, 1);	/* e/s/g */
}
END_TEST

static const struct op two_deleted[] = {
	FL("a", U0), FL("b", U1), FL("c", U2),
	RM("a"), RM("c"), FL("a", U3), END,
};

/* A live host that released nothing: deleted units stay used, apart. */
START_TEST(test_awaiting_release)
{
	play(two_deleted);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.files, 2);
	ck_assert_uint_eq(rep.deleted_files, 2);
	ck_assert_uint_eq(rep.space_used, 4 * UNIT);
	ck_assert_uint_eq(rep.space_deleted, 2 * UNIT);
	ck_assert_uint_eq(rep.space_free, (FT_DATA_UNITS - 4) * UNIT);
	ck_assert_uint_eq(rep.hosts_pinning, 1);
	ck_assert_str_eq(rep.pinned_by, "pinner (slot 3)");
}
END_TEST

/* A host that released the first delete (seq 5) but not the second. */
START_TEST(test_released_in_part)
{
	play_pinned(two_deleted, FT_MKFS_ENTRIES + 4);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.space_used, 3 * UNIT);
	ck_assert_uint_eq(rep.space_deleted, 1 * UNIT);
	ck_assert_uint_eq(rep.hosts_pinning, 1);
}
END_TEST

/* No live host: deleted space is free, and reusing it is no overlap. */
START_TEST(test_released)
{
	static const struct op reused[] = {
		FL("a", U0), RM("a"), FL("b", U0), END,
	};

	play_pinned(two_deleted, NO_PIN);
	ck_assert_uint_eq(rep.errors, 0);
	ck_assert_uint_eq(rep.space_used, 2 * UNIT);
	ck_assert_uint_eq(rep.space_deleted, 0);
	ck_assert_uint_eq(rep.hosts_pinning, 0);
	play_pinned(reused, NO_PIN);
	ck_assert_msg(rep.errors == 0, "%s", ft_seen.first);
	ck_assert_uint_eq(rep.space_used, UNIT);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_rules,
		test_clean,
		test_released_in_part,
		test_released,
		test_awaiting_release,
		NULL,
	};

	return ft_main("fsck_nameops", setup, ft_teardown, tests);
}
