/*
 * test_crash.c - crash safety: creators killed with SIGKILL at random points
 * of sa_create leave no half-array and no temporary objects
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * No hook in the library: each round forks a creator of a large reserved
 * (or pre-faulted) array, whose sa_create takes milliseconds, and kills it
 * after a random delay drawn from zero to twice a measured create, so
 * that kills land before, during (sizing, fallocate, writing the metadata,
 * mapping, linking) and after creation.  After each kill the name must be
 * absent or a complete, valid, zero-filled array.  A poller process attaches
 * and stats the current name all along and must only ever see the same.
 *
 * Leftovers: as root the test runs in a private tmpfs on /dev/shm (and one
 * for file:// arrays), where every block and inode must come back after each
 * round: an unnamed O_TMPFILE segment dies with its creator.  Otherwise, in
 * the shared /dev/shm, no ".sa-tmp-" or test name may remain, and the
 * system's Shmem (/proc/meminfo) must not grow by more than a few arrays
 * (other programs use shared memory at the same time).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hardening.h"

#define MIB (1024 * 1024)
#define ARRAY_WORDS (32 * MIB / 8)
#define ROUNDS 120
#define STORM_ROUNDS 40
#define STORM_CREATORS 4
#define DESCR_LEN 3000

/* "shm" variants use file:// names when built --without-shm-dir (uses_file). */
enum variant { SHM_RESERVE, FILE_RESERVE, SHM_POPULATE_ATTACHED, SHM_DESCR, VARIANTS };

static const char *const variant_names[VARIANTS] = {
	"shm reserve", "file reserve", "shm populate+attach", "shm structured reserve",
};

struct crash_shared {
	char name[512];          /* the name the poller watches */
	atomic_int generation;   /* round + 1 of NAME; -1 while it changes, 0 before */
	atomic_int stop;
	atomic_ulong polls_absent, polls_complete, polls_bad;
	int first_bad;
};

static struct crash_shared *shared;
static char descr[DESCR_LEN + 1];
static const char *file_dir;

/*
 * Built --without-shm-dir, shm:// names are made by shm_open(3) alone, which
 * cannot create atomically (that build does not promise it): every variant
 * then uses a file:// name.
 */
static bool uses_file(enum variant v)
{
#ifdef SA_SHM_DIR
	return v == FILE_RESERVE;
#else
	(void)v;
	return true;
#endif
}

static void make_name(char *buf, size_t len, enum variant v, unsigned round)
{
	if (uses_file(v))
		snprintf(buf, len, "file://%s/crash-%ld-%u", file_dir, (long)getpid(), round);
	else
		t_shm_name(buf, len, "crash");
}

static int create(const char *name, enum variant v)
{
	const size_t shape[1] = { ARRAY_WORDS };
	sa_array *array = NULL;
	int ret;

	switch (v) {
	case SHM_POPULATE_ATTACHED:
		ret = sa_create(name, "<u8", 1, shape, SA_POPULATE, 0600, &array);
		break;
	case SHM_DESCR:
		ret = sa_create_descr(name, "|V8", descr, 1, shape, SA_RESERVE, 0600, NULL);
		break;
	default:
		ret = sa_create(name, "<u8", 1, shape, SA_RESERVE, 0600, NULL);
	}
	if (array)
		sa_detach(array);
	return ret;
}

/* A complete array: all metadata right, and zero-filled where sampled. */
static bool complete(const char *name, enum variant v, bool check_data)
{
	sa_array *array;
	const unsigned char *data;
	bool ok;

	if (sa_attach(name, SA_RDONLY, &array) < 0)
		return false;
	ok = sa_nbytes(array) == (size_t)ARRAY_WORDS * 8 && sa_ndim(array) == 1 &&
	     sa_shape(array)[0] == ARRAY_WORDS &&
	     strcmp(sa_dtype(array), v == SHM_DESCR ? "|V8" : "<u8") == 0 &&
	     (v == SHM_DESCR ? sa_descr(array) && strcmp(sa_descr(array), descr) == 0
	                     : sa_descr(array) == NULL);
	data = sa_data(array);
	if (ok && check_data) {
		for (size_t i = 0; i < sa_nbytes(array); i += 4096 + 8)
			ok = ok && data[i] == 0;
		ok = ok && data[sa_nbytes(array) - 1] == 0;
	}
	sa_detach(array);
	return ok;
}

static int poller(void *arg)
{
	int generation = -1;
	char name[512];
	enum variant v = SHM_RESERVE;

	(void)arg;
	while (!atomic_load(&shared->stop)) {
		sa_info *info;
		int ret;

		if (atomic_load(&shared->generation) != generation) {
			/* A sequence lock: copy, and retry if the name changed meanwhile. */
			generation = atomic_load(&shared->generation);
			if (generation <= 0)
				continue;
			memcpy(name, shared->name, sizeof(name));
			atomic_thread_fence(memory_order_acquire);
			if (atomic_load(&shared->generation) != generation) {
				generation = -1;
				continue;
			}
			v = (enum variant)((generation - 1) % VARIANTS);
		}
		if (generation <= 0)
			continue;
		ret = sa_stat(name, &info);
		if (ret == -ENOENT) {
			atomic_fetch_add(&shared->polls_absent, 1);
			continue;
		}
		if (ret == 0) {
			ret = sa_info_nbytes(info) == (size_t)ARRAY_WORDS * 8 ? 0 : -1000;
			sa_info_free(info);
		}
		/* Attach without touching the data: the parent checks that. */
		if (ret == 0 && !complete(name, v, false))
			ret = sa_stat(name, &info) == -ENOENT ? -ENOENT : -1001;
		if (ret == 0)
			atomic_fetch_add(&shared->polls_complete, 1);
		else if (ret == -ENOENT)
			atomic_fetch_add(&shared->polls_absent, 1);  /* deleted meanwhile */
		else if (atomic_fetch_add(&shared->polls_bad, 1) == 0)
			shared->first_bad = ret;
	}
	return 0;
}

struct creator_arg {
	const char *name;
	enum variant v;
	int ready_fd;
};

static int creator(void *arg)
{
	const struct creator_arg *c = arg;
	int ret;

	/* Tell the parent the create starts now. */
	if (write(c->ready_fd, "", 1) != 1)
		return 3;
	ret = create(c->name, c->v);
	return ret == 0 ? 0 : ret == -EEXIST ? 4 : 2;
}

/* Fork a creator, kill it DELAY_US after it starts; its fate. */
static int create_and_kill(const char *name, enum variant v, unsigned delay_us)
{
	struct timespec ts = { delay_us / 1000000, (long)(delay_us % 1000000) * 1000 };
	struct creator_arg c = { name, v, -1 };
	int pipefd[2], status;
	char byte;
	pid_t pid;

	ck_assert_int_eq(pipe(pipefd), 0);
	c.ready_fd = pipefd[1];
	pid = t_fork(creator, &c);
	close(pipefd[1]);
	ck_assert_int_eq(read(pipefd[0], &byte, 1), 1);
	close(pipefd[0]);
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	status = t_wait(pid);
	ck_assert_msg(status == 0 || status == 128 + SIGKILL, "creator: %d", status);
	return status;
}

/*
 * Microseconds from a creator's start to its exit for variant V (the median
 * of three): the window its kills are drawn from.  Measured on real
 * creators, since a forked child (under ASan especially) is slower than
 * this process.
 */
static unsigned measure_create(enum variant v)
{
	double t[3];
	char name[512];

	for (int i = 0; i < 3; i++) {
		struct creator_arg c = { name, v, -1 };
		int pipefd[2];
		double start;
		char byte;
		pid_t pid;

		make_name(name, sizeof(name), v, 1000000 + (unsigned)i);
		ck_assert_int_eq(pipe(pipefd), 0);
		c.ready_fd = pipefd[1];
		pid = t_fork(creator, &c);
		close(pipefd[1]);
		ck_assert_int_eq(read(pipefd[0], &byte, 1), 1);
		start = h_now();
		ck_assert_int_eq(t_wait(pid), 0);
		t[i] = h_now() - start;
		close(pipefd[0]);
		ck_assert_int_eq(sa_delete(name), 0);
	}
	if (t[0] > t[1]) { double x = t[0]; t[0] = t[1]; t[1] = x; }
	if (t[1] > t[2]) { double x = t[1]; t[1] = t[2]; t[2] = x; }
	if (t[0] > t[1]) { double x = t[0]; t[0] = t[1]; t[1] = x; }
	return (unsigned)(t[1] * 1e6) + 1;
}

static const char *shm_root;
static bool private_fs;

/* Root: private tmpfs for /dev/shm and the file:// directory. */
static void setup(char **dir)
{
	for (size_t i = 0; i < DESCR_LEN; i++)
		descr[i] = (char)('a' + i % 26);
	*dir = t_make_tmpdir();
	file_dir = *dir;
	shm_root = "/dev/shm";
	/* Otherwise, as for other users, the machine's own /dev/shm. */
	private_fs = t_private_mounts_available() == 0;
	if (private_fs) {
		ck_assert_int_eq(t_private_shm("512M"), 0);
		ck_assert_int_eq(t_private_tmpfs(*dir, "512M"), 0);
	}
}

START_TEST(sigkill_during_create_leaves_nothing_partial)
{
	const unsigned rounds = h_rounds(ROUNDS, 10);
	unsigned long counts[VARIANTS][2] = { { 0 } };  /* absent, complete */
	unsigned create_us[VARIANTS];
	unsigned long long shm_blocks, shm_inodes, file_blocks, file_inodes;
	long long shmem_before, shmem_after;
	char *dir, name[512];
	uint64_t rng = h_random_seed();
	pid_t poller_pid;

	setup(&dir);
	shared = h_shared_alloc(sizeof(*shared));
	/* Measured with the poller already busy: it shares the CPUs all along. */
	poller_pid = t_fork(poller, NULL);
	for (int v = 0; v < VARIANTS; v++)
		create_us[v] = measure_create((enum variant)v);
	h_fs_usage(shm_root, &shm_blocks, &shm_inodes);
	h_fs_usage(dir, &file_blocks, &file_inodes);
	shmem_before = h_meminfo_shmem_kib();

	for (unsigned round = 0; round < rounds; round++) {
		const enum variant v = (enum variant)(round % VARIANTS);
		const unsigned delay = (unsigned)(h_random(&rng) % (2 * create_us[v] + 1));
		int ret;
		sa_info *info;

		make_name(name, sizeof(name), v, round);
		atomic_store(&shared->generation, -1);   /* the poller waits */
		memcpy(shared->name, name, sizeof(name));
		atomic_store(&shared->generation, (int)round + 1);

		create_and_kill(name, v, delay);
		ret = sa_stat(name, &info);
		ck_assert_msg(ret == 0 || ret == -ENOENT, "round %u (%s): stat %d", round,
		              variant_names[v], ret);
		if (ret == 0) {
			sa_info_free(info);
			ck_assert_msg(complete(name, v, true), "round %u (%s): incomplete array",
			              round, variant_names[v]);
			ck_assert_int_eq(sa_delete(name), 0);
		}
		counts[v][ret == 0]++;
		if (private_fs) {
			/* Every block and inode back (the poller may hold the array a moment). */
			ck_assert_msg(h_fs_usage_returns(uses_file(v) ? dir : shm_root,
			                                 uses_file(v) ? file_blocks : shm_blocks,
			                                 uses_file(v) ? file_inodes : shm_inodes),
			              "round %u (%s): space or inodes not returned", round,
			              variant_names[v]);
			ck_assert_int_eq(t_count_entries(shm_root, ""), 2);
		}
	}
	atomic_store(&shared->stop, 1);
	ck_assert_int_eq(t_wait(poller_pid), 0);
	shmem_after = h_meminfo_shmem_kib();

	for (int v = 0; v < VARIANTS; v++)
		h_note("crash: %-24s create takes ~%u us; killed at random: %lu absent, %lu complete",
		       variant_names[v], create_us[v], counts[v][0], counts[v][1]);
	h_note("crash: poller saw %lu absent, %lu complete, %lu partial or bad",
	       atomic_load(&shared->polls_absent), atomic_load(&shared->polls_complete),
	       atomic_load(&shared->polls_bad));
	h_note("crash: Shmem %lld kB before, %lld kB after; %s", shmem_before, shmem_after,
	       private_fs ? "private tmpfs: every block and inode returned after each round"
	                  : "shared /dev/shm");
	ck_assert_msg(atomic_load(&shared->polls_bad) == 0, "poller saw a bad array: %d",
	              shared->first_bad);
	ck_assert_int_eq(t_count_entries(dir, ""), 2);
	ck_assert_int_eq(t_count_entries("/dev/shm", ".sa-tmp-"), 0);
	/* Killed creators must not leak: a round's array is 32 MiB. */
	if (shmem_before >= 0 && shmem_after >= 0)
		ck_assert_int_lt(shmem_after - shmem_before, 8 * 32 * 1024);
	if (!private_fs)
		t_remove_tree(dir);
	free(dir);
	h_shared_free(shared, sizeof(*shared));
}
END_TEST

struct storm_arg {
	const char *name;
	int ready_fd, go_fd, go_write_fd;
};

static int storm_creator(void *arg)
{
	const struct storm_arg *c = arg;
	char byte;
	int ret;

	/* Only the parent may hold "go" open: its close is the start signal. */
	close(c->go_write_fd);
	if (write(c->ready_fd, "", 1) != 1 || read(c->go_fd, &byte, 1) != 0)
		return 3;
	ret = create(c->name, SHM_RESERVE);
	return ret == 0 ? 0 : ret == -EEXIST ? 4 : 2;
}

static int by_value(const void *a, const void *b)
{
	const unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/*
 * Several creators race for one name, all started at once, all killed at
 * random times (up to twice one create: they share the CPUs).
 */
START_TEST(sigkill_storm_on_one_name)
{
	const unsigned rounds = h_rounds(STORM_ROUNDS, 10);
	unsigned create_us;
	unsigned long absent = 0, complete_count = 0, finished = 0, won = 0;
	unsigned long long blocks, inodes;
	uint64_t rng = h_random_seed();
	char *dir, name[512];

	setup(&dir);
	create_us = measure_create(SHM_RESERVE);
	h_fs_usage(uses_file(SHM_RESERVE) ? dir : shm_root, &blocks, &inodes);
	for (unsigned round = 0; round < rounds; round++) {
		pid_t pids[STORM_CREATORS];
		unsigned kill_at[STORM_CREATORS], round_won = 0;
		struct storm_arg c;
		int ready[2], go[2], ret;
		double start;
		sa_info *info;
		char byte;

		make_name(name, sizeof(name), SHM_RESERVE, round);
		ck_assert_int_eq(pipe(ready), 0);
		ck_assert_int_eq(pipe(go), 0);
		c = (struct storm_arg){ name, ready[1], go[0], go[1] };
		for (int i = 0; i < STORM_CREATORS; i++) {
			pids[i] = t_fork(storm_creator, &c);
			ck_assert_int_eq(read(ready[0], &byte, 1), 1);
			kill_at[i] = (unsigned)(h_random(&rng) % (2 * create_us + 1));
		}
		qsort(kill_at, STORM_CREATORS, sizeof(kill_at[0]), by_value);
		close(ready[0]);
		close(ready[1]);
		close(go[0]);
		close(go[1]);  /* go: every creator's read returns 0 */
		start = h_now();
		for (int i = 0; i < STORM_CREATORS; i++) {
			const double wait_us = kill_at[i] - (h_now() - start) * 1e6;
			struct timespec ts = { 0, wait_us > 0 ? (long)(wait_us * 1000) : 0 };

			nanosleep(&ts, NULL);
			kill(pids[i], SIGKILL);
		}
		for (int i = 0; i < STORM_CREATORS; i++) {
			const int status = t_wait(pids[i]);

			/* Finished: created it (0) or found it taken (4). */
			ck_assert_msg(status == 0 || status == 4 || status == 128 + SIGKILL,
			              "creator: %d", status);
			finished += status != 128 + SIGKILL;
			round_won += status == 0;
		}
		/* One winner at most; a killed creator may have finished too. */
		ck_assert_uint_le(round_won, 1);
		won += round_won;
		ret = sa_stat(name, &info);
		ck_assert_msg(ret == 0 || ret == -ENOENT, "storm round %u: stat %d", round, ret);
		if (ret == 0) {
			sa_info_free(info);
			ck_assert(complete(name, SHM_RESERVE, true));
			ck_assert_int_eq(sa_delete(name), 0);
			complete_count++;
		} else {
			ck_assert_uint_eq(round_won, 0);  /* a winner's array stays */
			absent++;
		}
		if (private_fs)
			ck_assert(h_fs_usage_returns(uses_file(SHM_RESERVE) ? dir : shm_root, blocks,
			                             inodes));
	}
	h_note("crash storm: %u rounds x %d creators of one name started together, killed at "
	       "random: %lu absent, %lu complete; %lu creators finished before their kill "
	       "(%lu created it, the rest found it taken)",
	       rounds, STORM_CREATORS, absent, complete_count, finished, won);
	ck_assert_int_eq(t_count_entries("/dev/shm", ".sa-tmp-"), 0);
	if (!private_fs)
		t_remove_tree(dir);
	free(dir);
}
END_TEST

static Suite *crash_suite(void)
{
	Suite *s = suite_create("crash");
	TCase *tc = tcase_create("crash");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, sigkill_during_create_leaves_nothing_partial);
	tcase_add_test(tc, sigkill_storm_on_one_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(crash_suite());
}
