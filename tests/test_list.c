/*
 * test_list.c - sa_list over a directory full of odd entries
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "support.h"

static void path_in(char *buf, size_t len, const char *dir, const char *entry)
{
	snprintf(buf, len, "%s/%s", dir, entry);
}

static void create_file_array(const char *dir, const char *entry, const char *dtype,
                              int ndim, const size_t *shape, unsigned flags)
{
	char name[512];

	snprintf(name, sizeof(name), "file://%s/%s", dir, entry);
	ck_assert_int_eq(sa_create(name, dtype, ndim, shape, flags, 0640, NULL), 0);
}

static void make_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_lt(strlen(path), sizeof(addr.sun_path));
	strcpy(addr.sun_path, path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
}

/* Everything that is not an array, in one directory with three arrays. */
static void populate_odd_entries(const char *dir)
{
	unsigned char garbage[2048];
	char path[512];
	int fd;

	path_in(path, sizeof(path), dir, "fifo");
	ck_assert_int_eq(mkfifo(path, 0666), 0);
	path_in(path, sizeof(path), dir, "socket");
	make_socket(path);
	path_in(path, sizeof(path), dir, "subdir");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	path_in(path, sizeof(path), dir, "link.sa");
	ck_assert_int_eq(symlink("a.sa", path), 0);
	path_in(path, sizeof(path), dir, "short");
	t_write_file(path, "[SharedArray]", 13);
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)(i * 7);
	path_in(path, sizeof(path), dir, "garbage");
	t_write_file(path, garbage, sizeof(garbage));
	path_in(path, sizeof(path), dir, "unreadable");
	t_write_file(path, garbage, sizeof(garbage));
	ck_assert_int_eq(chmod(path, 0), 0);
	/* 1 TiB, sparse: reading it whole would never finish. */
	path_in(path, sizeof(path), dir, "huge");
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)1 << 40), 0);
	close(fd);
	path_in(path, sizeof(path), dir, "empty");
	t_write_file(path, "", 0);
}

START_TEST(list_skips_everything_but_arrays)
{
	const size_t shape_a[2] = { 2, 3 }, shape_b[1] = { 10 };
	char *dir = t_make_tmpdir(), sub[512], prefixed[512];
	sa_info **list;
	int n;

	alarm(60);  /* a FIFO opened blocking or a full read would hang here */
	create_file_array(dir, "b.sa", "|u1", 1, shape_b, SA_FORTRAN);
	create_file_array(dir, "a.sa", "<f8", 2, shape_a, 0);
	create_file_array(dir, "c.sa", "<M8[us]", 0, NULL, 0);
	populate_odd_entries(dir);
	path_in(sub, sizeof(sub), dir, "subdir");
	create_file_array(sub, "nested.sa", "<f8", 0, NULL, 0);  /* no recursion */

	n = sa_list(dir, &list);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(sa_info_name(list[0]), "a.sa");
	ck_assert_str_eq(sa_info_name(list[1]), "b.sa");
	ck_assert_str_eq(sa_info_name(list[2]), "c.sa");
	ck_assert_ptr_null(list[3]);
	ck_assert_str_eq(sa_info_dtype(list[0]), "<f8");
	ck_assert_int_eq(sa_info_ndim(list[0]), 2);
	ck_assert_uint_eq(sa_info_shape(list[0])[1], 3);
	ck_assert_uint_eq(sa_info_nbytes(list[0]), 48);
	ck_assert_int_eq(sa_info_order(list[0]), 'C');
	ck_assert_int_eq(sa_info_order(list[1]), 'F');
	ck_assert_uint_eq(sa_info_itemsize(list[1]), 1);
	ck_assert_str_eq(sa_info_dtype(list[2]), "<M8[us]");
	ck_assert_int_eq(sa_info_ndim(list[2]), 0);
	ck_assert_uint_eq(sa_info_uid(list[0]), geteuid());
	ck_assert_uint_eq(sa_info_mode(list[0]) & 0600, 0600);
	ck_assert_int_gt(sa_info_mtime(list[0]), 0);
	ck_assert_uint_ge(sa_info_segment_size(list[0]), 48 + 292);
	sa_list_free(list);

	snprintf(prefixed, sizeof(prefixed), "file://%s", dir);
	ck_assert_int_eq(sa_list(prefixed, &list), 3);
	sa_list_free(list);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(empty_directory_lists_nothing)
{
	char *dir = t_make_tmpdir();
	sa_info **list = NULL;

	ck_assert_int_eq(sa_list(dir, &list), 0);
	ck_assert_ptr_nonnull(list);
	ck_assert_ptr_null(list[0]);
	sa_list_free(list);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(list_errors)
{
	char *dir = t_make_tmpdir(), file[512];
	sa_info **list = NULL;

	path_in(file, sizeof(file), dir, "plain");
	t_write_file(file, "x", 1);
	ck_assert_int_eq(sa_list(dir, NULL), -EINVAL);
	ck_assert_int_eq(sa_list("", &list), -EINVAL);
	ck_assert_int_eq(sa_list("/nonexistent-sa-dir", &list), -ENOENT);
	ck_assert_int_eq(sa_list(file, &list), -ENOTDIR);
	ck_assert_ptr_null(list);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

#ifdef SA_SHM_DIR
static bool listed(const char *bare)
{
	sa_info **list;
	bool found = false;
	int n = sa_list(NULL, &list);

	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++)
		found |= strcmp(sa_info_name(list[i]), bare) == 0;
	sa_list_free(list);
	return found;
}
#endif

/* The shm directory (shared with other programs: only our names are checked). */
#ifdef SA_SHM_DIR
START_TEST(shm_list_before_and_after_delete)
{
	const size_t shape[1] = { 3 };
	char bare[128];

	t_bare_name(bare, sizeof(bare), "listed");
	ck_assert(!listed(bare));
	ck_assert_int_eq(sa_create(bare, "<i2", 1, shape, 0, 0, NULL), 0);
	ck_assert(listed(bare));
	ck_assert_int_eq(sa_delete(bare), 0);
	ck_assert(!listed(bare));
}
END_TEST
#else
START_TEST(shm_list_before_and_after_delete)
{
	sa_info **list = NULL;

	/* Built --without-shm-dir: there is no directory to list. */
	ck_assert_int_eq(sa_list(NULL, &list), -ENOTSUP);
	ck_assert_ptr_null(list);
}
END_TEST
#endif

static Suite *list_suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("list");

	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, list_skips_everything_but_arrays);
	tcase_add_test(tc, empty_directory_lists_nothing);
	tcase_add_test(tc, list_errors);
	tcase_add_test(tc, shm_list_before_and_after_delete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(list_suite());
}
