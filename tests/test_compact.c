// SPDX-License-Identifier: GPL-2.0
/*
 * Log compaction, offline on an image: the new log holds exactly the live
 * namespace, generations alternate between the two areas, the master waits
 * for (and names) hosts that lag, and a compaction stopped at any step
 * leaves one complete log active.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"
#include "famfs_test.h"

static struct famfs_error err;
static const char *img;

static void setup(void)
{
	ft_setup();
	img = ft_path("img");
	memset(&err, 0, sizeof(err));
	ft_mkfs(img, FT_IMAGE_SIZE);
}

static void make(const char *path, mode_t type, uint64_t size)
{
	struct famfs_meta m = { .mode = type | 0750, .uid = 7, .gid = 8,
				.size = size };

	ft_create_in(img, path, &m);
}

/* famfs rm -r path, or famfs mv path dst. */
static void change(const char *path, const char *dst)
{
	struct famfs_rm_opts o = { .recursive = true };
	struct famfs_namer n;
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_namer_begin(&n, &fs, &err), 0);
	if (dst)
		ck_assert_msg(!famfs_mv(&n, path, dst, &err), "mv: %s", err.msg);
	else
		ck_assert_msg(!famfs_rm(&n, path, &o, &err), "rm: %s", err.msg);
	ck_assert_int_eq(famfs_namer_commit(&n, &err), 0);
	famfs_namer_end(&n);
	famfs_fs_close(&fs);
}

/*
 * The live namespace as text: one sorted line per directory and file,
 * with its final path, metadata and extents.
 */
struct dump {
	char **lines;
	size_t n;
	struct famfs_offsets offs;
};

static int note(void *arg, const struct famfs_entry *e,
		const struct famfs_path_item *was, uint64_t off,
		struct famfs_error *e2)
{
	(void)was;
	(void)e2;
	return famfs_offsets_note(&((struct dump *)arg)->offs, e->seq, off);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dump_entry(struct dump *d, const struct famfs_entry *e,
		       const char *path)
{
	struct famfs_extent_info x;
	char line[8192];
	size_t used;
	uint32_t i;

	used = snprintf(line, sizeof(line), "%s %u %o %u %u %llu chunk %llx", path,
			e->type, e->meta.mode, e->meta.uid, e->meta.gid,
			(unsigned long long)(e->type == FAMFS_ENTRY_FILE ?
					     e->meta.size : 0),
			(unsigned long long)(e->type == FAMFS_ENTRY_FILE ?
					     e->chunk_size : 0));
	for (i = 0; i < e->n_extents && used < sizeof(line); i++) {
		famfs_entry_extent(e, i, &x);
		used += snprintf(line + used, sizeof(line) - used, " %llx+%llx",
				 (unsigned long long)x.offset,
				 (unsigned long long)x.len);
	}
	d->lines[d->n++] = strdup(line);
}

static char *namespace_text(void)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct dump d = { 0 };
	struct famfs_names names;
	const char **live;
	struct famfs_fs fs;
	size_t len = 1, i;
	char *text;
	uint64_t seq;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	famfs_names_init(&names);
	ck_assert_int_eq(famfs_names_build(&names, &fs.log, note, &d, &err), 0);
	live = famfs_names_live(&names);
	d.lines = calloc(names.nseq + 1, sizeof(*d.lines));
	for (seq = 0; seq < names.nseq; seq++) {
		if (!live[seq])
			continue;
		ck_assert_int_eq(famfs_offsets_decode(&d.offs, &fs.log, seq, e), 0);
		dump_entry(&d, e, live[seq]);
	}
	qsort(d.lines, d.n, sizeof(*d.lines), by_text);
	for (i = 0; i < d.n; i++)
		len += strlen(d.lines[i]) + 1;
	text = calloc(1, len);
	for (i = 0; i < d.n; i++) {
		strcat(text, d.lines[i]);
		strcat(text, "\n");
		free(d.lines[i]);
	}
	free(d.lines);
	free(live);
	famfs_offsets_free(&d.offs);
	famfs_names_free(&names);
	famfs_fs_close(&fs);
	free(e);
	return text;
}

static int try_compact(unsigned int wait_ms, struct famfs_compact_report *rep)
{
	struct famfs_compact_opts o = { .wait_ms = wait_ms };
	struct famfs_fs fs;
	int rc;

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	rc = famfs_compact(&fs, &o, rep, &err);
	famfs_fs_close(&fs);
	return rc;
}

static void compact(struct famfs_compact_report *rep)
{
	int rc = try_compact(0, rep);

	ck_assert_msg(rc == 0, "compact: %s", err.msg);
}

static void fsck_clean(void)
{
	struct famfs_fsck_report rep;

	ck_assert_int_eq(famfs_fsck(img, NULL, &rep, &err), 0);
	ck_assert_msg(rep.errors == 0, "fsck: %u errors", rep.errors);
}

static struct famfs_log_gen active(void)
{
	struct famfs_log_gen g;
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	g = fs.log.gen;
	famfs_fs_close(&fs);
	return g;
}

/* The active log's GENERATION entry. */
static struct famfs_entry first_entry(void)
{
	struct famfs_entry *e = malloc(sizeof(*e)), out;
	struct famfs_log_iter it;
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	famfs_log_iter_init(&it, &fs.log);
	ck_assert_int_eq(famfs_log_iter_next(&it, e, &err), 0);
	ck_assert_uint_eq(e->type, FAMFS_ENTRY_GENERATION);
	famfs_fs_close(&fs);
	out = *e;
	free(e);
	return out;
}

/* A tree with deletes and renames, a directory moved into a newer one. */
static void churn(void)
{
	make("old", S_IFDIR, 0);
	make("a", S_IFDIR, 0);
	make("a/b", S_IFDIR, 0);
	make("a/f1", S_IFREG, 3 << 20);
	make("a/b/f2", S_IFREG, 100);
	make("gone", S_IFREG, 4 << 20);
	make("new", S_IFDIR, 0);
	make("empty", S_IFREG, 0);
	change("gone", NULL);
	change("a/b", "c");
	change("old", "new/old");
	make("new/old/deep", S_IFREG, 5 << 20);
}

START_TEST(test_compact_keeps_namespace)
{
	struct famfs_compact_report rep;
	struct famfs_log_gen g;
	char *before, *after;

	churn();
	before = namespace_text();
	compact(&rep);
	after = namespace_text();
	ck_assert_str_eq(after, before);
	ck_assert_uint_eq(rep.generation, 1);
	ck_assert_uint_eq(rep.area, 1);
	ck_assert_uint_eq(rep.dirs, 4);
	ck_assert_uint_eq(rep.files, 4);
	/* GENERATION, HOST_TABLE, then one entry per directory and file. */
	ck_assert_uint_eq(rep.entries_after, 2 + 4 + 4);
	ck_assert_uint_lt(rep.entries_after, rep.entries_before);
	g = active();
	ck_assert_uint_eq(g.generation, 1);
	ck_assert_uint_eq(g.area, 1);
	ck_assert_uint_eq(first_entry().restated, rep.entries_after);
	fsck_clean();
	free(before);
	free(after);
}
END_TEST

/* A file striped over n strips of 2 MiB chunks. */
static void make_striped(const char *path, uint32_t n, uint64_t size)
{
	struct famfs_meta m = { .mode = S_IFREG | 0640, .size = size };
	struct famfs_creator c;
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_create_begin(&c, &fs, &err), 0);
	c.layout.nstrips = n;
	ck_assert_msg(!famfs_create_file(&c, path, &m, NULL, NULL, &err),
		      "create: %s", err.msg);
	ck_assert_int_eq(famfs_create_commit(&c, &err), 0);
	famfs_create_end(&c);
	famfs_fs_close(&fs);
}

/* Striped files are restated striped: their chunk size and strips. */
START_TEST(test_compact_keeps_stripes)
{
	struct famfs_compact_report rep;
	char *before, *after;

	make("gone", S_IFREG, 2 << 20);
	make_striped("s", 3, 9 << 20);
	change("gone", NULL);
	before = namespace_text();
	ck_assert_ptr_nonnull(strstr(before, "s 1 100640 0 0 9437184 chunk 200000 "));
	compact(&rep);
	after = namespace_text();
	ck_assert_str_eq(after, before);
	ck_assert_uint_eq(rep.files, 1);
	fsck_clean();
	free(before);
	free(after);
}
END_TEST

/* The entry at seq of the active log. */
static void entry_at(uint64_t seq, struct famfs_entry *e)
{
	struct famfs_log_iter it;
	struct famfs_fs fs;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_OFFLINE, &err), 0);
	famfs_log_iter_init(&it, &fs.log);
	while (it.seq <= seq)
		ck_assert_msg(!famfs_log_iter_next(&it, e, &err), "%s", err.msg);
	famfs_fs_close(&fs);
}

/* Members MEMBER entries added stay members: restated after HOST_TABLE. */
START_TEST(test_compact_restates_members)
{
	struct famfs_extent_info x = { .dev_index = 2, .offset = 2 << 20,
				       .len = 2 << 20 };
	struct famfs_member_info m1, m2;
	struct famfs_compact_report rep;
	struct famfs_entry *e = malloc(sizeof(*e));
	struct ft_fs fs;

	m1 = ft_add_member(img, ft_path("m1"), 16 << 20);
	m2 = ft_add_member(img, ft_path("m2"), 16 << 20);
	make("gone", S_IFREG, 1 << 20);
	change("gone", NULL);
	ft_open(&fs, img);
	ft_add_file(&fs, "on2", 2 << 20, &x, 1);
	ft_close(&fs);
	compact(&rep);
	ck_assert_uint_eq(rep.members, 2);
	ck_assert_uint_eq(rep.files, 1);
	/* GENERATION, HOST_TABLE, two MEMBERs, the file. */
	ck_assert_uint_eq(rep.entries_after, 2 + 2 + 1);
	ck_assert_uint_eq(first_entry().restated, rep.entries_after);
	entry_at(2, e);
	ck_assert_uint_eq(e->type, FAMFS_ENTRY_MEMBER);
	ck_assert_uint_eq(e->member.index, 1);
	ck_assert_mem_eq(e->member.uuid, m1.uuid, 16);
	entry_at(3, e);
	ck_assert_uint_eq(e->member.index, 2);
	ck_assert_mem_eq(e->member.uuid, m2.uuid, 16);
	ck_assert_uint_eq(e->member.size, m2.size);
	entry_at(4, e);
	ck_assert_uint_eq(e->type, FAMFS_ENTRY_FILE);
	ft_open(&fs, img);
	ck_assert_uint_eq(fs.log.sb.geo.n_members, 3);
	ft_close(&fs);
	fsck_clean();
	free(e);
}
END_TEST

START_TEST(test_generations_alternate)
{
	struct famfs_compact_report rep;
	char *before, *after;

	churn();
	compact(&rep);
	make("later", S_IFREG, 2 << 20);
	change("a/f1", NULL);
	before = namespace_text();
	compact(&rep);
	ck_assert_uint_eq(rep.generation, 2);
	ck_assert_uint_eq(rep.area, 0);
	after = namespace_text();
	ck_assert_str_eq(after, before);
	fsck_clean();
	/* The log goes on: appends land in the new area. */
	make("after", S_IFREG, 1 << 20);
	change("c", "c2");
	fsck_clean();
	ck_assert_uint_eq(active().generation, 2);
	free(before);
	free(after);
}
END_TEST

/* A live host that has not released everything keeps the log as it is. */
START_TEST(test_waits_for_lagging_host)
{
	struct famfs_compact_report rep;
	struct famfs_host_info h;
	struct ft_fs fs;
	uint64_t next;

	churn();
	ft_open(&fs, img);
	next = fs.log.hdr.next_seq;
	h = ft_host(3, next - 1);
	h.applied_seq = next;
	ft_put_host(&fs, 3, &h);
	ft_close(&fs);
	ck_assert_int_eq(try_compact(50, &rep), -EBUSY);
	ck_assert_msg(strstr(err.msg, "slot 3") && strstr(err.msg, "released"),
		      "%s", err.msg);
	ck_assert_uint_ge(rep.waited_ms, 50);
	ck_assert_uint_eq(active().generation, 0);

	/* Caught up: compaction goes ahead; the slot then lags generation 1. */
	ft_open(&fs, img);
	h.released_seq = next;
	ft_put_host(&fs, 3, &h);
	ft_close(&fs);
	compact(&rep);
	ck_assert_int_eq(try_compact(0, &rep), -EBUSY);
	ck_assert_msg(strstr(err.msg, "generation 0"), "%s", err.msg);
}
END_TEST

/* A torn write of the record leaves the previous generation active, whole. */
START_TEST(test_torn_record_keeps_old_log)
{
	struct famfs_compact_report rep;
	char *before, *after;

	churn();
	before = namespace_text();
	compact(&rep);
	ft_flip(img, FAMFS_LOGREC_OFFSET + FAMFS_LOGREC_SIZE + 9, 0x40);
	ck_assert_uint_eq(active().generation, 0);
	after = namespace_text();
	ck_assert_str_eq(after, before);
	fsck_clean();
	/* The next compaction writes generation 1 again. */
	compact(&rep);
	ck_assert_uint_eq(rep.generation, 1);
	free(before);
	free(after);
}
END_TEST

/* Stop a compaction at step, as a crash would; the generation then active. */
static uint64_t stopped_at(const char *step)
{
	struct famfs_compact_report rep;
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		setenv("FAMFS_TEST_COMPACT_STOP", step, 1);
		try_compact(0, &rep);
		_exit(0);
	}
	usleep(300 * 1000);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	return active().generation;
}

START_TEST(test_stopped_at_any_step)
{
	static const struct { const char *step; uint64_t gen; } steps[] = {
		{ "entries", 0 }, { "area", 0 }, { "record", 1 },
	};
	char *before, *after;
	size_t i;

	churn();
	before = namespace_text();
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ck_assert_uint_eq(stopped_at(steps[i].step), steps[i].gen);
		after = namespace_text();
		ck_assert_str_eq(after, before);
		free(after);
		fsck_clean();
	}
	free(before);
}
END_TEST

/* Create count empty files in dir, in one session. */
static void make_many(const char *dir, unsigned int count)
{
	struct famfs_meta m = { .mode = S_IFREG | 0644 };
	struct famfs_meta d = { .mode = S_IFDIR | 0755 };
	struct famfs_creator cr;
	struct famfs_fs fs;
	char path[64];
	unsigned int i;

	ck_assert_int_eq(famfs_fs_open(&fs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_create_begin(&cr, &fs, &err), 0);
	ck_assert_msg(!famfs_create_dir(&cr, dir, &d, &err), "%s", err.msg);
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/file-%06u", dir, i);
		ck_assert_msg(!famfs_create_file(&cr, path, &m, NULL, NULL, &err),
			      "%s", err.msg);
	}
	ck_assert_int_eq(famfs_create_commit(&cr, &err), 0);
	famfs_create_end(&cr);
	famfs_fs_close(&fs);
}

/* Appends that do not fit compact the log, creates and deletes alike. */
START_TEST(test_full_log_compacts_itself)
{
	char *before, *after;
	unsigned int round;

	make("keep", S_IFREG, 6 << 20);
	make("kept", S_IFDIR, 0);
	before = namespace_text();
	for (round = 0; round < 40 && active().generation < 3; round++) {
		make_many("churn", 10000);
		change("churn", NULL);
	}
	ck_assert_uint_ge(active().generation, 3);
	after = namespace_text();
	ck_assert_str_eq(after, before);
	fsck_clean();
	free(before);
	free(after);
}
END_TEST

/* One log area (format 1.2): nothing to compact into. */
START_TEST(test_one_area_refused)
{
	struct famfs_compact_report rep;
	struct famfs_superblock sb;
	FILE *f = fopen(img, "r+b");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(&sb, sizeof(sb), 1, f), 1);
	sb.version_minor = htole16(2);
	sb.log_areas = 0;
	sb.logrec_offset = 0;
	sb.members_offset = 0;
	sb.crc = htole32(famfs_crc32c(0, &sb, offsetof(struct famfs_superblock, crc)));
	rewind(f);
	ck_assert_uint_eq(fwrite(&sb, sizeof(sb), 1, f), 1);
	fclose(f);
	ck_assert_int_eq(try_compact(0, &rep), -EOPNOTSUPP);
	ck_assert_msg(strstr(err.msg, "one log area"), "%s", err.msg);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_compact_keeps_namespace,
		test_compact_keeps_stripes,
		test_compact_restates_members,
		test_generations_alternate,
		test_waits_for_lagging_host,
		test_torn_record_keeps_old_log,
		test_stopped_at_any_step,
		test_full_log_compacts_itself,
		test_one_area_refused,
		NULL,
	};

	return ft_main("compact", setup, ft_teardown, tests);
}
