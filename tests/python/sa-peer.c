/*
 * sa-peer.c - a C program on the other side of the Python tests
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   sa-peer create NAME DTYPE DESCR ORDER [DIM...]
 *       Create NAME with sa_create_descr (DESCR "-": none; ORDER C or F) and
 *       fill it in memory order: element k is k for "<i4", k / 2.0 for
 *       "<f8", and otherwise byte k is (7 k + 3) mod 256.
 *   sa-peer dump NAME
 *       Attach NAME read-only and print what the library says of it, one
 *       "key value" line each: dtype, order, ndim, shape, descr, nbytes,
 *       and data as hex, in memory order.
 *
 * Exits 0, 1 with the library's message on stderr, or 2 for bad usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sharedarray.h"

static int fail(const char *what, const char *name, int ret)
{
	fprintf(stderr, "sa-peer: %s %s: %s\n", what, name, sa_strerror(ret));
	return 1;
}

static void fill(sa_array *array)
{
	const char *dtype = sa_dtype(array);
	const size_t nbytes = sa_nbytes(array);
	unsigned char *data = sa_data(array);

	if (strcmp(dtype, "<i4") == 0) {
		for (size_t k = 0; k < nbytes / 4; k++) {
			int32_t v = (int32_t)k;

			memcpy(data + 4 * k, &v, 4);
		}
	} else if (strcmp(dtype, "<f8") == 0) {
		for (size_t k = 0; k < nbytes / 8; k++) {
			double v = (double)k / 2.0;

			memcpy(data + 8 * k, &v, 8);
		}
	} else {
		for (size_t k = 0; k < nbytes; k++)
			data[k] = (unsigned char)(7 * k + 3);
	}
}

static int create(int argc, char **argv)
{
	const char *name = argv[0], *dtype = argv[1], *descr = argv[2], *order = argv[3];
	size_t shape[SA_MAX_NDIM + 1];
	const int ndim = argc - 4;
	sa_array *array;
	int ret;

	if (ndim > SA_MAX_NDIM + 1 || (strcmp(order, "C") != 0 && strcmp(order, "F") != 0))
		return 2;
	for (int i = 0; i < ndim; i++)
		shape[i] = (size_t)strtoull(argv[4 + i], NULL, 10);
	ret = sa_create_descr(name, dtype, strcmp(descr, "-") == 0 ? NULL : descr, ndim, shape,
	                      order[0] == 'F' ? SA_FORTRAN : 0, 0, &array);
	if (ret < 0)
		return fail("create", name, ret);
	fill(array);
	sa_detach(array);
	return 0;
}

static int dump(const char *name)
{
	const unsigned char *data;
	sa_array *array;
	int ret;

	ret = sa_attach(name, SA_RDONLY, &array);
	if (ret < 0)
		return fail("attach", name, ret);
	printf("dtype %s\norder %c\nndim %d\nshape", sa_dtype(array), sa_order(array),
	       sa_ndim(array));
	for (int i = 0; i < sa_ndim(array); i++)
		printf(" %zu", sa_shape(array)[i]);
	printf("\ndescr %s\nnbytes %zu\ndata ", sa_descr(array) ? sa_descr(array) : "-",
	       sa_nbytes(array));
	data = sa_data(array);
	for (size_t k = 0; k < sa_nbytes(array); k++)
		printf("%02x", data[k]);
	printf("\n");
	sa_detach(array);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 6 && strcmp(argv[1], "create") == 0)
		return create(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2]);
	fprintf(stderr, "usage: sa-peer create NAME DTYPE DESCR ORDER [DIM...]\n"
	                "       sa-peer dump NAME\n");
	return 2;
}
