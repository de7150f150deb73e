// SPDX-License-Identifier: GPL-2.0
/*
 * The -o options mount(8) hands mount.famfs: generic VFS options become
 * mount(2) flags, options meant for mount(8) and systemd are dropped,
 * famfs's own set fields, and what is left for famfs.ko goes in the data
 * string. Anything else is refused by name, before any mount(2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "famfs/famfs_ops.h"

struct flag_opt {
	const char *name;
	unsigned long set;
	unsigned long clear;
};

/* As libmount maps them; "ro" is famfs's own (see famfs_mount_options). */
static const struct flag_opt flag_opts[] = {
	{ "defaults", 0, 0 },
	{ "rw", 0, 0 },
	{ "sync", MS_SYNCHRONOUS, 0 },
	{ "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },
	{ "noatime", MS_NOATIME, 0 },
	{ "atime", 0, MS_NOATIME },
	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "diratime", 0, MS_NODIRATIME },
	{ "relatime", MS_RELATIME, 0 },
	{ "norelatime", 0, MS_RELATIME },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "nostrictatime", 0, MS_STRICTATIME },
	{ "lazytime", MS_LAZYTIME, 0 },
	{ "nolazytime", 0, MS_LAZYTIME },
	{ "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },
	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },
	{ "exec", 0, MS_NOEXEC },
	{ "silent", MS_SILENT, 0 },
	{ "loud", 0, MS_SILENT },
};

/* For mount(8), fstab and systemd only: the kernel must not see them. */
static bool userspace_option(const char *o)
{
	static const char *const names[] = {
		"auto", "noauto", "user", "nouser", "users", "owner", "group",
		"nofail", "_netdev",
	};
	size_t i;

	if (!strncmp(o, "x-", 2) || !strncmp(o, "comment=", 8))
		return true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(o, names[i]))
			return true;
	return false;
}

static bool flag_option(const char *o, struct famfs_mount_args *a)
{
	size_t i;

	for (i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++) {
		if (!strcmp(o, flag_opts[i].name)) {
			a->flags = (a->flags & ~flag_opts[i].clear) | flag_opts[i].set;
			a->named |= flag_opts[i].set | flag_opts[i].clear;
			return true;
		}
	}
	return false;
}

/* famfs's own options; false if o is not one. */
static bool famfs_option(const char *o, struct famfs_mount_args *a)
{
	if (!strcmp(o, "writable"))
		a->writable = true;
	else if (!strcmp(o, "ro"))	/* a client's files: read-only */
		a->writable = false;
	else if (!strcmp(o, "follow"))
		a->no_follow = false;
	else if (!strcmp(o, "nofollow"))
		a->no_follow = true;
	else
		return false;
	return true;
}

/*
 * Options famfs.ko parses: dax=always (famfs is always DAX) and
 * single_host (no other host uses the memory).
 */
static int kernel_option(const char *o, struct famfs_mount_args *a)
{
	char *data;

	if (strcmp(o, "dax=always") && strcmp(o, "single_host"))
		return 0;
	if (asprintf(&data, "%s%s%s", a->data ? a->data : "",
		     a->data && *a->data ? "," : "", o) < 0)
		return -ENOMEM;
	free(a->data);
	a->data = data;
	return 1;
}

static int one_option(const char *o, struct famfs_mount_args *a,
		      struct famfs_error *err)
{
	int rc;

	if (userspace_option(o) || flag_option(o, a) ||
	    famfs_option(o, a))
		return 0;
	rc = kernel_option(o, a);
	if (rc < 0)
		return famfs_error_set(err, rc, "out of memory");
	if (rc)
		return 0;
	return famfs_error_set(err, -EINVAL, "unknown option '%s'", o);
}

int famfs_mount_options(const char *opts, struct famfs_mount_args *a,
			struct famfs_error *err)
{
	char *copy = strdup(opts), *save = NULL, *o;
	int rc = 0;

	if (!copy)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	for (o = strtok_r(copy, ",", &save); o && !rc;
	     o = strtok_r(NULL, ",", &save))
		rc = one_option(o, a, err);
	free(copy);
	return rc;
}

void famfs_mount_args_free(struct famfs_mount_args *a)
{
	free(a->data);
	a->data = NULL;
}
