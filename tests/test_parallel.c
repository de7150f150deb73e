// SPDX-License-Identifier: GPL-2.0
/* famfs_parallel: every job once, on several threads; failures stop it. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"

#define JOBS	1000

struct count {
	unsigned int runs[JOBS];
	pthread_t who[JOBS];
	size_t fail_at;		/* JOBS: never */
};

static int count_job(void *arg, size_t i, unsigned int worker,
		     struct famfs_error *err)
{
	struct count *c = arg;

	ck_assert_uint_lt(worker, 4);
	__atomic_add_fetch(&c->runs[i], 1, __ATOMIC_RELAXED);
	c->who[i] = pthread_self();
	usleep(100);	/* long enough for the other threads to take jobs */
	if (i == c->fail_at)
		return famfs_error_set(err, -EIO, "job %zu failed", i);
	return 0;
}

START_TEST(test_every_job_once)
{
	static struct count c = { .fail_at = JOBS };
	bool other_thread = false;
	size_t i;

	ck_assert_int_eq(famfs_parallel(4, JOBS, count_job, &c, NULL), 0);
	for (i = 0; i < JOBS; i++) {
		ck_assert_uint_eq(c.runs[i], 1);
		other_thread |= !pthread_equal(c.who[i], pthread_self());
	}
	ck_assert(other_thread);
}
END_TEST

START_TEST(test_one_thread_is_the_caller)
{
	static struct count c = { .fail_at = JOBS };
	size_t i;

	ck_assert_int_eq(famfs_parallel(1, JOBS, count_job, &c, NULL), 0);
	for (i = 0; i < JOBS; i++)
		ck_assert(pthread_equal(c.who[i], pthread_self()));
	ck_assert_int_eq(famfs_parallel(0, 0, count_job, &c, NULL), 0);
}
END_TEST

START_TEST(test_failure_stops)
{
	static struct count c = { .fail_at = 10 };
	struct famfs_error err = { 0 };
	size_t i, ran = 0;

	ck_assert_int_eq(famfs_parallel(4, JOBS, count_job, &c, &err), -EIO);
	ck_assert_str_eq(err.msg, "job 10 failed");
	for (i = 0; i < JOBS; i++)
		ran += c.runs[i];
	ck_assert_uint_lt(ran, JOBS);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_every_job_once,
		test_one_thread_is_the_caller,
		test_failure_stops,
		NULL,
	};

	return ft_main("parallel", NULL, NULL, tests);
}
