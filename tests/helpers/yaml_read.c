// SPDX-License-Identifier: GPL-2.0
/* Reading back famfs YAML (see yaml_read.h). */
#include <stdlib.h>
#include <string.h>

#include "yaml_read.h"

yaml_node_t *yaml_map_get(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(d, p->key);
		if (k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static int sextet(unsigned char c)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

/* RFC 4648 base64, whitespace ignored (YAML may fold it), '=' padding. */
static size_t base64_decode(const unsigned char *in, size_t n, char *out,
			    int *bad)
{
	unsigned int acc = 0, bits = 0;
	size_t i, len = 0, pad = 0;
	int v;

	for (i = 0; i < n; i++) {
		if (in[i] == ' ' || in[i] == '\n')
			continue;
		if (in[i] == '=') {
			pad++;
			continue;
		}
		v = sextet(in[i]);
		if (v < 0 || pad) {
			*bad = 1;
			return 0;
		}
		acc = acc << 6 | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (char)(acc >> bits);
			acc &= (1U << bits) - 1;
		}
	}
	*bad = pad > 2 || acc;
	return len;
}

char *yaml_scalar_bytes(const yaml_node_t *node, size_t *len)
{
	const unsigned char *v = node->data.scalar.value;
	size_t n = node->data.scalar.length;
	char *out;
	int bad = 0;

	if (node->type != YAML_SCALAR_NODE)
		return NULL;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	if (node->tag && !strcmp((const char *)node->tag, YAML_BINARY_TAG)) {
		*len = base64_decode(v, n, out, &bad);
	} else {
		memcpy(out, v, n);
		*len = n;
	}
	if (bad) {
		free(out);
		return NULL;
	}
	out[*len] = '\0';
	return out;
}
