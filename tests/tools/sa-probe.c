/*
 * sa-probe.c - the C side of the sharedarray command's tests
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   sa-probe describe NAME    attach NAME read-only and print what it is:
 *                             dtype=<f8 ndim=2 shape=3,4 order=C nbytes=96 zero=1
 *   sa-probe fill NAME DTYPE SHAPE VALUE...
 *                             create NAME (SHAPE like 3,4 or - for 0-d) holding
 *                             VALUEs in memory order; "seq" fills 0, 1, 2...
 *   sa-probe legacy PATH      write an original SharedArray 3.x segment: a 2x2
 *                             float64 array 1, 2, 3, 4 with the 292-byte trailer
 *   sa-probe hold NAME shared|exclusive
 *                             take NAME's lock, print "held", and keep it until
 *                             killed
 *   sa-probe keep NAME...     attach each NAME (read-only), print "held", and
 *                             keep them until standard input ends
 *   sa-probe version          print sa_version()
 *
 * Exit status 0, or 1 with a message.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sharedarray.h"

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "sa-probe: %s %s: %s\n", what, name, sa_strerror(err));
	return 1;
}

static int describe(const char *name)
{
	const unsigned char *data;
	sa_array *array;
	int err, zero = 1;

	err = sa_attach(name, SA_RDONLY, &array);
	if (err < 0)
		return fail("attach", name, err);
	printf("dtype=%s ndim=%d shape=", sa_dtype(array), sa_ndim(array));
	for (int i = 0; i < sa_ndim(array); i++)
		printf("%s%zu", i ? "," : "", sa_shape(array)[i]);
	data = sa_data(array);
	for (size_t i = 0; i < sa_nbytes(array); i++)
		if (data[i])
			zero = 0;
	printf(" order=%c nbytes=%zu zero=%d\n", sa_order(array), sa_nbytes(array), zero);
	return sa_detach(array) < 0;
}

static int parse_shape(const char *text, size_t *shape)
{
	int ndim = 0;

	if (strcmp(text, "-") == 0)
		return 0;
	for (char *end; *text; text = *end ? end + 1 : end) {
		shape[ndim++] = strtoull(text, &end, 10);
		if (ndim == SA_MAX_NDIM)
			break;
	}
	return ndim;
}

/* Store VALUE (or the number SEQ) as one element of kind KIND at P. */
static void store(char kind, size_t size, const char *value, size_t seq, unsigned char *p)
{
	const bool is_seq = strcmp(value, "seq") == 0;
	long long i = is_seq ? (long long)seq : 0;
	double d = is_seq ? (double)seq : 0;

	switch (kind) {
	case 'b':
		p[0] = is_seq ? seq % 2 : (strcmp(value, "True") == 0 || strcmp(value, "1") == 0);
		return;
	case 'i': case 'u': case 'M': case 'm':
		if (!is_seq)
			i = strcmp(value, "NaT") == 0 ? INT64_MIN : strtoll(value, NULL, 0);
		memcpy(p, &i, size);  /* little-endian: the low bytes come first */
		return;
	case 'f': case 'c': {
		double parts[2] = { d, 0 };

		if (!is_seq) {
			char *end;

			parts[0] = strtod(value, &end);
			if (*end == ',')
				parts[1] = strtod(end + 1, NULL);
		}
		for (int k = 0; k < (kind == 'c' ? 2 : 1); k++) {
			const size_t part = kind == 'c' ? size / 2 : size;

			if (part == 4) {
				const float f = (float)parts[k];

				memcpy(p + (size_t)k * part, &f, 4);
			} else {
				memcpy(p + (size_t)k * part, &parts[k], 8);
			}
		}
		return;
	}
	case 'S':
		memcpy(p, value, strlen(value) < size ? strlen(value) : size);
		return;
	case 'U':
		for (size_t k = 0; value[k] && 4 * k < size; k++) {
			const uint32_t cp = (unsigned char)value[k];

			memcpy(p + 4 * k, &cp, 4);
		}
		return;
	}
}

static int fill(const char *name, const char *dtype, const char *shape_text,
                int nvalues, char **values)
{
	size_t shape[SA_MAX_NDIM] = { 0 }, count = 1, itemsize;
	const int ndim = parse_shape(shape_text, shape);
	unsigned char *data;
	sa_array *array;
	int err;

	err = sa_create(name, dtype, ndim, shape, 0, 0600, &array);
	if (err < 0)
		return fail("create", name, err);
	for (int i = 0; i < ndim; i++)
		count *= shape[i];
	itemsize = sa_itemsize(array);
	data = sa_data(array);
	for (size_t i = 0; i < count && nvalues > 0; i++)
		store(sa_dtype(array)[1], itemsize,
		      values[(size_t)nvalues == 1 ? 0 : i % (size_t)nvalues], i,
		      data + i * itemsize);
	return sa_detach(array) < 0;
}

static int legacy(const char *path)
{
	const double data[4] = { 1, 2, 3, 4 };
	const uint64_t size = sizeof(data);
	const int32_t typenum = 12, itemsize = 8, ndims = 2;
	const int64_t dims[2] = { 2, 2 };
	unsigned char trailer[292] = "[SharedArray]";
	FILE *f = fopen(path, "wbx");

	if (!f)
		return fail("create", path, -errno);
	memcpy(trailer + 16, &size, 8);
	memcpy(trailer + 24, &typenum, 4);
	memcpy(trailer + 28, &itemsize, 4);
	memcpy(trailer + 32, &ndims, 4);
	memcpy(trailer + 36, dims, sizeof(dims));
	if (fwrite(data, sizeof(data), 1, f) != 1 || fwrite(trailer, sizeof(trailer), 1, f) != 1)
		return fail("write", path, -EIO);
	return fclose(f) != 0;
}

static int hold(const char *name, const char *how)
{
	sa_array *array;
	int err;

	err = sa_attach(name, 0, &array);
	if (err < 0)
		return fail("attach", name, err);
	err = sa_lock(array, strcmp(how, "shared") == 0 ? SA_LOCK_SHARED : SA_LOCK_EXCLUSIVE, -1);
	if (err < 0)
		return fail("lock", name, err);
	if (puts("held") < 0 || fflush(stdout) != 0)
		return 1;
	for (;;)
		pause();
}

static int keep(int count, char **names)
{
	sa_array **arrays = calloc((size_t)count, sizeof(*arrays));
	char buf[64];
	int status = 0;

	for (int i = 0; i < count; i++) {
		const int err = sa_attach(names[i], SA_RDONLY, &arrays[i]);

		if (err < 0)
			return fail("attach", names[i], err);
	}
	puts("held");
	fflush(stdout);
	while (fread(buf, 1, sizeof(buf), stdin) > 0)
		;
	for (int i = 0; i < count; i++)
		status |= sa_detach(arrays[i]) < 0;
	free(arrays);
	return status;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "describe") == 0)
		return describe(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "fill") == 0)
		return fill(argv[2], argv[3], argv[4], argc - 5, argv + 5);
	if (argc == 3 && strcmp(argv[1], "legacy") == 0)
		return legacy(argv[2]);
	if (argc == 4 && strcmp(argv[1], "hold") == 0)
		return hold(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "keep") == 0)
		return keep(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "version") == 0)
		return puts(sa_version()) < 0;
	fprintf(stderr, "usage: sa-probe describe|fill|legacy|hold|keep|version ...\n");
	return 2;
}
