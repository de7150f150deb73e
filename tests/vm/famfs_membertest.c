// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_membertest: members and striped files of famfs.ko (ABI 5) for the
 * VM scenarios, on a file system that famfs_devtool mkfs2 made over two
 * devices.
 *
 *   famfs_membertest add DIR PATH INDEX WANT [other-uuid|nobody]
 *       MEMBER_ADD of the device at PATH as member INDEX, with the UUID
 *       famfs_devtool writes in its label (or another one, or as user
 *       nobody): the call must end with errno WANT ("0": success)
 *   famfs_membertest get DIR INDEX WANT
 *       MEMBER_GET of INDEX must end with WANT; prints the member
 *   famfs_membertest maps DIR
 *       maps on members 0 and 1 in and out of their data areas, overlaps
 *       across members, striped maps refused, EXTENTS_HELD, SET_SPACE and
 *       statfs over both members (member 1 added; uses its first 64 MiB
 *       and member 0's first 64 MiB of data)
 *   famfs_membertest stripe FILE CHUNK SIZE M:OFF:LEN...
 *       a striped file of the strips given (member, offset, length)
 *   famfs_membertest where FILE SEED
 *       each chunk of FILE holds the pattern of SEED at the member offset
 *       famfs_stripe_locate() gives, read through a window on each strip
 */
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include "hostile.h"
#include "famfs/format.h"

#define M(m, o, l) ((struct famfs_ioc_extent){ .dev_index = (m), .offset = (o), .len = (l) })

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int dir_open(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		die("open %s: %s", dir, strerror(errno));
	return fd;
}

/* ---- members ----------------------------------------------------------- */

static int member_add(int dfd, int fd, uint32_t index, bool other_uuid)
{
	struct famfs_ioc_member req = { .fd = fd, .index = index };

	test_member_uuid(req.uuid, index);
	req.uuid[15] ^= other_uuid;
	return ioc(dfd, FAMFS_IOC_MEMBER_ADD, &req);
}

/* As user nobody, with the device opened by root: the errno, negated. */
static int member_add_unprivileged(int dfd, int fd, uint32_t index)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(255);
		_exit(-member_add(dfd, fd, index, false));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -EIO;
}

static int report(const char *what, int rc, const char *want)
{
	const char *got = rc ? strerrorname_np(-rc) : "0";
	bool ok = !strcmp(got, want);

	printf("%-4s %s: got %s want %s\n", ok ? "ok" : "FAIL", what, got, want);
	return !ok;
}

static int cmd_add(const char *dir, const char *path, uint32_t index,
		   const char *want, const char *how)
{
	int dfd = dir_open(dir), fd = open(path, O_RDONLY);
	char what[4200];
	int rc;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	if (how && !strcmp(how, "nobody"))
		rc = member_add_unprivileged(dfd, fd, index);
	else
		rc = member_add(dfd, fd, index, how && !strcmp(how, "other-uuid"));
	close(fd);
	close(dfd);
	snprintf(what, sizeof(what), "MEMBER_ADD %s as member %u%s%s", path,
		 index, how ? ", " : "", how ? how : "");
	return report(what, rc, want);
}

static int member_get(int dfd, uint32_t index, struct famfs_ioc_member *out)
{
	memset(out, 0, sizeof(*out));
	out->index = index;
	return ioc(dfd, FAMFS_IOC_MEMBER_GET, out);
}

static int cmd_get(const char *dir, uint32_t index, const char *want)
{
	struct famfs_ioc_member m;
	int dfd = dir_open(dir), rc = member_get(dfd, index, &m);
	uint8_t uuid[16];
	char what[64];

	close(dfd);
	snprintf(what, sizeof(what), "MEMBER_GET %u", index);
	if (!rc) {
		test_member_uuid(uuid, index);
		printf("member %u: size %llu backend %u uuid %s\n", index,
		       (unsigned long long)m.size, m.backend,
		       memcmp(uuid, m.uuid, 16) ? "unexpected" : "as labelled");
		if (memcmp(uuid, m.uuid, 16) || !m.size)
			rc = -EIO;
	}
	return report(what, rc, want);
}

/* ---- maps on members --------------------------------------------------- */

static uint64_t size1;	/* member 1's usable bytes */

static void maps_members(void)
{
	uint64_t au = geo.alloc_unit, d0 = geo.log_offset + geo.log_len;
	struct famfs_ioc_extent e[2];

	e[0] = M(1, 0, au);
	expect("member 1: its label area", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = M(1, au, au);
	expect("member 1: its first data unit", try_map(au, 0, 0, 1, e), 0);
	expect("member 1: another file's bytes", try_map(au, 0, 0, 1, e), EUCLEAN);
	e[0] = M(1, size1, au);
	expect("member 1: past its end", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = M(1, size1 - au, 2 * au);
	expect("member 1: straddling its end", try_map(au, 0, 0, 1, e), ERANGE);
	e[0] = M(2, 8 * au, au);
	expect("member 2, never added", try_map(au, 0, 0, 1, e), ENXIO);
	e[0] = M(FAMFS_IOC_MAX_MEMBERS, 8 * au, au);
	expect("member index beyond the maximum", try_map(au, 0, 0, 1, e), EINVAL);
	e[0] = M(1, 0, au);
	expect("superblock file on member 1",
	       try_map(au, FAMFS_FILE_SUPERBLOCK, FAMFS_MAP_READONLY, 1, e), EINVAL);
	e[0] = M(0, d0, au);
	e[1] = M(1, 2 * au, au);
	expect("one file over members 0 and 1", try_map(2 * au, 0, 0, 2, e), 0);
	e[0] = M(1, d0, au);
	expect("member 1 at an offset member 0 has taken",
	       try_map(au, 0, 0, 1, e), 0);
}

static int held(const struct famfs_ioc_extent *e, uint32_t n, uint32_t *first)
{
	struct famfs_ioc_held req = { .extents = (uintptr_t)e, .n_extents = n };
	int dfd = dir_open(hdir), rc = ioc(dfd, FAMFS_IOC_EXTENTS_HELD, &req);

	close(dfd);
	*first = req.first_held;
	return rc;
}

static void held_expect(const char *what, struct famfs_ioc_extent e, int want,
			uint32_t want_first)
{
	uint32_t first = 0;
	int rc = held(&e, 1, &first);

	expect(what, rc || want ? rc : first == want_first ? 0 : -EIO, want);
}

static void maps_held(void)
{
	uint64_t au = geo.alloc_unit;

	held_expect("EXTENTS_HELD: member 1, a file's unit", M(1, au, au), 0, 0);
	held_expect("EXTENTS_HELD: member 1, a free unit", M(1, 40 * au, au), 0, 1);
	held_expect("EXTENTS_HELD: member 5, never added", M(5, au, au), 0, 1);
	held_expect("EXTENTS_HELD: member index beyond the maximum",
		    M(FAMFS_IOC_MAX_MEMBERS, au, au), EINVAL, 0);
}

static int try_stripe(uint64_t size, uint32_t flags, uint64_t chunk,
		      uint32_t n, struct famfs_ioc_extent *strips)
{
	struct famfs_ioc_stripe_map sm = {
		.map = { .file_size = size, .flags = flags, .n_extents = n,
			 .extents = (uintptr_t)strips },
		.chunk_size = chunk,
	};
	int fd = new_file(O_RDWR), rc;

	rc = ioc(fd, FAMFS_IOC_MAP_CREATE_STRIPED, &sm);
	close(fd);
	return rc;
}

static void maps_stripe_refused(void)
{
	uint64_t au = geo.alloc_unit, d0 = geo.log_offset + geo.log_len;
	struct famfs_ioc_extent s[FAMFS_IOC_MAX_STRIPS + 1];
	const uint32_t st = FAMFS_MAP_STRIPED;
	uint32_t i;

	s[0] = M(0, d0 + 8 * au, 2 * au);
	s[1] = M(1, 8 * au, 2 * au);
	expect("stripe: one strip", try_stripe(au, st, au, 1, s), EINVAL);
	for (i = 0; i <= FAMFS_IOC_MAX_STRIPS; i++)
		s[i] = M(1, (8 + i) * au, au);
	expect("stripe: 65 strips",
	       try_stripe(au, st, au, FAMFS_IOC_MAX_STRIPS + 1, s), EINVAL);
	s[0] = M(0, d0 + 8 * au, 2 * au);
	s[1] = M(1, 8 * au, au);
	expect("stripe: strips of unequal length", try_stripe(au, st, au, 2, s), EINVAL);
	s[1] = M(1, 8 * au, 2 * au);
	expect("stripe: chunk not a multiple of 2 MiB",
	       try_stripe(au, st, au / 2, 2, s), EINVAL);
	expect("stripe: chunk 0", try_stripe(au, st, 0, 2, s), EINVAL);
	expect("stripe: strip not a multiple of the chunk",
	       try_stripe(au, st, 4 * au, 2, s), EINVAL);
	expect("stripe: size beyond the strips",
	       try_stripe(4 * au + 1, st, au, 2, s), EINVAL);
	expect("stripe: WINDOW|STRIPED",
	       try_stripe(au, st | FAMFS_MAP_WINDOW, au, 2, s), EINVAL);
	expect("stripe: without FAMFS_MAP_STRIPED", try_stripe(au, 0, au, 2, s), EINVAL);
	expect("MAP_CREATE with FAMFS_MAP_STRIPED", try_map(au, 0, st, 2, s), EINVAL);
	s[1] = M(2, 8 * au, 2 * au);
	expect("stripe: a strip on a member never added",
	       try_stripe(au, st, au, 2, s), ENXIO);
	s[1] = M(1, 0, 2 * au);
	expect("stripe: a strip over member 1's label", try_stripe(au, st, au, 2, s), ERANGE);
	s[1] = M(1, au, 2 * au);
	expect("stripe: a strip over another file's bytes",
	       try_stripe(au, st, au, 2, s), EUCLEAN);
	s[0] = M(1, 8 * au, 2 * au);
	s[1] = M(1, 9 * au, 2 * au);
	expect("stripe: strips that overlap", try_stripe(au, st, au, 2, s), EINVAL);
}

/* A striped map accepted, and what MAP_GET and MAP_GET_STRIPED report of it. */
static void maps_stripe_get(void)
{
	uint64_t au = geo.alloc_unit, d0 = geo.log_offset + geo.log_len;
	struct famfs_ioc_extent s[2] = { M(0, d0 + 8 * au, 2 * au), M(1, 8 * au, 2 * au) };
	struct famfs_ioc_extent got[2];
	struct famfs_ioc_stripe_map sm = {
		.map = { .file_size = 3 * au, .flags = FAMFS_MAP_STRIPED,
			 .n_extents = 2, .extents = (uintptr_t)s },
		.chunk_size = au,
	};
	int fd = new_file(O_RDWR), rc;

	expect("stripe: two members, 2 MiB chunks",
	       ioc(fd, FAMFS_IOC_MAP_CREATE_STRIPED, &sm), 0);
	memset(&sm, 0, sizeof(sm));
	sm.map.n_extents = 2;
	sm.map.extents = (uintptr_t)got;
	expect("MAP_GET_STRIPED", ioc(fd, FAMFS_IOC_MAP_GET_STRIPED, &sm), 0);
	expect("MAP_GET_STRIPED reports the stripe",
	       sm.chunk_size == au && sm.map.n_extents == 2 &&
	       (sm.map.flags & FAMFS_MAP_STRIPED) && sm.map.file_size == 3 * au &&
	       !memcmp(got, s, sizeof(s)) ? 0 : -EIO, 0);
	sm.map.n_extents = 2;
	expect("MAP_GET of a striped file",
	       ioc(fd, FAMFS_IOC_MAP_GET, &sm.map), 0);
	expect("MAP_GET says FAMFS_MAP_STRIPED",
	       sm.map.flags & FAMFS_MAP_STRIPED ? 0 : -EIO, 0);
	close(fd);
	fd = new_file(O_RDWR);
	s[0] = M(1, 12 * au, au);
	expect("plain map on member 1", map_create(fd, au, 0, 0, 1, s), 0);
	sm.map.n_extents = 2;
	sm.chunk_size = 1;
	rc = ioc(fd, FAMFS_IOC_MAP_GET_STRIPED, &sm);
	expect("MAP_GET_STRIPED of a plain file: chunk 0",
	       rc ? rc : sm.chunk_size || sm.map.n_extents != 1 ? -EIO : 0, 0);
	close(fd);
}

/* df counts both members; SET_SPACE is bounded by both data areas. */
static void maps_space(void)
{
	uint64_t d0 = geo.log_offset + geo.log_len;
	struct famfs_ioc_space sp = {
		.used_bytes = geo.dev_size - d0 + size1 - FAMFS_MEMBER_DATA_OFFSET,
	};
	int dfd = dir_open(hdir);
	struct statfs sfs;

	expect("SET_SPACE: both data areas", ioc(dfd, FAMFS_IOC_SET_SPACE, &sp), 0);
	sp.used_bytes += geo.alloc_unit;
	expect("SET_SPACE: beyond both data areas",
	       ioc(dfd, FAMFS_IOC_SET_SPACE, &sp), EINVAL);
	sp.used_bytes = 0;
	expect("SET_SPACE: 0", ioc(dfd, FAMFS_IOC_SET_SPACE, &sp), 0);
	expect("statfs: blocks of both members",
	       fstatfs(dfd, &sfs) ? -errno :
	       (uint64_t)sfs.f_blocks * sfs.f_bsize == geo.dev_size + size1 ? 0 : -EIO, 0);
	close(dfd);
}

static int cmd_maps(const char *dir)
{
	struct famfs_ioc_member m;
	int dfd;

	hostile_begin(dir);
	dfd = dir_open(dir);
	if (member_get(dfd, 1, &m))
		die("MEMBER_GET 1: %s", strerror(errno));
	close(dfd);
	size1 = m.size;
	maps_members();
	maps_held();
	maps_stripe_refused();
	maps_stripe_get();
	maps_space();
	printf("maps: %d failure(s)\n", nfail);
	return !!nfail;
}

/* ---- striped files ----------------------------------------------------- */

static struct famfs_ioc_extent parse_strip(const char *arg)
{
	char buf[128], *off, *len;

	snprintf(buf, sizeof(buf), "%s", arg);
	off = strchr(buf, ':');
	len = off ? strchr(off + 1, ':') : NULL;
	if (!len)
		die("strip '%s' is not MEMBER:OFF:LEN", arg);
	*off++ = 0;
	*len++ = 0;
	return M((uint32_t)parse_u64(buf), parse_u64(off), parse_u64(len));
}

static int cmd_stripe(const char *path, uint64_t chunk, uint64_t size,
		      int n, char **args)
{
	struct famfs_ioc_extent s[FAMFS_IOC_MAX_STRIPS];
	struct famfs_ioc_stripe_map sm = {
		.map = { .file_size = size, .flags = FAMFS_MAP_STRIPED,
			 .n_extents = n, .extents = (uintptr_t)s },
		.chunk_size = chunk,
	};
	int fd, i;

	if (n > FAMFS_IOC_MAX_STRIPS)
		die("too many strips");
	for (i = 0; i < n; i++)
		s[i] = parse_strip(args[i]);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	if (ioctl(fd, FAMFS_IOC_MAP_CREATE_STRIPED, &sm))
		die("MAP_CREATE_STRIPED %s: %s", path, strerror(errno));
	close(fd);
	printf("%s: %d strips of %llu bytes, chunk %llu, size %llu\n", path, n,
	       (unsigned long long)s[0].len, (unsigned long long)chunk,
	       (unsigned long long)size);
	return 0;
}

/* A window onto strip @i: read(2) of the member's bytes, whatever file holds them. */
static int window_open(const char *path, uint32_t i, struct famfs_ioc_extent *strip)
{
	char name[4200];
	int fd;

	snprintf(name, sizeof(name), "%s.win%u", path, i);
	fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || map_create(fd, strip->len, 0, FAMFS_MAP_WINDOW, 1, strip))
		die("window %s: %s", name, strerror(errno));
	return fd;
}

static int cmd_where(const char *path, uint64_t seed)
{
	struct famfs_ioc_extent s[FAMFS_IOC_MAX_STRIPS];
	struct famfs_ioc_stripe_map sm = {
		.map = { .n_extents = FAMFS_IOC_MAX_STRIPS, .extents = (uintptr_t)s },
	};
	int fd = open(path, O_RDONLY), win[FAMFS_IOC_MAX_STRIPS];
	uint64_t pos, soff, len;
	uint32_t i, strip;
	char *buf;

	if (fd < 0 || ioctl(fd, FAMFS_IOC_MAP_GET_STRIPED, &sm) || !sm.chunk_size)
		die("%s: not a striped file (%s)", path, strerror(errno));
	close(fd);
	for (i = 0; i < sm.map.n_extents; i++)
		win[i] = window_open(path, i, &s[i]);
	buf = malloc(sm.chunk_size);
	if (!buf)
		die("out of memory");
	for (pos = 0; pos < sm.map.file_size; pos += sm.chunk_size) {
		famfs_stripe_locate(sm.chunk_size, sm.map.n_extents, pos, &strip, &soff);
		len = sm.map.file_size - pos < sm.chunk_size ?
		      sm.map.file_size - pos : sm.chunk_size;
		if (pread(win[strip], buf, len, soff) != (ssize_t)len)
			die("window read, strip %u at %llu: %s", strip,
			    (unsigned long long)soff, strerror(errno));
		if (pattern_check(buf, pos, len, seed) >= 0)
			die("file offset %llu is not at member %u offset %llu",
			    (unsigned long long)pos, s[strip].dev_index,
			    (unsigned long long)(s[strip].offset + soff));
	}
	printf("where ok: %llu bytes in chunks of %llu over %u strips\n",
	       (unsigned long long)sm.map.file_size,
	       (unsigned long long)sm.chunk_size, sm.map.n_extents);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "add"))
		return cmd_add(argv[2], argv[3], parse_u64(argv[4]), argv[5],
			       argc == 7 ? argv[6] : NULL);
	if (argc == 5 && !strcmp(argv[1], "get"))
		return cmd_get(argv[2], parse_u64(argv[3]), argv[4]);
	if (argc == 3 && !strcmp(argv[1], "maps"))
		return cmd_maps(argv[2]);
	if (argc >= 6 && !strcmp(argv[1], "stripe"))
		return cmd_stripe(argv[2], parse_u64(argv[3]), parse_u64(argv[4]),
				  argc - 5, argv + 5);
	if (argc == 4 && !strcmp(argv[1], "where"))
		return cmd_where(argv[2], parse_u64(argv[3]));
	die("usage: see the comment at the top of famfs_membertest.c");
}
