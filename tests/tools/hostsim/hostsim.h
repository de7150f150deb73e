/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs-test-hostsim: many processes acting as hosts on one image file,
 * to exercise the reuse rule (docs/space-release.md) with kills, restarts
 * and evictions, and an invariant checker. What the processes share
 * besides the image is one small file mapped by all of them (struct sim):
 * what each host holds, so that the checker can compare it with the log,
 * and the counters of the run.
 */
#ifndef FAMFS_HOSTSIM_H
#define FAMFS_HOSTSIM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "famfs/famfs_ops.h"

#define SIM_MAX_HOSTS	256	/* --hosts, the master included */
#define SIM_MAX_HELD	16	/* files one host holds open at once */
#define SIM_FILE_UNITS	8	/* the largest file the master makes */
#define SIM_MAX_EVICT	128	/* eviction requests waiting for the master */
#define SIM_POLL_MIN_MS	5	/* a host sleeps this long between polls ... */
#define SIM_POLL_MAX_MS	20	/* ... up to this */
#define SIM_BEAT_MS	FAMFS_HOST_BEAT_MS	/* an idle host beats this often */
#define SIM_STAMP_MAGIC	0x504d4154534d4953ULL	/* "SIMSTAMP" */

/* The first bytes of each unit of a file: whose it is. */
struct sim_stamp {
	uint64_t magic;
	uint64_t fseq;		/* the file's FILE entry */
	uint64_t index;		/* which of its units */
};

/* A file a host holds open (or mapped). */
struct sim_file {
	uint64_t fseq;		/* its FILE entry */
	uint64_t dseq;		/* the DELETE this host applied; 0: not yet */
	uint64_t close_ms;	/* when the host lets go of it */
	uint32_t nunits;
	uint32_t unit[SIM_FILE_UNITS];	/* device offset / alloc unit */
};

enum sim_state {
	SIM_DOWN,		/* no process */
	SIM_UP,			/* a process runs (or was killed, not reaped yet) */
};

enum sim_phase {
	SIM_CLAIMING,		/* before famfs_host_claim returned */
	SIM_PLAYING,		/* slot and nonce below are this mount's */
	SIM_LEAVING,		/* unmounting: holds nothing */
};

/* One simulated host; record 0 is the master. */
struct sim_host {
	/* Written by the controller. */
	uint32_t state;		/* enum sim_state */
	int32_t pid;
	uint32_t gen;		/* incarnation: bumped at every start */
	uint8_t uuid[16];	/* its system UUID */
	/* Written by the host. */
	uint32_t phase;		/* enum sim_phase */
	uint32_t slot;
	uint64_t nonce;
	uint64_t seqlock;	/* odd while held[] is rewritten */
	uint32_t nheld;
	struct sim_file held[SIM_MAX_HELD];
};

enum sim_evict_state {
	SIM_EVICT_FREE,
	SIM_EVICT_ASKED,	/* the controller wants this mount evicted */
};

/*
 * Evict the live slots holding uuid that no running process claimed: a
 * host's dead mounts (the controller starts none with uuid meanwhile).
 */
struct sim_evict {
	uint32_t state;
	uint8_t uuid[16];
};

/* Counters of the whole run (every epoch). */
struct sim_stats {
	uint64_t steps;		/* master steps */
	uint64_t created;	/* files published */
	uint64_t deleted;	/* deletes published */
	uint64_t reused;	/* units given to a file after a deleted one had them */
	uint64_t kills;
	uint64_t restarts;
	uint64_t evictions;	/* EVICT entries published, and slots cleared */
	uint64_t checks;
	uint64_t fscks;
	uint64_t full;		/* creates refused for want of released space */
	uint64_t held_deleted;	/* deleted files seen held by running hosts */
	uint64_t epochs;	/* file systems made, after the log filled */
};

struct sim {
	uint64_t seed;
	uint32_t nhosts;
	uint32_t breaks;	/* --break: the master ignores the release floor */
	uint32_t verbose;
	uint32_t stop;		/* controller: final check, then exit */
	uint32_t epoch_done;	/* master: the log is full and every file gone */
	uint32_t violation;	/* whoever found one; the text is in why */
	char why[4096];
	struct sim_stats st;
	/* counted from the log of the current epoch, by the master's check */
	uint64_t epoch_created, epoch_deleted, epoch_reused, epoch_evictions;
	struct sim_evict evq[SIM_MAX_EVICT];
	struct sim_host host[SIM_MAX_HOSTS];
	char image[4096];
	char dir[4096];
};

/* shm.c: the shared area, random numbers, messages. */
extern struct sim *sim;

int sim_map(const char *path, bool create);
uint64_t sim_now_ms(void);
void sim_sleep_ms(unsigned int ms);
/* A small fast generator; each process seeds its own from the run's seed. */
struct sim_rng {
	uint64_t s;
};
void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t sim_rand(struct sim_rng *r);
/* Uniform in [lo, hi]. */
uint64_t sim_range(struct sim_rng *r, uint64_t lo, uint64_t hi);
/* true with probability pct percent. */
bool sim_chance(struct sim_rng *r, unsigned int pct);
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record a violation: the first is the one the summary names (-v: all). */
void sim_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool sim_violated(void);
void sim_held_begin(struct sim_host *h);
void sim_held_end(struct sim_host *h);
/* A consistent copy of h's holdings: false if none could be had. */
bool sim_held_copy(const struct sim_host *h, struct sim_file *out,
		   uint32_t *n);
/* Per-host paths: its UUID file and its lock directory. */
void sim_host_paths(uint32_t i, char *uuid_file, char *lock_dir, size_t len);
int sim_uuid_write(uint32_t i, const uint8_t uuid[16]);
void sim_stamp_read(const uint8_t *base, uint64_t unit,
		    struct sim_stamp *out);

/* host.c: a host process. Returns its exit status. */
int sim_host_main(uint32_t i);

/* master.c: the master process. */
int sim_master_main(void);

/*
 * check.c: the invariant checker, run by the master after each step, on
 * the published log as it and the master's choices see it.
 */
struct sim_view {
	uint64_t next_seq;
	uint64_t log_free;	/* bytes left in the log */
	uint64_t nunits;
	uint64_t data_units;	/* units files may have */
	uint64_t live_units;
	uint64_t *owner;	/* per unit: 1 + the FILE seq of the live file */
	char (*live)[32];	/* paths of the live files */
	uint64_t nlive;
	struct famfs_evictions ev;
	uint64_t created, deleted, evictions;	/* entries of each */
	uint64_t reused;	/* units a file took after a deleted file */
};

void sim_view_free(struct sim_view *v);
/* Walk the published log; a problem with the log itself is a violation. */
int sim_view_build(const struct famfs_log *log, struct sim_view *v);
/* Every check but fsck; 1 on a violation. */
int sim_check(const struct famfs_log *log, const struct sim_view *v);
/* famfs_fsck of the image: 1 on a problem. */
int sim_fsck(const char *image);

#endif /* FAMFS_HOSTSIM_H */
