/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The famfs subcommands, one line each: FAMFS_CMD(name, summary). Each is
 * implemented as cmd_NAME(argc, argv) in cmd_NAME.c. Keep them sorted.
 */
FAMFS_CMD(fsck, "check a file system on a device or image")
