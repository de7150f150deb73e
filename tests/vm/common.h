/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the famfs VM test programs. */
#ifndef FAMFS_VM_COMMON_H
#define FAMFS_VM_COMMON_H

#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>

#define MIB (1ULL << 20)

/* Older C libraries do not define these. */
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

#define die(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)

/* The test pattern: 64-bit words that depend on their offset and a seed. */
static inline uint64_t pattern_word(uint64_t off, uint64_t seed)
{
	return (off ^ (seed * 0x9e3779b97f4a7c15ULL)) + (off >> 21);
}

static inline void pattern_fill(void *buf, uint64_t off, size_t len,
				uint64_t seed)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = pattern_word(off + i * 8, seed);
}

/* Offset of the first mismatching word, or -1 when buf matches. */
static inline long long pattern_check(const void *buf, uint64_t off,
				      size_t len, uint64_t seed)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != pattern_word(off + i * 8, seed))
			return (long long)(off + i * 8);
	return -1;
}

/* The UUIDs famfs_devtool writes: the file system's, and member @index's. */
static const uint8_t test_fs_uuid[16] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};

static inline void test_member_uuid(uint8_t out[16], uint32_t index)
{
	int i;

	for (i = 0; i < 16; i++)
		out[i] = (uint8_t)(0xa0 + index * 16 + i);
}

static inline uint64_t parse_u64(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end)
		die("bad number '%s'", s);
	return v;
}

/*
 * Faults a test expects (SIGBUS past EOF or from a dead device, SIGSEGV
 * from the protection): guarded_copy() returns the signal instead of
 * dying. Per thread, so that threads fault independently.
 */
static __thread sigjmp_buf *volatile fault_jmp;
static __thread volatile int fault_sig;

static inline void fault_handler(int sig, siginfo_t *si, void *uc)
{
	char msg[96];
	void *trace[32];
	int len;

	(void)uc;
	if (!fault_jmp) {
		/* not expected: say where, then die of it */
		len = snprintf(msg, sizeof(msg), "unexpected %s at address %p; stack:\n",
			       sigabbrev_np(sig), si->si_addr);
		if (write(STDERR_FILENO, msg, len) == len)
			backtrace_symbols_fd(trace, backtrace(trace, 32), STDERR_FILENO);
		signal(sig, SIG_DFL);
		return;
	}
	fault_sig = sig;
	siglongjmp(*fault_jmp, 1);
}

static inline void catch_faults(void)
{
	struct sigaction sa = { .sa_sigaction = fault_handler, .sa_flags = SA_SIGINFO };

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* memcpy that survives SIGBUS and SIGSEGV: 0, or the signal. */
static inline int guarded_copy(void *dst, const void *src, size_t len)
{
	sigjmp_buf jmp;

	if (sigsetjmp(jmp, 1)) {
		fault_jmp = NULL;
		return fault_sig;
	}
	/* the copy may not move out from between the stores */
	fault_jmp = &jmp;
	__asm__ volatile("" ::: "memory");
	memcpy(dst, src, len);
	__asm__ volatile("" ::: "memory");
	fault_jmp = NULL;
	return 0;
}

#endif
