/* SPDX-License-Identifier: GPL-2.0 */
/* What the famfs tools share: exit codes, messages, formatting. */
#ifndef FAMFS_CLI_H
#define FAMFS_CLI_H

#include <stdint.h>

#include "famfs/libfamfs.h"

/* Exit codes of every famfs tool (docs/cli.md). */
enum famfs_exit {
	FAMFS_EXIT_OK = 0,
	FAMFS_EXIT_FAIL = 1,	/* refused or failed; fsck: errors found */
	FAMFS_EXIT_USAGE = 2,	/* bad command line */
	FAMFS_EXIT_DEVICE = 3,	/* device or image could not be opened or read */
};

#define FAMFS_CMD(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.h"
#undef FAMFS_CMD

/* "famfs fsck", "mkfs.famfs": what messages start with. */
extern const char *cli_prog;

/* Print "prog: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog: " and the library's message on stderr. */
void cli_lib_error(const struct famfs_error *err);
/* Report an unexpected argument and return FAMFS_EXIT_USAGE. */
int cli_usage_error(const char *usage);
/* --fuse: refused (FAMFS_EXIT_USAGE), saying why; --nofuse is accepted. */
int cli_no_fuse(void);
/* A logged path escaped for output (famfs_path_show), in a static buffer. */
const char *cli_path(const char *path);
/* A byte count for people: "64 MiB", "1.5 GiB", "512 bytes". */
const char *cli_bytes(uint64_t n, char *buf, size_t len);
/* 36-character UUID text. */
const char *cli_uuid(const uint8_t uuid[16], char buf[40]);

#endif /* FAMFS_CLI_H */
