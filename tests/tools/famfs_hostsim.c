// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-test-hostsim: the reuse rule of docs/space-release.md, exercised
 * natively by processes acting as hosts on one image file, with kills,
 * restarts and evictions, and an invariant checker (docs/testing.md).
 *
 *   famfs-test-hostsim [--hosts N] [--seconds S] [--seed N] [--image PATH] [-v]
 *
 * This process is the controller: it makes the file system, starts the
 * master and the hosts (each with its own system UUID file and lock
 * directory, as each host has its own /etc/famfs and /run/famfs), and
 * then kills and restarts them at random. A killed host is restarted with
 * its UUID (its new mount takes over its own slot), with a new UUID (its
 * old slot pins until the master evicts it), or after a while; now and
 * then a host unmounts cleanly, or a second process starts with a running
 * host's UUID (a cloned image). The master is killed too.
 *
 * Exit status: 0 with a summary line; 1 on a violation or an error; 2 on
 * bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "hostsim.h"

#define IMAGE_SIZE	(1ULL << 30)
#define TICK_MS		20
/* Chaos, in chances per tick (per mille). */
#define KILL_HOST	40	/* about 2 host kills a second */
#define KILL_MASTER	4	/* about one every 5 s */
#define STOP_HOST	10	/* a clean unmount */
#define CLONE_HOST	3	/* a second process with a running host's UUID */
#define END_WAIT_MS	30000	/* for the master's last check */

/* What the controller alone knows of each host. */
struct fate {
	uint64_t restart_ms;	/* 0: no restart planned */
	bool new_uuid;		/* restart with a UUID of its own */
	uint8_t clone_of[16];	/* restart with this UUID instead */
	bool clone;		/* it runs, or ran, with another host's UUID */
	uint64_t evict_ms;	/* 0: no eviction planned */
	uint8_t dead_uuid[16];
	bool pinning;		/* the dead mount's slot pins, no eviction asked */
	bool killed;		/* signalled, not reaped yet */
};

struct opts {
	uint32_t hosts;
	uint64_t seconds;
	uint64_t seed;
	const char *image;
	bool verbose;
	bool breaks;
};

static struct fate fates[SIM_MAX_HOSTS];
static struct sim_rng rng;

static void usage(FILE *f)
{
	fprintf(f, "usage: famfs-test-hostsim [--hosts N] [--seconds S] [--seed N] [--image PATH] [-v]\n"
		"  --hosts N     processes acting as hosts, the master included (2-%d, default 64)\n"
		"  --seconds S   how long to run (default 20)\n"
		"  --seed N      seed of every random choice (default: from the clock)\n"
		"  --image PATH  the image file to make (default: in a new directory in $TMPDIR)\n"
		"  -v            say what happens\n", SIM_MAX_HOSTS);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "hosts", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'r' },
		{ "image", required_argument, NULL, 'i' },
		{ "break", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct opts){ .hosts = 64, .seconds = 20,
			    .seed = famfs_now_ns(CLOCK_REALTIME) };
	while ((c = getopt_long(argc, argv, "vh", longs, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->hosts = strtoul(optarg, &end, 10);
			if (*end || o->hosts < 2 || o->hosts > SIM_MAX_HOSTS)
				return 2;
			break;
		case 's':
			o->seconds = strtoull(optarg, &end, 10);
			if (*end || !o->seconds)
				return 2;
			break;
		case 'r':
			o->seed = strtoull(optarg, &end, 0);
			if (*end)
				return 2;
			break;
		case 'i':
			o->image = optarg;
			break;
		case 'b':
			o->breaks = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return 2;
		}
	}
	return optind == argc ? 0 : 2;
}

/* The directory of the run: the UUID files, lock directories, shared area. */
static int make_dir(const struct opts *o)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/famfs-hostsim.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -errno;
	if (sim_map(strcat(dir, "/shared"), true))
		return -errno;
	*strrchr(dir, '/') = '\0';
	snprintf(sim->dir, sizeof(sim->dir), "%s", dir);
	if (o->image)
		snprintf(sim->image, sizeof(sim->image), "%s", o->image);
	else
		snprintf(sim->image, sizeof(sim->image), "%s/image", dir);
	return 0;
}

/* The environment of host i: its own identity and its own /run/famfs. */
static void host_env(uint32_t i)
{
	char uuid_file[4200], lock_dir[4200];

	sim_host_paths(i, uuid_file, lock_dir, sizeof(uuid_file));
	mkdir(lock_dir, 0755);
	setenv(FAMFS_SYSTEM_UUID_ENV, uuid_file, 1);
	setenv(FAMFS_LOCK_DIR_ENV, lock_dir, 1);
}

/* A fresh file system on the image, whose master is host 0. */
static int make_fs(void)
{
	struct famfs_mkfs_opts mo = { .force = true };
	struct famfs_error err = { 0 };
	struct famfs_sb_info sb;
	int fd;

	fd = open(sim->image, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, IMAGE_SIZE) < 0) {
		fprintf(stderr, "famfs-test-hostsim: %s: %s\n", sim->image,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	host_env(0);
	if (famfs_mkfs(sim->image, &mo, &sb, &err)) {
		fprintf(stderr, "famfs-test-hostsim: mkfs: %s\n", err.msg);
		return 1;
	}
	memcpy(sim->host[0].uuid, sb.master_uuid, 16);
	return 0;
}

static bool uuid_asked(const uint8_t uuid[16])
{
	uint32_t i;

	for (i = 0; i < SIM_MAX_EVICT; i++)
		if (__atomic_load_n(&sim->evq[i].state, __ATOMIC_ACQUIRE) ==
		    SIM_EVICT_ASKED && !memcmp(sim->evq[i].uuid, uuid, 16))
			return true;
	return false;
}

static int start(uint32_t i)
{
	struct sim_host *h = &sim->host[i];
	pid_t pid;

	if (sim_uuid_write(i, h->uuid))
		return 1;
	h->phase = SIM_CLAIMING;
	h->nonce = 0;
	h->nheld = 0;
	__atomic_add_fetch(&h->gen, 1, __ATOMIC_SEQ_CST);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		host_env(i);
		_exit(i ? sim_host_main(i) : sim_master_main());
	}
	h->pid = pid;
	fates[i].killed = false;
	__atomic_store_n(&h->state, SIM_UP, __ATOMIC_RELEASE);
	sim_log("started %s %u: pid %d", i ? "host" : "master", i, (int)pid);
	return 0;
}

/* Host i starts again, if it may: not while its UUID is being evicted. */
static int restart(uint32_t i)
{
	struct fate *f = &fates[i];
	struct sim_host *h = &sim->host[i];

	if (f->new_uuid)
		uuid_generate(h->uuid);
	else if (!uuid_is_null(f->clone_of))
		memcpy(h->uuid, f->clone_of, 16);
	if (uuid_asked(h->uuid))
		return 0;	/* later: its old mount's eviction is pending */
	/* Only a mount with the dead one's UUID takes its slot over. */
	if (f->pinning && memcmp(h->uuid, f->dead_uuid, 16) && !f->evict_ms)
		f->evict_ms = sim_now_ms();
	if (!memcmp(h->uuid, f->dead_uuid, 16))
		f->pinning = false;
	f->clone = !uuid_is_null(f->clone_of);
	memset(f->clone_of, 0, 16);
	f->restart_ms = 0;
	f->new_uuid = false;
	sim->st.restarts++;
	return start(i);
}

static void ask_eviction(struct fate *f)
{
	uint32_t i;

	for (i = 0; i < SIM_MAX_EVICT; i++) {
		struct sim_evict *q = &sim->evq[i];

		if (__atomic_load_n(&q->state, __ATOMIC_ACQUIRE) != SIM_EVICT_FREE)
			continue;
		memcpy(q->uuid, f->dead_uuid, 16);
		__atomic_store_n(&q->state, SIM_EVICT_ASKED, __ATOMIC_RELEASE);
		f->evict_ms = 0;
		f->pinning = false;
		return;
	}
}

/* A killed host: what becomes of it (its mount is dead, its slot pins). */
static void plan(uint32_t i)
{
	struct fate *f = &fates[i];
	uint64_t now = sim_now_ms(), r = sim_range(&rng, 0, 99);

	memcpy(f->dead_uuid, sim->host[i].uuid, 16);
	f->pinning = true;
	f->new_uuid = f->clone;		/* a clone gets an identity of its own */
	if (r < 45) {			/* same UUID: the new mount takes its slot */
		f->restart_ms = now + sim_range(&rng, 50, 1500);
		if (sim_chance(&rng, 25))
			f->evict_ms = now + sim_range(&rng, 0, 300);
	} else if (r < 80) {		/* a new UUID: the old slot is evicted */
		f->new_uuid = true;
		f->restart_ms = now + sim_range(&rng, 50, 1500);
		f->evict_ms = now + sim_range(&rng, 100, 1000);
	} else {			/* down for a while, evicted meanwhile */
		f->new_uuid = f->new_uuid || sim_chance(&rng, 50);
		f->restart_ms = now + sim_range(&rng, 2000, 6000);
		f->evict_ms = now + sim_range(&rng, 300, 1500);
	}
	if (f->new_uuid && !f->evict_ms)
		f->evict_ms = now + sim_range(&rng, 100, 1000);
}

/* A process ended: 0 if that was expected, 1 if the run fails. */
static int reaped(pid_t pid, int status)
{
	bool term = WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM;
	bool clean = (WIFEXITED(status) && !WEXITSTATUS(status)) || term;
	uint32_t i;

	for (i = 0; i < sim->nhosts; i++)
		if (sim->host[i].state == SIM_UP && sim->host[i].pid == pid)
			break;
	if (i == sim->nhosts)
		return 0;
	__atomic_store_n(&sim->host[i].state, SIM_DOWN, __ATOMIC_RELEASE);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		if (i)
			plan(i);
		else
			fates[0].restart_ms = sim_now_ms() + sim_range(&rng, 20, 300);
		return 0;
	}
	/* A clean unmount (or SIGTERM before the host took its slot), or the
	 * master's end of run or epoch. */
	if (clean) {
		if (i && !sim->stop)
			fates[i].restart_ms = sim_now_ms() + sim_range(&rng, 200, 2000);
		return 0;
	}
	if (!sim_violated())
		fprintf(stderr, "famfs-test-hostsim: %s %u (pid %d) %s %d\n",
			i ? "host" : "master", i, (int)pid,
			WIFSIGNALED(status) ? "died of signal" : "exited with status",
			WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 1;
}

static int reap(void)
{
	int status, rc = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		rc |= reaped(pid, status);
	return rc;
}

/* A random running host (0: none), not the master. */
static uint32_t running_host(void)
{
	uint32_t i, start = (uint32_t)sim_range(&rng, 1, sim->nhosts - 1), k;

	for (k = 0; k < sim->nhosts - 1; k++) {
		i = 1 + (start - 1 + k) % (sim->nhosts - 1);
		if (sim->host[i].state == SIM_UP && !fates[i].killed)
			return i;
	}
	return 0;
}

static void kill_one(uint32_t i, int sig)
{
	if (!i && sim->host[0].state != SIM_UP)
		return;
	if (!sim->host[i].pid || fates[i].killed || kill(sim->host[i].pid, sig))
		return;
	fates[i].killed = true;
	if (sig == SIGKILL)
		sim->st.kills++;
	sim_log("%s %s %u (pid %d)", sig == SIGKILL ? "killed" : "stopping",
		i ? "host" : "master", i, sim->host[i].pid);
}

/* A down host restarted with the UUID of a running one: a cloned image. */
static void clone_one(void)
{
	uint32_t src = running_host(), i;

	if (!src)
		return;
	for (i = 1; i < sim->nhosts; i++) {
		if (sim->host[i].state != SIM_DOWN || !fates[i].restart_ms)
			continue;
		memcpy(fates[i].clone_of, sim->host[src].uuid, 16);
		fates[i].new_uuid = false;
		fates[i].restart_ms = sim_now_ms();
		sim_log("host %u will start as a clone of host %u", i, src);
		return;
	}
}

static void chaos(void)
{
	if (sim_range(&rng, 0, 999) < KILL_HOST)
		kill_one(running_host(), SIGKILL);
	if (sim_range(&rng, 0, 999) < KILL_MASTER)
		kill_one(0, SIGKILL);
	if (sim_range(&rng, 0, 999) < STOP_HOST)
		kill_one(running_host(), SIGTERM);
	if (sim_range(&rng, 0, 999) < CLONE_HOST)
		clone_one();
}

/* Restarts and evictions that are due. */
static int due(void)
{
	uint64_t now = sim_now_ms();
	uint32_t i;
	int rc = 0;

	for (i = 0; !rc && i < sim->nhosts; i++) {
		struct fate *f = &fates[i];

		if (f->evict_ms && f->evict_ms <= now)
			ask_eviction(f);
		if (sim->host[i].state != SIM_DOWN || !f->restart_ms ||
		    f->restart_ms > now)
			continue;
		if (i) {
			rc = restart(i);
			continue;
		}
		f->restart_ms = 0;
		sim->st.restarts++;
		rc = start(0);
	}
	return rc;
}

/* Stop every host: SIGTERM (a clean unmount), then SIGKILL the slow. */
static void stop_hosts(void)
{
	uint64_t until;
	uint32_t i;

	for (i = 1; i < sim->nhosts; i++)
		if (sim->host[i].state == SIM_UP)
			kill(sim->host[i].pid, SIGTERM);
	until = sim_now_ms() + 5000;
	for (;;) {
		reap();
		for (i = 1; i < sim->nhosts && sim->host[i].state != SIM_UP; i++)
			;
		if (i == sim->nhosts)
			return;
		if (sim_now_ms() > until)
			kill(sim->host[i].pid, SIGKILL);
		sim_sleep_ms(10);
	}
}

/* A run that failed: the master need not finish. */
static void kill_master(void)
{
	if (sim->host[0].state != SIM_UP)
		return;
	kill(sim->host[0].pid, SIGKILL);
	while (sim->host[0].state == SIM_UP) {
		reap();
		sim_sleep_ms(10);
	}
}

/* Wait for the master's last check (starting it if it is down). */
static int end_master(void)
{
	uint64_t until = sim_now_ms() + END_WAIT_MS;
	int rc = 0;

	__atomic_store_n(&sim->stop, 1, __ATOMIC_RELEASE);
	if (sim->host[0].state == SIM_DOWN && !sim_violated())
		rc = start(0);
	while (!rc && sim->host[0].state == SIM_UP) {
		if (sim_now_ms() > until) {
			fprintf(stderr, "famfs-test-hostsim: the master's last check did not end\n");
			kill(sim->host[0].pid, SIGKILL);
			rc = 1;
		}
		rc |= reap();
		sim_sleep_ms(10);
	}
	return rc;
}

/* Everyone, on a new file system: each host with a UUID of its own. */
static int start_all(void)
{
	uint32_t i;
	int rc = 0;

	for (i = 0; !rc && i < sim->nhosts; i++) {
		memset(&fates[i], 0, sizeof(fates[i]));
		if (i)
			uuid_generate(sim->host[i].uuid);
		rc = start(i);
	}
	return rc;
}

/* The log filled: count what it held, and start again on a new file system. */
static int new_epoch(void)
{
	struct sim_stats *st = &sim->st;

	while (sim->host[0].state == SIM_UP) {
		reap();
		sim_sleep_ms(10);
	}
	stop_hosts();
	if (sim_fsck(sim->image))
		return 1;
	st->created += sim->epoch_created;
	st->deleted += sim->epoch_deleted;
	st->reused += sim->epoch_reused;
	st->evictions += sim->epoch_evictions;
	sim->epoch_created = sim->epoch_deleted = 0;
	sim->epoch_reused = sim->epoch_evictions = 0;
	memset(sim->evq, 0, sizeof(sim->evq));
	st->epochs++;
	sim->epoch_done = 0;
	sim_log("the log is full: a new file system");
	return make_fs() || start_all();
}

static int control(uint64_t seconds)
{
	uint64_t end = sim_now_ms() + seconds * 1000;
	int rc = start_all();

	while (!rc && !sim_violated() && sim_now_ms() < end) {
		rc = reap();
		if (!rc && sim->epoch_done)
			rc = new_epoch();
		if (!rc)
			chaos();
		if (!rc)
			rc = due();
		sim_sleep_ms(TICK_MS);
	}
	if (!rc && !sim_violated())
		rc = end_master();
	__atomic_store_n(&sim->stop, 1, __ATOMIC_RELEASE);
	kill_master();
	stop_hosts();
	if (!rc && !sim_violated())
		rc = sim_fsck(sim->image);
	return rc || sim_violated();
}

static void summary(const struct opts *o, int rc)
{
	const struct sim_stats *st = &sim->st;

	printf("famfs-test-hostsim: %s: %u hosts, %llu s, seed %llu: steps %llu, files created %llu, deletes %llu, reuses %llu, kills %llu, restarts %llu, evictions %llu, checks %llu (fsck %llu), held deleted %llu, full %llu, epochs %llu\n",
	       rc ? "FAILED" : "ok", o->hosts, (unsigned long long)o->seconds,
	       (unsigned long long)o->seed, (unsigned long long)st->steps,
	       (unsigned long long)(st->created + sim->epoch_created),
	       (unsigned long long)(st->deleted + sim->epoch_deleted),
	       (unsigned long long)(st->reused + sim->epoch_reused),
	       (unsigned long long)st->kills, (unsigned long long)st->restarts,
	       (unsigned long long)(st->evictions + sim->epoch_evictions),
	       (unsigned long long)st->checks, (unsigned long long)st->fscks,
	       (unsigned long long)st->held_deleted,
	       (unsigned long long)st->full, (unsigned long long)st->epochs + 1);
	if (sim_violated())
		printf("famfs-test-hostsim: violation: %s\n", sim->why);
	if (rc && !o->breaks)
		printf("famfs-test-hostsim: the image and the shared state are kept in %s; run again with --seed %llu\n",
		       sim->dir, (unsigned long long)o->seed);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) ? -1 : 0;
}

/* Remove the run's directory (and the image in it; a named one stays). */
static void cleanup(void)
{
	if (nftw(sim->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "famfs-test-hostsim: could not remove %s: %s\n",
			sim->dir, strerror(errno));
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc = parse(argc, argv, &o);

	if (rc) {
		usage(stderr);
		return 2;
	}
	if (make_dir(&o)) {
		fprintf(stderr, "famfs-test-hostsim: cannot make the run's directory: %s\n",
			strerror(errno));
		return 1;
	}
	sim->seed = o.seed;
	sim->nhosts = o.hosts;
	sim->breaks = o.breaks;
	sim->verbose = o.verbose;
	sim_rng_seed(&rng, o.seed, 0x636f6e74726f6c, 0);
	signal(SIGPIPE, SIG_IGN);
	rc = make_fs() || control(o.seconds);
	summary(&o, rc);
	/* A run with --break is meant to fail: nothing in it to look at. */
	if (!rc || o.breaks)
		cleanup();
	return rc ? 1 : 0;
}
