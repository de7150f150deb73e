// SPDX-License-Identifier: GPL-2.0
/*
 * Host slots, EVICT and HOST_TABLE entries (format 1.2) and the GENERATION
 * entry (1.3): round trips and every rejection.
 */
#include "test_format_common.h"

#define SEQ		5
#define HDR		sizeof(struct famfs_entry_header)
#define HDR_OFF(f)	offsetof(struct famfs_entry_header, f)
#define SLOT_OFF(f)	offsetof(struct famfs_host_slot, f)
#define EP_OFF(f)	(HDR + offsetof(struct famfs_evict_payload, f))
#define HP_OFF(f)	(HDR + offsetof(struct famfs_host_table_payload, f))
#define GP_OFF(f)	(HDR + offsetof(struct famfs_generation_payload, f))
#define EVICT_LEN	56
#define HOST_TABLE_LEN	40
#define GENERATION_LEN	40

static uint8_t buf[512] __attribute__((aligned(8)));
static struct famfs_host_info host;
static struct famfs_entry e;

static void setup(void)
{
	int i;

	memset(buf, 0, sizeof(buf));
	memset(&host, 0, sizeof(host));
	host.state = FAMFS_HOST_MOUNTED;
	host.flags = FAMFS_HOST_F_NOFOLLOW;
	for (i = 0; i < 16; i++)
		host.system_uuid[i] = 0x40 + i;
	host.nonce = 0x0123456789abcdefULL;
	host.heartbeat = 77;
	host.heartbeat_ns = 1764000000123456789ULL;
	host.mount_ns = 1764000000000000000ULL;
	host.applied_seq = 1000;
	host.released_seq = 990;
	host.poll_ms = 250;
	host.pid = 4242;
	strcpy(host.hostname, "node-a.example");
}

static void encode_slot(void)
{
	ck_assert_int_eq(famfs_host_slot_encode(&host, buf), FAMFS_OK);
}

static int decode_slot(void)
{
	struct famfs_host_info out;

	return famfs_host_slot_decode(buf, FAMFS_HOST_SLOT_SIZE, &out);
}

static int resealed_slot(void)
{
	test_fixed_reseal(buf, FAMFS_HOST_SLOT_SIZE);
	return decode_slot();
}

START_TEST(test_slot_round_trip)
{
	struct famfs_host_info out;

	encode_slot();
	ck_assert_mem_eq(buf, "FAMFSHST", 8);
	memset(&out, 0xa5, sizeof(out));
	ck_assert_int_eq(famfs_host_slot_decode(buf, FAMFS_HOST_SLOT_SIZE, &out),
			 FAMFS_OK);
	ck_assert_uint_eq(out.state, host.state);
	ck_assert_uint_eq(out.flags, host.flags);
	ck_assert_mem_eq(out.system_uuid, host.system_uuid, 16);
	ck_assert_uint_eq(out.nonce, host.nonce);
	ck_assert_uint_eq(out.heartbeat, host.heartbeat);
	ck_assert_uint_eq(out.heartbeat_ns, host.heartbeat_ns);
	ck_assert_uint_eq(out.mount_ns, host.mount_ns);
	ck_assert_uint_eq(out.applied_seq, host.applied_seq);
	ck_assert_uint_eq(out.released_seq, host.released_seq);
	ck_assert_uint_eq(out.log_generation, 0);
	ck_assert_uint_eq(out.poll_ms, host.poll_ms);
	ck_assert_uint_eq(out.pid, host.pid);
	ck_assert_str_eq(out.hostname, host.hostname);
	ck_assert_uint_eq(buf[SLOT_OFF(hostname) + strlen(host.hostname)], 0);
}
END_TEST

/* A hostname of 64 bytes fills the field: no NUL on media. */
START_TEST(test_slot_longest_hostname)
{
	struct famfs_host_info out;

	memset(host.hostname, 'h', FAMFS_HOSTNAME_LEN);
	host.hostname[FAMFS_HOSTNAME_LEN] = '\0';
	encode_slot();
	ck_assert_uint_eq(buf[SLOT_OFF(hostname) + FAMFS_HOSTNAME_LEN - 1], 'h');
	ck_assert_int_eq(famfs_host_slot_decode(buf, FAMFS_HOST_SLOT_SIZE, &out),
			 FAMFS_OK);
	ck_assert_uint_eq(strlen(out.hostname), FAMFS_HOSTNAME_LEN);
	host.hostname[0] = '\0';
	encode_slot();
	ck_assert_int_eq(famfs_host_slot_decode(buf, FAMFS_HOST_SLOT_SIZE, &out),
			 FAMFS_OK);
	ck_assert_str_eq(out.hostname, "");
}
END_TEST

static void check_slot_encode_refuses(int want)
{
	uint8_t untouched[FAMFS_HOST_SLOT_SIZE];

	memset(buf, 0x5a, FAMFS_HOST_SLOT_SIZE);
	memcpy(untouched, buf, sizeof(untouched));
	ck_assert_int_eq(famfs_host_slot_encode(&host, buf), want);
	ck_assert_mem_eq(buf, untouched, sizeof(untouched));
}

START_TEST(test_slot_encode_rejects)
{
	host.state = FAMFS_HOST_UNMOUNTED + 1;
	check_slot_encode_refuses(FAMFS_E_FLAGS);
	setup();
	host.flags = FAMFS_HOST_F_ALL << 1;
	check_slot_encode_refuses(FAMFS_E_FLAGS);
	setup();
	host.released_seq = host.applied_seq + 1;
	check_slot_encode_refuses(FAMFS_E_SEQ);
	setup();
	memset(host.hostname, 'h', sizeof(host.hostname));
	check_slot_encode_refuses(FAMFS_E_LEN);
}
END_TEST

/* Never written, or torn before its magic landed: a free slot. */
START_TEST(test_slot_decode_free)
{
	struct famfs_host_info out;

	ck_assert_int_eq(decode_slot(), FAMFS_E_MAGIC);
	encode_slot();
	buf[0] ^= 1;
	ck_assert_int_eq(decode_slot(), FAMFS_E_MAGIC);
	ck_assert_int_eq(famfs_host_slot_decode(buf, FAMFS_HOST_SLOT_SIZE - 1, &out),
			 FAMFS_E_SHORT);
}
END_TEST

START_TEST(test_slot_decode_crc)
{
	encode_slot();
	buf[SLOT_OFF(heartbeat)] ^= 0x10;
	ck_assert_int_eq(decode_slot(), FAMFS_E_CRC);
	encode_slot();
	buf[SLOT_OFF(crc) + 3] ^= 0x80;
	ck_assert_int_eq(decode_slot(), FAMFS_E_CRC);
}
END_TEST

START_TEST(test_slot_decode_fields)
{
	encode_slot();
	test_put32(buf + SLOT_OFF(state), FAMFS_HOST_UNMOUNTED + 1);
	ck_assert_int_eq(resealed_slot(), FAMFS_E_FLAGS);
	encode_slot();
	test_put32(buf + SLOT_OFF(flags), 0x80000000);
	ck_assert_int_eq(resealed_slot(), FAMFS_E_FLAGS);
	encode_slot();
	buf[SLOT_OFF(reserved)] = 1;
	ck_assert_int_eq(resealed_slot(), FAMFS_E_FLAGS);
	encode_slot();
	buf[SLOT_OFF(crc) - 1] = 1;	/* the last reserved byte */
	ck_assert_int_eq(resealed_slot(), FAMFS_E_FLAGS);
	encode_slot();
	test_put64(buf + SLOT_OFF(released_seq), host.applied_seq + 1);
	ck_assert_int_eq(resealed_slot(), FAMFS_E_SEQ);
}
END_TEST

/* Bytes after the hostname's NUL are zero: one encoding per name. */
START_TEST(test_slot_decode_hostname)
{
	encode_slot();
	buf[SLOT_OFF(hostname) + FAMFS_HOSTNAME_LEN - 1] = 'x';
	ck_assert_int_eq(resealed_slot(), FAMFS_E_LEN);
	encode_slot();
	buf[SLOT_OFF(hostname) + 4] = '\0';	/* "node" NUL "a.example" */
	ck_assert_int_eq(resealed_slot(), FAMFS_E_LEN);
}
END_TEST

static void encode_evict(void)
{
	size_t len = 0;

	ck_assert_int_eq(famfs_evict_entry_encode(buf, sizeof(buf), SEQ,
						  host.system_uuid, host.nonce,
						  &len), FAMFS_OK);
	ck_assert_uint_eq(len, EVICT_LEN);
}

static void encode_host_table(void)
{
	size_t len = 0;

	ck_assert_int_eq(famfs_host_table_entry_encode(buf, sizeof(buf), SEQ,
						       FAMFS_HOSTS_OFFSET,
						       FAMFS_HOSTS_COUNT, &len),
			 FAMFS_OK);
	ck_assert_uint_eq(len, HOST_TABLE_LEN);
}

static int decode(void)
{
	struct famfs_geometry geo = test_geometry();

	return famfs_entry_decode(buf, test_entry_len(buf), SEQ, &geo, &e);
}

static int resealed_decode(void)
{
	test_entry_reseal(buf);
	return decode();
}

START_TEST(test_sizes)
{
	ck_assert_uint_eq(famfs_evict_entry_size(), EVICT_LEN);
	ck_assert_uint_eq(famfs_host_table_entry_size(), HOST_TABLE_LEN);
}
END_TEST

START_TEST(test_evict_round_trip)
{
	encode_evict();
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_EVICT);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.len, EVICT_LEN);
	ck_assert_uint_eq(e.flags, 0);
	ck_assert_mem_eq(e.uuid, host.system_uuid, 16);
	ck_assert_uint_eq(e.nonce, host.nonce);
	ck_assert_uint_eq(e.hosts_offset, 0);
	ck_assert_uint_eq(e.path_len, 0);
	ck_assert_str_eq(e.path, "");
	ck_assert_uint_eq(e.n_extents, 0);
}
END_TEST

START_TEST(test_host_table_round_trip)
{
	encode_host_table();
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_HOST_TABLE);
	ck_assert_uint_eq(e.len, HOST_TABLE_LEN);
	ck_assert_uint_eq(e.hosts_offset, FAMFS_HOSTS_OFFSET);
	ck_assert_uint_eq(e.hosts_count, FAMFS_HOSTS_COUNT);
	ck_assert_uint_eq(e.nonce, 0);
	ck_assert_str_eq(e.path, "");
	ck_assert_uint_eq(le32toh(((struct famfs_host_table_payload *)
				   (buf + HDR))->slot_size),
			  FAMFS_HOST_SLOT_SIZE);
}
END_TEST

/* The encoders refused: len as the test set it (77), buf still zero. */
static void expect_nothing_written(size_t len)
{
	size_t i;

	ck_assert_uint_eq(len, 77);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0);
}

START_TEST(test_encode_rejects)
{
	size_t len = 77;

	ck_assert_int_eq(famfs_evict_entry_encode(buf, EVICT_LEN - 1, SEQ,
						  host.system_uuid, 1, &len),
			 FAMFS_E_LOG_FULL);
	ck_assert_int_eq(famfs_host_table_entry_encode(buf, HOST_TABLE_LEN - 1, SEQ,
						       FAMFS_HOSTS_OFFSET, 1, &len),
			 FAMFS_E_LOG_FULL);
	ck_assert_int_eq(famfs_host_table_entry_encode(buf, sizeof(buf), SEQ, 0,
						       1, &len), FAMFS_E_GEOMETRY);
	ck_assert_int_eq(famfs_host_table_entry_encode(buf, sizeof(buf), SEQ,
						       FAMFS_HOSTS_OFFSET, 0, &len),
			 FAMFS_E_GEOMETRY);
	ck_assert_int_eq(famfs_host_table_entry_encode(buf, sizeof(buf), SEQ,
						       FAMFS_SB_AREA - 256, 2, &len),
			 FAMFS_E_GEOMETRY);
	expect_nothing_written(len);
}
END_TEST

START_TEST(test_decode_len)
{
	encode_evict();
	test_put32(buf + HDR_OFF(len), EVICT_LEN + 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_evict();
	test_put32(buf + HDR_OFF(len), EVICT_LEN - 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_host_table();
	test_put32(buf + HDR_OFF(len), HDR);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_host_table();
	test_put32(buf + HDR_OFF(len), HOST_TABLE_LEN + 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
}
END_TEST

START_TEST(test_decode_evict_reserved)
{
	encode_evict();
	buf[EP_OFF(reserved) + 7] = 1;
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
	encode_evict();
	test_put16(buf + HDR_OFF(flags), FAMFS_ENTRY_F_SKIPPABLE << 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
}
END_TEST

/* The payload's table obeys the superblock's rules, slot size included. */
START_TEST(test_decode_host_table_geometry)
{
	encode_host_table();
	test_put32(buf + HP_OFF(slot_size), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_host_table();
	test_put32(buf + HP_OFF(slot_size), 512);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_host_table();
	test_put64(buf + HP_OFF(offset), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_host_table();
	test_put64(buf + HP_OFF(offset), FAMFS_HOSTS_OFFSET + 64);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_host_table();
	test_put32(buf + HP_OFF(count), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_host_table();
	test_put32(buf + HP_OFF(count), FAMFS_HOSTS_COUNT_MAX + 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_host_table();
	test_put64(buf + HP_OFF(offset), FAMFS_SB_AREA - FAMFS_HOST_SLOT_SIZE);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
}
END_TEST

START_TEST(test_every_byte_flipped)
{
	encode_evict();
	test_entry_every_byte_flipped(buf, SEQ);
	encode_host_table();
	test_entry_every_byte_flipped(buf, SEQ);
}
END_TEST

static void encode_generation(uint64_t generation, uint32_t area)
{
	size_t len = 0;

	ck_assert_int_eq(famfs_generation_entry_encode(buf, sizeof(buf), SEQ,
						       generation, area, 0x10203,
						       &len),
			 FAMFS_OK);
	ck_assert_uint_eq(len, GENERATION_LEN);
}

START_TEST(test_generation_layout)
{
	ck_assert_int_eq(FAMFS_ENTRY_GENERATION, 8);
	ck_assert_int_eq(FAMFS_VERSION_MINOR_COMPACT, 3);
	ck_assert_uint_eq(famfs_generation_entry_size(), GENERATION_LEN);
	ck_assert_uint_eq(sizeof(struct famfs_generation_payload), 16);
	ck_assert_uint_eq(GP_OFF(generation), HDR + 0);
	ck_assert_uint_eq(GP_OFF(area), HDR + 8);
	ck_assert_uint_eq(GP_OFF(restated), HDR + 12);
	encode_generation(0x1122334455667788ULL, 1);
	ck_assert_uint_eq(buf[HDR_OFF(type)], FAMFS_ENTRY_GENERATION);
	ck_assert_uint_eq(test_entry_len(buf), GENERATION_LEN);
	ck_assert_uint_eq(buf[GP_OFF(generation)], 0x88);
	ck_assert_uint_eq(buf[GP_OFF(generation) + 7], 0x11);
	ck_assert_uint_eq(buf[GP_OFF(area)], 1);
	ck_assert_uint_eq(buf[GP_OFF(restated)], 0x03);
	ck_assert_uint_eq(buf[GP_OFF(restated) + 2], 0x01);
}
END_TEST

START_TEST(test_generation_round_trip)
{
	encode_generation(7, 1);
	memset(&e, 0xa5, sizeof(e));
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_GENERATION);
	ck_assert_uint_eq(e.seq, SEQ);
	ck_assert_uint_eq(e.len, GENERATION_LEN);
	ck_assert_uint_eq(e.flags, 0);
	ck_assert_uint_eq(e.generation, 7);
	ck_assert_uint_eq(e.area, 1);
	ck_assert_uint_eq(e.restated, 0x10203);
	ck_assert_uint_eq(e.hosts_offset, 0);
	ck_assert_uint_eq(e.hosts_count, 0);
	ck_assert_uint_eq(e.nonce, 0);
	ck_assert_uint_eq(e.path_len, 0);
	ck_assert_str_eq(e.path, "");
	ck_assert_uint_eq(e.n_extents, 0);
	encode_generation(UINT64_MAX, 0);
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.generation, UINT64_MAX);
	ck_assert_uint_eq(e.area, 0);
}
END_TEST

/* Another entry, decoded into the same struct, says no generation. */
START_TEST(test_generation_fields_reset)
{
	size_t len;

	encode_generation(7, 1);
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_int_eq(famfs_host_table_entry_encode(buf, sizeof(buf), SEQ,
						       FAMFS_HOSTS_OFFSET,
						       FAMFS_HOSTS_COUNT, &len),
			 FAMFS_OK);
	ck_assert_int_eq(decode(), FAMFS_OK);
	ck_assert_uint_eq(e.type, FAMFS_ENTRY_HOST_TABLE);
	ck_assert_uint_eq(e.generation, 0);
	ck_assert_uint_eq(e.area, 0);
	ck_assert_uint_eq(e.restated, 0);
}
END_TEST

START_TEST(test_generation_encode_rejects)
{
	size_t len = 77;

	ck_assert_int_eq(famfs_generation_entry_encode(buf, GENERATION_LEN - 1, SEQ,
						       1, 1, 2, &len),
			 FAMFS_E_LOG_FULL);
	ck_assert_int_eq(famfs_generation_entry_encode(buf, sizeof(buf), SEQ,
						       1, FAMFS_LOG_AREAS, 2, &len),
			 FAMFS_E_GEOMETRY);
	/* The GENERATION entry restates at least itself. */
	ck_assert_int_eq(famfs_generation_entry_encode(buf, sizeof(buf), SEQ,
						       1, 1, 0, &len),
			 FAMFS_E_SEQ);
	expect_nothing_written(len);
}
END_TEST

START_TEST(test_generation_decode_rejects)
{
	encode_generation(3, 1);
	test_put32(buf + HDR_OFF(len), GENERATION_LEN + 8);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_generation(3, 1);
	test_put32(buf + HDR_OFF(len), HDR);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_LEN);
	encode_generation(3, 1);
	test_put32(buf + GP_OFF(restated), 0);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_SEQ);
	encode_generation(3, 1);
	test_put32(buf + GP_OFF(area), FAMFS_LOG_AREAS);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_GEOMETRY);
	encode_generation(3, 1);
	test_put16(buf + HDR_OFF(flags), FAMFS_ENTRY_F_SKIPPABLE << 1);
	ck_assert_int_eq(resealed_decode(), FAMFS_E_FLAGS);
}
END_TEST

START_TEST(test_generation_every_byte_flipped)
{
	encode_generation(0x0123456789abcdefULL, 1);
	test_entry_every_byte_flipped(buf, SEQ);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format_hosts");
	TCase *slot = tcase_create("slot");
	TCase *entry = tcase_create("entry");

	tcase_add_checked_fixture(slot, setup, NULL);
	tcase_add_test(slot, test_slot_round_trip);
	tcase_add_test(slot, test_slot_longest_hostname);
	tcase_add_test(slot, test_slot_encode_rejects);
	tcase_add_test(slot, test_slot_decode_free);
	tcase_add_test(slot, test_slot_decode_crc);
	tcase_add_test(slot, test_slot_decode_fields);
	tcase_add_test(slot, test_slot_decode_hostname);
	suite_add_tcase(s, slot);

	tcase_add_checked_fixture(entry, setup, NULL);
	tcase_add_test(entry, test_sizes);
	tcase_add_test(entry, test_evict_round_trip);
	tcase_add_test(entry, test_host_table_round_trip);
	tcase_add_test(entry, test_encode_rejects);
	tcase_add_test(entry, test_decode_len);
	tcase_add_test(entry, test_decode_evict_reserved);
	tcase_add_test(entry, test_decode_host_table_geometry);
	tcase_add_test(entry, test_every_byte_flipped);
	tcase_add_test(entry, test_generation_layout);
	tcase_add_test(entry, test_generation_round_trip);
	tcase_add_test(entry, test_generation_fields_reset);
	tcase_add_test(entry, test_generation_encode_rejects);
	tcase_add_test(entry, test_generation_decode_rejects);
	tcase_add_test(entry, test_generation_every_byte_flipped);
	suite_add_tcase(s, entry);
	return test_run_suite(s);
}
