/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The famfs subcommands, one line each: FAMFS_CMD(name, summary). Each is
 * implemented as cmd_NAME(argc, argv) in cmd_NAME.c. Keep them sorted.
 */
FAMFS_CMD(check, "compare a mounted tree with the log")
FAMFS_CMD(compact, "rewrite the log as the live namespace (master)")
FAMFS_CMD(cp, "copy files and trees into a famfs (master)")
FAMFS_CMD(creat, "create files of a given size (master)")
FAMFS_CMD(device, "add a device to a famfs (master); list its devices")
FAMFS_CMD(flush, "write a file's cache lines back to memory")
FAMFS_CMD(fsck, "check a file system on a device or image")
FAMFS_CMD(getmap, "print a file's extent map")
FAMFS_CMD(hosts, "list the hosts that mount a famfs; evict dead ones")
FAMFS_CMD(log, "print the metadata log")
FAMFS_CMD(logplay, "apply to this host what the log holds and it lacks")
FAMFS_CMD(mkdir, "create directories (master)")
FAMFS_CMD(mkmeta, "make the metadata files of a famfs mounted without them")
FAMFS_CMD(mount, "mount a famfs and play its log")
FAMFS_CMD(mv, "move a file or tree (master)")
FAMFS_CMD(rm, "remove files and trees (master)")
FAMFS_CMD(rmdir, "remove empty directories (master)")
FAMFS_CMD(verify, "check files written by creat from a seed")
