/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading back the YAML of docs/yaml.md, as the YAML tests and the image
 * fuzz target do: keys of a mapping, and the bytes of a scalar, which is
 * its text or, tagged !!binary, the bytes its base64 encodes (a path that
 * is not UTF-8).
 */
#ifndef FAMFS_YAML_READ_H
#define FAMFS_YAML_READ_H

#include <stddef.h>
#include <yaml.h>

#define YAML_BINARY_TAG	"tag:yaml.org,2002:binary"

/* The value under key in the mapping node m, NULL if none. */
yaml_node_t *yaml_map_get(yaml_document_t *d, yaml_node_t *m, const char *key);

/*
 * The bytes of a scalar node, malloc'ed with a NUL after them (*len bytes
 * before it); NULL if the node is no scalar or its base64 is malformed.
 */
char *yaml_scalar_bytes(const yaml_node_t *node, size_t *len);

#endif /* FAMFS_YAML_READ_H */
