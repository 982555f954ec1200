/*
 * test_exist_ok.c - sa_create with SA_EXIST_OK: create-or-attach
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define CHECK(cond, code) do { if (!(cond)) return (code); } while (0)

static bool under_valgrind(void)
{
	return getenv("SA_TEST_VALGRIND") != NULL;
}

static const size_t shape2[2] = { 3, 4 };

START_TEST(test_creates_then_attaches)
{
	char name[128];
	sa_array *first, *second;
	dev_t dev[2];
	ino_t ino[2];

	t_shm_name(name, sizeof(name), "exist");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2, SA_EXIST_OK, 0600, &first), 0);
	((double *)sa_data(first))[5] = 2.5;
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2, SA_EXIST_OK, 0600, &second), 1);
	ck_assert_int_eq(sa_identity(first, &dev[0], &ino[0]), 0);
	ck_assert_int_eq(sa_identity(second, &dev[1], &ino[1]), 0);
	ck_assert_uint_eq(dev[0], dev[1]);
	ck_assert_uint_eq(ino[0], ino[1]);
	ck_assert(((double *)sa_data(second))[5] == 2.5);
	ck_assert_uint_eq(sa_flags(second) & SA_RDONLY, 0);  /* read-write */
	((double *)sa_data(second))[0] = 1.0;
	ck_assert(((double *)sa_data(first))[0] == 1.0);
	/* Without OUT, and with an equivalent spelling of the dtype. */
	ck_assert_int_eq(sa_create(name, "=f8", 2, shape2, SA_EXIST_OK, 0, NULL), 1);
	ck_assert_int_eq(sa_create(name, "f8", 2, shape2, SA_EXIST_OK | SA_POPULATE, 0, NULL), 1);
	ck_assert_int_eq(sa_detach(second), 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2,
	                           SA_EXIST_OK | SA_POPULATE | SA_RESERVE, 0, &second), 1);
	ck_assert_int_eq(sa_detach(second), 0);
	ck_assert_int_eq(sa_detach(first), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2, SA_EXIST_OK, 0, NULL), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* Another dtype, shape or order: EEXIST, and the array is left as it was. */
START_TEST(test_different_array_is_eexist)
{
	const size_t other_shape[2] = { 4, 3 }, flat[1] = { 12 };
	char name[128];
	sa_array *array, *out = (sa_array *)&out;
	sa_info *info;

	t_shm_name(name, sizeof(name), "differ");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2, 0, 0600, &array), 0);
	((double *)sa_data(array))[1] = 7.0;
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT32, 2, shape2, SA_EXIST_OK, 0, &out), -EEXIST);
	ck_assert_ptr_eq(out, (sa_array *)&out);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, other_shape, SA_EXIST_OK, 0, &out),
	                 -EEXIST);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, flat, SA_EXIST_OK, 0, NULL), -EEXIST);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2, SA_EXIST_OK | SA_FORTRAN, 0,
	                           &out), -EEXIST);
	ck_assert_int_eq(sa_create(name, ">f8", 2, shape2, SA_EXIST_OK, 0, NULL), -EEXIST);
	ck_assert_int_eq(sa_create_descr(name, "|V8", "[('a', '<f8')]", 2, shape2, SA_EXIST_OK, 0,
	                                 NULL), -EEXIST);
	/* Bad arguments are EINVAL, whatever the name holds. */
	ck_assert_int_eq(sa_create(name, "<f9", 2, shape2, SA_EXIST_OK, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, -1, shape2, SA_EXIST_OK, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape2, SA_EXIST_OK | 0x1000, 0, NULL),
	                 -EINVAL);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_str_eq(sa_info_dtype(info), SA_DTYPE_FLOAT64);
	ck_assert_int_eq(sa_info_order(info), 'C');
	sa_info_free(info);
	ck_assert(((double *)sa_data(array))[1] == 7.0);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(test_structured_description_is_part_of_the_dtype)
{
	const size_t n[1] = { 5 };
	char name[128];

	t_shm_name(name, sizeof(name), "descr");
	ck_assert_int_eq(sa_create_descr(name, "|V8", "[('a', '<f8')]", 1, n, SA_EXIST_OK, 0, NULL),
	                 0);
	ck_assert_int_eq(sa_create_descr(name, "|V8", "[('a', '<f8')]", 1, n, SA_EXIST_OK, 0, NULL),
	                 1);
	ck_assert_int_eq(sa_create_descr(name, "|V8", "[('b', '<f8')]", 1, n, SA_EXIST_OK, 0, NULL),
	                 -EEXIST);
	ck_assert_int_eq(sa_create(name, "|V8", 1, n, SA_EXIST_OK, 0, NULL), -EEXIST);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* Something that is no array under the name: EBADMSG, and left alone. */
START_TEST(test_not_an_array_is_ebadmsg)
{
	char *dir = t_make_tmpdir(), path[512], name[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/junk", dir);
	t_write_file(path, "no trailer here", 15);
	snprintf(name, sizeof(name), "file://%s", path);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 2, shape2, SA_EXIST_OK, 0, NULL), -EBADMSG);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 15);
	snprintf(path, sizeof(path), "%s/dir", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(name, sizeof(name), "file://%s", path);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 2, shape2, SA_EXIST_OK, 0, NULL), -EBADMSG);
	/* A dangling symbolic link: taken, yet never attachable. */
	snprintf(path, sizeof(path), "%s/link", dir);
	ck_assert_int_eq(symlink("/nonexistent/sa-target", path), 0);
	snprintf(name, sizeof(name), "file://%s", path);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 2, shape2, SA_EXIST_OK, 0, NULL), -EEXIST);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/* ---- races ------------------------------------------------------------------ */

#define RACERS 8

/* Create-or-attach at once with the others; mark slot INDEX of the array. */
static int racer(void *name, int index)
{
	const size_t shape[1] = { RACERS };
	sa_array *array;
	int ret;

	alarm(60);
	ret = sa_create(name, SA_DTYPE_INT64, 1, shape, SA_EXIST_OK, 0600, &array);
	CHECK(ret == 0 || ret == 1, 101);
	((int64_t *)sa_data(array))[index] = index + 1;
	CHECK(sa_detach(array) == 0, 102);
	return ret;
}

START_TEST(test_racers_end_with_one_array)
{
	const int rounds = under_valgrind() ? 5 : 40;

	for (int round = 0; round < rounds; round++) {
		pid_t pids[RACERS];
		int created = 0;
		char name[128];
		sa_array *array;

		t_shm_name(name, sizeof(name), "race");
		t_fork_together(RACERS, racer, name, pids);
		for (int i = 0; i < RACERS; i++) {
			const int status = t_wait(pids[i]);

			ck_assert_msg(status == 0 || status == 1, "round %d: racer exit %d", round, status);
			created += status == 0;
		}
		ck_assert_int_eq(created, 1);
		ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
		for (int i = 0; i < RACERS; i++)
			ck_assert_int_eq(((int64_t *)sa_data(array))[i], i + 1);
		ck_assert_int_eq(sa_detach(array), 0);
		ck_assert_int_eq(sa_delete(name), 0);
	}
}
END_TEST

/* While another process deletes the name again and again, never ENOENT. */
static int deleter(void *name)
{
	for (;;)
		sa_delete(name);
	return 0;
}

START_TEST(test_deleted_in_between_is_retried)
{
	const int rounds = under_valgrind() ? 100 : 1000;
	const size_t shape[1] = { 8 };
	int created = 0, attached = 0;
	char name[128];
	pid_t pid;

	t_shm_name(name, sizeof(name), "churn");
	pid = t_fork(deleter, name);
	for (int i = 0; i < rounds; i++) {
		sa_array *array;
		const int ret = sa_create(name, SA_DTYPE_INT64, 1, shape, SA_EXIST_OK, 0600, &array);

		ck_assert_msg(ret == 0 || ret == 1, "round %d: %d", i, ret);
		created += ret == 0;
		attached += ret == 1;
		ck_assert_int_eq(sa_ndim(array), 1);
		ck_assert_int_eq(sa_detach(array), 0);
	}
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	t_wait(pid);
	sa_delete(name);
	ck_assert_int_eq(created + attached, rounds);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("exist_ok");
	TCase *tc = tcase_create("exist_ok");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_creates_then_attaches);
	tcase_add_test(tc, test_different_array_is_eexist);
	tcase_add_test(tc, test_structured_description_is_part_of_the_dtype);
	tcase_add_test(tc, test_not_an_array_is_ebadmsg);
	tcase_add_test(tc, test_racers_end_with_one_array);
	tcase_add_test(tc, test_deleted_in_between_is_retried);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
