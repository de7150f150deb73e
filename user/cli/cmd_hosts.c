// SPDX-License-Identifier: GPL-2.0
/* famfs hosts: the hosts that mount a famfs, and eviction of dead ones. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "cli_ops.h"

#define HOSTS_USAGE \
	"famfs hosts [-n] PATH\n" \
	"       famfs hosts evict [-f] PATH UUID|SLOT"

static void hosts_help(void)
{
	printf("usage: " HOSTS_USAGE "\n\n"
	       "List the hosts that mount the famfs PATH is in (or the device or image\n"
	       "PATH names), from the host table in the shared memory: each one's slot,\n"
	       "state, name, system UUID, the log generation and how far it has\n"
	       "played the log in it, whether its heartbeat moves, and the deleted\n"
	       "files whose space it still pins. The master reuses a deleted file's\n"
	       "space only when no mounted host pins it.\n\n"
	       "'evict' (master only) declares a host that stopped while mounted dead:\n"
	       "it logs an EVICT entry for that mount, after which it pins nothing. If\n"
	       "the host is in fact running, its follower shuts its mount down on\n"
	       "seeing the entry, and it must mount again; a host whose heartbeat\n"
	       "moves is refused without -f. A damaged slot is freed.\n\n"
	       "Options:\n"
	       "  -n, --no-wait  do not watch heartbeats for 2.5 s (liveness unknown)\n"
	       "  -f, --force    evict even a host whose heartbeat moves\n"
	       "  -h, --help     show this help\n\n"
	       "Exit codes:\n"
	       "  0  listed, or evicted\n"
	       "  1  no host table (format 1.1 and older), no such host, refused\n"
	       "  2  usage error\n");
}

static const char *liveness(const struct famfs_host_row *r)
{
	if (r->pin != FAMFS_PIN_LIVE)
		return "-";
	if (!r->watched)
		return "unknown";
	return r->alive ? "alive" : "stopped";
}

static const char *state(const struct famfs_host_row *r)
{
	if (r->pin == FAMFS_PIN_EVICTED)
		return "evicted";
	return famfs_host_state_name(&r->h, r->rc);
}

static void print_row(const struct famfs_hosts_report *rep,
		      const struct famfs_host_row *r)
{
	char uuid[40] = "-", b[32];

	if (!r->rc)
		uuid_unparse_lower(r->h.system_uuid, uuid);
	printf("%-5u %-9s %-8s %-36s %-20.20s %5llu %9llu %9llu  %s%s\n", r->slot,
	       state(r), liveness(r), uuid, r->rc ? "?" : r->h.hostname,
	       (unsigned long long)r->h.log_generation,
	       (unsigned long long)r->h.applied_seq,
	       (unsigned long long)r->h.released_seq,
	       r->self ? "this host" : "",
	       r->h.flags & FAMFS_HOST_F_NOFOLLOW ? " (no follower)" : "");
	if (r->pin == FAMFS_PIN_DAMAGED)
		printf("      damaged slot: it pins all deleted space (famfs hosts evict PATH %u frees it)\n",
		       r->slot);
	else if (r->pinned_files)
		printf("      pins %s in %llu deleted file(s)%s\n",
		       cli_bytes(r->pinned_bytes, b, sizeof(b)),
		       (unsigned long long)r->pinned_files,
		       r->h.applied_seq < rep->next_seq ? ", and has not played the log to its end" : "");
}

static int list(const char *path, bool wait)
{
	struct famfs_hosts_report rep;
	struct famfs_error err = { 0 };
	struct famfs_log_gen gen = { 0 };
	uint32_t areas = 1;
	struct famfs_fs fs;
	char b[32], g[48] = "";
	size_t i;
	int rc;

	rc = famfs_fs_open(&fs, path, FAMFS_FS_OFFLINE, &err);
	if (!rc) {
		gen = fs.log.gen;
		areas = fs.log.sb.geo.log_areas;
		rc = famfs_hosts_list(&fs, wait, &rep, &err);
	}
	famfs_fs_close(&fs);
	if (rc)
		return cli_fail(&err);
	if (areas > 1)
		snprintf(g, sizeof(g), "generation %llu (area %u), ",
			 (unsigned long long)gen.generation, gen.area);
	printf("%-5s %-9s %-8s %-36s %-20s %5s %9s %9s\n", "SLOT", "STATE", "BEAT",
	       "SYSTEM UUID", "HOSTNAME", "GEN", "APPLIED", "RELEASED");
	for (i = 0; i < rep.n; i++)
		print_row(&rep, &rep.rows[i]);
	printf("log: %s%llu entries; deleted space awaiting release: %s\n", g,
	       (unsigned long long)rep.next_seq,
	       cli_bytes(rep.awaiting_bytes, b, sizeof(b)));
	famfs_hosts_report_free(&rep);
	return FAMFS_EXIT_OK;
}

static int evict(const char *path, const char *who, bool force)
{
	struct famfs_error err = { 0 };
	struct famfs_host_row row;
	struct famfs_fs fs;
	int rc;

	rc = cli_open_master(&fs, path, 0);
	if (rc != CLI_GO_ON)
		return rc;
	rc = famfs_hosts_evict(&fs, who, force, &row, &err);
	famfs_fs_close(&fs);
	if (rc)
		return cli_fail(&err);
	if (row.rc)
		printf("slot %u was damaged: freed\n", row.slot);
	else
		printf("evicted slot %u (%s): it pins nothing now; if it still runs, its mount is shut down and must be mounted again\n",
		       row.slot, row.h.hostname);
	return FAMFS_EXIT_OK;
}

int cmd_hosts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-wait", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool wait = true, force = false, evicting;
	int c;

	evicting = argc > 1 && !strcmp(argv[1], "evict");
	if (evicting) {
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "nfh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			wait = false;
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			hosts_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(HOSTS_USAGE);
		}
	}
	if (evicting && optind == argc - 2)
		return evict(argv[optind], argv[optind + 1], force);
	if (!evicting && optind == argc - 1)
		return list(argv[optind], wait);
	return cli_usage_error(HOSTS_USAGE);
}
