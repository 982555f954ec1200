/*
 * test_format.c - segments byte by byte: the original trailer we write, the
 * original layouts we read, and corrupt metadata we refuse
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define TRAILER_V1 292
#define TRAILER_V2 548

static unsigned char *read_whole(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void shm_path(char *path, size_t len, const char *shm_name)
{
	snprintf(path, len, "/dev/shm/%s", shm_name + strlen("shm://"));
}

/* What sa_create writes, compared with a trailer built from the facts. */
static const struct {
	const char *dtype;
	int32_t typenum, itemsize;
} basic[] = {
	{ "|b1", 0, 1 },   { "|i1", 1, 1 },    { "|u1", 2, 1 },   { "<i2", 3, 2 },
	{ "<u2", 4, 2 },   { "<i4", 5, 4 },    { "<u4", 6, 4 },   { "<i8", 7, 8 },
	{ "<u8", 8, 8 },   { "<f4", 11, 4 },   { "<f8", 12, 8 },  { "<f16", 13, 16 },
	{ "<c8", 14, 8 },  { "<c16", 15, 16 }, { "<c32", 16, 32 }, { "|S5", 18, 5 },
	{ "<U3", 19, 12 }, { "|V7", 20, 7 },   { "<M8[ns]", 21, 8 }, { "<m8[s]", 22, 8 },
	{ "<f2", 23, 2 },
};

START_TEST(created_segment_has_original_trailer)
{
	const size_t shape[3] = { 2, 3, 5 };
	const int64_t dims[3] = { 2, 3, 5 };
	unsigned char expected[TRAILER_V1 + 8], *seg;
	char name[128], path[256];
	size_t len, nbytes = 30 * (size_t)basic[_i].itemsize;

	t_shm_name(name, sizeof(name), "trailer");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, basic[_i].dtype, 3, shape, 0, 0, NULL), 0);
	seg = read_whole(path, &len);
	t_legacy_segment(expected, sizeof(expected), 32, basic[_i].typenum,
	                 basic[_i].itemsize, 3, dims, 0, NULL);
	/* t_legacy_segment wrote size 0; the real size field: */
	memcpy(expected + 16, &(uint64_t){ nbytes }, 8);
	ck_assert_uint_ge(len, nbytes + TRAILER_V1);
	ck_assert_mem_eq(seg + len - TRAILER_V1, expected, TRAILER_V1);
	/* Data first, zero-filled. */
	for (size_t i = 0; i < nbytes; i++)
		ck_assert_uint_eq(seg[i], 0);
	free(seg);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* An original segment of either layout attaches with its dtype, shape, data. */
static void check_legacy_attach(int slots, const char *tag)
{
	const int64_t dims[2] = { 3, 4 };
	double data[12];
	unsigned char seg[sizeof(data) + TRAILER_V2];
	char name[128], path[256];
	sa_array *array;
	sa_info *info;
	size_t len;

	for (int i = 0; i < 12; i++)
		data[i] = i * 1.25;
	len = t_legacy_segment(seg, sizeof(seg), slots, 12, 8, 2, dims, sizeof(data), data);
	t_shm_name(name, sizeof(name), tag);
	shm_path(path, sizeof(path), name);
	t_write_file(path, seg, len);

	ck_assert_int_eq(sa_attach(name, 0, &array), 0);
	ck_assert_str_eq(sa_dtype(array), "<f8");
	ck_assert_int_eq(sa_ndim(array), 2);
	ck_assert_uint_eq(sa_shape(array)[0], 3);
	ck_assert_uint_eq(sa_shape(array)[1], 4);
	ck_assert_uint_eq(sa_nbytes(array), sizeof(data));
	ck_assert_int_eq(sa_order(array), 'C');
	ck_assert_ptr_null(sa_descr(array));
	ck_assert_mem_eq(sa_data(array), data, sizeof(data));
	ck_assert_uint_eq(sa_map_size(array), len);
	((double *)sa_data(array))[11] = -1;  /* writable, and shared */
	ck_assert_int_eq(sa_detach(array), 0);

	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_int_eq(sa_info_format(info), 0);
	ck_assert_uint_eq(sa_info_segment_size(info), len);
	sa_info_free(info);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	ck_assert(((double *)sa_data(array))[11] == -1);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}

START_TEST(original_numpy1_layout_attaches)
{
	check_legacy_attach(32, "v1");
}
END_TEST

START_TEST(original_numpy2_layout_attaches)
{
	check_legacy_attach(64, "v2");
}
END_TEST

/* numpy 2 builds allow 64 dims; such a segment reads with all of them. */
START_TEST(original_numpy2_layout_with_40_dims)
{
	int64_t dims[40];
	unsigned char seg[8 + TRAILER_V2];
	char name[128], path[256];
	sa_array *array;

	for (int i = 0; i < 40; i++)
		dims[i] = 1;
	dims[39] = 2;
	t_legacy_segment(seg, sizeof(seg), 64, 5, 4, 40, dims, 8, "\1\0\0\0\2\0\0\0");
	t_shm_name(name, sizeof(name), "dims40");
	shm_path(path, sizeof(path), name);
	t_write_file(path, seg, sizeof(seg));
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	ck_assert_int_eq(sa_ndim(array), 40);
	ck_assert_uint_eq(sa_shape(array)[39], 2);
	ck_assert_int_eq(((int32_t *)sa_data(array))[1], 2);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* numpy's long long numbers (9, 10) are the same 8-byte integers. */
START_TEST(original_longlong_typenums)
{
	const int64_t dims[1] = { 2 };
	unsigned char seg[16 + TRAILER_V1];
	char name[128], path[256];
	sa_info *info;

	t_shm_name(name, sizeof(name), "longlong");
	shm_path(path, sizeof(path), name);
	t_write_file(path, seg, t_legacy_segment(seg, sizeof(seg), 32, 9, 8, 1, dims, 16, NULL));
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_str_eq(sa_info_dtype(info), "<i8");
	sa_info_free(info);
	t_write_file(path, seg, t_legacy_segment(seg, sizeof(seg), 32, 10, 8, 1, dims, 16, NULL));
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_str_eq(sa_info_dtype(info), "<u8");
	sa_info_free(info);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/*
 * Corrupt metadata: each gets -EBADMSG from attach and stat, list skips it,
 * and delete removes it only when the magic is there.
 */
struct corrupt {
	const char *what;
	int32_t typenum, itemsize, ndims;
	int64_t dims[2];
	uint64_t size;
	long truncate_to;       /* >= 0: cut the segment to this length */
	bool break_magic;
};

static const struct corrupt corrupt[] = {
	{ "short file", 12, 8, 1, { 2 }, 16, 100, false },
	{ "wrong magic", 12, 8, 1, { 2 }, 16, -1, true },
	{ "ndims above 32", 12, 8, 33, { 2 }, 16, -1, false },
	{ "negative ndims", 12, 8, -1, { 2 }, 16, -1, false },
	{ "negative dim", 12, 8, 2, { -2, -1 }, 16, -1, false },
	{ "dims product overflows", 2, 1, 2, { INT64_C(1) << 62, INT64_C(1) << 62 }, 16, -1, false },
	{ "dims disagree with size", 12, 8, 1, { 3 }, 16, -1, false },
	{ "size beyond the file", 12, 8, 1, { 1000 }, 8000, -1, false },
	{ "unknown typenum", 99, 8, 1, { 2 }, 16, -1, false },
	{ "typenum 24", 24, 8, 1, { 2 }, 16, -1, false },
	{ "negative typenum", -1, 8, 1, { 2 }, 16, -1, false },
	{ "itemsize disagrees with type", 12, 4, 1, { 4 }, 16, -1, false },
	{ "object dtype", 17, 8, 1, { 2 }, 16, -1, false },
	{ "unicode itemsize not 4n", 19, 6, 1, { 2 }, 12, -1, false },
	{ "zero itemsize", 18, 0, 1, { 2 }, 0, -1, false },
	{ "negative itemsize", 18, -4, 1, { 2 }, 16, -1, false },
};

START_TEST(corrupt_metadata_is_ebadmsg)
{
	const struct corrupt *c = &corrupt[_i];
	unsigned char seg[64 + TRAILER_V1];
	char name[128], path[256], *dir = t_make_tmpdir();
	size_t len;
	sa_info **list;
	sa_array *array = NULL;
	sa_info *info = NULL;

	len = t_legacy_segment(seg, sizeof(seg), 32, c->typenum, c->itemsize, c->ndims,
	                       c->dims, c->size > 64 ? 16 : c->size, NULL);
	if (c->size > 64)  /* claims more than the file holds */
		memcpy(seg + 16 + 16, &c->size, 8);
	if (c->break_magic)
		seg[len - TRAILER_V1 + 1] = 'x';
	if (c->truncate_to >= 0)
		len = (size_t)c->truncate_to;
	t_shm_name(name, sizeof(name), "corrupt");
	shm_path(path, sizeof(path), name);
	t_write_file(path, seg, len);

	ck_assert_msg(sa_attach(name, 0, &array) == -EBADMSG, "attach: %s", c->what);
	ck_assert_ptr_null(array);
	ck_assert_msg(sa_attach(name, SA_RDONLY, &array) == -EBADMSG, "attach ro: %s", c->what);
	ck_assert_msg(sa_stat(name, &info) == -EBADMSG, "stat: %s", c->what);
	ck_assert_ptr_null(info);

	snprintf(path, sizeof(path), "%s/corrupt.sa", dir);
	t_write_file(path, seg, len);
	ck_assert_int_eq(sa_list(dir, &list), 0);
	ck_assert_ptr_null(list[0]);
	sa_list_free(list);
	t_remove_tree(dir);
	free(dir);

	if (c->break_magic || c->truncate_to >= 0) {
		ck_assert_int_eq(sa_delete(name), -EBADMSG);
		ck_assert_int_eq(sa_stat(name, &info), -EBADMSG);  /* still there */
		shm_path(path, sizeof(path), name);
		ck_assert_int_eq(unlink(path), 0);
	} else {
		/* Corrupt but ours: operators can clean it up. */
		ck_assert_int_eq(sa_delete(name), 0);
		ck_assert_int_eq(sa_stat(name, &info), -ENOENT);
	}
}
END_TEST

/* Flip the Fortran bit of the extension record: still well-formed, but its CRC no longer matches. */
START_TEST(corrupt_extension_record_is_ebadmsg)
{
	const size_t shape[1] = { 3 };
	char name[128], path[256];
	unsigned char *seg;
	size_t len;
	sa_array *array;

	t_shm_name(name, sizeof(name), "ext");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, "<M8[ns]", 1, shape, 0, 0, NULL), 0);
	seg = read_whole(path, &len);
	ck_assert_mem_eq(seg + 24, "[SAext]", 8);   /* right after the 24 data bytes */
	seg[24 + 32] ^= 1;                           /* flags: Fortran order */
	t_write_file(path, seg, len);
	ck_assert_int_eq(sa_attach(name, 0, &array), -EBADMSG);
	ck_assert_int_eq(sa_delete(name), 0);
	free(seg);
}
END_TEST

/* The handle keeps its validated copy: later writes to the trailer don't matter. */
START_TEST(metadata_changed_after_attach_is_ignored)
{
	const size_t shape[2] = { 4, 5 };
	char name[128], path[256];
	unsigned char garbage[TRAILER_V1];
	sa_array *array;
	int fd;

	t_shm_name(name, sizeof(name), "changed");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, "<i4", 2, shape, 0, 0, &array), 0);
	memset(garbage, 0x7f, sizeof(garbage));
	fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, garbage, sizeof(garbage),
	                        (off_t)(sa_map_size(array) - sizeof(garbage))), sizeof(garbage));
	close(fd);
	ck_assert_int_eq(sa_ndim(array), 2);
	ck_assert_uint_eq(sa_shape(array)[1], 5);
	ck_assert_str_eq(sa_dtype(array), "<i4");
	ck_assert_uint_eq(sa_nbytes(array), 80);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_attach(name, 0, &array), -EBADMSG);
	ck_assert_int_eq(sa_delete(name), -EBADMSG);  /* the magic is gone too */
	ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* Not regular files: refused without blocking (a FIFO open could hang). */
START_TEST(non_files_are_not_arrays)
{
	char name[128], path[256];
	sa_array *array;

	alarm(20);
	t_shm_name(name, sizeof(name), "fifo");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(mkfifo(path, 0666), 0);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), -EBADMSG);
	ck_assert_int_eq(sa_attach(name, 0, &array), -EBADMSG);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -EBADMSG);
	ck_assert_int_eq(sa_delete(name), -EBADMSG);
	ck_assert_int_eq(unlink(path), 0);

	t_shm_name(name, sizeof(name), "dir");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(sa_attach(name, 0, &array), -EBADMSG);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), -EBADMSG);
	ck_assert_int_eq(sa_delete(name), -EBADMSG);
	ck_assert_int_eq(rmdir(path), 0);

	t_shm_name(name, sizeof(name), "empty");
	shm_path(path, sizeof(path), name);
	t_write_file(path, "", 0);
	ck_assert_int_eq(sa_attach(name, 0, &array), -EBADMSG);
	ck_assert_int_eq(sa_delete(name), -EBADMSG);
	ck_assert_int_eq(unlink(path), 0);
}
END_TEST

START_TEST(fortran_order_and_description_are_kept)
{
	const size_t shape[2] = { 2, 3 };
	static const char descr[] = "[('x', '<f8'), ('y', '<i4')]";
	char name[128];
	sa_array *array;
	sa_info *info;

	t_shm_name(name, sizeof(name), "ext");
	ck_assert_int_eq(sa_create_descr(name, "|V12", descr, 2, shape, SA_FORTRAN, 0, &array), 0);
	ck_assert_int_eq(sa_order(array), 'F');
	ck_assert_uint_eq(sa_flags(array) & SA_FORTRAN, SA_FORTRAN);
	ck_assert_str_eq(sa_descr(array), descr);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_int_eq(sa_info_order(info), 'F');
	ck_assert_str_eq(sa_info_descr(info), descr);
	ck_assert_int_eq(sa_info_format(info), 1);
	ck_assert_int_eq(sa_info_typenum(info), 20);
	sa_info_free(info);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	ck_assert_str_eq(sa_descr(array), descr);
	ck_assert_uint_eq(sa_flags(array), SA_RDONLY | SA_FORTRAN);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* A description longer than the first read of the tail needs a second read. */
START_TEST(long_description_round_trips)
{
	const size_t shape[1] = { 2 }, len = 100000;
	char name[128], *descr = malloc(len + 1);
	sa_array *array;
	sa_info *info;

	ck_assert_ptr_nonnull(descr);
	for (size_t i = 0; i < len; i++)
		descr[i] = (char)('a' + i % 26);
	descr[len] = '\0';
	t_shm_name(name, sizeof(name), "longdescr");
	ck_assert_int_eq(sa_create_descr(name, "|V16", descr, 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_str_eq(sa_info_descr(info), descr);
	sa_info_free(info);
	ck_assert_int_eq(sa_attach(name, 0, &array), 0);
	ck_assert_str_eq(sa_descr(array), descr);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	free(descr);
}
END_TEST

START_TEST(bad_descriptions_are_einval)
{
	const size_t shape[1] = { 2 };
	char name[128], *huge = malloc((1u << 20) + 2);

	ck_assert_ptr_nonnull(huge);
	memset(huge, 'x', (1u << 20) + 1);
	huge[(1u << 20) + 1] = '\0';
	t_shm_name(name, sizeof(name), "baddescr");
	ck_assert_int_eq(sa_create_descr(name, "<f8", "[('x', '<f8')]", 1, shape, 0, 0, NULL),
	                 -EINVAL);
	ck_assert_int_eq(sa_create_descr(name, "|V8", "", 1, shape, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_create_descr(name, "|V8", huge, 1, shape, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
	free(huge);
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *written = tcase_create("written"), *read = tcase_create("read");

	tcase_add_loop_test(written, created_segment_has_original_trailer, 0,
	                    sizeof(basic) / sizeof(basic[0]));
	tcase_add_test(written, fortran_order_and_description_are_kept);
	tcase_add_test(written, long_description_round_trips);
	tcase_add_test(written, bad_descriptions_are_einval);
	tcase_add_test(read, original_numpy1_layout_attaches);
	tcase_add_test(read, original_numpy2_layout_attaches);
	tcase_add_test(read, original_numpy2_layout_with_40_dims);
	tcase_add_test(read, original_longlong_typenums);
	tcase_add_loop_test(read, corrupt_metadata_is_ebadmsg, 0,
	                    sizeof(corrupt) / sizeof(corrupt[0]));
	tcase_add_test(read, corrupt_extension_record_is_ebadmsg);
	tcase_add_test(read, metadata_changed_after_attach_is_ignored);
	tcase_add_test(read, non_files_are_not_arrays);
	suite_add_tcase(s, written);
	suite_add_tcase(s, read);
	return s;
}

int main(void)
{
	return t_run_suite(format_suite());
}
