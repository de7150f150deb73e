// SPDX-License-Identifier: GPL-2.0
/*
 * Cache maintenance for memory that other hosts share. Writers write back
 * (clwb keeps the line cached, which is cheaper when we read it again);
 * readers evict, because clwb does not, so invalidation uses clflushopt or
 * clflush. The method is chosen once from CPUID.
 */
#include <pthread.h>

#include "famfs/libfamfs.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

#define CPUID_LEAF1_EDX_CLFLUSH		(1u << 19)
#define CPUID_LEAF7_EBX_CLFLUSHOPT	(1u << 23)
#define CPUID_LEAF7_EBX_CLWB		(1u << 24)

static enum famfs_flush_method flush_method = FAMFS_FLUSH_BARRIER;
static enum famfs_flush_method inval_method = FAMFS_FLUSH_BARRIER;
static size_t line_size = 64;
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static void probe_cpu(void)
{
	unsigned int a, b, c, d;
	unsigned int leaf7_ebx = 0;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return;
	if (!(d & CPUID_LEAF1_EDX_CLFLUSH))
		return;
	/* EBX[15:8]: clflush line size in 8-byte units. */
	if ((b >> 8) & 0xff)
		line_size = ((b >> 8) & 0xff) * 8;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
		leaf7_ebx = b;

	if (leaf7_ebx & CPUID_LEAF7_EBX_CLFLUSHOPT)
		inval_method = FAMFS_FLUSH_CLFLUSHOPT;
	else
		inval_method = FAMFS_FLUSH_CLFLUSH;
	if (leaf7_ebx & CPUID_LEAF7_EBX_CLWB)
		flush_method = FAMFS_FLUSH_CLWB;
	else
		flush_method = inval_method;
}

static void probe(void)
{
	pthread_once(&probe_once, probe_cpu);
}

static void line_op(enum famfs_flush_method m, const char *p)
{
	switch (m) {
	case FAMFS_FLUSH_CLWB:
		asm volatile("clwb %0" : "+m" (*(volatile char *)p));
		break;
	case FAMFS_FLUSH_CLFLUSHOPT:
		asm volatile("clflushopt %0" : "+m" (*(volatile char *)p));
		break;
	case FAMFS_FLUSH_CLFLUSH:
		asm volatile("clflush %0" : "+m" (*(volatile char *)p));
		break;
	case FAMFS_FLUSH_BARRIER:
		break;
	}
}

static void range_op(enum famfs_flush_method m, const void *addr, size_t len)
{
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(line_size - 1);
	uintptr_t end = (uintptr_t)addr + len;

	if (m == FAMFS_FLUSH_BARRIER || !len)
		return;
	for (; p < end; p += line_size)
		line_op(m, (const char *)p);
}

void famfs_flush(const void *addr, size_t len)
{
	probe();
	range_op(flush_method, addr, len);
	asm volatile("sfence" ::: "memory");
}

void famfs_invalidate(const void *addr, size_t len)
{
	probe();
	range_op(inval_method, addr, len);
	/* mfence: the reads that follow must not pass the evictions. */
	asm volatile("mfence" ::: "memory");
}

#else /* !x86 */

/*
 * No portable user-space cache-line instruction: these architectures keep
 * the shared mappings we use coherent, so a full barrier orders our accesses
 * against other hosts' publications.
 */
static void probe(void)
{
}

static enum famfs_flush_method flush_method = FAMFS_FLUSH_BARRIER;
static enum famfs_flush_method inval_method = FAMFS_FLUSH_BARRIER;

void famfs_flush(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void famfs_invalidate(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif

enum famfs_flush_method famfs_flush_method(void)
{
	probe();
	return flush_method;
}

enum famfs_flush_method famfs_invalidate_method(void)
{
	probe();
	return inval_method;
}

const char *famfs_flush_method_name(enum famfs_flush_method m)
{
	switch (m) {
	case FAMFS_FLUSH_CLWB:
		return "clwb";
	case FAMFS_FLUSH_CLFLUSHOPT:
		return "clflushopt";
	case FAMFS_FLUSH_CLFLUSH:
		return "clflush";
	case FAMFS_FLUSH_BARRIER:
		break;
	}
	return "barrier";
}
