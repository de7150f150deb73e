// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_trusttest: what famfs.ko enforces on behalf of every file and user,
 * for the kmod_trust VM scenario. Each check prints ok/FAIL; the exit status
 * is the number of failures (capped at 1).
 *
 *   famfs_trusttest overlap DIR   no two files (or metadata files) share bytes
 *   famfs_trusttest modify DIR    writes drop set-ID bits and update the times
 *   famfs_trusttest names DIR     only the log player adds names; none go away
 *   famfs_trusttest sync DIR      MAP_SYNC, msync, fsync, sendfile, splice
 *   famfs_trusttest poison DIR    a poisoned page: SIGBUS for it, nothing else
 */
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "common.h"
#include "probe.h"

#define NOBODY 65534

static struct famfs_ioc_probe geo;
static const char *dir;
static int nfail;

static void expect(const char *what, int rc, int want)
{
	int ok = rc == -want;

	printf("%-4s %-56s got %-10s want %s\n", ok ? "ok" : "FAIL", what,
	       rc ? strerrorname_np(-rc) : "0", want ? strerrorname_np(want) : "0");
	nfail += !ok;
}

static void check(const char *what, int ok)
{
	printf("%-4s %s\n", ok ? "ok" : "FAIL", what);
	nfail += !ok;
}

static const char *path_of(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int open_new(const char *name)
{
	int fd = open(path_of(name), O_RDWR | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		die("create %s: %s", path_of(name), strerror(errno));
	return fd;
}

static int map_fd(int fd, uint64_t size, uint32_t type, uint32_t n,
		  const struct famfs_ioc_extent *ext)
{
	struct famfs_ioc_map map = {
		.file_size = size, .file_type = type, .n_extents = n,
		.flags = type == FAMFS_FILE_REG ? 0 : FAMFS_MAP_READONLY,
		.extents = (uintptr_t)ext,
	};

	return ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0;
}

/* A new file NAME with n extents; the map's result. */
static int map_new(const char *name, uint32_t type, uint32_t n,
		   const struct famfs_ioc_extent *ext)
{
	uint64_t size = 0;
	int fd = open_new(name), rc;
	uint32_t i;

	for (i = 0; i < n; i++)
		size += ext[i].len;
	rc = map_fd(fd, size, type, n, ext);
	close(fd);
	return rc;
}

#define EXT(o, l) ((struct famfs_ioc_extent){ .offset = (o), .len = (l) })

static uint64_t unit(int n)
{
	return geo.log_offset + geo.log_len + (uint64_t)n * geo.alloc_unit;
}

static void probe(const char *d)
{
	mount_probe(d, &geo);
	dir = d;
}

/* A refused map leaves the file unmapped, and mappable afterwards. */
static void overlap_refused_file_stays_empty(void)
{
	struct famfs_ioc_extent e = EXT(unit(21), geo.alloc_unit);
	struct famfs_ioc_map get = { 0 };
	int fd = open_new("ov-retry");

	expect("map over another file's unit", map_fd(fd, geo.alloc_unit,
	       FAMFS_FILE_REG, 1, &e), EUCLEAN);
	expect("MAP_GET of the refused file",
	       ioctl(fd, FAMFS_IOC_MAP_GET, &get) ? -errno : 0, ENODATA);
	e = EXT(unit(50), geo.alloc_unit);
	expect("then a map of its own bytes", map_fd(fd, geo.alloc_unit,
	       FAMFS_FILE_REG, 1, &e), 0);
	close(fd);
}

/* A window may cover files' bytes, but is never mapped. */
static void overlap_window(void)
{
	struct famfs_ioc_extent e = EXT(unit(20), 4 * geo.alloc_unit);
	struct famfs_ioc_map map = {
		.file_size = e.len, .file_type = FAMFS_FILE_REG,
		.flags = FAMFS_MAP_WINDOW, .n_extents = 1, .extents = (uintptr_t)&e,
	};
	int fd = open_new("ov-window");
	void *p;

	expect("a window over file A's units",
	       ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0, 0);
	p = mmap(NULL, e.len, PROT_READ, MAP_SHARED, fd, 0);
	expect("mmap of a window", p == MAP_FAILED ? -errno : 0, ENODEV);
	close(fd);
	map.file_type = FAMFS_FILE_LOG;
	fd = open_new("ov-window-log");
	expect("a window of another type than regular",
	       ioctl(fd, FAMFS_IOC_MAP_CREATE, &map) ? -errno : 0, EINVAL);
	close(fd);
}

static int cmd_overlap(void)
{
	uint64_t au = geo.alloc_unit;
	struct famfs_ioc_extent e[2];

	e[0] = EXT(unit(20), 2 * au);
	expect("file A on units 20-21", map_new("ov-a", FAMFS_FILE_REG, 1, e), 0);
	e[0] = EXT(unit(21), au);
	expect("file B on unit 21 (A's)", map_new("ov-b", FAMFS_FILE_REG, 1, e), EUCLEAN);
	e[0] = EXT(unit(19), 2 * au);
	expect("file B on units 19-20 (straddles A's start)",
	       map_new("ov-b2", FAMFS_FILE_REG, 1, e), EUCLEAN);
	e[0] = EXT(unit(10), 20 * au);
	expect("file B on units 10-29 (covers A)",
	       map_new("ov-b3", FAMFS_FILE_REG, 1, e), EUCLEAN);
	e[0] = EXT(unit(30), au);
	e[1] = EXT(unit(21), au);
	expect("file C: unit 30, then A's unit 21",
	       map_new("ov-c", FAMFS_FILE_REG, 2, e), EUCLEAN);
	e[0] = EXT(unit(30), au);
	expect("file D on unit 30 (C's refused map kept nothing)",
	       map_new("ov-d", FAMFS_FILE_REG, 1, e), 0);
	e[0] = EXT(unit(22), au);
	expect("file E on unit 22 (adjacent to A)",
	       map_new("ov-e", FAMFS_FILE_REG, 1, e), 0);
	e[0] = EXT(unit(40), 2 * au);
	e[1] = EXT(unit(41), au);
	expect("file F overlapping itself", map_new("ov-f", FAMFS_FILE_REG, 2, e), EINVAL);
	overlap_refused_file_stays_empty();
	overlap_window();
	e[0] = EXT(0, geo.alloc_unit);
	expect("superblock file", map_new("ov-sb1", FAMFS_FILE_SUPERBLOCK, 1, e), 0);
	expect("a second superblock file", map_new("ov-sb2", FAMFS_FILE_SUPERBLOCK, 1, e),
	       EUCLEAN);
	e[0] = EXT(geo.log_offset, geo.log_len);
	expect("log file", map_new("ov-log1", FAMFS_FILE_LOG, 1, e), 0);
	expect("a second log file", map_new("ov-log2", FAMFS_FILE_LOG, 1, e), EUCLEAN);
	return nfail;
}

static int64_t mtime_ns(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		die("stat %s: %s", path, strerror(errno));
	return st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		die("stat %s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* Set the times far into the past, so that any update shows. */
static void age(const char *path)
{
	struct timespec old[2] = { { 1, 0 }, { 1, 0 } };

	if (utimensat(AT_FDCWD, path, old, 0))
		die("utimensat %s: %s", path, strerror(errno));
}

/* Run fn(path) in a child as nobody; its result (0 or -errno). */
static int as_nobody(int (*fn)(const char *), const char *path)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		_exit(-fn(path));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
}

static int write_one(const char *path)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -errno;
	if (pwrite(fd, "w", 1, 0) != 1) {
		close(fd);
		return -errno;
	}
	close(fd);
	return 0;
}

static int mmap_write_one(const char *path)
{
	int fd = open(path, O_RDWR);
	char *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, geo.alloc_unit, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	p[4096] = 'm';
	munmap(p, geo.alloc_unit);
	return 0;
}

static int cmd_modify(void)
{
	struct famfs_ioc_extent e = EXT(unit(60), geo.alloc_unit);
	const char *f;

	expect("map a file", map_new("mod-file", FAMFS_FILE_REG, 1, &e), 0);
	f = path_of("mod-file");
	if (chmod(f, 06777))
		die("chmod: %s", strerror(errno));
	age(f);
	expect("write(2) by another user", as_nobody(write_one, f), 0);
	printf("     mode after the write: %04o\n", mode_of(f));
	check("write(2) dropped set-user-ID and set-group-ID", mode_of(f) == 0777);
	check("write(2) updated mtime", mtime_ns(f) > 1000000000LL);
	if (chmod(f, 06777))
		die("chmod: %s", strerror(errno));
	age(f);
	expect("write(2) by root", write_one(f), 0);
	check("root's write (CAP_FSETID) kept the set-ID bits", mode_of(f) == 06777);
	check("root's write updated mtime", mtime_ns(f) > 1000000000LL);
	age(f);
	expect("write through a shared mapping", mmap_write_one(f), 0);
	check("the write fault updated mtime", mtime_ns(f) > 1000000000LL);
	return nfail;
}

static int try_mkdir(const char *p) { return mkdir(p, 0755) ? -errno : 0; }
static int try_mknod(const char *p) { return mknod(p, S_IFIFO | 0644, 0) ? -errno : 0; }
static int try_symlink(const char *p) { return symlink("target", p) ? -errno : 0; }
static int try_unlink(const char *p) { return unlink(p) ? -errno : 0; }
static int try_rmdir(const char *p) { return rmdir(p) ? -errno : 0; }

static int try_rename(const char *p)
{
	char to[4200];

	snprintf(to, sizeof(to), "%s.moved", p);
	return rename(p, to) ? -errno : 0;
}

static int try_create(const char *p)
{
	int fd = open(p, O_RDWR | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int count_entries(const char *d)
{
	char cmd[4200];
	FILE *ls;
	int n = 0, c;

	snprintf(cmd, sizeof(cmd), "ls -A '%s'", d);
	ls = popen(cmd, "r");
	if (!ls)
		die("popen: %s", strerror(errno));
	while ((c = fgetc(ls)) != EOF)
		n += c == '\n';
	pclose(ls);
	return n;
}

static int cmd_names(void)
{
	struct famfs_ioc_extent e = EXT(unit(70), geo.alloc_unit);
	char open_dir[4096], path[4200], other[4200];

	snprintf(open_dir, sizeof(open_dir), "%s", path_of("open"));
	expect("root: mkdir a directory", try_mkdir(open_dir), 0);
	if (chmod(open_dir, 0777))
		die("chmod: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/file", open_dir);
	expect("root: create a file and map it", map_new("open/file", FAMFS_FILE_REG, 1, &e), 0);
	snprintf(path, sizeof(path), "%s/squat", open_dir);
	expect("nobody: create in a 0777 directory", as_nobody(try_create, path), EPERM);
	expect("nobody: mkdir in it", as_nobody(try_mkdir, path), EPERM);
	expect("nobody: mknod a FIFO in it", as_nobody(try_mknod, path), EPERM);
	expect("nobody: symlink in it", as_nobody(try_symlink, path), EPERM);
	snprintf(path, sizeof(path), "%s/file", open_dir);
	snprintf(other, sizeof(other), "%s/other", open_dir);
	expect("root: link", link(path, other) ? -errno : 0, EPERM);
	expect("root: symlink", try_symlink(other), EPERM);
	/* Removing and moving names is the log player's, as adding them is. */
	expect("nobody: rename in it", as_nobody(try_rename, path), EPERM);
	expect("nobody: unlink in it", as_nobody(try_unlink, path), EPERM);
	snprintf(other, sizeof(other), "%s/empty", open_dir);
	expect("root: mkdir an empty directory", try_mkdir(other), 0);
	expect("nobody: rmdir it", as_nobody(try_rmdir, other), EPERM);
	check("the directory holds only what root made", count_entries(open_dir) == 2);
	return nfail;
}

static int same_bytes(const char *a, const char *b, size_t len)
{
	return !memcmp(a, b, len);
}

/* sendfile out of a famfs file, and splice from a pipe into one. */
static void sync_splice(int fd, const char *want, size_t len)
{
	char tmp[] = "/tmp/famfs-trust-XXXXXX", *got = malloc(len);
	int out = mkstemp(tmp), p[2];
	off_t off = 0;

	if (out < 0 || !got || pipe(p))
		die("setup: %s", strerror(errno));
	unlink(tmp);
	expect("sendfile from the file", sendfile(out, fd, &off, len) == (ssize_t)len ?
	       0 : -errno, 0);
	check("sendfile copied the file's bytes",
	      pread(out, got, len, 0) == (ssize_t)len && same_bytes(got, want, len));
	memset(got, 'z', len);
	if (write(p[1], got, 4096) != 4096)
		die("pipe write: %s", strerror(errno));
	off = 8192;
	expect("splice from a pipe into the file",
	       splice(p[0], NULL, fd, &off, 4096, 0) == 4096 ? 0 : -errno, 0);
	check("splice wrote the bytes", pread(fd, got + 4096, 4096, 8192) == 4096 &&
	      same_bytes(got, got + 4096, 4096));
	close(p[0]);
	close(p[1]);
	close(out);
	free(got);
}

static int cmd_sync(void)
{
	struct famfs_ioc_extent e = EXT(unit(80), geo.alloc_unit);
	size_t len = geo.alloc_unit;
	int fd;
	char *p;

	expect("map a file", map_new("sync-file", FAMFS_FILE_REG, 1, &e), 0);
	fd = open(path_of("sync-file"), O_RDWR);
	if (fd < 0)
		die("open: %s", strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC,
		 fd, 0);
	expect("mmap MAP_SHARED_VALIDATE | MAP_SYNC", p == MAP_FAILED ? -errno : 0, 0);
	if (p == MAP_FAILED)
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	pattern_fill(p, 0, len, 7);
	expect("msync(MS_SYNC)", msync(p, len, MS_SYNC) ? -errno : 0, 0);
	expect("fsync", fsync(fd) ? -errno : 0, 0);
	expect("fdatasync", fdatasync(fd) ? -errno : 0, 0);
	sync_splice(fd, p, len);
	munmap(p, len);
	close(fd);
	return nfail;
}

/* ---- memory failure ---------------------------------------------------- */

#define POISON_PAGE 3

static sigjmp_buf bus_jmp;
static void *bus_addr;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_addr = si->si_addr;
	siglongjmp(bus_jmp, 1);
}

/* A mapping of a file's first len bytes, populated by reading it. */
static char *map_read(const char *name, size_t len)
{
	int fd = open(path_of(name), O_RDONLY);
	char *p;

	if (fd < 0)
		die("open %s: %s", name, strerror(errno));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		die("mmap %s: %s", name, strerror(errno));
	return p;
}

/*
 * In a child: poison one page of a mapping and touch it. Exit 0 when the
 * only SIGBUS came for that page.
 */
static int poison_child(size_t len)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	char *p = map_read("poison-a", len), *page = p + POISON_PAGE * 4096;
	volatile char c;

	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1) == 0) {
		if (madvise(page, 4096, MADV_HWPOISON))
			_exit(2);
		c = *page;
		(void)c;
		_exit(3);	/* no SIGBUS */
	}
	_exit(bus_addr == page ? 0 : 4);
}

static int poison_status(size_t len)
{
	int status;
	pid_t pid = fork();

	if (!pid)
		poison_child(len);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGBUS ? 0 : -EINTR;
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
}

/* Every page of the mapping but skip holds the file's pattern. */
static int pages_intact(const char *p, size_t len, long skip, uint64_t seed)
{
	size_t off;

	for (off = 0; off < len; off += 4096)
		if ((long)(off / 4096) != skip &&
		    pattern_check(p + off, off, 4096, seed) >= 0)
			return 0;
	return 1;
}

static void fill(const char *name, size_t len, uint64_t seed)
{
	int fd = open(path_of(name), O_RDWR);
	char *buf = malloc(len);

	if (fd < 0 || !buf)
		die("fill %s: %s", name, strerror(errno));
	pattern_fill(buf, 0, len, seed);
	if (pwrite(fd, buf, len, 0) != (ssize_t)len)
		die("write %s: %s", name, strerror(errno));
	free(buf);
	close(fd);
}

static int cmd_poison(void)
{
	struct famfs_ioc_extent a = EXT(unit(90), 2 * geo.alloc_unit);
	struct famfs_ioc_extent b = EXT(unit(95), geo.alloc_unit);
	size_t len = 2 * geo.alloc_unit;
	char *p;

	expect("map file poison-a", map_new("poison-a", FAMFS_FILE_REG, 1, &a), 0);
	expect("map file poison-b", map_new("poison-b", FAMFS_FILE_REG, 1, &b), 0);
	fill("poison-a", len, 11);
	fill("poison-b", geo.alloc_unit, 12);
	expect("MADV_HWPOISON of one page: SIGBUS for that page", poison_status(len), 0);
	p = map_read("poison-a", len);
	check("the file's other pages read back through a new mapping",
	      pages_intact(p, len, POISON_PAGE, 11));
	munmap(p, len);
	p = map_read("poison-b", geo.alloc_unit);
	check("another file reads back whole", pages_intact(p, geo.alloc_unit, -1, 12));
	munmap(p, geo.alloc_unit);
	return nfail;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(void); } cmds[] = {
		{ "overlap", cmd_overlap }, { "modify", cmd_modify },
		{ "names", cmd_names }, { "sync", cmd_sync },
		{ "poison", cmd_poison },
	};
	size_t i;

	if (argc == 3) {
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			if (strcmp(argv[1], cmds[i].name))
				continue;
			probe(argv[2]);
			setvbuf(stdout, NULL, _IOLBF, 0);
			return !!cmds[i].fn();
		}
	}
	die("usage: see the comment at the top of famfs_trusttest.c");
}
