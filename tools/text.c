/*
 * text.c - output helpers: growable strings, sizes, modes, owners, JSON
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool.h"

/* ---- growable strings ------------------------------------------------------ */

static void sb_reserve(struct sbuf *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 64;

	if (b->len + extra + 1 <= b->cap)
		return;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = realloc(b->s, cap);
	if (!b->s) {
		fputs("sharedarray: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	b->cap = cap;
}

void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	sb_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* ---- text for people ----------------------------------------------------- */

size_t text_width(const char *s)
{
	size_t width = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			width++;
	return width;
}

void text_escape(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		const unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\')
			sb_printf(b, "\\%03o", c);
		else
			sb_putc(b, (char)c);
	}
}

void text_human_size(struct sbuf *b, unsigned long long bytes)
{
	static const char units[] = "KMGTPE";
	unsigned long long scale = 1024;
	int unit = 0;

	if (bytes < 1024) {
		sb_printf(b, "%lluB", bytes);
		return;
	}
	/* Find the unit where the value is below 1024 once rounded up. */
	while (unit < 5 && (bytes + scale - 1) / scale >= 1024) {
		scale *= 1024;
		unit++;
	}
	if (bytes < 10 * scale) {
		/* One decimal, rounded up: 1025 bytes are 1.1K, as ls -h says. */
		unsigned long long tenths = bytes / scale * 10 +
		                            ((bytes % scale) * 10 + scale - 1) / scale;

		if (tenths < 100) {
			sb_printf(b, "%llu.%llu%c", tenths / 10, tenths % 10, units[unit]);
			return;
		}
	}
	sb_printf(b, "%llu%c", bytes / scale + (bytes % scale != 0), units[unit]);
}

void text_mode(struct sbuf *b, mode_t mode)
{
	char s[11] = "----------";
	static const char rwx[] = "rwxrwxrwx";

	for (int i = 0; i < 9; i++)
		if (mode & (0400u >> i))
			s[1 + i] = rwx[i];
	if (mode & 04000)
		s[3] = (mode & 0100) ? 's' : 'S';
	if (mode & 02000)
		s[6] = (mode & 0010) ? 's' : 'S';
	if (mode & 01000)
		s[9] = (mode & 0001) ? 't' : 'T';
	sb_puts(b, s);
}

void text_user(struct sbuf *b, uid_t uid)
{
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found)
		sb_puts(b, found->pw_name);
	else
		sb_printf(b, "%lu", (unsigned long)uid);
}

void text_group(struct sbuf *b, gid_t gid)
{
	struct group gr, *found = NULL;
	char buf[4096];

	if (getgrgid_r(gid, &gr, buf, sizeof(buf), &found) == 0 && found)
		sb_puts(b, found->gr_name);
	else
		sb_printf(b, "%lu", (unsigned long)gid);
}

void text_time(struct sbuf *b, long long seconds, bool full)
{
	const time_t t = (time_t)seconds;
	char buf[64];
	struct tm tm;

	if (!localtime_r(&t, &tm) || (full ? strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z", &tm)
	              : strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm)) == 0) {
		sb_printf(b, "%lld", seconds);
		return;
	}
	sb_puts(b, buf);
}

void text_shape_x(struct sbuf *b, int ndim, const size_t *shape)
{
	if (ndim <= 0) {
		sb_puts(b, "()");
		return;
	}
	for (int i = 0; i < ndim; i++)
		sb_printf(b, "%s%zu", i ? "x" : "", shape[i]);
}

void text_shape_tuple(struct sbuf *b, int ndim, const size_t *shape)
{
	sb_putc(b, '(');
	for (int i = 0; i < ndim; i++)
		sb_printf(b, "%s%zu", i ? ", " : "", shape[i]);
	sb_puts(b, ndim == 1 ? ",)" : ")");
}

void text_entry_uri(struct sbuf *b, const char *dir, const char *name)
{
	if (!dir) {
		sb_printf(b, "shm://%s", name);
		return;
	}
	if (strncmp(dir, "file://", 7) != 0)
		sb_puts(b, "file://");
	sb_puts(b, dir);
	if (dir[0] && dir[strlen(dir) - 1] != '/')
		sb_putc(b, '/');
	sb_puts(b, name);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at S, or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void json_string(struct sbuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	sb_putc(b, '"');
	while (*s) {
		size_t len = utf8_sequence(s);

		if (len == 0) {
			sb_printf(b, "\\udc%02x", *s++);
			continue;
		}
		if (*s == '"' || *s == '\\')
			sb_printf(b, "\\%c", *s);
		else if (*s == '\n')
			sb_puts(b, "\\n");
		else if (*s == '\t')
			sb_puts(b, "\\t");
		else if (*s < 0x20 || *s == 0x7f)
			sb_printf(b, "\\u%04x", *s);
		else
			sb_putn(b, (const char *)s, len);
		s += len;
	}
	sb_putc(b, '"');
}

void json_info_members(struct sbuf *b, const sa_info *info, const char *uri)
{
	const size_t *shape = sa_info_shape(info);
	const int ndim = sa_info_ndim(info);
	const char *descr = sa_info_descr(info);
	const char order[2] = { sa_info_order(info), '\0' };

	sb_puts(b, "\"name\": ");
	json_string(b, sa_info_name(info));
	sb_puts(b, ", \"uri\": ");
	json_string(b, uri);
	sb_puts(b, ", \"dtype\": ");
	json_string(b, sa_info_dtype(info));
	sb_puts(b, ", \"shape\": [");
	for (int i = 0; i < ndim; i++)
		sb_printf(b, "%s%zu", i ? ", " : "", shape[i]);
	sb_printf(b, "], \"ndim\": %d, \"nbytes\": %zu, \"itemsize\": %zu, \"order\": ",
	          ndim, sa_info_nbytes(info), sa_info_itemsize(info));
	json_string(b, order);
	sb_puts(b, ", \"descr\": ");
	if (descr)
		json_string(b, descr);
	else
		sb_puts(b, "null");
	sb_printf(b, ", \"typenum\": %d, \"format\": %d, \"segment_size\": %zu",
	          sa_info_typenum(info), sa_info_format(info), sa_info_segment_size(info));
	sb_printf(b, ", \"mode\": %u, \"uid\": %lu, \"gid\": %lu, \"owner\": ",
	          (unsigned)sa_info_mode(info), (unsigned long)sa_info_uid(info),
	          (unsigned long)sa_info_gid(info));
	{
		struct sbuf user = { 0 };

		text_user(&user, sa_info_uid(info));
		json_string(b, user.s);
		sb_free(&user);
	}
	sb_printf(b, ", \"mtime\": %lld, \"transient\": %s", sa_info_mtime(info),
	          sa_info_transient(info) == 1 ? "true" : "false");
}
