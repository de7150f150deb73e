// SPDX-License-Identifier: GPL-2.0
/* famfs getmap: a famfs file's size and extents, as the kernel holds them. */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_ops.h"

#define GETMAP_USAGE "famfs getmap [--yaml] FILE"

static void getmap_help(void)
{
	printf("usage: " GETMAP_USAGE "\n\n"
	       "Print the map famfs.ko holds for FILE (FAMFS_IOC_MAP_GET): its type,\n"
	       "size, flags and extents.\n\n"
	       "Options:\n"
	       "  -y, --yaml  one YAML document (schema in docs/yaml.md)\n"
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

static void print_map(const char *path, const struct famfs_ioc_map *m,
		      const struct famfs_ioc_extent *ext)
{
	char b[32];
	uint32_t i;

	printf("file:     %s\n", path);
	printf("type:     %s\n", type_name(m->file_type));
	printf("size:     %llu\n", (unsigned long long)m->file_size);
	printf("flags:    %s\n", m->flags & FAMFS_MAP_READONLY ? "readonly" : "-");
	printf("extents:  %u\n", m->n_extents);
	for (i = 0; i < m->n_extents; i++)
		printf("  %-4u device %u offset %#llx length %#llx (%s)\n", i,
		       ext[i].dev_index, (unsigned long long)ext[i].offset,
		       (unsigned long long)ext[i].len,
		       cli_bytes(ext[i].len, b, sizeof(b)));
}

int cmd_getmap(int argc, char **argv)
{
	static const struct cli_cmd cmd = { GETMAP_USAGE, getmap_help };
	struct famfs_error err = { 0 };
	struct famfs_ioc_extent *ext;
	struct famfs_ioc_map map;
	bool yaml = false;
	int fd, rc;

	rc = cli_plain_options(argc, argv, &cmd, &yaml);
	if (rc != CLI_GO_ON)
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(GETMAP_USAGE);
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		famfs_error_set(&err, -errno, "%s: %s", argv[optind], strerror(errno));
		return cli_fail(&err);
	}
	rc = famfs_map_get(fd, &map, &ext, &err);
	close(fd);
	if (rc) {
		cli_error("%s: %s", argv[optind], err.msg);
		return FAMFS_EXIT_FAIL;
	}
	if (yaml)
		rc = famfs_yaml_map(stdout, argv[optind], &map, ext);
	else
		print_map(argv[optind], &map, ext);
	free(ext);
	return rc ? FAMFS_EXIT_FAIL : FAMFS_EXIT_OK;
}
