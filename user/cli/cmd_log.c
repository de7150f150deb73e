// SPDX-License-Identifier: GPL-2.0
/* famfs log: print the metadata log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define LOG_USAGE "famfs log [--yaml] MOUNTPOINT|DEVICE"

static void log_help(void)
{
	printf("usage: " LOG_USAGE "\n\n"
	       "Print every entry of the log of a mounted famfs (through its metadata\n"
	       "files) or of a device or image: a table, after a line naming the log's\n"
	       "generation and area (format 1.3), or with --yaml one YAML document per\n"
	       "entry (schema in docs/yaml.md).\n\n"
	       "Options:\n"
	       "  -y, --yaml  YAML output\n"
	       "  -h, --help  show this help\n\n"
	       "Exit codes:\n"
	       "  0  the whole log printed\n"
	       "  1  an entry is damaged (everything before it was printed)\n"
	       "  2  usage error\n"
	       "  3  the device or mount could not be opened\n");
}

static void print_entry(const struct famfs_entry *e)
{
	struct famfs_extent_info x;
	uint32_t i;

	printf("%-7llu %-5s %04o %5u %5u %12llu ", (unsigned long long)e->seq,
	       e->type == FAMFS_ENTRY_FILE ? "file" : "dir",
	       e->meta.mode & 07777, e->meta.uid, e->meta.gid,
	       (unsigned long long)e->meta.size);
	if (e->chunk_size)
		printf("chunk=%#llx:", (unsigned long long)e->chunk_size);
	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		printf("%s%#llx+%#llx", i ? "," : "", (unsigned long long)x.offset,
		       (unsigned long long)x.len);
	}
	printf("%s %s\n", e->n_extents ? "" : "-", cli_path(e->path));
}

/* An entry with no mode, owner, size or extents: those columns are "-". */
static void print_other(const struct famfs_entry *e, const char *type,
			const char *what)
{
	printf("%-7llu %-5s %4s %5s %5s %12s - %s", (unsigned long long)e->seq,
	       type, "-", "-", "-", "-", what);
}

/* DELETE and RENAME carry only paths. */
static void print_nameop(const struct famfs_entry *e)
{
	print_other(e, e->type == FAMFS_ENTRY_DELETE ? "del" : "mv",
		    cli_path(e->path));
	if (e->type == FAMFS_ENTRY_RENAME)
		printf(" -> %s", cli_path(e->dst));
	printf("\n");
}

/*
 * EVICT, HOST_TABLE, GENERATION and MEMBER carry no path: what they say
 * takes its column.
 */
static void print_hostop(const struct famfs_entry *e)
{
	char what[FAMFS_HOST_ENTRY_SHOWN];

	print_other(e, e->type == FAMFS_ENTRY_EVICT ? "evict" :
		    e->type == FAMFS_ENTRY_HOST_TABLE ? "hosts" :
		    e->type == FAMFS_ENTRY_MEMBER ? "membr" : "gen",
		    famfs_host_entry_show(what, sizeof(what), e));
	printf("\n");
}

/* With two log areas (format 1.3): which one is the log, of which generation. */
static void print_log_area(const struct famfs_log *log)
{
	if (log->sb.geo.log_areas < 2)
		return;
	printf("log:    generation %llu in area %u of %u (device offset %#llx)\n",
	       (unsigned long long)log->gen.generation, log->gen.area,
	       log->sb.geo.log_areas,
	       (unsigned long long)famfs_log_dev_off(log, 0));
}

/*
 * Format 1.4: the members of a member table of several, which no entry
 * logs (the MEMBER entries' rows show the others).
 */
static void print_member_table(const struct famfs_log *log)
{
	const struct famfs_member_info *m;
	char u[40];
	uint32_t i;

	for (i = 0; log->sb.ndevices > 1 && i < log->sb.ndevices; i++) {
		m = &log->sb.members[i];
		printf("table:  member %u %s, %llu bytes\n", i,
		       cli_uuid(m->uuid, u), (unsigned long long)m->size);
	}
}

static int print_table(const struct famfs_log *log, struct famfs_error *err)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	int rc = 0;

	if (!e)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	print_log_area(log);
	print_member_table(log);
	printf("%-7s %-5s %-4s %5s %5s %12s %s %s\n", "SEQ", "TYPE", "MODE",
	       "UID", "GID", "SIZE", "EXTENTS", "PATH");
	famfs_log_iter_init(&it, log);
	while (!rc && famfs_log_iter_more(&it)) {
		rc = famfs_log_iter_next(&it, e, err);
		if (!rc && (e->type == FAMFS_ENTRY_FILE || e->type == FAMFS_ENTRY_MKDIR))
			print_entry(e);
		else if (!rc && (e->type == FAMFS_ENTRY_DELETE ||
				 e->type == FAMFS_ENTRY_RENAME))
			print_nameop(e);
		else if (!rc && (e->type == FAMFS_ENTRY_EVICT ||
				 e->type == FAMFS_ENTRY_HOST_TABLE ||
				 e->type == FAMFS_ENTRY_GENERATION ||
				 e->type == FAMFS_ENTRY_MEMBER))
			print_hostop(e);
	}
	if (!rc)
		rc = famfs_log_iter_finish(&it, err);
	free(e);
	return rc;
}

int cmd_log(int argc, char **argv)
{
	static const struct cli_cmd cmd = { LOG_USAGE, log_help };
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	bool yaml = false;
	int rc;

	rc = cli_plain_options(argc, argv, &cmd, &yaml);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(LOG_USAGE);
	if (famfs_fs_open(&fs, argv[optind], FAMFS_FS_OFFLINE, &err)) {
		cli_lib_error(&err);
		return FAMFS_EXIT_DEVICE;
	}
	rc = yaml ? famfs_yaml_log(stdout, &fs.log, &err) :
		    print_table(&fs.log, &err);
	famfs_fs_close(&fs);
	return rc ? cli_fail(&err) : FAMFS_EXIT_OK;
}
