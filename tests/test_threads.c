/*
 * test_threads.c - threads of one process racing on the same names
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The library keeps no global mutable state, so threads need no locking of
 * their own: every call must behave as it would with the threads in separate
 * processes.  Threads here create, attach, stat, list, detach and delete the
 * same two names (one shm, one file) in random order.  Each call may only
 * succeed or lose the race in the documented way (EEXIST, ENOENT), every
 * array seen is whole, and the winners balance: creates won minus deletes
 * won is what is left under each name.  "make check-tsan" runs this program
 * built with ThreadSanitizer, which also reports any data race inside the
 * library.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

#define THREADS 8
#define NAMES 2
#define FIRST_LENGTH 8   /* thread T creates arrays of FIRST_LENGTH + T items */

struct race {
	char names[NAMES][PATH_MAX];
	char directory[PATH_MAX];   /* holds the file:// name, listed by the threads */
	int rounds;
	atomic_long created[NAMES], deleted[NAMES], attached, listed;
};

struct worker {
	struct race *race;
	int id;
	unsigned seed;
	char failure[PATH_MAX + 256];
};

#define FAIL_IF(w, cond, ...) do { \
	if (cond) { snprintf((w)->failure, sizeof((w)->failure), __VA_ARGS__); return false; } \
} while (0)

/* An array made by some thread T: 1-d "<i8" of FIRST_LENGTH + T items. */
static bool shape_is_a_workers(size_t ndim, const size_t *shape, size_t nbytes)
{
	return ndim == 1 && shape[0] >= FIRST_LENGTH && shape[0] < FIRST_LENGTH + THREADS &&
	       nbytes == shape[0] * sizeof(int64_t);
}

/* The creator stamps every item with the length after creating; readers see 0 or that. */
static bool data_is_whole(const sa_array *array)
{
	const int64_t *items = sa_data(array);
	const size_t n = sa_shape(array)[0];

	for (size_t i = 0; i < n; i++) {
		int64_t v = __atomic_load_n(&items[i], __ATOMIC_RELAXED);

		if (v != 0 && v != (int64_t)n)
			return false;
	}
	return true;
}

static bool do_create(struct worker *w, int k)
{
	const size_t shape[1] = { FIRST_LENGTH + (size_t)w->id };
	sa_array *array;
	int ret = sa_create(w->race->names[k], "<i8", 1, shape, 0, 0600, &array);

	FAIL_IF(w, ret != 0 && ret != -EEXIST, "create %s: %s", w->race->names[k], sa_strerror(ret));
	if (ret == -EEXIST)
		return true;
	atomic_fetch_add(&w->race->created[k], 1);
	for (size_t i = 0; i < shape[0]; i++)
		__atomic_store_n(&((int64_t *)sa_data(array))[i], (int64_t)shape[0], __ATOMIC_RELAXED);
	FAIL_IF(w, sa_detach(array) != 0, "detach after create");
	return true;
}

static bool do_attach(struct worker *w, int k)
{
	sa_array *array;
	int ret = sa_attach(w->race->names[k], (rand_r(&w->seed) & 1) ? SA_RDONLY : 0, &array);

	FAIL_IF(w, ret != 0 && ret != -ENOENT, "attach %s: %s", w->race->names[k], sa_strerror(ret));
	if (ret == -ENOENT)
		return true;
	atomic_fetch_add(&w->race->attached, 1);
	FAIL_IF(w, strcmp(sa_dtype(array), "<i8") != 0 ||
	        !shape_is_a_workers((size_t)sa_ndim(array), sa_shape(array), sa_nbytes(array)),
	        "attach %s: metadata of no worker's array", w->race->names[k]);
	FAIL_IF(w, !data_is_whole(array), "attach %s: data of two arrays", w->race->names[k]);
	FAIL_IF(w, sa_detach(array) != 0, "detach after attach");
	return true;
}

static bool do_stat(struct worker *w, int k)
{
	sa_info *info;
	int ret = sa_stat(w->race->names[k], &info);

	FAIL_IF(w, ret != 0 && ret != -ENOENT, "stat %s: %s", w->race->names[k], sa_strerror(ret));
	if (ret == 0) {
		bool ok = strcmp(sa_info_dtype(info), "<i8") == 0 &&
		          shape_is_a_workers((size_t)sa_info_ndim(info), sa_info_shape(info),
		                             sa_info_nbytes(info));

		sa_info_free(info);
		FAIL_IF(w, !ok, "stat %s: metadata of no worker's array", w->race->names[k]);
	}
	return true;
}

static bool do_list(struct worker *w)
{
	sa_info **entries;
	int n = sa_list(w->race->directory, &entries);

	FAIL_IF(w, n < 0, "list %s: %s", w->race->directory, sa_strerror(n));
	FAIL_IF(w, n > 1, "list %s: %d entries, the directory holds one name", w->race->directory, n);
	for (int i = 0; i < n; i++)
		FAIL_IF(w, !shape_is_a_workers((size_t)sa_info_ndim(entries[i]), sa_info_shape(entries[i]),
		                               sa_info_nbytes(entries[i])),
		        "list: metadata of no worker's array");
	sa_list_free(entries);
	atomic_fetch_add(&w->race->listed, 1);
	return true;
}

static bool do_delete(struct worker *w, int k)
{
	int ret = sa_delete(w->race->names[k]);

	FAIL_IF(w, ret != 0 && ret != -ENOENT, "delete %s: %s", w->race->names[k], sa_strerror(ret));
	if (ret == 0)
		atomic_fetch_add(&w->race->deleted[k], 1);
	return true;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < w->race->rounds; round++) {
		const int k = rand_r(&w->seed) % NAMES;
		bool ok;

		switch (rand_r(&w->seed) % 5) {
		case 0: ok = do_create(w, k); break;
		case 1: ok = do_attach(w, k); break;
		case 2: ok = do_stat(w, k); break;
		case 3: ok = do_list(w); break;
		default: ok = do_delete(w, k); break;
		}
		if (!ok)
			return w->failure;
	}
	return NULL;
}

static bool exists(const char *name)
{
	sa_info *info;

	if (sa_stat(name, &info) < 0)
		return false;
	sa_info_free(info);
	return true;
}

START_TEST(threads_racing_on_shared_names)
{
	static struct race race;   /* a check child per test: not shared */
	struct worker workers[THREADS];
	pthread_t threads[THREADS];
	char *dir = t_make_tmpdir();
	long created = 0;

	memset(&race, 0, sizeof(race));
	race.rounds = getenv("SA_TEST_VALGRIND") ? 300 : 3000;
#ifdef SA_SHM_DIR
	t_shm_name(race.names[0], sizeof(race.names[0]), "threads");
#else
	/* shm_open alone cannot create atomically: race on a second file name. */
	printf("# built --without-shm-dir: shm creation is not atomic, two file names race\n");
	snprintf(race.names[0], sizeof(race.names[0]), "%s/other", dir);
	ck_assert_int_eq(mkdir(race.names[0], 0700), 0);
	snprintf(race.names[0], sizeof(race.names[0]), "file://%s/other/array", dir);
#endif
	snprintf(race.directory, sizeof(race.directory), "%s", dir);
	snprintf(race.names[1], sizeof(race.names[1]), "file://%s/array", dir);
	for (int t = 0; t < THREADS; t++) {
		workers[t] = (struct worker){ .race = &race, .id = t, .seed = 2026u + (unsigned)t };
		ck_assert_int_eq(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		void *failure;

		ck_assert_int_eq(pthread_join(threads[t], &failure), 0);
		ck_assert_msg(failure == NULL, "thread %d: %s", t, (char *)failure);
	}
	for (int k = 0; k < NAMES; k++) {
		const long left = race.created[k] - race.deleted[k];
		const bool present = exists(race.names[k]);

		ck_assert_msg(left == (present ? 1 : 0), "%s: %ld created, %ld deleted, yet it %s",
		              race.names[k], (long)race.created[k], (long)race.deleted[k],
		              present ? "exists" : "is gone");
		ck_assert_int_gt(race.created[k], 10);   /* the race really ran */
		created += race.created[k];
		if (left)
			ck_assert_int_eq(sa_delete(race.names[k]), 0);
	}
	ck_assert_int_gt(race.attached, 10);
	ck_assert_int_gt(race.listed, 10);
	printf("# %ld arrays created, %ld attached, %ld lists\n", created,
	       (long)race.attached, (long)race.listed);
	fflush(stdout);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, threads_racing_on_shared_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(threads_suite());
}
