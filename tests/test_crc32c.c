// SPDX-License-Identifier: GPL-2.0
/* CRC-32C: known vectors, continuation, and agreement between implementations. */
#include "test_format_common.h"
#include "format/crc32c.h"

typedef uint32_t (*crc_fn)(uint32_t crc, const void *buf, size_t len);

struct crc_vector {
	const char *data;
	size_t len;
	uint32_t crc;
};

/* RFC 3720 appendix B.4 and the classic check value. */
static const struct crc_vector vectors[] = {
	{ "", 0, 0x00000000 },
	{ "a", 1, 0xc1d04330 },
	{ "123456789", 9, 0xe3069283 },
	{ "The quick brown fox jumps over the lazy dog", 43, 0x22620404 },
};

static void check_vectors(crc_fn fn)
{
	uint8_t buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		ck_assert_uint_eq(fn(0, vectors[i].data, vectors[i].len),
				  vectors[i].crc);
	memset(buf, 0, sizeof(buf));
	ck_assert_uint_eq(fn(0, buf, sizeof(buf)), 0x8a9136aa);
	memset(buf, 0xff, sizeof(buf));
	ck_assert_uint_eq(fn(0, buf, sizeof(buf)), 0x62a8ab43);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i;
	ck_assert_uint_eq(fn(0, buf, sizeof(buf)), 0x46dd794e);
}

/* Every split point of a buffer gives the CRC of the whole. */
static void check_continuation(crc_fn fn)
{
	static const char msg[] = "The quick brown fox jumps over the lazy dog";
	size_t split, len = sizeof(msg) - 1;

	for (split = 0; split <= len; split++)
		ck_assert_uint_eq(fn(fn(0, msg, split), msg + split, len - split),
				  0x22620404);
}

START_TEST(test_public_vectors)
{
	check_vectors(famfs_crc32c);
	check_continuation(famfs_crc32c);
}
END_TEST

START_TEST(test_portable_vectors)
{
	check_vectors(famfs_crc32c_portable);
	check_continuation(famfs_crc32c_portable);
}
END_TEST

#ifdef FAMFS_CRC32C_HW
START_TEST(test_hw_vectors)
{
	ck_assert(famfs_crc32c_hw_available());
	check_vectors(famfs_crc32c_hw);
	check_continuation(famfs_crc32c_hw);
}
END_TEST

/* Every length and start alignment, so each tail and word path is compared. */
START_TEST(test_hw_matches_portable)
{
	uint8_t buf[1024 + 8];
	size_t i, off, len;

	srand(1);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = rand();
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 1024; len++)
			ck_assert_uint_eq(famfs_crc32c_hw(0x1234567, buf + off, len),
					  famfs_crc32c_portable(0x1234567, buf + off, len));
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("crc32c");
	TCase *tc = tcase_create("crc32c");

	tcase_add_test(tc, test_public_vectors);
	tcase_add_test(tc, test_portable_vectors);
#ifdef FAMFS_CRC32C_HW
	if (famfs_crc32c_hw_available()) {
		tcase_add_test(tc, test_hw_vectors);
		tcase_add_test(tc, test_hw_matches_portable);
	}
#endif
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
