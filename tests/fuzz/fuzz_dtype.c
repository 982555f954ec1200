/*
 * fuzz_dtype.c - libFuzzer target: dtype strings and original trailer types
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input, cut at its first NUL, is a type string for sa_dtype_parse: it is
 * refused (EINVAL, or ENOTSUP for objects) or parsed into a canonical string
 * that parses to itself and agrees with the type number and itemsize it is
 * stored as.  The input's first 8 bytes are also an original trailer's
 * (typenum, itemsize) for sa_dtype_from_trailer, with the same promises.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

static void check_dtype(const struct sa_dtype *dtype)
{
	struct sa_dtype again;

	FUZZ_CHECK(memchr(dtype->str, '\0', sizeof(dtype->str)) != NULL);
	FUZZ_CHECK(strchr("<>|", dtype->str[0]) != NULL);
	FUZZ_CHECK(dtype->itemsize > 0 && dtype->itemsize <= INT32_MAX);
	FUZZ_CHECK(dtype->typenum >= 0 && dtype->typenum < SA_NPY_NTYPES &&
	           dtype->typenum != SA_NPY_OBJECT);
	FUZZ_CHECK(sa_dtype_parse(dtype->str, &again) == 0);
	FUZZ_CHECK(strcmp(again.str, dtype->str) == 0);
	FUZZ_CHECK(again.typenum == dtype->typenum && again.itemsize == dtype->itemsize);
	FUZZ_CHECK(sa_dtype_matches_trailer(dtype, dtype->typenum, (int32_t)dtype->itemsize));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *str = fuzz_string(data, size);
	struct sa_dtype dtype, stored;
	int ret;

	ret = sa_dtype_parse(str, &dtype);
	if (ret == 0) {
		check_dtype(&dtype);
		/* What an original trailer records reads back as the same type. */
		FUZZ_CHECK(sa_dtype_from_trailer(dtype.typenum, (int32_t)dtype.itemsize,
		                                 &stored) == 0);
		FUZZ_CHECK(stored.typenum == dtype.typenum && stored.itemsize == dtype.itemsize);
		FUZZ_CHECK(stored.str[1] == dtype.str[1]);
	} else {
		FUZZ_CHECK(ret == -EINVAL || ret == -ENOTSUP);
	}
	free(str);

	if (size >= 8) {
		int32_t typenum, itemsize;

		memcpy(&typenum, data, 4);
		memcpy(&itemsize, data + 4, 4);
		ret = sa_dtype_from_trailer(typenum, itemsize, &dtype);
		if (ret == 0) {
			check_dtype(&dtype);
			FUZZ_CHECK(sa_dtype_matches_trailer(&dtype, typenum, itemsize));
		} else {
			FUZZ_CHECK(ret == -EBADMSG);
		}
	}
	return 0;
}
