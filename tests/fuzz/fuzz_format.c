/*
 * fuzz_format.c - libFuzzer target: the segment metadata decoder
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is a whole segment (the seeds are real ones: sa_create output
 * and original-layout segments of 292- and 548-byte trailers, whole and
 * truncated).  It is decoded twice:
 *   - as a file of exactly the input's size, the way attach, stat and list
 *     read it (the last SA_TAIL_READ bytes, then more if the decoder asks);
 *   - as the tail of a larger file: the first 5 bytes say how many bytes of
 *     data come before it (up to 2^40), so that sizes far beyond the input
 *     are tried without a large input.
 * Every tail handed to the decoder is an exactly sized heap copy, so ASan
 * reports any read outside it.  A successful decode must describe a
 * consistent array that fits in the file, and encoding it again must decode
 * to the same array.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

static void check_dtype(const struct sa_dtype *dtype)
{
	struct sa_dtype again;

	FUZZ_CHECK(memchr(dtype->str, '\0', sizeof(dtype->str)) != NULL);
	FUZZ_CHECK(dtype->itemsize > 0 && dtype->itemsize <= INT32_MAX);
	FUZZ_CHECK(dtype->typenum >= 0 && dtype->typenum < SA_NPY_NTYPES &&
	           dtype->typenum != SA_NPY_OBJECT);
	/* The canonical type string parses to itself. */
	FUZZ_CHECK(sa_dtype_parse(dtype->str, &again) == 0);
	FUZZ_CHECK(strcmp(again.str, dtype->str) == 0);
	FUZZ_CHECK(again.itemsize == dtype->itemsize);
	FUZZ_CHECK(sa_dtype_matches_trailer(&again, dtype->typenum, (int32_t)dtype->itemsize));
}

/* What a successful decode promises. */
static void check_meta(const struct sa_meta *meta, const unsigned char *tail,
                       size_t tail_len, uint64_t file_size)
{
	uint64_t count = 1, nbytes;

	check_dtype(&meta->dtype);
	FUZZ_CHECK(meta->ndim >= 0 && meta->ndim <= SA_TRAILER_DIMS_V2);
	for (int i = 0; i < meta->ndim; i++)
		FUZZ_CHECK(!__builtin_mul_overflow(count, (uint64_t)meta->shape[i], &count));
	FUZZ_CHECK(!__builtin_mul_overflow(count, (uint64_t)meta->dtype.itemsize, &nbytes));
	FUZZ_CHECK(nbytes == meta->nbytes);
	/* The data and at least the smaller trailer fit in the file. */
	FUZZ_CHECK(meta->nbytes <= file_size - SA_TRAILER_SIZE(SA_TRAILER_DIMS_V1));
	FUZZ_CHECK(meta->segment_size == file_size);
	FUZZ_CHECK(meta->order == 'C' || meta->order == 'F');
	FUZZ_CHECK(meta->format == 0 || meta->format == SA_EXT_VERSION);
	if (meta->format == 0)
		FUZZ_CHECK(meta->order == 'C' && meta->descr == NULL);
	if (meta->descr) {
		const char *begin = (const char *)tail, *end = begin + tail_len;

		/* Inside the record, which ends where the (smaller) trailer begins. */
		FUZZ_CHECK(meta->descr >= begin &&
		           meta->descr_len < (size_t)(end - SA_TRAILER_SIZE(SA_TRAILER_DIMS_V1) -
		                                      meta->descr));
		FUZZ_CHECK(meta->descr_len > 0 && meta->descr_len <= SA_DESCR_MAX);
		FUZZ_CHECK(meta->descr[meta->descr_len] == '\0');
		FUZZ_CHECK(strlen(meta->descr) == meta->descr_len);
		FUZZ_CHECK(meta->dtype.str[1] == 'V');
	}
}

/* Encoding a decoded array (as sa_create would) decodes to the same array. */
static void check_round_trip(const struct sa_meta *meta)
{
	struct sa_meta copy = *meta, again;
	uint64_t offset;
	unsigned char *buf;
	size_t len;

	if (meta->ndim > SA_MAX_NDIM)
		return;  /* only a numpy 2.x original writes those; we do not */
	copy.format = SA_EXT_VERSION;
	FUZZ_CHECK(sa_format_layout(&copy, &offset, &len) == 0);
	FUZZ_CHECK(offset >= meta->nbytes && offset - meta->nbytes < 8);
	buf = malloc(len);
	FUZZ_CHECK(buf != NULL);
	sa_format_encode(&copy, buf, len);
	FUZZ_CHECK(sa_format_has_magic(buf, len));
	FUZZ_CHECK(sa_format_decode(buf, len, offset + len, &again) == 0);
	FUZZ_CHECK(strcmp(again.dtype.str, meta->dtype.str) == 0);
	FUZZ_CHECK(again.dtype.typenum == meta->dtype.typenum);
	FUZZ_CHECK(again.dtype.itemsize == meta->dtype.itemsize);
	FUZZ_CHECK(again.ndim == meta->ndim);
	FUZZ_CHECK(memcmp(again.shape, meta->shape, sizeof(size_t) * (size_t)meta->ndim) == 0);
	FUZZ_CHECK(again.nbytes == meta->nbytes);
	FUZZ_CHECK(again.order == meta->order);
	FUZZ_CHECK(again.format == SA_EXT_VERSION);
	FUZZ_CHECK((again.descr == NULL) == (meta->descr == NULL));
	if (meta->descr)
		FUZZ_CHECK(again.descr_len == meta->descr_len &&
		           memcmp(again.descr, meta->descr, meta->descr_len) == 0);
	free(buf);
}

/* Decode the last TAIL_LEN bytes of SEGMENT as a FILE_SIZE-byte file. */
static long decode_tail(const uint8_t *segment, size_t segment_len, size_t tail_len,
                        uint64_t file_size)
{
	unsigned char *tail = fuzz_copy(segment + segment_len - tail_len, tail_len);
	struct sa_meta meta;
	long ret;

	(void)sa_format_has_magic(tail, tail_len);
	ret = sa_format_decode(tail, tail_len, file_size, &meta);
	FUZZ_CHECK(ret == 0 || ret == -EBADMSG || ret > 0);
	if (ret > 0) {
		/* More tail, never more than the file, and more than was given. */
		FUZZ_CHECK((uint64_t)ret <= file_size && (size_t)ret > tail_len);
	} else if (ret == 0) {
		check_meta(&meta, tail, tail_len, file_size);
		check_round_trip(&meta);
	}
	free(tail);
	return ret;
}

/* As read_meta in info.c: the usual tail, then once more if asked. */
static void decode_file(const uint8_t *data, size_t size, uint64_t file_size)
{
	size_t len = size < SA_TAIL_READ ? size : SA_TAIL_READ;
	long need;

	need = decode_tail(data, size, len, file_size);
	if (need > 0 && (uint64_t)need <= size)
		decode_tail(data, size, (size_t)need, file_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t before = 0;

	decode_file(data, size, size);
	if (size > 5) {
		memcpy(&before, data, 5);   /* little-endian: up to 2^40 */
		data += 5;
		size -= 5;
		decode_file(data, size, size + before);
	}
	return 0;
}
