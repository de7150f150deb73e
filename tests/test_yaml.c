// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML output (docs/yaml.md), emitted and parsed back with libyaml's
 * parser: every documented key is there with the value that went in.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "famfs/famfs_ops.h"
#include "famfs_test.h"
#include "yaml_read.h"

static char *text;
static size_t text_len;
static yaml_parser_t parser;
/* The most documents a test parses: mkfs's entries and four more. */
#define MAX_DOCS	(FT_MKFS_ENTRIES + 4)

static yaml_document_t doc[MAX_DOCS];
static int ndocs;

static FILE *out_open(void)
{
	FILE *f = open_memstream(&text, &text_len);

	ck_assert_ptr_nonnull(f);
	return f;
}

/* Parse text into doc[]; returns the number of documents. */
static int parse(FILE *f)
{
	fclose(f);
	ck_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, text_len);
	for (ndocs = 0; ndocs < MAX_DOCS; ndocs++) {
		ck_assert_msg(yaml_parser_load(&parser, &doc[ndocs]), "%s", text);
		if (!yaml_document_get_root_node(&doc[ndocs])) {
			yaml_document_delete(&doc[ndocs]);
			break;
		}
	}
	yaml_parser_delete(&parser);
	return ndocs;
}

static void parsed_free(void)
{
	int i;

	for (i = 0; i < ndocs; i++)
		yaml_document_delete(&doc[i]);
	free(text);
	text = NULL;
}

/* The node under key in the mapping node m. */
static yaml_node_t *get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_t *n = yaml_map_get(d, m, key);

	ck_assert_msg(n, "no key %s", key);
	return n;
}

static const char *str(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_t *n = get(d, m, key);

	ck_assert_int_eq(n->type, YAML_SCALAR_NODE);
	return (const char *)n->data.scalar.value;
}

/* The bytes under key, as a reader of docs/yaml.md gets them back. */
static void ck_bytes(yaml_document_t *d, yaml_node_t *m, const char *key,
		     const char *want, bool binary)
{
	yaml_node_t *n = get(d, m, key);
	size_t len;
	char *got = yaml_scalar_bytes(n, &len);

	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_mem_eq(got, want, len);
	ck_assert_int_eq(!strcmp((char *)n->tag, YAML_BINARY_TAG), binary);
	free(got);
}

static unsigned long long num(yaml_document_t *d, yaml_node_t *m,
			      const char *key)
{
	return strtoull(str(d, m, key), NULL, 10);
}

static yaml_node_t *item(yaml_document_t *d, yaml_node_t *seq, int i)
{
	ck_assert_int_eq(seq->type, YAML_SEQUENCE_NODE);
	ck_assert_int_lt(i, seq->data.sequence.items.top - seq->data.sequence.items.start);
	return yaml_document_get_node(d, seq->data.sequence.items.start[i]);
}

static int items(yaml_node_t *seq)
{
	return seq->data.sequence.items.top - seq->data.sequence.items.start;
}

START_TEST(test_map)
{
	struct famfs_ioc_extent ext[2] = {
		{ .offset = 16ULL << 20, .len = 4ULL << 20 },
		{ .offset = 64ULL << 20, .len = 2ULL << 20 },
	};
	struct famfs_ioc_map map = { .file_size = 5 << 20, .n_extents = 2,
				     .flags = FAMFS_MAP_READONLY };
	yaml_node_t *r, *e;
	FILE *out = out_open();

	ck_assert_int_eq(famfs_yaml_map(out, "/mnt/famfs/a: b", &map, ext), 0);
	ck_assert_int_eq(parse(out), 1);
	r = yaml_document_get_root_node(&doc[0]);
	ck_assert_str_eq(str(doc, r, "file"), "/mnt/famfs/a: b");
	ck_assert_str_eq(str(doc, r, "type"), "regular");
	ck_assert_uint_eq(num(doc, r, "size"), 5 << 20);
	ck_assert_str_eq(str(doc, r, "readonly"), "true");
	ck_assert_int_eq(items(get(doc, r, "extents")), 2);
	e = item(doc, get(doc, r, "extents"), 1);
	ck_assert_uint_eq(num(doc, e, "device"), 0);
	ck_assert_uint_eq(num(doc, e, "offset"), 64ULL << 20);
	ck_assert_uint_eq(num(doc, e, "length"), 2ULL << 20);
	parsed_free();
}
END_TEST

static void make_fs(struct famfs_fs *fs)
{
	struct famfs_meta d = { .mode = S_IFDIR | 0755, .uid = 3, .gid = 4 };
	struct famfs_meta f = { .mode = S_IFREG | 0604, .uid = 5, .gid = 6,
				.size = 3 << 20 };
	struct famfs_error err = { 0 };
	struct famfs_creator c;

	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_fs_open(fs, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_int_eq(famfs_create_begin(&c, fs, &err), 0);
	ck_assert_int_eq(famfs_create_dir(&c, "dir", &d, &err), 0);
	ck_assert_int_eq(famfs_create_file(&c, "dir/0644", &f, NULL, NULL, &err), 0);
	ck_assert_int_eq(famfs_create_commit(&c, &err), 0);
	famfs_create_end(&c);
}

START_TEST(test_log)
{
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	yaml_node_t *r, *e;
	FILE *out;

	make_fs(&fs);
	out = out_open();
	ck_assert_int_eq(famfs_yaml_log(out, &fs.log, &err), 0);
	famfs_fs_close(&fs);
	ck_assert_int_eq(parse(out), FT_MKFS_ENTRIES + 2);
	r = yaml_document_get_root_node(&doc[0]);
	ck_assert_uint_eq(num(&doc[0], r, "seq"), 0);
	ck_assert_uint_eq(num(&doc[0], r, "offset"), FAMFS_LOG_OFFSET + FAMFS_LOG_ENTRIES_OFF);
	ck_assert_str_eq(str(&doc[0], r, "type"), "generation");
	ck_assert_uint_eq(num(&doc[0], r, "generation"), 0);
	ck_assert_uint_eq(num(&doc[0], r, "area"), 0);
	ck_assert_ptr_null(yaml_map_get(&doc[0], r, "path"));
	r = yaml_document_get_root_node(&doc[1]);
	ck_assert_uint_eq(num(&doc[1], r, "seq"), 1);
	ck_assert_uint_eq(num(&doc[1], r, "offset"), FAMFS_LOG_OFFSET + FAMFS_LOG_ENTRIES_OFF +
			  famfs_generation_entry_size());
	ck_assert_str_eq(str(&doc[1], r, "type"), "host_table");
	ck_assert_uint_eq(num(&doc[1], r, "hosts_offset"), FAMFS_HOSTS_OFFSET);
	ck_assert_uint_eq(num(&doc[1], r, "hosts_count"), FAMFS_HOSTS_COUNT);
	ck_assert_ptr_null(yaml_map_get(&doc[1], r, "path"));
	r = yaml_document_get_root_node(&doc[2]);
	ck_assert_uint_eq(num(&doc[2], r, "seq"), 2);
	ck_assert_uint_eq(num(&doc[2], r, "offset"), FAMFS_LOG_OFFSET + FT_FIRST_OFF);
	ck_assert_str_eq(str(&doc[2], r, "type"), "directory");
	ck_assert_str_eq(str(&doc[2], r, "path"), "dir");
	ck_assert_str_eq(str(&doc[2], r, "mode"), "0755");
	ck_assert_uint_eq(num(&doc[2], r, "uid"), 3);
	ck_assert_uint_eq(num(&doc[2], r, "gid"), 4);
	r = yaml_document_get_root_node(&doc[3]);
	ck_assert_uint_eq(num(&doc[3], r, "seq"), 3);
	ck_assert_str_eq(str(&doc[3], r, "type"), "file");
	ck_assert_str_eq(str(&doc[3], r, "path"), "dir/0644");
	ck_assert_str_eq(str(&doc[3], r, "mode"), "0604");
	ck_assert_uint_eq(num(&doc[3], r, "size"), 3 << 20);
	e = item(&doc[3], get(&doc[3], r, "extents"), 0);
	/* The first data unit, after both log areas. */
	ck_assert_uint_eq(num(&doc[3], e, "offset"), FT_DATA_UNIT * FAMFS_ALLOC_UNIT);
	ck_assert_uint_eq(num(&doc[3], e, "length"), 4ULL << 20);
	parsed_free();
}
END_TEST

START_TEST(test_log_evict)
{
	static const uint8_t host[16] = { [0] = 0x12, [15] = 0x34 };
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	yaml_node_t *r;
	FILE *out;

	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_int_eq(famfs_log_append_begin(&fs.log, &err), 0);
	ck_assert_int_eq(famfs_log_add_evict(&fs.log, host, UINT64_MAX, &err), 0);
	ck_assert_int_eq(famfs_log_commit(&fs.log, &err), 0);
	famfs_log_append_end(&fs.log);
	out = out_open();
	ck_assert_int_eq(famfs_yaml_log(out, &fs.log, &err), 0);
	famfs_fs_close(&fs);
	ck_assert_int_eq(parse(out), FT_MKFS_ENTRIES + 1);
	r = yaml_document_get_root_node(&doc[FT_MKFS_ENTRIES]);
	ck_assert_str_eq(str(&doc[FT_MKFS_ENTRIES], r, "type"), "evict");
	ck_assert_str_eq(str(&doc[FT_MKFS_ENTRIES], r, "host"),
			 "12000000-0000-0000-0000-000000000034");
	ck_assert_str_eq(str(&doc[FT_MKFS_ENTRIES], r, "nonce"), "18446744073709551615");
	ck_assert_ptr_null(yaml_map_get(&doc[FT_MKFS_ENTRIES], r, "path"));
	parsed_free();
}
END_TEST

/* Paths may hold any byte but NUL and '/': each one reads back exactly. */
START_TEST(test_log_any_bytes)
{
	static const char *const paths[] = {
		"d/\xff\xfe not UTF-8", "d/a\nb\x01\\ controls", "d/caf\xc3\xa9",
	};
	struct famfs_meta d = { .mode = S_IFDIR | 0755 };
	struct famfs_meta f = { .mode = S_IFREG | 0644 };
	struct famfs_error err = { 0 };
	struct famfs_creator c;
	struct famfs_fs fs;
	FILE *out;
	int i;

	ft_mkfs(ft_path("img"), FT_IMAGE_SIZE);
	ck_assert_int_eq(famfs_fs_open(&fs, ft_path("img"),
				       FAMFS_FS_WRITE | FAMFS_FS_OFFLINE, &err), 0);
	ck_assert_int_eq(famfs_create_begin(&c, &fs, &err), 0);
	ck_assert_int_eq(famfs_create_dir(&c, "d", &d, &err), 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(famfs_create_file(&c, paths[i], &f, NULL, NULL, &err), 0);
	ck_assert_int_eq(famfs_create_commit(&c, &err), 0);
	famfs_create_end(&c);
	out = out_open();
	ck_assert_int_eq(famfs_yaml_log(out, &fs.log, &err), 0);
	famfs_fs_close(&fs);
	ck_assert_int_eq(parse(out), FT_MKFS_ENTRIES + 4);
	for (i = 0; i < 3; i++)
		ck_bytes(&doc[FT_MKFS_ENTRIES + i + 1],
			 yaml_document_get_root_node(&doc[FT_MKFS_ENTRIES + i + 1]),
			 "path", paths[i], i == 0);
	parsed_free();
}
END_TEST

/* The path of a map or a device that is not UTF-8 reads back too. */
START_TEST(test_names_any_bytes)
{
	struct famfs_ioc_map map = { 0 };
	struct famfs_fsck_report rep = { 0 };
	FILE *out = out_open();

	ck_assert_int_eq(famfs_yaml_map(out, "/mnt/famfs/\x80", &map, NULL), 0);
	ck_assert_int_eq(parse(out), 1);
	ck_bytes(doc, yaml_document_get_root_node(doc), "file", "/mnt/famfs/\x80", true);
	parsed_free();
	out = out_open();
	ck_assert_int_eq(famfs_yaml_fsck(out, "/dev/\xc3(", &rep, NULL, 0), 0);
	ck_assert_int_eq(parse(out), 1);
	ck_bytes(doc, yaml_document_get_root_node(doc), "device", "/dev/\xc3(", true);
	parsed_free();
}
END_TEST

START_TEST(test_fsck)
{
	char *problems[] = { "first: bad", "second: worse" };
	struct famfs_fsck_report rep;
	struct famfs_error err = { 0 };
	struct famfs_fs fs;
	yaml_node_t *r, *sb, *n;
	FILE *out;

	make_fs(&fs);
	famfs_fs_close(&fs);
	ck_assert_int_eq(famfs_fsck_path(ft_path("img"), NULL, &rep, &err), 0);
	ck_assert_uint_eq(rep.errors, 0);
	rep.errors = 2;		/* as if the two problems had been found */
	out = out_open();
	ck_assert_int_eq(famfs_yaml_fsck(out, "img", &rep, problems, 2), 0);
	ck_assert_int_eq(parse(out), 1);
	r = yaml_document_get_root_node(&doc[0]);
	ck_assert_str_eq(str(doc, r, "device"), "img");
	ck_assert_uint_eq(num(doc, r, "device_size"), FT_IMAGE_SIZE);
	ck_assert_str_eq(str(doc, r, "result"), "errors");
	ck_assert_uint_eq(num(doc, r, "errors"), 2);
	n = item(doc, get(doc, r, "problems"), 1);
	ck_assert_str_eq((char *)n->data.scalar.value, "second: worse");
	ck_assert_str_eq(str(doc, r, "role"), "master");
	ck_assert_uint_eq(num(doc, r, "files"), 1);
	ck_assert_uint_eq(num(doc, r, "directories"), 1);
	ck_assert_uint_eq(num(doc, r, "notes"), 0);
	ck_assert_uint_eq(num(doc, get(doc, r, "log"), "entries"), FT_MKFS_ENTRIES + 2);
	ck_assert_uint_eq(num(doc, get(doc, r, "log"), "generation"), 0);
	ck_assert_uint_eq(num(doc, get(doc, r, "log"), "area"), 0);
	ck_assert_uint_eq(num(doc, get(doc, r, "space"), "used"), 4ULL << 20);
	n = item(doc, get(doc, r, "log_record"), 0);
	ck_assert_uint_eq(num(doc, n, "copy"), 0);
	ck_assert_str_eq(str(doc, n, "state"), "valid");
	ck_assert_uint_eq(num(doc, n, "generation"), 0);
	ck_assert_uint_eq(num(doc, n, "area"), 0);
	n = item(doc, get(doc, r, "log_record"), 1);
	ck_assert_uint_eq(num(doc, n, "copy"), 1);
	ck_assert_str_eq(str(doc, n, "state"), "empty");
	ck_assert_ptr_null(yaml_map_get(doc, n, "generation"));
	n = get(doc, r, "inactive_area");
	ck_assert_uint_eq(num(doc, n, "area"), 1);
	ck_assert_str_eq(str(doc, n, "log"), "false");
	ck_assert_ptr_null(yaml_map_get(doc, n, "entries"));
	sb = get(doc, r, "superblock");
	ck_assert_str_eq(str(doc, sb, "version"), "1.4");
	ck_assert_uint_eq(num(doc, sb, "log_len"), FAMFS_LOG_LEN_DEFAULT);
	ck_assert_uint_eq(num(doc, sb, "log_areas"), FAMFS_LOG_AREAS);
	ck_assert_uint_eq(num(doc, sb, "logrec_offset"), FAMFS_LOGREC_OFFSET);
	ck_assert_uint_eq(num(doc, sb, "alloc_unit"), FAMFS_ALLOC_UNIT);
	ck_assert_uint_eq(num(doc, sb, "hosts_offset"), FAMFS_HOSTS_OFFSET);
	ck_assert_uint_eq(num(doc, sb, "hosts_count"), FAMFS_HOSTS_COUNT);
	ck_assert_int_eq(strlen(str(doc, sb, "fs_uuid")), 36);
	parsed_free();
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		test_map,
		test_log,
		test_log_evict,
		test_fsck,
		test_log_any_bytes,
		test_names_any_bytes,
		NULL,
	};

	return ft_main("yaml", ft_setup, ft_teardown, tests);
}
