// SPDX-License-Identifier: GPL-2.0
/* Per-file operations through a file's own mapping: flush. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"

int famfs_file_flush(const char *path, struct famfs_error *err)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return famfs_error_set(err, -EINVAL, "%s: not a regular file", path);
	}
	if (!st.st_size) {
		close(fd);
		return 0;
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return famfs_error_set(err, -errno, "%s: cannot map: %s", path,
				       strerror(errno));
	famfs_flush(p, st.st_size);
	munmap(p, st.st_size);
	return 0;
}
