/*
 * values.h - formatting array elements the way numpy's print() does
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * numpy pads the elements of an array to a common width, and for floats
 * picks positional or scientific notation from all the values shown.  So a
 * formatter first scans the elements that will be shown (value_scan, in
 * VALUE_PASSES passes), then formats each (value_format).
 */
#ifndef SA_TOOL_VALUES_H
#define SA_TOOL_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tool.h"

enum value_kind {
	V_BOOL, V_INT, V_UINT, V_FLOAT, V_COMPLEX,
	V_BYTES, V_STR, V_VOID, V_DATETIME, V_TIMEDELTA,
};

/* What a canonical type string from the library says about its elements. */
struct value_type {
	enum value_kind kind;
	size_t itemsize;
	bool swap;               /* stored in the other byte order */
	int unit;                /* datetimes: index into the unit table, -1 generic */
	long long multiplier;    /* datetimes: the 10 of "[10s]" */
};

/* numpy's FloatingFormat: what the scan decided for one set of floats. */
struct float_format {
	bool plus;                           /* '+' on positives (imaginary parts) */
	bool any_finite, any_nonzero, any_nonfinite, any_neginf;
	long double max_abs, min_abs;        /* of the finite non-zero values */
	bool exp_format;                     /* scientific notation */
	size_t int_len, frac_len, exp_len;   /* widest parts seen in the second pass */
	long pad_left, pad_right;
	int precision, exp_size;
};

struct value_format {
	struct value_type type;
	struct float_format re, im;
	bool any, any_nat;
	int64_t min_i, max_i;                /* ints, datetimes (NaT excluded) */
	uint64_t min_u, max_u;
	size_t width;
};

#define VALUE_PASSES 2

/* Read the library's canonical type string: 0, or -1 for a kind we cannot print. */
int value_type_parse(const char *dtype, size_t itemsize, struct value_type *type);

void value_format_init(struct value_format *f, const struct value_type *type);
void value_scan(struct value_format *f, int pass, const unsigned char *elem);
void value_scan_end(struct value_format *f, int pass);
/* One element of an array, padded as numpy pads it. */
void value_format(const struct value_format *f, const unsigned char *elem, struct sbuf *out);
/* A 0-d array: numpy prints the scalar's str(). */
void value_format_scalar(const struct value_type *type, const unsigned char *elem,
                         struct sbuf *out);

#endif /* SA_TOOL_VALUES_H */

/* ---- floats.c: numpy's float formatting (FloatingFormat, Dragon4 unique) -- */

#ifndef SA_TOOL_FLOATS
#define SA_TOOL_FLOATS
/* The value of a SIZE-byte float (2, 4, 8 or sizeof(long double)) at P. */
long double float_load(const unsigned char *p, size_t size, bool swap);
void float_format_init(struct float_format *ff, bool plus);
void float_scan(struct float_format *ff, int pass, long double x, size_t size);
void float_scan_end(struct float_format *ff, int pass);
void float_format(const struct float_format *ff, long double x, size_t size, struct sbuf *out);
/*
 * A float scalar as numpy's str() prints it: shortest digits, positional
 * between 1e-4 and 1e16.  KEEP_ZERO: "1.0" (floats) rather than "1" (parts
 * of complex numbers); PLUS: a '+' on positives.
 */
void float_scalar(long double x, size_t size, bool keep_zero, bool plus, struct sbuf *out);
#endif
