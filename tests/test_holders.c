/*
 * test_holders.c - sa_holders, sa_list_holders: who has an array mapped
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Holders are real processes of this user: children that attach through
 * the library, by either name, and one that maps a SharedArray 3.x segment
 * with plain mmap(2), knowing nothing of the library.  (Other users'
 * processes, as root: test_other_users.)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const size_t shape[1] = { 16 };

static int by_pid(const void *a, const void *b)
{
	const pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* sa_holders(NAME) is exactly the N pids of WANT, in order. */
static void assert_holders(const char *name, pid_t *want, int n)
{
	pid_t *pids = NULL;
	int count;

	if (n > 1)
		qsort(want, (size_t)n, sizeof(*want), by_pid);
	count = sa_holders(name, &pids);
	ck_assert_int_eq(count, n);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(pids[i], want[i]);
	if (n == 0)
		ck_assert_ptr_null(pids);
	free(pids);
}

START_TEST(test_nobody_then_self)
{
	char name[128];
	sa_array *a, *b;
	pid_t self = getpid();

	t_shm_name(name, sizeof(name), "self");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);
	assert_holders(name, NULL, 0);
	ck_assert_int_eq(sa_attach(name, 0, &a), 0);
	assert_holders(name, &self, 1);
	/* Mapped twice, read-only and read-write: one process, once. */
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &b), 0);
	assert_holders(name, &self, 1);
	sa_detach(a);
	assert_holders(name, &self, 1);
	sa_detach(b);
	assert_holders(name, NULL, 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* Children holding it by either name; each death shows. */
START_TEST(test_children_by_any_name)
{
	enum { N = 4 };
	char bare[128], name[160], by_file[192];
	struct t_holder h[N];
	pid_t want[N];

	t_bare_name(bare, sizeof(bare), "kids");
	snprintf(name, sizeof(name), "shm://%s", bare);
	snprintf(by_file, sizeof(by_file), "file:///dev/shm/%s", bare);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, NULL), 0);
	for (int i = 0; i < N; i++) {
		h[i] = t_holder_start(i % 2 ? by_file : name, i == 2 ? SA_RDONLY : 0);
		want[i] = h[i].pid;
	}
	assert_holders(bare, want, N);
	assert_holders(by_file, want, N);
	t_holder_kill(&h[1]);
	assert_holders(name, (pid_t[]){ h[0].pid, h[2].pid, h[3].pid }, N - 1);
	t_holder_order(&h[0], 'd');
	assert_holders(name, (pid_t[]){ h[3].pid, h[2].pid }, N - 2);
	t_holder_order(&h[2], 'x');
	t_holder_order(&h[3], 'd');
	assert_holders(name, NULL, 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* A SharedArray 3.x segment mapped by a program that never heard of us. */
START_TEST(test_plain_mmap_of_a_legacy_segment)
{
	char *dir = t_make_tmpdir(), path[512], name[560];
	const int64_t dims[2] = { 2, 2 };
	unsigned char buf[1024];
	int ready[2], status;
	size_t len;
	pid_t pid;
	char c;

	snprintf(path, sizeof(path), "%s/legacy", dir);
	snprintf(name, sizeof(name), "file://%s", path);
	len = t_legacy_segment(buf, sizeof(buf), 32, 12, 8, 2, dims, 32, NULL);
	t_write_file(path, buf, len);
	ck_assert_int_eq(pipe(ready), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		void *p = fd < 0 ? MAP_FAILED : mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			_exit(1);
		close(fd);
		if (write(ready[1], "m", 1) != 1)
			_exit(2);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	assert_holders(name, &pid, 1);
	kill(pid, SIGKILL);
	ck_assert_int_eq(t_wait(pid), 128 + SIGKILL);
	(void)status;
	assert_holders(name, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_errors)
{
	char *dir = t_make_tmpdir(), path[512], name[560];
	pid_t *pids = (pid_t *)&pids;

	snprintf(path, sizeof(path), "%s/notes", dir);
	snprintf(name, sizeof(name), "file://%s", path);
	t_write_file(path, "not an array, but long enough to have a trailer if it were one: "
	             "................................................................"
	             "................................................................"
	             "................................................................"
	             "................................................................", 320);
	ck_assert_int_eq(sa_holders(name, &pids), -EBADMSG);
	snprintf(name, sizeof(name), "file://%s/missing", dir);
	ck_assert_int_eq(sa_holders(name, &pids), -ENOENT);
	ck_assert_int_eq(sa_holders("a/b", &pids), -EINVAL);
	ck_assert_int_eq(sa_holders(NULL, &pids), -EINVAL);
	ck_assert_int_eq(sa_holders("x", NULL), -EINVAL);
	ck_assert_ptr_eq(pids, (pid_t *)&pids);          /* untouched on error */
	ck_assert_int_eq(sa_list_holders(NULL, (int[1]){ 0 }), -EINVAL);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/* A dead transient array has no holders: it is not there. */
START_TEST(test_dead_transient)
{
	char name[128];
	struct t_holder h;
	sa_array *a;
	pid_t *pids;

	t_shm_name(name, sizeof(name), "dead");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	h = t_holder_start(name, 0);
	sa_detach(a);
	assert_holders(name, &h.pid, 1);
	t_holder_kill(&h);
	ck_assert_int_eq(sa_holders(name, &pids), -ENOENT);
}
END_TEST

/* One scan counts the holders of every listed array. */
START_TEST(test_list_counts)
{
	enum { ARRAYS = 5 };
	char *dir = t_make_tmpdir(), name[ARRAYS][512];
	struct t_holder h[6];
	sa_info **list;
	sa_array *mine;
	int counts[ARRAYS + 1], want[ARRAYS] = { 0 };
	int n = 0, ret, unseen;

	for (int i = 0; i < ARRAYS; i++) {
		snprintf(name[i], sizeof(name[i]), "file://%s/a%d", dir, i);
		ck_assert_int_eq(sa_create(name[i], SA_DTYPE_INT16, 1, shape, 0, 0600, NULL), 0);
	}
	/* a0: nobody; a1: three children; a2: one child; a3: this process; a4: a child and us. */
	for (int i = 0; i < 3; i++)
		h[n++] = t_holder_start(name[1], 0);
	h[n++] = t_holder_start(name[2], SA_RDONLY);
	h[n++] = t_holder_start(name[4], 0);
	ck_assert_int_eq(sa_attach(name[3], 0, &mine), 0);
	want[1] = 3;
	want[2] = 1;
	want[3] = 1;
	want[4] = 1;
	ck_assert_int_eq(sa_list(dir, &list), ARRAYS);
	unseen = t_unreadable_processes();
	ret = sa_list_holders(list, counts);
	/* It says how many processes it could not read (others', unless root). */
	ck_assert_int_ge(ret, 0);
	ck_assert_int_le(abs(ret - unseen), 2);
	for (int i = 0; i < ARRAYS; i++)
		ck_assert_msg(counts[i] == want[i], "%s: %d holders, want %d",
		              sa_info_name(list[i]), counts[i], want[i]);
	sa_detach(mine);
	t_holder_kill(&h[0]);
	ck_assert_int_ge(sa_list_holders(list, counts), 0);
	ck_assert_int_eq(counts[1], 2);
	ck_assert_int_eq(counts[3], 0);
	sa_list_free(list);
	for (int i = 1; i < n; i++)
		t_holder_order(&h[i], 'd');
	/* An empty list: nothing to count, nothing scanned. */
	ck_assert_int_eq(sa_list_holders((sa_info *[]){ NULL }, counts), 0);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("holders");
	TCase *tc = tcase_create("holders");

	tcase_add_test(tc, test_nobody_then_self);
	tcase_add_test(tc, test_children_by_any_name);
	tcase_add_test(tc, test_plain_mmap_of_a_legacy_segment);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_dead_transient);
	tcase_add_test(tc, test_list_counts);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
