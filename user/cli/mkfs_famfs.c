// SPDX-License-Identifier: GPL-2.0
/* mkfs.famfs: create a famfs file system on devices or images. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli_ops.h"

#define MKFS_USAGE "mkfs.famfs [-f] [-k] [-l LOGLEN] [-N STRIPS [-C CHUNK]] [--nofuse] [-h] DEVICE [DEVICE...]"

static void mkfs_help(void)
{
	printf("usage: " MKFS_USAGE "\n\n"
	       "Create a famfs file system on DEVICE: a /dev/daxX.Y devdax device, a\n"
	       "/dev/pmemN block device with DAX, or a regular file (an image). This\n"
	       "host becomes the file system's master: the only host that may add files.\n"
	       "Each further DEVICE becomes a member of the file system (member 1, 2,\n"
	       "... in order): it gets a label that names the file system and its\n"
	       "index, by which every host finds it (docs/devices.md).\n\n"
	       "Options:\n"
	       "  -f, --force         overwrite an existing famfs file system or member\n"
	       "                      label\n"
	       "  -k, --kill          with -f: only invalidate the superblock, then exit\n"
	       "  -l, --loglen=LEN    log size, a power of two >= 8M (suffixes K M G T;\n"
	       "                      default 8M)\n"
	       "  -N, --stripe=N      stripe new files over N strips by default (2 to\n"
	       "                      64; famfs creat and cp -N override it)\n"
	       "  -C, --chunk=SIZE    their chunk size, a multiple of 2M (default 2M)\n"
	       "  --nofuse            accepted: famfs.ko serves every mount (--fuse is\n"
	       "                      refused)\n"
	       "  -h, --help          show this help\n\n"
	       "Exit codes:\n"
	       "  0  file system created (or, with -k, superblock invalidated)\n"
	       "  1  refused: a DEVICE holds a famfs or a member label (no -f), is\n"
	       "     mounted, or is too small\n"
	       "  2  usage error (bad option or LOGLEN, a DEVICE named twice)\n"
	       "  3  DEVICE could not be opened or is not famfs-capable\n");
}

static int exit_code(int rc)
{
	switch (rc) {
	case -EEXIST:
	case -EBUSY:
	case -ENOSPC:
		return FAMFS_EXIT_FAIL;
	case -EINVAL:
		return FAMFS_EXIT_USAGE;
	}
	return FAMFS_EXIT_DEVICE;
}

/* Every member but 0: index, device, UUID, size. */
static void print_members(char **paths, const struct famfs_sb_info *sb)
{
	const struct famfs_member_info *m;
	char u[40], a[32], label[24];
	uint32_t i;

	for (i = 1; i < sb->ndevices; i++) {
		m = &sb->members[i];
		snprintf(label, sizeof(label), "member %u:", i);
		printf("%-14s%s, UUID %s, %s\n", label, paths[i],
		       cli_uuid(m->uuid, u), cli_bytes(m->size, a, sizeof(a)));
	}
}

/* Bytes files may take on every member. */
static uint64_t data_bytes(const struct famfs_sb_info *sb)
{
	const struct famfs_geometry *g = &sb->geo;
	uint64_t data = 0;
	uint32_t i;

	for (i = 0; i < g->n_members; i++)
		data += g->member_size[i] - famfs_geo_data_start(g, i);
	return data;
}

static void print_summary(char **paths, const struct famfs_sb_info *sb)
{
	const struct famfs_geometry *g = &sb->geo;
	uint64_t data = data_bytes(sb);
	char u[40], a[32], b[32];
	const char *path = paths[0];

	printf("device:       %s\n", path);
	printf("size:         %llu bytes (%s)\n", (unsigned long long)g->dev_size,
	       cli_bytes(g->dev_size, a, sizeof(a)));
	printf("fs UUID:      %s\n", cli_uuid(sb->fs_uuid, u));
	printf("master UUID:  %s (this host)\n", cli_uuid(sb->master_uuid, u));
	printf("host table:   %u slots at offset %#llx\n", sb->hosts_count,
	       (unsigned long long)sb->hosts_offset);
	printf("log:          %u areas of %s at offset %#llx (one in use, one to compact into)\n",
	       g->log_areas, cli_bytes(g->log_len, a, sizeof(a)),
	       (unsigned long long)g->log_offset);
	print_members(paths, sb);
	printf("capacity:     %s in %llu units of %s\n", cli_bytes(data, a, sizeof(a)),
	       (unsigned long long)(data / g->alloc_unit),
	       cli_bytes(g->alloc_unit, b, sizeof(b)));
	if (sb->stripe_count)
		printf("stripe:       %u strips of %s chunks by default\n",
		       sb->stripe_count, cli_bytes(sb->chunk_size, a, sizeof(a)));
}

/*
 * A namespace made with map=dev works for one host only: famfs mount
 * refuses it without -o single_host. Say so now, while recreating the
 * namespace costs nothing.
 */
static void warn_memmap_on_device(const char *path)
{
	struct famfs_memmap_info mi;
	const char *ns;

	if (famfs_device_memmap(path, &mi) || mi.where != FAMFS_MEMMAP_DEVICE)
		return;
	ns = mi.namespace[0] ? mi.namespace : "NAMESPACE";
	fprintf(stderr,
		"mkfs.famfs: warning: %s keeps its struct pages on the device (namespace %s, map=dev),\n"
		"  where other hosts that share this memory would overwrite them: famfs mount refuses\n"
		"  it unless told -o single_host. For several hosts, recreate the namespace first:\n"
		"  ndctl create-namespace -f -e %s %s --map=mem\n",
		path, ns, ns, mi.devdax ? "--mode=devdax --align=4K" : "--mode=fsdax");
}

static int parse_loglen(const char *arg, uint64_t *len)
{
	/* 0 would mean "the default" to the library: refuse it here. */
	if (famfs_parse_size(arg, len) || !*len) {
		cli_error("invalid log length '%s'", arg);
		return cli_usage_error(MKFS_USAGE);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "kill", no_argument, NULL, 'k' },
		{ "loglen", required_argument, NULL, 'l' },
		{ "nofuse", no_argument, NULL, 'F' },
		{ "fuse", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		CLI_LAYOUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_layout stripe = { 0 };
	struct famfs_mkfs_opts mo = { 0 };
	struct famfs_error err = { 0 };
	struct famfs_sb_info sb;
	int c, rc;

	cli_prog = "mkfs.famfs";
	while ((c = getopt_long(argc, argv, "fkl:N:C:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			mo.force = true;
			break;
		case 'k':
			mo.kill = true;
			break;
		case 'l':
			rc = parse_loglen(optarg, &mo.log_len);
			if (rc)
				return rc;
			break;
		case 'N':
		case 'C':
			rc = cli_parse_layout(c, optarg, &stripe, MKFS_USAGE);
			if (rc)
				return rc;
			break;
		case 'F':
			break;
		case 'U':
			return cli_no_fuse();
		case 'h':
			mkfs_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(MKFS_USAGE);
		}
	}
	if (optind >= argc)
		return cli_usage_error(MKFS_USAGE);
	mo.stripe_count = stripe.nstrips;
	mo.chunk_size = stripe.chunk;
	mo.members = (const char *const *)argv + optind + 1;
	mo.nmembers = argc - optind - 1;
	for (c = optind; !mo.kill && c < argc; c++)
		warn_memmap_on_device(argv[c]);
	rc = famfs_mkfs(argv[optind], &mo, &sb, &err);
	if (rc) {
		cli_lib_error(&err);
		return exit_code(rc);
	}
	if (mo.kill)
		printf("%s: superblock invalidated\n", argv[optind]);
	else
		print_summary(argv + optind, &sb);
	return FAMFS_EXIT_OK;
}
