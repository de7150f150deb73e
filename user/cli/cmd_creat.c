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
	"famfs creat -s SIZE [-r -S SEED] [-m MODE] [-u UID] [-g GID] [-t N] [STRIPING] [-v] FILE...\n" \
	"       famfs creat -M FILE,SIZE[,SEED]... [-m MODE] [-u UID] [-g GID] [-t N] [STRIPING] [-v]\n" \
	"       STRIPING: -N STRIPS [-C CHUNK] [-B BUCKETS]"

/* One file to create: from -M, or an operand with -s and -S. */
struct creat_item {
	const char *path;
	uint64_t size;
	bool random;
	uint64_t seed;
};

struct creat_args {
	struct creat_item *items;
	int n;
	struct famfs_meta meta;
	unsigned int threads;
	struct famfs_layout layout;
	bool verbose;
};

static void creat_help(void)
{
	printf("usage: " CREAT_USAGE "\n\n"
	       "Create files of SIZE bytes in a mounted famfs: space is allocated in\n"
	       "2 MiB units, (with a seed) the data written and flushed, then the\n"
	       "file is logged and created locally. Only the master may add files.\n"
	       "Needs root.\n\n"
	       "Options:\n"
	       "  -s, --size=SIZE            bytes: decimal, or hex after 0x, with an\n"
	       "                             optional K, M, G or T suffix\n"
	       "  -S, --seed=SEED            fill with the reproducible stream of SEED\n"
	       "                             (famfs verify -S SEED checks it)\n"
	       "  -r, --randomize            fill with random data: needs -S SEED\n"
	       "  --random=SEED              the same as -r -S SEED\n"
	       "  -M, --multi=FILE,SIZE[,SEED]  one more file, of its own size and seed\n"
	       "                             (repeatable; with or without FILE operands)\n"
	       "  -m, --mode=MODE            octal permissions (default 0644)\n"
	       "  -u, --uid=UID              owner (default: the caller)\n"
	       "  -g, --gid=GID              group (default: the caller's)\n"
	       "  -t, --threadct=N           write each file's data on N threads (default 1)\n"
	       "  -N, --stripe=N, --nstrips=N  stripe each file over N strips (2 to 64;\n"
	       "                             1: not striped; default: the file system's)\n"
	       "  -C, --chunk=SIZE, --chunksize=SIZE  bytes of a strip before the next\n"
	       "                             strip: a multiple of 2M (default: the file\n"
	       "                             system's, else 2M)\n"
	       "  -B, --nbuckets=B           take strips that share a device from B\n"
	       "                             regions of it (default N)\n"
	       "  -v, --verbose              print each file created\n"
	       "  -h, --help                 show this help\n\n"
	       "Exit codes:\n"
	       "  0  every FILE created\n"
	       "  1  some FILE failed (exists, device full, log full, client host, ...)\n"
	       "  2  usage error\n");
}

static int create_one(struct famfs_creator *c, struct creat_args *a,
		      struct creat_item *it, struct famfs_error *err)
{
	struct famfs_meta meta = a->meta;
	char *rel = NULL;
	int rc;

	meta.size = it->size;
	rc = famfs_fs_relpath(c->fs, it->path, &rel, err);
	if (!rc)
		rc = famfs_create_file(c, rel, &meta,
				       it->random ? famfs_random_fill_fn : NULL,
				       &it->seed, err);
	if (!rc && a->verbose)
		cli_report(NULL, "create", rel);
	free(rel);
	return rc;
}

static int create_files(struct famfs_creator *c, void *arg)
{
	struct creat_args *a = arg;
	struct famfs_error err = { 0 };
	int i, rc, status = FAMFS_EXIT_OK;

	c->threads = a->threads;
	c->layout = a->layout;
	for (i = 0; i < a->n; i++) {
		rc = create_one(c, a, &a->items[i], &err);
		if (rc)
			status = cli_fail(&err);
		if (rc == FAMFS_E_LOG_FULL || rc == -ENOSPC)
			break;
	}
	return status;
}

/* -M FILE,SIZE[,SEED]: one more item. */
static int parse_multi(char *spec, struct creat_item *it)
{
	char shown[256], *f[3];
	int n;

	snprintf(shown, sizeof(shown), "%s", spec);
	n = cli_split(spec, f, 3);
	if (n < 2 || n > 3 || !*f[0] || famfs_parse_size(f[1], &it->size) ||
	    (n == 3 && famfs_parse_size(f[2], &it->seed))) {
		cli_error("invalid -M '%s' (FILE,SIZE[,SEED])", shown);
		return cli_usage_error(CREAT_USAGE);
	}
	it->path = f[0];
	it->random = n == 3;
	return 0;
}

/* What the options give every FILE operand. */
struct operand_opts {
	bool sized;
	bool randomize;		/* -r */
	bool seeded;		/* -S or --random */
	struct creat_item item;
};

/* The FILE operands get -s and the seed; at least one file in all. */
static int add_operands(int argc, char **argv, struct operand_opts *o,
			struct creat_args *a)
{
	int i;

	if (o->randomize && !o->seeded) {
		cli_error("-r needs a seed: -S SEED");
		return cli_usage_error(CREAT_USAGE);
	}
	if (optind < argc && !o->sized) {
		cli_error("the size (-s) is required");
		return cli_usage_error(CREAT_USAGE);
	}
	if (optind == argc && !a->n)
		return cli_usage_error(CREAT_USAGE);
	o->item.random = o->seeded;
	for (i = optind; i < argc; i++) {
		a->items[a->n] = o->item;
		a->items[a->n++].path = argv[i];
	}
	return 0;
}

enum { OPT_RANDOM = 256 };

static int parse_option(int c, struct operand_opts *o, struct creat_args *a,
			int *mode, int64_t *uid, int64_t *gid)
{
	switch (c) {
	case 's':
		o->sized = true;
		return cli_parse_size(optarg, &o->item.size, CREAT_USAGE);
	case OPT_RANDOM:
		o->randomize = true;
		/* fall through */
	case 'S':
		o->seeded = true;
		return cli_parse_size(optarg, &o->item.seed, CREAT_USAGE);
	case 'r':
		o->randomize = true;
		return 0;
	case 'M':
		return parse_multi(optarg, &a->items[a->n++]);
	case 'm':
		return cli_parse_mode(optarg, mode, CREAT_USAGE);
	case 'u':
		return cli_parse_id(optarg, uid, CREAT_USAGE);
	case 'g':
		return cli_parse_id(optarg, gid, CREAT_USAGE);
	case 't':
		return cli_parse_threads(optarg, &a->threads, CREAT_USAGE);
	case 'v':
		a->verbose = true;
		return 0;
	case 'N':
	case 'C':
	case 'B':
		return cli_parse_layout(c, optarg, &a->layout, CREAT_USAGE);
	}
	return cli_usage_error(CREAT_USAGE);
}

/* 0 to go on, -1 after --help, or the exit code of a usage error. */
static int parse_args(int argc, char **argv, struct creat_args *a)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "randomize", no_argument, NULL, 'r' },
		{ "random", required_argument, NULL, OPT_RANDOM },
		{ "multi", required_argument, NULL, 'M' },
		{ "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' },
		{ "gid", required_argument, NULL, 'g' },
		{ "threadct", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		CLI_LAYOUT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int64_t uid = geteuid(), gid = getegid();
	struct operand_opts o = { 0 };
	int c, rc = 0, mode = 0644;

	while (!rc && (c = getopt_long(argc, argv, "s:S:rM:m:u:g:t:vh" CLI_LAYOUT_SHORTOPTS, opts, NULL)) != -1) {
		if (c == 'h') {
			creat_help();
			return -1;
		}
		rc = parse_option(c, &o, a, &mode, &uid, &gid);
	}
	if (!rc)
		rc = add_operands(argc, argv, &o, a);
	a->meta.mode = S_IFREG | mode;
	a->meta.uid = uid;
	a->meta.gid = gid;
	return rc;
}

int cmd_creat(int argc, char **argv)
{
	struct creat_args a = { .items = calloc(argc, sizeof(*a.items)) };
	int rc;

	if (!a.items) {
		cli_error("out of memory");
		return FAMFS_EXIT_FAIL;
	}
	rc = parse_args(argc, argv, &a);
	if (!rc)
		rc = cli_create(a.items[0].path, create_files, &a);
	free(a.items);
	return rc < 0 ? FAMFS_EXIT_OK : rc;
}
