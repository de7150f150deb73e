// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_stress: random valid and invalid operations on a mounted famfs from
 * several threads and users at once, for the kmod_stress VM scenario. Every
 * result is counted by operation and errno; what docs/kmod.md says the
 * module guarantees is checked on the way. The exit status is 0 only when
 * no guarantee broke.
 *
 *   famfs_stress [--seed N] [--seconds N] [--threads N] [--save FILE] DIR
 *   famfs_stress --check FILE DIR
 *
 * DIR is the root of a fresh mount. The seed (printed first) fixes each
 * thread's choices; how the threads interleave is the scheduler's. Odd
 * threads also fork children that run as nobody. --save lists the files
 * whose bytes were checked (path, map, checksum); --check, on a later mount
 * of the same device, maps them again and compares their bytes.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include "common.h"
#include "uapi/famfs_ioctl.h"

#define FAMFS_MAGIC	0x46414d46
#define NOBODY		65534
#define PAGE		4096UL
#define MAX_FILES	4096
#define FILES_MARGIN	64	/* table_full() this early: creators in flight still fit */
#define MAX_THREADS	16
#define RAND_EXTENTS	64	/* most extents in a random map that may succeed */
#define SLICE		8	/* allocation units each thread's own files use */
#define IO_MAX		(3 * MIB)
#define PIPE_MAX	65536
#define CHILD_SECONDS	30	/* a nobody child lives at most this long */
#define GRACE		120	/* after the deadline, before a thread counts as stuck */

/* ---- results ----------------------------------------------------------- */

#define OPS(X) X(create) X(mkdir) X(mknod) X(map_create) X(map_get) X(probe) \
	X(bad_ioctl) X(open) X(read) X(write) X(pread) X(pwrite) X(fsync) \
	X(mmap) X(fault_read) X(fault_write) X(mprotect) X(mremap) X(madvise) \
	X(msync) X(sendfile) X(splice) X(ftruncate) X(fallocate) X(link) \
	X(rename) X(unlink) X(rmdir) X(symlink) X(chmod) X(chown) X(statfs) \
	X(setid_write)
#define OP_ENUM(name) OP_##name,
#define OP_NAME(name) #name,
enum op { OPS(OP_ENUM) N_OPS };
static const char *const op_names[] = { OPS(OP_NAME) };

/* A result is 0, an errno, or a signal a fault raised. */
#define ERRNO_MAX	140
#define RES_SIGBUS	(ERRNO_MAX + 1)
#define RES_SIGSEGV	(ERRNO_MAX + 2)
#define N_RESULTS	(ERRNO_MAX + 3)
#define MAX_REPORTS	50

/* Shared with the nobody children, so that their counts come back. */
struct tally {
	uint64_t count[N_OPS][N_RESULTS];
	uint64_t broken;
};

static struct tally *tally;

static const char *res_name(int res)
{
	if (res == RES_SIGBUS)
		return "SIGBUS";
	if (res == RES_SIGSEGV)
		return "SIGSEGV";
	return res ? strerrorname_np(res) ?: "E?" : "0";
}

static void count(enum op op, int res)
{
	if (res < 0 || res >= N_RESULTS)
		res = ERRNO_MAX;
	__atomic_fetch_add(&tally->count[op][res], 1, __ATOMIC_RELAXED);
}

/* ---- the files this run made -------------------------------------------- */

enum fclass {
	F_DIR,
	F_SCRATCH,	/* anyone writes it; only return values are checked */
	F_OWNED,	/* one thread writes it and knows every byte */
	F_SETID,	/* a set-ID file one thread's nobody children write */
	F_META,		/* superblock or log file: never written */
};

struct sfile {
	char *path;
	enum fclass class;
	int owner;		/* thread, for F_OWNED and F_SETID */
	mode_t mode;		/* for directories: fixed */
	bool mapped;		/* set once, under the state lock */
	struct famfs_ioc_map map;
	struct famfs_ioc_extent *ext;
	uint8_t *shadow;	/* F_OWNED: what the file holds */
};

static struct {
	pthread_mutex_t lock;
	struct sfile files[MAX_FILES];
	int nfiles;
	uint8_t *claimed;	/* per allocation unit: some file maps it */
	uint64_t units;		/* allocation units in the device */
	uint64_t first_unit;	/* the first after the superblock and log */
	uint64_t reg_bytes;	/* mapped by regular files, for statfs */
	bool sb_claimed, log_claimed;
	unsigned int next_name;
} st = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct famfs_ioc_probe geo;
static const char *top;
static uint64_t seed;
static time_t deadline;
static int nthreads = 4;

/* ---- one thread's view --------------------------------------------------- */

struct mapreq {
	struct famfs_ioc_map map;
	struct famfs_ioc_extent *ext;	/* room for FAMFS_IOC_MAX_EXTENTS */
	int defect;
	void *arg;			/* what the ioctl gets */
};

struct worker {
	int id;
	uint64_t rng;
	bool nobody;		/* a child running as nobody */
	bool user;		/* forks nobody children */
	pthread_t thread;
	const char *volatile doing;	/* the current operation, for a stuck report */
	char *buf;		/* IO_MAX bytes */
	char *cmp;
	char *guard;		/* one readable page, then one PROT_NONE page */
	int memfd;
	int setid;		/* its F_SETID file, or -1 */
	struct mapreq req;
};

static struct worker workers[MAX_THREADS];
static struct worker main_worker = { .id = -1 };	/* setup and final checks */

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

static bool chance(struct worker *w, int percent)
{
	return below(w, 100) < (uint64_t)percent;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31)) | 1;
}

static void fill_random(struct worker *w, void *p, size_t len)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < len; i += sizeof(v)) {
		v = rnd(w);
		memcpy((char *)p + i, &v, len - i < sizeof(v) ? len - i : sizeof(v));
	}
}

/*
 * A broken guarantee: counted, and the first ones printed with the thread,
 * the operation and the file.
 */
static void broken(struct worker *w, enum op op, const char *path,
		   const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (__atomic_fetch_add(&tally->broken, 1, __ATOMIC_RELAXED) < MAX_REPORTS)
		printf("BROKEN thread %d%s %s %s: %s\n", w->id,
		       w->nobody ? " (nobody)" : "", op_names[op], path ?: "", msg);
}

/* Count res; a result outside {a, b} is a broken guarantee. */
static bool want2(struct worker *w, enum op op, const char *path, int res,
		  int a, int b, const char *what)
{
	count(op, res);
	if (res == a || res == b)
		return true;
	broken(w, op, path, "%s: got %s, want %s%s%s", what, res_name(res),
	       res_name(a), a == b ? "" : " or ", a == b ? "" : res_name(b));
	return false;
}

static bool want(struct worker *w, enum op op, const char *path, int res,
		 int a, const char *what)
{
	return want2(w, op, path, res, a, a, what);
}

#define RES(call) ((call) < 0 ? errno : 0)

/* A fault's signal as a result. */
static int fault_res(int sig)
{
	return !sig ? 0 : sig == SIGBUS ? RES_SIGBUS : RES_SIGSEGV;
}

/* ---- the file table ------------------------------------------------------ */

static int add_file(const char *path, enum fclass class, int owner, mode_t mode)
{
	int i;

	pthread_mutex_lock(&st.lock);
	i = st.nfiles < MAX_FILES ? st.nfiles++ : -1;
	if (i >= 0) {
		st.files[i].path = strdup(path);
		st.files[i].class = class;
		st.files[i].owner = owner;
		st.files[i].mode = mode;
	}
	pthread_mutex_unlock(&st.lock);
	return i;
}

static bool table_full(void)
{
	bool full;

	pthread_mutex_lock(&st.lock);
	full = st.nfiles >= MAX_FILES - FILES_MARGIN;
	pthread_mutex_unlock(&st.lock);
	return full;
}

static bool is_mapped(int i)
{
	bool mapped;

	pthread_mutex_lock(&st.lock);
	mapped = st.files[i].mapped;
	pthread_mutex_unlock(&st.lock);
	return mapped;
}

/* A random file of one of the classes in mask (1 << class), or -1. */
static int pick(struct worker *w, unsigned int mask)
{
	int n, i, tries;

	pthread_mutex_lock(&st.lock);
	n = st.nfiles;
	pthread_mutex_unlock(&st.lock);
	for (tries = 0; tries < 64; tries++) {
		i = below(w, n);
		if (mask & (1u << st.files[i].class))
			return i;
	}
	return -1;
}

#define ANY_FILE ((1u << F_SCRATCH) | (1u << F_OWNED) | (1u << F_META))

/* One of this thread's own files, or any file. */
static int pick_file(struct worker *w, int mine_percent)
{
	int i, tries;

	if (!w->nobody && chance(w, mine_percent)) {
		for (tries = 0; tries < 64; tries++) {
			i = pick(w, 1u << F_OWNED);
			if (i >= 0 && st.files[i].owner == w->id)
				return i;
		}
	}
	return pick(w, ANY_FILE);
}

static bool mine(struct worker *w, int i)
{
	return !w->nobody && st.files[i].class == F_OWNED &&
	       st.files[i].owner == w->id;
}

/* What this thread may write: scratch files and its own. */
static bool writable_by(struct worker *w, int i)
{
	return st.files[i].class == F_SCRATCH || mine(w, i);
}

/* The directory holding path i, from the table. */
static const struct sfile *parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash - path;
	int i;

	for (i = 0; i < st.nfiles; i++)
		if (st.files[i].class == F_DIR && strlen(st.files[i].path) == len &&
		    !strncmp(st.files[i].path, path, len))
			return &st.files[i];
	return NULL;
}

/* Whether nobody may add or remove names in the directory of path. */
static bool nobody_may_write_dir(const char *path)
{
	const struct sfile *dir;
	bool ok;

	pthread_mutex_lock(&st.lock);
	dir = parent_of(path);
	ok = dir && (dir->mode & 0002);
	pthread_mutex_unlock(&st.lock);
	return ok;
}

/*
 * A fresh path in a random directory. A nobody child's counter is a copy
 * from the fork: its names also carry its pid.
 */
static void new_path(struct worker *w, char *out, size_t len, const char *prefix)
{
	int d = pick(w, 1u << F_DIR);
	unsigned int n = __atomic_fetch_add(&st.next_name, 1, __ATOMIC_RELAXED);
	const char *dir = d >= 0 ? st.files[d].path : top;

	if (w->nobody)
		snprintf(out, len, "%s/%s%u-%d", dir, prefix, n, getpid());
	else
		snprintf(out, len, "%s/%s%u", dir, prefix, n);
}

/* ---- the extent map model ----------------------------------------------- */

/* Mark the units of the extents claimed (1) or test them. */
static bool units_of(uint8_t *units, const struct famfs_ioc_extent *e, bool mark)
{
	uint64_t u, end = (e->offset + e->len) / geo.alloc_unit;
	bool hit = false;

	for (u = e->offset / geo.alloc_unit; u < end && u < st.units; u++) {
		hit |= units[u];
		if (mark)
			units[u] = 1;
	}
	return hit;
}

/*
 * What the extent tree answers for a regular file's extents, claimed in
 * order: 0, EINVAL when one overlaps an earlier extent of the same map,
 * EUCLEAN when it overlaps another file's. An extent that does both may
 * meet either first. Under the state lock.
 */
static void claim_expect(const struct famfs_ioc_map *m, int out[2])
{
	const struct famfs_ioc_extent *e = (void *)(uintptr_t)m->extents;
	uint8_t *own = calloc(st.units, 1);
	bool o, x;
	uint32_t i;

	out[0] = out[1] = 0;
	for (i = 0; own && i < m->n_extents; i++) {
		o = units_of(own, &e[i], false);
		x = units_of(st.claimed, &e[i], false);
		if (o || x) {
			out[0] = o ? EINVAL : EUCLEAN;
			out[1] = x ? EUCLEAN : EINVAL;
			break;
		}
		units_of(own, &e[i], true);
	}
	free(own);
}

static void claim(int i, const struct famfs_ioc_map *m)
{
	const struct famfs_ioc_extent *e = (void *)(uintptr_t)m->extents;
	struct sfile *f = &st.files[i];
	uint32_t k;

	f->map = *m;
	f->ext = malloc(sizeof(*e) * (m->n_extents ?: 1));
	memcpy(f->ext, e, sizeof(*e) * m->n_extents);
	f->map.extents = (uintptr_t)f->ext;
	if (m->file_type == FAMFS_FILE_SUPERBLOCK)
		st.sb_claimed = true;
	if (m->file_type == FAMFS_FILE_LOG)
		st.log_claimed = true;
	if (m->file_type == FAMFS_FILE_REG) {
		for (k = 0; k < m->n_extents; k++) {
			units_of(st.claimed, &e[k], true);
			st.reg_bytes += e[k].len;
		}
	}
	f->mapped = true;
}

/* ---- MAP_CREATE requests ------------------------------------------------- */

#define DEFECTS(X) X(NONE) X(FLAGS) X(RESERVED) X(TYPE) X(TOO_MANY) \
	X(NO_EXTENTS) X(HUGE_SIZE) X(DEV_INDEX) X(EXT_RESERVED) X(ZERO_LEN) \
	X(UNALIGNED) X(PAST_END) X(OVERFLOW) X(LOG_AREA) X(SIZE_OVER) \
	X(BAD_EXTENTS) X(SHORT_ARRAY) X(BAD_ARG) X(RDONLY_FD) X(META) X(META_BAD)
#define D_ENUM(name) D_##name,
#define D_NAME(name) #name,
enum defect { DEFECTS(D_ENUM) N_DEFECTS };
static const char *const defect_names[] = { DEFECTS(D_NAME) };

/* The errno of a defect the kernel finds before it looks at other files. */
static const int defect_errno[N_DEFECTS] = {
	[D_FLAGS] = EINVAL, [D_RESERVED] = EINVAL, [D_TYPE] = EINVAL,
	[D_TOO_MANY] = EINVAL, [D_NO_EXTENTS] = EINVAL, [D_HUGE_SIZE] = EINVAL,
	[D_DEV_INDEX] = EINVAL, [D_EXT_RESERVED] = EINVAL, [D_ZERO_LEN] = EINVAL,
	[D_UNALIGNED] = EINVAL, [D_PAST_END] = ERANGE, [D_OVERFLOW] = ERANGE,
	[D_LOG_AREA] = ERANGE, [D_BAD_EXTENTS] = EFAULT, [D_SHORT_ARRAY] = EFAULT,
	[D_BAD_ARG] = EFAULT, [D_RDONLY_FD] = EBADF, [D_META_BAD] = EINVAL,
};


/* Addresses no user copy may read. */
static uintptr_t bad_pointer(struct worker *w)
{
	static const uintptr_t bad[] = { 0, 16, 0xffff888000000000ULL, ~0xfffULL };

	return chance(w, 25) ? (uintptr_t)(w->guard + PAGE) : bad[below(w, 4)];
}

/* A run of units: mostly free ones, sometimes anywhere in the data area. */
static struct famfs_ioc_extent random_extent(struct worker *w)
{
	uint64_t au = geo.alloc_unit, span = st.units - st.first_unit;
	uint64_t len = 1 + below(w, chance(w, 90) ? 3 : 16), u = 0;
	int tries;

	for (tries = 0; tries < 16; tries++) {
		u = st.first_unit + below(w, span);
		if (!chance(w, 70) || !st.claimed[u])
			break;
	}
	if (u + len > st.units)
		len = st.units - u;
	return (struct famfs_ioc_extent){ .offset = u * au, .len = len * au };
}

static uint32_t extent_count(struct worker *w)
{
	if (chance(w, 2))
		return FAMFS_IOC_MAX_EXTENTS;
	return 1 + below(w, chance(w, 85) ? 4 : RAND_EXTENTS);
}

static uint64_t extent_sum(const struct mapreq *r)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < r->map.n_extents; i++)
		sum += r->ext[i].len;
	return sum;
}

/* A well-formed regular map of n extents; its size at most their sum. */
static void valid_map(struct worker *w, struct mapreq *r)
{
	uint32_t i, n = extent_count(w);
	uint64_t sum;

	for (i = 0; i < n; i++) {
		r->ext[i] = random_extent(w);
		/* now and then the same bytes twice in one map */
		if (i && chance(w, 3))
			r->ext[i] = r->ext[below(w, i)];
	}
	r->map = (struct famfs_ioc_map){
		.file_type = FAMFS_FILE_REG, .n_extents = n,
		.flags = chance(w, 20) ? FAMFS_MAP_READONLY : 0,
		.extents = (uintptr_t)r->ext,
	};
	sum = extent_sum(r);
	r->map.file_size = chance(w, 50) ? sum : sum - below(w, sum);
}

static void meta_map(struct worker *w, struct mapreq *r)
{
	bool sb = chance(w, 50);

	r->ext[0] = sb ? (struct famfs_ioc_extent){ .offset = 0, .len = geo.log_offset } :
		(struct famfs_ioc_extent){ .offset = geo.log_offset, .len = geo.log_len };
	r->map = (struct famfs_ioc_map){
		.file_type = sb ? FAMFS_FILE_SUPERBLOCK : FAMFS_FILE_LOG,
		.flags = FAMFS_MAP_READONLY, .n_extents = 1,
		.file_size = r->ext[0].len, .extents = (uintptr_t)r->ext,
	};
	if (r->defect != D_META_BAD)
		return;
	if (chance(w, 50))
		r->ext[0].offset += geo.alloc_unit;	/* not where it belongs */
	else
		r->map.n_extents = 2;			/* metadata takes one */
	r->ext[1] = r->ext[0];
}

/* Put the extent array at the end of the readable guard page. */
static void short_array(struct worker *w, struct mapreq *r)
{
	uint32_t fit = PAGE / sizeof(*r->ext), n = 1 + below(w, fit - 1);
	struct famfs_ioc_extent *e = (void *)(w->guard + PAGE - n * sizeof(*e));

	memcpy(e, r->ext, n * sizeof(*e));
	r->map.extents = (uintptr_t)e;
	if (r->map.n_extents <= n)
		r->map.n_extents = n + 1 + below(w, FAMFS_IOC_MAX_EXTENTS - n);
}

/* A flag bit the ABI does not define: the kernel must refuse it. */
static uint32_t unknown_map_flag(struct worker *w)
{
	uint32_t bit;

	do
		bit = 1u << below(w, 32);
	while (bit & FAMFS_MAP_FLAGS_ALL);
	return bit;
}

/* One defect in an otherwise well-formed map (extent i where it matters). */
static void break_map(struct worker *w, struct mapreq *r)
{
	struct famfs_ioc_extent *e = &r->ext[below(w, r->map.n_extents)];
	uint64_t au = geo.alloc_unit;

	switch (r->defect) {
	case D_FLAGS: r->map.flags |= unknown_map_flag(w); break;
	case D_RESERVED: r->map.reserved = 1 + below(w, UINT32_MAX); break;
	case D_TYPE: r->map.file_type = FAMFS_FILE_LOG + 1 + below(w, 1000); break;
	case D_TOO_MANY:
		r->map.n_extents = FAMFS_IOC_MAX_EXTENTS + 1 +
				   below(w, UINT32_MAX - FAMFS_IOC_MAX_EXTENTS);
		break;
	case D_NO_EXTENTS: r->map.n_extents = 0; r->map.file_size |= 1; break;
	case D_HUGE_SIZE: r->map.file_size = (1ULL << 63) + below(w, 1ULL << 62); break;
	case D_DEV_INDEX: e->dev_index = FAMFS_IOC_MAX_MEMBERS + below(w, 7); break;
	case D_EXT_RESERVED: e->reserved = 1 + below(w, 100); break;
	case D_ZERO_LEN: e->len = 0; break;
	case D_UNALIGNED:
		if (chance(w, 50))
			e->offset += PAGE * (1 + below(w, au / PAGE - 1));
		else
			e->len += 1 + below(w, au - 1);
		break;
	case D_PAST_END: e->offset = geo.dev_size / au * au + below(w, 4) * au; break;
	case D_OVERFLOW: e->offset = -(1 + below(w, 4)) * au; e->len = 8 * au; break;
	case D_LOG_AREA: e->offset = below(w, st.first_unit) * au; break;
	case D_SIZE_OVER: r->map.file_size = extent_sum(r) + 1 + below(w, au); break;
	case D_BAD_EXTENTS: r->map.extents = bad_pointer(w); break;
	case D_SHORT_ARRAY: short_array(w, r); break;
	case D_BAD_ARG: r->arg = (void *)bad_pointer(w); break;
	default: break;
	}
}

/*
 * What MAP_CREATE must answer, under the state lock: the defect's errno,
 * EEXIST for a second map, else what claiming the extents gives (a size
 * beyond them fails only once they are claimed).
 */
static void map_expect(const struct mapreq *r, bool mapped, int out[2])
{
	bool *taken = r->map.file_type == FAMFS_FILE_SUPERBLOCK ? &st.sb_claimed :
		      &st.log_claimed;
	int k;

	out[0] = out[1] = defect_errno[r->defect];
	if (out[0])
		return;
	if (mapped) {
		out[0] = out[1] = EEXIST;
		return;
	}
	if (r->map.file_type != FAMFS_FILE_REG) {
		out[0] = out[1] = *taken ? EUCLEAN : 0;
		return;
	}
	claim_expect(&r->map, out);
	for (k = 0; k < 2; k++)
		if (r->defect == D_SIZE_OVER && !out[k])
			out[k] = EINVAL;
}

static int create_file(struct worker *w, const char *path, enum fclass class,
		       mode_t mode)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, mode);

	if (!want(w, OP_create, path, RES(fd), 0, "create as root"))
		return -1;
	close(fd);
	return add_file(path, class, w->id, mode);
}

/* The file a map goes to: mostly one not mapped yet, sometimes a new one. */
static int map_target(struct worker *w, bool meta)
{
	char path[PATH_MAX];
	int i;

	if (!meta && (w->nobody || chance(w, 85))) {
		i = pick(w, 1u << F_SCRATCH);
		if (i >= 0 && (!is_mapped(i) || chance(w, 15) || w->nobody))
			return i;
	}
	if (w->nobody || table_full())
		return -1;
	new_path(w, path, sizeof(path), meta ? "m" : "f");
	return create_file(w, path, meta ? F_META : F_SCRATCH, meta ? 0444 : 0666);
}

static void build_map(struct worker *w, struct mapreq *r)
{
	r->defect = chance(w, 40) ? D_NONE : (int)(1 + below(w, N_DEFECTS - 1));
	if (r->defect == D_META || r->defect == D_META_BAD)
		meta_map(w, r);
	else
		valid_map(w, r);
	r->arg = &r->map;
	break_map(w, r);
}

/* The map the kernel took: the model follows, whatever was expected. */
static void map_taken(struct worker *w, int i, const struct mapreq *r,
		      const int exp[2])
{
	if (exp[0] && exp[1]) {
		broken(w, OP_map_create, st.files[i].path,
		       "a %s map was accepted; the model of the device is lost",
		       defect_names[r->defect]);
		return;
	}
	claim(i, &r->map);
}

static void step_map(struct worker *w)
{
	struct mapreq *r = &w->req;
	int i, fd, res, exp[2];

	build_map(w, r);
	i = map_target(w, r->defect == D_META || r->defect == D_META_BAD);
	if (i < 0)
		return;
	fd = open(st.files[i].path, r->defect == D_RDONLY_FD ? O_RDONLY : O_RDWR);
	if (fd < 0) {
		count(OP_open, errno);
		return;
	}
	if (w->nobody) {
		res = RES(ioctl(fd, FAMFS_IOC_MAP_CREATE, r->arg));
		want(w, OP_map_create, st.files[i].path, res, EPERM, "map by nobody");
		close(fd);
		return;
	}
	pthread_mutex_lock(&st.lock);
	map_expect(r, st.files[i].mapped, exp);
	res = RES(ioctl(fd, FAMFS_IOC_MAP_CREATE, r->arg));
	if (!res)
		map_taken(w, i, r, exp);
	pthread_mutex_unlock(&st.lock);
	want2(w, OP_map_create, st.files[i].path, res, exp[0], exp[1],
	      defect_names[r->defect]);
	close(fd);
}

/* ---- MAP_GET, PROBE, other ioctls ---------------------------------------- */

static bool same_map(const struct famfs_ioc_map *got, const struct sfile *f)
{
	return got->file_size == f->map.file_size &&
	       got->file_type == f->map.file_type && got->flags == f->map.flags &&
	       got->n_extents == f->map.n_extents && !got->reserved;
}

static uint32_t get_capacity(struct worker *w, uint32_t n)
{
	switch (below(w, 5)) {
	case 0: return 0;
	case 1: return n ? n - 1 : 0;
	case 2: return n;
	case 3: return n + below(w, 8);
	default: return chance(w, 50) ? UINT32_MAX : RAND_EXTENTS + 1;
	}
}

/* The answer MAP_GET owes a file with map f (NULL: not mapped). */
static int get_expect(const struct sfile *f, uint32_t cap, bool bad_arg,
		      bool bad_ext)
{
	if (!f)
		return ENODATA;
	if (bad_arg)
		return EFAULT;
	if (!cap)
		return 0;
	if (cap < f->map.n_extents)
		return ERANGE;
	return bad_ext && f->map.n_extents ? EFAULT : 0;
}

/* What MAP_GET returned: the header always, the extents if they fit. */
static void check_got(struct worker *w, const struct sfile *f, uint32_t cap,
		      const struct famfs_ioc_map *got,
		      const struct famfs_ioc_extent *ext, int res)
{
	if (res == ENODATA)
		return;
	if (!same_map(got, f))
		broken(w, OP_map_get, f->path, "header differs from the map created");
	else if (!res && cap && got->extents == (uintptr_t)ext &&
		 memcmp(ext, f->ext, f->map.n_extents * sizeof(*ext)))
		broken(w, OP_map_get, f->path, "extents differ from the map created");
}

static void step_map_get(struct worker *w)
{
	struct famfs_ioc_extent ext[RAND_EXTENTS + 1];
	struct famfs_ioc_map m = { .extents = (uintptr_t)ext };
	int i = pick(w, ANY_FILE), fd, res, exp;
	bool bad_arg = chance(w, 5), bad_ext = chance(w, 5), mapped;
	uint32_t cap;
	void *arg = bad_arg ? (void *)bad_pointer(w) : &m;

	if (i < 0)
		return;
	fd = open(st.files[i].path, O_RDONLY);
	if (fd < 0) {
		count(OP_open, errno);
		return;
	}
	if (bad_ext)
		m.extents = bad_pointer(w);
	/* Root asks under the lock; nobody's table may be older than the file. */
	pthread_mutex_lock(&st.lock);
	mapped = st.files[i].mapped;
	cap = m.n_extents = get_capacity(w, mapped ? st.files[i].map.n_extents : 0);
	exp = get_expect(mapped ? &st.files[i] : NULL, cap, bad_arg, bad_ext);
	res = RES(ioctl(fd, FAMFS_IOC_MAP_GET, arg));
	pthread_mutex_unlock(&st.lock);
	if (w->nobody && !mapped && res != ENODATA)
		count(OP_map_get, res);	/* mapped since the fork */
	else if (want(w, OP_map_get, st.files[i].path, res, exp, "MAP_GET") &&
		 mapped && !bad_arg)
		check_got(w, &st.files[i], cap, &m, ext, res);
	close(fd);
}

/* PROBE on a famfs file or directory must describe the mount. */
static void probe_famfs(struct worker *w, int fd, const char *path)
{
	struct famfs_ioc_probe p;
	bool bad = chance(w, 10);
	int res = RES(ioctl(fd, FAMFS_IOC_PROBE, bad ? (void *)bad_pointer(w) : &p));

	if (want(w, OP_probe, path, res, bad ? EFAULT : 0, "PROBE") && !bad &&
	    memcmp(&p, &geo, sizeof(p)))
		broken(w, OP_probe, path, "PROBE answers differ from the first one");
}

/* Any file outside famfs: PROBE tells it apart with ENOTTY. */
static void probe_other(struct worker *w)
{
	struct famfs_ioc_probe p;
	int fd = w->memfd, pfd[2] = { -1, -1 };

	if (chance(w, 50) && !pipe(pfd))
		fd = pfd[0];
	want(w, OP_probe, "(not famfs)", RES(ioctl(fd, FAMFS_IOC_PROBE, &p)), ENOTTY,
	     "PROBE outside famfs");
	if (pfd[0] >= 0) {
		close(pfd[0]);
		close(pfd[1]);
	}
}

/* An ioctl of famfs's type that is not one of its three. */
static unsigned long bad_cmd(struct worker *w)
{
	unsigned long cmd;

	do {
		cmd = _IOC(below(w, 4), FAMFS_IOC_MAGIC, below(w, 256), below(w, 128));
	} while (cmd == FAMFS_IOC_PROBE || cmd == FAMFS_IOC_MAP_CREATE ||
		 cmd == FAMFS_IOC_MAP_GET);
	return cmd;
}

static void step_ioctl(struct worker *w)
{
	bool dir = chance(w, 30);
	int i = dir ? pick(w, 1u << F_DIR) : pick(w, ANY_FILE), fd;
	char junk[128] = { 0 };

	if (chance(w, 20)) {
		probe_other(w);
		return;
	}
	if (i < 0 || (fd = open(st.files[i].path, O_RDONLY)) < 0)
		return;
	if (chance(w, 50)) {
		probe_famfs(w, fd, st.files[i].path);
	} else if (dir) {
		want(w, OP_bad_ioctl, st.files[i].path,
		     RES(ioctl(fd, chance(w, 50) ? FAMFS_IOC_MAP_CREATE : FAMFS_IOC_MAP_GET,
			       junk)), ENOTTY, "map ioctl on a directory");
	} else {
		want(w, OP_bad_ioctl, st.files[i].path, RES(ioctl(fd, bad_cmd(w), junk)),
		     ENOTTY, "unknown famfs ioctl");
	}
	close(fd);
}

/* ---- names: only root adds them, nobody removes or moves them ------------ */

/* What creating in the directory of path owes a caller (root may). */
static int create_errno(struct worker *w, const char *path)
{
	if (!w->nobody)
		return 0;
	return nobody_may_write_dir(path) ? EPERM : EACCES;
}

static void step_create(struct worker *w)
{
	static const mode_t modes[] = { 0644, 0666, 0600, 0444, 0755 };
	mode_t mode = modes[below(w, 5)];
	char path[PATH_MAX];
	int fd;

	if (table_full())
		return;
	new_path(w, path, sizeof(path), "f");
	if (!w->nobody) {
		create_file(w, path, F_SCRATCH, mode);
		return;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, mode);
	want(w, OP_create, path, RES(fd), create_errno(w, path), "create");
	if (fd >= 0)
		close(fd);
}

static void step_mkdir(struct worker *w)
{
	mode_t mode = chance(w, 50) ? 0777 : 0755;
	char path[PATH_MAX];

	if (table_full())
		return;
	new_path(w, path, sizeof(path), "d");
	if (strlen(path) > 200)
		return;
	if (want(w, OP_mkdir, path, RES(mkdir(path, mode)), create_errno(w, path),
		 "mkdir") && !w->nobody)
		add_file(path, F_DIR, w->id, mode);
}

/* Only regular files and directories, and only by root. */
static void step_mknod(struct worker *w)
{
	static const mode_t types[] = { S_IFREG, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK };
	mode_t type = types[below(w, 5)];
	char path[PATH_MAX];
	int exp;

	if (table_full())
		return;
	new_path(w, path, sizeof(path), "n");
	exp = create_errno(w, path);
	if (!w->nobody && type != S_IFREG)
		exp = EPERM;
	if (want(w, OP_mknod, path, RES(mknod(path, type | 0644, makedev(1, 3))),
		 exp, "mknod") && !exp)
		add_file(path, F_SCRATCH, w->id, 0644);
}

/* What removing or moving a name owes: EPERM, or EACCES to nobody first. */
static int remove_errno(struct worker *w, const char *a, const char *b)
{
	if (!w->nobody)
		return EPERM;
	return nobody_may_write_dir(a) && (!b || nobody_may_write_dir(b)) ? EPERM :
									    EACCES;
}

static bool inside(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	return !strncmp(path, dir, len) && path[len] == '/';
}

static void step_names(struct worker *w)
{
	bool dir = chance(w, 30);
	int i = pick(w, dir ? 1u << F_DIR : ANY_FILE), exp;
	const char *from;
	char to[PATH_MAX];

	if (i <= 0)	/* 0 is the mount's root */
		return;
	from = st.files[i].path;
	new_path(w, to, sizeof(to), "x");
	switch (below(w, 4)) {
	case 0:
		want(w, OP_symlink, to, RES(symlink(from, to)), create_errno(w, to) ?: EPERM,
		     "symlink");
		break;
	case 1:
		/* nobody may also meet protected_hardlinks (EPERM) first */
		want2(w, OP_link, from, RES(link(from, to)), remove_errno(w, to, NULL),
		      EPERM, "link");
		break;
	case 2:
		/* Root may move and remove names (the log player does): not here. */
		if (!w->nobody)
			break;
		exp = dir && inside(to, from) ? EINVAL : remove_errno(w, from, to);
		/* moving a directory also needs write access to it (EACCES) */
		want2(w, OP_rename, from, RES(rename(from, to)), exp,
		      dir ? EACCES : exp, "rename");
		break;
	default:
		if (!w->nobody)
			break;
		want(w, dir ? OP_rmdir : OP_unlink, from,
		     RES(dir ? rmdir(from) : unlink(from)), remove_errno(w, from, NULL),
		     dir ? "rmdir" : "unlink");
		break;
	}
}

/* Attributes: root changes those of scratch files; nobody owns nothing. */
static void step_chmod(struct worker *w)
{
	static const uid_t ids[] = { 0, 1000, NOBODY };
	int i = pick(w, w->nobody ? ANY_FILE | 1u << F_DIR : 1u << F_SCRATCH);
	const char *path;
	int exp = w->nobody ? EPERM : 0;

	if (i < 0)
		return;
	path = st.files[i].path;
	if (chance(w, 50))
		want(w, OP_chmod, path, RES(chmod(path, below(w, 010000))), exp, "chmod");
	else
		want(w, OP_chown, path, RES(chown(path, ids[below(w, 2)], ids[below(w, 3)])),
		     exp, "chown");
}

/* statfs: free space is the device less the reserved area and mapped files. */
static void step_statfs(struct worker *w)
{
	uint64_t free_bytes;
	struct statfs s;
	int res;

	pthread_mutex_lock(&st.lock);
	res = RES(statfs(top, &s));
	free_bytes = geo.dev_size - geo.log_offset - geo.log_len - st.reg_bytes;
	pthread_mutex_unlock(&st.lock);
	if (!want(w, OP_statfs, top, res, 0, "statfs"))
		return;
	if (s.f_type != FAMFS_MAGIC || s.f_blocks != geo.dev_size / PAGE)
		broken(w, OP_statfs, top, "type %#lx, %llu blocks", (long)s.f_type,
		       (unsigned long long)s.f_blocks);
	else if (!w->nobody && s.f_bfree != free_bytes / PAGE)
		broken(w, OP_statfs, top, "%llu blocks free, want %llu",
		       (unsigned long long)s.f_bfree,
		       (unsigned long long)(free_bytes / PAGE));
}

/* ---- I/O ----------------------------------------------------------------- */

/* An open famfs file, and what was known of it before it was opened. */
struct ofile {
	int i;
	int fd;
	int flags;
	const char *path;
	uint64_t size;		/* 0 until mapped */
	bool mapped, ro, mine;
};

static bool open_file(struct worker *w, int i, int flags, struct ofile *f)
{
	const struct sfile *s = &st.files[i];

	f->i = i;
	f->flags = flags;
	f->path = s->path;
	f->mapped = is_mapped(i);
	f->size = f->mapped ? s->map.file_size : 0;
	f->ro = f->mapped && (s->map.flags & FAMFS_MAP_READONLY);
	f->mine = mine(w, i);
	f->fd = open(s->path, flags);
	if (f->fd < 0)
		count(OP_open, errno);
	return f->fd >= 0;
}

/* Which open mode: writes only where this thread may write. */
static int open_mode(struct worker *w, int i)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	int extra = (chance(w, 25) ? O_DIRECT : 0) | (chance(w, 10) ? O_APPEND : 0) |
		    (chance(w, 10) ? O_SYNC : 0);

	if (!writable_by(w, i) && st.files[i].class != F_META)
		return O_RDONLY | extra;
	return modes[below(w, 4)] | extra;
}

/*
 * Whether an unmapped file may have been mapped since it was opened: by
 * another thread, or, for a nobody child, since the fork. Such a file
 * answers as a mapped one, which the model cannot tell.
 */
static bool maybe_mapped(struct worker *w, const struct ofile *f)
{
	return !f->mapped && (w->nobody || is_mapped(f->i));
}

static const char *io_result(int64_t n, char *buf, size_t len)
{
	if (n < 0)
		return res_name(-n);
	snprintf(buf, len, "%lld bytes", (long long)n);
	return buf;
}

/* A result against the expected one: both a count, or -errno. */
static bool io_check(struct worker *w, const struct ofile *f, enum op op,
		     uint64_t off, size_t len, int64_t n, int64_t exp)
{
	char got[32], want[32];

	count(op, n < 0 ? (int)-n : 0);
	if (n == exp || maybe_mapped(w, f))
		return n == exp;
	broken(w, op, f->path, "%zu bytes at %llu: got %s, want %s", len,
	       (unsigned long long)off, io_result(n, got, sizeof(got)),
	       io_result(exp, want, sizeof(want)));
	return false;
}

/*
 * What read(2) or write(2) of len bytes at off owes: a count, or -errno.
 * Reads stop at EOF; writes never extend: ENOSPC at or past EOF (and
 * always when appending), short across it.
 */
static int64_t io_expect(const struct ofile *f, bool wr, uint64_t off, size_t len,
			 bool bad)
{
	if ((f->flags & O_ACCMODE) == (wr ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!len)
		return 0;
	if (!f->mapped)
		return -EIO;
	if (wr && f->ro)
		return -EPERM;
	if (off >= f->size || (wr && (f->flags & O_APPEND)))
		return wr ? -ENOSPC : 0;
	if (bad)
		return -EFAULT;
	return len < f->size - off ? len : f->size - off;
}

/* What a read of mine returned must be what the thread wrote there. */
static void check_bytes(struct worker *w, const struct ofile *f, enum op op,
			const void *got, uint64_t off, size_t n)
{
	const uint8_t *want = st.files[f->i].shadow + off;
	size_t k;

	if (!f->mine || !memcmp(got, want, n))
		return;
	for (k = 0; ((const uint8_t *)got)[k] == want[k]; k++)
		;
	broken(w, op, f->path, "byte at %llu reads %#x, %#x was written",
	       (unsigned long long)(off + k), ((const uint8_t *)got)[k], want[k]);
}

static void wrote_bytes(const struct ofile *f, const void *buf, uint64_t off,
			int64_t n)
{
	if (f->mine && n > 0)
		memcpy(st.files[f->i].shadow + off, buf, n);
}

static uint64_t io_offset(struct worker *w, uint64_t size)
{
	switch (below(w, 6)) {
	case 0:
		return 0;
	case 1:
		return size - below(w, size < PAGE ? size + 1 : PAGE);	/* near EOF */
	case 2:
		return size + below(w, 2 * PAGE);
	default:
		return below(w, size + 1);
	}
}

static size_t io_len(struct worker *w)
{
	switch (below(w, 5)) {
	case 0:
		return below(w, 2);
	case 1:
		return 1 + below(w, 512);
	case 2:
		return 1 + below(w, PIPE_MAX);
	case 3:
		return PAGE * (1 + below(w, 16));
	default:
		return 1 + below(w, IO_MAX);
	}
}

/* A user address that faults: the guard page, or low memory. */
static char *bad_buffer(struct worker *w)
{
	return chance(w, 50) ? w->guard + PAGE : (char *)(uintptr_t)(16 * below(w, 2));
}

static void io_one(struct worker *w, const struct ofile *f)
{
	int acc = f->flags & O_ACCMODE;
	bool wr = chance(w, 5) ? acc == O_RDONLY : acc != O_RDONLY &&
		  (acc == O_WRONLY || chance(w, 50));
	bool pos = chance(w, 60), bad = chance(w, 4);
	uint64_t off = io_offset(w, f->size);
	size_t len = io_len(w);
	char *buf = bad ? bad_buffer(w) : wr ? w->buf : w->cmp;
	int64_t n;

	if (wr && !bad)
		fill_random(w, buf, len);
	if (!pos && lseek(f->fd, off, SEEK_SET) != (off_t)off)
		die("lseek %s: %s", f->path, strerror(errno));
	if (wr)
		n = pos ? pwrite(f->fd, buf, len, off) : write(f->fd, buf, len);
	else
		n = pos ? pread(f->fd, buf, len, off) : read(f->fd, buf, len);
	if (n < 0)
		n = -errno;
	if (wr && io_check(w, f, pos ? OP_pwrite : OP_write, off, len, n,
			   io_expect(f, true, off, len, bad)))
		wrote_bytes(f, buf, off, n);
	else if (!wr && io_check(w, f, pos ? OP_pread : OP_read, off, len, n,
				 io_expect(f, false, off, len, bad)) && n > 0)
		check_bytes(w, f, pos ? OP_pread : OP_read, buf, off, n);
}

static void step_io(struct worker *w)
{
	int i = pick_file(w, 50), k, n;
	struct ofile f;

	if (i < 0 || !open_file(w, i, open_mode(w, i), &f))
		return;
	n = 1 + below(w, 8);
	for (k = 0; k < n; k++)
		io_one(w, &f);
	if (chance(w, 20))
		want(w, OP_fsync, f.path, RES(chance(w, 50) ? fsync(f.fd) : fdatasync(f.fd)),
		     0, "fsync");
	close(f.fd);
}

/* Root's opens of files and directories with random flags. */
static int open_expect(const struct sfile *s, int flags, uint64_t size)
{
	bool wr = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);

	if (s->class == F_DIR)
		return wr || (flags & O_CREAT) ? EISDIR : flags & O_DIRECT ? EINVAL : 0;
	if (flags & O_DIRECTORY)
		return ENOTDIR;
	return (flags & O_TRUNC) && size ? EPERM : 0;
}

static int random_open_flags(struct worker *w, int i)
{
	static const int extra[] = { O_APPEND, O_DIRECT, O_SYNC, O_DSYNC, O_NOATIME,
				     O_CLOEXEC, O_TRUNC, O_NOFOLLOW, O_NONBLOCK };
	int flags = open_mode(w, i) & O_ACCMODE;
	size_t k;

	for (k = 0; k < sizeof(extra) / sizeof(extra[0]); k++)
		if (chance(w, 10))
			flags |= extra[k];
	if (chance(w, 10))	/* not both: 6.4 and later refuse the pair */
		flags |= chance(w, 50) ? O_CREAT : O_DIRECTORY;
	return flags;
}

/* Whatever the flags, a mapped file keeps its size. */
static void check_size(struct worker *w, enum op op, const struct ofile *f)
{
	struct stat s;

	if (f->mapped && !stat(f->path, &s) && (uint64_t)s.st_size != f->size)
		broken(w, op, f->path, "size %lld, the map says %llu",
		       (long long)s.st_size, (unsigned long long)f->size);
}

static void step_open(struct worker *w)
{
	int i = chance(w, 15) ? pick(w, 1u << F_DIR) : pick_file(w, 30), flags;
	struct ofile f;

	if (i < 0)
		return;
	flags = random_open_flags(w, i);
	open_file(w, i, flags, &f);
	if (w->nobody || maybe_mapped(w, &f))
		count(OP_open, f.fd < 0 ? errno : 0);
	else
		want(w, OP_open, f.path, f.fd < 0 ? errno : 0,
		     open_expect(&st.files[i], flags, f.size), "open");
	if (f.fd >= 0)
		close(f.fd);
	if (st.files[i].class != F_DIR)
		check_size(w, OP_open, &f);
}

/* Sizes never change: truncate is refused unless it keeps the size. */
static void step_truncate(struct worker *w)
{
	int i = pick_file(w, 30), acc = chance(w, 30) ? O_RDONLY : O_RDWR, exp;
	uint64_t len;
	struct ofile f;

	if (i < 0 || !open_file(w, i, acc, &f))
		return;
	len = chance(w, 40) ? f.size : f.size + below(w, 3) * geo.alloc_unit + below(w, 2);
	if (chance(w, 20))
		len = f.size ? f.size - 1 : 0;
	exp = acc == O_RDONLY ? EINVAL : len == f.size ? 0 : EPERM;
	io_check(w, &f, OP_ftruncate, len, 0, -RES(ftruncate(f.fd, len)), -exp);
	check_size(w, OP_ftruncate, &f);
	close(f.fd);
}

static void step_fallocate(struct worker *w)
{
	static const int modes[] = { 0, FALLOC_FL_KEEP_SIZE,
				     FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				     FALLOC_FL_ZERO_RANGE, FALLOC_FL_COLLAPSE_RANGE };
	int i = pick_file(w, 30), acc = chance(w, 20) ? O_RDONLY : O_RDWR;
	uint64_t off, len;
	struct ofile f;

	if (i < 0 || !open_file(w, i, acc, &f))
		return;
	off = below(w, f.size + 1) / PAGE * PAGE;
	len = PAGE * (1 + below(w, 64));
	io_check(w, &f, OP_fallocate, off, len,
		 -RES(fallocate(f.fd, modes[below(w, 5)], off, len)),
		 acc == O_RDONLY ? -EBADF : -EOPNOTSUPP);
	check_size(w, OP_fallocate, &f);
	close(f.fd);
}

/* ---- mappings ------------------------------------------------------------ */

#define MAP_UNKNOWN	0x200000	/* no such mmap flag */

struct vmap {
	char *addr;
	size_t len;
	uint64_t off;		/* file offset of addr */
	int prot;
	bool shared;
	bool private_dirty;	/* a private page was written: reads show it, not the file */
};

static int mmap_expect(const struct ofile *f, size_t len, uint64_t off, int prot,
		       int flags)
{
	int acc = f->flags & O_ACCMODE;
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;

	if (!len || off % PAGE)
		return EINVAL;
	if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE && (flags & MAP_UNKNOWN))
		return EOPNOTSUPP;
	if ((shared && (prot & PROT_WRITE) && acc == O_RDONLY) || acc == O_WRONLY)
		return EACCES;
	if (!f->mapped)
		return EIO;
	return f->ro && shared && (prot & PROT_WRITE) ? EPERM : 0;
}

static int fault_expect(const struct ofile *f, const struct vmap *m,
			uint64_t foff, bool wr)
{
	if (m->prot == PROT_NONE || (wr && !(m->prot & PROT_WRITE)))
		return RES_SIGSEGV;
	return foff >= (f->size + PAGE - 1) / PAGE * PAGE ? RES_SIGBUS : 0;
}

/* Mostly pages near EOF, where the answer changes. */
static size_t pick_page(struct worker *w, const struct ofile *f, const struct vmap *m)
{
	size_t pages = m->len / PAGE, eof = f->size / PAGE;

	if (chance(w, 40) && eof >= m->off / PAGE && eof - m->off / PAGE < pages + 2) {
		eof -= m->off / PAGE;
		eof = eof + 1 - below(w, eof < 2 ? eof + 1 : 3);
		if (eof < pages)
			return eof;
	}
	return below(w, pages);
}

/* Read or store a few bytes of one page; the signal and the bytes are checked. */
static void touch(struct worker *w, const struct ofile *f, struct vmap *m)
{
	size_t p = pick_page(w, f, m), o = below(w, PAGE), l = 1 + below(w, PAGE - o);
	uint64_t foff = m->off + p * PAGE, at = foff + o;
	size_t inside = at < f->size ? (f->size - at < l ? f->size - at : l) : 0;
	bool wr = chance(w, 40) && (!m->shared || writable_by(w, f->i));
	char *addr = m->addr + p * PAGE + o;
	int res, exp;

	if (wr)
		fill_random(w, w->buf, l);
	res = fault_res(wr ? guarded_copy(addr, w->buf, l) : guarded_copy(w->cmp, addr, l));
	exp = fault_expect(f, m, foff, wr);
	count(wr ? OP_fault_write : OP_fault_read, res);
	if (res != exp) {
		broken(w, wr ? OP_fault_write : OP_fault_read, f->path,
		       "page %zu of %zu at file offset %llu (size %llu, prot %d, %s): got %s, want %s",
		       p, m->len / PAGE, (unsigned long long)foff, (unsigned long long)f->size,
		       m->prot, m->shared ? "shared" : "private", res_name(res), res_name(exp));
		return;
	}
	if (res)
		return;
	if (wr && m->shared)
		wrote_bytes(f, w->buf, at, inside);
	else if (wr)
		m->private_dirty = true;
	else if (!m->private_dirty)
		check_bytes(w, f, OP_fault_read, w->cmp, at, inside);
}

static void protect(struct worker *w, const struct ofile *f, struct vmap *m)
{
	bool no_write = f->ro || (f->flags & O_ACCMODE) == O_RDONLY;
	int res = RES(mprotect(m->addr, m->len, PROT_READ | PROT_WRITE));

	want(w, OP_mprotect, f->path, res, m->shared && no_write ? EACCES : 0,
	     "mprotect(PROT_WRITE)");
	if (!res)
		m->prot = PROT_READ | PROT_WRITE;
}

static void sync_range(struct worker *w, const struct ofile *f, const struct vmap *m)
{
	static const int flags[] = { MS_SYNC, MS_ASYNC, MS_INVALIDATE,
				     MS_SYNC | MS_INVALIDATE, MS_SYNC | MS_ASYNC };
	size_t pages = m->len / PAGE, first = below(w, pages);
	size_t len = PAGE * (1 + below(w, pages - first)), skew = chance(w, 10);
	int fl = flags[below(w, 5)];

	want(w, OP_msync, f->path, RES(msync(m->addr + first * PAGE + skew, len, fl)),
	     skew || fl == (MS_SYNC | MS_ASYNC) ? EINVAL : 0, "msync");
}

/* Any advice but poisoning: the answer varies by kernel, only the count. */
static void advise(struct worker *w, struct vmap *m)
{
	static const int advice[] = {
		MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
		MADV_DONTNEED, MADV_FREE, MADV_REMOVE, MADV_HUGEPAGE,
		MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_COLD,
		MADV_PAGEOUT, 22 /* POPULATE_READ */, 23 /* POPULATE_WRITE */,
		25 /* COLLAPSE */,
	};
	int a = advice[below(w, sizeof(advice) / sizeof(advice[0]))];

	count(OP_madvise, RES(madvise(m->addr, m->len, a)));
	if (a == MADV_DONTNEED || a == MADV_FREE || a == MADV_REMOVE)
		m->private_dirty |= !m->shared;
}

static void remap(struct worker *w, const struct ofile *f, struct vmap *m)
{
	size_t len = PAGE * (1 + below(w, (f->size + 4 * MIB) / PAGE));
	void *p = mremap(m->addr, m->len, len, MREMAP_MAYMOVE);

	count(OP_mremap, p == MAP_FAILED ? errno : 0);
	if (p == MAP_FAILED)
		return;
	m->addr = p;
	m->len = len;
}

static void map_random(struct worker *w, const struct ofile *f, struct vmap *m,
		       int *flags)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
				     PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE };
	static const int types[] = { MAP_SHARED, MAP_PRIVATE,
				     MAP_SHARED_VALIDATE | MAP_SYNC,
				     MAP_SHARED_VALIDATE | MAP_UNKNOWN };
	uint64_t span = f->size + 4 * MIB;

	m->prot = prots[below(w, 5)];
	*flags = types[below(w, chance(w, 90) ? 3 : 4)];
	m->shared = (*flags & MAP_TYPE) != MAP_PRIVATE;
	m->off = below(w, span) / PAGE * PAGE + (chance(w, 4) ? 1 + below(w, PAGE - 1) : 0);
	m->len = chance(w, 3) ? 0 : PAGE * (1 + below(w, span / PAGE));
	m->private_dirty = false;
}

static void step_mmap(struct worker *w)
{
	int i = pick_file(w, 40), flags, k, n = 0, res;
	struct vmap m;
	struct ofile f;

	if (i < 0 || !open_file(w, i, open_mode(w, i) & ~O_APPEND, &f))
		return;
	map_random(w, &f, &m, &flags);
	m.addr = mmap(NULL, m.len, m.prot, flags, f.fd, m.off);
	res = m.addr == MAP_FAILED ? errno : 0;
	close(f.fd);
	if (maybe_mapped(w, &f))
		count(OP_mmap, res);
	else if (want(w, OP_mmap, f.path, res,
		      mmap_expect(&f, m.len, m.off, m.prot, flags), "mmap") && !res)
		n = 1 + below(w, 16);
	if (res)
		return;
	for (k = 0; k < n; k++) {
		switch (below(w, 12)) {
		case 0: protect(w, &f, &m); break;
		case 1: sync_range(w, &f, &m); break;
		case 2: advise(w, &m); break;
		case 3: remap(w, &f, &m); break;
		default: touch(w, &f, &m); break;
		}
	}
	if (munmap(m.addr, m.len))
		die("munmap: %s", strerror(errno));
}

/* ---- sendfile and splice -------------------------------------------------- */

/*
 * Through a pipe the kernel may move fewer bytes than asked: any count up
 * to the expected one counts, and the bytes it moved are checked.
 */
static bool moved(struct worker *w, const struct ofile *f, enum op op,
		  uint64_t off, size_t len, int64_t n, int64_t exp)
{
	if (n > 0 && exp > 0 && n <= exp)
		exp = n;
	return io_check(w, f, op, off, len, n, exp);
}

/* From the file: to the memfd (sendfile) or to a pipe (splice). */
static void splice_out(struct worker *w, const struct ofile *f, int pfd[2])
{
	bool pipe_out = chance(w, 50);
	uint64_t off = io_offset(w, f->size);
	size_t len = pipe_out ? 1 + below(w, PIPE_MAX) : io_len(w);
	loff_t o = off;
	int64_t n;

	if (ftruncate(w->memfd, 0) || lseek(w->memfd, 0, SEEK_SET))
		die("memfd: %s", strerror(errno));
	if (pipe_out)
		n = splice(f->fd, &o, pfd[1], NULL, len, SPLICE_F_NONBLOCK);
	else
		n = sendfile(w->memfd, f->fd, &o, len);
	if (n < 0)
		n = -errno;
	if (!moved(w, f, pipe_out ? OP_splice : OP_sendfile, off, len, n,
		   io_expect(f, false, off, len, false)) || n <= 0)
		return;
	if ((pipe_out ? read(pfd[0], w->cmp, n) : pread(w->memfd, w->cmp, n, 0)) != n)
		die("reading back %lld bytes: %s", (long long)n, strerror(errno));
	check_bytes(w, f, pipe_out ? OP_splice : OP_sendfile, w->cmp, off, n);
}

/* Into the file: from a pipe (splice) or from the memfd (sendfile). */
static void splice_in(struct worker *w, const struct ofile *f, int pfd[2])
{
	bool from_pipe = chance(w, 50);
	uint64_t off = io_offset(w, f->size);
	size_t len = 1 + below(w, PIPE_MAX);
	int64_t n, exp = io_expect(f, true, off, len, false);
	loff_t o = off, zero = 0;

	fill_random(w, w->buf, len);
	if ((from_pipe ? write(pfd[1], w->buf, len) : pwrite(w->memfd, w->buf, len, 0)) !=
	    (ssize_t)len)
		die("staging %zu bytes: %s", len, strerror(errno));
	if (from_pipe)
		n = splice(pfd[0], NULL, f->fd, &o, len, 0);
	else if (lseek(f->fd, off, SEEK_SET) == (off_t)off)
		n = sendfile(f->fd, w->memfd, &zero, len);	/* at the file position */
	else
		die("lseek %s: %s", f->path, strerror(errno));
	if (n < 0)
		n = -errno;
	if (f->flags & O_APPEND)
		exp = -EINVAL;	/* splice refuses appending files */
	if (moved(w, f, from_pipe ? OP_splice : OP_sendfile, off, len, n, exp) && n > 0)
		wrote_bytes(f, w->buf, off, n);
}

static void step_splice(struct worker *w)
{
	int i = pick_file(w, 50), pfd[2];
	struct ofile f;
	bool in;

	if (i < 0 || pipe2(pfd, O_NONBLOCK))
		return;
	in = writable_by(w, i) && chance(w, 50);
	if (open_file(w, i, in ? O_RDWR | (chance(w, 10) ? O_APPEND : 0) : O_RDONLY, &f)) {
		if (in)
			splice_in(w, &f, pfd);
		else
			splice_out(w, &f, pfd);
		close(f.fd);
	}
	close(pfd[0]);
	close(pfd[1]);
}

/* ---- threads and users ---------------------------------------------------- */

struct step {
	void (*fn)(struct worker *w);
	const char *name;
	int root, nobody;	/* weights */
};

static const struct step steps[] = {
	{ step_create, "create", 3, 2 },	{ step_mkdir, "mkdir", 1, 1 },
	{ step_mknod, "mknod", 1, 1 },		{ step_map, "map_create", 10, 3 },
	{ step_map_get, "map_get", 4, 3 },	{ step_ioctl, "ioctl", 3, 3 },
	{ step_open, "open", 4, 4 },		{ step_io, "io", 16, 10 },
	{ step_mmap, "mmap", 12, 8 },		{ step_splice, "splice", 5, 3 },
	{ step_truncate, "ftruncate", 3, 2 },	{ step_fallocate, "fallocate", 1, 1 },
	{ step_names, "names", 4, 4 },		{ step_chmod, "chmod", 3, 3 },
	{ step_statfs, "statfs", 1, 1 },
};

static void one_step(struct worker *w)
{
	int total = 0, k, r;

	for (k = 0; k < (int)(sizeof(steps) / sizeof(steps[0])); k++)
		total += w->nobody ? steps[k].nobody : steps[k].root;
	r = below(w, total);
	for (k = 0; r >= (w->nobody ? steps[k].nobody : steps[k].root); k++)
		r -= w->nobody ? steps[k].nobody : steps[k].root;
	w->doing = steps[k].name;
	steps[k].fn(w);
	w->doing = "idle";
}

/* A write by another user drops the set-ID bits (first thing a child does). */
static void setid_write(struct worker *w)
{
	const char *path = st.files[w->setid].path;
	uint64_t off = below(w, st.files[w->setid].map.file_size);
	int fd = open(path, O_WRONLY), res = 0;

	if (fd < 0 || pwrite(fd, "s", 1, off) != 1)
		res = errno;
	want(w, OP_setid_write, path, res, 0, "write to a 06777 file as nobody");
	if (fd >= 0)
		close(fd);
}

/*
 * The forked child: nobody from here on, its own random stream, a bounded
 * number of steps. The table is the parent's as of the fork; the lock was
 * held across it, by a thread the child does not have.
 */
static void __attribute__((noreturn)) child_main(struct worker *w, uint64_t round)
{
	int k, n;

	pthread_mutex_init(&st.lock, NULL);
	signal(SIGALRM, SIG_DFL);	/* not the parent's watchdog */
	alarm(CHILD_SECONDS);
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		_exit(100);
	w->nobody = true;
	w->rng = mix(w->rng ^ round);
	setid_write(w);
	n = 20 + below(w, 100);
	for (k = 0; k < n && time(NULL) < deadline; k++)
		one_step(w);
	_exit(0);
}

/* Wait for a child, at most CHILD_SECONDS and a margin. */
static void reap(struct worker *w, pid_t pid)
{
	int status, ms;

	for (ms = 0; ms < (CHILD_SECONDS + 30) * 1000; ms += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (ms >= (CHILD_SECONDS + 30) * 1000) {
		broken(w, OP_setid_write, "", "nobody child %d does not end; killed", pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else if (WIFSIGNALED(status)) {
		broken(w, OP_setid_write, "", "nobody child killed by %s",
		       sigabbrev_np(WTERMSIG(status)) ?: "?");
	} else if (WEXITSTATUS(status)) {
		broken(w, OP_setid_write, "", "nobody child exited with %d",
		       WEXITSTATUS(status));
	}
}

static void nobody_round(struct worker *w, uint64_t round)
{
	const char *path = st.files[w->setid].path;
	struct stat s;
	pid_t pid;

	want(w, OP_chmod, path, RES(chmod(path, 06777)), 0, "chmod 06777");
	w->doing = "nobody child";
	pthread_mutex_lock(&st.lock);
	pid = fork();
	if (!pid)
		child_main(w, round);
	pthread_mutex_unlock(&st.lock);
	if (pid < 0)
		die("fork: %s", strerror(errno));
	reap(w, pid);
	w->doing = "idle";
	if (stat(path, &s))
		die("stat %s: %s", path, strerror(errno));
	if ((s.st_mode & 07777) != 0777)
		broken(w, OP_setid_write, path, "mode %04o after nobody's write, want 0777",
		       s.st_mode & 07777);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t round = 0;

	while (time(NULL) < deadline) {
		if (w->user && chance(w, 10))
			nobody_round(w, ++round);
		else
			one_step(w);
	}
	return NULL;
}

/* ---- setup ----------------------------------------------------------------- */

/* A map that must be taken: the files the threads own. */
static int setup_file(struct worker *w, const char *name, enum fclass class, int owner,
		      struct famfs_ioc_extent *ext, uint32_t n, uint64_t size)
{
	struct famfs_ioc_map m = { .file_size = size, .n_extents = n,
				   .extents = (uintptr_t)ext };
	char path[PATH_MAX];
	int i, fd, res;

	snprintf(path, sizeof(path), "%s/%s", top, name);
	i = create_file(w, path, class, 0644);
	fd = i < 0 ? -1 : open(path, O_RDWR);
	if (fd < 0)
		die("cannot create %s", path);
	st.files[i].owner = owner;
	pthread_mutex_lock(&st.lock);
	res = RES(ioctl(fd, FAMFS_IOC_MAP_CREATE, &m));
	if (!res)
		claim(i, &m);
	pthread_mutex_unlock(&st.lock);
	if (!want(w, OP_map_create, path, res, 0, "map of a thread's own file"))
		die("%s: cannot map it", path);
	close(fd);
	return i;
}

#define UNITS(u, n) ((struct famfs_ioc_extent){ .offset = (u) * geo.alloc_unit, \
						.len = (n) * geo.alloc_unit })

/* Fill an owned file with random bytes, remembered in its shadow. */
static void fill_owned(struct worker *w, int i)
{
	struct sfile *f = &st.files[i];
	int fd = open(f->path, O_RDWR);

	f->shadow = malloc(f->map.file_size);
	if (fd < 0 || !f->shadow)
		die("%s: %s", f->path, strerror(errno));
	fill_random(w, f->shadow, f->map.file_size);
	if (pwrite(fd, f->shadow, f->map.file_size, 0) != (ssize_t)f->map.file_size)
		die("filling %s: %s", f->path, strerror(errno));
	close(fd);
}

/*
 * Each thread's slice of SLICE units: file A on two units, file B on three
 * in two extents, out of order; the set-ID file of a user thread on one.
 */
static void setup_thread(struct worker *w, int t)
{
	uint64_t b = st.first_unit + (uint64_t)t * SLICE, au = geo.alloc_unit;
	struct famfs_ioc_extent ext[2] = { UNITS(b, 2) };
	char name[64];
	int i;

	snprintf(name, sizeof(name), "home/own%d-a", t);
	i = setup_file(w, name, F_OWNED, t, ext, 1, 2 * au - below(w, PAGE));
	fill_owned(w, i);
	ext[0] = UNITS(b + 5, 2);
	ext[1] = UNITS(b + 3, 1);
	snprintf(name, sizeof(name), "pub/own%d-b", t);
	i = setup_file(w, name, F_OWNED, t, ext, 2, 3 * au - below(w, au));
	fill_owned(w, i);
	workers[t].setid = -1;
	if (!workers[t].user)
		return;
	ext[0] = UNITS(b + 7, 1);
	snprintf(name, sizeof(name), "pub/setid%d", t);
	workers[t].setid = setup_file(w, name, F_SETID, t, ext, 1, au);
}

/* Their names are not ones new_path() makes: a prefix and a number. */
static void setup_dirs(void)
{
	static const struct { const char *name; mode_t mode; } dirs[] = {
		{ "home", 0755 }, { "home/sub", 0755 }, { "pub", 0777 }, { "pub/sub", 0777 },
	};
	char path[PATH_MAX];
	struct stat root;
	size_t k;

	if (stat(top, &root))
		die("stat %s: %s", top, strerror(errno));
	add_file(top, F_DIR, -1, root.st_mode & 07777);
	for (k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", top, dirs[k].name);
		if (mkdir(path, dirs[k].mode))
			die("mkdir %s: %s", path, strerror(errno));
		add_file(path, F_DIR, -1, dirs[k].mode);
	}
}

static void probe_mount(void)
{
	int fd = open(top, O_RDONLY | O_DIRECTORY);
	struct dirent *d;
	DIR *dir;

	if (fd < 0 || ioctl(fd, FAMFS_IOC_PROBE, &geo))
		die("PROBE on %s: %s (not a famfs mount?)", top, strerror(errno));
	close(fd);
	dir = opendir(top);
	while (dir && (d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			die("%s holds %s: famfs_stress needs a fresh mount", top, d->d_name);
	if (dir)
		closedir(dir);
	st.units = geo.dev_size / geo.alloc_unit;
	st.first_unit = (geo.log_offset + geo.log_len) / geo.alloc_unit;
	if (st.first_unit + (uint64_t)nthreads * SLICE >= st.units)
		die("the device is too small for %d threads", nthreads);
	st.claimed = calloc(st.units, 1);
}

static void *xmmap(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap %zu: %s", len, strerror(errno));
	return p;
}

static void init_worker(struct worker *w, int t)
{
	w->id = t;
	w->user = t % 2;
	w->rng = mix(seed + t);
	w->doing = "idle";
	w->buf = xmmap(IO_MAX, PROT_READ | PROT_WRITE);
	w->cmp = xmmap(IO_MAX, PROT_READ | PROT_WRITE);
	w->guard = xmmap(2 * PAGE, PROT_READ | PROT_WRITE);
	w->req.ext = xmmap(FAMFS_IOC_MAX_EXTENTS * sizeof(*w->req.ext),
			   PROT_READ | PROT_WRITE);
	if (mprotect(w->guard + PAGE, PAGE, PROT_NONE))
		die("mprotect: %s", strerror(errno));
	w->memfd = memfd_create("famfs_stress", 0);
	if (w->memfd < 0)
		die("memfd_create: %s", strerror(errno));
}

static void setup(void)
{
	struct worker *w0 = &main_worker;
	int t;

	tally = mmap(NULL, sizeof(*tally), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tally == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	catch_faults();
	signal(SIGPIPE, SIG_IGN);
	umask(0);
	probe_mount();
	setup_dirs();
	init_worker(w0, -1);
	for (t = 0; t < nthreads; t++)
		init_worker(&workers[t], t);
	for (t = 0; t < nthreads; t++)
		setup_thread(w0, t);
}

/* ---- the end: what the mount holds now ------------------------------------- */

static void final_bytes(struct worker *w, int i)
{
	struct ofile f;
	uint64_t off;
	ssize_t n;

	if (!open_file(w, i, O_RDONLY, &f))
		return;
	f.mine = true;
	for (off = 0; off < f.size; off += n) {
		n = pread(f.fd, w->cmp, f.size - off < IO_MAX ? f.size - off : IO_MAX, off);
		if (n <= 0) {
			broken(w, OP_pread, f.path, "final read at %llu: %s",
			       (unsigned long long)off, n ? strerror(errno) : "EOF");
			break;
		}
		check_bytes(w, &f, OP_pread, w->cmp, off, n);
	}
	close(f.fd);
}

/* Every file keeps the map it was given, and its size. */
static void final_map(struct worker *w, int i)
{
	struct famfs_ioc_extent ext[RAND_EXTENTS + 1];
	struct famfs_ioc_map m = { .n_extents = RAND_EXTENTS + 1,
				   .extents = (uintptr_t)ext };
	const struct sfile *s = &st.files[i];
	struct ofile f;
	int res;

	if (!open_file(w, i, O_RDONLY, &f))
		return;
	res = RES(ioctl(f.fd, FAMFS_IOC_MAP_GET, &m));
	if (want(w, OP_map_get, f.path, res, f.mapped ? 0 : ENODATA, "final MAP_GET") &&
	    f.mapped)
		check_got(w, s, RAND_EXTENTS + 1, &m, ext, res);
	check_size(w, OP_map_get, &f);
	close(f.fd);
}

static int seen;

static int seen_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	int i;

	(void)ftw;
	seen++;
	for (i = 0; i < st.nfiles; i++)
		if (!strcmp(st.files[i].path, path))
			break;
	if (i == st.nfiles)
		broken(&main_worker, OP_create, path, "a name nobody should have made");
	else if ((type == FTW_D) != (st.files[i].class == F_DIR) || !sb)
		broken(&main_worker, OP_create, path, "not the type it was made as");
	return 0;
}

/* The namespace holds exactly the names root made. */
static void final_names(void)
{
	seen = 0;
	if (nftw(top, seen_entry, 16, FTW_PHYS))
		die("walking %s: %s", top, strerror(errno));
	if (seen != st.nfiles)
		broken(&main_worker, OP_unlink, top, "%d names, %d were made", seen, st.nfiles);
}

static void final_checks(void)
{
	struct worker *w = &main_worker;
	int i;

	for (i = 0; i < st.nfiles; i++) {
		if (st.files[i].class == F_OWNED)
			final_bytes(w, i);
		if (st.files[i].class != F_DIR)
			final_map(w, i);
	}
	final_names();
	step_statfs(w);
}

static void print_tally(void)
{
	uint64_t calls;
	int op, r;

	printf("%-12s %9s  results\n", "operation", "calls");
	for (op = 0; op < N_OPS; op++) {
		for (calls = 0, r = 0; r < N_RESULTS; r++)
			calls += tally->count[op][r];
		if (!calls)
			continue;
		printf("%-12s %9llu ", op_names[op], (unsigned long long)calls);
		for (r = 0; r < N_RESULTS; r++)
			if (tally->count[op][r])
				printf(" %s:%llu", res_name(r),
				       (unsigned long long)tally->count[op][r]);
		printf("\n");
	}
}

/* ---- across a remount ------------------------------------------------------- */

static uint64_t fnv1a(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/* One line a file: path (from the mount's root), size, extents, checksum. */
static void save(const char *file)
{
	FILE *out = fopen(file, "w");
	const struct sfile *f;
	uint32_t k;
	int i;

	if (!out)
		die("%s: %s", file, strerror(errno));
	for (i = 0; i < st.nfiles; i++) {
		f = &st.files[i];
		if (f->class != F_OWNED)
			continue;
		fprintf(out, "%s %llu %u", f->path + strlen(top),
			(unsigned long long)f->map.file_size, f->map.n_extents);
		for (k = 0; k < f->map.n_extents; k++)
			fprintf(out, " %llu:%llu", (unsigned long long)f->ext[k].offset,
				(unsigned long long)f->ext[k].len);
		fprintf(out, " %016llx\n",
			(unsigned long long)fnv1a(f->shadow, f->map.file_size));
	}
	if (fclose(out))
		die("%s: %s", file, strerror(errno));
}

/* mkdir -p of the directories above path. */
static void make_parents(char *path)
{
	char *slash = path + strlen(top);

	while ((slash = strchr(slash + 1, '/'))) {
		*slash = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			die("mkdir %s: %s", path, strerror(errno));
		*slash = '/';
	}
}

/* Map the file of one line again and compare its bytes; 0 when they match. */
static int check_line(char *line)
{
	struct famfs_ioc_extent ext[RAND_EXTENTS];
	struct famfs_ioc_map m = { .extents = (uintptr_t)ext };
	char path[PATH_MAX], *p, *end;
	unsigned long long size, h;
	uint8_t *buf;
	uint32_t k;
	int fd, n;

	if (sscanf(line, "%2048s %llu %u%n", path + strlen(top), &size, &m.n_extents, &n) != 3 ||
	    m.n_extents > RAND_EXTENTS)
		die("bad line: %s", line);
	memcpy(path, top, strlen(top));
	m.file_size = size;
	for (p = line + n, k = 0; k < m.n_extents; k++) {
		ext[k] = (struct famfs_ioc_extent){ .offset = strtoull(p, &end, 10) };
		ext[k].len = strtoull(end + 1, &p, 10);
	}
	h = strtoull(p, NULL, 16);
	make_parents(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	buf = malloc(size ?: 1);
	if (fd < 0 || !buf || ioctl(fd, FAMFS_IOC_MAP_CREATE, &m))
		die("%s: cannot map it again: %s", path, strerror(errno));
	if (pread(fd, buf, size, 0) != (ssize_t)size)
		die("%s: %s", path, strerror(errno));
	close(fd);
	n = fnv1a(buf, size) != h;
	printf("%-4s %s: %llu bytes\n", n ? "FAIL" : "ok", path, size);
	free(buf);
	return n;
}

static int check(const char *file)
{
	char line[8192];
	int bad = 0, files = 0;
	FILE *in = fopen(file, "r");

	if (!in)
		die("%s: %s", file, strerror(errno));
	while (fgets(line, sizeof(line), in)) {
		bad += check_line(line);
		files++;
	}
	fclose(in);
	printf("check: %d file(s), %d with other bytes than were written\n", files, bad);
	return files && !bad ? 0 : 1;
}

/* ---- main ------------------------------------------------------------------ */

static void on_watchdog(int sig)
{
	static const char msg[] = "famfs_stress: watchdog: still running long after the deadline\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

/* Join every thread by the deadline and a grace period; name the stuck ones. */
static bool join_all(void)
{
	struct timespec limit = { .tv_sec = deadline + GRACE };
	bool ok = true;
	int t;

	for (t = 0; t < nthreads; t++) {
		if (!pthread_timedjoin_np(workers[t].thread, NULL, &limit))
			continue;
		printf("STUCK thread %d in %s\n", t, workers[t].doing);
		ok = false;
	}
	return ok;
}

static void usage(void)
{
	die("usage: famfs_stress [--seed N] [--seconds N] [--threads N] [--save FILE] DIR\n"
	    "       famfs_stress --check FILE DIR");
}

int main(int argc, char **argv)
{
	const char *save_to = NULL, *check_from = NULL;
	int seconds = 60, t;

	seed = time(NULL);
	for (t = 1; t + 1 < argc && !strncmp(argv[t], "--", 2); t += 2) {
		if (!strcmp(argv[t], "--seed"))
			seed = parse_u64(argv[t + 1]);
		else if (!strcmp(argv[t], "--seconds"))
			seconds = parse_u64(argv[t + 1]);
		else if (!strcmp(argv[t], "--threads"))
			nthreads = parse_u64(argv[t + 1]);
		else if (!strcmp(argv[t], "--save"))
			save_to = argv[t + 1];
		else if (!strcmp(argv[t], "--check"))
			check_from = argv[t + 1];
		else
			usage();
	}
	if (t != argc - 1 || nthreads < 1 || nthreads > MAX_THREADS)
		usage();
	top = argv[t];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (check_from)
		return check(check_from);
	printf("famfs_stress: seed %llu; replay: famfs_stress --seed %llu --seconds %d --threads %d DIR\n",
	       (unsigned long long)seed, (unsigned long long)seed, seconds, nthreads);
	setup();
	printf("device: %llu bytes, %llu units, backend %u\n",
	       (unsigned long long)geo.dev_size, (unsigned long long)st.units, geo.backend);
	deadline = time(NULL) + seconds;
	signal(SIGALRM, on_watchdog);
	alarm(seconds + GRACE + 60);
	for (t = 0; t < nthreads; t++)
		if (pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]))
			die("pthread_create failed");
	if (!join_all()) {
		print_tally();
		fflush(stdout);
		_exit(2);
	}
	alarm(0);
	final_checks();
	print_tally();
	if (save_to)
		save(save_to);
	printf("famfs_stress: seed %llu, %llu broken guarantee(s)\n",
	       (unsigned long long)seed, (unsigned long long)tally->broken);
	return tally->broken ? 1 : 0;
}
