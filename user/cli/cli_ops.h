/* SPDX-License-Identifier: GPL-2.0 */
/* What the famfs commands built on famfs_ops.h share. */
#ifndef FAMFS_CLI_OPS_H
#define FAMFS_CLI_OPS_H

#include <stdbool.h>

#include "cli.h"
#include "famfs/famfs_ops.h"

/* The exit code for a library error (docs/cli.md). */
int cli_exit_code(int rc);
/* Print the library's message; return its exit code. */
int cli_fail(const struct famfs_error *err);
/* Report callback of the operations: "what path" on stdout. */
void cli_report(void *arg, const char *what, const char *path);
/* Error callback of the operations: the message on stderr. */
void cli_report_error(void *arg, const char *msg);
/* Refuse (exit 1) unless running as root: the kernel maps files only for root. */
int cli_need_root(void);
/* Octal permission bits (at most 07777); usage error on garbage. */
int cli_parse_mode(const char *s, int *mode, const char *usage);
/* A numeric uid/gid; usage error on garbage. */
int cli_parse_id(const char *s, int64_t *id, const char *usage);
/* A byte count with K/M/G/T suffix; usage error on garbage. */
int cli_parse_size(const char *s, uint64_t *n, const char *usage);

/* famfs fsck --yaml: check path (device, image or mount), print YAML. */
int cli_fsck_yaml(const char *path);

/* Open the file system holding path for adding files, and lock its log. */
int cli_create_begin(struct famfs_fs *fs, struct famfs_creator *c,
		     const char *path);
/* Publish what was added (unless rc says otherwise), unlock, close. */
int cli_create_end(struct famfs_fs *fs, struct famfs_creator *c, int rc);

#endif /* FAMFS_CLI_OPS_H */
