/*
 * parse.c - the command's own syntax: SHAPE, --mode, dtype names
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Only the command line's syntax is checked here.  Whether a shape, mode or
 * type string is acceptable for an array is the library's decision.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tool.h"

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A decimal count without sign: 0 or -EINVAL (also when it overflows size_t). */
static int parse_dim(const char **p, size_t *out)
{
	const char *s = *p;
	size_t value = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		size_t digit = (size_t)(*s - '0');

		if (value > (SIZE_MAX - digit) / 10)
			return -EINVAL;
		value = value * 10 + digit;
	}
	*p = s;
	*out = value;
	return 0;
}

int parse_shape(const char *text, int *ndim, size_t *shape, int max_ndim)
{
	const char *p = skip_spaces(text);
	bool parens = false;
	char sep = 0;
	int n = 0;

	if (*p == '(') {
		parens = true;
		p = skip_spaces(p + 1);
	}
	while (*p && *p != ')') {
		if (n == max_ndim || parse_dim(&p, &shape[n]) < 0)
			return -EINVAL;
		n++;
		p = skip_spaces(p);
		if (*p == '\0' || *p == ')')
			break;
		/* One separator throughout: 3x4x5 or 3,4,5. */
		if ((*p != 'x' && *p != 'X' && *p != ',') ||
		    (sep && (*p == ',') != (sep == ',')))
			return -EINVAL;
		sep = *p;
		p = skip_spaces(p + 1);
		/* A tuple's trailing comma, as in Python's "(5,)" */
		if (sep == ',' && parens && *p == ')')
			break;
		if (*p == '\0' || *p == ')')
			return -EINVAL;
	}
	if (parens) {
		if (*p != ')')
			return -EINVAL;
		p = skip_spaces(p + 1);
	} else if (*p == ')') {
		return -EINVAL;
	}
	if (*p != '\0')
		return -EINVAL;
	*ndim = n;
	return 0;
}

int parse_mode(const char *text, mode_t *mode)
{
	mode_t value = 0;

	if (!*text || strlen(text) > 4)
		return -EINVAL;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '7')
			return -EINVAL;
		value = value * 8 + (mode_t)(*p - '0');
	}
	if (value > 0777)
		return -EINVAL;
	*mode = value;
	return 0;
}

static const struct {
	const char *name, *type;
} aliases[] = {
	{ "bool", SA_DTYPE_BOOL },
	{ "int8", SA_DTYPE_INT8 }, { "uint8", SA_DTYPE_UINT8 },
	{ "int16", SA_DTYPE_INT16 }, { "uint16", SA_DTYPE_UINT16 },
	{ "int32", SA_DTYPE_INT32 }, { "uint32", SA_DTYPE_UINT32 },
	{ "int64", SA_DTYPE_INT64 }, { "uint64", SA_DTYPE_UINT64 },
	{ "float16", SA_DTYPE_FLOAT16 }, { "float32", SA_DTYPE_FLOAT32 },
	{ "float64", SA_DTYPE_FLOAT64 },
	{ "complex64", SA_DTYPE_COMPLEX64 }, { "complex128", SA_DTYPE_COMPLEX128 },
};

const char *dtype_alias(const char *text)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(text, aliases[i].name) == 0)
			return aliases[i].type;
	return text;
}
