// SPDX-License-Identifier: GPL-2.0
/* The reproducible stream of creat --random and its verification. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

#define LEN	(3 * 1024 * 1024 + 17)

static uint8_t *stream(uint64_t seed)
{
	uint8_t *p = malloc(LEN);

	ck_assert_ptr_nonnull(p);
	famfs_random_fill(seed, 0, p, LEN);
	return p;
}

static void write_bytes(const char *path, const uint8_t *p, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, len, f), len);
	fclose(f);
}

START_TEST(test_reproducible_at_any_offset)
{
	uint8_t *a = stream(5), *b = stream(5), *c = stream(6), part[100];

	ck_assert(!memcmp(a, b, LEN));
	ck_assert(memcmp(a, c, 4096));
	famfs_random_fill(5, 12345, part, sizeof(part));	/* unaligned */
	ck_assert(!memcmp(part, a + 12345, sizeof(part)));
	famfs_random_fill(5, 3, part, 2);
	ck_assert(!memcmp(part, a + 3, 2));
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_verify)
{
	struct famfs_error err = { 0 };
	const char *path = ft_path("f");
	uint8_t *a = stream(77);
	uint64_t bad = 0;

	write_bytes(path, a, LEN);
	ck_assert_int_eq(famfs_random_verify(path, 77, &bad, &err), 0);
	ck_assert_int_eq(famfs_random_verify(path, 78, &bad, &err), 1);
	ck_assert_uint_eq(bad, 0);
	a[LEN - 5] ^= 0x10;
	write_bytes(path, a, LEN);
	ck_assert_int_eq(famfs_random_verify(path, 77, &bad, &err), 1);
	ck_assert_uint_eq(bad, LEN - 5);
	ck_assert_int_eq(famfs_random_verify(ft_path("none"), 77, &bad, &err),
			 -ENOENT);
	ck_assert_str_eq(strrchr(err.msg, ':'), ": No such file or directory");
	free(a);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_reproducible_at_any_offset,
		test_verify,
		NULL,
	};

	return ft_main("ops_random", ft_setup, ft_teardown, tests);
}
