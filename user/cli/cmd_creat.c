// SPDX-License-Identifier: GPL-2.0
/* famfs creat: allocate, log and create files of a given size (master only). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_ops.h"

#define CREAT_USAGE \
	"famfs creat -s SIZE [-m MODE] [-u UID] [-g GID] [--random SEED] [-v] FILE..."

struct creat_args {
	char **files;
	int n;
	struct famfs_meta meta;
	bool random;
	uint64_t seed;
	bool verbose;
};

static void creat_help(void)
{
	printf("usage: " CREAT_USAGE "\n\n"
	       "Create files of SIZE bytes in a mounted famfs: space is allocated in\n"
	       "2 MiB units, (with --random) the data written and flushed, then the\n"
	       "file is logged and created locally. Only the master may add files.\n"
	       "Needs root.\n\n"
	       "Options:\n"
	       "  -s, --size=SIZE     bytes, with an optional K, M, G or T suffix\n"
	       "  -m, --mode=MODE     octal permissions (default 0644)\n"
	       "  -u, --uid=UID       owner (default: the caller)\n"
	       "  -g, --gid=GID       group (default: the caller's)\n"
	       "  -r, --random=SEED   fill with the reproducible stream of SEED\n"
	       "                      (famfs verify -S SEED checks it)\n"
	       "  -v, --verbose       print each file created\n"
	       "  -h, --help          show this help\n\n"
	       "Exit codes:\n"
	       "  0  every FILE created\n"
	       "  1  some FILE failed (exists, device full, log full, client host, ...)\n"
	       "  2  usage error\n");
}

static int create_files(struct famfs_creator *c, void *arg)
{
	struct creat_args *a = arg;
	struct famfs_error err = { 0 };
	int i, rc, status = FAMFS_EXIT_OK;
	char *rel = NULL;

	for (i = 0; i < a->n; i++) {
		rc = famfs_fs_relpath(c->fs, a->files[i], &rel, &err);
		if (!rc)
			rc = famfs_create_file(c, rel, &a->meta,
					       a->random ? famfs_random_fill_fn : NULL,
					       &a->seed, &err);
		if (!rc && a->verbose)
			cli_report(NULL, "create", rel);
		free(rel);
		rel = NULL;
		if (rc)
			status = cli_fail(&err);
		if (rc == FAMFS_E_LOG_FULL || rc == -ENOSPC)
			break;
	}
	return status;
}

static int parse_args(int argc, char **argv, struct creat_args *a)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "random", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t uid = geteuid(), gid = getegid();
	int c, rc = 0, mode = 0644;
	bool sized = false;

	while (!rc && (c = getopt_long(argc, argv, "s:m:u:g:r:vh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			rc = cli_parse_size(optarg, &a->meta.size, CREAT_USAGE);
			sized = true;
			break;
		case 'm':
			rc = cli_parse_mode(optarg, &mode, CREAT_USAGE);
			break;
		case 'u':
			rc = cli_parse_id(optarg, &uid, CREAT_USAGE);
			break;
		case 'g':
			rc = cli_parse_id(optarg, &gid, CREAT_USAGE);
			break;
		case 'r':
			rc = cli_parse_size(optarg, &a->seed, CREAT_USAGE);
			a->random = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			creat_help();
			return -1;
		default:
			return cli_usage_error(CREAT_USAGE);
		}
	}
	if (!rc && (!sized || optind >= argc)) {
		if (!sized)
			cli_error("the size (-s) is required");
		return cli_usage_error(CREAT_USAGE);
	}
	a->meta.mode = S_IFREG | mode;
	a->meta.uid = uid;
	a->meta.gid = gid;
	return rc;
}

int cmd_creat(int argc, char **argv)
{
	struct creat_args a = { 0 };
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? FAMFS_EXIT_OK : rc;
	a.files = argv + optind;
	a.n = argc - optind;
	return cli_create(a.files[0], create_files, &a);
}
