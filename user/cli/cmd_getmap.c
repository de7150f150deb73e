// SPDX-License-Identifier: GPL-2.0
/* famfs getmap: a famfs file's size and extents, as the kernel holds them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_ops.h"

#define GETMAP_USAGE "famfs getmap [--yaml] [-q] FILE"

static void getmap_help(void)
{
	printf("usage: " GETMAP_USAGE "\n\n"
	       "Print the map famfs.ko holds for FILE (FAMFS_IOC_MAP_GET_STRIPED): its\n"
	       "type, size, flags and extents; for a striped file, its chunk size and\n"
	       "strips.\n\n"
	       "Options:\n"
	       "  -y, --yaml  one YAML document (schema in docs/yaml.md)\n"
	       "  -q, --quiet print nothing: the exit code says whether FILE is a\n"
	       "              mapped famfs file\n"
	       "  -h, --help  show this help\n\n"
	       "Exit codes:\n"
	       "  0  printed\n"
	       "  1  FILE is not a mapped famfs file, or cannot be opened\n"
	       "  2  usage error\n");
}

static const char *type_name(uint32_t type)
{
	static const char *const names[] = { "regular", "superblock", "log" };

	return type < 3 ? names[type] : "unknown";
}

static void print_map(const char *path, const struct famfs_ioc_stripe_map *sm,
		      const struct famfs_ioc_extent *ext)
{
	const struct famfs_ioc_map *m = &sm->map;
	char b[32];
	uint32_t i;

	printf("file:     %s\n", path);
	printf("type:     %s\n", type_name(m->file_type));
	printf("size:     %llu\n", (unsigned long long)m->file_size);
	printf("flags:    %s\n", m->flags & FAMFS_MAP_READONLY ? "readonly" : "-");
	if (sm->chunk_size) {
		printf("chunk:    %llu (%s)\n", (unsigned long long)sm->chunk_size,
		       cli_bytes(sm->chunk_size, b, sizeof(b)));
		printf("strips:   %u\n", m->n_extents);
	} else {
		printf("extents:  %u\n", m->n_extents);
	}
	for (i = 0; i < m->n_extents; i++)
		printf("  %-4u device %u offset %#llx length %#llx (%s)\n", i,
		       ext[i].dev_index, (unsigned long long)ext[i].offset,
		       (unsigned long long)ext[i].len,
		       cli_bytes(ext[i].len, b, sizeof(b)));
}

/* -y and -q: 0 to go on, -1 after --help, or a usage error's exit code. */
static int parse_args(int argc, char **argv, bool *yaml, bool *quiet)
{
	static const struct option opts[] = {
		{ "yaml", no_argument, NULL, 'y' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "yqh", opts, NULL)) != -1) {
		if (c == 'y') {
			*yaml = true;
		} else if (c == 'q') {
			*quiet = true;
		} else if (c == 'h') {
			getmap_help();
			return -1;
		} else {
			return cli_usage_error(GETMAP_USAGE);
		}
	}
	return optind == argc - 1 ? 0 : cli_usage_error(GETMAP_USAGE);
}

int cmd_getmap(int argc, char **argv)
{
	struct famfs_error err = { 0 };
	struct famfs_ioc_stripe_map map;
	struct famfs_ioc_extent *ext;
	bool yaml = false, quiet = false;
	int fd, rc;

	rc = parse_args(argc, argv, &yaml, &quiet);
	if (rc)
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		rc = famfs_error_set(&err, -errno, "%s", strerror(errno));
	else
		rc = famfs_map_get(fd, &map, &ext, &err);
	if (fd >= 0)
		close(fd);
	if (rc) {
		if (!quiet)
			cli_error("%s: %s", argv[optind], err.msg);
		return FAMFS_EXIT_FAIL;
	}
	if (yaml && !quiet)
		rc = famfs_yaml_map(stdout, argv[optind], &map, ext);
	else if (!quiet)
		print_map(argv[optind], &map, ext);
	free(ext);
	return rc ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
