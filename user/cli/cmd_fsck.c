// SPDX-License-Identifier: GPL-2.0
/* famfs fsck: check a file system and report what it holds. */
#include <getopt.h>
#include <stdio.h>

#include "cli_ops.h"

#define FSCK_USAGE "famfs fsck [-v] [--yaml] [--human] [--nofuse] DEVICE|IMAGE|MOUNTPOINT"

static void fsck_help(void)
{
	printf("usage: " FSCK_USAGE "\n\n"
	       "Check the superblock, the active-log record, the log header, every log\n"
	       "entry, and that no two files share space and no extent runs past the\n"
	       "device. Then report the geometry, the log areas, this host's role, and\n"
	       "the files, log and space in use.\n\n"
	       "Options:\n"
	       "  -v, --verbose  list every log entry\n"
	       "  -y, --yaml     the report as one YAML document (docs/yaml.md)\n"
	       "  --human        accepted: sizes are always given in MiB and GiB too\n"
	       "  -F, --nofuse   accepted: famfs.ko serves every mount (--fuse is refused)\n"
	       "  -h, --help     show this help\n\n"
	       "Exit codes:\n"
	       "  0  clean\n"
	       "  1  errors found (each is printed with where it is and why)\n"
	       "  2  usage error\n"
	       "  3  the device or image could not be opened or read\n");
}

static void print_problem(void *arg, int code, const char *msg)
{
	(void)arg;
	(void)code;
	printf("error: %s\n", msg);
}

static void print_note(void *arg, const char *msg)
{
	(void)arg;
	printf("note: %s\n", msg);
}

static void print_entry(void *arg, const struct famfs_entry *e,
			uint64_t dev_off)
{
	char what[FAMFS_HOST_ENTRY_SHOWN];
	struct famfs_extent_info x;
	uint32_t i;

	(void)arg;
	if (e->type == FAMFS_ENTRY_MKDIR) {
		printf("  seq %-6llu at %#-10llx dir   %04o %u:%u %s\n",
		       (unsigned long long)e->seq, (unsigned long long)dev_off,
		       e->meta.mode & 07777, e->meta.uid, e->meta.gid,
		       cli_path(e->path));
		return;
	}
	if (e->type == FAMFS_ENTRY_DELETE) {
		printf("  seq %-6llu at %#-10llx delete %s\n",
		       (unsigned long long)e->seq, (unsigned long long)dev_off,
		       cli_path(e->path));
		return;
	}
	if (e->type == FAMFS_ENTRY_RENAME) {
		printf("  seq %-6llu at %#-10llx rename %s -> ",
		       (unsigned long long)e->seq, (unsigned long long)dev_off,
		       cli_path(e->path));
		printf("%s\n", cli_path(e->dst));
		return;
	}
	if (e->type == FAMFS_ENTRY_EVICT || e->type == FAMFS_ENTRY_HOST_TABLE ||
	    e->type == FAMFS_ENTRY_GENERATION || e->type == FAMFS_ENTRY_MEMBER) {
		printf("  seq %-6llu at %#-10llx %s %s\n",
		       (unsigned long long)e->seq, (unsigned long long)dev_off,
		       e->type == FAMFS_ENTRY_EVICT ? "evict" :
		       e->type == FAMFS_ENTRY_HOST_TABLE ? "host table" :
		       e->type == FAMFS_ENTRY_MEMBER ? "add" : "log",
		       famfs_host_entry_show(what, sizeof(what), e));
		return;
	}
	if (e->type != FAMFS_ENTRY_FILE) {
		printf("  seq %-6llu at %#-10llx type %u (skipped)\n",
		       (unsigned long long)e->seq, (unsigned long long)dev_off,
		       e->type);
		return;
	}
	printf("  seq %-6llu at %#-10llx file  %04o %u:%u %s size %llu",
	       (unsigned long long)e->seq, (unsigned long long)dev_off,
	       e->meta.mode & 07777, e->meta.uid, e->meta.gid,
	       cli_path(e->path), (unsigned long long)e->meta.size);
	if (e->chunk_size)
		printf(" chunk %#llx strips", (unsigned long long)e->chunk_size);
	else
		printf(" extents");
	for (i = 0; i < e->n_extents; i++) {
		famfs_entry_extent(e, i, &x);
		printf(" %#llx+%#llx", (unsigned long long)x.offset,
		       (unsigned long long)x.len);
	}
	printf("\n");
}

/* A record copy: what it names, or why it names nothing. */
static void print_copy(const struct famfs_fsck_report *r, unsigned int i)
{
	printf("%scopy %u ", i ? "; " : "", i);
	if (r->logrec_valid & (1u << i))
		printf("generation %llu, area %u",
		       (unsigned long long)r->logrec[i].generation,
		       r->logrec[i].area);
	else if (r->logrec_empty & (1u << i))
		printf("never written");
	else
		printf("invalid (%s)", famfs_strerror(r->logrec_err[i]));
}

/* Which generation the other area holds, beside the active one. */
static const char *generation_role(const struct famfs_fsck_report *r)
{
	const struct famfs_fsck_area *a = &r->inactive;

	if (a->generation + 1 == r->gen.generation)
		return "previous";
	if (a->generation == r->gen.generation + 1)
		return "a compaction that did not switch";
	return "stale";
}

/* Format 1.3: the record's copies, the log in use, and the other area. */
static void print_areas(const struct famfs_fsck_report *r)
{
	const struct famfs_fsck_area *a = &r->inactive;
	const struct famfs_geometry *g = &r->sb.geo;
	unsigned int i;

	printf("log record:    at %#llx: ", (unsigned long long)r->sb.logrec_offset);
	for (i = 0; i < FAMFS_LOGREC_COPIES; i++)
		print_copy(r, i);
	printf("\n");
	printf("log in use:    generation %llu, area %u at %#llx\n",
	       (unsigned long long)r->gen.generation, r->gen.area,
	       (unsigned long long)(g->log_offset +
				    (uint64_t)r->gen.area * g->log_len));
	printf("area %u:        ", a->area);
	if (!a->log && a->err == FAMFS_E_MAGIC)
		printf("no log\n");
	else if (!a->log)
		printf("no log (its header: %s)\n", famfs_strerror(a->err));
	else if (!a->gen_known)
		printf("a log of %llu entries without a GENERATION entry\n",
		       (unsigned long long)a->entries);
	else
		printf("generation %llu (%s)%s, %llu entries\n",
		       (unsigned long long)a->generation, generation_role(r),
		       a->gen_area == a->area ? "" : " written for the other area",
		       (unsigned long long)a->entries);
}

static void print_geometry(const struct famfs_fsck_report *r)
{
	const struct famfs_geometry *g = &r->sb.geo;
	char a[32], b[32], c[32];

	if (g->log_areas > 1)
		printf("geometry:      device %llu bytes (%s), %u log areas of %s at %#llx; allocation unit %s\n",
		       (unsigned long long)g->dev_size, cli_bytes(g->dev_size, a, sizeof(a)),
		       g->log_areas, cli_bytes(g->log_len, b, sizeof(b)),
		       (unsigned long long)g->log_offset,
		       cli_bytes(g->alloc_unit, c, sizeof(c)));
	else
		printf("geometry:      device %llu bytes (%s), log at %#llx, %s; allocation unit %s\n",
		       (unsigned long long)g->dev_size, cli_bytes(g->dev_size, a, sizeof(a)),
		       (unsigned long long)g->log_offset, cli_bytes(g->log_len, b, sizeof(b)),
		       cli_bytes(g->alloc_unit, c, sizeof(c)));
	if (r->sb.stripe_count)
		printf("stripe:        new files get %u strips of %s chunks by default\n",
		       r->sb.stripe_count, cli_bytes(r->sb.chunk_size, a, sizeof(a)));
	if (r->sb.hosts_offset)
		printf("host table:    %u slots of %u bytes at %#llx\n",
		       r->sb.hosts_count, FAMFS_HOST_SLOT_SIZE,
		       (unsigned long long)r->sb.hosts_offset);
	else
		printf("host table:    none (format %u.%u)\n",
		       r->sb.version_major, r->sb.version_minor);
	if (r->sb.logrec_offset)
		print_areas(r);
}

/* Format 1.4: every member, where it was added, and how many this host has. */
static void print_members(const struct famfs_fsck_report *r)
{
	const struct famfs_member_info *m;
	char u[40], a[32], label[24];
	uint32_t i;

	if (!r->sb.members_offset)
		return;
	for (i = 0; i < r->sb.geo.n_members; i++) {
		m = &r->sb.members[i];
		snprintf(label, sizeof(label), "member %u:", i);
		printf("%-15s%s, %s (%s)\n", label, cli_uuid(m->uuid, u),
		       cli_bytes(m->size, a, sizeof(a)),
		       i < r->sb.ndevices ? "member table" : "MEMBER entry");
	}
	printf("members here:  %u of %u carry their label on this host\n",
	       r->members_found, r->sb.geo.n_members);
}

static void print_report(const char *path, const struct famfs_fsck_report *r)
{
	char u[40], a[32], b[32], d[32];

	printf("device:        %s (%llu bytes)\n", path,
	       (unsigned long long)r->device_size);
	if (!r->log_valid)
		return;
	printf("version:       %u.%u\n", r->sb.version_major, r->sb.version_minor);
	printf("fs UUID:       %s\n", cli_uuid(r->sb.fs_uuid, u));
	printf("master UUID:   %s\n", cli_uuid(r->sb.master_uuid, u));
	printf("role:          %s\n", r->role_known ? famfs_role_name(r->role) :
	       "unknown (system UUID unreadable)");
	print_geometry(r);
	print_members(r);
	printf("files:         %llu", (unsigned long long)r->files);
	if (r->deleted_files)
		printf(" (and %llu deleted)",
		       (unsigned long long)r->deleted_files);
	printf("\n");
	printf("directories:   %llu\n", (unsigned long long)r->dirs);
	printf("log entries:   %llu used (%llu bytes); %llu bytes free (about %llu more files)\n",
	       (unsigned long long)r->entries, (unsigned long long)r->log_used,
	       (unsigned long long)r->log_free,
	       (unsigned long long)r->log_free_entries);
	printf("space:         %s used, %s free; of the used, %s awaiting release (deleted files)\n",
	       cli_bytes(r->space_used, a, sizeof(a)),
	       cli_bytes(r->space_free, b, sizeof(b)),
	       cli_bytes(r->space_deleted, d, sizeof(d)));
	if (r->hosts_pinning)
		printf("pinned by:     %s: mounted, and not done with deleted files (famfs hosts)\n",
		       r->pinned_by);
}

int cmd_fsck(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "yaml", no_argument, NULL, 'y' },
		{ "human", no_argument, NULL, 'H' },
		{ "nofuse", no_argument, NULL, 'F' },
		{ "fuse", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_fsck_ops ops = { .problem = print_problem, .note = print_note };
	struct famfs_fsck_report rep;
	struct famfs_error err = { 0 };
	bool yaml = false;
	int c;

	while ((c = getopt_long(argc, argv, "vyFh", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
		case 'F':
			break;
		case 'U':
			return cli_no_fuse();
		case 'v':
			ops.entry = print_entry;
			break;
		case 'y':
			yaml = true;
			break;
		case 'h':
			fsck_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(FSCK_USAGE);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(FSCK_USAGE);
	if (yaml)
		return cli_fsck_yaml(argv[optind]);
	if (famfs_fsck_path(argv[optind], &ops, &rep, &err)) {
		cli_lib_error(&err);
		return FAMFS_EXIT_DEVICE;
	}
	print_report(argv[optind], &rep);
	if (rep.errors) {
		printf("result:        %u error%s\n", rep.errors,
		       rep.errors == 1 ? "" : "s");
		return FAMFS_EXIT_FAIL;
	}
	printf("result:        clean\n");
	return FAMFS_EXIT_OK;
}
