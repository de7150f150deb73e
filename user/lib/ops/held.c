// SPDX-License-Identifier: GPL-2.0
/*
 * The deletes a follower has applied whose files this host may still hold
 * open or mapped, oldest first. famfs.ko answers for each whether any file
 * of the mount still holds its extents (FAMFS_IOC_EXTENTS_HELD: an
 * unlinked inode stays in the mount's extent tree until it is evicted);
 * the first one still held is where this host's released_seq stops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "follow.h"

/* Grow by one; false (and blind from then on) when memory runs out. */
static bool room(struct famfs_held_list *l)
{
	struct famfs_held *more = famfs_grow(l->v, &l->cap, l->n, sizeof(*more));

	if (!more) {
		l->blind = ENOMEM;	/* cannot track: hold everything */
		return false;
	}
	l->v = more;
	return true;
}

/* file's extents in the ioctl's form; NULL with n 1 when unknown. */
static void copy_extents(struct famfs_held *h, const struct famfs_entry *file)
{
	struct famfs_extent_info x;
	uint32_t i;

	h->n = file ? file->n_extents : 1;
	h->ext = file && h->n ? calloc(h->n, sizeof(*h->ext)) : NULL;
	if (file && h->n && !h->ext) {
		h->n = 1;	/* unknown: held until this host unmounts */
		return;
	}
	for (i = 0; file && i < h->n; i++) {
		famfs_entry_extent(file, i, &x);
		h->ext[i].dev_index = x.dev_index;
		h->ext[i].offset = x.offset;
		h->ext[i].len = x.len;
	}
}

void famfs_held_add(struct famfs_held_list *l, uint64_t dseq,
		    const struct famfs_entry *file)
{
	struct famfs_held *h;

	if (!room(l))
		return;
	h = &l->v[l->n++];
	h->dseq = dseq;
	copy_extents(h, file);
}

void famfs_held_add_map(struct famfs_held_list *l, uint64_t dseq,
			const struct famfs_ioc_extent *ext, uint32_t n)
{
	struct famfs_held *h;

	if (!room(l))
		return;
	h = &l->v[l->n++];
	h->dseq = dseq;
	h->n = n;
	h->ext = n ? malloc(n * sizeof(*ext)) : NULL;
	if (n && !h->ext)
		h->n = 1;	/* unknown: held until this host unmounts */
	else if (n)
		memcpy(h->ext, ext, n * sizeof(*ext));
}

void famfs_held_rebase(struct famfs_held_list *l)
{
	size_t i;

	for (i = l->head; i < l->n; i++)
		l->v[i].dseq = 0;
}

/* Does this host still hold any byte of h? */
static bool still_held(struct famfs_held_list *l, int root_fd,
		       const struct famfs_held *h)
{
	struct famfs_ioc_held q = {
		.extents = (uintptr_t)h->ext, .n_extents = h->n,
	};

	if (!h->n)
		return false;
	if (!h->ext || l->blind)
		return true;
	if (ioctl(root_fd, FAMFS_IOC_EXTENTS_HELD, &q) < 0) {
		l->blind = errno;
		return true;
	}
	return q.first_held < q.n_extents;
}

uint64_t famfs_held_released(struct famfs_held_list *l, int root_fd,
			     uint64_t applied)
{
	while (l->head < l->n) {
		if (still_held(l, root_fd, &l->v[l->head]))
			return l->v[l->head].dseq;
		free(l->v[l->head].ext);
		l->head++;
	}
	l->head = l->n = 0;
	return applied;
}

void famfs_held_free(struct famfs_held_list *l)
{
	size_t i;

	for (i = l->head; i < l->n; i++)
		free(l->v[i].ext);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
