// SPDX-License-Identifier: GPL-2.0
/*
 * Paths and messages as output shows them. A logged path may hold any byte
 * but NUL and '/': printed raw, a newline in it could forge an output line
 * ("result: clean") and an escape sequence could move the cursor. And a
 * path can be 4095 bytes long, more than a message has room for: its
 * middle gives way, so that what follows it, the cause, always survives.
 * The host table's entries and GENERATION carry no path: what they say is
 * shown instead.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "internal.h"

#define ELLIPSIS	"..."
#define ESCAPED_LEN	4	/* \xNN */

size_t famfs_utf8_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no UTF-16 surrogates, nothing past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool famfs_utf8_valid(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i, n;

	for (i = 0; i < len; i += n) {
		n = famfs_utf8_len(s + i, len - i);
		if (!n)
			return false;
	}
	return true;
}

/* C0 and C1 control characters, DEL, and the escape character itself. */
static bool must_escape(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f || s[0] == '\\';
	return n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/*
 * One unit of text at s: a character shown as it is, or one byte shown as
 * \xNN. Returns the bytes it takes in s; *shown is its length when shown.
 */
static size_t unit(const unsigned char *s, size_t len, bool escape,
		   size_t *shown)
{
	size_t n = famfs_utf8_len(s, len);

	if (!escape) {
		*shown = n ? n : 1;	/* a stray byte stays, but alone */
		return *shown;
	}
	if (!n || must_escape(s, n)) {
		*shown = ESCAPED_LEN;
		return 1;
	}
	*shown = n;
	return n;
}

static char *put_unit(char *out, const unsigned char *s, size_t n,
		      size_t shown)
{
	if (shown == n) {
		memcpy(out, s, n);
		return out + n;
	}
	return out + sprintf(out, "\\x%02x", s[0]);
}

/* Show units of s[from, to) at out. */
static char *put_range(char *out, const unsigned char *s, size_t from,
		       size_t to, bool escape)
{
	size_t n, shown;

	for (; from < to; from += n) {
		n = unit(s + from, to - from, escape, &shown);
		out = put_unit(out, s + from, n, shown);
	}
	return out;
}

/* Shown bytes of all of s. */
static size_t shown_len(const unsigned char *s, size_t len, bool escape)
{
	size_t i, n, shown, total = 0;

	for (i = 0; i < len; i += n) {
		n = unit(s + i, len - i, escape, &shown);
		total += shown;
	}
	return total;
}

/* Where the first units of s that fit in room shown bytes end. */
static size_t head_end(const unsigned char *s, size_t len, bool escape,
		       size_t room, size_t *head_shown)
{
	size_t i = 0, n, shown;

	*head_shown = 0;
	while (i < len) {
		n = unit(s + i, len - i, escape, &shown);
		if (*head_shown + shown > room)
			break;
		*head_shown += shown;
		i += n;
	}
	return i;
}

/* Skip units of s from i on until at least excess shown bytes are gone. */
static size_t skip_shown(const unsigned char *s, size_t i, size_t len,
			 bool escape, size_t excess)
{
	size_t n, shown;

	while (i < len && excess) {
		n = unit(s + i, len - i, escape, &shown);
		excess -= shown < excess ? shown : excess;
		i += n;
	}
	return i;
}

/*
 * All of text, if it fits in cap bytes with its NUL; else its head, "..."
 * and its tail, halves of the room, cut between characters.
 */
static void show(char *buf, size_t cap, const char *text, bool escape)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), total = shown_len(s, len, escape);
	size_t room, head, head_shown, tail;
	char *out;

	if (total < cap) {
		*put_range(buf, s, 0, len, escape) = '\0';
		return;
	}
	if (cap < sizeof(ELLIPSIS)) {
		if (cap)
			buf[0] = '\0';
		return;
	}
	room = cap - sizeof(ELLIPSIS);
	head = head_end(s, len, escape, room / 2, &head_shown);
	out = stpcpy(put_range(buf, s, 0, head, escape), ELLIPSIS);
	tail = skip_shown(s, head, len, escape, total - room);
	*put_range(out, s, tail, len, escape) = '\0';
}

const char *famfs_path_show(char *buf, size_t cap, const char *path)
{
	show(buf, cap, path, true);
	return buf;
}

void famfs_text_fit(char *buf, size_t cap, const char *text)
{
	show(buf, cap, text, false);
}

void famfs_vfit(char *buf, size_t cap, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0) {
		snprintf(buf, cap, "%s", "out of memory formatting a message");
		return;
	}
	famfs_text_fit(buf, cap, text);
	free(text);
}

const char *famfs_place_show(char *buf, size_t cap, uint32_t member,
			     uint64_t offset)
{
	if (member)
		snprintf(buf, cap, "offset %#llx of member %u",
			 (unsigned long long)offset, member);
	else
		snprintf(buf, cap, "device offset %#llx",
			 (unsigned long long)offset);
	return buf;
}

const char *famfs_host_entry_show(char *buf, size_t cap,
				  const struct famfs_entry *e)
{
	char uuid[40];

	if (e->type == FAMFS_ENTRY_EVICT) {
		uuid_unparse_lower(e->uuid, uuid);
		snprintf(buf, cap, "host %s nonce 0x%016llx", uuid,
			 (unsigned long long)e->nonce);
	} else if (e->type == FAMFS_ENTRY_HOST_TABLE) {
		snprintf(buf, cap, "%u slot%s at %#llx", e->hosts_count,
			 e->hosts_count == 1 ? "" : "s",
			 (unsigned long long)e->hosts_offset);
	} else if (e->type == FAMFS_ENTRY_GENERATION) {
		snprintf(buf, cap, "generation %llu in area %u",
			 (unsigned long long)e->generation, e->area);
	} else if (e->type == FAMFS_ENTRY_MEMBER) {
		uuid_unparse_lower(e->member.uuid, uuid);
		snprintf(buf, cap, "member %u %s, %llu bytes", e->member.index,
			 uuid, (unsigned long long)e->member.size);
	} else if (cap) {
		buf[0] = '\0';
	}
	return buf;
}
