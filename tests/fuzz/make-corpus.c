/*
 * make-corpus.c - writes the fuzzers' seed corpora (make fuzz-corpus)
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: make-corpus DIR.  Writes DIR/fuzz_format/ and DIR/fuzz_attach/
 * (whole segments: what sa_create writes for every dtype, shape and order;
 * original SharedArray 3.x segments with 292- and 548-byte trailers for
 * every numpy type number; truncated and corrupted copies of some), and
 * DIR/fuzz_name/ and DIR/fuzz_dtype/ (names and type strings).  The output
 * is committed; run it again only when the format changes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sharedarray.h"

#define TRAILER_V1 292
#define TRAILER_V2 548

static const char *out_dir;

static void die(const char *what, int err)
{
	fprintf(stderr, "make-corpus: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(EXIT_FAILURE);
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die(path, errno);
	if (len && write(fd, data, len) != (ssize_t)len)
		die(path, errno);
	if (close(fd) < 0)
		die(path, errno);
}

static unsigned char *read_file(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		die(path, errno);
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		die(path, errno);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* A seed for one target: DIR/TARGET/NAME. */
static void seed(const char *target, const char *name, const void *data, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path, errno);
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	write_file(path, data, len);
}

/* Whole segments seed both the decoder and the end-to-end target. */
static void segment_seed(const char *name, const unsigned char *seg, size_t len)
{
	seed("fuzz_format", name, seg, len);
	seed("fuzz_attach", name, seg, len);
}

/* Truncated copies: the tail cut off at several points. */
static void truncated_seeds(const char *name, const unsigned char *seg, size_t len)
{
	const size_t cuts[] = { len - 1, len / 2, TRAILER_V1 - 1, TRAILER_V1, 36, 1 };
	char cut_name[NAME_MAX];

	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		if (cuts[i] == 0 || cuts[i] >= len)
			continue;
		snprintf(cut_name, sizeof(cut_name), "%s-cut%zu", name, cuts[i]);
		segment_seed(cut_name, seg, cuts[i]);
	}
	/* The head cut off instead: only the tail remains, in a shorter file. */
	if (len > TRAILER_V1 + 8) {
		snprintf(cut_name, sizeof(cut_name), "%s-tailonly", name);
		segment_seed(cut_name, seg + len - TRAILER_V1 - 8, TRAILER_V1 + 8);
	}
}

/* A file name for a type string: "<M8[ns]" -> "leM8ns". */
static void dtype_tag(const char *dtype, char *tag, size_t len)
{
	size_t n = 0;

	for (const char *p = dtype; *p && n + 3 < len; p++) {
		const char *word = *p == '<' ? "le" : *p == '>' ? "be" : *p == '|' ? "na" : NULL;

		if (word) {
			memcpy(tag + n, word, 2);
			n += 2;
		} else if (*p != '[' && *p != ']') {
			tag[n++] = *p;
		}
	}
	tag[n] = '\0';
}

/* What sa_create writes, read back from a file:// array in TMPDIR. */
static unsigned char *created(const char *tmpdir, const char *dtype, const char *descr,
                              int ndim, const size_t *shape, unsigned flags, size_t *len)
{
	char name[PATH_MAX + 8], path[PATH_MAX];
	unsigned char *seg, *data;
	sa_array *array;
	int ret;

	snprintf(path, sizeof(path), "%s/seg", tmpdir);
	snprintf(name, sizeof(name), "file://%s", path);
	ret = sa_create_descr(name, dtype, descr, ndim, shape, flags, 0644, &array);
	if (ret < 0)
		die(dtype, ret);
	/* Data that is not all zeros, so the data region is visible. */
	data = sa_data(array);
	for (size_t i = 0; i < sa_nbytes(array); i++)
		data[i] = (unsigned char)(i * 37 + 11);
	sa_detach(array);
	seg = read_file(path, len);
	if ((ret = sa_delete(name)) < 0)
		die(name, ret);
	return seg;
}

static const char *const dtypes[] = {
	"|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f2", "<f4",
	"<f8", "<f16", "<c8", "<c16", "<c32", "|S1", "|S10", "<U1", "<U4", "|V1",
	"|V12", "<M8", "<M8[ns]", "<M8[25us]", "<m8[s]", "<m8[D]", ">f8", ">i4",
	">U2", ">c8",
};

static void created_seeds(const char *tmpdir)
{
	static const size_t shape23[2] = { 2, 3 }, shape3[1] = { 3 }, shape0[1] = { 0 };
	static const size_t shape_odd[3] = { 1, 3, 5 };
	size_t ones[32], len;
	unsigned char *seg;
	char tag[64], name[NAME_MAX], *long_descr;

	for (size_t i = 0; i < sizeof(dtypes) / sizeof(dtypes[0]); i++) {
		dtype_tag(dtypes[i], tag, sizeof(tag));
		snprintf(name, sizeof(name), "ext-%s-2x3", tag);
		seg = created(tmpdir, dtypes[i], NULL, 2, shape23, 0, &len);
		segment_seed(name, seg, len);
		free(seg);
	}
	/* Shapes and orders, for a few types. */
	for (size_t i = 0; i < 4; i++) {
		const char *dtype = (const char *[]){ "<f8", "|u1", "<U3", "<M8[ms]" }[i];

		dtype_tag(dtype, tag, sizeof(tag));
		snprintf(name, sizeof(name), "ext-%s-scalar", tag);
		seg = created(tmpdir, dtype, NULL, 0, NULL, 0, &len);
		segment_seed(name, seg, len);
		free(seg);
		snprintf(name, sizeof(name), "ext-%s-empty", tag);
		seg = created(tmpdir, dtype, NULL, 1, shape0, 0, &len);
		segment_seed(name, seg, len);
		free(seg);
		snprintf(name, sizeof(name), "ext-%s-3", tag);
		seg = created(tmpdir, dtype, NULL, 1, shape3, 0, &len);
		segment_seed(name, seg, len);
		free(seg);
		snprintf(name, sizeof(name), "ext-%s-1x3x5-fortran", tag);
		seg = created(tmpdir, dtype, NULL, 3, shape_odd, SA_FORTRAN, &len);
		segment_seed(name, seg, len);
		if (i == 0)
			truncated_seeds(name, seg, len);
		free(seg);
	}
	for (size_t i = 0; i < 32; i++)
		ones[i] = 1;
	ones[31] = 2;
	seg = created(tmpdir, "<i4", NULL, 32, ones, 0, &len);
	segment_seed("ext-lei4-32dims", seg, len);
	free(seg);

	/* Structured dtypes carry a description. */
	seg = created(tmpdir, "|V12", "[('x', '<f8'), ('y', '<i4')]", 2, shape23, 0, &len);
	segment_seed("ext-naV12-descr", seg, len);
	truncated_seeds("ext-naV12-descr", seg, len);
	/* Corrupt the record: its CRC no longer matches. */
	seg[len - TRAILER_V1 - 8] ^= 0x55;
	segment_seed("ext-naV12-descr-badcrc", seg, len);
	free(seg);

	/* A description longer than the first read of the tail (1024 bytes). */
	long_descr = malloc(3001);
	if (!long_descr)
		die("malloc", ENOMEM);
	for (size_t i = 0; i < 3000; i++)
		long_descr[i] = (char)('a' + i % 26);
	long_descr[3000] = '\0';
	seg = created(tmpdir, "|V4", long_descr, 1, shape3, SA_FORTRAN, &len);
	segment_seed("ext-naV4-longdescr", seg, len);
	truncated_seeds("ext-naV4-longdescr", seg, len);
	free(seg);
	free(long_descr);
}

/* An original SharedArray 3.x segment: data, then the packed trailer. */
static size_t legacy(unsigned char *buf, int slots, int32_t typenum, int32_t itemsize,
                     int32_t ndims, const int64_t *dims)
{
	uint64_t size = (uint64_t)itemsize;
	const size_t trailer = 36 + 8 * (size_t)slots;
	unsigned char *t;

	for (int i = 0; i < ndims; i++)
		size *= (uint64_t)dims[i];
	t = buf + size;
	for (uint64_t i = 0; i < size; i++)
		buf[i] = (unsigned char)(i * 37 + 11);
	memset(t, 0, trailer);
	memcpy(t, "[SharedArray]", 13);
	memcpy(t + 16, &size, 8);
	memcpy(t + 24, &typenum, 4);
	memcpy(t + 28, &itemsize, 4);
	memcpy(t + 32, &ndims, 4);
	for (int i = 0; i < ndims; i++)
		memcpy(t + 36 + 8 * (size_t)i, &dims[i], 8);
	return (size_t)size + trailer;
}

static void legacy_seeds(void)
{
	/* itemsize of each numpy type number, 0..23, on x86_64 */
	static const int32_t itemsizes[24] = {
		1, 1, 1, 2, 2, 4, 4, 8, 8, 8, 8, 4, 8, 16, 8, 16, 32, 8, 5, 8, 3, 8, 8, 2,
	};
	static const int64_t dims22[2] = { 2, 2 };
	int64_t dims40[40];
	unsigned char buf[4096];
	char name[NAME_MAX];
	size_t len;

	for (int slots = 32; slots <= 64; slots += 32) {
		const char *layout = slots == 32 ? "v1" : "v2";

		for (int32_t typenum = 0; typenum < 24; typenum++) {
			snprintf(name, sizeof(name), "%s-typenum%d-2x2", layout, typenum);
			len = legacy(buf, slots, typenum, itemsizes[typenum], 2, dims22);
			segment_seed(name, buf, len);
			if (typenum == 12)
				truncated_seeds(name, buf, len);
		}
		snprintf(name, sizeof(name), "%s-typenum12-scalar", layout);
		segment_seed(name, buf, legacy(buf, slots, 12, 8, 0, NULL));
		snprintf(name, sizeof(name), "%s-typenum12-badmagic", layout);
		len = legacy(buf, slots, 12, 8, 2, dims22);
		buf[len - 36 - 8 * (size_t)slots + 3] = 'x';
		segment_seed(name, buf, len);
	}
	for (int i = 0; i < 40; i++)
		dims40[i] = 1;
	dims40[39] = 3;
	segment_seed("v2-typenum5-40dims", buf, legacy(buf, 64, 5, 4, 40, dims40));
}

static void name_seeds(void)
{
	static const char *const names[] = {
		"a", "frames", "shm://frames", "file:///tmp/x.sa", "file://rel/x.sa",
		"file://x", "file:///", "file://", "shm://", "", "http://x", "shm://a/b",
		"file:///tmp/.", "file:///tmp/..", ".", "..", "shm://..", "file:///tmp//x",
		"SHM://a", "file:/x", "shm:/a", "sem.x",
	};
	char name[16], *longest = malloc(PATH_MAX + 16);

	if (!longest)
		die("malloc", ENOMEM);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "name%02zu", i);
		seed("fuzz_name", name, names[i], strlen(names[i]));
	}
	/* NAME_MAX and PATH_MAX, and one past each. */
	memset(longest, 'n', NAME_MAX + 1);
	seed("fuzz_name", "name-max", longest, NAME_MAX);
	seed("fuzz_name", "name-max1", longest, NAME_MAX + 1);
	memcpy(longest, "file:///", 8);
	for (size_t i = 8; i < PATH_MAX + 8; i++)
		longest[i] = i % 200 == 0 ? '/' : 'p';
	seed("fuzz_name", "path-max", longest, PATH_MAX + 7 - 1);
	seed("fuzz_name", "path-max1", longest, PATH_MAX + 7);
	free(longest);
}

static void dtype_seeds(void)
{
	static const char *const bad[] = {
		"|O", "<O8", "<f3", "M8[ns]", "<M8[", "<M8[xs]", "<U0", "=f8", "f8",
		"<S", "|V2147483647", "<U536870911", "<i08", "", "<", "<c64",
	};
	static const int32_t trailer_pairs[][2] = {
		{ 12, 8 }, { 19, 12 }, { 18, 0 }, { 17, 8 }, { 23, 2 }, { 9, 8 }, { -1, 4 },
	};
	char name[32];

	for (size_t i = 0; i < sizeof(dtypes) / sizeof(dtypes[0]); i++) {
		snprintf(name, sizeof(name), "dtype%02zu", i);
		seed("fuzz_dtype", name, dtypes[i], strlen(dtypes[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "bad%02zu", i);
		seed("fuzz_dtype", name, bad[i], strlen(bad[i]));
	}
	for (size_t i = 0; i < sizeof(trailer_pairs) / sizeof(trailer_pairs[0]); i++) {
		snprintf(name, sizeof(name), "trailer%02zu", i);
		seed("fuzz_dtype", name, trailer_pairs[i], sizeof(trailer_pairs[i]));
	}
}

int main(int argc, char **argv)
{
	char tmpdir[] = "/tmp/sa-corpus-XXXXXX";

	if (argc != 2) {
		fprintf(stderr, "usage: make-corpus DIR\n");
		return EXIT_FAILURE;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) < 0 && errno != EEXIST)
		die(out_dir, errno);
	if (!mkdtemp(tmpdir))
		die(tmpdir, errno);
	created_seeds(tmpdir);
	rmdir(tmpdir);
	legacy_seeds();
	name_seeds();
	dtype_seeds();
	return EXIT_SUCCESS;
}
