// SPDX-License-Identifier: GPL-2.0
/*
 * daxops-check: read and write a /dev/daxX.Y device through a raw shared
 * mmap, to check from user space what the daxops_test module did through
 * the kernel's dax_operations.
 *
 *   daxops-check DEV fill  OFF LEN BYTE   set LEN bytes at OFF to BYTE
 *   daxops-check DEV check OFF LEN BYTE   exit 1 unless all equal BYTE
 *   daxops-check DEV word  OFF            print the 8-byte word at OFF
 *   daxops-check DEV stamp OFF            write a word made from OFF at OFF
 *                                         and print it
 *
 * OFF and LEN take C notation (0x...). The mapping is widened to the
 * device alignment (read from sysfs), as device-dax requires.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "daxops-check: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static unsigned long long dev_align(int fd)
{
	char path[128], buf[64];
	struct stat st;
	FILE *f;
	unsigned long long align = 0;

	if (fstat(fd, &st) < 0)
		return 0;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/align",
		 major(st.st_rdev), minor(st.st_rdev));
	f = fopen(path, "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			align = strtoull(buf, NULL, 0);
		fclose(f);
	}
	return align ? align : 2UL << 20;
}

int main(int argc, char **argv)
{
	unsigned long long off, len = 8, align, moff, mlen, i;
	int fd, byte = 0;
	unsigned char *map, *p;
	const char *op;

	if (argc < 4) {
		fprintf(stderr,
			"usage: daxops-check DEV fill|check OFF LEN BYTE\n"
			"       daxops-check DEV word|stamp OFF\n");
		return 2;
	}
	op = argv[2];
	off = num(argv[3]);
	if (!strcmp(op, "fill") || !strcmp(op, "check")) {
		if (argc != 6)
			return 2;
		len = num(argv[4]);
		byte = (int)num(argv[5]) & 0xff;
	} else if (strcmp(op, "word") && strcmp(op, "stamp")) {
		fprintf(stderr, "daxops-check: unknown op '%s'\n", op);
		return 2;
	}

	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	align = dev_align(fd);
	moff = off & ~(align - 1);
	mlen = (off + len - moff + align - 1) & ~(align - 1);
	map = mmap(NULL, mlen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, moff);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	p = map + (off - moff);

	if (!strcmp(op, "fill")) {
		memset(p, byte, len);
	} else if (!strcmp(op, "check")) {
		for (i = 0; i < len; i++) {
			if (p[i] != byte) {
				printf("mismatch at %#llx: %#x != %#x\n",
				       off + i, p[i], byte);
				return 1;
			}
		}
	} else if (!strcmp(op, "word")) {
		uint64_t w;

		memcpy(&w, p, sizeof(w));
		printf("%#" PRIx64 "\n", w);
	} else {
		uint64_t w = 0xdaf0000000000000ULL ^ off;

		memcpy(p, &w, sizeof(w));
		printf("%#" PRIx64 "\n", w);
	}
	munmap(map, mlen);
	close(fd);
	return 0;
}
