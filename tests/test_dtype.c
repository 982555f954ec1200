/*
 * test_dtype.c - type strings: every kind, canonical forms, bad ones
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "support.h"

static const struct {
	const char *given, *canonical;
	size_t itemsize;
	int typenum;
} good[] = {
	{ "|b1", "|b1", 1, 0 },     { "|i1", "|i1", 1, 1 },     { "|u1", "|u1", 1, 2 },
	{ "<i2", "<i2", 2, 3 },     { "<u2", "<u2", 2, 4 },     { "<i4", "<i4", 4, 5 },
	{ "<u4", "<u4", 4, 6 },     { "<i8", "<i8", 8, 7 },     { "<u8", "<u8", 8, 8 },
	{ "<f4", "<f4", 4, 11 },    { "<f8", "<f8", 8, 12 },    { "<f16", "<f16", 16, 13 },
	{ "<c8", "<c8", 8, 14 },    { "<c16", "<c16", 16, 15 }, { "<c32", "<c32", 32, 16 },
	{ "|S10", "|S10", 10, 18 }, { "<U4", "<U4", 16, 19 },   { "|V12", "|V12", 12, 20 },
	{ "<M8[ns]", "<M8[ns]", 8, 21 }, { "<m8[s]", "<m8[s]", 8, 22 },
	{ "<f2", "<f2", 2, 23 },
	/* byte orders numpy accepts, written the way numpy writes them */
	{ ">f8", ">f8", 8, 12 },    { ">i2", ">i2", 2, 3 },     { ">U2", ">U2", 8, 19 },
	{ "=f8", "<f8", 8, 12 },    { "f8", "<f8", 8, 12 },     { "<i1", "|i1", 1, 1 },
	{ "|f8", "<f8", 8, 12 },    { "S3", "|S3", 3, 18 },
	{ "<M8", "<M8", 8, 21 },    { "<M8[10ms]", "<M8[10ms]", 8, 21 },
	{ "<m8[us]", "<m8[us]", 8, 22 }, { ">M8[D]", ">M8[D]", 8, 21 },
	{ "<M8[Y]", "<M8[Y]", 8, 21 },   { "<m8[as]", "<m8[as]", 8, 22 },
};

START_TEST(good_dtype_round_trips)
{
	const size_t shape[2] = { 2, 3 };
	char name[128];
	sa_array *array;
	sa_info *info;

	t_shm_name(name, sizeof(name), "dtype");
	ck_assert_int_eq(sa_create(name, good[_i].given, 2, shape, 0, 0, &array), 0);
	ck_assert_str_eq(sa_dtype(array), good[_i].canonical);
	ck_assert_uint_eq(sa_itemsize(array), good[_i].itemsize);
	ck_assert_uint_eq(sa_nbytes(array), 6 * good[_i].itemsize);
	ck_assert_int_eq(sa_detach(array), 0);

	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	ck_assert_str_eq(sa_dtype(array), good[_i].canonical);
	ck_assert_uint_eq(sa_itemsize(array), good[_i].itemsize);
	ck_assert_int_eq(sa_detach(array), 0);

	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_str_eq(sa_info_dtype(info), good[_i].canonical);
	ck_assert_int_eq(sa_info_typenum(info), good[_i].typenum);
	sa_info_free(info);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

static const char *const invalid[] = {
	"", "<", "|", "<f", "<f3", "<f0", "<f08", "|S0", "|V0", "<U0", "<i3", "<i16",
	"<x8", "<f8x", "<f8 ", " <f8", "<<f8", "<M8[xs]", "<M8[ns", "<M8ns]", "<M8[]",
	"<M4", "<m16[s]", "|b2", "<S-1", "<S+1", "<U99999999999", "|S2147483648",
	"<M8[0ns]", "<f8[ns]", "<c4", "<f12",
	"<ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8",
};

START_TEST(invalid_dtype_is_einval)
{
	const size_t shape[1] = { 4 };
	char name[128];

	t_shm_name(name, sizeof(name), "baddtype");
	ck_assert_int_eq(sa_create(name, invalid[_i], 1, shape, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
}
END_TEST

START_TEST(null_dtype_is_einval)
{
	const size_t shape[1] = { 4 };
	char name[128];

	t_shm_name(name, sizeof(name), "nulldtype");
	ck_assert_int_eq(sa_create(name, NULL, 1, shape, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
}
END_TEST

/* Pointers mean nothing in another process: object arrays are refused. */
START_TEST(object_dtype_is_enotsup)
{
	static const char *const objects[] = { "|O", "|O8", "O", "<O8" };
	const size_t shape[1] = { 4 };
	char name[128];

	t_shm_name(name, sizeof(name), "object");
	for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		ck_assert_int_eq(sa_create(name, objects[i], 1, shape, 0, 0, NULL), -ENOTSUP);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
}
END_TEST

START_TEST(native_macros_match_the_machine)
{
	const size_t shape[1] = { 1 };
	char name[128];
	sa_array *array;

	t_shm_name(name, sizeof(name), "native");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0, &array), 0);
	*(double *)sa_data(array) = 1.5;
	ck_assert_uint_eq(sa_itemsize(array), sizeof(double));
	ck_assert_str_eq(sa_dtype(array), SA_DTYPE_FLOAT64);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_str_eq(SA_DTYPE_INT32, (*(const unsigned char *)&(int){ 1 }) ? "<i4" : ">i4");
	ck_assert_str_eq(SA_DTYPE_BOOL, "|b1");
	ck_assert_str_eq(SA_DTYPE_UINT8, "|u1");
}
END_TEST

static Suite *dtype_suite(void)
{
	Suite *s = suite_create("dtype");
	TCase *tc = tcase_create("dtype");

	tcase_add_loop_test(tc, good_dtype_round_trips, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, invalid_dtype_is_einval, 0, sizeof(invalid) / sizeof(invalid[0]));
	tcase_add_test(tc, null_dtype_is_einval);
	tcase_add_test(tc, object_dtype_is_enotsup);
	tcase_add_test(tc, native_macros_match_the_machine);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(dtype_suite());
}
