// SPDX-License-Identifier: GPL-2.0
/* famfs verify: check files hold the stream famfs creat wrote from a seed. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_ops.h"

#define VERIFY_USAGE \
	"famfs verify -S SEED [-f FILE]... [-q] [-t N] [FILE...]\n" \
	"       famfs verify -m FILE,SEED... [-q] [-t N]"

/* One file to check, and what checking it found. */
struct verify_item {
	const char *path;
	uint64_t seed;
	int rc;			/* famfs_random_verify's */
	uint64_t bad;
	struct famfs_error err;
};

struct verify_args {
	struct verify_item *items;
	int n;
	bool seeded;
	uint64_t seed;		/* -S: for -f files and operands */
	unsigned int threads;
	bool quiet;
};

static void verify_help(void)
{
	printf("usage: " VERIFY_USAGE "\n\n"
	       "Check that each FILE holds the pseudo-random stream of its seed, as\n"
	       "written by 'famfs creat -S SEED'. Works on any file, in famfs or not.\n\n"
	       "Options:\n"
	       "  -S, --seed=SEED         the seed of the -f files and FILE operands\n"
	       "  -f, --filename=FILE     one more file to check (repeatable)\n"
	       "  -m, --multi=FILE,SEED   one more file with its own seed (repeatable)\n"
	       "  -t, --threadct=N        check N files at a time (default 1)\n"
	       "  -q, --quiet             print only the files that differ\n"
	       "  -h, --help              show this help\n\n"
	       "Exit codes:\n"
	       "  0  every FILE matches\n"
	       "  1  some FILE differs (the first bad offset is printed) or is unreadable\n"
	       "  2  usage error\n");
}

static int verify_one(void *arg, size_t i, unsigned int worker,
		      struct famfs_error *err)
{
	struct verify_item *it = (struct verify_item *)arg + i;

	(void)worker;
	(void)err;
	it->rc = famfs_random_verify(it->path, it->seed, &it->bad, &it->err);
	return 0;	/* every file is checked, whatever the others gave */
}

/* Print each file's result in the order given; the exit code. */
static int report(const struct verify_args *a)
{
	int i, status = FAMFS_EXIT_OK;

	for (i = 0; i < a->n; i++) {
		const struct verify_item *it = &a->items[i];

		if (it->rc < 0) {
			status = cli_fail(&it->err);
		} else if (it->rc) {
			cli_error("%s: differs from the stream of seed %llu at offset %llu",
				  it->path, (unsigned long long)it->seed,
				  (unsigned long long)it->bad);
			status = FAMFS_EXIT_FAIL;
		} else if (!a->quiet) {
			printf("%s: ok\n", it->path);
		}
	}
	return status;
}

static void add_item(struct verify_args *a, const char *path, uint64_t seed)
{
	a->items[a->n].path = path;
	a->items[a->n++].seed = seed;
}

/* -m FILE,SEED */
static int parse_multi(struct verify_args *a, char *spec)
{
	char shown[256], *f[2];
	uint64_t seed;

	snprintf(shown, sizeof(shown), "%s", spec);
	if (cli_split(spec, f, 2) != 2 || !*f[0] || famfs_parse_size(f[1], &seed)) {
		cli_error("invalid -m '%s' (FILE,SEED)", shown);
		return cli_usage_error(VERIFY_USAGE);
	}
	add_item(a, f[0], seed);
	return 0;
}

/* -f files and operands, kept in order until -S is known. */
static int parse_args(int argc, char **argv, struct verify_args *a,
		      const char **named, int *nnamed)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' },
		{ "filename", required_argument, NULL, 'f' },
		{ "multi", required_argument, NULL, 'm' },
		{ "threadct", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0;

	while (!rc && (c = getopt_long(argc, argv, "S:f:m:t:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			rc = cli_parse_size(optarg, &a->seed, VERIFY_USAGE);
			a->seeded = true;
			break;
		case 'f':
			named[(*nnamed)++] = optarg;
			break;
		case 'm':
			rc = parse_multi(a, optarg);
			break;
		case 't':
			rc = cli_parse_threads(optarg, &a->threads, VERIFY_USAGE);
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			verify_help();
			return -1;
		default:
			return cli_usage_error(VERIFY_USAGE);
		}
	}
	while (!rc && optind < argc)
		named[(*nnamed)++] = argv[optind++];
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = { .items = calloc(argc, sizeof(*a.items)) };
	const char **named = calloc(argc, sizeof(*named));
	int i, nnamed = 0, rc;

	if (!a.items || !named) {
		cli_error("out of memory");
		rc = FAMFS_EXIT_FAIL;
		goto out;
	}
	rc = parse_args(argc, argv, &a, named, &nnamed);
	if (!rc && ((nnamed && !a.seeded) || !(nnamed + a.n))) {
		if (nnamed)
			cli_error("the seed (-S) is required");
		rc = cli_usage_error(VERIFY_USAGE);
	}
	if (rc)
		goto out;
	for (i = 0; i < nnamed; i++)
		add_item(&a, named[i], a.seed);
	famfs_parallel(a.threads, a.n, verify_one, a.items, NULL);
	rc = report(&a);
out:
	free(a.items);
	free(named);
	return rc < 0 ? FAMFS_EXIT_OK : rc;
}
