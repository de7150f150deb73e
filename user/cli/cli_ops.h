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
/*
 * After a mount: warn (stderr) when the log did not play to its end or some
 * entries could not be created. The file system is mounted all the same.
 */
void cli_mount_warnings(const char *device, const struct famfs_play_stats *st,
			const struct famfs_error *err);
/* Refuse (exit 1) unless running as root: the kernel maps files only for root. */
int cli_need_root(void);
/*
 * As root, open the file system holding path to change it (master only:
 * FAMFS_FS_WRITE, and flags): CLI_GO_ON with fs open, else the exit code,
 * the cause printed.
 */
int cli_open_master(struct famfs_fs *fs, const char *path, unsigned int flags);
/* Octal permission bits (at most 07777); usage error on garbage. */
int cli_parse_mode(const char *s, int *mode, const char *usage);
/* A numeric uid/gid, not negative; usage error otherwise. */
int cli_parse_id(const char *s, int64_t *id, const char *usage);
/* A thread count, 1 to FAMFS_MAX_THREADS; usage error otherwise. */
int cli_parse_threads(const char *s, unsigned int *n, const char *usage);
/*
 * Split s at its commas (in place) into at most max fields; returns how
 * many there are (max + 1 when there are more).
 */
int cli_split(char *s, char **field, int max);
/* A byte count with K/M/G/T suffix; usage error on garbage. */
int cli_parse_size(const char *s, uint64_t *n, const char *usage);

/*
 * The striping options: -N/--stripe/--nstrips N, -C/--chunk/--chunksize
 * SIZE, -B/--nbuckets B (getopt entries for a struct option table).
 */
#define CLI_LAYOUT_SHORTOPTS	"N:C:B:"
#define CLI_LAYOUT_LONGOPTS \
	{ "stripe", required_argument, NULL, 'N' }, \
	{ "nstrips", required_argument, NULL, 'N' }, \
	{ "chunk", required_argument, NULL, 'C' }, \
	{ "chunksize", required_argument, NULL, 'C' }, \
	{ "nbuckets", required_argument, NULL, 'B' }
/* Option opt ('N', 'C' or 'B') into l; usage error on a bad value. */
int cli_parse_layout(int opt, const char *arg, struct famfs_layout *l,
		     const char *usage);

/* famfs fsck --yaml: check path (device, image or mount), print YAML. */
int cli_fsck_yaml(const char *path);

/* Option parsers return this to go on, or the code to exit with. */
#define CLI_GO_ON	(-1)

struct cli_cmd {
	const char *usage;
	void (*help)(void);
};

/*
 * Options of a command with at most --yaml (yaml NULL: only --help).
 * Leaves optind at the first operand.
 */
int cli_plain_options(int argc, char **argv, const struct cli_cmd *cmd,
		      bool *yaml);
/*
 * Options of cp and mkdir: shortopts picks from -r/-R (recursive), -p
 * (parents), -m MODE, -u UID, -g GID, -t THREADS, -v, -h and the
 * striping options (CLI_LAYOUT_SHORTOPTS).
 */
int cli_cp_options(int argc, char **argv, const struct cli_cmd *cmd,
		   const char *shortopts, struct famfs_cp_opts *o);

/*
 * As root, open the file system holding path for adding files, lock its
 * log, run work, publish what it added, unlock. Returns the exit code.
 */
int cli_create(const char *path,
	       int (*work)(struct famfs_creator *c, void *arg), void *arg);

/*
 * As root, open the file system holding path for removing and moving
 * names (-v: report each one), lock its log, run work, publish and play
 * what it logged, unlock. Returns the exit code.
 */
int cli_namer(const char *path, bool verbose,
	      int (*work)(struct famfs_namer *n, void *arg), void *arg);
/*
 * Call one for each of paths, relative to fs's mount; print each failure.
 * A full log stops it. Returns the exit code.
 */
int cli_each_path(const struct famfs_fs *fs, char *const *paths, int count,
		  int (*one)(void *ctx, const char *rel, struct famfs_error *err),
		  void *ctx);
/* Options of a command with at most -v (and --help). */
int cli_verbose_options(int argc, char **argv, const struct cli_cmd *cmd,
			bool *verbose);

#endif /* FAMFS_CLI_OPS_H */
