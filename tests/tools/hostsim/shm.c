// SPDX-License-Identifier: GPL-2.0
/*
 * What the simulation's processes share besides the image: one small file
 * mapped MAP_SHARED by each, so that a process killed at any instruction
 * leaves what it published behind for the others to read (and its
 * replacement to overwrite). Holdings are published under a sequence lock:
 * the checker must never see half of a host's list.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "hostsim.h"

struct sim *sim;

int sim_map(const char *path, bool create)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0),
		      0600);
	void *p;

	if (fd < 0)
		return -errno;
	if (create && ftruncate(fd, sizeof(*sim)) < 0) {
		close(fd);
		return -errno;
	}
	p = mmap(NULL, sizeof(*sim), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	sim = p;
	return 0;
}

uint64_t sim_now_ms(void)
{
	return famfs_now_ns(CLOCK_MONOTONIC) / 1000000ULL;
}

void sim_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* splitmix64: good enough, and the same sequence on every machine. */
uint64_t sim_rand(struct sim_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
	r->s = seed;
	r->s = sim_rand(r) ^ (a * 0xd1342543de82ef95ULL);
	r->s = sim_rand(r) ^ (b * 0xaf251af3b0f025b5ULL);
}

uint64_t sim_range(struct sim_rng *r, uint64_t lo, uint64_t hi)
{
	return lo + sim_rand(r) % (hi - lo + 1);
}

bool sim_chance(struct sim_rng *r, unsigned int pct)
{
	return sim_rand(r) % 100 < pct;
}

void sim_log(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!sim->verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "hostsim[%d] %llu: %s\n", (int)getpid(),
		(unsigned long long)(sim_now_ms() % 100000000ULL), msg);
}

void sim_violation(const char *fmt, ...)
{
	char msg[sizeof(sim->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sim->verbose)
		fprintf(stderr, "famfs-test-hostsim: violation: %s\n", msg);
	/* The first one found is the one the summary names. */
	if (__atomic_exchange_n(&sim->violation, 1, __ATOMIC_SEQ_CST))
		return;
	snprintf(sim->why, sizeof(sim->why), "%s", msg);
}

bool sim_violated(void)
{
	return __atomic_load_n(&sim->violation, __ATOMIC_ACQUIRE);
}

void sim_held_begin(struct sim_host *h)
{
	__atomic_store_n(&h->seqlock, h->seqlock + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void sim_held_end(struct sim_host *h)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&h->seqlock, h->seqlock + 1, __ATOMIC_RELEASE);
}

bool sim_held_copy(const struct sim_host *h, struct sim_file *out,
		   uint32_t *n)
{
	uint64_t before, after;
	int tries;

	for (tries = 0; tries < 100; tries++) {
		before = __atomic_load_n(&h->seqlock, __ATOMIC_ACQUIRE);
		if (before & 1) {
			sim_sleep_ms(1);
			continue;
		}
		*n = __atomic_load_n(&h->nheld, __ATOMIC_RELAXED);
		if (*n > SIM_MAX_HELD)
			*n = SIM_MAX_HELD;
		memcpy(out, h->held, *n * sizeof(*out));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		after = __atomic_load_n(&h->seqlock, __ATOMIC_ACQUIRE);
		if (before == after)
			return true;
	}
	return false;	/* a writer killed mid-update: it holds nothing now */
}

void sim_host_paths(uint32_t i, char *uuid_file, char *lock_dir, size_t len)
{
	if (uuid_file)
		snprintf(uuid_file, len, "%s/host%u.uuid", sim->dir, i);
	if (lock_dir)
		snprintf(lock_dir, len, "%s/run%u", sim->dir, i);
}

/* Each host's own system UUID file, as /etc/famfs/system_uuid is per host. */
int sim_uuid_write(uint32_t i, const uint8_t uuid[16])
{
	char path[4200], tmp[4300], text[40];
	FILE *f;

	sim_host_paths(i, path, NULL, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	uuid_unparse_lower(uuid, text);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", text);
	if (fclose(f) || rename(tmp, path))
		return -errno;
	return 0;
}

void sim_stamp_read(const uint8_t *base, uint64_t unit, struct sim_stamp *out)
{
	const uint8_t *p = base + unit * FAMFS_ALLOC_UNIT;

	famfs_invalidate(p, sizeof(*out));
	memcpy(out, p, sizeof(*out));
}
