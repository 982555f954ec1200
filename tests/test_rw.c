/*
 * test_rw.c - sa_pwrite, sa_pread: an array's data through its file
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const size_t shape[2] = { 4, 1000 };  /* 32,000 bytes of int64 */

struct written {
	const char *name;
	int64_t first, last;
};

/* Another process attaches the array and finds what was written. */
static int check_in_child(void *arg)
{
	const struct written *w = arg;
	sa_array *array;
	const int64_t *data;
	int ok;

	if (sa_attach(w->name, SA_RDONLY, &array) < 0)
		return 2;
	data = sa_data(array);
	ok = data[0] == w->first && data[3999] == w->last && data[1] == 1;
	sa_detach(array);
	return ok ? 0 : 1;
}

/* Written through the file, read through the mapping, here and elsewhere. */
START_TEST(test_write_then_map)
{
	char name[128];
	sa_array *array;
	int64_t *values = malloc(4000 * sizeof(int64_t)), *data;
	struct written w = { name, -5, 3999 };

	t_shm_name(name, sizeof(name), "rw");
	for (int i = 0; i < 4000; i++)
		values[i] = i;
	values[0] = -5;
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 2, shape, 0, 0600, &array), 0);
	ck_assert_int_eq(sa_pwrite(array, values, 4000 * sizeof(int64_t), 0), 0);
	data = sa_data(array);
	ck_assert_int_eq(data[0], -5);
	ck_assert_int_eq(data[3999], 3999);
	ck_assert_int_eq(t_in_child(check_in_child, &w), 0);

	/* A part, at an offset; then read back through the file. */
	values[0] = 77;
	ck_assert_int_eq(sa_pwrite(array, values, sizeof(int64_t), 10 * sizeof(int64_t)), 0);
	ck_assert_int_eq(data[10], 77);
	data[11] = 88;
	memset(values, 0, 4000 * sizeof(int64_t));
	ck_assert_int_eq(sa_pread(array, values, 4000 * sizeof(int64_t), 0), 0);
	ck_assert_int_eq(values[10], 77);
	ck_assert_int_eq(values[11], 88);
	ck_assert_int_eq(values[3999], 3999);
	ck_assert_int_eq(sa_pread(array, values, 0, 32000), 0);  /* nothing, at the end */
	sa_detach(array);
	ck_assert_int_eq(sa_delete(name), 0);
	free(values);
}
END_TEST

/* Bad ranges and handles change nothing. */
START_TEST(test_bad_arguments)
{
	char name[128];
	sa_array *array, *ro;
	int64_t value = 9, *data;

	t_shm_name(name, sizeof(name), "rw");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 2, shape, 0, 0600, &array), 0);
	data = sa_data(array);
	ck_assert_int_eq(sa_pwrite(NULL, &value, 8, 0), -EINVAL);
	ck_assert_int_eq(sa_pread(NULL, &value, 8, 0), -EINVAL);
	ck_assert_int_eq(sa_pwrite(array, NULL, 8, 0), -EINVAL);
	ck_assert_int_eq(sa_pread(array, NULL, 8, 0), -EINVAL);
	ck_assert_int_eq(sa_pwrite(array, &value, 8, 32000 - 7), -EINVAL);
	ck_assert_int_eq(sa_pwrite(array, &value, 8, 32001), -EINVAL);
	ck_assert_int_eq(sa_pwrite(array, &value, SIZE_MAX, 8), -EINVAL);
	ck_assert_int_eq(sa_pread(array, &value, 8, SIZE_MAX), -EINVAL);
	ck_assert_int_eq(sa_pwrite(array, &value, 8, 32000 - 8), 0);
	ck_assert_int_eq(data[3999], 9);

	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &ro), 0);
	ck_assert_int_eq(sa_pwrite(ro, &value, 8, 0), -EBADF);
	ck_assert_int_eq(data[0], 0);
	ck_assert_int_eq(sa_pread(ro, &value, 8, 0), 0);
	ck_assert_int_eq(value, 0);
	sa_detach(ro);
	sa_detach(array);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* Once the name is gone, the file cannot be found again: the mapping still works. */
START_TEST(test_deleted_name)
{
	char name[128];
	sa_array *array, *early, *other;
	int64_t value = 5;

	t_shm_name(name, sizeof(name), "rw");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 2, shape, 0, 0600, &array), 0);
	ck_assert_int_eq(sa_attach(name, 0, &early), 0);
	ck_assert_int_eq(sa_pread(early, &value, 8, 0), 0);  /* opens its descriptor */
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 2, shape, 0, 0600, &other), 0);
	value = 5;
	ck_assert_int_eq(sa_pwrite(array, &value, 8, 0), -EIDRM);
	ck_assert_int_eq(((int64_t *)sa_data(other))[0], 0);  /* never the other array */
	ck_assert_int_eq(sa_pwrite(early, &value, 8, 0), 0);  /* its descriptor is the segment's */
	ck_assert_int_eq(((int64_t *)sa_data(array))[0], 5);
	ck_assert_int_eq(((int64_t *)sa_data(other))[0], 0);
	sa_detach(array);
	sa_detach(early);
	sa_detach(other);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rw");
	TCase *tc = tcase_create("rw");

	tcase_add_test(tc, test_write_then_map);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_deleted_name);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
