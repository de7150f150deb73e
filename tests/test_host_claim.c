// SPDX-License-Identifier: GPL-2.0
/*
 * Claiming a slot against what other hosts do meanwhile. Whether a slot's
 * host still runs, as a claim by the same system UUID asks: a follower
 * with nothing to do beats only every FAMFS_HOST_BEAT_MS, and its slot
 * must not be taken from it (a clone would take the pins of the deleted
 * files it still reads; famfs-test-hostsim's idle hosts lost their slots
 * to clones). And where a mount's slot starts: at the log's end as it is
 * when the slot is written, not before the wait for that heartbeat. And
 * that an evicted mount's slot is there for others to take: hosts that
 * die and come back with new identities would fill the table otherwise;
 * but not once another claimer has taken it.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "famfs_test.h"

#define POLL_MS	10

static const uint8_t self[16] = {
	0x6e, 0x0c, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
	0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
};
static struct ft_fs fs;
static struct famfs_hosts t;
static pid_t beater;

static void setup(void)
{
	ft_setup();
	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ft_open(&fs, ft_path("img"));
	ck_assert_int_eq(famfs_log_hosts(&fs.log, &t), 0);
	beater = 0;
}

static void teardown(void)
{
	if (beater > 0) {
		kill(beater, SIGKILL);
		waitpid(beater, NULL, 0);
	}
	ft_close(&fs);
	ft_teardown();
}

static void claim(struct famfs_host_self *me)
{
	struct famfs_error err = { 0 };

	ck_assert_msg(famfs_host_claim(&t, self, 1, 0, POLL_MS, me, &err) == 0,
		      "%s", err.msg);
}

/* Beat me's slot as an idle follower does: a little under once a beat. */
static void beat_idly(struct famfs_host_self *me)
{
	pid_t parent = getpid();

	beater = fork();
	ck_assert_int_ge(beater, 0);
	if (beater)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (getppid() == parent) {
		usleep((FAMFS_HOST_BEAT_MS - 100) * 1000);
		if (famfs_host_beat(&t, me, 1, 1))
			_exit(1);
	}
	_exit(0);
}

/* A running host that beats once a second keeps its slot. */
START_TEST(test_idle_clone_keeps_its_slot)
{
	struct famfs_host_self clone, me;
	struct famfs_host_info h;

	claim(&clone);
	beat_idly(&clone);
	claim(&me);
	ck_assert_uint_ne(me.slot, clone.slot);
	ck_assert_int_eq(famfs_hosts_read(&t, clone.slot, &h), 0);
	ck_assert_uint_eq(h.nonce, clone.info.nonce);
}
END_TEST

/* One whose heartbeat stands still is taken over, within a few seconds. */
START_TEST(test_stopped_slot_is_taken)
{
	struct famfs_host_self old, me;
	uint64_t t0;

	claim(&old);
	t0 = famfs_now_ns(CLOCK_MONOTONIC);
	claim(&me);
	ck_assert_uint_eq(me.slot, old.slot);
	ck_assert_uint_ne(me.info.nonce, old.info.nonce);
	ck_assert_uint_lt(famfs_now_ns(CLOCK_MONOTONIC) - t0, 3000000000ULL);
}
END_TEST

/* The master appends while the claim waits for the old slot's heartbeat. */
START_TEST(test_claim_starts_at_the_end_when_written)
{
	struct famfs_extent_info x = ft_extent(10, 1);
	struct famfs_error err = { 0 };
	struct famfs_host_self old, me;
	uint64_t before = fs.log.hdr.next_seq;
	pid_t master;

	claim(&old);
	master = fork();
	ck_assert_int_ge(master, 0);
	if (!master) {
		usleep(300 * 1000);
		ft_add_file(&fs, "late", FAMFS_ALLOC_UNIT, &x, 1);
		_exit(0);
	}
	ck_assert_msg(famfs_host_claim_log(&fs.log, self, 0, POLL_MS, &me,
					   &err) == 0, "%s", err.msg);
	ck_assert_int_eq(waitpid(master, NULL, 0), master);
	ck_assert_uint_eq(me.slot, old.slot);
	ck_assert_uint_eq(me.info.released_seq, before + 1);
	ck_assert_uint_eq(me.info.applied_seq, before + 1);
}
END_TEST

/* Every slot mounted by a host of its own, slot i with nonce 1000 + i. */
static void fill_table(void)
{
	struct famfs_host_info h = {
		.state = FAMFS_HOST_MOUNTED, .applied_seq = 1, .released_seq = 1,
		.poll_ms = POLL_MS, .hostname = "other",
	};
	uint32_t i;

	for (i = 0; i < t.count; i++) {
		h.system_uuid[0] = 0xaa;
		memcpy(h.system_uuid + 1, &i, sizeof(i));
		h.nonce = 1000 + i;
		h.heartbeat_ns = 5000 + i;
		ck_assert_int_eq(famfs_hosts_write(&t, i, &h), 0);
	}
}

static void evict(uint32_t slot)
{
	struct famfs_error err = { 0 };
	struct famfs_host_info h;

	ck_assert_int_eq(famfs_hosts_read(&t, slot, &h), 0);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, h.system_uuid, h.nonce,
					     &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
}

/* A full table of live mounts has no room; evicting one makes some. */
START_TEST(test_evicted_slot_is_taken)
{
	struct famfs_error err = { 0 };
	struct famfs_host_self me;

	fill_table();
	ck_assert_int_eq(famfs_host_claim_log(&fs.log, self, 0, POLL_MS, &me,
					      &err), -ENOSPC);
	evict(700);
	evict(300);
	ck_assert_msg(famfs_host_claim_log(&fs.log, self, 0, POLL_MS, &me,
					   &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(me.slot, 300);	/* heard from longest ago */
	ck_assert_uint_eq(me.info.released_seq, fs.log.hdr.next_seq);
}
END_TEST

static const uint8_t other[16] = { 0x93, 0xb1, 0x01 };

/* A claim by this process stalls in fill_self(), between pick and write. */
static pid_t stalled;

int __real_gethostname(char *name, size_t len);
int __wrap_gethostname(char *name, size_t len)
{
	if (getpid() == stalled)
		usleep(400 * 1000);
	return __real_gethostname(name, len);
}

/*
 * Both hosts pick the one slot that pins nothing; the first is held up
 * before it writes (as a busy machine may hold it up for long), while the
 * other writes it, waits and trusts it: the first must not write over it.
 */
START_TEST(test_slot_taken_while_picking)
{
	struct famfs_error err = { 0 };
	struct famfs_host_self me;
	struct famfs_host_info h;
	int status;
	pid_t taker;

	fill_table();
	evict(500);
	taker = fork();
	ck_assert_int_ge(taker, 0);
	if (!taker) {
		usleep(100 * 1000);
		_exit(famfs_host_claim_log(&fs.log, other, 0, POLL_MS, &me,
					   NULL) || me.slot != 500);
	}
	stalled = getpid();
	ck_assert_int_eq(famfs_host_claim_log(&fs.log, self, 0, POLL_MS, &me,
					      &err), -ENOSPC);
	stalled = 0;
	ck_assert_int_eq(waitpid(taker, &status, 0), taker);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(famfs_hosts_read(&t, 500, &h), 0);
	ck_assert_int_eq(memcmp(h.system_uuid, other, 16), 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_idle_clone_keeps_its_slot,
		test_stopped_slot_is_taken,
		test_claim_starts_at_the_end_when_written,
		test_evicted_slot_is_taken,
		test_slot_taken_while_picking,
		NULL,
	};

	return ft_main("host_claim", setup, teardown, tests);
}
