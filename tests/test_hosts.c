// SPDX-License-Identifier: GPL-2.0
/*
 * The host table on an image: claiming a slot (beside a clone that beats,
 * against a host claiming at the same time, in a full table), heartbeats,
 * the release floor, one system UUID in two live slots, and famfs hosts
 * and famfs hosts evict offline.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"
#include "format_reseal.h"

#define SELF		"5e1f0a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
#define OTHER		"0b5c2bde-33b5-4f3e-9c7f-2f6e0e3f9a11"
#define COUNT		FAMFS_HOSTS_COUNT
#define POLL_MS		10
#define UNIT		FAMFS_ALLOC_UNIT
/* What ft_host() names the host of slot 2. */
#define PINNER2		"03000000-0000-0000-0000-000000000000"

static uint8_t self[16], other[16];
static struct famfs_error err;
static struct famfs_hosts t;
static struct ft_fs fs;
static const char *img;
/* A child that keeps a slot's heartbeat moving, as a running follower does. */
static pid_t beater;

static void stop_beating(void)
{
	if (beater > 0) {
		kill(beater, SIGKILL);
		waitpid(beater, NULL, 0);
	}
	beater = 0;
}

static void setup(void)
{
	ft_setup();
	/* mkfs makes this host the master. */
	ft_write_file(ft_path("system_uuid"), SELF "\n");
	ck_assert_int_eq(uuid_parse(SELF, self), 0);
	ck_assert_int_eq(uuid_parse(OTHER, other), 0);
	img = ft_path("img");
	ft_mkfs(img, FT_IMAGE_SIZE);
	ft_open(&fs, img);
	ck_assert_int_eq(famfs_log_hosts(&fs.log, &t), 0);
	memset(&err, 0, sizeof(err));
	beater = 0;
}

static void teardown(void)
{
	stop_beating();
	ft_close(&fs);
	ft_teardown();
}

/*
 * Beat me's slot every 20 ms (for 5 s at most) in a child; return once it
 * has beaten.
 */
static void start_beating(struct famfs_host_self *me)
{
	pid_t parent = getpid();
	struct famfs_host_info h;
	int n;

	beater = fork();
	ck_assert_int_ge(beater, 0);
	if (beater) {
		for (n = 0; n < 1000; n++) {
			if (!famfs_hosts_read(&t, me->slot, &h) &&
			    h.heartbeat != me->info.heartbeat)
				return;
			usleep(2000);
		}
		ck_abort_msg("slot %u does not beat", me->slot);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (n = 0; n < 250 && getppid() == parent; n++) {
		if (famfs_host_beat(&t, me, me->info.applied_seq,
				    me->info.released_seq))
			_exit(1);
		usleep(20 * 1000);
	}
	_exit(0);
}

/* The slot where a claim by uuid starts looking for a free one. */
static uint32_t home(const uint8_t uuid[16])
{
	return famfs_crc32c(0, uuid, 16) % COUNT;
}

static struct famfs_host_info slot(uint32_t i)
{
	struct famfs_host_info h;

	ck_assert_int_eq(famfs_hosts_read(&t, i, &h), 0);
	return h;
}

/* A slot of ft_host()'s in another state. */
static void put_state(uint32_t i, uint32_t state, uint64_t released)
{
	struct famfs_host_info h = ft_host(i, released);

	h.state = state;
	ft_put_host(&fs, i, &h);
}

/* A mounted slot of this host's system UUID. */
static struct famfs_host_self put_self(uint32_t i, uint64_t released)
{
	struct famfs_host_self me = { .slot = i, .info = ft_host(i, released) };

	memcpy(me.info.system_uuid, self, 16);
	ft_put_host(&fs, i, &me.info);
	return me;
}

/* The slots holding uuid, up to two of them in at (UINT32_MAX: none). */
static uint32_t holding(const uint8_t uuid[16], uint32_t at[2])
{
	struct famfs_host_info h;
	uint32_t i, n = 0;

	at[0] = at[1] = UINT32_MAX;
	for (i = 0; i < COUNT; i++)
		if (!famfs_hosts_read(&t, i, &h) && !memcmp(h.system_uuid, uuid, 16) &&
		    n < 2)
			at[n++] = i;
	return n;
}

static void claim(const uint8_t uuid[16], uint64_t from,
		  struct famfs_host_self *me)
{
	int rc = famfs_host_claim(&t, uuid, from, 0, POLL_MS, me, &err);

	ck_assert_msg(rc == 0, "claim: %s", err.msg);
}

/* Every EVICT entry of the log. */
static void log_evictions(struct famfs_evictions *ev)
{
	static struct famfs_entry e;
	struct famfs_log_iter it;

	memset(ev, 0, sizeof(*ev));
	ck_assert_int_eq(famfs_log_refresh(&fs.log, NULL), 0);
	famfs_log_iter_init(&it, &fs.log);
	while (famfs_log_iter_more(&it)) {
		ck_assert_int_eq(famfs_log_iter_next(&it, &e, NULL), 0);
		if (e.type == FAMFS_ENTRY_EVICT)
			ck_assert_int_eq(famfs_evictions_add(ev, &e), 0);
	}
}

/* The log's last entry. */
static void last_entry(const struct famfs_log *log, struct famfs_entry *e)
{
	struct famfs_log_iter it;

	famfs_log_iter_init(&it, log);
	while (famfs_log_iter_more(&it))
		ck_assert_int_eq(famfs_log_iter_next(&it, e, NULL), 0);
}

static void evict_slot(uint32_t i)
{
	struct famfs_host_info h = slot(i);

	ft_evict(&fs, h.system_uuid, h.nonce);
}

static uint64_t ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (uint64_t)(t1.tv_sec - t0->tv_sec) * 1000 +
	       (uint64_t)((t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Device offset of a field of slot i. */
#define SLOT_AT(i, f)	(FAMFS_HOSTS_OFFSET + (uint64_t)(i) * FAMFS_HOST_SLOT_SIZE + \
			 offsetof(struct famfs_host_slot, f))

/* ---- claim ---------------------------------------------------------------- */

START_TEST(test_claim_fresh)
{
	char name[FAMFS_HOSTNAME_LEN + 1] = "";
	struct famfs_host_self me;
	struct famfs_host_info h;
	uint32_t at[2];

	claim(self, 7, &me);
	ck_assert_uint_eq(me.slot, home(self));
	h = slot(me.slot);
	ck_assert_str_eq(famfs_host_state_name(&h, 0), "mounted");
	ck_assert_uint_eq(h.state, FAMFS_HOST_MOUNTED);
	ck_assert_uint_ne(h.nonce, 0);
	ck_assert_uint_eq(h.nonce, me.info.nonce);
	ck_assert_uint_eq(h.applied_seq, 7);
	ck_assert_uint_eq(h.released_seq, 7);
	ck_assert_uint_eq(h.heartbeat, 0);
	ck_assert_uint_eq(h.heartbeat_ns, h.mount_ns);
	ck_assert_uint_eq(h.poll_ms, POLL_MS);
	ck_assert_uint_eq(h.pid, (uint32_t)getpid());
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_mem_eq(h.system_uuid, self, 16);
	ck_assert_int_eq(gethostname(name, sizeof(name) - 1), 0);
	ck_assert_str_eq(h.hostname, name);
	ck_assert_uint_eq(holding(self, at), 1);
}
END_TEST

/* Taken slots are passed over; a free one is preferred to an unmounted one. */
START_TEST(test_claim_next_free)
{
	uint32_t start = home(self);
	struct famfs_host_self me;

	ft_pin(&fs, start, 0);
	put_state((start + 1) % COUNT, FAMFS_HOST_UNMOUNTED, 0);
	claim(self, 1, &me);
	ck_assert_uint_eq(me.slot, (start + 2) % COUNT);
	ck_assert_uint_eq(slot(start).nonce, ft_host(start, 0).nonce);
	ck_assert_uint_eq(slot((start + 1) % COUNT).state, FAMFS_HOST_UNMOUNTED);
}
END_TEST

/*
 * This host's own slot comes first, wherever it is: unmounted, or mounted
 * by a mount of this host whose heartbeat stands still (one that crashed).
 */
START_TEST(test_claim_own_slot)
{
	struct famfs_host_self old = put_self(9, 3), me, again;

	old.info.state = FAMFS_HOST_UNMOUNTED;
	ft_put_host(&fs, 9, &old.info);
	claim(self, 5, &me);
	ck_assert_uint_eq(me.slot, 9);
	ck_assert_uint_ne(me.info.nonce, old.info.nonce);
	claim(self, 6, &again);
	ck_assert_uint_eq(again.slot, 9);
	ck_assert_uint_ne(again.info.nonce, me.info.nonce);
	ck_assert_uint_eq(slot(9).nonce, again.info.nonce);
	ck_assert_uint_eq(slot(9).released_seq, 6);
	/* The mount that lost it can only claim again. */
	ck_assert_int_eq(famfs_host_beat(&t, &me, 6, 6), -ESTALE);
}
END_TEST

/* A slot of this UUID that beats is a clone's: left alone. */
START_TEST(test_claim_beside_beating_clone)
{
	struct famfs_host_self clone, me;
	uint32_t slots[2];

	claim(self, 1, &clone);
	/* It says it beats every 100 ms: it counts as stopped after 500 ms. */
	clone.info.poll_ms = 100;
	start_beating(&clone);
	claim(self, 2, &me);
	ck_assert_uint_ne(me.slot, clone.slot);
	ck_assert_uint_eq(me.slot, (clone.slot + 1) % COUNT);
	ck_assert_uint_eq(slot(clone.slot).nonce, clone.info.nonce);
	ck_assert_uint_gt(slot(clone.slot).heartbeat, 0);
	stop_beating();
	ck_assert_uint_eq(famfs_hosts_same_uuid(&t, NULL, self, slots, 2), 2);
	ck_assert_uint_eq(slots[0], clone.slot < me.slot ? clone.slot : me.slot);
	ck_assert_uint_eq(slots[1], clone.slot < me.slot ? me.slot : clone.slot);
}
END_TEST

/* In a child: claim a slot for uuid when the parent closes go[1]. */
static pid_t claim_on_go(const int go[2], const uint8_t uuid[16])
{
	struct famfs_host_self me;
	pid_t pid = fork();
	char c;

	ck_assert_int_ge(pid, 0);
	if (pid)
		return pid;
	close(go[1]);
	if (read(go[0], &c, 1) < 0)
		_exit(2);
	_exit(famfs_host_claim(&t, uuid, 4, 0, POLL_MS, &me, NULL) ? 1 : 0);
}

static void reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}

/*
 * Two hosts claim at once where one slot is free and one unmounted: both
 * write the free one, the one whose nonce is gone when it reads it back
 * takes the unmounted one.
 */
START_TEST(test_claim_race)
{
	uint32_t i, a[2], b[2];
	pid_t pa, pb;
	int go[2];

	for (i = 0; i < COUNT; i++)
		if (i != 100 && i != 900)
			ft_pin(&fs, i, 0);
	put_state(900, FAMFS_HOST_UNMOUNTED, 0);
	ck_assert_int_eq(pipe(go), 0);
	pa = claim_on_go(go, self);
	pb = claim_on_go(go, other);
	close(go[1]);	/* go: both reads return */
	reap(pa);
	reap(pb);
	close(go[0]);
	ck_assert_uint_eq(holding(self, a), 1);
	ck_assert_uint_eq(holding(other, b), 1);
	ck_assert_msg((a[0] == 100 && b[0] == 900) || (a[0] == 900 && b[0] == 100),
		      "slots %u and %u", a[0], b[0]);
	ck_assert_uint_eq(slot(100).state, FAMFS_HOST_MOUNTED);
	ck_assert_uint_eq(slot(900).state, FAMFS_HOST_MOUNTED);
	ck_assert_uint_eq(slot(100).applied_seq, 4);
	ck_assert_uint_eq(slot(900).applied_seq, 4);
}
END_TEST

/* No free slot: the unmounted one heard from longest ago, then none. */
START_TEST(test_claim_full_table)
{
	struct famfs_host_info h;
	struct famfs_host_self me;
	uint32_t i;

	for (i = 0; i < COUNT; i++)
		ft_pin(&fs, i, 0);
	h = ft_host(100, 0);
	h.state = FAMFS_HOST_UNMOUNTED;
	h.heartbeat_ns = 2000;
	ft_put_host(&fs, 100, &h);
	h = ft_host(900, 0);
	h.state = FAMFS_HOST_UNMOUNTED;
	h.heartbeat_ns = 1000;
	ft_put_host(&fs, 900, &h);
	claim(self, 1, &me);
	ck_assert_uint_eq(me.slot, 900);
	claim(other, 1, &me);
	ck_assert_uint_eq(me.slot, 100);
	ck_assert_mem_eq(slot(900).system_uuid, self, 16);
	ck_assert_int_eq(famfs_host_claim(&t, (const uint8_t *)"another host....",
					  1, 0, POLL_MS, &me, &err), -ENOSPC);
	ck_assert_str_eq(err.msg, "the host table is full: all 1024 slots hold mounted hosts (famfs hosts lists them; famfs hosts evict frees a dead one's)");
}
END_TEST

/* ---- heartbeat and leave --------------------------------------------------- */

START_TEST(test_beat)
{
	struct famfs_host_self me;
	struct famfs_host_info h;
	uint64_t last;

	claim(self, 5, &me);
	last = slot(me.slot).heartbeat_ns;
	ck_assert_int_eq(famfs_host_beat(&t, &me, 10, 8), 0);
	h = slot(me.slot);
	ck_assert_uint_eq(h.heartbeat, 1);
	ck_assert_uint_ge(h.heartbeat_ns, last);
	ck_assert_uint_eq(h.applied_seq, 10);
	ck_assert_uint_eq(h.released_seq, 8);
	ck_assert_uint_eq(h.nonce, me.info.nonce);
	/* released never goes down */
	ck_assert_int_eq(famfs_host_beat(&t, &me, 12, 3), 0);
	h = slot(me.slot);
	ck_assert_uint_eq(h.heartbeat, 2);
	ck_assert_uint_eq(h.applied_seq, 12);
	ck_assert_uint_eq(h.released_seq, 8);
	/* nor passes applied */
	ck_assert_int_eq(famfs_host_beat(&t, &me, 12, 20), 0);
	ck_assert_uint_eq(slot(me.slot).released_seq, 12);
	/* and applied never goes down either */
	ck_assert_int_eq(famfs_host_beat(&t, &me, 11, 11), 0);
	h = slot(me.slot);
	ck_assert_uint_eq(h.heartbeat, 4);
	ck_assert_uint_eq(h.applied_seq, 12);
	ck_assert_uint_eq(h.released_seq, 12);
	ck_assert_uint_eq(me.info.heartbeat, 4);
}
END_TEST

/* Another mount wrote the slot (it took it over, or a clone did): hands off. */
START_TEST(test_beat_stale)
{
	struct famfs_host_self me;
	struct famfs_host_info h;

	claim(self, 5, &me);
	h = me.info;
	h.nonce ^= 0x100;
	h.heartbeat = 40;
	ft_put_host(&fs, me.slot, &h);
	ck_assert_int_eq(famfs_host_beat(&t, &me, 9, 9), -ESTALE);
	ck_assert_int_eq(famfs_host_leave(&t, &me), -ESTALE);
	h = slot(me.slot);
	ck_assert_uint_eq(h.nonce, me.info.nonce ^ 0x100);
	ck_assert_uint_eq(h.heartbeat, 40);
	ck_assert_uint_eq(h.state, FAMFS_HOST_MOUNTED);
	/* A slot that no longer decodes is not ours either. */
	ft_put_host(&fs, me.slot, &me.info);
	ft_flip(img, SLOT_AT(me.slot, pid), 1);
	ck_assert_int_eq(famfs_host_beat(&t, &me, 9, 9), -ESTALE);
}
END_TEST

START_TEST(test_leave)
{
	struct famfs_host_self me;
	struct famfs_host_info h;

	claim(self, 5, &me);
	ck_assert_int_eq(famfs_host_beat(&t, &me, 9, 7), 0);
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), 7);
	ck_assert_int_eq(famfs_host_leave(&t, &me), 0);
	h = slot(me.slot);
	ck_assert_uint_eq(h.state, FAMFS_HOST_UNMOUNTED);
	ck_assert_str_eq(famfs_host_state_name(&h, 0), "unmounted");
	ck_assert_uint_eq(h.nonce, me.info.nonce);
	ck_assert_uint_eq(h.applied_seq, 9);
	ck_assert_uint_eq(h.released_seq, 7);
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), UINT64_MAX);
}
END_TEST

/* The mount record names this mount's slot; without one, the only live one. */
START_TEST(test_mine_and_find)
{
	const uint8_t *fsid = fs.log.sb.fs_uuid;
	struct famfs_host_self a = put_self(4, 0), b, me;

	ck_assert_int_eq(famfs_host_mine(&t, fsid, &me), -ENOENT);
	ck_assert_int_eq(famfs_host_find(&t, fsid, self, &me), 0);
	ck_assert_uint_eq(me.slot, 4);
	ck_assert_uint_eq(me.info.nonce, a.info.nonce);
	b = put_self(6, 0);
	ck_assert_int_eq(famfs_host_find(&t, fsid, self, &me), -ENOENT);
	ck_assert_int_eq(famfs_mount_record_write(fsid, &b), 0);
	ck_assert_int_eq(famfs_host_mine(&t, fsid, &me), 0);
	ck_assert_uint_eq(me.slot, 6);
	ck_assert_uint_eq(me.info.nonce, b.info.nonce);
	ck_assert_int_eq(famfs_host_find(&t, fsid, self, &me), 0);
	ck_assert_uint_eq(me.slot, 6);
	/* The slot now holds another mount, or this one unmounted. */
	b.info.nonce++;
	ft_put_host(&fs, 6, &b.info);
	memset(&me, 0, sizeof(me));
	ck_assert_int_eq(famfs_host_mine(&t, fsid, &me), -ESTALE);
	ck_assert_uint_eq(me.info.nonce, 0);
	b.info.nonce--;
	b.info.state = FAMFS_HOST_UNMOUNTED;
	ft_put_host(&fs, 6, &b.info);
	ck_assert_int_eq(famfs_host_mine(&t, fsid, &me), -ESTALE);
	/*
	 * This mount's slot is gone: slot 4 is another mount's (a clone's),
	 * which is not to be taken over, nor marked unmounted at umount.
	 */
	memset(&me, 0, sizeof(me));
	ck_assert_int_eq(famfs_host_find(&t, fsid, self, &me), -ESTALE);
	ck_assert_uint_eq(me.info.nonce, 0);
	famfs_mount_record_remove(fsid);
	ck_assert_int_eq(famfs_host_find(&t, fsid, self, &me), 0);
	ck_assert_uint_eq(me.slot, 4);
}
END_TEST

/* ---- the release floor ---------------------------------------------------- */

START_TEST(test_floor)
{
	struct famfs_hosts none = { 0 };
	struct famfs_evictions ev;

	ck_assert_uint_eq(famfs_release_floor(&t, NULL), UINT64_MAX);
	ft_pin(&fs, 3, 10);
	ft_pin(&fs, 7, 4);
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), 4);
	put_state(9, FAMFS_HOST_UNMOUNTED, 1);
	put_state(11, FAMFS_HOST_FREE, 0);
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), 4);
	/* Slot 7's mount is evicted; slot 3's host, but another mount of it. */
	evict_slot(7);
	ft_evict(&fs, ft_host(3, 0).system_uuid, ft_host(3, 0).nonce + 1);
	log_evictions(&ev);
	ck_assert_uint_eq(ev.n, 2);
	ck_assert_uint_eq(famfs_release_floor(&t, &ev), 10);
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), 4);
	evict_slot(3);
	famfs_evictions_free(&ev);
	log_evictions(&ev);
	ck_assert_uint_eq(famfs_release_floor(&t, &ev), UINT64_MAX);
	famfs_evictions_free(&ev);
	/* No table: nothing is ever released. */
	ck_assert_uint_eq(famfs_release_floor(&none, NULL), 0);
}
END_TEST

/* A slot with its magic but not its CRC might be a live host's: it pins all. */
START_TEST(test_floor_damaged_slot)
{
	struct famfs_host_info h;
	struct timespec t0;
	int rc;

	ft_pin(&fs, 3, 10);
	ft_pin(&fs, 5, 20);
	ft_flip(img, SLOT_AT(5, heartbeat), 0x10);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = famfs_hosts_read(&t, 5, &h);
	ck_assert_int_eq(rc, FAMFS_E_CRC);
	/* read again and again first, as a slot being rewritten would be */
	ck_assert_uint_ge(ms_since(&t0), 9);
	ck_assert_str_eq(famfs_host_state_name(&h, rc), "damaged");
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), 0);
	/* Without its magic it never was written whole: free. */
	ft_flip(img, SLOT_AT(5, heartbeat), 0x10);
	ft_flip(img, SLOT_AT(5, magic), 0x01);
	rc = famfs_hosts_read(&t, 5, &h);
	ck_assert_int_eq(rc, FAMFS_E_MAGIC);
	ck_assert_str_eq(famfs_host_state_name(&h, rc), "free");
	ck_assert_uint_eq(famfs_release_floor(&t, NULL), 10);
}
END_TEST

START_TEST(test_pin)
{
	struct famfs_host_info h = ft_host(3, 0);
	struct famfs_evictions ev = { 0 };
	struct famfs_entry *e = calloc(1, sizeof(*e));

	ck_assert_int_eq(famfs_host_pin(NULL, &h, 0), FAMFS_PIN_LIVE);
	ck_assert_int_eq(famfs_host_pin(NULL, &h, FAMFS_E_MAGIC), FAMFS_PIN_NONE);
	ck_assert_int_eq(famfs_host_pin(NULL, &h, FAMFS_E_CRC), FAMFS_PIN_DAMAGED);
	ck_assert_int_eq(famfs_host_pin(NULL, &h, FAMFS_E_FLAGS), FAMFS_PIN_DAMAGED);
	/* An eviction of this nonce of another host, of another nonce of this host. */
	memcpy(e->uuid, h.system_uuid, 16);
	e->uuid[15] = 1;
	e->nonce = h.nonce;
	ck_assert_int_eq(famfs_evictions_add(&ev, e), 0);
	e->uuid[15] = 0;
	e->nonce = h.nonce + 1;
	ck_assert_int_eq(famfs_evictions_add(&ev, e), 0);
	ck_assert(!famfs_evicted(&ev, &h));
	ck_assert_int_eq(famfs_host_pin(&ev, &h, 0), FAMFS_PIN_LIVE);
	e->nonce = h.nonce;
	ck_assert_int_eq(famfs_evictions_add(&ev, e), 0);
	ck_assert(famfs_evicted(&ev, &h));
	ck_assert_int_eq(famfs_host_pin(&ev, &h, 0), FAMFS_PIN_EVICTED);
	h.state = FAMFS_HOST_UNMOUNTED;
	ck_assert_int_eq(famfs_host_pin(&ev, &h, 0), FAMFS_PIN_NONE);
	h.state = FAMFS_HOST_FREE;
	ck_assert_int_eq(famfs_host_pin(&ev, &h, 0), FAMFS_PIN_NONE);
	ck_assert_str_eq(famfs_host_state_name(&h, 0), "free");
	famfs_evictions_free(&ev);
	ck_assert_uint_eq(ev.n, 0);
	free(e);
}
END_TEST

/* ---- one system UUID in two live slots ------------------------------------ */

START_TEST(test_identity)
{
	struct famfs_host_self clone;
	struct famfs_evictions ev;
	struct famfs_fs wfs;
	struct famfs_creator cr;
	uint32_t slots[2];
	char want[1024];

	put_self(3, 0);
	ck_assert_int_eq(famfs_log_check_identity(&fs.log, NULL, &err), 0);
	clone = put_self(9, 0);
	ck_assert_uint_eq(famfs_hosts_same_uuid(&t, NULL, self, slots, 2), 2);
	ck_assert_uint_eq(slots[0], 3);
	ck_assert_uint_eq(slots[1], 9);
	ck_assert_int_eq(famfs_log_check_identity(&fs.log, NULL, &err), -ENOTUNIQ);
	snprintf(want, sizeof(want),
		 "host table slots 3 and 9 both hold this host's system UUID " SELF
		 ": two running hosts share one identity (a cloned system image?), and changes are refused until each has its own: on the clone, rm %s and mount again (famfs hosts evict frees the slot of one that is gone)",
		 ft_path("system_uuid"));
	ck_assert_str_eq(err.msg, want);
	/* The master refuses to change anything. */
	ck_assert_int_eq(famfs_fs_open(&wfs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE,
				       &err), 0);
	ck_assert_int_eq(famfs_create_begin(&cr, &wfs, &err), -ENOTUNIQ);
	ck_assert_str_eq(err.msg, want);
	famfs_fs_close(&wfs);
	/* Evicted, the clone's slot counts no more. */
	evict_slot(9);
	log_evictions(&ev);
	ck_assert_uint_eq(famfs_hosts_same_uuid(&t, &ev, self, slots, 2), 1);
	ck_assert_int_eq(famfs_log_check_identity(&fs.log, &ev, &err), 0);
	famfs_evictions_free(&ev);
	/* Nor does an unmounted one. */
	clone.info.state = FAMFS_HOST_UNMOUNTED;
	ft_put_host(&fs, 9, &clone.info);
	ck_assert_int_eq(famfs_log_check_identity(&fs.log, NULL, &err), 0);
	ck_assert_uint_eq(famfs_hosts_same_uuid(&t, NULL, self, slots, 2), 1);
}
END_TEST

/* ---- famfs hosts and famfs hosts evict ------------------------------------ */

static struct famfs_fs hfs;
static struct famfs_hosts_report rep;

/*
 * Files a (two units, 3 MiB) at seq 2, b (one unit) at 3 and c at 4;
 * a deleted at 5, b at 6.
 */
static void two_deletes(void)
{
	struct famfs_extent_info a = ft_extent(FT_DATA_UNIT, 2),
				 b = ft_extent(FT_DATA_UNIT + 2, 1),
				 c = ft_extent(FT_DATA_UNIT + 3, 1);

	ft_add_file(&fs, "a", 3 * FT_MIB, &a, 1);
	ft_add_file(&fs, "b", UNIT, &b, 1);
	ft_add_file(&fs, "c", UNIT, &c, 1);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "a", &err), 0);
	ck_assert_int_eq(famfs_log_add_delete(&fs.log, "b", &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
}

static void open_hfs(void)
{
	int rc = famfs_fs_open(&hfs, img, FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err);

	ck_assert_msg(rc == 0, "open: %s", err.msg);
}

static void list(bool watch)
{
	int rc = famfs_hosts_list(&hfs, watch, &rep, &err);

	ck_assert_msg(rc == 0, "list: %s", err.msg);
}

static void check_row(size_t i, uint32_t slot_no, enum famfs_pin pin,
		      uint64_t files, uint64_t bytes)
{
	const struct famfs_host_row *r = &rep.rows[i];

	ck_assert_uint_eq(r->slot, slot_no);
	ck_assert_int_eq(r->pin, pin);
	ck_assert_uint_eq(r->pinned_files, files);
	ck_assert_uint_eq(r->pinned_bytes, bytes);
	ck_assert(!r->watched);
}

START_TEST(test_hosts_list)
{
	two_deletes();
	ft_pin(&fs, 2, 0);		/* released nothing */
	ft_pin(&fs, 4, 6);		/* released a's delete, not b's */
	ft_pin(&fs, 6, 7);		/* released both */
	put_state(8, FAMFS_HOST_UNMOUNTED, 0);
	put_self(10, 7);
	ft_pin(&fs, 12, 0);
	evict_slot(12);			/* seq 7 */
	open_hfs();
	list(false);
	ck_assert_uint_eq(rep.n, 6);
	check_row(0, 2, FAMFS_PIN_LIVE, 2, 3 * UNIT);
	check_row(1, 4, FAMFS_PIN_LIVE, 1, UNIT);
	check_row(2, 6, FAMFS_PIN_LIVE, 0, 0);
	check_row(3, 8, FAMFS_PIN_NONE, 0, 0);
	check_row(4, 10, FAMFS_PIN_LIVE, 0, 0);
	check_row(5, 12, FAMFS_PIN_EVICTED, 0, 0);
	ck_assert(rep.rows[4].self);
	ck_assert(!rep.rows[0].self);
	ck_assert_int_eq(rep.rows[0].rc, 0);
	ck_assert_str_eq(rep.rows[0].h.hostname, "pinner");
	ck_assert_uint_eq(rep.rows[1].h.released_seq, 6);
	ck_assert_uint_eq(rep.next_seq, FT_MKFS_ENTRIES + 6);
	ck_assert_uint_eq(rep.floor, 0);
	ck_assert_uint_eq(rep.awaiting_bytes, 3 * UNIT);
	famfs_hosts_report_free(&rep);
	famfs_fs_close(&hfs);
}
END_TEST

/* Watching: whose heartbeat moves. */
START_TEST(test_hosts_list_watch)
{
	struct famfs_host_self me = { .slot = 5, .info = ft_host(5, 0) };

	ft_pin(&fs, 2, 0);
	ft_put_host(&fs, 5, &me.info);
	start_beating(&me);
	open_hfs();
	list(true);
	ck_assert_uint_eq(rep.n, 2);
	ck_assert(rep.rows[0].watched);
	ck_assert(!rep.rows[0].alive);
	ck_assert(rep.rows[1].watched);
	ck_assert(rep.rows[1].alive);
	famfs_hosts_report_free(&rep);
	famfs_fs_close(&hfs);
}
END_TEST

START_TEST(test_hosts_list_no_table)
{
	ft_close(&fs);
	ft_make_older(img, FAMFS_VERSION_MINOR_DELETE);
	ft_open(&fs, img);
	open_hfs();
	ck_assert_int_eq(famfs_hosts_list(&hfs, false, &rep, &err), -ENOENT);
	ck_assert_msg(strstr(err.msg, "img: the file system is format 1.1, which has no host table: deleted space is never reused"),
		      "%s", err.msg);
	famfs_fs_close(&hfs);
}
END_TEST

static int evict(const char *who, struct famfs_host_row *out)
{
	memset(&err, 0, sizeof(err));
	return famfs_hosts_evict(&hfs, who, true, out, &err);
}

START_TEST(test_hosts_evict)
{
	char text[FAMFS_HOST_ENTRY_SHOWN];
	struct famfs_host_row out;
	struct famfs_entry *e = malloc(sizeof(*e));
	uint64_t seq;

	two_deletes();
	ft_pin(&fs, 2, 0);
	ft_pin(&fs, 4, 6);
	put_state(6, FAMFS_HOST_UNMOUNTED, 0);
	open_hfs();
	seq = hfs.log.hdr.next_seq;
	ck_assert_int_eq(evict(PINNER2, &out), 0);
	ck_assert_uint_eq(out.slot, 2);
	ck_assert_uint_eq(out.h.nonce, ft_host(2, 0).nonce);
	/* The log's last entry is an EVICT of that mount. */
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq + 1);
	last_entry(&hfs.log, e);
	ck_assert_uint_eq(e->seq, seq);
	ck_assert_uint_eq(e->type, FAMFS_ENTRY_EVICT);
	ck_assert_str_eq(famfs_host_entry_show(text, sizeof(text), e),
			 "host " PINNER2 " nonce 0x0000000000005109");
	/* Slot 2 pins nothing now: slot 4 is the floor. */
	list(false);
	ck_assert_int_eq(rep.rows[0].pin, FAMFS_PIN_EVICTED);
	ck_assert_uint_eq(rep.rows[0].pinned_files, 0);
	ck_assert_uint_eq(rep.floor, 6);
	ck_assert_uint_eq(rep.awaiting_bytes, UNIT);
	famfs_hosts_report_free(&rep);
	/* Evicted already, not mounted, unknown: refused, nothing logged. */
	ck_assert_int_eq(evict(PINNER2, &out), -ENOENT);
	ck_assert_str_eq(err.msg, PINNER2 ": no mounted host has that system UUID or slot number (famfs hosts lists them)");
	ck_assert_int_eq(evict("2", &out), -EALREADY);
	ck_assert_str_eq(err.msg, "slot 2 (pinner) pins nothing: it is evicted already");
	ck_assert_int_eq(evict("6", &out), -EALREADY);
	ck_assert_str_eq(err.msg, "slot 6 (pinner) pins nothing: it is not mounted");
	ck_assert_int_eq(evict(OTHER, &out), -ENOENT);
	ck_assert_int_eq(evict("77", &out), -ENOENT);
	ck_assert_int_eq(evict("4x", &out), -ENOENT);
	ck_assert_int_eq(evict("", &out), -ENOENT);
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq + 1);
	/* By slot number; then nothing is live. */
	ck_assert_int_eq(evict("4", &out), 0);
	ck_assert_uint_eq(out.slot, 4);
	list(false);
	ck_assert_uint_eq(rep.floor, UINT64_MAX);
	ck_assert_uint_eq(rep.awaiting_bytes, 0);
	famfs_hosts_report_free(&rep);
	famfs_fs_close(&hfs);
	free(e);
}
END_TEST

/* A damaged slot has no mount to evict: it is freed, and logs nothing. */
START_TEST(test_hosts_evict_damaged)
{
	struct famfs_host_info h;
	struct famfs_host_row out;
	uint64_t seq;

	two_deletes();
	h = ft_host(2, 7);
	h.flags = FAMFS_HOST_F_NOFOLLOW;
	ft_put_host(&fs, 2, &h);
	ft_pin(&fs, 3, 7);
	ft_flip(img, SLOT_AT(3, released_seq), 0x04);
	open_hfs();
	list(false);
	ck_assert_uint_eq(rep.n, 2);
	ck_assert_int_eq(rep.rows[1].pin, FAMFS_PIN_DAMAGED);
	ck_assert_int_eq(rep.rows[1].rc, FAMFS_E_CRC);
	/* Nothing of it is known: no other slot's numbers either. */
	ck_assert_uint_eq(rep.rows[1].h.applied_seq, 0);
	ck_assert_uint_eq(rep.rows[1].h.released_seq, 0);
	ck_assert_uint_eq(rep.rows[1].h.flags, 0);
	ck_assert_str_eq(rep.rows[1].h.hostname, "");
	ck_assert_uint_eq(rep.floor, 0);
	famfs_hosts_report_free(&rep);
	seq = hfs.log.hdr.next_seq;
	ck_assert_int_eq(evict("3", &out), 0);
	ck_assert_uint_eq(out.slot, 3);
	ck_assert_int_eq(out.rc, FAMFS_E_CRC);
	ck_assert_int_eq(famfs_hosts_read(&t, 3, &h), FAMFS_E_MAGIC);
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq);
	list(false);
	ck_assert_uint_eq(rep.n, 1);
	ck_assert_uint_eq(rep.floor, 7);
	famfs_hosts_report_free(&rep);
	famfs_fs_close(&hfs);
}
END_TEST

/*
 * This host's own mount (the slot its mount record names) is refused,
 * forced or not; another mount with this system UUID (a clone's) is not.
 */
START_TEST(test_hosts_evict_own_mount)
{
	struct famfs_host_self me = put_self(5, 0);
	struct famfs_host_row out;
	uint64_t seq;

	put_self(7, 0);
	ck_assert_int_eq(famfs_mount_record_write(fs.log.sb.fs_uuid, &me), 0);
	open_hfs();
	seq = hfs.log.hdr.next_seq;
	ck_assert_int_eq(evict("5", &out), -EBUSY);
	ck_assert_str_eq(err.msg, "slot 5 (pinner) is this host's own mount of the file system: to end it, unmount it");
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq);
	ck_assert_int_eq(evict("7", &out), 0);
	ck_assert_uint_eq(out.slot, 7);
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq + 1);
	famfs_fs_close(&hfs);
}
END_TEST

/* A host whose heartbeat moves is refused unless forced. */
START_TEST(test_hosts_evict_alive)
{
	struct famfs_host_self me = { .slot = 5, .info = ft_host(5, 0) };
	struct famfs_host_row out;
	uint64_t seq;

	ft_put_host(&fs, 5, &me.info);
	start_beating(&me);
	open_hfs();
	seq = hfs.log.hdr.next_seq;
	ck_assert_int_eq(famfs_hosts_evict(&hfs, "5", false, &out, &err), -EBUSY);
	ck_assert_str_eq(err.msg, "slot 5 (pinner) is alive: its heartbeat moved while we watched; evicting it would shut down a running mount (--force does)");
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq);
	ck_assert_int_eq(evict("5", &out), 0);
	ck_assert_uint_eq(hfs.log.hdr.next_seq, seq + 1);
	famfs_fs_close(&hfs);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_claim_fresh,
		test_claim_next_free,
		test_claim_own_slot,
		test_claim_beside_beating_clone,
		test_claim_race,
		test_claim_full_table,
		test_beat,
		test_beat_stale,
		test_leave,
		test_mine_and_find,
		test_floor,
		test_floor_damaged_slot,
		test_pin,
		test_identity,
		test_hosts_list,
		test_hosts_list_watch,
		test_hosts_list_no_table,
		test_hosts_evict,
		test_hosts_evict_damaged,
		test_hosts_evict_own_mount,
		test_hosts_evict_alive,
		NULL,
	};

	return ft_main("hosts", setup, teardown, tests);
}
