// SPDX-License-Identifier: GPL-2.0
/* mkfs.famfs and famfs fsck as a user runs them: exit codes and messages. */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "famfs_test.h"

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
	ck_assert_out("capacity:     54 MiB in 27 units of 2 MiB");
	ck_assert_out("(this host)");
	ck_assert_int_eq(run("famfs fsck %s", img), 0);
	ck_assert_out("role:          master");
	ck_assert_out("files:         0\n");
	ck_assert_out("log entries:   0 used (0 bytes)");
	ck_assert_out("result:        clean");
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
	ck_assert_out("log:          16 MiB at offset 0x200000");
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
	ck_assert_out("too small");
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
	struct famfs_extent_info x = ft_extent(5, 1);
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
	ck_assert_out("error: file x\\x0aresult:        clean\\x1b[2J (seq 1,");
	ck_assert_msg(!strstr(out, "\nresult:        clean"), "output: %s", out);
	ck_assert_msg(!strchr(out, '\x1b'), "output: %s", out);
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
	ck_assert_out("SEQ     TYPE MODE");
	ck_assert_int_eq(run("famfs log --yaml %s", img), 0);
}
END_TEST

START_TEST(test_famfs_command_table)
{
	ck_assert_int_eq(run("famfs --help"), 0);
	ck_assert_out("  fsck ");
	ck_assert_int_eq(run("famfs --version"), 0);
	ck_assert_out("on-media format 1.0");
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

int main(void)
{
	const TTest *const tests[] = {
		test_mkfs_then_fsck_clean,
		test_fsck_flipped_bytes,
		test_mkfs_exit_codes,
		test_famfs_command_table,
		test_control_bytes_escaped,
		test_log_yaml_not_utf8,
		test_log_without_system_uuid,
		NULL,
	};

	return ft_main("cli", setup, ft_teardown, tests);
}
