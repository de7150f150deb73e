// SPDX-License-Identifier: GPL-2.0
/* Human descriptions of enum famfs_err. */
#include "famfs/format.h"

static const char *const famfs_err_text[FAMFS_E__COUNT] = {
	[FAMFS_OK]		= "success",
	[FAMFS_E_SHORT]		= "buffer too short",
	[FAMFS_E_MAGIC]		= "bad magic number",
	[FAMFS_E_VERSION]	= "unsupported major version",
	[FAMFS_E_CRC]		= "CRC mismatch",
	[FAMFS_E_FLAGS]		= "unknown flags or non-zero reserved field",
	[FAMFS_E_GEOMETRY]	= "inconsistent device geometry",
	[FAMFS_E_LOG_HEADER]	= "log header inconsistent with the superblock",
	[FAMFS_E_LEN]		= "malformed length",
	[FAMFS_E_SEQ]		= "entry sequence number out of order",
	[FAMFS_E_TYPE]		= "unknown entry type",
	[FAMFS_E_MODE]		= "mode does not match the entry type",
	[FAMFS_E_PATH_EMPTY]	= "empty path or path component",
	[FAMFS_E_PATH_ABS]	= "absolute path",
	[FAMFS_E_PATH_DOT]	= "\".\" or \"..\" path component",
	[FAMFS_E_PATH_NUL]	= "NUL byte in path",
	[FAMFS_E_PATH_LONG]	= "path too long",
	[FAMFS_E_NAME_LONG]	= "path component too long",
	[FAMFS_E_EXT_COUNT]	= "bad extent count",
	[FAMFS_E_EXT_DEV]	= "extent device index out of range",
	[FAMFS_E_EXT_ZERO]	= "zero-length extent",
	[FAMFS_E_EXT_ALIGN]	= "misaligned extent",
	[FAMFS_E_EXT_RESERVED]	= "extent overlaps the superblock or log",
	[FAMFS_E_EXT_RANGE]	= "extent past the end of the device",
	[FAMFS_E_EXT_OVERLAP]	= "overlapping extents",
	[FAMFS_E_EXT_SHORT]	= "extents smaller than the file size",
	[FAMFS_E_LOG_FULL]	= "log full",
	[FAMFS_E_PADDING]	= "non-zero entry padding",
	[FAMFS_E_NOMEM]		= "out of memory",
	[FAMFS_E_PATH_DUP]	= "path logged twice",
	[FAMFS_E_PATH_PARENT]	= "parent is not a directory logged before it",
	[FAMFS_E_PATH_RESERVED]	= "path reserved for the metadata files",
	[FAMFS_E_PATH_MISSING]	= "path does not exist",
	[FAMFS_E_DIR_NOT_EMPTY]	= "directory not empty",
	[FAMFS_E_PATH_EXISTS]	= "destination exists",
	[FAMFS_E_RENAME_LOOP]	= "directory moved into itself",
	[FAMFS_E_HOST_TABLE]	= "host table entry disagrees with the superblock",
	[FAMFS_E_GENERATION]	= "generation entry disagrees with the active-log record",
	[FAMFS_E_STRIPE]	= "bad strip count, chunk size or strip lengths",
	[FAMFS_E_MEMBER]	= "member index out of order or member named twice",
};

const char *famfs_strerror(int err)
{
	if (err < 0 || err >= FAMFS_E__COUNT)
		return "unknown error";
	return famfs_err_text[err];
}
