// SPDX-License-Identifier: GPL-2.0
/*
 * famfs cp and mkdir on the master: walk the sources like cp(1) and hand
 * each directory and file to the creator (create.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"

/* How a command over many paths is going: errors go on, space ends it. */
struct walk {
	struct famfs_creator *c;
	const struct famfs_cp_opts *opts;
	unsigned int failed;
	struct famfs_error fatal;
};

static void report(const struct famfs_cp_opts *o, const char *what,
		   const char *path)
{
	if (o->report)
		o->report(o->arg, what, path);
}

/* Nothing more can be added after these. */
static bool fatal(int rc)
{
	return rc == -ENOSPC || rc == FAMFS_E_LOG_FULL || rc == -ENOMEM ||
	       rc == -EIO;
}

/* Record a failed item; true if the walk must stop (then e is the result). */
static bool failed(struct walk *w, int rc, const struct famfs_error *e)
{
	if (fatal(rc)) {
		w->fatal = *e;
		return true;
	}
	w->failed++;
	if (w->opts->error)
		w->opts->error(w->opts->arg, e->msg);
	return false;
}

static int walk_result(struct walk *w, int rc, struct famfs_error *err)
{
	if (rc) {
		*err = w->fatal;
		return rc;
	}
	if (!w->failed)
		return 0;
	return famfs_error_set(err, -EIO, "%u item%s not copied", w->failed,
			       w->failed == 1 ? "" : "s");
}

char *famfs_cp_target(const char *src, const char *dest, bool dest_is_dir)
{
	size_t len = strlen(src), dlen = strlen(dest);
	const char *base;
	char *out;

	if (!dest_is_dir)
		return strdup(dest);
	while (len > 1 && src[len - 1] == '/')
		len--;
	base = memrchr(src, '/', len);
	base = base && len > 1 ? base + 1 : src;
	len -= base - src;
	if (asprintf(&out, "%s%s%.*s", dest,
		     dlen && dest[dlen - 1] != '/' ? "/" : "", (int)len, base) < 0)
		return NULL;
	return out;
}

static int read_fill(void *arg, uint64_t off, void *buf, size_t len,
		     struct famfs_error *err)
{
	int fd = *(int *)arg;
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, (off_t)off);
		if (n <= 0)	/* this source only: the copy goes on */
			return famfs_error_set(err, -ENODATA, "reading the source at offset %llu: %s",
					       (unsigned long long)off,
					       n ? strerror(errno) : "it shrank while being copied");
		buf = (char *)buf + n;
		off += n;
		len -= n;
	}
	return 0;
}

static void owner(const struct famfs_cp_opts *o, struct famfs_meta *m)
{
	m->uid = o->uid >= 0 ? (uint32_t)o->uid : geteuid();
	m->gid = o->gid >= 0 ? (uint32_t)o->gid : getegid();
}

static int copy_file(struct walk *w, const char *src, const char *target,
		     const struct stat *st, struct famfs_error *err)
{
	struct famfs_meta m = {
		.mode = S_IFREG | (w->opts->mode >= 0 ? (uint32_t)w->opts->mode :
				   st->st_mode & 07777),
		.size = st->st_size,
	};
	int fd, rc;

	owner(w->opts, &m);
	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return famfs_error_set(err, -errno, "%s: %s", src, strerror(errno));
	rc = famfs_create_file(w->c, target, &m, read_fill, &fd, err);
	close(fd);
	if (!rc)
		report(w->opts, "copy", target);
	return rc;
}

static int copy_any(struct walk *w, const char *src, const char *target);

static int copy_entries(struct walk *w, const char *src, const char *target,
			DIR *d)
{
	char *s, *t;
	struct dirent *de;
	int rc = 0;

	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&s, "%s/%s", src, de->d_name) < 0)
			return -ENOMEM;
		if (asprintf(&t, "%s%s%s", target, *target ? "/" : "",
			     de->d_name) < 0) {
			free(s);
			return -ENOMEM;
		}
		rc = copy_any(w, s, t);
		free(s);
		free(t);
	}
	return rc;
}

static int copy_tree(struct walk *w, const char *src, const char *target,
		     const struct stat *st, struct famfs_error *err)
{
	struct famfs_meta m = { .mode = S_IFDIR | (st->st_mode & 07777) };
	DIR *d;
	int rc;

	owner(w->opts, &m);
	rc = famfs_create_dir(w->c, target, &m, err);
	if (rc < 0 || rc > 1)
		return rc;
	if (!rc)
		report(w->opts, "mkdir", target);
	d = opendir(src);
	if (!d)
		return famfs_error_set(err, -errno, "%s: %s", src, strerror(errno));
	rc = copy_entries(w, src, target, d);
	closedir(d);
	return rc;
}

/* Copy one source; 0 to go on, nonzero when the walk must stop. */
static int copy_any(struct walk *w, const char *src, const char *target)
{
	struct famfs_error e = { 0 };
	struct stat st;
	int rc;

	if (lstat(src, &st) < 0)
		rc = famfs_error_set(&e, -errno, "%s: %s", src, strerror(errno));
	else if (S_ISDIR(st.st_mode) && !w->opts->recursive)
		rc = famfs_error_set(&e, -EISDIR, "%s: is a directory (use -r)", src);
	else if (S_ISDIR(st.st_mode))
		rc = copy_tree(w, src, target, &st, &e);
	else if (S_ISREG(st.st_mode))
		rc = copy_file(w, src, target, &st, &e);
	else
		rc = famfs_error_set(&e, -EINVAL, "%s: not a regular file or directory",
				     src);
	if (rc && e.code)
		return failed(w, rc, &e) ? rc : 0;
	return rc;
}

int famfs_cp(struct famfs_creator *c, char *const *srcs, int nsrc,
	     const char *dest, const struct famfs_cp_opts *opts,
	     struct famfs_error *err)
{
	struct walk w = { .c = c, .opts = opts };
	size_t dlen = strlen(dest);
	char *rel, *target;
	bool dir;
	int i, rc;

	c->layout = opts->layout;
	rc = famfs_fs_relpath(c->fs, dest, &rel, err);
	if (rc)
		return rc;
	dir = famfs_create_lookup(c, rel) == FAMFS_ENTRY_MKDIR;
	if (!dir && (nsrc > 1 || (dlen && dest[dlen - 1] == '/'))) {
		rc = famfs_error_set(err, -ENOTDIR, "%s: %s", dest,
				     famfs_create_lookup(c, rel) ?
				     "not a directory" : "no such directory");
		free(rel);
		return rc;
	}
	for (i = 0; !rc && i < nsrc; i++) {
		target = famfs_cp_target(srcs[i], rel, dir);
		rc = target ? copy_any(&w, srcs[i], target) : -ENOMEM;
		free(target);
	}
	free(rel);
	if (rc == -ENOMEM && !w.fatal.code)
		famfs_error_set(&w.fatal, rc, "out of memory");
	return walk_result(&w, rc, err);
}

int famfs_mkdir(struct famfs_creator *c, const char *rel,
		const struct famfs_cp_opts *opts, struct famfs_error *err)
{
	struct famfs_meta m = { .mode = S_IFDIR | 0755 };
	char *prefix = strdup(rel), *p;
	int rc = 0;

	if (!prefix)
		return famfs_error_set(err, -ENOMEM, "out of memory");
	owner(opts, &m);
	for (p = strchr(prefix, '/'); opts->parents && p && rc >= 0 && rc <= 1;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		rc = famfs_create_dir(c, prefix, &m, err);
		if (!rc)
			report(opts, "mkdir", prefix);
		*p = '/';
	}
	free(prefix);
	if (rc < 0 || rc > 1)
		return rc;
	m.mode = S_IFDIR | (opts->mode >= 0 ? (uint32_t)opts->mode : 0755);
	rc = famfs_create_dir(c, rel, &m, err);
	if (rc == 1 && !opts->parents)
		return famfs_error_set(err, -EEXIST, "%s: already exists", rel);
	if (!rc)
		report(opts, "mkdir", rel);
	return rc == 1 ? 0 : rc;
}
