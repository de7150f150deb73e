// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_releasetest: FAMFS_IOC_EXTENTS_HELD, FAMFS_IOC_SHUTDOWN and the
 * metadata files, for the kmod_release VM scenario. Checks print ok/FAIL;
 * the exit status says whether one failed.
 *
 *   famfs_releasetest extents FILE          print FILE's extents (OFF:LEN ...)
 *   famfs_releasetest held DIR WANT EXT...  EXTENTS_HELD of OFF:LEN extents
 *                                           answers WANT (an index, or "none")
 *   famfs_releasetest keep FILE open|mmap READY
 *                                           hold FILE open, or only mapped,
 *                                           create READY, wait to be killed
 *   famfs_releasetest input DIR FILE        who may call, malformed input, SET_SPACE
 *   famfs_releasetest meta DIR              root cannot remove or move .meta
 *   famfs_releasetest shutdown DIR FILE     SHUTDOWN, and what fails after it
 */
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include "common.h"
#include "uapi/famfs_ioctl.h"

#define NOBODY 65534

static int nfail;

static void expect(const char *what, int rc, int want)
{
	int ok = rc == -want;

	printf("%-4s %-60s got %-10s want %s\n", ok ? "ok" : "FAIL", what,
	       rc ? strerrorname_np(-rc) : "0", want ? strerrorname_np(want) : "0");
	nfail += !ok;
}

static void check(const char *what, bool ok)
{
	printf("%-4s %s\n", ok ? "ok" : "FAIL", what);
	nfail += !ok;
}

static int open_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		die("open %s: %s", dir, strerror(errno));
	return fd;
}

static struct famfs_ioc_probe probe(int fd)
{
	struct famfs_ioc_probe geo;

	if (ioctl(fd, FAMFS_IOC_PROBE, &geo))
		die("PROBE: %s", strerror(errno));
	return geo;
}

/* EXTENTS_HELD: 0 with *first set, or -errno. */
static int held(int fd, const struct famfs_ioc_extent *ext, uint32_t n,
		uint32_t *first)
{
	struct famfs_ioc_held req = {
		.extents = (uintptr_t)ext, .n_extents = n, .first_held = 0xdead,
	};

	if (ioctl(fd, FAMFS_IOC_EXTENTS_HELD, &req))
		return -errno;
	*first = req.first_held;
	return 0;
}

/* A file's extents (MAP_GET), in a malloc'ed array. */
static struct famfs_ioc_extent *file_extents(const char *path, uint32_t *n)
{
	struct famfs_ioc_map map = { 0 };
	struct famfs_ioc_extent *ext;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || ioctl(fd, FAMFS_IOC_MAP_GET, &map))
		die("MAP_GET %s: %s", path, strerror(errno));
	ext = calloc(map.n_extents, sizeof(*ext));
	if (!ext)
		die("out of memory");
	map.extents = (uintptr_t)ext;
	if (ioctl(fd, FAMFS_IOC_MAP_GET, &map))
		die("MAP_GET %s: %s", path, strerror(errno));
	close(fd);
	*n = map.n_extents;
	return ext;
}

static int cmd_extents(const char *path)
{
	struct famfs_ioc_extent *ext;
	uint32_t n, i;

	ext = file_extents(path, &n);
	for (i = 0; i < n; i++)
		printf("%s%#llx:%#llx", i ? " " : "", (unsigned long long)ext[i].offset,
		       (unsigned long long)ext[i].len);
	printf("\n");
	free(ext);
	return 0;
}

static int cmd_held(const char *dir, const char *want, int n, char **args)
{
	struct famfs_ioc_extent *ext = calloc(n ? n : 1, sizeof(*ext));
	uint32_t first, w;
	char *colon;
	int fd, rc, i;

	if (!ext)
		die("out of memory");
	for (i = 0; i < n; i++) {
		colon = strchr(args[i], ':');
		if (!colon)
			die("extent '%s' is not OFF:LEN", args[i]);
		*colon = 0;
		ext[i].offset = parse_u64(args[i]);
		ext[i].len = parse_u64(colon + 1);
	}
	w = strcmp(want, "none") ? parse_u64(want) : (uint64_t)n;
	fd = open_dir(dir);
	rc = held(fd, ext, n, &first);
	if (rc)
		die("EXTENTS_HELD: %s", strerror(-rc));
	printf("%-4s EXTENTS_HELD of %d extent(s): first held %u, want %u\n",
	       first == w ? "ok" : "FAIL", n, first, w);
	close(fd);
	free(ext);
	return first != w;
}

/* Hold FILE open, or only mapped (its descriptor closed), until killed. */
static int cmd_keep(const char *path, const char *how, const char *ready)
{
	int fd = open(path, O_RDONLY);
	volatile char c;
	char *p;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	if (!strcmp(how, "mmap")) {
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap %s: %s", path, strerror(errno));
		c = p[0];
		(void)c;
		close(fd);
	} else if (strcmp(how, "open")) {
		die("keep: open or mmap, not '%s'", how);
	}
	close(open(ready, O_CREAT | O_WRONLY, 0644));
	for (;;)
		pause();
}

static int set_space(int fd, uint64_t used, uint64_t reserved)
{
	struct famfs_ioc_space s = { .used_bytes = used, .reserved = reserved };

	return ioctl(fd, FAMFS_IOC_SET_SPACE, &s) ? -errno : 0;
}

/* Free bytes as statfs(2) reports them. */
static uint64_t free_bytes(int fd)
{
	struct statfs st;

	if (fstatfs(fd, &st))
		die("statfs: %s", strerror(errno));
	return (uint64_t)st.f_bfree * (uint64_t)st.f_bsize;
}

/*
 * SET_SPACE: statfs counts the larger of the follower's figure and what
 * the mount maps; malformed figures are refused.
 */
static void space_expect(int dfd, const struct famfs_ioc_probe *geo)
{
	uint64_t data = geo->dev_size - geo->log_offset - geo->log_len;

	expect("SET_SPACE with reserved set", set_space(dfd, 0, 1), EINVAL);
	expect("SET_SPACE beyond the data area", set_space(dfd, data + 1, 0), EINVAL);
	expect("SET_SPACE of the whole data area", set_space(dfd, data, 0), 0);
	check("statfs: nothing free after SET_SPACE of the whole data area",
	      free_bytes(dfd) == 0);
	expect("SET_SPACE of 0", set_space(dfd, 0, 0), 0);
	check("statfs: what the mount maps counts when it is more",
	      free_bytes(dfd) > 0);
}

/* Run the ioctls in a child without privileges, on an inherited fd. */
static void unprivileged(const char *what, int fd)
{
	struct famfs_ioc_extent e = { .offset = 0, .len = 4096 };
	char name[128];
	int status, rc;
	uint32_t first;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		rc = held(fd, &e, 1, &first);
		if (rc != -EPERM)
			_exit(rc ? -rc : 101);
		rc = ioctl(fd, FAMFS_IOC_SHUTDOWN) ? errno : 102;
		if (rc != EPERM)
			_exit(rc);
		rc = set_space(fd, 0, 0);
		_exit(rc == -EPERM ? 0 : 103);
	}
	waitpid(pid, &status, 0);
	snprintf(name, sizeof(name), "nobody: EXTENTS_HELD, SHUTDOWN and SET_SPACE on a %s", what);
	expect(name, WIFEXITED(status) && !WEXITSTATUS(status) ? -EPERM :
	       WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR, EPERM);
}

static void held_expect(const char *what, int fd, const struct famfs_ioc_extent *ext,
			uint32_t n, int want_err, uint32_t want_first)
{
	uint32_t first = 0;
	int rc = held(fd, ext, n, &first);

	if (rc || want_err) {
		expect(what, rc, want_err);
		return;
	}
	printf("%-4s %-60s first held %u, want %u\n", first == want_first ? "ok" : "FAIL",
	       what, first, want_first);
	nfail += first != want_first;
}

#define EXT(o, l) ((struct famfs_ioc_extent){ .offset = (o), .len = (l) })

static int cmd_input(const char *dir, const char *file)
{
	int dfd = open_dir(dir), ffd = open(file, O_RDONLY);
	struct famfs_ioc_probe geo = probe(dfd);
	uint64_t tail = geo.dev_size - geo.alloc_unit;
	struct famfs_ioc_extent *fext, *many, e[2];
	uint32_t nf, i, n = FAMFS_IOC_MAX_EXTENTS;

	if (ffd < 0)
		die("open %s: %s", file, strerror(errno));
	fext = file_extents(file, &nf);
	unprivileged("directory", dfd);
	unprivileged("file", ffd);
	space_expect(dfd, &geo);

	held_expect("the file's extents, on the directory", dfd, fext, nf, 0, 0);
	held_expect("the file's extents, on the file", ffd, fext, nf, 0, 0);
	e[0] = EXT(tail, geo.alloc_unit);
	e[1] = EXT(fext[0].offset + fext[0].len - 1, 1);
	held_expect("the device's last unit, then the file's last byte", dfd, e, 2, 0, 1);
	held_expect("the device's last unit: never used (.meta/.data covers it)", dfd, e, 1, 0, 1);
	e[0] = EXT(tail + 4096, 1000);
	held_expect("an unaligned never-used range", dfd, e, 1, 0, 1);
	e[0] = EXT(geo.log_offset, 4096);
	held_expect("a page of the log (held by .meta/.log)", dfd, e, 1, 0, 0);
	e[0] = EXT(geo.dev_size, 1ULL << 40);
	held_expect("a range beyond the device", dfd, e, 1, 0, 1);
	held_expect("no extents", dfd, e, 0, 0, 0);

	e[0] = EXT(tail, geo.alloc_unit);
	e[1] = e[0];
	e[1].reserved = 1;
	held_expect("reserved != 0 (after a valid extent)", dfd, e, 2, EINVAL, 0);
	e[1] = e[0];
	e[1].dev_index = 1;
	held_expect("a member not added holds nothing", dfd, e + 1, 1, 0, 1);
	e[1].dev_index = FAMFS_IOC_MAX_MEMBERS;
	held_expect("dev_index beyond the members", dfd, e, 2, EINVAL, 0);
	e[1] = EXT(tail, 0);
	held_expect("a zero-length extent", dfd, e, 2, EINVAL, 0);
	e[1] = EXT(~0ULL - 4095, 8192);
	held_expect("a range that wraps", dfd, e, 2, EINVAL, 0);
	e[0] = fext[0];
	e[1] = EXT(tail, 0);
	held_expect("a held extent before a malformed one", dfd, e, 2, EINVAL, 0);
	held_expect("extents at a bad address", dfd, (void *)16, 1, EFAULT, 0);

	many = calloc(n + 1, sizeof(*many));
	if (!many)
		die("out of memory");
	for (i = 0; i <= n; i++)
		many[i] = EXT(tail, geo.alloc_unit);
	held_expect("FAMFS_IOC_MAX_EXTENTS + 1 extents", dfd, many, n + 1, EINVAL, 0);
	held_expect("0xffffffff extents", dfd, many, 0xffffffff, EINVAL, 0);
	held_expect("FAMFS_IOC_MAX_EXTENTS never-used extents", dfd, many, n, 0, n);
	many[n - 1] = fext[0];
	held_expect("FAMFS_IOC_MAX_EXTENTS, the last one held", dfd, many, n, 0, n - 1);
	free(many);
	free(fext);
	close(ffd);
	close(dfd);
	return !!nfail;
}

static const char *in_dir(const char *dir, const char *name)
{
	static char path[2][4096];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	return path[which];
}

static int errno_of(int rc)
{
	return rc ? -errno : 0;
}

static int cmd_meta(const char *dir)
{
	static const char *const what[] = { ".meta/.log", ".meta/.superblock" };
	char label[128];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(label, sizeof(label), "root: unlink %s", what[i]);
		expect(label, errno_of(unlink(in_dir(dir, what[i]))), EPERM);
		snprintf(label, sizeof(label), "root: rename %s within .meta", what[i]);
		expect(label, errno_of(rename(in_dir(dir, what[i]),
					      in_dir(dir, ".meta/moved"))), EPERM);
		snprintf(label, sizeof(label), "root: rename %s out of .meta", what[i]);
		expect(label, errno_of(rename(in_dir(dir, what[i]),
					      in_dir(dir, "moved"))), EPERM);
	}
	expect("root: rename .meta", errno_of(rename(in_dir(dir, ".meta"),
						     in_dir(dir, "moved"))), EPERM);
	expect("root: rmdir .meta", errno_of(rmdir(in_dir(dir, ".meta"))), ENOTEMPTY);
	check(".meta/.log and .meta/.superblock are still there",
	      !access(in_dir(dir, ".meta/.log"), F_OK) &&
	      !access(in_dir(dir, ".meta/.superblock"), F_OK));
	expect("root: mkdir a directory", errno_of(mkdir(in_dir(dir, "plain"), 0755)), 0);
	expect("root: rename it", errno_of(rename(in_dir(dir, "plain"),
						  in_dir(dir, "plain2"))), 0);
	expect("root: rmdir it", errno_of(rmdir(in_dir(dir, "plain2"))), 0);
	return !!nfail;
}

/* Read the first byte of a mapping: 0, or the signal it raised. */
static int touch(const char *p)
{
	char c;

	return guarded_copy(&c, p, 1);
}

static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int cmd_shutdown(const char *dir, const char *file)
{
	struct famfs_ioc_probe geo;
	struct famfs_ioc_extent *fext;
	char log[4096];
	int dfd, fd, lfd;
	uint32_t nf, first;
	char c = 0, *p;
	void *q;

	snprintf(log, sizeof(log), "%s/.meta/.log", dir);
	dfd = open_dir(dir);
	fd = open(file, O_RDWR);
	lfd = open(log, O_RDONLY);
	if (fd < 0 || lfd < 0)
		die("open %s or %s: %s", file, log, strerror(errno));
	fext = file_extents(file, &nf);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap %s: %s", file, strerror(errno));
	catch_faults();
	expect("a mapping reads before the shutdown", -touch(p), 0);
	expect("pread(2) before the shutdown",
	       pread(fd, &c, 1, 0) == 1 ? 0 : -errno, 0);

	expect("SHUTDOWN", errno_of(ioctl(dfd, FAMFS_IOC_SHUTDOWN)), 0);
	check("the mapping raises SIGBUS", touch(p) == SIGBUS);
	expect("pread(2) of an open file", pread(fd, &c, 1, 0) < 0 ? -errno : 0, EIO);
	expect("pwrite(2) of an open file", pwrite(fd, &c, 1, 0) < 0 ? -errno : 0, EIO);
	q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	expect("a new mmap(2) of an open file", q == MAP_FAILED ? -errno : 0, EIO);
	expect("fsync(2)", errno_of(fsync(fd)), EIO);
	expect("pread(2) of an open .meta/.log", pread(lfd, &c, 1, 0) < 0 ? -errno : 0, EIO);
	q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, lfd, 0);
	expect("mmap(2) of an open .meta/.log", q == MAP_FAILED ? -errno : 0, EIO);
	expect("open(2) of the file", open_errno(file, O_RDONLY), EIO);
	expect("open(2) of .meta/.log", open_errno(log, O_RDONLY), EIO);
	expect("open(2) of .meta/.superblock",
	       open_errno(in_dir(dir, ".meta/.superblock"), O_RDONLY), EIO);
	expect("open(O_CREAT) of a new file",
	       open_errno(in_dir(dir, "new"), O_RDWR | O_CREAT | O_EXCL), EIO);
	expect("mkdir(2)", errno_of(mkdir(in_dir(dir, "newdir"), 0755)), EIO);
	expect("unlink(2) of the file", errno_of(unlink(file)), EIO);
	expect("rename(2) of the file", errno_of(rename(file, in_dir(dir, "moved"))), EIO);
	expect("SHUTDOWN again (on the directory)",
	       errno_of(ioctl(dfd, FAMFS_IOC_SHUTDOWN)), 0);
	expect("SHUTDOWN again (on the file)", errno_of(ioctl(fd, FAMFS_IOC_SHUTDOWN)), 0);
	expect("PROBE still answers", errno_of(ioctl(dfd, FAMFS_IOC_PROBE, &geo)), 0);
	expect("EXTENTS_HELD still answers", held(dfd, fext, nf, &first), 0);
	check("the file still holds its extents", first == 0);
	munmap(p, 4096);
	free(fext);
	close(lfd);
	close(fd);
	close(dfd);
	return !!nfail;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "extents"))
		return cmd_extents(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "held"))
		return cmd_held(argv[2], argv[3], argc - 4, argv + 4);
	if (argc == 5 && !strcmp(argv[1], "keep"))
		return cmd_keep(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "input"))
		return cmd_input(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "meta"))
		return cmd_meta(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "shutdown"))
		return cmd_shutdown(argv[2], argv[3]);
	die("usage: see the comment at the top of famfs_releasetest.c");
}
