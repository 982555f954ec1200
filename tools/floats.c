/*
 * floats.c - floats printed as numpy prints them
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * numpy (arrayprint.py, FloatingFormat with its defaults: precision 8,
 * floatmode "maxprec") prints each value with the fewest digits that read
 * back as the same value of its type, cut at 8 fractional digits.  Arrays
 * switch to scientific notation when a non-zero magnitude is >= 1e8 or
 * < 1e-4, or when the largest is more than 1000 times the smallest.  The
 * shortest digits come from printf("%.*Le"), which glibc rounds exactly, by
 * trying longer precisions until the text reads back as the same value.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

#define PRECISION 8   /* numpy's default print precision */

/* A finite value split the way numpy's code splits its text. */
struct parts {
	bool negative;
	char int_part[80];    /* digits before the point */
	char frac_part[80];   /* digits after it */
	int exponent;         /* scientific notation only */
};

/* ---- reading -------------------------------------------------------------- */

static double half_value(uint16_t h)
{
	const int exp = (h >> 10) & 0x1f;
	const int mant = h & 0x3ff;
	double v;

	if (exp == 0x1f)
		v = mant ? NAN : INFINITY;
	else if (exp == 0)
		v = ldexp(mant, -24);
	else
		v = ldexp(mant + 1024, exp - 25);
	return (h & 0x8000) ? -v : v;
}

/* D rounded to the nearest half-precision value (ties to even). */
static double half_round(double d)
{
	const double a = fabs(d);
	double quantum;
	int e;

	if (!isfinite(a) || a >= 65520.0)
		return copysign(INFINITY, d);
	frexp(a, &e);
	quantum = a >= ldexp(1, -14) ? ldexp(1, e - 11) : ldexp(1, -24);
	return copysign(rint(a / quantum) * quantum, d);
}

long double float_load(const unsigned char *p, size_t size, bool swap)
{
	unsigned char buf[sizeof(long double) > 16 ? sizeof(long double) : 16];

	for (size_t i = 0; i < size && i < sizeof(buf); i++)
		buf[i] = swap ? p[size - 1 - i] : p[i];
	switch (size) {
	case 2: {
		uint16_t h;

		memcpy(&h, buf, 2);
		return half_value(h);
	}
	case 4: {
		float f;

		memcpy(&f, buf, 4);
		return f;
	}
	case 8: {
		double d;

		memcpy(&d, buf, 8);
		return d;
	}
	default: {
		long double ld;

		memcpy(&ld, buf, sizeof(ld));
		return ld;
	}
	}
}

/* ---- digits ----------------------------------------------------------------- */

static bool reads_back(const char *text, long double x, size_t size)
{
	switch (size) {
	case 2: return half_round(strtod(text, NULL)) == (double)x;
	case 4: return strtof(text, NULL) == (float)x;
	case 8: return strtod(text, NULL) == (double)x;
	default: return strtold(text, NULL) == x;
	}
}

/* Split printf's "d.ddde+XX" (or "ddd.ddd" when !SCI) into P. */
static void split(const char *text, bool sci, struct parts *p)
{
	const char *dot = strchr(text, '.');
	const char *e = strchr(text, 'e');
	const char *int_end = dot ? dot : (e ? e : text + strlen(text));
	const char *frac = dot ? dot + 1 : int_end;
	const char *frac_end = e ? e : frac + strlen(frac);

	snprintf(p->int_part, sizeof(p->int_part), "%.*s", (int)(int_end - text), text);
	snprintf(p->frac_part, sizeof(p->frac_part), "%.*s", (int)(frac_end - frac), frac);
	p->exponent = sci && e ? atoi(e + 1) : 0;
}

static void trim_zeros(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && s[len - 1] == '0')
		s[--len] = '\0';
}

/* The shortest digits of |X| that read back: "d.ddd" and the exponent. */
static void shortest(long double x, size_t size, struct parts *p)
{
	char text[128];

	for (int digits = 0; digits < 40; digits++) {
		snprintf(text, sizeof(text), "%.*Le", digits, fabsl(x));
		if (reads_back(text, fabsl(x), size))
			break;
	}
	split(text, true, p);
	trim_zeros(p->frac_part);
}

/*
 * numpy's dragon4_scientific/positional with unique=True and trim='.':
 * shortest digits, at most MAX_FRAC after the point (-1: no limit).
 */
static void digits_of(long double x, size_t size, bool sci, int max_frac, struct parts *p)
{
	struct parts s;
	char text[128];

	p->negative = signbit(x) != 0;
	shortest(x, size, &s);
	if (sci) {
		*p = s;
		p->negative = signbit(x) != 0;
		if (max_frac >= 0 && strlen(s.frac_part) > (size_t)max_frac) {
			snprintf(text, sizeof(text), "%.*Le", max_frac, fabsl(x));
			split(text, true, p);
			trim_zeros(p->frac_part);
		}
		return;
	}
	/* Positional: the point goes EXPONENT + 1 digits into the digits. */
	{
		char all[80];
		const int e = s.exponent;
		const int ndigits = snprintf(all, sizeof(all), "%s%s", s.int_part, s.frac_part);
		size_t n = 0;

		if (e >= 0) {
			for (int i = 0; i <= e && n < sizeof(p->int_part) - 1; i++)
				p->int_part[n++] = i < ndigits ? all[i] : '0';
			p->int_part[n] = '\0';
			snprintf(p->frac_part, sizeof(p->frac_part), "%s",
			         ndigits > e + 1 ? all + e + 1 : "");
		} else {
			strcpy(p->int_part, "0");
			for (int i = 0; i < -e - 1 && n < sizeof(p->frac_part) / 2; i++)
				p->frac_part[n++] = '0';
			snprintf(p->frac_part + n, sizeof(p->frac_part) - n, "%s", all);
		}
		p->exponent = 0;
		trim_zeros(p->frac_part);
		if (max_frac >= 0 && strlen(p->frac_part) > (size_t)max_frac) {
			snprintf(text, sizeof(text), "%.*Lf", max_frac, fabsl(x));
			split(text, false, p);
			trim_zeros(p->frac_part);
		}
	}
}

static void put_exponent(struct sbuf *out, int exponent, int min_digits)
{
	sb_printf(out, "e%c%0*d", exponent < 0 ? '-' : '+', min_digits < 2 ? 2 : min_digits,
	          abs(exponent));
}

static const char *sign_of(bool negative, bool plus)
{
	return negative ? "-" : plus ? "+" : "";
}

/* ---- numpy's FloatingFormat ---------------------------------------------- */

void float_format_init(struct float_format *ff, bool plus)
{
	memset(ff, 0, sizeof(*ff));
	ff->plus = plus;
}

void float_scan(struct float_format *ff, int pass, long double x, size_t size)
{
	struct parts p;
	size_t len;

	if (!isfinite(x)) {
		ff->any_nonfinite = true;
		if (isinf(x) && x < 0)
			ff->any_neginf = true;
		return;
	}
	if (pass == 0) {
		const long double a = fabsl(x);

		ff->any_finite = true;
		if (a != 0) {
			if (!ff->any_nonzero || a > ff->max_abs)
				ff->max_abs = a;
			if (!ff->any_nonzero || a < ff->min_abs)
				ff->min_abs = a;
			ff->any_nonzero = true;
		}
		return;
	}
	digits_of(x, size, ff->exp_format, PRECISION, &p);
	len = strlen(p.int_part) + (p.negative || ff->plus);
	if (len > ff->int_len)
		ff->int_len = len;
	len = strlen(p.frac_part);
	if (len > ff->frac_len)
		ff->frac_len = len;
	if (ff->exp_format) {
		char digits[16];

		len = (size_t)snprintf(digits, sizeof(digits), "%02d", abs(p.exponent));
		if (len > ff->exp_len)
			ff->exp_len = len;
	}
}

void float_scan_end(struct float_format *ff, int pass)
{
	if (pass == 0) {
		ff->exp_format = ff->any_nonzero &&
		                 (ff->max_abs >= 1e8L || ff->min_abs < 1e-4L ||
		                  ff->max_abs / ff->min_abs > 1000.0L);
		return;
	}
	ff->exp_size = -1;
	if (!ff->any_finite) {
		ff->pad_left = ff->pad_right = 0;
	} else if (ff->exp_format) {
		ff->exp_size = (int)ff->exp_len;
		ff->precision = (int)ff->frac_len;
		ff->pad_left = (long)ff->int_len;
		ff->pad_right = ff->exp_size + 2 + ff->precision;
	} else {
		ff->pad_left = (long)ff->int_len;
		ff->pad_right = (long)ff->frac_len;
	}
	if (ff->any_nonfinite) {
		/* Room for "nan", "inf", "-inf" ("+inf" with plus) under the columns. */
		const long offset = ff->pad_right + 1;
		const long inf_len = 3 + (ff->plus || ff->any_neginf);

		if (3 - offset > ff->pad_left)
			ff->pad_left = 3 - offset;
		if (inf_len - offset > ff->pad_left)
			ff->pad_left = inf_len - offset;
	}
}

static void pad(struct sbuf *out, long n)
{
	for (; n > 0; n--)
		sb_putc(out, ' ');
}

void float_format(const struct float_format *ff, long double x, size_t size, struct sbuf *out)
{
	struct parts p;
	long len;

	if (!isfinite(x)) {
		const char *text = isnan(x) ? (ff->plus ? "+nan" : "nan")
		                 : x < 0 ? "-inf" : ff->plus ? "+inf" : "inf";

		pad(out, ff->pad_left + ff->pad_right + 1 - (long)strlen(text));
		sb_puts(out, text);
		return;
	}
	digits_of(x, size, ff->exp_format, PRECISION, &p);
	if (ff->exp_format && strlen(p.frac_part) < (size_t)ff->precision) {
		/*
		 * numpy's min_digits: more digits of the exact value, rounded, up to
		 * the common precision (1.0e-05 next to 1.5e+00; a float16 0.1 is
		 * 9.998e-02 next to 3.333e-01).
		 */
		char text[128];

		snprintf(text, sizeof(text), "%.*Le", ff->precision, fabsl(x));
		split(text, true, &p);
		p.negative = signbit(x) != 0;
	}
	len = (long)strlen(p.int_part) + (p.negative || ff->plus);
	pad(out, ff->pad_left - len);
	sb_puts(out, sign_of(p.negative, ff->plus));
	sb_puts(out, p.int_part);
	sb_putc(out, '.');
	sb_puts(out, p.frac_part);
	if (ff->exp_format) {
		put_exponent(out, p.exponent, ff->exp_size);
	} else {
		pad(out, ff->pad_right - (long)strlen(p.frac_part));
	}
}

void float_scalar(long double x, size_t size, bool keep_zero, bool plus, struct sbuf *out)
{
	const long double a = fabsl(x);
	struct parts p;

	if (isnan(x)) {
		sb_puts(out, plus ? "+nan" : "nan");
		return;
	}
	if (isinf(x)) {
		sb_puts(out, x < 0 ? "-inf" : plus ? "+inf" : "inf");
		return;
	}
	if (a == 0 || (a < 1e16L && a >= 1e-4L)) {
		digits_of(x, size, false, -1, &p);
		sb_printf(out, "%s%s", sign_of(p.negative, plus), p.int_part);
		if (p.frac_part[0])
			sb_printf(out, ".%s", p.frac_part);
		else if (keep_zero)
			sb_puts(out, ".0");
		return;
	}
	digits_of(x, size, true, -1, &p);
	sb_printf(out, "%s%s", sign_of(p.negative, plus), p.int_part);
	if (p.frac_part[0])
		sb_printf(out, ".%s", p.frac_part);
	put_exponent(out, p.exponent, 2);
}
