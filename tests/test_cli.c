// SPDX-License-Identifier: GPL-2.0
/* mkfs.famfs and famfs fsck as a user runs them: exit codes and messages. */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"
#include "format_reseal.h"

static char bindir[PATH_MAX];
static char out[16384];

/* The programs are built next to the tests directory. */
static void find_bindir(void)
{
	ssize_t n = readlink("/proc/self/exe", bindir, sizeof(bindir) - 1);
	char *slash;
	int i;

	ck_assert_int_gt(n, 0);
	bindir[n] = '\0';
	for (i = 0; i < 2; i++) {
		slash = strrchr(bindir, '/');
		ck_assert_ptr_nonnull(slash);
		*slash = '\0';
	}
}

static void setup(void)
{
	ft_setup();
	find_bindir();
}

/* Run "BINDIR/<command>" with stdout and stderr in out; returns the exit code. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char args[2048], cmd[PATH_MAX + 2100];
	size_t len = 0, n;
	va_list ap;
	FILE *p;
	int status;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s/%s 2>&1", bindir, args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(out + len, 1, sizeof(out) - 1 - len, p)) > 0)
		len += n;
	out[len] = '\0';
	status = pclose(p);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

#define ck_assert_out(text) ck_assert_msg(strstr(out, text), "output: %s", out)

START_TEST(test_mkfs_then_fsck_clean)
{
	const char *img = ft_path("img");

	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(run("mkfs.famfs %s", img), 0);
	ck_assert_out("log:          2 areas of 8 MiB at offset 0x200000 (one in use, one to compact into)\n");
	ck_assert_out("capacity:     46 MiB in 23 units of 2 MiB");
	ck_assert_out("host table:   1024 slots at offset 0x10000\n");
	ck_assert_out("(this host)");
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("version:       1.4\n");
	ck_assert_out("role:          master");
	ck_assert_out("geometry:      device 67108864 bytes (64 MiB), 2 log areas of 8 MiB at 0x200000; allocation unit 2 MiB\n");
	ck_assert_out("\nlog record:    at 0x8000: copy 0 generation 0, area 0; copy 1 never written\n"
		      "log in use:    generation 0, area 0 at 0x200000\n"
		      "area 1:        no log\n");
	ck_assert_out("files:         0\n");
	ck_assert_out("log entries:   2 used (80 bytes)");
	ck_assert_out("result:        clean");
	ck_assert_msg(!strstr(out, "note:"), "output: %s", out);
}
END_TEST

START_TEST(test_fsck_flipped_bytes)
{
	const char *img = ft_path("img");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_flip(img, 100, 0x01);
	ck_assert_int_eq(run("famfs fsck %s", img), 1);
	ck_assert_out("error: superblock (device offset 0): CRC mismatch");
	ck_assert_out("result:        1 error\n");
	ft_flip(img, 100, 0x01);
	ft_flip(img, FAMFS_LOG_OFFSET + 24, 0x01);
	ck_assert_int_eq(run("famfs fsck %s", img), 1);
	ck_assert_out("error: log header (device offset 0x200000): CRC mismatch");
}
END_TEST

START_TEST(test_mkfs_exit_codes)
{
	const char *img = ft_path("img");
	const char *small = ft_path("small");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(run("mkfs.famfs %s", img), 1);
	ck_assert_out("mkfs.famfs: ");
	ck_assert_out(": already holds a famfs file system (use -f to overwrite)");
	ck_assert_int_eq(run("mkfs.famfs -f -l 16m %s", img), 0);
	ck_assert_out("log:          2 areas of 16 MiB at offset 0x200000");
	ck_assert_int_eq(run("mkfs.famfs -f -l 12M %s", img), 2);
	ck_assert_out("must be a power of two");
	ck_assert_int_eq(run("mkfs.famfs -f -l 0 %s", img), 2);
	ck_assert_out("invalid log length '0'");
	ck_assert_int_eq(run("mkfs.famfs -f -l 8Q %s", img), 2);
	ck_assert_int_eq(run("mkfs.famfs -k %s", img), 2);
	ck_assert_out("-k needs -f");
	ck_assert_int_eq(run("mkfs.famfs -f -k %s", img), 0);
	ck_assert_int_eq(run("famfs fsck %s", img), 1);
	ck_assert_out("bad magic number");
	ft_image(small, 8 * FT_MIB);
	ck_assert_int_eq(run("mkfs.famfs %s", small), 1);
	ck_assert_out("too small (8388608 bytes): needs 20 MiB (superblock 2 MiB + two log areas of 8 MiB + one 2 MiB data unit)");
	ck_assert_int_eq(run("mkfs.famfs %s", ft_dir), 3);
	ck_assert_out("not a famfs-capable device (directory)");
	ck_assert_int_eq(run("mkfs.famfs"), 2);
	ck_assert_int_eq(run("mkfs.famfs -h"), 0);
	ck_assert_out("Exit codes:");
}
END_TEST

/*
 * A logged path holding a newline, a forged result line and an escape
 * sequence, in a file that overlaps another: famfs log, fsck -v and fsck's
 * problem line print it escaped.
 */
START_TEST(test_control_bytes_escaped)
{
	const char *img = ft_path("img");
	struct famfs_extent_info x = ft_extent(FT_DATA_UNIT, 1);
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_open(&fs, img);
	ft_add_file(&fs, "plain", FT_MIB, &x, 1);
	ft_add_file(&fs, "x\nresult:        clean\x1b[2J", FT_MIB, &x, 1);
	ft_close(&fs);
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_out(" x\\x0aresult:        clean\\x1b[2J\n");
	ck_assert_int_eq(run("famfs fsck -v %s", img), 1);
	ck_assert_out("0644 0:0 x\\x0aresult:        clean\\x1b[2J size 1048576");
	ck_assert_out("error: file x\\x0aresult:        clean\\x1b[2J (seq 3,");
	ck_assert_msg(!strstr(out, "\nresult:        clean"), "output: %s", out);
	ck_assert_msg(!strchr(out, '\x1b'), "output: %s", out);
}
END_TEST

/* How famfs log of a fresh file system begins. */
#define FIRST_LINES	"log:    generation 0 in area 0 of 2 (device offset 0x200000)\n" \
			"SEQ     TYPE  MODE"

/*
 * The GENERATION and host table entries, in famfs log and fsck -v; their
 * place in fsck.
 */
START_TEST(test_host_entries_shown)
{
	static const uint8_t host[16] = { [0] = 0xab, [15] = 0xcd };
	struct famfs_error err = { 0 };
	const char *img = ft_path("img");
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, host, 0xfeed, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	ft_close(&fs);
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_msg(!strncmp(out, FIRST_LINES, strlen(FIRST_LINES)), "output: %s", out);
	ck_assert_out("\n0       gen      -     -     -            - - generation 0 in area 0\n");
	ck_assert_out("\n1       hosts    -     -     -            - - 1024 slots at 0x10000\n");
	ck_assert_out("\n2       evict    -     -     -            - - host ab000000-0000-0000-0000-0000000000cd nonce 0x000000000000feed\n");
	ck_assert_int_eq(run("famfs fsck -v %s", img), 0);
	ck_assert_out("  seq 0      at 0x200040   log generation 0 in area 0\n");
	ck_assert_out("  seq 1      at 0x200068   host table 1024 slots at 0x10000\n");
	ck_assert_out("  seq 2      at 0x200090   evict host ab000000-0000-0000-0000-0000000000cd nonce 0x000000000000feed\n");
	ck_assert_out("host table:    1024 slots of 256 bytes at 0x10000\n");
	ck_assert_out("log entries:   3 used (136 bytes)");
}
END_TEST

/* A format 1.1 superblock has no host table, and its log no HOST_TABLE. */
START_TEST(test_host_table_of_older_format)
{
	const char *img = ft_path("img");
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_make_older(img, FAMFS_VERSION_MINOR_HOSTS);
	ft_open(&fs, img);
	test_sb_set_minor((void *)fs.log.sb_buf, FAMFS_VERSION_MINOR_DELETE);
	ft_close(&fs);
	ck_assert_int_eq(run("famfs fsck %s", img), 1);
	ck_assert_out("host table:    none (format 1.1)\n");
	ck_assert_out("error: host table of 1024 slots at 0x10000 (seq 0, entry at device offset 0x200040): the superblock has no host table\n");
}
END_TEST

/* Format 1.2: one log area, no record; famfs log has no line for them. */
START_TEST(test_format_1_2_shown)
{
	const char *img = ft_path("img");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_make_older(img, FAMFS_VERSION_MINOR_HOSTS);
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("version:       1.2\n");
	ck_assert_out("geometry:      device 67108864 bytes (64 MiB), log at 0x200000, 8 MiB; allocation unit 2 MiB\n");
	ck_assert_out("log entries:   1 used (40 bytes)");
	ck_assert_out("space:         0 bytes used, 54 MiB free");
	ck_assert_msg(!strstr(out, "log record:") && !strstr(out, "area 1:"),
		      "output: %s", out);
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_msg(!strncmp(out, "SEQ     TYPE", 12), "output: %s", out);
	ck_assert_out("\n0       hosts    -     -     -            - - 1024 slots at 0x10000\n");
	ck_assert_int_eq(run("famfs hosts -n %s", img), 0);
	ck_assert_out("log: 1 entries; ");
}
END_TEST

/*
 * After a switch to generation 1 in area 1: famfs log, fsck and famfs
 * hosts say so, and fsck tells what area 0 still holds.
 */
START_TEST(test_switched_log_shown)
{
	const char *first = "log:    generation 1 in area 1 of 2 (device offset 0xa00000)\n";
	const char *img = ft_path("img");
	struct famfs_host_info h;
	struct ft_fs fs;
	char row[128];

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_switch_log(img, true);
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_msg(!strncmp(out, first, strlen(first)), "output: %s", out);
	ck_assert_out("\n0       gen      -     -     -            - - generation 1 in area 1\n");
	ck_assert_int_eq(run("famfs fsck -v %s", img), 0);
	ck_assert_out("  seq 0      at 0xa00040   log generation 1 in area 1\n");
	ck_assert_out("log record:    at 0x8000: copy 0 generation 0, area 0; copy 1 generation 1, area 1\n"
		      "log in use:    generation 1, area 1 at 0xa00000\n"
		      "area 0:        generation 0 (previous), 2 entries\n");
	ck_assert_out("result:        clean\n");
	ck_assert_msg(!strstr(out, "note:"), "output: %s", out);
	/* A host that has followed the switch: its slot counts in generation 1. */
	h = ft_host(3, 2);
	h.log_generation = 1;
	ft_open(&fs, img);
	ft_put_host(&fs, 3, &h);
	ft_close(&fs);
	snprintf(row, sizeof(row), " %-20s %5d %9d %9d  \n", "pinner", 1, 2, 2);
	ck_assert_int_eq(run("famfs hosts -n %s", img), 0);
	ck_assert_out(" GEN   APPLIED  RELEASED\n");
	ck_assert_out(row);
	ck_assert_out("log: generation 1 (area 1), 2 entries; ");
	ck_assert_int_eq(run("famfs fsck --yaml %s", img), 0);
	ck_assert_out("\nlog:\n  generation: 1\n  area: 1\n");
	ck_assert_out("\ninactive_area:\n  area: 0\n  log: true\n  entries: 2\n  generation: 0\n  generation_area: 0\n");
}
END_TEST

/*
 * The switch to generation 1 torn by a crash: a note, and the result is
 * clean; area 1 holds the compaction that did not switch.
 */
START_TEST(test_torn_record_is_a_note)
{
	const char *img = ft_path("img");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_switch_log(img, true);
	ft_flip(img, FAMFS_LOGREC_OFFSET + FAMFS_LOGREC_SIZE + 8, 0x01);
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("note: active-log record copy 1 (device offset 0x8040): CRC mismatch; copy 0 (generation 0, area 0) names the log in use, as after a crash while the record was switched\n");
	ck_assert_out("log record:    at 0x8000: copy 0 generation 0, area 0; copy 1 invalid (CRC mismatch)\n"
		      "log in use:    generation 0, area 0 at 0x200000\n"
		      "area 1:        generation 1 (a compaction that did not switch), 2 entries\n");
	ck_assert_out("result:        clean\n");
	ck_assert_int_eq(run("famfs fsck --yaml %s", img), 0);
	ck_assert_out("\nnotes: 1\n");
	ck_assert_out("- copy: 1\n  state: invalid\n  error: CRC mismatch\n");
}
END_TEST

/* No valid copy of the record: an error, and the log is not checked. */
START_TEST(test_no_record_is_an_error)
{
	const char *img = ft_path("img");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_flip(img, FAMFS_LOGREC_OFFSET + 60, 0x01);
	ck_assert_int_eq(run("famfs fsck %s", img), 1);
	ck_assert_out("error: active-log record (device offset 0x8000): no valid copy (copy 0: CRC mismatch; copy 1: never written), so which log area is in use is unknown\n");
	ck_assert_out("result:        1 error\n");
}
END_TEST

/* A path that is not UTF-8 is a YAML binary scalar: base64 of its bytes. */
START_TEST(test_log_yaml_not_utf8)
{
	const char *img = ft_path("img");
	struct ft_fs fs;

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_open(&fs, img);
	ft_add_file(&fs, "\xff\xfeok", 0, NULL, 0);
	ft_close(&fs);
	ck_assert_int_eq(run("famfs log --yaml %s", img), 0);
	ck_assert_out("path: !!binary \"//5vaw==\"\n");
}
END_TEST

/* Printing the log needs no role, so no readable system UUID. */
START_TEST(test_log_without_system_uuid)
{
	const char *img = ft_path("img");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_write_file(ft_path("system_uuid"), "not a UUID\n");
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_out("SEQ     TYPE  MODE");
	ck_assert_int_eq(run("famfs log --yaml %s", img), 0);
}
END_TEST

START_TEST(test_famfs_command_table)
{
	ck_assert_int_eq(run("famfs --help"), 0);
	ck_assert_out("  fsck ");
	ck_assert_int_eq(run("famfs --version"), 0);
	ck_assert_out("on-media format 1.4");
	ck_assert_int_eq(run("famfs"), 2);
	ck_assert_int_eq(run("famfs no-such-command"), 2);
	ck_assert_out("famfs: unknown command 'no-such-command'");
	ck_assert_int_eq(run("famfs fsck --help"), 0);
	ck_assert_out("usage: famfs fsck [-v]");
	ck_assert_int_eq(run("famfs fsck -x x"), 2);
	ck_assert_out("famfs fsck: invalid option -- 'x'");
	ck_assert_int_eq(run("famfs fsck"), 2);
	ck_assert_int_eq(run("famfs fsck /dev/null"), 3);
	ck_assert_out("famfs fsck: /dev/null: not a famfs-capable device");
	ck_assert_int_eq(run("famfs fsck %s", ft_path("missing")), 3);
	ck_assert_out("famfs fsck: ");
	ck_assert_out("/missing: No such file or directory\n");
	ck_assert_int_eq(run("famfs fsck --yaml %s", ft_path("missing")), 3);
	ck_assert_out("/missing: No such file or directory\n");
}
END_TEST

START_TEST(test_mount_famfs_options)
{
	ck_assert_int_eq(run("mount.famfs -o noatime,bogus /dev/null %s", ft_dir), 1);
	ck_assert_out("mount.famfs: unknown option 'bogus'");
	ck_assert_int_eq(run("mount.famfs -o noatime,nofail,x-systemd.after=a,dax=always"), 1);
	ck_assert_out("usage: mount.famfs DEVICE DIR");
}
END_TEST

START_TEST(test_upstream_option_errors)
{
	ck_assert_int_eq(run("famfs creat -r -s 1M %s/f", ft_dir), 2);
	ck_assert_out("famfs creat: -r needs a seed: -S SEED");
	ck_assert_int_eq(run("famfs creat -s 1M -r 7 %s/f", ft_dir), 2);	/* the old -r SEED */
	ck_assert_out("-r needs a seed");
	ck_assert_int_eq(run("famfs creat -M %s/f", ft_dir), 2);
	ck_assert_out("invalid -M '");
	ck_assert_int_eq(run("famfs creat -M f,1M,2,3"), 2);
	ck_assert_out("invalid -M 'f,1M,2,3' (FILE,SIZE[,SEED])");
	ck_assert_int_eq(run("famfs creat -M f,0x1q"), 2);
	ck_assert_int_eq(run("famfs creat -s 0x10z f"), 2);
	ck_assert_out("invalid size '0x10z'");
	ck_assert_int_eq(run("famfs creat -u -1 -s 1M f"), 2);
	ck_assert_out("invalid user or group id '-1' (a number, not negative)");
	ck_assert_int_eq(run("famfs creat -t 300 -s 1M f"), 2);
	ck_assert_out("invalid thread count '300' (1 to 256)");
	ck_assert_int_eq(run("famfs cp -g -2 a b"), 2);
	ck_assert_out("invalid user or group id '-2'");
	ck_assert_int_eq(run("famfs cp -t 0 a b"), 2);
	ck_assert_int_eq(run("famfs mkdir -u -3 d"), 2);
	ck_assert_int_eq(run("famfs mount --fuse a b"), 2);
	ck_assert_out("famfs mount: --fuse: famfs has no FUSE mode here");
	ck_assert_int_eq(run("famfs mount -f a b"), 2);
	ck_assert_int_eq(run("famfs fsck --fuse %s", ft_dir), 2);
	ck_assert_int_eq(run("mkfs.famfs --fuse %s", ft_dir), 2);
	ck_assert_out("mkfs.famfs: --fuse:");
}
END_TEST

START_TEST(test_nofuse_and_human_accepted)
{
	const char *img = ft_path("img");

	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(run("mkfs.famfs --nofuse %s", img), 0);
	ck_assert_int_eq(run("famfs fsck --nofuse --human %s", img), 0);
	ck_assert_out("space:         0 bytes used, 46 MiB free");
	ck_assert_out("result:        clean");
	ck_assert_int_eq(run("famfs fsck -F %s", img), 0);
}
END_TEST

/* A regular file holding len bytes of the stream of seed. */
static const char *stream_file(const char *name, uint64_t seed, size_t len)
{
	const char *path = ft_path(name);
	char *buf = malloc(len);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(f);
	famfs_random_fill(seed, 0, buf, len);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	return path;
}

START_TEST(test_verify_forms)
{
	char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX], d[PATH_MAX];

	snprintf(a, sizeof(a), "%s", stream_file("a", 5, 3 * FT_MIB + 7));
	snprintf(b, sizeof(b), "%s", stream_file("b", 6, 100));
	snprintf(c, sizeof(c), "%s", stream_file("c", 7, 2 * FT_MIB));
	snprintf(d, sizeof(d), "%s", stream_file("d", 8, 4096));
	ck_assert_int_eq(run("famfs verify -S 5 -f %s", a), 0);
	ck_assert_out(": ok\n");
	ck_assert_int_eq(run("famfs verify -S 0x5 %s", a), 0);
	ck_assert_int_eq(run("famfs verify -m %s,5 -m %s,6 -t 2", a, b), 0);
	ck_assert_int_eq(run("famfs verify -q -m %s,5 -m %s,0x6", a, b), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(run("famfs verify -q -m %s,6", a), 1);
	ck_assert_out("differs from the stream of seed 6 at offset 0");
	/* Four files on three threads: every result, in the order given. */
	ck_assert_int_eq(run("famfs verify -t 3 -m %s,5 -m %s,9 -m %s,7 -m %s,8",
			     a, b, c, d), 1);
	ck_assert_msg(strstr(out, "/a: ok\n") && strstr(out, "/c: ok\n") &&
		      strstr(out, "/c: ok\n") < strstr(out, "/d: ok\n") &&
		      !strstr(out, "/b: ok"), "output: %s", out);
	ck_assert_int_eq(run("famfs verify -f %s", a), 2);
	ck_assert_out("the seed (-S) is required");
	ck_assert_int_eq(run("famfs verify -m %s", a), 2);
	ck_assert_out("(FILE,SEED)");
}
END_TEST

START_TEST(test_getmap_quiet_and_mkmeta)
{
	const char *img = ft_path("img");

	ft_mkfs(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(run("famfs getmap -q %s", img), 1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(run("famfs getmap %s", img), 1);
	ck_assert_out("famfs getmap: ");
	ck_assert_int_eq(run("famfs mkmeta %s", img), 1);
	if (!geteuid())
		ck_assert_out("famfs mkmeta: ");
	ck_assert_out(geteuid() ? "must be run as root" : ": not mounted");
	ck_assert_int_eq(run("famfs mkmeta"), 2);
}
END_TEST

/* rm, rmdir and mv: usage errors, help, and a path outside any famfs. */
START_TEST(test_rm_mv_options)
{
	ck_assert_int_eq(run("famfs rm"), 2);
	ck_assert_out("usage: famfs rm [-r] [-f] [-v] PATH...");
	ck_assert_int_eq(run("famfs rm -x f"), 2);
	ck_assert_int_eq(run("famfs rmdir"), 2);
	ck_assert_int_eq(run("famfs rmdir -r d"), 2);
	ck_assert_int_eq(run("famfs mv a"), 2);
	ck_assert_int_eq(run("famfs mv a b c"), 2);
	ck_assert_int_eq(run("famfs mv -f a b"), 2);
	ck_assert_int_eq(run("famfs rm --help"), 0);
	ck_assert_out("-r, -R, --recursive");
	ck_assert_out("Exit codes:");
	ck_assert_int_eq(run("famfs rmdir -h"), 0);
	ck_assert_int_eq(run("famfs mv --help"), 0);
	ck_assert_out("never replaced");
	ck_assert_int_eq(run("famfs rm -rfv %s/x", ft_dir), 1);
	ck_assert_out(geteuid() ? "must be run as root" : "famfs rm: ");
	ck_assert_int_eq(run("famfs mv %s/x %s/y", ft_dir, ft_dir), 1);
}
END_TEST

/* The striping options: counts, chunk sizes, and where they apply. */
START_TEST(test_stripe_option_errors)
{
	static const struct {
		const char *cmd;
		const char *says;	/* NULL: only the exit code */
	} bad[] = {
		{ "famfs creat -s 4M -N 0 f", "famfs creat: invalid strip count '0' (1 to 64)" },
		{ "famfs creat -s 4M --stripe 65 f", "invalid strip count '65'" },
		{ "famfs creat -s 4M --nstrips 4x f", NULL },
		{ "famfs creat -s 4M -N 4 --chunksize 3M f",
		  "invalid chunk size '3M': a multiple of 2 MiB (2M, 4M, ...)" },
		{ "famfs creat -s 4M -B 0 f", "invalid bucket count '0'" },
		{ "famfs cp --chunk 0 a b", "famfs cp: invalid chunk size '0'" },
		{ "famfs cp -C 1q a b", "invalid size '1q'" },
		{ "famfs cp --nbuckets 65 a b", NULL },
		{ "famfs mkdir --stripe=2 d", "famfs mkdir: option '--stripe=2' does not apply" },
		{ "mkfs.famfs -N 1x img", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(run("%s", bad[i].cmd), 2);
		if (bad[i].says)
			ck_assert_out(bad[i].says);
	}
	ck_assert_int_eq(run("famfs creat --help"), 0);
	ck_assert_out("-N, --stripe=N, --nstrips=N");
	ck_assert_int_eq(run("famfs cp --help"), 0);
	ck_assert_out("-C, --chunk=SIZE, --chunksize=SIZE");
}
END_TEST

/* mkfs.famfs --stripe sets the default that fsck shows and new files get. */
START_TEST(test_mkfs_stripe_default)
{
	struct famfs_meta m = { .mode = S_IFREG | 0644, .size = 9 << 20 };
	const char *img = ft_path("img");

	ft_image(img, FT_IMAGE_SIZE);
	ck_assert_int_eq(run("mkfs.famfs --chunk 4M %s", img), 2);
	ck_assert_out("mkfs.famfs: a chunk size needs a stripe of 2 or more strips");
	ck_assert_int_eq(run("mkfs.famfs --stripe 4 --chunk 4M %s", img), 0);
	ck_assert_out("stripe:       4 strips of 4 MiB chunks by default\n");
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("stripe:        new files get 4 strips of 4 MiB chunks by default\n");
	ck_assert_int_eq(run("famfs fsck --yaml %s", img), 0);
	ck_assert_out("stripe_count: 4\n");
	ck_assert_out("chunk_size: 4194304\n");
	ft_create_in(img, "s", &m);	/* striped by the default */
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_out("    9437184 chunk=0x400000:0x");
	ck_assert_int_eq(run("famfs log --yaml %s", img), 0);
	ck_assert_out("nstrips: 4\nchunk_size: 4194304\nextents:\n");
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("result:        clean");
}
END_TEST

/* mkfs.famfs over two images, and what famfs log, device list and fsck say. */
START_TEST(test_members_shown)
{
	char img[512], dir[512], m1[1024];

	snprintf(img, sizeof(img), "%s", ft_path("img"));
	snprintf(dir, sizeof(dir), "%s", ft_path("dev"));
	snprintf(m1, sizeof(m1), "%s/dax1.0", dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ft_image(img, FT_IMAGE_SIZE);
	ft_image(m1, 16 * FT_MIB);
	setenv(FAMFS_DEV_DIR_ENV, dir, 1);
	ck_assert_int_eq(run("mkfs.famfs %s %s %s", img, m1, m1), 2);
	ck_assert_out("the same device named twice");
	ck_assert_int_eq(run("mkfs.famfs %s %s", img, m1), 0);
	ck_assert_out("member 1:     ");
	ck_assert_out("capacity:     60 MiB in 30 units of 2 MiB");
	ck_assert_int_eq(run("famfs log %s", img), 0);
	ck_assert_out("table:  member 1 ");
	ck_assert_int_eq(run("famfs device list %s", img), 0);
	ck_assert_out("16 MiB mkfs  ");
	ck_assert_out(m1);
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("members here:  2 of 2 carry their label on this host\n");
	unsetenv(FAMFS_DEV_DIR_ENV);
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("note: member 1 (");
	ck_assert_out("members here:  1 of 2 carry their label on this host\n");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_mkfs_then_fsck_clean,
		test_fsck_flipped_bytes,
		test_mkfs_exit_codes,
		test_famfs_command_table,
		test_mount_famfs_options,
		test_upstream_option_errors,
		test_nofuse_and_human_accepted,
		test_verify_forms,
		test_getmap_quiet_and_mkmeta,
		test_control_bytes_escaped,
		test_host_entries_shown,
		test_host_table_of_older_format,
		test_format_1_2_shown,
		test_switched_log_shown,
		test_torn_record_is_a_note,
		test_no_record_is_an_error,
		test_log_yaml_not_utf8,
		test_log_without_system_uuid,
		test_rm_mv_options,
		test_stripe_option_errors,
		test_mkfs_stripe_default,
		test_members_shown,
		NULL,
	};

	return ft_main("cli", setup, ft_teardown, tests);
}
