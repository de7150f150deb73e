// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_maptest: drives famfs.ko from user space for the VM scenarios.
 *
 *   famfs_maptest create FILE OFF LEN [SIZE]   one-extent file via MAP_CREATE
 *   famfs_maptest rw FILE SEED                 write(2), read(2), mmap compare
 *   famfs_maptest pmd FILE                     fault count of touching a mapping
 *   famfs_maptest hostile DIR                  every refused map and its errno
 *   famfs_maptest mount DEV DIR OPTS ERRNO     mount(2) must fail with ERRNO
 *   famfs_maptest hold FILE READY SECONDS      read a mapping until the device goes
 *   famfs_maptest failed FILE                  open fails with EIO
 */
#include <fcntl.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "hostile.h"

#define CHUNK (1 * MIB)

static int cmd_create(const char *path, uint64_t off, uint64_t len,
		      uint64_t size)
{
	struct famfs_ioc_extent ext = { .offset = off, .len = len };
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	int rc;

	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	rc = map_create(fd, size, FAMFS_FILE_REG, 0, 1, &ext);
	if (rc)
		die("MAP_CREATE %s: %s", path, strerror(-rc));
	close(fd);
	return 0;
}

static void *xalloc(size_t len)
{
	void *p;

	if (posix_memalign(&p, 4096, len))
		die("out of memory");
	return p;
}

static uint64_t file_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		die("fstat: %s", strerror(errno));
	return st.st_size;
}

static void rw_write(int fd, uint64_t size, uint64_t seed)
{
	char *buf = xalloc(CHUNK);
	uint64_t off;

	for (off = 0; off < size; off += CHUNK) {
		pattern_fill(buf, off, CHUNK, seed);
		if (pwrite(fd, buf, CHUNK, off) != CHUNK)
			die("write at %llu: %s", (unsigned long long)off,
			    strerror(errno));
	}
	free(buf);
}

static void rw_read(int fd, uint64_t size, uint64_t seed)
{
	char *buf = xalloc(CHUNK);
	long long bad;
	uint64_t off;

	for (off = 0; off < size; off += CHUNK) {
		if (pread(fd, buf, CHUNK, off) != CHUNK)
			die("read at %llu: %s", (unsigned long long)off,
			    strerror(errno));
		bad = pattern_check(buf, off, CHUNK, seed);
		if (bad >= 0)
			die("read(2) mismatch at %lld", bad);
	}
	/* The size ends where the extents end: reads there see EOF. */
	if (pread(fd, buf, CHUNK, size) != 0)
		die("read at EOF (%llu): %s", (unsigned long long)size,
		    strerror(errno));
	free(buf);
}

static void rw_mmap(int fd, uint64_t size, uint64_t seed)
{
	void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	long long bad;

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	bad = pattern_check(p, 0, size, seed);
	if (bad >= 0)
		die("mmap mismatch at %lld", bad);
	munmap(p, size);
}

static int cmd_rw(const char *path, uint64_t seed)
{
	int fd = open(path, O_RDWR);
	uint64_t size;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	size = file_size(fd);
	if (!size || size % CHUNK)
		die("%s: size %llu is not a multiple of 1 MiB", path,
		    (unsigned long long)size);
	rw_write(fd, size, seed);
	rw_read(fd, size, seed);
	rw_mmap(fd, size, seed);
	close(fd);
	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0)
		die("O_DIRECT open: %s", strerror(errno));
	rw_read(fd, size, seed);
	close(fd);
	printf("rw ok: %llu bytes by write(2), read(2), mmap, O_DIRECT read\n",
	       (unsigned long long)size);
	return 0;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

/* Touch (write) every 4 KiB page of the file through one shared mapping. */
static int cmd_pmd(const char *path)
{
	int fd = open(path, O_RDWR);
	uint64_t size, off, limit;
	long before, faults;
	volatile char *p;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	size = file_size(fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	if ((uintptr_t)p % (2 * MIB))
		die("mapping at %p is not 2 MiB aligned", (void *)p);
	before = minflt();
	for (off = 0; off < size; off += 4096)
		p[off] = (char)off;
	faults = minflt() - before;
	limit = size / (2 * MIB) + 16;
	printf("pmd: %llu bytes, %llu pages touched, %ld faults (limit %llu)\n",
	       (unsigned long long)size, (unsigned long long)(size / 4096),
	       faults, (unsigned long long)limit);
	munmap((void *)p, size);
	close(fd);
	return faults <= (long)limit ? 0 : 1;
}

/* ---- hostile maps ------------------------------------------------------ */

static uint64_t data_off(int unit)
{
	return geo.log_offset + geo.log_len + (uint64_t)unit * geo.alloc_unit;
}

static void hostile_extents(void)
{
	uint64_t au = geo.alloc_unit, d = data_off(0);
	struct famfs_ioc_extent e[3];

	e[0] = EXT(d + 4096, au);
	expect("offset not aligned", try_map(au, 0, 0, 1, e), EINVAL);
	e[0] = EXT(d, au + 4096);
	expect("length not aligned", try_map(au, 0, 0, 1, e), EINVAL);
	e[0] = EXT(d, 0);
	expect("zero length", try_map(0, 0, 0, 1, e), EINVAL);
	e[0] = EXT(geo.dev_size, au);
	expect("extent past the device end", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = EXT(geo.dev_size - au, 2 * au);
	expect("extent straddling the device end", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = EXT(-au, 2 * au);
	expect("offset+len overflows", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = EXT(0, au);
	expect("regular file over the superblock", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = EXT(geo.log_offset, au);
	expect("regular file over the log", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = EXT(d, au);
	e[0].dev_index = 1;
	expect("dev_index 1, a member not added", try_map(au, 0, 0, 1, e), ENXIO);
	e[0].dev_index = FAMFS_IOC_MAX_MEMBERS;
	expect("dev_index beyond the members", try_map(au, 0, 0, 1, e), EINVAL);
	e[0] = EXT(d, au);
	e[0].reserved = 1;
	expect("extent reserved field set", try_map(au, 0, 0, 1, e), EINVAL);
	e[0] = EXT(d, 2 * au);
	e[1] = EXT(d + au, au);
	expect("overlapping extents", try_map(3 * au, 0, 0, 2, e), EINVAL);
	e[0] = EXT(d, au);
	expect("size larger than the extents", try_map(au + 1, 0, 0, 1, e), EINVAL);
}

static void hostile_header(void)
{
	uint64_t au = geo.alloc_unit;
	struct famfs_ioc_extent e = EXT(data_off(0), au);
	struct famfs_ioc_map map = { .file_size = au, .n_extents = 1,
				     .extents = (uintptr_t)&e, .reserved = 1 };
	int fd;

	expect("n_extents 0 with a size", try_map(au, 0, 0, 0, &e), EINVAL);
	expect("n_extents above the maximum",
	       try_map(au, 0, 0, FAMFS_IOC_MAX_EXTENTS + 1, &e), EINVAL);
	expect("unknown flag", try_map(au, 0, 0x80, 1, &e), EINVAL);
	expect("unknown file_type", try_map(au, 7, 0, 1, &e), EINVAL);
	fd = new_file(O_RDWR);
	expect("map reserved field set",
	       ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0, EINVAL);
	map.reserved = 0;
	map.extents = 16;	/* unmapped user address */
	expect("bad extent pointer",
	       ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0, EFAULT);
	close(fd);
	fd = new_file(O_RDONLY);
	expect("file opened read-only", map_create(fd, au, 0, 0, 1, &e), EBADF);
	close(fd);
}

static void hostile_meta(void)
{
	uint64_t au = geo.alloc_unit;
	struct famfs_ioc_extent e;

	e = EXT(au, au);
	expect("superblock file not at [0, 2MiB)",
	       try_map(au, FAMFS_FILE_SUPERBLOCK, 0, 1, &e), EINVAL);
	e = EXT(0, au);
	expect("superblock file at [0, 2MiB)",
	       try_map(au, FAMFS_FILE_SUPERBLOCK, FAMFS_MAP_READONLY, 1, &e), 0);
	e = EXT(geo.log_offset, au);
	expect("log file shorter than the log",
	       try_map(au, FAMFS_FILE_LOG, 0, 1, &e), EINVAL);
	e = EXT(geo.log_offset, geo.log_len);
	expect("log file over the log",
	       try_map(geo.log_len, FAMFS_FILE_LOG, 0, 1, &e), 0);
	expect("empty file, no extents", try_map(0, 0, 0, 0, NULL), 0);
}

static void hostile_twice_and_get(void)
{
	uint64_t au = geo.alloc_unit;
	struct famfs_ioc_extent e = EXT(data_off(1), au), got[2];
	struct famfs_ioc_map map = { .n_extents = 0, .extents = (uintptr_t)got };
	int fd = new_file(O_RDWR);

	expect("first map", map_create(fd, au, 0, 0, 1, &e), 0);
	expect("second map of the same file", map_create(fd, au, 0, 0, 1, &e), EEXIST);
	expect("MAP_GET count", ioctl(fd, FAMFS_IOC_MAP_GET, &map) ? -errno : 0, 0);
	map.n_extents = 2;
	expect("MAP_GET", ioctl(fd, FAMFS_IOC_MAP_GET, &map) ? -errno : 0, 0);
	if (map.n_extents != 1 || got[0].offset != e.offset || map.file_size != au)
		expect("MAP_GET returns the map", -EIO, 0);
	expect("truncate", ftruncate(fd, 0) ? -errno : 0, EPERM);
	expect("write at EOF", pwrite(fd, "x", 1, au) < 0 ? -errno : 0, ENOSPC);
	expect("write crossing EOF is shortened",
	       pwrite(fd, "xy", 2, au - 1) == 1 ? 0 : -EIO, 0);
	close(fd);
	fd = new_file(O_RDWR);
	expect("read of an unmapped file",
	       pread(fd, got, 1, 0) < 0 ? -errno : 0, EIO);
	close(fd);
}

static void hostile_readonly(void)
{
	uint64_t au = geo.alloc_unit;
	struct famfs_ioc_extent e = EXT(data_off(2), au);
	int fd = new_file(O_RDWR);
	void *p;

	expect("read-only map", map_create(fd, au, 0, FAMFS_MAP_READONLY, 1, &e), 0);
	expect("write(2) to a read-only file",
	       pwrite(fd, "x", 1, 0) < 0 ? -errno : 0, EPERM);
	p = mmap(NULL, au, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	expect("shared writable mmap of a read-only file",
	       p == MAP_FAILED ? -errno : 0, EPERM);
	p = mmap(NULL, au, PROT_READ, MAP_SHARED, fd, 0);
	expect("shared read-only mmap", p == MAP_FAILED ? -errno : 0, 0);
	if (p != MAP_FAILED)
		expect("mprotect(PROT_WRITE) of it",
		       mprotect(p, au, PROT_READ | PROT_WRITE) ? -errno : 0, EACCES);
	close(fd);
}

/* Without CAP_SYS_ADMIN (as nobody), MAP_CREATE is refused. */
static void hostile_unprivileged(void)
{
	struct famfs_ioc_extent e = EXT(data_off(3), geo.alloc_unit);
	int fd = new_file(O_RDWR), status;
	pid_t pid;

	fchmod(fd, 0666);
	pid = fork();
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(map_create(fd, geo.alloc_unit, 0, 0, 1, &e) == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	expect("MAP_CREATE without CAP_SYS_ADMIN",
	       WIFEXITED(status) && !WEXITSTATUS(status) ? -EPERM : -EIO, EPERM);
	close(fd);
}

static int cmd_hostile(const char *dir)
{
	int fd;

	hostile_begin(dir);
	printf("probe: abi %u backend %u dev_size %llu log %llu+%llu\n",
	       geo.abi_version, geo.backend, (unsigned long long)geo.dev_size,
	       (unsigned long long)geo.log_offset,
	       (unsigned long long)geo.log_len);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	expect("MAP_CREATE on a directory",
	       ioctl(fd, FAMFS_IOC_MAP_CREATE, &geo) ? -errno : 0, ENOTTY);
	close(fd);
	hostile_extents();
	hostile_header();
	hostile_meta();
	hostile_twice_and_get();
	hostile_readonly();
	hostile_unprivileged();
	printf("hostile: %d failure(s)\n", nfail);
	return !!nfail;
}

static int cmd_mount(const char *dev, const char *dir, const char *opts,
		     const char *want)
{
	int rc = mount(dev, dir, "famfs", 0, *opts ? opts : NULL) ? errno : 0;
	const char *got = rc ? strerrorname_np(rc) : "0";

	printf("%-4s mount %s %s -o '%s': got %s want %s\n",
	       strcmp(got, want) ? "FAIL" : "ok", dev, dir, opts, got, want);
	if (!rc)
		umount(dir);
	return !!strcmp(got, want);
}

/* ---- a reader while the device goes away ------------------------------- */

/*
 * One pass over the file: every page through the mapping, then with
 * pread(2). Sets *bus when a page faults with SIGBUS, *eio when pread
 * fails with EIO. A read the removal overtakes, on a device that is dead
 * before the mount knows it, may fail with ENXIO instead (counted in
 * *nxio); any other failure ends the program.
 */
static void hold_pass(const char *map, int fd, uint64_t size, char *buf,
		      bool *bus, bool *eio, int *nxio)
{
	uint64_t off;
	int sig;

	for (off = 0; off < size && !*bus; off += 4096) {
		sig = guarded_copy(buf, map + off, 4096);
		if (sig && sig != SIGBUS)
			die("page at %llu: %s", (unsigned long long)off, strsignal(sig));
		*bus = sig == SIGBUS;
	}
	for (off = 0; off < size && !*eio; off += CHUNK) {
		if (pread(fd, buf, CHUNK, off) >= 0)
			continue;
		if (errno != EIO && errno != ENXIO)
			die("pread at %llu: %s", (unsigned long long)off, strerror(errno));
		*eio = errno == EIO;
		*nxio += errno == ENXIO;
	}
}

/*
 * Map FILE and read it in a loop; create READY once the first pass is
 * done. When the device goes away the mapping must raise SIGBUS and
 * pread(2) fail with EIO: exit 0 once both happened, 1 if the file still
 * reads after SECONDS.
 */
static int cmd_hold(const char *path, const char *ready, uint64_t seconds)
{
	int fd = open(path, O_RDONLY), passes, nxio = 0;
	bool bus = false, eio = false;
	uint64_t size;
	time_t end = time(NULL) + seconds;
	char *map, *buf = xalloc(CHUNK);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	size = file_size(fd);
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	catch_faults();
	for (passes = 0; !(bus && eio) && time(NULL) < end; passes++) {
		hold_pass(map, fd, size, buf, &bus, &eio, &nxio);
		if (!passes && (bus || eio || nxio))
			die("%s failed before anything went away", path);
		if (!passes)
			close(open(ready, O_CREAT | O_WRONLY, 0644));
	}
	printf("hold: %d passes; the mapping %s SIGBUS, pread(2) %s EIO (%d ENXIO before)\n",
	       passes, bus ? "raised" : "never raised", eio ? "failed with" : "never failed with",
	       nxio);
	return bus && eio ? 0 : 1;
}

static int want_eio(const char *what, bool ok)
{
	if (!ok && errno == EIO)
		return 0;
	printf("%s: %s, want EIO\n", what, ok ? "succeeded" : strerror(errno));
	return 1;
}

/*
 * The mount is in its error state: open(2) fails with EIO, as on ext4 and
 * xfs. What fails on a descriptor opened before is for hold and for
 * famfs_releasetest shutdown.
 */
static int cmd_failed(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd >= 0)
		close(fd);
	return want_eio("open(2)", fd >= 0);
}

int main(int argc, char **argv)
{
	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "create"))
		return cmd_create(argv[2], parse_u64(argv[3]), parse_u64(argv[4]),
				  parse_u64(argv[argc == 6 ? 5 : 4]));
	if (argc == 4 && !strcmp(argv[1], "rw"))
		return cmd_rw(argv[2], parse_u64(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "pmd"))
		return cmd_pmd(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hostile"))
		return cmd_hostile(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "failed"))
		return cmd_failed(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argv[3], parse_u64(argv[4]));
	if (argc == 6 && !strcmp(argv[1], "mount"))
		return cmd_mount(argv[2], argv[3], argv[4], argv[5]);
	die("usage: see the comment at the top of famfs_maptest.c");
}
