/*
 * test_torture.c - concurrency torture: N processes x M rounds of create,
 * attach, write, detach and delete on a few names, with random delays
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How the data check is made honest.  sa_create is atomic, but the array it
 * publishes is zero-filled: the creator writes its data only after create
 * returns, so a reader may attach while the creator is still writing.  Each
 * array is therefore "<u8" with a length K that depends on its creator, and
 * word 0 is a header the creator stores LAST, with release ordering: the
 * creator's tag (pid and round, never 0).  Words 1..K-1 are a pattern
 * derived from the tag.  A reader loads the header with acquire ordering:
 *   - 0: the creator has not published yet; only the metadata is checked
 *     (the right dtype, ndim 1, a length in range, nbytes = 8 K);
 *   - a tag: K must be the length that tag implies (metadata and data are
 *     the same array), and every word must be the tag's pattern.  Checked
 *     twice, before and after a delay: while attached, the data never
 *     changes, even after its name is deleted and re-created by another.
 *
 * Exactly one creator holds a name at a time.  A shared table records the
 * holder of each name: a creator whose sa_create succeeded claims the name
 * with a compare-and-swap from 0, which fails only if another creator also
 * believes it holds the name.  The holder is the only one to delete it: it
 * clears its claim first, then sa_delete must succeed (no one else
 * deletes), and only then can the next create of that name succeed.
 *
 * Names are two shm:// names and two file:// names in a private directory,
 * all unique to this test (only file:// names when built --without-shm-dir:
 * shm_open(3) alone cannot create atomically, and that build does not
 * promise it).  At the end no name is left behind and no claim remains.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hardening.h"

#define NAMES 4
#define PROCS 8
#define ROUNDS 500
#define MIN_WORDS 16
#define WORD_SPAN 113
#define DEADLINE_SECONDS 60.0

struct stats {
	atomic_ulong rounds, creates_won, creates_taken, deletes, deleted_while_attached;
	atomic_ulong attaches, attaches_published, attaches_unpublished, attaches_absent;
	atomic_ulong stats_ok, stats_absent, words_checked;
	atomic_ulong violations;
	atomic_int first_violation_taken;
	char first_violation[256];
};

struct torture {
	char names[NAMES][256];
	_Atomic uint64_t holder[NAMES];
	struct stats stats;
};

static struct torture *shared;

static void violation(const char *what, long a, long b)
{
	atomic_fetch_add(&shared->stats.violations, 1);
	if (atomic_exchange(&shared->stats.first_violation_taken, 1) == 0)
		snprintf(shared->stats.first_violation, sizeof(shared->stats.first_violation),
		         "pid %ld: %s (%ld, %ld)", (long)getpid(), what, a, b);
}

static uint64_t pattern(uint64_t tag, size_t word)
{
	uint64_t x = tag + UINT64_C(0x9E3779B97F4A7C15) * (word + 1);

	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static size_t words_for(uint64_t tag)
{
	return MIN_WORDS + (size_t)(tag % WORD_SPAN);
}

static bool metadata_ok(const char *dtype, int ndim, const size_t *shape, size_t nbytes)
{
	return strcmp(dtype, "<u8") == 0 && ndim == 1 && shape[0] >= MIN_WORDS &&
	       shape[0] < MIN_WORDS + WORD_SPAN && nbytes == 8 * shape[0];
}

/* The checks a reader makes of an attached array; false if unpublished. */
static bool validate(const sa_array *array)
{
	_Atomic uint64_t *words = sa_data(array);
	uint64_t tag;

	if (!metadata_ok(sa_dtype(array), sa_ndim(array), sa_shape(array), sa_nbytes(array))) {
		violation("attached metadata", (long)sa_ndim(array), (long)sa_nbytes(array));
		return false;
	}
	tag = atomic_load_explicit(&words[0], memory_order_acquire);
	if (tag == 0)
		return false;
	if (words_for(tag) != sa_shape(array)[0]) {
		violation("length does not match the creator's tag", (long)sa_shape(array)[0],
		          (long)words_for(tag));
		return true;
	}
	for (size_t i = 1; i < sa_shape(array)[0]; i++)
		if (atomic_load_explicit(&words[i], memory_order_relaxed) != pattern(tag, i)) {
			violation("data does not match what its creator wrote", (long)i,
			          (long)(tag & 0xffffffff));
			return true;
		}
	atomic_fetch_add(&shared->stats.words_checked, sa_shape(array)[0]);
	return true;
}

static void reader(int n, uint64_t *rng)
{
	const unsigned flags = (h_random(rng) & 1) ? SA_RDONLY : 0;
	sa_array *array;
	int ret = sa_attach(shared->names[n], flags, &array);

	if (ret == -ENOENT) {
		atomic_fetch_add(&shared->stats.attaches_absent, 1);
		return;
	}
	if (ret < 0) {
		violation("attach failed", n, ret);
		return;
	}
	atomic_fetch_add(&shared->stats.attaches, 1);
	if (validate(array))
		atomic_fetch_add(&shared->stats.attaches_published, 1);
	else
		atomic_fetch_add(&shared->stats.attaches_unpublished, 1);
	h_random_delay(rng, 200);
	validate(array);
	if (sa_detach(array) < 0)
		violation("detach failed", n, 0);
}

static void statter(int n)
{
	sa_info *info;
	int ret = sa_stat(shared->names[n], &info);

	if (ret == -ENOENT) {
		atomic_fetch_add(&shared->stats.stats_absent, 1);
		return;
	}
	if (ret < 0) {
		violation("stat failed", n, ret);
		return;
	}
	if (!metadata_ok(sa_info_dtype(info), sa_info_ndim(info), sa_info_shape(info),
	                 sa_info_nbytes(info)))
		violation("stat metadata", n, (long)sa_info_nbytes(info));
	atomic_fetch_add(&shared->stats.stats_ok, 1);
	sa_info_free(info);
}

static void creator(int n, unsigned round, uint64_t *rng)
{
	static const unsigned create_flags[] = { 0, SA_RESERVE, SA_POPULATE, 0 };
	const uint64_t tag = ((uint64_t)getpid() << 20) | (round + 1);
	const size_t words = words_for(tag);
	_Atomic uint64_t *data;
	uint64_t expected = 0;
	sa_array *array;
	bool keep_attached;
	int ret;

	ret = sa_create(shared->names[n], "<u8", 1, &words,
	                create_flags[h_random(rng) % 4], 0600, &array);
	if (ret == -EEXIST) {
		atomic_fetch_add(&shared->stats.creates_taken, 1);
		return;
	}
	if (ret < 0) {
		violation("create failed", n, ret);
		return;
	}
	atomic_fetch_add(&shared->stats.creates_won, 1);
	if (!atomic_compare_exchange_strong(&shared->holder[n], &expected, tag))
		violation("two creators hold one name", n, (long)(expected & 0xffffffff));

	/* Zero-filled, then written: the pattern first, the header last. */
	data = sa_data(array);
	for (size_t i = 0; i < words; i++)
		if (atomic_load_explicit(&data[i], memory_order_relaxed) != 0) {
			violation("new array is not zero-filled", n, (long)i);
			break;
		}
	for (size_t i = 1; i < words; i++) {
		atomic_store_explicit(&data[i], pattern(tag, i), memory_order_relaxed);
		if (i == words / 2)
			h_random_delay(rng, 100);  /* readers see it half-written */
	}
	atomic_store_explicit(&data[0], tag, memory_order_release);
	h_random_delay(rng, 500);

	/* Give the name up: the claim first, then the name itself. */
	keep_attached = h_random(rng) & 1;
	if (!keep_attached && sa_detach(array) < 0)
		violation("detach failed", n, 0);
	expected = tag;
	if (!atomic_compare_exchange_strong(&shared->holder[n], &expected, 0))
		violation("someone else took the claim", n, (long)(expected & 0xffffffff));
	ret = sa_delete(shared->names[n]);
	if (ret < 0)
		violation("holder could not delete", n, ret);
	else
		atomic_fetch_add(&shared->stats.deletes, 1);
	if (keep_attached) {
		/* Deleted but still attached: still all there. */
		h_random_delay(rng, 200);
		if (!validate(array))
			violation("own array lost its header after delete", n, 0);
		atomic_fetch_add(&shared->stats.deleted_while_attached, 1);
		if (sa_detach(array) < 0)
			violation("detach failed", n, 0);
	}
}

static int worker(void *arg)
{
	const unsigned rounds = *(const unsigned *)arg;
	const double deadline = h_now() + DEADLINE_SECONDS;
	uint64_t rng = h_random_seed();

	for (unsigned round = 0; round < rounds && h_now() < deadline; round++) {
		const int n = (int)(h_random(&rng) % NAMES);
		const unsigned op = (unsigned)(h_random(&rng) % 100);

		if (op < 35)
			creator(n, round, &rng);
		else if (op < 85)
			reader(n, &rng);
		else
			statter(n);
		atomic_fetch_add(&shared->stats.rounds, 1);
		h_random_delay(&rng, 100);
	}
	return 0;
}

START_TEST(torture_create_attach_write_detach_delete)
{
	const unsigned rounds = h_rounds(ROUNDS, 8);
	char *dir = t_make_tmpdir();
	pid_t pids[PROCS];
	struct stats *s;
	double start;
#ifdef SA_SHM_DIR
	const int shm_names = NAMES / 2;
#else
	const int shm_names = 0;
#endif

	shared = h_shared_alloc(sizeof(*shared));
	s = &shared->stats;

	for (int n = 0; n < NAMES; n++) {
		if (n < shm_names)
			t_shm_name(shared->names[n], sizeof(shared->names[n]), "torture");
		else
			snprintf(shared->names[n], sizeof(shared->names[n]), "file://%s/torture-%d",
			         dir, n);
	}

	start = h_now();
	for (int p = 0; p < PROCS; p++)
		pids[p] = t_fork(worker, (void *)&rounds);
	for (int p = 0; p < PROCS; p++)
		ck_assert_int_eq(t_wait(pids[p]), 0);

	h_note("torture: %d processes x %u rounds over %d names (%d shm://) in %.1f s: "
	       "%lu rounds run", PROCS, rounds, NAMES, shm_names, h_now() - start,
	       atomic_load(&s->rounds));
	h_note("torture: creates won %lu, EEXIST %lu; deletes %lu (%lu while still attached)",
	       atomic_load(&s->creates_won), atomic_load(&s->creates_taken),
	       atomic_load(&s->deletes), atomic_load(&s->deleted_while_attached));
	h_note("torture: attaches %lu (%lu published, %lu not yet), ENOENT %lu; "
	       "stats %lu, ENOENT %lu; %lu words checked",
	       atomic_load(&s->attaches), atomic_load(&s->attaches_published),
	       atomic_load(&s->attaches_unpublished), atomic_load(&s->attaches_absent),
	       atomic_load(&s->stats_ok), atomic_load(&s->stats_absent),
	       atomic_load(&s->words_checked));
	h_note("torture: %lu violations", atomic_load(&s->violations));

	ck_assert_msg(atomic_load(&s->violations) == 0, "%lu violations, first: %s",
	              atomic_load(&s->violations), s->first_violation);
	ck_assert_uint_gt(atomic_load(&s->creates_won), 0);
	ck_assert_uint_eq(atomic_load(&s->creates_won), atomic_load(&s->deletes));
	/* Nothing left behind: no name, no claim, no file. */
	for (int n = 0; n < NAMES; n++) {
		sa_info *info;

		ck_assert_uint_eq(atomic_load(&shared->holder[n]), 0);
		ck_assert_int_eq(sa_stat(shared->names[n], &info), -ENOENT);
	}
	ck_assert_int_eq(t_count_entries(dir, ""), 2);  /* . and .. */
	ck_assert_int_eq(t_count_entries("/dev/shm", ".sa-tmp-"), 0);
	t_remove_tree(dir);
	free(dir);
	h_shared_free(shared, sizeof(*shared));
}
END_TEST

static Suite *torture_suite(void)
{
	Suite *s = suite_create("torture");
	TCase *tc = tcase_create("torture");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, torture_create_attach_write_detach_delete);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(torture_suite());
}
