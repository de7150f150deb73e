// SPDX-License-Identifier: GPL-2.0
/* famfs compact: rewrite the log as the live namespace (master). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define COMPACT_USAGE	"famfs compact [-w SECONDS] PATH"
/* Long enough for a follower that polls each 10 ms under heavy load. */
#define COMPACT_WAIT_S	30
#define COMPACT_WAIT_MAX_S	86400

static void compact_help(void)
{
	printf("usage: " COMPACT_USAGE "\n\n"
	       "Rewrite the metadata log of the famfs PATH is in (or of the device or\n"
	       "image PATH names) as its live namespace: one entry per directory and\n"
	       "file, renames applied, deletes gone. The new log goes to the log area\n"
	       "no host reads, then one atomic write makes it the log (format 1.3). A\n"
	       "host following the log switches to it without remounting; its open\n"
	       "files are untouched. The master also compacts by itself when an\n"
	       "append does not fit.\n\n"
	       "Compaction waits until every mounted host has played the log to its\n"
	       "end and released every deleted file (famfs hosts shows how far each\n"
	       "one is), and refuses after SECONDS, naming the hosts that lag.\n\n"
	       "Options:\n"
	       "  -w, --wait SECONDS  wait this long for hosts (default %d)\n"
	       "  -h, --help          show this help\n\n"
	       "Exit codes:\n"
	       "  0  compacted\n"
	       "  1  refused (not the master, hosts lag, format before 1.3) or failed\n"
	       "  2  usage error\n"
	       "  3  the device or image could not be opened\n", COMPACT_WAIT_S);
}

static int parse_wait(const char *s, unsigned int *ms)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > COMPACT_WAIT_MAX_S) {
		cli_error("--wait: not a number of seconds from 0 to %d: '%s'",
			  COMPACT_WAIT_MAX_S, s);
		return FAMFS_EXIT_USAGE;
	}
	*ms = (unsigned int)v * 1000;
	return CLI_GO_ON;
}

static int compact(const char *path, const struct famfs_compact_opts *o)
{
	struct famfs_compact_report rep;
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	char a[32], b[32];
	int rc;

	rc = cli_open_master(&fs, path, FAMFS_FS_OFFLINE);
	if (rc != CLI_GO_ON)
		return rc;
	rc = famfs_compact(&fs, o, &rep, &err);
	famfs_fs_close(&fs);
	if (rc)
		return cli_fail(&err);
	printf("log compacted: generation %llu in area %u; %llu entries (%s) -> %llu entries (%s): %llu directories, %llu files; waited %llu ms for hosts, wrote in %llu ms\n",
	       (unsigned long long)rep.generation, rep.area,
	       (unsigned long long)rep.entries_before,
	       cli_bytes(rep.bytes_before, a, sizeof(a)),
	       (unsigned long long)rep.entries_after,
	       cli_bytes(rep.bytes_after, b, sizeof(b)),
	       (unsigned long long)rep.dirs, (unsigned long long)rep.files,
	       (unsigned long long)rep.waited_ms,
	       (unsigned long long)rep.write_ms);
	return FAMFS_EXIT_OK;
}

int cmd_compact(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_compact_opts o = { .wait_ms = COMPACT_WAIT_S * 1000 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			rc = parse_wait(optarg, &o.wait_ms);
			if (rc != CLI_GO_ON)
				return rc;
			break;
		case 'h':
			compact_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(COMPACT_USAGE);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(COMPACT_USAGE);
	return compact(argv[optind], &o);
}
