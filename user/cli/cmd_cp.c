// SPDX-License-Identifier: GPL-2.0
/* famfs cp: copy files and trees into a mounted famfs (master only). */
#include <getopt.h>
#include <stdio.h>

#include "cli_ops.h"

#define CP_USAGE "famfs cp [-r] [-m MODE] [-v] SRC... DEST"

static void cp_help(void)
{
	printf("usage: " CP_USAGE "\n\n"
	       "Copy files (and with -r directory trees) into a mounted famfs. As with\n"
	       "cp(1), an existing directory DEST receives SRC under its own name;\n"
	       "otherwise DEST is the new name. Each file's space is allocated, its\n"
	       "data copied and flushed, and only then is it logged and created\n"
	       "locally; the log lock is taken once for the whole command. Existing\n"
	       "files are never overwritten. Only the master may add files. Needs root.\n\n"
	       "Options:\n"
	       "  -r, --recursive  copy directories and everything below them\n"
	       "  -m, --mode=MODE  octal permissions of the files (default: the source's)\n"
	       "  -v, --verbose    print each directory and file created\n"
	       "  -h, --help       show this help\n\n"
	       "Exit codes:\n"
	       "  0  everything copied\n"
	       "  1  something was not (each failure is printed); device or log full\n"
	       "     stops the copy before the file that does not fit\n"
	       "  2  usage error\n");
}

int cmd_cp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "recursive", no_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct famfs_cp_opts o = { .mode = -1, .uid = -1, .gid = -1 };
	struct famfs_error err = { 0 };
	struct famfs_creator c;
	struct famfs_fs fs;
	const char *dest;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "rRm:vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
		case 'R':
			o.recursive = true;
			break;
		case 'm':
			rc = cli_parse_mode(optarg, &o.mode, CP_USAGE);
			if (rc)
				return rc;
			break;
		case 'v':
			o.report = cli_report;
			break;
		case 'h':
			cp_help();
			return FAMFS_EXIT_OK;
		default:
			return cli_usage_error(CP_USAGE);
		}
	}
	if (argc - optind < 2)
		return cli_usage_error(CP_USAGE);
	dest = argv[argc - 1];
	o.error = cli_report_error;
	rc = cli_need_root();
	if (!rc)
		rc = cli_create_begin(&fs, &c, dest);
	if (rc)
		return rc;
	rc = famfs_cp(&c, argv + optind, argc - optind - 1, dest, &o, &err);
	if (rc)
		rc = cli_fail(&err);
	return cli_create_end(&fs, &c, rc);
}
