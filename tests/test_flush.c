// SPDX-License-Identifier: GPL-2.0
/* Cache maintenance: the method matches the CPU, and data survives it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_test.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned int leaf7_ebx(void)
{
	unsigned int a, b = 0, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return b;
}

START_TEST(test_method_matches_cpuid)
{
	unsigned int ebx = leaf7_ebx();
	enum famfs_flush_method inval = (ebx & (1u << 23)) ?
		FAMFS_FLUSH_CLFLUSHOPT : FAMFS_FLUSH_CLFLUSH;
	enum famfs_flush_method flush = (ebx & (1u << 24)) ?
		FAMFS_FLUSH_CLWB : inval;

	ck_assert_int_eq(famfs_flush_method(), flush);
	ck_assert_int_eq(famfs_invalidate_method(), inval);
	ck_assert_int_ne(famfs_invalidate_method(), FAMFS_FLUSH_CLWB);
}
END_TEST
#else
START_TEST(test_method_matches_cpuid)
{
	ck_assert_int_eq(famfs_flush_method(), FAMFS_FLUSH_BARRIER);
	ck_assert_int_eq(famfs_invalidate_method(), FAMFS_FLUSH_BARRIER);
}
END_TEST
#endif

START_TEST(test_method_names)
{
	ck_assert_str_eq(famfs_flush_method_name(FAMFS_FLUSH_CLWB), "clwb");
	ck_assert_str_eq(famfs_flush_method_name(FAMFS_FLUSH_CLFLUSHOPT), "clflushopt");
	ck_assert_str_eq(famfs_flush_method_name(FAMFS_FLUSH_CLFLUSH), "clflush");
	ck_assert_str_eq(famfs_flush_method_name(FAMFS_FLUSH_BARRIER), "barrier");
}
END_TEST

/* Unaligned start and odd length: every line touched, no byte changed. */
START_TEST(test_data_intact)
{
	size_t len = 3 * 4096 + 17;
	uint8_t *buf = malloc(len + 64);
	uint8_t *copy = malloc(len);
	size_t i;

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(copy);
	for (i = 0; i < len; i++)
		buf[i + 5] = (uint8_t)(i * 31 + 7);
	memcpy(copy, buf + 5, len);
	famfs_flush(buf + 5, len);
	ck_assert_mem_eq(buf + 5, copy, len);
	famfs_invalidate(buf + 5, len);
	ck_assert_mem_eq(buf + 5, copy, len);
	famfs_flush(buf, 0);
	famfs_invalidate(buf, 0);
	ck_assert_mem_eq(buf + 5, copy, len);
	free(buf);
	free(copy);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_method_matches_cpuid,
		test_method_names,
		test_data_intact,
		NULL,
	};

	return ft_main("flush", NULL, NULL, tests);
}
