/*
 * test_lock.c - sa_lock, sa_unlock, sa_lock_query across real processes
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Children report through their exit status (0 for success, a distinct
 * code for each check) rather than check's assertions, and every wait of
 * the parent for a child, and of a child for the lock, is bounded by
 * alarm(2): a hang fails the test instead of blocking the suite.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

/* Generous bounds: only a hang should ever reach them. */
#define HANG_SECONDS 30
#define HANG_MS (HANG_SECONDS * 1000)

#define CHECK(cond, code) do { if (!(cond)) return (code); } while (0)

static bool under_valgrind(void)
{
	return getenv("SA_TEST_VALGRIND") != NULL;
}

/*
 * memcheck treats F_OFD_SETLKW as a system call that cannot block: it keeps
 * signals blocked and every other thread of the process stopped until it
 * returns.  Under it, waits that threads of one process share are timed
 * (which sleep in clock_nanosleep instead), and a signal cannot be tested.
 */
static int untimed_unless_valgrind(void)
{
	return under_valgrind() ? HANG_MS : -1;
}

static void note(const char *text)
{
	printf("# %s\n", text);
	fflush(stdout);
}

static const size_t shape4[1] = { 4 };

static void put_byte(int fd)
{
	ck_assert_int_eq(write(fd, "x", 1), 1);
}

static void get_byte(int fd)
{
	char byte;

	ck_assert_int_eq(read(fd, &byte, 1), 1);
}

static int open_fds(void)
{
	return t_count_entries("/proc/self/fd", "");
}

/* ---- arguments, invalid use ----------------------------------------------- */

START_TEST(test_invalid_arguments)
{
	char name[128];
	sa_array *array;

	t_new_array(name, sizeof(name), "inval", &array);
	ck_assert_int_eq(sa_lock(NULL, SA_LOCK_SHARED, 0), -EINVAL);
	ck_assert_int_eq(sa_lock(array, 2, 0), -EINVAL);
	ck_assert_int_eq(sa_lock(array, ~0u, -1), -EINVAL);
	ck_assert_int_eq(sa_unlock(NULL), -EINVAL);
	ck_assert_int_eq(sa_unlock(array), -ENOLCK);
	ck_assert_int_eq(sa_lock_query(NULL, NULL), -EINVAL);
	t_drop_array(array, name);
}
END_TEST

/* Not recursive: the same thread asking again through the same handle. */
START_TEST(test_deadlock_is_refused)
{
	char name[128];
	sa_array *array;

	t_new_array(name, sizeof(name), "deadlk", &array);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, -1), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, -1), -EDEADLK);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), -EDEADLK);
	ck_assert_int_eq(sa_unlock(array), 0);
	ck_assert_int_eq(sa_unlock(array), -ENOLCK);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, -1), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 100), -EDEADLK);
	ck_assert_int_eq(sa_unlock(array), 0);
	t_drop_array(array, name);
}
END_TEST

/* An attachment that never locks keeps no descriptor; one that locks keeps one. */
START_TEST(test_descriptor_only_when_locking)
{
	char name[128];
	sa_array *array, *other;
	const int before = open_fds();

	t_new_array(name, sizeof(name), "fds", &array);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &other), 0);
	ck_assert_int_eq(open_fds(), before);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, -1), 0);
	ck_assert_int_eq(open_fds(), before + 1);
	ck_assert_int_eq(sa_unlock(array), 0);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, -1), 0);
		ck_assert_int_eq(sa_unlock(array), 0);
	}
	ck_assert_int_eq(open_fds(), before + 1);
	ck_assert_int_eq(sa_detach(other), 0);
	t_drop_array(array, name);
	ck_assert_int_eq(open_fds(), before);
}
END_TEST

/* ---- across processes ---------------------------------------------------- */

struct peer {
	const char *name;
	sa_array *handle;
	unsigned attach_flags;
	int to_child[2], to_parent[2];
	int rounds;
};

/* Counters incremented with a gap between read and write: only the lock keeps them exact. */
static int incrementer(void *arg)
{
	const struct peer *p = arg;
	volatile int64_t *data;
	sa_array *array;

	alarm(HANG_SECONDS);
	CHECK(sa_attach(p->name, p->attach_flags, &array) == 0, 10);
	data = sa_data(array);
	for (int i = 0; i < p->rounds; i++) {
		int64_t value;

		CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, -1) == 0, 11);
		value = data[0];
		if (i % 16 == 0)
			sched_yield();
		data[0] = value + 1;
		data[1] = data[1] + 2;
		CHECK(sa_unlock(array) == 0, 12);
	}
	return sa_detach(array) == 0 ? 0 : 13;
}

START_TEST(test_mutual_exclusion_between_processes)
{
	enum { PROCS = 4 };
	const int rounds = under_valgrind() ? 100 : 1500;
	char name[128], path[160];
	sa_array *array;
	struct peer p[PROCS];
	pid_t pids[PROCS];
	int64_t *data;

	t_new_array(name, sizeof(name), "mutex", &array);
	data = sa_data(array);
	/* Each process attaches by its own route: the lock is the array's. */
	snprintf(path, sizeof(path), "file:///dev/shm/%s", name + strlen("shm://"));
	for (int i = 0; i < PROCS; i++) {
		p[i] = (struct peer){ .name = i % 2 ? path : name, .rounds = rounds };
		pids[i] = t_fork(incrementer, &p[i]);
	}
	for (int i = 0; i < PROCS; i++)
		ck_assert_int_eq(t_wait(pids[i]), 0);
	ck_assert_int_eq(data[0], (int64_t)PROCS * rounds);
	ck_assert_int_eq(data[1], (int64_t)PROCS * rounds * 2);
	t_drop_array(array, name);
}
END_TEST

/* The child tries what the parent's hold allows and forbids, then reports. */
static int try_against_parent(void *arg)
{
	const struct peer *p = arg;
	sa_array *array, *ro;
	char byte;

	alarm(HANG_SECONDS);
	CHECK(sa_attach(p->name, 0, &array) == 0, 10);
	CHECK(sa_attach(p->name, SA_RDONLY, &ro) == 0, 11);
	CHECK(read(p->to_child[0], &byte, 1) == 1, 12);
	if (byte == 's') {  /* the parent holds it shared */
		CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, 0) == -EAGAIN, 20);
		CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, 30) == -ETIMEDOUT, 21);
		CHECK(sa_lock(array, SA_LOCK_SHARED, 0) == 0, 22);
		CHECK(sa_lock(ro, SA_LOCK_SHARED, 0) == 0, 23);
		CHECK(sa_unlock(ro) == 0, 24);
		CHECK(sa_unlock(array) == 0, 25);
	} else {            /* exclusive */
		CHECK(sa_lock(array, SA_LOCK_SHARED, 0) == -EAGAIN, 30);
		CHECK(sa_lock(ro, SA_LOCK_SHARED, 30) == -ETIMEDOUT, 31);
		CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, 0) == -EAGAIN, 32);
	}
	CHECK(write(p->to_parent[1], "d", 1) == 1, 13);
	/* Released now: a timed wait gets it as soon as it is free. */
	CHECK(read(p->to_child[0], &byte, 1) == 1, 14);
	CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, HANG_MS) == 0, 15);
	CHECK(sa_unlock(array) == 0, 16);
	sa_detach(ro);
	return sa_detach(array) == 0 ? 0 : 17;
}

static void parent_holds(unsigned how, char tag)
{
	char name[128], byte;
	sa_array *array;
	struct peer p = { .name = name };
	pid_t pid;

	t_new_array(name, sizeof(name), "hold", &array);
	ck_assert_int_eq(pipe(p.to_child), 0);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	pid = t_fork(try_against_parent, &p);
	ck_assert_int_eq(sa_lock(array, how, -1), 0);
	ck_assert_int_eq(write(p.to_child[1], &tag, 1), 1);
	alarm(HANG_SECONDS);
	ck_assert_int_eq(read(p.to_parent[0], &byte, 1), 1);
	ck_assert_int_eq(sa_unlock(array), 0);
	put_byte(p.to_child[1]);
	ck_assert_int_eq(t_wait(pid), 0);
	alarm(0);
	t_drop_array(array, name);
}

START_TEST(test_shared_holders_together)
{
	parent_holds(SA_LOCK_SHARED, 's');
}
END_TEST

START_TEST(test_exclusive_excludes_everyone)
{
	parent_holds(SA_LOCK_EXCLUSIVE, 'x');
}
END_TEST

/* A timed waiter gets the lock when its holder lets go before the deadline. */
static int holds_briefly(void *arg)
{
	const struct peer *p = arg;
	sa_array *array;

	CHECK(sa_attach(p->name, 0, &array) == 0, 10);
	CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, -1) == 0, 11);
	CHECK(write(p->to_parent[1], "h", 1) == 1, 12);
	CHECK(read(p->to_child[0], &(char){ 0 }, 1) == 1, 15);
	usleep(50000);  /* while the parent waits, most likely */
	CHECK(sa_unlock(array) == 0, 13);
	return sa_detach(array) == 0 ? 0 : 14;
}

START_TEST(test_timed_wait_succeeds)
{
	char name[128];
	sa_array *array;
	struct peer p = { .name = name };
	pid_t pid;

	t_new_array(name, sizeof(name), "timed", &array);
	ck_assert_int_eq(pipe(p.to_child), 0);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	pid = t_fork(holds_briefly, &p);
	get_byte(p.to_parent[0]);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, 0), -EAGAIN);
	put_byte(p.to_child[1]);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, HANG_MS), 0);
	ck_assert_int_eq(sa_unlock(array), 0);
	ck_assert_int_eq(t_wait(pid), 0);
	t_drop_array(array, name);
}
END_TEST

/* ---- holders killed ------------------------------------------------------ */

static int holder_until_killed(void *arg)
{
	const struct peer *p = arg;
	sa_array *array;

	CHECK(sa_attach(p->name, 0, &array) == 0, 10);
	CHECK(sa_lock(array, p->rounds % 2 ? SA_LOCK_SHARED : SA_LOCK_EXCLUSIVE, -1) == 0, 11);
	CHECK(write(p->to_parent[1], "h", 1) == 1, 12);
	for (;;)
		pause();
}

/* The waiter blocks in the kernel (untimed) or retries (timed): both must get it. */
static int waiter(void *arg)
{
	const struct peer *p = arg;
	sa_array *array;

	alarm(HANG_SECONDS);
	CHECK(sa_attach(p->name, 0, &array) == 0, 10);
	CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, p->rounds % 4 < 2 ? -1 : HANG_MS) == 0, 11);
	CHECK(sa_unlock(array) == 0, 12);
	return sa_detach(array) == 0 ? 0 : 13;
}

START_TEST(test_killed_holders_never_leave_it_held)
{
	const int rounds = under_valgrind() ? 20 : 300;
	char name[128];
	sa_array *array;
	struct peer p = { .name = name };

	t_new_array(name, sizeof(name), "kill", &array);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	for (int round = 0; round < rounds; round++) {
		pid_t holder, waiting;

		p.rounds = round;
		holder = t_fork(holder_until_killed, &p);
		get_byte(p.to_parent[0]);
		ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), -EAGAIN);
		waiting = t_fork(waiter, &p);
		if (round % 8 == 0)
			usleep(1000);  /* now and then, surely blocked before the kill */
		ck_assert_int_eq(kill(holder, SIGKILL), 0);
		ck_assert_int_eq(t_wait(holder), 128 + SIGKILL);
		ck_assert_msg(t_wait(waiting) == 0, "round %d: the waiter did not get the lock", round);
		ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), 0);
		ck_assert_int_eq(sa_unlock(array), 0);
	}
	t_drop_array(array, name);
}
END_TEST

/* ---- signals ------------------------------------------------------------- */

/* Blocked behind the parent's hold, a signal must end the wait with nothing held. */
static int interrupted_waiter(void *arg)
{
	const struct peer *p = arg;
	sa_array *array;

	alarm(HANG_SECONDS);
	CHECK(t_interrupt_on(SIGUSR1) == 0, 10);
	CHECK(sa_attach(p->name, 0, &array) == 0, 11);
	CHECK(write(p->to_parent[1], "r", 1) == 1, 12);
	CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, p->rounds) == -EINTR, 13);
	CHECK(sa_unlock(array) == -ENOLCK, 14);
	CHECK(write(p->to_parent[1], "i", 1) == 1, 15);
	CHECK(read(p->to_child[0], &(char){ 0 }, 1) == 1, 16);
	return sa_detach(array) == 0 ? 0 : 17;
}

static void interrupt_a_waiter(int timeout_ms)
{
	char name[128];
	sa_array *array, *other;
	struct peer p = { .name = name, .rounds = timeout_ms };
	pid_t pid;

	t_new_array(name, sizeof(name), "eintr", &array);
	ck_assert_int_eq(pipe(p.to_child), 0);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, -1), 0);
	pid = t_fork(interrupted_waiter, &p);
	get_byte(p.to_parent[0]);
	t_signal_until_told(pid, SIGUSR1, p.to_parent[0]);
	/* Nothing was left held or queued: the lock is free once the parent lets go. */
	ck_assert_int_eq(sa_unlock(array), 0);
	ck_assert_int_eq(sa_attach(name, 0, &other), 0);
	ck_assert_int_eq(sa_lock(other, SA_LOCK_EXCLUSIVE, 0), 0);
	ck_assert_int_eq(sa_unlock(other), 0);
	ck_assert_int_eq(sa_detach(other), 0);
	put_byte(p.to_child[1]);
	ck_assert_int_eq(t_wait(pid), 0);
	t_drop_array(array, name);
}

START_TEST(test_signal_interrupts_untimed_wait)
{
	if (under_valgrind()) {
		note("SKIP: memcheck keeps signals blocked in F_OFD_SETLKW");
		return;
	}
	interrupt_a_waiter(-1);
}
END_TEST

START_TEST(test_signal_interrupts_timed_wait)
{
	interrupt_a_waiter(HANG_MS);
}
END_TEST

/* ---- threads of one handle ------------------------------------------------ */

struct shared_handle {
	sa_array *array;
	int rounds;
	int result;
};

static void *thread_increments(void *arg)
{
	struct shared_handle *h = arg;
	volatile int64_t *data = sa_data(h->array);

	for (int i = 0; i < h->rounds; i++) {
		int64_t value;

		if (sa_lock(h->array, SA_LOCK_EXCLUSIVE, untimed_unless_valgrind()) != 0) {
			h->result = 1;
			return NULL;
		}
		value = data[0];
		if (i % 16 == 0)
			sched_yield();
		data[0] = value + 1;
		if (sa_unlock(h->array) != 0) {
			h->result = 2;
			return NULL;
		}
	}
	return NULL;
}

START_TEST(test_threads_of_one_handle_exclude_each_other)
{
	enum { THREADS = 4 };
	char name[128];
	sa_array *array;
	struct shared_handle h[THREADS];
	pthread_t threads[THREADS];

	t_new_array(name, sizeof(name), "threads", &array);
	for (int i = 0; i < THREADS; i++) {
		h[i] = (struct shared_handle){ .array = array,
		                               .rounds = under_valgrind() ? 100 : 2000 };
		ck_assert_int_eq(pthread_create(&threads[i], NULL, thread_increments, &h[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
		ck_assert_int_eq(h[i].result, 0);
	}
	ck_assert_int_eq(((int64_t *)sa_data(array))[0], (int64_t)THREADS * h[0].rounds);
	t_drop_array(array, name);
}
END_TEST

static void *thread_tries(void *arg)
{
	struct shared_handle *h = arg;

	h->result = sa_lock(h->array, (unsigned)h->rounds, 0);
	if (h->result == 0 && sa_unlock(h->array) != 0)
		h->result = 1000;
	return NULL;
}

static int try_in_thread(sa_array *array, unsigned how)
{
	struct shared_handle h = { .array = array, .rounds = (int)how };
	pthread_t thread;

	ck_assert_int_eq(pthread_create(&thread, NULL, thread_tries, &h), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	return h.result;
}

static void *thread_unlocks(void *arg)
{
	struct shared_handle *h = arg;

	h->result = sa_unlock(h->array);
	return NULL;
}

/* Two threads, one handle: as two processes; and only the holder unlocks. */
START_TEST(test_threads_of_one_handle_like_processes)
{
	char name[128];
	sa_array *array;
	struct shared_handle h = { 0 };
	pthread_t thread;

	t_new_array(name, sizeof(name), "thr2", &array);
	h.array = array;
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, -1), 0);
	ck_assert_int_eq(try_in_thread(array, SA_LOCK_SHARED), -EAGAIN);
	ck_assert_int_eq(try_in_thread(array, SA_LOCK_EXCLUSIVE), -EAGAIN);
	ck_assert_int_eq(pthread_create(&thread, NULL, thread_unlocks, &h), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_int_eq(h.result, -EPERM);
	ck_assert_int_eq(sa_unlock(array), 0);

	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, -1), 0);
	ck_assert_int_eq(try_in_thread(array, SA_LOCK_SHARED), 0);
	ck_assert_int_eq(try_in_thread(array, SA_LOCK_EXCLUSIVE), -EAGAIN);
	ck_assert_int_eq(sa_unlock(array), 0);
	ck_assert_int_eq(try_in_thread(array, SA_LOCK_EXCLUSIVE), 0);
	t_drop_array(array, name);
}
END_TEST

/* ---- fork: a child contends with its parent, through an inherited handle ---- */

static int inherited_handle(void *arg)
{
	struct peer *p = arg;
	sa_array *array = p->handle;  /* the parent's handle, inherited */
	char byte;

	alarm(HANG_SECONDS);
	CHECK(read(p->to_child[0], &byte, 1) == 1, 10);
	if (byte == 'x') {  /* the parent holds it through this very handle */
		CHECK(sa_unlock(array) == -ENOLCK, 11);
		CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, 0) == -EAGAIN, 12);
		CHECK(sa_lock(array, SA_LOCK_SHARED, 0) == -EAGAIN, 13);
		CHECK(write(p->to_parent[1], "d", 1) == 1, 14);
		CHECK(read(p->to_child[0], &byte, 1) == 1, 15);
	}
	CHECK(sa_lock(array, SA_LOCK_EXCLUSIVE, HANG_MS) == 0, 16);
	CHECK(write(p->to_parent[1], "h", 1) == 1, 17);
	CHECK(read(p->to_child[0], &byte, 1) == 1, 18);
	CHECK(sa_unlock(array) == 0, 19);
	return sa_detach(array) == 0 ? 0 : 20;
}

START_TEST(test_forked_child_contends_with_parent)
{
	char name[128];
	sa_array *array;
	struct peer p = { 0 };
	pid_t pid;

	t_new_array(name, sizeof(name), "fork", &array);
	p.handle = array;
	ck_assert_int_eq(pipe(p.to_child), 0);
	ck_assert_int_eq(pipe(p.to_parent), 0);
	/* The parent has its descriptor before the fork, and holds the lock. */
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, -1), 0);
	pid = t_fork(inherited_handle, &p);
	put_byte(p.to_child[1]);  /* 'x' */
	get_byte(p.to_parent[0]);
	ck_assert_int_eq(sa_unlock(array), 0);
	put_byte(p.to_child[1]);
	get_byte(p.to_parent[0]);  /* the child holds it now */
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, 0), -EAGAIN);
	put_byte(p.to_child[1]);
	ck_assert_int_eq(t_wait(pid), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), 0);
	ck_assert_int_eq(sa_unlock(array), 0);
	t_drop_array(array, name);
}
END_TEST

/* ---- attachments, names and files ----------------------------------------- */

START_TEST(test_read_only_takes_shared_only)
{
	char name[128];
	sa_array *array, *ro;

	t_new_array(name, sizeof(name), "ro", &array);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &ro), 0);
	ck_assert_int_eq(sa_lock(ro, SA_LOCK_EXCLUSIVE, 0), -EPERM);
	ck_assert_int_eq(sa_lock(ro, SA_LOCK_EXCLUSIVE, -1), -EPERM);
	ck_assert_int_eq(sa_lock(ro, SA_LOCK_SHARED, -1), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), -EAGAIN);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, 0), 0);
	ck_assert_int_eq(sa_unlock(array), 0);
	ck_assert_int_eq(sa_unlock(ro), 0);
	ck_assert_int_eq(sa_detach(ro), 0);
	t_drop_array(array, name);
}
END_TEST

START_TEST(test_file_arrays)
{
	char *dir = t_make_tmpdir(), name[512];
	sa_array *a, *b;
	unsigned how = 99;

	snprintf(name, sizeof(name), "file://%s/lock.sa", dir);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT32, 1, shape4, 0, 0600, &a), 0);
	ck_assert_int_eq(sa_attach(name, 0, &b), 0);
	ck_assert_int_eq(sa_lock_query(name, &how), 0);
	ck_assert_int_eq(sa_lock(a, SA_LOCK_EXCLUSIVE, -1), 0);
	ck_assert_int_eq(sa_lock(b, SA_LOCK_SHARED, 0), -EAGAIN);
	ck_assert_int_eq(sa_lock_query(name, &how), 1);
	ck_assert_uint_eq(how, SA_LOCK_EXCLUSIVE);
	ck_assert_int_eq(sa_unlock(a), 0);
	ck_assert_int_eq(sa_lock(b, SA_LOCK_SHARED, 0), 0);
	ck_assert_int_eq(sa_lock_query(name, &how), 1);
	ck_assert_uint_eq(how, SA_LOCK_SHARED);
	ck_assert_int_eq(sa_detach(b), 0);  /* detaching releases */
	ck_assert_int_eq(sa_lock_query(name, NULL), 0);
	ck_assert_int_eq(sa_detach(a), 0);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_query)
{
	char name[128], *dir = t_make_tmpdir(), path[512];
	sa_array *array;

	t_new_array(name, sizeof(name), "query", &array);
	ck_assert_int_eq(sa_lock_query(name, NULL), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, -1), 0);
	ck_assert_int_eq(sa_lock_query(name, NULL), 1);
	ck_assert_int_eq(sa_unlock(array), 0);
	snprintf(path, sizeof(path), "%s/junk", dir);
	t_write_file(path, "not an array", 12);
	snprintf(path, sizeof(path), "file://%s/junk", dir);
	ck_assert_int_eq(sa_lock_query(path, NULL), -EBADMSG);
	snprintf(path, sizeof(path), "file://%s/none", dir);
	ck_assert_int_eq(sa_lock_query(path, NULL), -ENOENT);
	ck_assert_int_eq(sa_lock_query("", NULL), -EINVAL);
	t_drop_array(array, name);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

static void *thread_locks_shared(void *arg)
{
	struct shared_handle *h = arg;

	h->result = sa_lock(h->array, SA_LOCK_SHARED, 0);
	if (h->result == 0)
		h->result = sa_unlock(h->array);
	return NULL;
}

/*
 * The first lock finds the name again: a deleted name is EIDRM.  A handle
 * that has locked keeps working, for more threads too.
 */
START_TEST(test_deleted_name)
{
	char name[128];
	sa_array *array, *late, *replaced;
	struct shared_handle h;
	pthread_t thread;

	t_new_array(name, sizeof(name), "idrm", &array);
	ck_assert_int_eq(sa_attach(name, 0, &late), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_SHARED, -1), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(sa_lock(late, SA_LOCK_SHARED, 0), -EIDRM);
	h = (struct shared_handle){ .array = array };
	ck_assert_int_eq(pthread_create(&thread, NULL, thread_locks_shared, &h), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_int_eq(h.result, 0);
	ck_assert_int_eq(sa_unlock(array), 0);
	/* The name given to another array: still not this one. */
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 1, shape4, 0, 0600, &replaced), 0);
	ck_assert_int_eq(sa_lock(late, SA_LOCK_EXCLUSIVE, 0), -EIDRM);
	ck_assert_int_eq(sa_lock(replaced, SA_LOCK_EXCLUSIVE, 0), 0);
	ck_assert_int_eq(sa_lock(array, SA_LOCK_EXCLUSIVE, 0), 0);  /* another file */
	ck_assert_int_eq(sa_detach(late), 0);
	ck_assert_int_eq(sa_detach(array), 0);
	t_drop_array(replaced, name);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lock");
	TCase *tc = tcase_create("lock");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_invalid_arguments);
	tcase_add_test(tc, test_deadlock_is_refused);
	tcase_add_test(tc, test_descriptor_only_when_locking);
	tcase_add_test(tc, test_mutual_exclusion_between_processes);
	tcase_add_test(tc, test_shared_holders_together);
	tcase_add_test(tc, test_exclusive_excludes_everyone);
	tcase_add_test(tc, test_timed_wait_succeeds);
	tcase_add_test(tc, test_killed_holders_never_leave_it_held);
	tcase_add_test(tc, test_signal_interrupts_untimed_wait);
	tcase_add_test(tc, test_signal_interrupts_timed_wait);
	tcase_add_test(tc, test_threads_of_one_handle_exclude_each_other);
	tcase_add_test(tc, test_threads_of_one_handle_like_processes);
	tcase_add_test(tc, test_forked_child_contends_with_parent);
	tcase_add_test(tc, test_read_only_takes_shared_only);
	tcase_add_test(tc, test_file_arrays);
	tcase_add_test(tc, test_query);
	tcase_add_test(tc, test_deleted_name);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
