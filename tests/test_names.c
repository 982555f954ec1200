/*
 * test_names.c - array names: schemes, bad names, lengths
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const size_t shape4[1] = { 4 };

static const struct {
	const char *name;
	int error;
} bad_names[] = {
	{ "", -EINVAL },
	{ "shm://", -EINVAL },
	{ "file://", -EINVAL },
	{ "a/b", -EINVAL },
	{ "shm://a/b", -EINVAL },
	{ "/leading-slash", -EINVAL },
	{ "http://x", -EINVAL },
	{ "ftp://host/x", -EINVAL },
	{ ".", -EINVAL },
	{ "..", -EINVAL },
	{ "shm://..", -EINVAL },
	{ "file:///tmp/", -EINVAL },
	{ "file:///tmp/.", -EINVAL },
	{ "file:///tmp/..", -EINVAL },
};

/* Every entry point refuses a bad name with the same errno, touching nothing. */
START_TEST(bad_name_refused_everywhere)
{
	const char *name = bad_names[_i].name;
	const int error = bad_names[_i].error;
	sa_array *array = NULL;
	sa_info *info = NULL;

	ck_assert_int_eq(sa_create(name, "<f8", 1, shape4, 0, 0, &array), error);
	ck_assert_ptr_null(array);
	ck_assert_int_eq(sa_attach(name, 0, &array), error);
	ck_assert_ptr_null(array);
	ck_assert_int_eq(sa_stat(name, &info), error);
	ck_assert_ptr_null(info);
	ck_assert_int_eq(sa_delete(name), error);
}
END_TEST

START_TEST(null_name_is_einval)
{
	sa_array *array;
	sa_info *info;

	ck_assert_int_eq(sa_create(NULL, "<f8", 1, shape4, 0, 0, &array), -EINVAL);
	ck_assert_int_eq(sa_attach(NULL, 0, &array), -EINVAL);
	ck_assert_int_eq(sa_stat(NULL, &info), -EINVAL);
	ck_assert_int_eq(sa_delete(NULL), -EINVAL);
}
END_TEST

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

START_TEST(shm_name_length_limit)
{
	char *longest = repeat('n', NAME_MAX), *too_long = repeat('n', NAME_MAX + 1);
	char prefixed[NAME_MAX + 16];

	/* Unique enough: a 255-byte name of one letter, cleaned at once. */
	ck_assert_int_eq(sa_create(longest, "|u1", 1, shape4, 0, 0, NULL), 0);
	snprintf(prefixed, sizeof(prefixed), "shm://%s", longest);
	ck_assert_int_eq(sa_delete(prefixed), 0);
	ck_assert_int_eq(sa_create(too_long, "|u1", 1, shape4, 0, 0, NULL), -ENAMETOOLONG);
	ck_assert_int_eq(sa_attach(too_long, 0, &(sa_array *){ NULL }), -ENAMETOOLONG);
	ck_assert_int_eq(sa_delete(too_long), -ENAMETOOLONG);
	free(longest);
	free(too_long);
}
END_TEST

START_TEST(file_path_length_limit)
{
	char *component = repeat('c', NAME_MAX + 1), *path = repeat('p', PATH_MAX);
	char name[PATH_MAX + NAME_MAX + 32];

	snprintf(name, sizeof(name), "file:///tmp/%s", component);
	ck_assert_int_eq(sa_create(name, "|u1", 1, shape4, 0, 0, NULL), -ENAMETOOLONG);
	snprintf(name, sizeof(name), "file:///%s", path);
	ck_assert_int_eq(sa_create(name, "|u1", 1, shape4, 0, 0, NULL), -ENAMETOOLONG);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENAMETOOLONG);
	free(component);
	free(path);
}
END_TEST

/* "NAME" and "shm://NAME" are one object: /dev/shm/NAME. */
START_TEST(bare_and_shm_prefix_are_the_same)
{
	char bare[128], prefixed[160], path[200];
	struct stat st;
	sa_array *array;

	t_bare_name(bare, sizeof(bare), "bare");
	snprintf(prefixed, sizeof(prefixed), "shm://%s", bare);
	snprintf(path, sizeof(path), "/dev/shm/%s", bare);
	ck_assert_int_eq(sa_create(bare, "<i4", 1, shape4, 0, 0, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(sa_attach(prefixed, 0, &array), 0);
	ck_assert_str_eq(sa_name(array), prefixed);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(prefixed), 0);
	ck_assert_int_eq(sa_attach(bare, 0, &array), -ENOENT);
}
END_TEST

START_TEST(file_scheme_absolute_and_relative)
{
	char *dir = t_make_tmpdir(), name[256], cwd[PATH_MAX];
	struct stat st;
	sa_array *array;

	snprintf(name, sizeof(name), "file://%s/abs.sa", dir);
	ck_assert_int_eq(sa_create(name, "<f4", 1, shape4, 0, 0, NULL), 0);
	snprintf(name, sizeof(name), "%s/abs.sa", dir);
	ck_assert_int_eq(stat(name, &st), 0);

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(sa_attach("file://abs.sa", SA_RDONLY, &array), 0);
	ck_assert_int_eq(sa_ndim(array), 1);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_create("file://rel.sa", "<f4", 0, NULL, 0, 0, NULL), 0);
	ck_assert_int_eq(stat("rel.sa", &st), 0);
	ck_assert_int_eq(sa_delete("file://rel.sa"), 0);
	ck_assert_int_eq(sa_delete("file://abs.sa"), 0);
	ck_assert_int_eq(chdir(cwd), 0);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(file_in_missing_directory)
{
	ck_assert_int_eq(sa_create("file:///nonexistent-sa-dir/x.sa", "<f8", 1, shape4, 0, 0,
	                           NULL), -ENOENT);
	ck_assert_int_eq(sa_attach("file:///nonexistent-sa-dir/x.sa", 0, &(sa_array *){ NULL }),
	                 -ENOENT);
}
END_TEST

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("names");

	tcase_add_loop_test(tc, bad_name_refused_everywhere, 0,
	                    sizeof(bad_names) / sizeof(bad_names[0]));
	tcase_add_test(tc, null_name_is_einval);
	tcase_add_test(tc, shm_name_length_limit);
	tcase_add_test(tc, file_path_length_limit);
	tcase_add_test(tc, bare_and_shm_prefix_are_the_same);
	tcase_add_test(tc, file_scheme_absolute_and_relative);
	tcase_add_test(tc, file_in_missing_directory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(names_suite());
}
