/*
 * test_private_shm.c - root only: a private, tiny /dev/shm (unshare -m and a
 * tmpfs) for exact listings and for running out of space
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define KIB 1024

START_TEST(list_sees_exactly_the_arrays)
{
	const size_t shape[1] = { 16 };
	sa_info **list;

	ck_assert_int_eq(t_private_shm("4M"), 0);
	ck_assert_int_eq(sa_list(NULL, &list), 0);  /* fresh and empty */
	sa_list_free(list);
	ck_assert_int_eq(sa_create("zeta", "<f4", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(sa_create("shm://alpha", "|b1", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(mkfifo("/dev/shm/fifo", 0666), 0);
	ck_assert_int_eq(mkdir("/dev/shm/dir", 0755), 0);
	ck_assert_int_eq(symlink("alpha", "/dev/shm/link"), 0);
	t_write_file("/dev/shm/sem.other-program", "not an array at all", 19);
	t_write_file("/dev/shm/zero", "", 0);

	ck_assert_int_eq(sa_list(NULL, &list), 2);
	ck_assert_str_eq(sa_info_name(list[0]), "alpha");
	ck_assert_str_eq(sa_info_dtype(list[0]), "|b1");
	ck_assert_str_eq(sa_info_name(list[1]), "zeta");
	ck_assert_ptr_null(list[2]);
	sa_list_free(list);

	ck_assert_int_eq(sa_delete("alpha"), 0);
	ck_assert_int_eq(sa_list(NULL, &list), 1);
	ck_assert_str_eq(sa_info_name(list[0]), "zeta");
	sa_list_free(list);
	ck_assert_int_eq(sa_delete("sem.other-program"), -EBADMSG);
	ck_assert_int_eq(access("/dev/shm/sem.other-program", F_OK), 0);
}
END_TEST

/* tmpfs fills lazily; the original dies of SIGBUS later.  We refuse now. */
START_TEST(create_too_big_is_enospc_and_leaves_nothing)
{
	const size_t two_mib[1] = { 2048 * KIB };
	sa_array *array = NULL;
	sa_info **list;

	ck_assert_int_eq(t_private_shm("1M"), 0);
	ck_assert_int_eq(sa_create("big", "|u1", 1, two_mib, 0, 0, &array), -ENOSPC);
	ck_assert_ptr_null(array);
	ck_assert_int_eq(sa_create("big", "|u1", 1, two_mib, SA_RESERVE, 0, NULL), -ENOSPC);
	ck_assert_int_eq(sa_create("big", "|u1", 1, two_mib, SA_POPULATE, 0, NULL), -ENOSPC);
	ck_assert_int_eq(t_count_entries("/dev/shm", ""), 2);  /* . and .. */
	ck_assert_int_eq(sa_list(NULL, &list), 0);
	sa_list_free(list);
}
END_TEST

START_TEST(file_array_on_full_filesystem_is_enospc)
{
	const size_t two_mib[1] = { 2048 * KIB };
	char *dir = t_make_tmpdir(), name[512];

	ck_assert_int_eq(t_private_tmpfs(dir, "1M"), 0);
	snprintf(name, sizeof(name), "file://%s/big.sa", dir);
	ck_assert_int_eq(sa_create(name, "|u1", 1, two_mib, 0, 0, NULL), -ENOSPC);
	ck_assert_int_eq(t_count_entries(dir, ""), 2);
	free(dir);
}
END_TEST

START_TEST(taken_name_wins_over_no_space)
{
	const size_t small[1] = { 16 }, two_mib[1] = { 2048 * KIB };

	ck_assert_int_eq(t_private_shm("1M"), 0);
	ck_assert_int_eq(sa_create("x", "|u1", 1, small, 0, 0, NULL), 0);
	ck_assert_int_eq(sa_create("x", "|u1", 1, two_mib, 0, 0, NULL), -EEXIST);
}
END_TEST

/* Fill the filesystem up with an ordinary file. */
static void fill_filesystem(const char *path)
{
	static char chunk[4096];
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	ck_assert_int_ge(fd, 0);
	while (write(fd, chunk, sizeof(chunk)) > 0)
		;
	ck_assert_int_eq(errno, ENOSPC);
	close(fd);
}

static int write_every_byte(void *name)
{
	sa_array *array;

	if (sa_attach(name, 0, &array) < 0)
		return 10;
	memset(sa_data(array), 0xab, sa_nbytes(array));
	return sa_detach(array) < 0 ? 11 : 0;
}

/* Reserved: every byte can be written later on a full filesystem. */
START_TEST(reserved_array_survives_a_full_filesystem)
{
	const size_t shape[1] = { 600 * KIB };

	ck_assert_int_eq(t_private_shm("1M"), 0);
	ck_assert_int_eq(sa_create("reserved", "|u1", 1, shape, SA_RESERVE, 0, NULL), 0);
	fill_filesystem("/dev/shm/filler");
	ck_assert_int_eq(t_in_child(write_every_byte, "reserved"), 0);
}
END_TEST

/* The control: without reserve, the same writes die of SIGBUS. */
START_TEST(unreserved_array_on_a_full_filesystem_sigbus)
{
	const size_t shape[1] = { 600 * KIB };

	ck_assert_int_eq(t_private_shm("1M"), 0);
	ck_assert_int_eq(sa_create("lazy", "|u1", 1, shape, 0, 0, NULL), 0);
	fill_filesystem("/dev/shm/filler");
	ck_assert_int_eq(t_in_child(write_every_byte, "lazy"), 128 + SIGBUS);
}
END_TEST

/* Space a sparse array has not touched yet is free; the check counts what is free. */
START_TEST(second_array_beyond_free_space_is_enospc)
{
	const size_t shape[1] = { 600 * KIB };

	ck_assert_int_eq(t_private_shm("1M"), 0);
	ck_assert_int_eq(sa_create("first", "|u1", 1, shape, SA_RESERVE, 0, NULL), 0);
	ck_assert_int_eq(sa_create("second", "|u1", 1, shape, 0, 0, NULL), -ENOSPC);
	ck_assert_int_eq(access("/dev/shm/second", F_OK), -1);
}
END_TEST

/* One page needs no free-space check: writing its metadata is the check. */
START_TEST(tiny_array_on_a_full_filesystem_is_enospc)
{
	const size_t shape[1] = { 10 };

	ck_assert_int_eq(t_private_shm("1M"), 0);
	fill_filesystem("/dev/shm/filler");
	ck_assert_int_eq(sa_create("tiny", "<f8", 1, shape, 0, 0, NULL), -ENOSPC);
	ck_assert_int_eq(access("/dev/shm/tiny", F_OK), -1);
	ck_assert_int_eq(t_count_entries("/dev/shm", ""), 3);  /* ., .., filler */
}
END_TEST

static Suite *private_suite(void)
{
	Suite *s = suite_create("private-shm");
	TCase *tc = tcase_create("private-shm");

	tcase_add_test(tc, list_sees_exactly_the_arrays);
	tcase_add_test(tc, create_too_big_is_enospc_and_leaves_nothing);
	tcase_add_test(tc, file_array_on_full_filesystem_is_enospc);
	tcase_add_test(tc, taken_name_wins_over_no_space);
	tcase_add_test(tc, reserved_array_survives_a_full_filesystem);
	tcase_add_test(tc, unreserved_array_on_a_full_filesystem_sigbus);
	tcase_add_test(tc, second_array_beyond_free_space_is_enospc);
	tcase_add_test(tc, tiny_array_on_a_full_filesystem_is_enospc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	t_require_private_mounts("mounts a private tmpfs on /dev/shm (unshare -m)");
#ifndef SA_SHM_DIR
	printf("1..0 # SKIP built --without-shm-dir: sa_list(NULL) is ENOTSUP\n");
	return 0;
#endif
	return t_run_suite(private_suite());
}
