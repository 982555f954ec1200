/*
 * test_identity.c - sa_identity, sa_info_dev, sa_info_ino
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const size_t shape[1] = { 16 };

/* The identity of an attachment is the file's, by whatever name it came. */
START_TEST(test_same_file_by_any_route)
{
	char name[128], path[160];
	sa_array *created, *by_shm, *by_file;
	dev_t dev[3];
	ino_t ino[3];
	struct stat st;

	t_bare_name(name, sizeof(name), "id");
	snprintf(path, sizeof(path), "file:///dev/shm/%s", name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT32, 1, shape, 0, 0600, &created), 0);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &by_shm), 0);
	ck_assert_int_eq(sa_attach(path, 0, &by_file), 0);
	ck_assert_int_eq(sa_identity(created, &dev[0], &ino[0]), 0);
	ck_assert_int_eq(sa_identity(by_shm, &dev[1], &ino[1]), 0);
	ck_assert_int_eq(sa_identity(by_file, &dev[2], &ino[2]), 0);
	ck_assert_int_eq(stat(path + strlen("file://"), &st), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(dev[i], st.st_dev);
		ck_assert_uint_eq(ino[i], st.st_ino);
	}
	ck_assert_int_eq(sa_identity(by_file, NULL, NULL), 0);
	sa_detach(created);
	sa_detach(by_shm);
	sa_detach(by_file);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* A name deleted and given to another array no longer names the attached one. */
START_TEST(test_reused_name_differs)
{
	char *dir = t_make_tmpdir(), name[512];
	sa_array *old, *new_array;
	sa_info *info;
	dev_t dev_old, dev_new;
	ino_t ino_old, ino_new;

	snprintf(name, sizeof(name), "file://%s/a.sa", dir);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, &old), 0);
	ck_assert_int_eq(sa_identity(old, &dev_old, &ino_old), 0);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_uint_eq(sa_info_dev(info), dev_old);
	ck_assert_uint_eq(sa_info_ino(info), ino_old);
	sa_info_free(info);

	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, &new_array), 0);
	ck_assert_int_eq(sa_identity(new_array, &dev_new, &ino_new), 0);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_uint_eq(sa_info_ino(info), ino_new);
	/* old is still mapped, so its inode cannot have been reused. */
	ck_assert(sa_info_dev(info) != dev_old || sa_info_ino(info) != ino_old);
	sa_info_free(info);
	sa_detach(old);
	sa_detach(new_array);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/* The entries of sa_list carry the identity of their files. */
START_TEST(test_list_entries)
{
	char *dir = t_make_tmpdir(), name[512], path[512];
	sa_info **list;
	struct stat st;

	snprintf(name, sizeof(name), "file://%s/b.sa", dir);
	snprintf(path, sizeof(path), "%s/b.sa", dir);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(sa_list(dir, &list), 1);
	ck_assert_uint_eq(sa_info_dev(list[0]), st.st_dev);
	ck_assert_uint_eq(sa_info_ino(list[0]), st.st_ino);
	sa_list_free(list);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_null_arguments)
{
	dev_t dev = 1;
	ino_t ino = 1;

	ck_assert_int_eq(sa_identity(NULL, &dev, &ino), -EINVAL);
	ck_assert_uint_eq(dev, 1);
	ck_assert_uint_eq(ino, 1);
	ck_assert_uint_eq(sa_info_dev(NULL), 0);
	ck_assert_uint_eq(sa_info_ino(NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("identity");

	tcase_add_test(tc, test_same_file_by_any_route);
	tcase_add_test(tc, test_reused_name_differs);
	tcase_add_test(tc, test_list_entries);
	tcase_add_test(tc, test_null_arguments);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
