/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused-call checks shared by famfs_maptest and famfs_membertest: each
 * check makes a fresh file in a directory of the mount, tries one call and
 * prints one line, "ok" or "FAIL", with the errno it got and the one wanted.
 */
#ifndef FAMFS_VM_HOSTILE_H
#define FAMFS_VM_HOSTILE_H

#include <fcntl.h>
#include <sys/ioctl.h>
#include "common.h"
#include "probe.h"

static struct famfs_ioc_probe geo;
static const char *hdir;
static int nfile, nfail;

static int map_create(int fd, uint64_t size, uint32_t type, uint32_t flags,
		      uint32_t n, struct famfs_ioc_extent *ext)
{
	struct famfs_ioc_map map = {
		.file_size = size, .file_type = type, .flags = flags,
		.n_extents = n, .extents = (uintptr_t)ext,
	};

	return ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0;
}

static int new_file(int flags)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/hostile%d", hdir, nfile++);
	fd = open(path, O_CREAT | flags, 0644);
	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	return fd;
}

static void expect(const char *what, int rc, int want)
{
	int ok = rc == -want;

	printf("%-4s %-52s got %-10s want %s\n", ok ? "ok" : "FAIL", what,
	       rc ? strerrorname_np(-rc) : "0", want ? strerrorname_np(want) : "0");
	nfail += !ok;
}

/* A fresh file mapped with n extents and the given header fields. */
static int try_map(uint64_t size, uint32_t type, uint32_t flags, uint32_t n,
		   struct famfs_ioc_extent *ext)
{
	int fd = new_file(O_RDWR);
	int rc = map_create(fd, size, type, flags, n, ext);

	close(fd);
	return rc;
}

#define EXT(o, l) ((struct famfs_ioc_extent){ .offset = (o), .len = (l) })

/* Probe the mount at @dir and make it the home of the checks' files. */
static void hostile_begin(const char *dir)
{
	mount_probe(dir, &geo);
	hdir = dir;
}

#endif
