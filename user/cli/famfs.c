// SPDX-License-Identifier: GPL-2.0
/* famfs COMMAND [ARGS]: one table of subcommands, each in cmd_NAME.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct famfs_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

static const struct famfs_command commands[] = {
#define FAMFS_CMD(name, summary) { #name, summary, cmd_##name },
#include "commands.h"
#undef FAMFS_CMD
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: famfs COMMAND [ARGS]\n"
		"       famfs --help | --version\n\n"
		"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'famfs COMMAND --help' describes a command and its exit codes.\n");
}

static const struct famfs_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static char prog[64];
	const struct famfs_command *cmd;

	if (argc < 2) {
		usage(stderr);
		return FAMFS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return FAMFS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("famfs %s (on-media format %d.%d)\n", FAMFS_VERSION_STRING,
		       FAMFS_VERSION_MAJOR, FAMFS_VERSION_MINOR);
		return FAMFS_EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "famfs: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return FAMFS_EXIT_USAGE;
	}
	snprintf(prog, sizeof(prog), "famfs %s", cmd->name);
	cli_prog = prog;
	argv[1] = prog;		/* getopt's messages name the subcommand */
	return cmd->run(argc - 1, argv + 1);
}
