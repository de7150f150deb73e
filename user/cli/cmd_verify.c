// SPDX-License-Identifier: GPL-2.0
/* famfs verify: check files hold the stream famfs creat --random wrote. */
#include <getopt.h>
#include <stdio.h>

#include "cli_ops.h"

#define VERIFY_USAGE "famfs verify -S SEED FILE..."

static void verify_help(void)
{
	printf("usage: " VERIFY_USAGE "\n\n"
	       "Check that each FILE holds the pseudo-random stream of SEED, as written\n"
	       "by 'famfs creat --random SEED'. Works on any file, in famfs or not.\n\n"
	       "Options:\n"
	       "  -S, --seed=SEED  the seed the files were created with\n"
	       "  -h, --help       show this help\n\n"
	       "Exit codes:\n"
	       "  0  every FILE matches\n"
	       "  1  some FILE differs (the first bad offset is printed) or is unreadable\n"
	       "  2  usage error\n");
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i, rc, status = FAMFS_EXIT_OK;
	struct famfs_error err = { 0 };
	bool seeded = false;
	uint64_t seed, bad;

	while ((c = getopt_long(argc, argv, "S:h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			rc = cli_parse_size(optarg, &seed, VERIFY_USAGE);
			if (rc)
				return rc;
			seeded = true;
			break;
		case 'h':
			verify_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(VERIFY_USAGE);
		}
	}
	if (!seeded || optind >= argc)
		return cli_usage_error(VERIFY_USAGE);
	for (i = optind; i < argc; i++) {
		rc = famfs_random_verify(argv[i], seed, &bad, &err);
		if (rc < 0) {
			status = cli_fail(&err);
		} else if (rc) {
			cli_error("%s: differs from the stream of seed %llu at offset %llu",
				  argv[i], (unsigned long long)seed,
				  (unsigned long long)bad);
			status = FAMFS_EXIT_FAIL;
		} else {
			printf("%s: ok\n", argv[i]);
		}
	}
	return status;
}
