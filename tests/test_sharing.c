/*
 * test_sharing.c - real processes: sharing, lifetime, atomic creation
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
#include <time.h>
#include <unistd.h>

#include "support.h"

#define COUNT 1024

static int child_writes(void *name)
{
	sa_array *array;
	int64_t *data;

	if (sa_attach(name, 0, &array) < 0)
		return 10;
	data = sa_data(array);
	for (int i = 0; i < COUNT; i++)
		data[i] = (int64_t)i * 3;
	return sa_detach(array) < 0 ? 11 : 0;
}

START_TEST(child_writes_parent_sees)
{
	const size_t shape[1] = { COUNT };
	char name[128];
	sa_array *array;
	int64_t *data;

	t_shm_name(name, sizeof(name), "share");
	ck_assert_int_eq(sa_create(name, "<i8", 1, shape, 0, 0, &array), 0);
	ck_assert_int_eq(t_in_child(child_writes, name), 0);
	data = sa_data(array);
	for (int i = 0; i < COUNT; i++)
		ck_assert_int_eq(data[i], (int64_t)i * 3);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

static int child_creates(void *name)
{
	const size_t shape[1] = { COUNT };
	sa_array *array;

	if (sa_create(name, "<i8", 1, shape, 0, 0, &array) < 0)
		return 10;
	for (int i = 0; i < COUNT; i++)
		((int64_t *)sa_data(array))[i] = -i;
	return 0;  /* exits without detaching or deleting */
}

START_TEST(array_outlives_its_creator)
{
	char name[128];
	sa_array *array;

	t_shm_name(name, sizeof(name), "outlive");
	ck_assert_int_eq(t_in_child(child_creates, name), 0);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	for (int i = 0; i < COUNT; i++)
		ck_assert_int_eq(((int64_t *)sa_data(array))[i], -i);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

struct handshake {
	const char *name;
	int ready[2], go[2];
};

static int child_outlives_delete(void *arg)
{
	struct handshake *h = arg;
	sa_array *array;
	char byte = 0;
	int64_t *data;

	if (sa_attach(h->name, 0, &array) < 0)
		return 10;
	if (write(h->ready[1], "r", 1) != 1 || read(h->go[0], &byte, 1) != 1)
		return 11;
	/* The parent deleted the name: this mapping still works. */
	data = sa_data(array);
	data[5] = 55;
	if (data[4] != 44)
		return 12;
	return sa_detach(array) < 0 ? 13 : 0;
}

START_TEST(delete_while_another_process_is_attached)
{
	const size_t shape[1] = { 8 };
	struct handshake h;
	char name[128], byte;
	sa_array *array;
	pid_t pid;

	t_shm_name(name, sizeof(name), "delother");
	h.name = name;
	ck_assert_int_eq(pipe(h.ready), 0);
	ck_assert_int_eq(pipe(h.go), 0);
	ck_assert_int_eq(sa_create(name, "<i8", 1, shape, 0, 0, &array), 0);
	((int64_t *)sa_data(array))[4] = 44;
	pid = t_fork(child_outlives_delete, &h);
	ck_assert_int_eq(read(h.ready[0], &byte, 1), 1);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(write(h.go[1], "g", 1), 1);
	ck_assert_int_eq(t_wait(pid), 0);
	ck_assert_int_eq(((int64_t *)sa_data(array))[5], 55);
	ck_assert_int_eq(sa_detach(array), 0);
}
END_TEST

/* Many processes create the same name at once: exactly one wins. */
#define RACERS 8

struct race {
	const char *name;
	int start[2];
	int index;
};

static int racer(void *arg)
{
	struct race *r = arg;
	const size_t shape[1] = { 1 << 20 };
	sa_array *array;
	char byte;
	int ret;

	close(r->start[1]);
	if (read(r->start[0], &byte, 1) != 0)  /* released when the parent closes */
		return 100;
	ret = sa_create(r->name, "<i8", 1, shape, SA_RESERVE, 0, &array);
	if (ret == -EEXIST)
		return 1;
	if (ret < 0)
		return 2;
	((int64_t *)sa_data(array))[0] = r->index;
	return 0;
}

START_TEST(exactly_one_creator_wins)
{
	for (int round = 0; round < 10; round++) {
		pid_t pids[RACERS];
		int winners = 0, losers = 0, winner = -1;
		struct race r;
		char name[128];
		sa_array *array;

		t_shm_name(name, sizeof(name), "race");
		r.name = name;
		ck_assert_int_eq(pipe(r.start), 0);
		for (int i = 0; i < RACERS; i++) {
			r.index = i;
			pids[i] = t_fork(racer, &r);
		}
		close(r.start[0]);
		close(r.start[1]);
		for (int i = 0; i < RACERS; i++) {
			int status = t_wait(pids[i]);

			ck_assert_msg(status == 0 || status == 1, "racer exit %d", status);
			if (status == 0) {
				winners++;
				winner = i;
			} else {
				losers++;
			}
		}
		ck_assert_int_eq(winners, 1);
		ck_assert_int_eq(losers, RACERS - 1);
		ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
		ck_assert_int_eq(((int64_t *)sa_data(array))[0], winner);
		ck_assert_int_eq(sa_detach(array), 0);
		ck_assert_int_eq(sa_delete(name), 0);
	}
}
END_TEST

#ifdef SA_SHM_DIR
/* While one process creates and deletes big arrays, others see all or nothing. */
#define ROUNDS 30

struct poll_args {
	const char *name;
	int done[2];        /* the creator closes it when finished */
	int report[2];      /* attachers write their counts */
};

static int attacher(void *arg)
{
	struct poll_args *p = arg;
	long complete = 0;
	char byte;

	close(p->done[1]);
	for (;;) {
		struct timespec nap = { 0, 100000 };
		sa_array *array;
		int ret = sa_attach(p->name, SA_RDONLY, &array);

		if (ret == 0) {
			if (sa_ndim(array) != 2 || sa_shape(array)[0] != 2048 ||
			    sa_shape(array)[1] != 2048 || strcmp(sa_dtype(array), "<f8") != 0 ||
			    sa_nbytes(array) != 2048 * 2048 * 8)
				return 20;
			sa_detach(array);
			complete++;
		} else if (ret != -ENOENT) {  /* between rounds there is none */
			return 21;  /* e.g. -EBADMSG: a half-built array */
		}
		nanosleep(&nap, NULL);
		if (read(p->done[0], &byte, 1) == 0)
			break;
	}
	return write(p->report[1], &complete, sizeof(complete)) == sizeof(complete) ? 0 : 22;
}

START_TEST(attachers_never_see_a_partial_array)
{
	const size_t shape[2] = { 2048, 2048 };
	struct poll_args p;
	char name[128];
	pid_t pids[2];
	long complete, total = 0;

	t_shm_name(name, sizeof(name), "partial");
	p.name = name;
	ck_assert_int_eq(pipe(p.done), 0);
	ck_assert_int_eq(pipe(p.report), 0);
	ck_assert_int_eq(fcntl(p.done[0], F_SETFL, O_NONBLOCK), 0);
	for (int i = 0; i < 2; i++)
		pids[i] = t_fork(attacher, &p);
	for (int round = 0; round < ROUNDS; round++) {
		struct timespec hold = { 0, 3000000 };

		ck_assert_int_eq(sa_create(name, "<f8", 2, shape, SA_RESERVE, 0, NULL), 0);
		nanosleep(&hold, NULL);
		ck_assert_int_eq(sa_delete(name), 0);
	}
	close(p.done[1]);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(t_wait(pids[i]), 0);
		ck_assert_int_eq(read(p.report[0], &complete, sizeof(complete)), sizeof(complete));
		total += complete;
	}
	ck_assert_int_gt(total, 0);  /* they did see arrays, all of them whole */
}
END_TEST

static int doomed_creator(void *name)
{
	const size_t shape[1] = { 64 << 20 };

	for (;;) {
		if (sa_create(name, "|u1", 1, shape, SA_RESERVE, 0, NULL) == 0)
			sa_delete(name);
	}
	return 0;
}

/* SIGKILL at random points of creation: no half-array, no leftovers. */
START_TEST(killed_creator_leaves_nothing_partial)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "sa-test-%ld-killed", (long)getpid());
	srand((unsigned)getpid());
	for (int round = 0; round < 20; round++) {
		struct timespec delay = { 0, (long)(rand() % 20000) * 1000 };
		char name[128];
		sa_info *info;
		pid_t pid;
		int ret;

		t_shm_name(name, sizeof(name), "killed");
		pid = t_fork(doomed_creator, name);
		nanosleep(&delay, NULL);
		kill(pid, SIGKILL);
		ck_assert_int_eq(t_wait(pid), 128 + SIGKILL);
		ret = sa_stat(name, &info);
		ck_assert_msg(ret == -ENOENT || ret == 0, "stat after kill: %d", ret);
		if (ret == 0) {
			ck_assert_uint_eq(sa_info_nbytes(info), 64 << 20);
			sa_info_free(info);
			ck_assert_int_eq(sa_delete(name), 0);
		}
	}
	ck_assert_int_eq(t_count_entries("/dev/shm", ".sa-tmp-"), 0);
	ck_assert_int_eq(t_count_entries("/dev/shm", prefix), 0);
}
END_TEST
#endif /* SA_SHM_DIR */

static Suite *sharing_suite(void)
{
	Suite *s = suite_create("sharing");
	TCase *tc = tcase_create("sharing");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, child_writes_parent_sees);
	tcase_add_test(tc, array_outlives_its_creator);
	tcase_add_test(tc, delete_while_another_process_is_attached);
	tcase_add_test(tc, exactly_one_creator_wins);
#ifdef SA_SHM_DIR
	tcase_add_test(tc, attachers_never_see_a_partial_array);
	tcase_add_test(tc, killed_creator_leaves_nothing_partial);
#else
	/* shm_open(3) alone cannot build an object unnamed: not atomic. */
	printf("# built --without-shm-dir: atomic creation is not promised, not tested\n");
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(sharing_suite());
}
