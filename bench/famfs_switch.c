// SPDX-License-Identifier: GPL-2.0
/*
 * famfs-bench-switch: when does this host count in a new log generation?
 *
 *   famfs-bench-switch MOUNT GENERATION MARK SECONDS
 *
 * Reads this mount's slot in the host table (the slot its mount record
 * names) every millisecond until the slot counts in GENERATION or a later
 * one, then creates MARK: the follower writes its slot once it has played
 * the compacted log and pruned what that log no longer holds
 * (docs/compaction.md, "Following across a switch"). MARK in a directory
 * the host shares gets the host's time stamp (bench/guest/compact.sh).
 * Prints "slot S generation G applied A"; exit 1 if the slot is not there
 * after SECONDS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"

#define POLL_NS		1000000L

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "famfs-bench-switch: %s: %s\n", what, msg);
	exit(1);
}

int main(int argc, char **argv)
{
	struct timespec ms = { 0, POLL_NS };
	struct famfs_error err = { 0 };
	struct famfs_host_self me;
	struct famfs_host_info h;
	struct famfs_hosts t;
	struct famfs_fs fs;
	uint64_t gen, limit;
	int fd, rc;

	if (argc != 5) {
		fprintf(stderr, "usage: famfs-bench-switch MOUNT GENERATION MARK SECONDS\n");
		return 2;
	}
	gen = strtoull(argv[2], NULL, 0);
	limit = famfs_now_ns(CLOCK_MONOTONIC) +
		strtoull(argv[4], NULL, 0) * 1000000000ULL;
	if (famfs_fs_open(&fs, argv[1], FAMFS_FS_ROOT, &err))
		die(argv[1], err.msg);
	if (famfs_log_hosts(&fs.log, &t))
		die(argv[1], "no host table");
	rc = famfs_host_mine(&t, fs.log.sb.fs_uuid, &me);
	if (rc)
		die(argv[1], rc == -ESTALE ? "the mount record names another mount's slot" :
		    "no mount record");
	while (famfs_hosts_read(&t, me.slot, &h) || h.log_generation < gen) {
		if (famfs_now_ns(CLOCK_MONOTONIC) >= limit) {
			fprintf(stderr, "famfs-bench-switch: slot %u still at generation %llu after %s s\n",
				me.slot, (unsigned long long)h.log_generation,
				argv[4]);
			return 1;
		}
		nanosleep(&ms, NULL);
	}
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || close(fd))
		die(argv[3], "cannot create the mark");
	printf("slot %u generation %llu applied %llu\n", me.slot,
	       (unsigned long long)h.log_generation,
	       (unsigned long long)h.applied_seq);
	famfs_fs_close(&fs);
	return 0;
}
