// SPDX-License-Identifier: GPL-2.0
/*
 * A whole file system as fsck and the log readers see it. The input is a
 * flags byte, the 256-byte superblock, the active-log record's 128 bytes
 * when the superblock has one (format 1.3), then the first bytes of the log,
 * put in the area the record names (area 0 if none is valid); the rest of
 * the superblock area and of the log areas is zero, as on a fresh device,
 * and the data area is never read, so a small input stands for a whole
 * image (the seeds are real file systems made by fuzz-seeds). Flags: bit 0
 * reseals the superblock's CRC, bit 1 the log header's, bit 2 each entry's
 * (following their lengths); bit 3 makes the device half the size the
 * superblock claims; bit 4 reseals both record copies.
 *
 * Readers must never look at or past the header's next_off: those bytes
 * are poisoned, so AddressSanitizer reports any read of them. fsck's
 * problems are printable, whatever bytes the paths hold, and famfs log
 * --yaml gives every path back exactly.
 */
#include <sanitizer/asan_interface.h>

#include "famfs/famfs_ops.h"
#include "fuzz.h"
#include "yaml_read.h"

#define SB_LEN		sizeof(struct famfs_superblock)
#define REC_LEN		(FAMFS_LOGREC_COPIES * FAMFS_LOGREC_SIZE)
#define LOG_MAX		(16ULL << 20)	/* longer logs (all areas) are not tried */
#define DEV_MAX		(64ULL << 30)	/* a device is at most this large */

static uint8_t *sb_area;	/* FAMFS_SB_AREA bytes, zero but what an input wrote */
static uint8_t *log_buf;	/* LOG_MAX bytes, zero past what an input wrote */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* No system UUID: fsck's role is unknown, and nothing is created. */
	setenv(FAMFS_SYSTEM_UUID_ENV, "/dev/null", 1);
	sb_area = calloc(1, FAMFS_SB_AREA);
	log_buf = calloc(1, LOG_MAX);
	if (!sb_area || !log_buf)
		abort();
	return 0;
}

/* Reseal the entries, one after the other as their lengths place them. */
static void seal_entries(uint8_t *log, size_t len)
{
	size_t off = FAMFS_LOG_ENTRIES_OFF;
	struct famfs_entry_header h;
	uint32_t n;

	while (off + sizeof(h) <= len) {
		fuzz_entry_reseal(log + off, len - off);
		memcpy(&h, log + off, sizeof(h));
		n = le32toh(h.len);
		if (n < sizeof(h) || n % FAMFS_ENTRY_ALIGN || n > len - off)
			return;
		off += n;
	}
}

static void on_problem(void *arg, int code, const char *msg)
{
	(void)code;
	fuzz_assert(strlen(msg) < 1024);
	fuzz_check_printable(msg);
	++*(unsigned int *)arg;
}

static void on_entry(void *arg, const struct famfs_entry *e, uint64_t dev_off)
{
	(void)arg;
	(void)dev_off;
	fuzz_assert(strlen(e->path) == e->path_len);
}

static void fsck(uint8_t *sb, size_t log_len, uint64_t dev_size)
{
	unsigned int problems = 0;
	struct famfs_fsck_ops ops = {
		.problem = on_problem, .entry = on_entry, .arg = &problems,
	};
	struct famfs_fsck_report rep;

	fuzz_assert(!famfs_fsck_mem(sb, FAMFS_SB_AREA, log_buf, log_len, dev_size,
				    &ops, &rep, NULL));
	fuzz_assert(rep.errors == problems);
}

/* Does every published entry decode? */
static bool log_reads(const struct famfs_log *log)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	int rc = 0;

	if (!e)
		abort();
	famfs_log_iter_init(&it, log);
	while (!rc && famfs_log_iter_more(&it))
		rc = famfs_log_iter_next(&it, e, NULL);
	free(e);
	return !rc && !famfs_log_iter_finish(&it, NULL);
}

/* key is in the document exactly when want is not NULL, and is want. */
static void check_key(yaml_document_t *doc, yaml_node_t *root, const char *key,
		      const char *want, size_t want_len)
{
	yaml_node_t *node = yaml_map_get(doc, root, key);
	size_t len;
	char *got;

	if (!want) {
		fuzz_assert(!node);
		return;
	}
	fuzz_assert(node);
	got = yaml_scalar_bytes(node, &len);
	fuzz_assert(got && len == want_len && !memcmp(got, want, len));
	free(got);
}

/* The paths of the next document of p are e's, byte for byte. */
static void check_document(yaml_parser_t *p, const struct famfs_entry *e)
{
	bool known = e->type >= FAMFS_ENTRY_FILE && e->type <= FAMFS_ENTRY_RENAME;
	yaml_document_t doc;
	yaml_node_t *root;

	fuzz_assert(yaml_parser_load(p, &doc));
	root = yaml_document_get_root_node(&doc);
	fuzz_assert(root);
	check_key(&doc, root, "path", known ? e->path : NULL, e->path_len);
	check_key(&doc, root, "destination",
		  e->type == FAMFS_ENTRY_RENAME ? e->dst : NULL, e->dst_len);
	yaml_document_delete(&doc);
}

/* famfs log --yaml read back: one document per entry, with its path. */
static void check_yaml(const struct famfs_log *log, const char *text,
		       size_t len)
{
	struct famfs_entry *e = malloc(sizeof(*e));
	struct famfs_log_iter it;
	yaml_parser_t p;

	if (!e || !yaml_parser_initialize(&p))
		abort();
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	famfs_log_iter_init(&it, log);
	while (famfs_log_iter_more(&it)) {
		fuzz_assert(!famfs_log_iter_next(&it, e, NULL));
		check_document(&p, e);
	}
	yaml_parser_delete(&p);
	free(e);
}

/* What famfs log, cp and creat read, on a device of dev_size bytes. */
static void read_log(uint8_t *sb, size_t log_len, uint64_t dev_size)
{
	struct famfs_alloc alloc;
	struct famfs_log log;
	size_t len = 0;
	char *text;
	FILE *out;
	bool ok;

	if (famfs_log_open_mem(&log, sb, FAMFS_SB_AREA, log_buf, log_len, false, NULL) ||
	    log.sb.geo.dev_size > dev_size)
		return;
	ok = log_reads(&log);
	if (!famfs_alloc_build(&alloc, &log, NULL))
		famfs_alloc_free(&alloc);
	out = open_memstream(&text, &len);
	if (!out)
		abort();
	fuzz_assert(famfs_yaml_log(out, &log, NULL) == 0 || !ok);
	fclose(out);
	if (ok)
		check_yaml(&log, text, len);
	free(text);
}

/*
 * Where readers must stop: the header's next_off in the area at area, or
 * after the header.
 */
static size_t published_end(const uint8_t *area, size_t area_len)
{
	struct famfs_log_info hdr;
	struct famfs_sb_info info;

	if (famfs_sb_decode(sb_area, SB_LEN, &info) ||
	    famfs_log_header_decode(area, area_len, &info.geo, &hdr))
		return FAMFS_LOG_ENTRIES_OFF;
	return hdr.next_off;
}

/*
 * The record's bytes at the superblock's logrec_offset (resealed when
 * flags bit 4 asks); the log area they name, 0 if none. Returns the bytes
 * of input they took.
 */
static size_t put_record(const struct famfs_sb_info *info, const uint8_t *in,
			 size_t len, uint8_t flags, uint32_t *area)
{
	struct famfs_log_gen gen;
	uint8_t *rec = sb_area + info->logrec_offset;
	unsigned int i;

	*area = 0;
	if (!info->logrec_offset)
		return 0;
	len = len < REC_LEN ? len : REC_LEN;
	memcpy(rec, in, len);
	for (i = 0; (flags & 16) && i < FAMFS_LOGREC_COPIES; i++)
		test_fixed_reseal(rec + i * FAMFS_LOGREC_SIZE, FAMFS_LOGREC_SIZE);
	if (!famfs_logrec_pick(rec, REC_LEN, info->geo.log_areas, &gen, NULL))
		*area = gen.area;
	return len;
}

static void run(const uint8_t *log, size_t len, uint8_t flags)
{
	struct famfs_sb_info info = { 0 };
	uint64_t dev_size = 64ULL << 20;
	size_t log_len = FAMFS_LOG_LEN_DEFAULT, area_len = log_len, end, used;
	uint32_t area = 0;
	uint8_t *a;

	if (!famfs_sb_decode(sb_area, SB_LEN, &info)) {
		if (info.geo.log_len * info.geo.log_areas > LOG_MAX)
			return;
		area_len = info.geo.log_len;
		log_len = info.geo.log_len * info.geo.log_areas;
		dev_size = info.geo.dev_size < DEV_MAX ? info.geo.dev_size : DEV_MAX;
		used = put_record(&info, log, len, flags, &area);
		log += used;
		len -= used;
	}
	if (flags & 8)
		dev_size /= 2;
	a = log_buf + (size_t)area * area_len;
	len = len < area_len ? len : area_len;
	memcpy(a, log, len);
	if ((flags & 2) && len >= sizeof(struct famfs_log_header))
		test_fixed_reseal(a, sizeof(struct famfs_log_header));
	if (flags & 4)
		seal_entries(a, len);
	end = published_end(a, area_len);
	ASAN_POISON_MEMORY_REGION(a + end, area_len - end);
	fsck(sb_area, log_len, dev_size);
	read_log(sb_area, log_len, dev_size);
	ASAN_UNPOISON_MEMORY_REGION(a + end, area_len - end);
	memset(a, 0, len);
	if (info.logrec_offset)
		memset(sb_area + info.logrec_offset, 0, REC_LEN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 + SB_LEN)
		return 0;
	memcpy(sb_area, data + 1, SB_LEN);
	if (data[0] & 1)
		test_fixed_reseal(sb_area, SB_LEN);
	run(data + 1 + SB_LEN, size - 1 - SB_LEN, data[0]);
	memset(sb_area, 0, SB_LEN);
	return 0;
}
