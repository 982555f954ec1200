/*
 * values.c - array elements printed as numpy's print() prints them
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Follows numpy's arrayprint.py with its default options: integers padded
 * to the widest of the minimum and maximum, booleans as " True"/"False",
 * bytes and str as Python literals (trailing NULs dropped), datetimes as
 * quoted ISO 8601 in the dtype's unit, timedeltas as integers, NaT as 'NaT'.
 * Floats are in floats.c.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE_ORDER '>'
#else
#define NATIVE_ORDER '<'
#endif

#define NAT INT64_MIN

/* numpy's datetime units, the length of each in the next smaller, names. */
static const struct {
	const char *code, *name;
} units[] = {
	{ "Y", "years" }, { "M", "months" }, { "W", "weeks" }, { "D", "days" },
	{ "h", "hours" }, { "m", "minutes" }, { "s", "seconds" },
	{ "ms", "milliseconds" }, { "us", "microseconds" }, { "ns", "nanoseconds" },
	{ "ps", "picoseconds" }, { "fs", "femtoseconds" }, { "as", "attoseconds" },
};
enum { U_Y, U_M, U_W, U_D, U_h, U_m, U_s, U_ms, U_us, U_ns, U_ps, U_fs, U_as };

/* ---- types ------------------------------------------------------------------ */

static int parse_unit(const char *s, struct value_type *t)
{
	char *end;

	t->unit = -1;
	t->multiplier = 1;
	if (*s == '\0')
		return 0;               /* generic unit */
	if (*s++ != '[')
		return -1;
	if (*s >= '1' && *s <= '9') {
		t->multiplier = strtoll(s, &end, 10);
		s = end;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		const size_t len = strlen(units[i].code);

		if (strncmp(s, units[i].code, len) == 0 && s[len] == ']') {
			t->unit = (int)i;
			return 0;
		}
	}
	return -1;
}

int value_type_parse(const char *dtype, size_t itemsize, struct value_type *t)
{
	const char order = dtype[0];

	memset(t, 0, sizeof(*t));
	t->itemsize = itemsize;
	t->swap = order != '|' && order != NATIVE_ORDER;
	t->unit = -1;
	t->multiplier = 1;
	switch (dtype[1]) {
	case 'b': t->kind = V_BOOL; return 0;
	case 'i': t->kind = V_INT; return itemsize <= 8 ? 0 : -1;
	case 'u': t->kind = V_UINT; return itemsize <= 8 ? 0 : -1;
	case 'f': t->kind = V_FLOAT; return 0;
	case 'c': t->kind = V_COMPLEX; return 0;
	case 'S': t->kind = V_BYTES; return 0;
	case 'U': t->kind = V_STR; return 0;
	case 'V': t->kind = V_VOID; return 0;
	case 'M':
		t->kind = V_DATETIME;
		return itemsize == 8 ? parse_unit(strchr(dtype, '8') + 1, t) : -1;
	case 'm':
		t->kind = V_TIMEDELTA;
		return itemsize == 8 ? parse_unit(strchr(dtype, '8') + 1, t) : -1;
	}
	return -1;
}

/* ---- loading elements ------------------------------------------------------- */

static uint64_t load_bits(const unsigned char *p, size_t size, bool swap)
{
	uint64_t v = 0;

	/* Assemble in the stored order, then the value as this machine reads it. */
	for (size_t i = 0; i < size; i++) {
		const size_t from_low = (NATIVE_ORDER == '<') != swap ? i : size - 1 - i;

		v |= (uint64_t)p[from_low] << (8 * i);
	}
	return v;
}

static int64_t load_int(const struct value_type *t, const unsigned char *p)
{
	const uint64_t bits = load_bits(p, t->itemsize, t->swap);
	const unsigned shift = (unsigned)(64 - 8 * t->itemsize);

	/* Sign-extend from the item's size. */
	return shift ? (int64_t)(bits << shift) >> shift : (int64_t)bits;
}

static uint64_t load_uint(const struct value_type *t, const unsigned char *p)
{
	return load_bits(p, t->itemsize, t->swap);
}

static uint32_t load_char(const struct value_type *t, const unsigned char *p)
{
	return (uint32_t)load_bits(p, 4, t->swap);
}

/* ---- strings ------------------------------------------------------------------ */

/* Python's choice of quote: double only when the text has ' and no ". */
static char quote_for(bool has_single, bool has_double)
{
	return has_single && !has_double ? '"' : '\'';
}

static void bytes_repr(const unsigned char *p, size_t len, struct sbuf *out)
{
	bool single = false, dbl = false;
	char quote;

	for (size_t i = 0; i < len; i++) {
		single |= p[i] == '\'';
		dbl |= p[i] == '"';
	}
	quote = quote_for(single, dbl);
	sb_putc(out, 'b');
	sb_putc(out, quote);
	for (size_t i = 0; i < len; i++) {
		const unsigned char c = p[i];

		if (c == (unsigned char)quote || c == '\\')
			sb_printf(out, "\\%c", c);
		else if (c == '\t')
			sb_puts(out, "\\t");
		else if (c == '\n')
			sb_puts(out, "\\n");
		else if (c == '\r')
			sb_puts(out, "\\r");
		else if (c < 0x20 || c >= 0x7f)
			sb_printf(out, "\\x%02x", c);
		else
			sb_putc(out, (char)c);
	}
	sb_putc(out, quote);
}

/* Bytes of an S element: numpy drops trailing NULs. */
static size_t bytes_len(const unsigned char *p, size_t size)
{
	while (size > 0 && p[size - 1] == 0)
		size--;
	return size;
}

/* Characters of a U element, trailing NULs dropped. */
static size_t str_len(const struct value_type *t, const unsigned char *p)
{
	size_t n = t->itemsize / 4;

	while (n > 0 && load_char(t, p + 4 * (n - 1)) == 0)
		n--;
	return n;
}

static void put_utf8(struct sbuf *out, uint32_t cp)
{
	char b[4];

	if (cp < 0x80) {
		sb_putc(out, (char)cp);
		return;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		sb_putn(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		sb_putn(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		sb_putn(out, b, 4);
	}
}

/* Python's str.isprintable, for the characters that matter in practice. */
static bool printable(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad)
		return false;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
	    (cp >= 0x205f && cp <= 0x2064) || cp == 0x3000 || cp == 0xfeff)
		return false;
	return !(cp >= 0xd800 && cp <= 0xdfff) && cp <= 0x10ffff;
}

static void str_text(const struct value_type *t, const unsigned char *p, size_t n,
                     char quote, struct sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		const uint32_t cp = load_char(t, p + 4 * i);

		if (quote && (cp == (uint32_t)quote || cp == '\\'))
			sb_printf(out, "\\%c", (char)cp);
		else if (quote && cp == '\t')
			sb_puts(out, "\\t");
		else if (quote && cp == '\n')
			sb_puts(out, "\\n");
		else if (quote && cp == '\r')
			sb_puts(out, "\\r");
		else if (quote && !printable(cp))
			sb_printf(out, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x",
			          (unsigned)cp);
		else if (cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff))
			put_utf8(out, cp);
		else
			sb_puts(out, "\xef\xbf\xbd");  /* U+FFFD */
	}
}

static void str_repr(const struct value_type *t, const unsigned char *p, struct sbuf *out)
{
	const size_t n = str_len(t, p);
	bool single = false, dbl = false;
	char quote;

	for (size_t i = 0; i < n; i++) {
		const uint32_t cp = load_char(t, p + 4 * i);

		single |= cp == '\'';
		dbl |= cp == '"';
	}
	quote = quote_for(single, dbl);
	sb_putc(out, quote);
	str_text(t, p, n, quote, out);
	sb_putc(out, quote);
}

/* ---- datetimes ---------------------------------------------------------------- */

static __int128 floor_div(__int128 a, __int128 b)
{
	__int128 q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Proleptic Gregorian date of DAYS since 1970-01-01 (H. Hinnant's algorithm). */
static void civil(__int128 days, long long *y, int *m, int *d)
{
	const __int128 z = days + 719468;
	const __int128 era = floor_div(z, 146097);
	const long long doe = (long long)(z - era * 146097);
	const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const long long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (long long)(yoe + era * 400) + (*m <= 2);
}

static void put_year(struct sbuf *out, long long year)
{
	if (year >= 0 && year <= 9999)
		sb_printf(out, "%04lld", year);
	else
		sb_printf(out, "%lld", year);
}

/* numpy's datetime_as_string(x, unit=the dtype's unit). */
static void datetime_text(const struct value_type *t, int64_t value, struct sbuf *out)
{
	static const int sub_digits[] = { 3, 6, 9, 12, 15, 18 };  /* ms ... as */
	const __int128 v = (__int128)value * t->multiplier;
	__int128 per_day = 1, days, rem;
	long long year;
	int month, day;

	switch (t->unit) {
	case U_Y:
		put_year(out, 1970 + (long long)v);
		return;
	case U_M:
		put_year(out, 1970 + (long long)floor_div(v, 12));
		sb_printf(out, "-%02d", (int)(v - floor_div(v, 12) * 12) + 1);
		return;
	case U_W:
		days = v * 7;
		break;
	case U_D:
		days = v;
		break;
	default:
		per_day = 24;
		for (int u = U_m; u <= t->unit; u++)
			per_day *= u == U_m ? 60 : u == U_s ? 60 : 1000;
		days = floor_div(v, per_day);
		break;
	}
	civil(days, &year, &month, &day);
	put_year(out, year);
	sb_printf(out, "-%02d-%02d", month, day);
	if (t->unit <= U_D)
		return;
	rem = v - days * per_day;
	{
		/* rem counts units since midnight: split off hours, minutes, seconds. */
		__int128 per_hour = per_day / 24, per_minute = per_hour / 60;
		__int128 per_second = t->unit >= U_s ? per_minute / 60 : 1;

		sb_printf(out, "T%02d", (int)(rem / per_hour));
		if (t->unit >= U_m)
			sb_printf(out, ":%02d", (int)(rem % per_hour / per_minute));
		if (t->unit >= U_s)
			sb_printf(out, ":%02d", (int)(rem % per_minute / per_second));
		if (t->unit >= U_ms) {
			const long long frac = (long long)(rem % per_second);

			sb_printf(out, ".%0*lld", sub_digits[t->unit - U_ms], frac);
		}
	}
}

static void timelike_text(const struct value_type *t, int64_t v, bool quoted, struct sbuf *out)
{
	if (t->kind == V_TIMEDELTA || t->unit < 0) {
		sb_printf(out, "%lld", (long long)v);
		return;
	}
	if (quoted)
		sb_putc(out, '\'');
	datetime_text(t, v, out);
	if (quoted)
		sb_putc(out, '\'');
}

/* ---- scanning and formatting ------------------------------------------------- */

void value_format_init(struct value_format *f, const struct value_type *type)
{
	memset(f, 0, sizeof(*f));
	f->type = *type;
	float_format_init(&f->re, false);
	float_format_init(&f->im, true);
}

static long double complex_part(const struct value_type *t, const unsigned char *p, int part)
{
	const size_t half = t->itemsize / 2;

	return float_load(p + (size_t)part * half, half, t->swap);
}

void value_scan(struct value_format *f, int pass, const unsigned char *elem)
{
	const struct value_type *t = &f->type;

	switch (t->kind) {
	case V_FLOAT:
		float_scan(&f->re, pass, float_load(elem, t->itemsize, t->swap), t->itemsize);
		return;
	case V_COMPLEX:
		float_scan(&f->re, pass, complex_part(t, elem, 0), t->itemsize / 2);
		float_scan(&f->im, pass, complex_part(t, elem, 1), t->itemsize / 2);
		return;
	default:
		break;
	}
	if (pass != 0)
		return;
	if (t->kind == V_INT || t->kind == V_DATETIME || t->kind == V_TIMEDELTA) {
		const int64_t v = load_int(t, elem);

		if (t->kind != V_INT && v == NAT) {
			f->any_nat = true;
			return;
		}
		if (!f->any || v < f->min_i)
			f->min_i = v;
		if (!f->any || v > f->max_i)
			f->max_i = v;
		f->any = true;
	} else if (t->kind == V_UINT) {
		const uint64_t v = load_uint(t, elem);

		if (!f->any || v < f->min_u)
			f->min_u = v;
		if (!f->any || v > f->max_u)
			f->max_u = v;
		f->any = true;
	}
}

static size_t width_of_int(const struct value_type *t, int64_t v, bool quoted)
{
	struct sbuf b = { 0 };
	size_t len;

	timelike_text(t, v, quoted, &b);
	len = b.len;
	sb_free(&b);
	return len;
}

void value_scan_end(struct value_format *f, int pass)
{
	const struct value_type *t = &f->type;
	char text[32];
	size_t a, b;

	if (t->kind == V_FLOAT || t->kind == V_COMPLEX) {
		float_scan_end(&f->re, pass);
		float_scan_end(&f->im, pass);
		return;
	}
	if (pass != 0)
		return;
	switch (t->kind) {
	case V_INT:
		a = (size_t)snprintf(text, sizeof(text), "%lld", (long long)f->min_i);
		b = (size_t)snprintf(text, sizeof(text), "%lld", (long long)f->max_i);
		f->width = a > b ? a : b;
		break;
	case V_UINT:
		a = (size_t)snprintf(text, sizeof(text), "%llu", (unsigned long long)f->min_u);
		b = (size_t)snprintf(text, sizeof(text), "%llu", (unsigned long long)f->max_u);
		f->width = a > b ? a : b;
		break;
	case V_DATETIME:
	case V_TIMEDELTA:
		/* numpy's _TimelikeFormat: the wider of min and max, 5 for 'NaT'. */
		if (f->any) {
			a = width_of_int(t, f->min_i, true);
			b = width_of_int(t, f->max_i, true);
			f->width = a > b ? a : b;
		}
		if (f->any_nat && f->width < 5)
			f->width = 5;
		break;
	default:
		break;
	}
}

static void pad_to(struct sbuf *out, size_t start, size_t width)
{
	const size_t len = out->len - start;

	if (len >= width)
		return;
	/* Right-align: move the text right, fill the front with spaces. */
	for (size_t i = 0; i < width - len; i++)
		sb_putc(out, ' ');
	memmove(out->s + start + (width - len), out->s + start, len);
	memset(out->s + start, ' ', width - len);
}

static void complex_join(struct sbuf *out, const struct sbuf *imag)
{
	size_t end = imag->len;

	/* numpy puts the j before the imaginary part's padding. */
	while (end > 0 && imag->s[end - 1] == ' ')
		end--;
	sb_putn(out, imag->s, end);
	sb_putc(out, 'j');
	sb_putn(out, imag->s + end, imag->len - end);
}

void value_format(const struct value_format *f, const unsigned char *elem, struct sbuf *out)
{
	const struct value_type *t = &f->type;
	const size_t start = out->len;

	switch (t->kind) {
	case V_BOOL:
		sb_puts(out, elem[0] ? " True" : "False");
		return;
	case V_INT:
		sb_printf(out, "%lld", (long long)load_int(t, elem));
		break;
	case V_UINT:
		sb_printf(out, "%llu", (unsigned long long)load_uint(t, elem));
		break;
	case V_FLOAT:
		float_format(&f->re, float_load(elem, t->itemsize, t->swap), t->itemsize, out);
		return;
	case V_COMPLEX: {
		struct sbuf imag = { 0 };

		float_format(&f->re, complex_part(t, elem, 0), t->itemsize / 2, out);
		float_format(&f->im, complex_part(t, elem, 1), t->itemsize / 2, &imag);
		complex_join(out, &imag);
		sb_free(&imag);
		return;
	}
	case V_BYTES:
		bytes_repr(elem, bytes_len(elem, t->itemsize), out);
		return;
	case V_VOID:
		bytes_repr(elem, t->itemsize, out);
		return;
	case V_STR:
		str_repr(t, elem, out);
		return;
	case V_DATETIME:
	case V_TIMEDELTA: {
		const int64_t v = load_int(t, elem);

		if (v == NAT)
			sb_puts(out, "'NaT'");
		else
			timelike_text(t, v, true, out);
		break;
	}
	}
	pad_to(out, start, f->width);
}

void value_format_scalar(const struct value_type *t, const unsigned char *elem,
                         struct sbuf *out)
{
	switch (t->kind) {
	case V_BOOL:
		sb_puts(out, elem[0] ? "True" : "False");
		return;
	case V_INT:
		sb_printf(out, "%lld", (long long)load_int(t, elem));
		return;
	case V_UINT:
		sb_printf(out, "%llu", (unsigned long long)load_uint(t, elem));
		return;
	case V_FLOAT:
		float_scalar(float_load(elem, t->itemsize, t->swap), t->itemsize, true, false, out);
		return;
	case V_COMPLEX: {
		const long double re = complex_part(t, elem, 0), im = complex_part(t, elem, 1);
		const size_t half = t->itemsize / 2;

		/* numpy's complex str(): "2j" for a pure +0 real part, else "(1+2j)". */
		if (re == 0 && !signbit(re)) {
			float_scalar(im, half, false, false, out);
			sb_putc(out, 'j');
			return;
		}
		sb_putc(out, '(');
		float_scalar(re, half, false, false, out);
		float_scalar(im, half, false, true, out);
		sb_puts(out, "j)");
		return;
	}
	case V_BYTES:
		bytes_repr(elem, bytes_len(elem, t->itemsize), out);
		return;
	case V_VOID:
		bytes_repr(elem, t->itemsize, out);
		return;
	case V_STR:
		str_text(t, elem, str_len(t, elem), 0, out);
		return;
	case V_DATETIME:
	case V_TIMEDELTA: {
		const int64_t v = load_int(t, elem);

		if (v == NAT) {
			sb_puts(out, "NaT");
		} else if (t->kind == V_TIMEDELTA && t->unit >= 0) {
			sb_printf(out, "%lld %s", (long long)((__int128)v * t->multiplier),
			          units[t->unit].name);
		} else {
			timelike_text(t, v, false, out);
		}
		return;
	}
	}
}
