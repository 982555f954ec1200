/*
 * dtype.c - numpy array-interface type strings and numpy type numbers
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A type string is [byte order][kind][size], e.g. "<f8", "|S10", "<U4", and
 * for datetimes "<M8[ns]".  The size counts bytes, except for U, where it
 * counts 4-byte characters.  The original SharedArray trailer records the
 * numpy type number and itemsize instead; this file maps between the two.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE '>'
#else
#define NATIVE '<'
#endif

/* Largest itemsize the trailer's int32 field can hold. */
#define ITEMSIZE_MAX ((uint64_t)INT32_MAX)

static const char *const datetime_units[] = {
	"Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as",
};

/* Kinds with a fixed set of sizes, and the type number of each. */
struct fixed_type {
	char kind;
	size_t size;
	int typenum;
};

static const struct fixed_type fixed_types[] = {
	{ 'b', 1, SA_NPY_BOOL },
	{ 'i', 1, SA_NPY_BYTE },   { 'u', 1, SA_NPY_UBYTE },
	{ 'i', 2, SA_NPY_SHORT },  { 'u', 2, SA_NPY_USHORT },
	{ 'i', 4, SA_NPY_INT },    { 'u', 4, SA_NPY_UINT },
	/* numpy names 8-byte integers "long" where long has 8 bytes. */
	{ 'i', 8, sizeof(long) == 8 ? SA_NPY_LONG : SA_NPY_LONGLONG },
	{ 'u', 8, sizeof(long) == 8 ? SA_NPY_ULONG : SA_NPY_ULONGLONG },
	{ 'f', 2, SA_NPY_HALF },   { 'f', 4, SA_NPY_FLOAT },
	{ 'f', 8, SA_NPY_DOUBLE },
	{ 'f', sizeof(long double), SA_NPY_LONGDOUBLE },
	{ 'c', 8, SA_NPY_CFLOAT }, { 'c', 16, SA_NPY_CDOUBLE },
	{ 'c', 2 * sizeof(long double), SA_NPY_CLONGDOUBLE },
	{ 'M', 8, SA_NPY_DATETIME }, { 'm', 8, SA_NPY_TIMEDELTA },
};

static const struct fixed_type *find_fixed(char kind, size_t size)
{
	for (size_t i = 0; i < sizeof(fixed_types) / sizeof(fixed_types[0]); i++)
		if (fixed_types[i].kind == kind && fixed_types[i].size == size)
			return &fixed_types[i];
	return NULL;
}

/* Type numbers that denote the same type as another one on this ABI. */
static int typenum_alias(int typenum)
{
	if (sizeof(long) == 8 && typenum == SA_NPY_LONGLONG)
		return SA_NPY_LONG;
	if (sizeof(long) == 8 && typenum == SA_NPY_ULONGLONG)
		return SA_NPY_ULONG;
	if (sizeof(long) == 4 && typenum == SA_NPY_LONG)
		return SA_NPY_INT;
	if (sizeof(long) == 4 && typenum == SA_NPY_ULONG)
		return SA_NPY_UINT;
	return typenum;
}

/* Parse a positive decimal count without sign, overflow or leading zeros. */
static int parse_count(const char **p, uint64_t max, uint64_t *out)
{
	const char *s = *p;
	uint64_t value = 0;

	if (*s < '1' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		value = value * 10 + (uint64_t)(*s - '0');
		if (value > max)
			return -EINVAL;
	}
	*p = s;
	*out = value;
	return 0;
}

/* "[unit]" or "[Nunit]" after M8/m8; nothing at all is the generic unit. */
static int parse_datetime_unit(const char *s)
{
	uint64_t multiplier;
	const char *close;
	size_t len;

	if (*s == '\0')
		return 0;
	if (*s++ != '[')
		return -EINVAL;
	if (*s >= '1' && *s <= '9' && parse_count(&s, INT32_MAX, &multiplier) < 0)
		return -EINVAL;
	close = strchr(s, ']');
	if (!close || close[1] != '\0')
		return -EINVAL;
	len = (size_t)(close - s);
	for (size_t i = 0; i < sizeof(datetime_units) / sizeof(datetime_units[0]); i++)
		if (strlen(datetime_units[i]) == len && memcmp(datetime_units[i], s, len) == 0)
			return 0;
	return -EINVAL;
}

/* The byte order numpy itself writes for a kind and size. */
static char canonical_order(char order, char kind, size_t itemsize)
{
	if (kind == 'b' || kind == 'S' || kind == 'V' || itemsize == 1)
		return '|';
	if (order == '<' || order == '>')
		return order;
	return NATIVE;
}

static int fill_typenum(char kind, uint64_t count, struct sa_dtype *out)
{
	const struct fixed_type *fixed;

	switch (kind) {
	case 'S':
		out->typenum = SA_NPY_STRING;
		out->itemsize = count;
		return 0;
	case 'V':
		out->typenum = SA_NPY_VOID;
		out->itemsize = count;
		return 0;
	case 'U':
		if (count > ITEMSIZE_MAX / 4)
			return -EINVAL;
		out->typenum = SA_NPY_UNICODE;
		out->itemsize = count * 4;
		return 0;
	}
	fixed = find_fixed(kind, count);
	if (!fixed)
		return -EINVAL;
	out->typenum = fixed->typenum;
	out->itemsize = fixed->size;
	return 0;
}

int sa_dtype_parse(const char *str, struct sa_dtype *out)
{
	const char *p = str;
	char order = '=', kind;
	uint64_t count;

	if (!str || strlen(str) >= SA_DTYPE_STR_MAX)
		return -EINVAL;
	if (*p == '<' || *p == '>' || *p == '|' || *p == '=')
		order = *p++;
	kind = *p++;
	if (kind == 'O')
		return -ENOTSUP;  /* pointers mean nothing in another process */
	if (kind == '\0' || !strchr("biufcSUVMm", kind))
		return -EINVAL;
	if (parse_count(&p, ITEMSIZE_MAX, &count) < 0)
		return -EINVAL;
	if (fill_typenum(kind, count, out) < 0)
		return -EINVAL;
	if (kind == 'M' || kind == 'm') {
		if (parse_datetime_unit(p) < 0)
			return -EINVAL;
	} else if (*p != '\0') {
		return -EINVAL;
	}
	snprintf(out->str, sizeof(out->str), "%c%c%llu%s",
	         canonical_order(order, kind, out->itemsize), kind,
	         (unsigned long long)count, p);
	return 0;
}

int sa_dtype_from_trailer(int32_t typenum, int32_t itemsize, struct sa_dtype *out)
{
	const size_t size = itemsize > 0 ? (size_t)itemsize : 0;
	char kind = 0;
	uint64_t count = size;

	switch (typenum) {
	case SA_NPY_STRING: kind = 'S'; break;
	case SA_NPY_VOID: kind = 'V'; break;
	case SA_NPY_UNICODE:
		kind = 'U';
		if (size % 4)
			return -EBADMSG;
		count = size / 4;
		break;
	default:
		for (size_t i = 0; i < sizeof(fixed_types) / sizeof(fixed_types[0]); i++)
			if (fixed_types[i].typenum == typenum_alias(typenum))
				kind = fixed_types[i].kind;
		if (!kind || !find_fixed(kind, size) ||
		    find_fixed(kind, size)->typenum != typenum_alias(typenum))
			return -EBADMSG;  /* unknown, object, or wrong itemsize */
	}
	if (count == 0)
		return -EBADMSG;
	/* The original stores no datetime unit: numpy's generic one. */
	snprintf(out->str, sizeof(out->str), "%c%c%llu",
	         canonical_order(NATIVE, kind, size), kind, (unsigned long long)count);
	out->typenum = typenum_alias(typenum);
	out->itemsize = size;
	return 0;
}

bool sa_dtype_matches_trailer(const struct sa_dtype *dtype, int32_t typenum,
                              int32_t itemsize)
{
	return typenum_alias(typenum) == typenum_alias(dtype->typenum) &&
	       itemsize >= 0 && (size_t)itemsize == dtype->itemsize;
}
