// SPDX-License-Identifier: GPL-2.0
/* mount.famfs -o: options to mount(2) flags, famfs's own and famfs.ko's. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

static struct famfs_mount_args args;
static struct famfs_error err;

/* Parse opts into fresh args; returns the library's code. */
static int parse(const char *opts)
{
	famfs_mount_args_free(&args);
	memset(&args, 0, sizeof(args));
	memset(&err, 0, sizeof(err));
	return famfs_mount_options(opts, &args, &err);
}

static void teardown(void)
{
	famfs_mount_args_free(&args);
}

START_TEST(test_vfs_options_become_flags)
{
	ck_assert_int_eq(parse("noatime,nosuid,nodev,noexec"), 0);
	ck_assert_uint_eq(args.flags, MS_NOATIME | MS_NOSUID | MS_NODEV | MS_NOEXEC);
	ck_assert_ptr_null(args.data);
	ck_assert_int_eq(parse("relatime,strictatime,sync,dirsync,nodiratime,lazytime,silent"), 0);
	ck_assert_uint_eq(args.flags, MS_RELATIME | MS_STRICTATIME | MS_SYNCHRONOUS |
			  MS_DIRSYNC | MS_NODIRATIME | MS_LAZYTIME | MS_SILENT);
}
END_TEST

START_TEST(test_later_option_wins)
{
	ck_assert_int_eq(parse("noatime,atime,nosuid,suid,nodev,dev,noexec,exec,sync,async"), 0);
	ck_assert_uint_eq(args.flags, 0);
	ck_assert_int_eq(parse("exec,noexec"), 0);
	ck_assert_uint_eq(args.flags, MS_NOEXEC);
}
END_TEST

START_TEST(test_userspace_options_dropped)
{
	ck_assert_int_eq(parse("defaults,rw,auto,noauto,user,nouser,users,owner,group,"
			       "nofail,_netdev,x-systemd.requires=modprobe@famfs.service,"
			       "x-systemd.device-timeout=10s,comment=systemd.automount"), 0);
	ck_assert_uint_eq(args.flags, 0);
	ck_assert_ptr_null(args.data);
	ck_assert(!args.writable);
	ck_assert(!args.no_follow);
}
END_TEST

START_TEST(test_famfs_options)
{
	ck_assert_int_eq(parse("writable,nofollow"), 0);
	ck_assert(args.writable);
	ck_assert(args.no_follow);
	ck_assert_int_eq(parse("writable,ro,nofollow,follow"), 0);
	ck_assert(!args.writable);
	ck_assert(!args.no_follow);
	ck_assert_uint_eq(args.flags, 0);	/* ro is not MS_RDONLY: see docs/cli.md */
}
END_TEST

START_TEST(test_kernel_options_in_data)
{
	ck_assert_int_eq(parse("noatime,dax=always,nofail"), 0);
	ck_assert_str_eq(args.data, "dax=always");
	ck_assert_uint_eq(args.flags, MS_NOATIME);
	/* A second -o adds to the first. */
	ck_assert_int_eq(famfs_mount_options("dax=always,nodev", &args, &err), 0);
	ck_assert_str_eq(args.data, "dax=always,dax=always");
	ck_assert_uint_eq(args.flags, MS_NOATIME | MS_NODEV);
}
END_TEST

START_TEST(test_unknown_options_refused)
{
	ck_assert_int_eq(parse("noatime,bogus"), -EINVAL);
	ck_assert_str_eq(err.msg, "unknown option 'bogus'");
	ck_assert_int_eq(parse("dax=never"), -EINVAL);
	ck_assert_str_eq(err.msg, "unknown option 'dax=never'");
	ck_assert_int_eq(parse("remount"), -EINVAL);
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(parse(",,noexec,"), 0);
	ck_assert_uint_eq(args.flags, MS_NOEXEC);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_vfs_options_become_flags,
		test_later_option_wins,
		test_userspace_options_dropped,
		test_famfs_options,
		test_kernel_options_in_data,
		test_unknown_options_refused,
		NULL,
	};

	return ft_main("mntopts", NULL, teardown, tests);
}
