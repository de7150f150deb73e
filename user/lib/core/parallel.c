// SPDX-License-Identifier: GPL-2.0
/*
 * Jobs on threads: workers take the next job index until none is left or
 * one job has failed. The calling thread is one of the workers, so one
 * thread means no thread is created at all.
 */
#include <pthread.h>
#include <string.h>

#include "famfs/famfs_ops.h"

struct pool {
	pthread_mutex_t lock;
	size_t next;
	size_t n;
	famfs_job_fn job;
	void *arg;
	int rc;			/* of the first job that failed */
	struct famfs_error err;
};

struct worker {
	struct pool *pool;
	unsigned int index;
	pthread_t tid;
};

/* The next job, or false when there is none left or one failed. */
static bool take(struct pool *p, size_t *i)
{
	bool more;

	pthread_mutex_lock(&p->lock);
	more = !p->rc && p->next < p->n;
	if (more)
		*i = p->next++;
	pthread_mutex_unlock(&p->lock);
	return more;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct famfs_error err;
	size_t i;
	int rc;

	while (take(p, &i)) {
		memset(&err, 0, sizeof(err));
		rc = p->job(p->arg, i, w->index, &err);
		if (!rc)
			continue;
		pthread_mutex_lock(&p->lock);
		if (!p->rc) {
			p->rc = rc;
			p->err = err;
		}
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

int famfs_parallel(unsigned int threads, size_t n, famfs_job_fn job, void *arg,
		   struct famfs_error *err)
{
	struct pool p = { .n = n, .job = job, .arg = arg };
	struct worker w[FAMFS_MAX_THREADS];
	unsigned int t, started = 1;

	if (threads > n)
		threads = (unsigned int)n;
	if (threads > FAMFS_MAX_THREADS)
		threads = FAMFS_MAX_THREADS;
	if (!threads)
		threads = 1;
	pthread_mutex_init(&p.lock, NULL);
	for (t = 0; t < threads; t++) {
		w[t].pool = &p;
		w[t].index = t;
	}
	/* A thread that cannot be created leaves its share to the others. */
	for (t = 1; t < threads; t++)
		if (!pthread_create(&w[started].tid, NULL, work, &w[started]))
			started++;
	work(&w[0]);
	for (t = 1; t < started; t++)
		pthread_join(w[t].tid, NULL);
	pthread_mutex_destroy(&p.lock);
	if (p.rc && err)
		*err = p.err;
	return p.rc;
}
