/*
 * test_notify.c - sa_notify, sa_wait, sa_generation, sa_info_generation
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Children report through their exit status; every wait is bounded by a
 * timeout or alarm(2), so that a lost wake-up fails instead of hanging.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define HANG_SECONDS 30
#define HANG_MS (HANG_SECONDS * 1000)

#define CHECK(cond, code) do { if (!(cond)) return (code); } while (0)

static const size_t shape4[1] = { 4 };

static bool under_valgrind(void)
{
	return getenv("SA_TEST_VALGRIND") != NULL;
}

START_TEST(test_counts_and_returns_at_once)
{
	char name[128];
	sa_array *array;
	unsigned long long gen = 99;

	t_new_array(name, sizeof(name), "count", &array);
	ck_assert_uint_eq(sa_generation(array), 0);
	ck_assert_int_eq(sa_notify(array), 0);
	ck_assert_int_eq(sa_notify(array), 0);
	ck_assert_uint_eq(sa_generation(array), 2);
	ck_assert_int_eq(sa_wait(array, 0, -1, &gen), 0);
	ck_assert_uint_eq(gen, 2);
	ck_assert_int_eq(sa_wait(array, 5, 0, NULL), 0);
	gen = 99;
	ck_assert_int_eq(sa_wait(array, 2, 0, &gen), -ETIMEDOUT);
	ck_assert_uint_eq(gen, 2);
	ck_assert_int_eq(sa_wait(array, 2, 20, &gen), -ETIMEDOUT);
	ck_assert_uint_eq(gen, 2);
	t_drop_array(array, name);
}
END_TEST

START_TEST(test_invalid_arguments)
{
	char name[128];
	sa_array *array, *ro;

	t_new_array(name, sizeof(name), "inval", &array);
	ck_assert_int_eq(sa_notify(NULL), -EINVAL);
	ck_assert_int_eq(sa_wait(NULL, 0, 0, NULL), -EINVAL);
	ck_assert_uint_eq(sa_generation(NULL), 0);
	ck_assert_int_eq(sa_info_generation(NULL, NULL), -EINVAL);
	/* Waiting works read-only; notifying needs a read-write attachment. */
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &ro), 0);
	ck_assert_int_eq(sa_notify(ro), -EPERM);
	ck_assert_uint_eq(sa_generation(ro), 0);
	ck_assert_int_eq(sa_notify(array), 0);
	ck_assert_int_eq(sa_wait(ro, 0, HANG_MS, NULL), 0);
	ck_assert_uint_eq(sa_generation(ro), 1);
	ck_assert_int_eq(sa_detach(ro), 0);
	t_drop_array(array, name);
}
END_TEST

/* ---- across processes ------------------------------------------------------ */

struct peer {
	const char *name, *other;
	int rounds;
	int to_parent[2];
};

static int waits_once(void *arg)
{
	const struct peer *p = arg;
	unsigned long long seen, gen = 0;
	sa_array *array;

	alarm(HANG_SECONDS);
	CHECK(sa_attach(p->name, SA_RDONLY, &array) == 0, 10);
	seen = sa_generation(array);
	CHECK(write(p->to_parent[1], "r", 1) == 1, 11);
	CHECK(sa_wait(array, seen, HANG_MS, &gen) == 0, 12);
	CHECK(gen == seen + 1, 13);
	CHECK(((int64_t *)sa_data(array))[0] == 42, 14);  /* written before the notify */
	return sa_detach(array) == 0 ? 0 : 15;
}

static void wake_another_process(const char *name, sa_array *array)
{
	struct peer p = { .name = name };
	pid_t pid;
	char byte;

	ck_assert_int_eq(pipe(p.to_parent), 0);
	pid = t_fork(waits_once, &p);
	ck_assert_int_eq(read(p.to_parent[0], &byte, 1), 1);
	usleep(10000);  /* most likely asleep by now; either way it must return */
	((int64_t *)sa_data(array))[0] = 42;
	ck_assert_int_eq(sa_notify(array), 0);
	ck_assert_int_eq(t_wait(pid), 0);
}

START_TEST(test_wakes_another_process)
{
	char name[128];
	sa_array *array;

	t_new_array(name, sizeof(name), "wake", &array);
	wake_another_process(name, array);
	t_drop_array(array, name);
}
END_TEST

START_TEST(test_file_array)
{
	char *dir = t_make_tmpdir(), name[512];
	sa_array *array;

	snprintf(name, sizeof(name), "file://%s/n.sa", dir);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 1, shape4, 0, 0600, &array), 0);
	wake_another_process(name, array);
	ck_assert_int_eq(sa_detach(array), 0);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/*
 * Ping-pong between two processes on two arrays, each reading the
 * generation before it wakes its peer and then waiting from that value:
 * the peer's answer lands in the window between the read and the sleep as
 * often as not.  A single lost wake-up stalls the game until the timeout.
 */
static int ping_pong(void *arg)
{
	const struct peer *p = arg;
	sa_array *mine, *theirs;

	alarm(HANG_SECONDS * 2);
	CHECK(sa_attach(p->name, SA_RDONLY, &mine) == 0, 10);
	CHECK(sa_attach(p->other, 0, &theirs) == 0, 11);
	for (int i = 0; i < p->rounds; i++) {
		unsigned long long seen = sa_generation(mine), gen;

		CHECK(sa_notify(theirs) == 0, 12);
		CHECK(sa_wait(mine, seen, HANG_MS, &gen) == 0, 13);
		CHECK(gen == seen + 1, 14);
	}
	sa_detach(mine);
	return sa_detach(theirs) == 0 ? 0 : 15;
}

static int pong(void *arg)
{
	const struct peer *p = arg;
	sa_array *mine, *theirs;
	unsigned long long seen = 0;

	alarm(HANG_SECONDS * 2);
	CHECK(sa_attach(p->name, SA_RDONLY, &mine) == 0, 20);
	CHECK(sa_attach(p->other, 0, &theirs) == 0, 21);
	for (int i = 0; i < p->rounds; i++) {
		CHECK(sa_wait(mine, seen, HANG_MS, &seen) == 0, 22);
		CHECK(seen == (unsigned long long)i + 1, 23);
		CHECK(sa_notify(theirs) == 0, 24);
	}
	sa_detach(mine);
	return sa_detach(theirs) == 0 ? 0 : 25;
}

START_TEST(test_no_lost_wake_up)
{
	char a_name[128], b_name[128];
	sa_array *a, *b;
	const int rounds = under_valgrind() ? 200 : 3000;
	struct peer ping_side = { .name = a_name, .other = b_name, .rounds = rounds };
	struct peer pong_side = { .name = b_name, .other = a_name, .rounds = rounds };
	pid_t pids[2];

	t_new_array(a_name, sizeof(a_name), "ping", &a);
	t_new_array(b_name, sizeof(b_name), "pong", &b);
	pids[1] = t_fork(pong, &pong_side);
	pids[0] = t_fork(ping_pong, &ping_side);
	ck_assert_int_eq(t_wait(pids[0]), 0);
	ck_assert_int_eq(t_wait(pids[1]), 0);
	ck_assert_uint_eq(sa_generation(a), (unsigned long long)rounds);
	ck_assert_uint_eq(sa_generation(b), (unsigned long long)rounds);
	t_drop_array(a, a_name);
	t_drop_array(b, b_name);
}
END_TEST

/* Several waiters, one notify: every one of them wakes. */
START_TEST(test_wakes_every_waiter)
{
	enum { WAITERS = 5 };
	char name[128], byte;
	sa_array *array;
	struct peer p = { .name = name };
	pid_t pids[WAITERS];

	t_new_array(name, sizeof(name), "all", &array);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	for (int i = 0; i < WAITERS; i++)
		pids[i] = t_fork(waits_once, &p);
	for (int i = 0; i < WAITERS; i++)
		ck_assert_int_eq(read(p.to_parent[0], &byte, 1), 1);
	usleep(10000);
	((int64_t *)sa_data(array))[0] = 42;
	ck_assert_int_eq(sa_notify(array), 0);
	for (int i = 0; i < WAITERS; i++)
		ck_assert_int_eq(t_wait(pids[i]), 0);
	t_drop_array(array, name);
}
END_TEST

/* ---- signals ---------------------------------------------------------------- */

static int interrupted(void *arg)
{
	const struct peer *p = arg;
	unsigned long long gen = 99;
	sa_array *array;

	alarm(HANG_SECONDS);
	CHECK(t_interrupt_on(SIGUSR1) == 0, 10);
	CHECK(sa_attach(p->name, SA_RDONLY, &array) == 0, 11);
	CHECK(write(p->to_parent[1], "r", 1) == 1, 12);
	CHECK(sa_wait(array, 0, p->rounds, &gen) == -EINTR, 13);
	CHECK(gen == 0, 14);
	CHECK(write(p->to_parent[1], "i", 1) == 1, 15);
	return sa_detach(array) == 0 ? 0 : 16;
}

static void interrupt_a_waiter(int timeout_ms)
{
	char name[128], byte;
	sa_array *array;
	struct peer p = { .name = name, .rounds = timeout_ms };
	pid_t pid;

	t_new_array(name, sizeof(name), "eintr", &array);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	pid = t_fork(interrupted, &p);
	ck_assert_int_eq(read(p.to_parent[0], &byte, 1), 1);
	t_signal_until_told(pid, SIGUSR1, p.to_parent[0]);
	ck_assert_int_eq(t_wait(pid), 0);
	t_drop_array(array, name);
}

START_TEST(test_signal_interrupts_untimed_wait)
{
	interrupt_a_waiter(-1);
}
END_TEST

START_TEST(test_signal_interrupts_timed_wait)
{
	interrupt_a_waiter(HANG_MS);
}
END_TEST

/* ---- the counter in the segment ------------------------------------------- */

static unsigned char *read_segment(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	FILE *f = fopen(path, "rb");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fstat(fileno(f), &st), 0);
	buf = malloc((size_t)st.st_size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

/* Segments made here: notifying changes their last 8 bytes and nothing else. */
START_TEST(test_segment_changes_only_in_its_counter_slot)
{
	char *dir = t_make_tmpdir(), name[600], path[512];
	const size_t shape[2] = { 3, 4 };
	unsigned char *before, *after;
	size_t len, len_after;
	uint32_t low, high;
	sa_array *array;
	sa_info *info;
	unsigned long long gen;

	snprintf(path, sizeof(path), "%s/seg.sa", dir);
	snprintf(name, sizeof(name), "file://%s", path);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 2, shape, SA_FORTRAN, 0600, &array), 0);
	before = read_segment(path, &len);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(sa_notify(array), 0);
	after = read_segment(path, &len_after);
	ck_assert_uint_eq(len_after, len);
	ck_assert_uint_eq(len % 4, 0);
	ck_assert_int_eq(memcmp(before, after, len - 8), 0);
	memcpy(&low, after + len - 8, 4);
	memcpy(&high, after + len - 4, 4);
	ck_assert_uint_eq(low, 5);
	ck_assert_uint_eq(high, 0);
	/* The slot is dims[31] of a 2-d array: the trailer still reads the same. */
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_str_eq(sa_info_dtype(info), SA_DTYPE_FLOAT64);
	ck_assert_int_eq(sa_info_ndim(info), 2);
	ck_assert_uint_eq(sa_info_shape(info)[1], 4);
	ck_assert_int_eq(sa_info_order(info), 'F');
	ck_assert_int_eq(sa_info_format(info), 1);
	ck_assert_int_eq(sa_info_generation(info, &gen), 0);
	ck_assert_uint_eq(gen, 5);
	sa_info_free(info);
	free(before);
	free(after);
	ck_assert_int_eq(sa_detach(array), 0);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/* The low word wraps into the high one. */
START_TEST(test_carry_into_the_high_word)
{
	char name[128];
	sa_array *array;
	unsigned char *end;
	const uint32_t max = UINT32_MAX;
	unsigned long long gen;

	t_new_array(name, sizeof(name), "carry", &array);
	end = (unsigned char *)sa_map_addr(array) + sa_map_size(array);
	memcpy(end - 8, &max, 4);
	ck_assert_uint_eq(sa_generation(array), UINT32_MAX);
	ck_assert_int_eq(sa_notify(array), 0);
	ck_assert_uint_eq(sa_generation(array), 1ull << 32);
	ck_assert_int_eq(sa_wait(array, UINT32_MAX, 0, &gen), 0);
	ck_assert_uint_eq(gen, 1ull << 32);
	/* Same low word, other high word: a different generation. */
	ck_assert_int_eq(sa_wait(array, 0, 0, &gen), 0);
	t_drop_array(array, name);
}
END_TEST

static void legacy_file(const char *path, int slots, int32_t typenum, int32_t itemsize,
                        int32_t ndims, const int64_t *dims, uint64_t size)
{
	unsigned char buf[4096];
	size_t len = t_legacy_segment(buf, sizeof(buf), slots, typenum, itemsize, ndims, dims,
	                              size, NULL);

	t_write_file(path, buf, len);
}

/* SharedArray 3.x segments: a counter where there is room, ENOTSUP where not. */
START_TEST(test_old_segments)
{
	static const int64_t dims2[2] = { 2, 2 }, dims3[1] = { 3 };
	int64_t ones[32];
	char *dir = t_make_tmpdir(), path[512], name[600];
	struct {
		const char *file;
		int slots, typenum, itemsize, ndims;
		const int64_t *dims;
		uint64_t size;
		bool counter;
	} cases[] = {
		{ "v1", 32, 12, 8, 2, dims2, 32, true },      /* 324 bytes */
		{ "v2", 64, 12, 8, 2, dims2, 32, true },      /* numpy 2.x build: 580 bytes */
		{ "full", 32, 2, 1, 32, ones, 4, false },     /* every dims slot used */
		{ "odd", 32, 2, 1, 1, dims3, 3, false },      /* 295 bytes: no aligned word */
	};

	for (int i = 0; i < 32; i++)
		ones[i] = i == 0 ? 4 : 1;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		unsigned long long gen = 7;
		sa_array *array, *ro;
		sa_info *info;

		snprintf(path, sizeof(path), "%s/%s", dir, cases[c].file);
		snprintf(name, sizeof(name), "file://%s", path);
		legacy_file(path, cases[c].slots, cases[c].typenum, cases[c].itemsize,
		            cases[c].ndims, cases[c].dims, cases[c].size);
		ck_assert_int_eq(sa_attach(name, 0, &array), 0);
		ck_assert_int_eq(sa_attach(name, SA_RDONLY, &ro), 0);
		ck_assert_int_eq(sa_stat(name, &info), 0);
		if (cases[c].counter) {
			ck_assert_int_eq(sa_info_generation(info, &gen), 0);
			ck_assert_uint_eq(gen, 0);
			ck_assert_int_eq(sa_notify(array), 0);
			ck_assert_int_eq(sa_wait(ro, 0, HANG_MS, &gen), 0);
			ck_assert_uint_eq(gen, 1);
			ck_assert_uint_eq(sa_generation(array), 1);
		} else {
			ck_assert_msg(sa_info_generation(info, &gen) == -ENOTSUP, "%s", cases[c].file);
			ck_assert_uint_eq(gen, 7);
			ck_assert_int_eq(sa_notify(array), -ENOTSUP);
			ck_assert_int_eq(sa_wait(ro, 0, -1, &gen), -ENOTSUP);
			ck_assert_uint_eq(sa_generation(array), 0);
		}
		sa_info_free(info);
		/* The metadata reads as before: the counter is beyond ndims. */
		ck_assert_int_eq(sa_stat(name, &info), 0);
		ck_assert_int_eq(sa_info_ndim(info), cases[c].ndims);
		ck_assert_uint_eq(sa_info_nbytes(info), cases[c].size);
		sa_info_free(info);
		/* The lock needs no room: it lives on the file. */
		ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), 0);
		ck_assert_int_eq(sa_lock(ro, SA_LOCK_SHARED, 0), -EAGAIN);
		ck_assert_int_eq(sa_unlock(array), 0);
		ck_assert_int_eq(sa_detach(ro), 0);
		ck_assert_int_eq(sa_detach(array), 0);
	}
	t_remove_tree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_counts_and_returns_at_once);
	tcase_add_test(tc, test_invalid_arguments);
	tcase_add_test(tc, test_wakes_another_process);
	tcase_add_test(tc, test_file_array);
	tcase_add_test(tc, test_no_lost_wake_up);
	tcase_add_test(tc, test_wakes_every_waiter);
	tcase_add_test(tc, test_signal_interrupts_untimed_wait);
	tcase_add_test(tc, test_signal_interrupts_timed_wait);
	tcase_add_test(tc, test_segment_changes_only_in_its_counter_slot);
	tcase_add_test(tc, test_carry_into_the_high_word);
	tcase_add_test(tc, test_old_segments);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
