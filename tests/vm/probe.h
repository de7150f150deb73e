/* SPDX-License-Identifier: GPL-2.0 */
/* FAMFS_IOC_PROBE of a mount, for the famfs VM test programs. */
#ifndef FAMFS_VM_PROBE_H
#define FAMFS_VM_PROBE_H

#include <fcntl.h>
#include <sys/ioctl.h>
#include "common.h"
#include "uapi/famfs_ioctl.h"

/* The geometry the mount at @dir reports; dies if it is no famfs mount. */
static inline void mount_probe(const char *dir, struct famfs_ioc_probe *out)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || ioctl(fd, FAMFS_IOC_PROBE, out))
		die("PROBE on %s: %s", dir, strerror(errno));
	close(fd);
}

#endif
