/*
 * bench_c.c - libsharedarray against the bare system calls, side by side
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each pair is measured interleaved (A, B, A, B...) in one run, so that the
 * drift of a noisy machine hits both sides alike; the medians and their
 * ratio are printed one pair per line, tab-separated:
 *
 *   pair <TAB> median A (ns) <TAB> median B (ns) <TAB> A/B
 *
 * "steps ROUNDS" times each system call of the create+delete paths alone;
 * "trace PATH" runs one path once, between markers, for strace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sharedarray.h"
#include "timing.h"

#define SMALL_NAME "sa-bench-small"
#define FLOOR_NAME "sa-bench-floor"
#define SMALL_ELEMENTS 10     /* 80 bytes of float64 */

static void die(const char *what, int err)
{
	bench_die("bench_c", what, err);
}

/* --- the paths -------------------------------------------------------- */

static void sa_create_detach_delete(void)
{
	const size_t shape[1] = { SMALL_ELEMENTS };
	sa_array *array;
	int err = sa_create(SMALL_NAME, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, &array);

	if (err < 0)
		die("sa_create", err);
	sa_detach(array);
	if ((err = sa_delete(SMALL_NAME)) < 0)
		die("sa_delete", err);
}

/* The floor: what any shared memory segment of that size costs. */
static void floor_create_unmap_unlink(void)
{
	const size_t size = SMALL_ELEMENTS * 8 + 292;
	int fd = shm_open(FLOOR_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
	void *p;

	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		die("floor create", errno);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("floor mmap", errno);
	munmap(p, size);
	close(fd);
	shm_unlink(FLOOR_NAME);
}

static void sa_attach_detach(const char *name)
{
	sa_array *array;
	int err = sa_attach(name, 0, &array);

	if (err < 0)
		die("sa_attach", err);
	sa_detach(array);
}

static void floor_attach(void)
{
	struct stat st;
	int fd = shm_open(FLOOR_NAME, O_RDWR, 0);
	void *p;

	if (fd < 0 || fstat(fd, &st) < 0)
		die("floor open", errno);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("floor mmap", errno);
	munmap(p, (size_t)st.st_size);
	close(fd);
}

/* --- pairs ------------------------------------------------------------ */

struct side {
	void (*run)(const char *arg);
	const char *arg;
};

static void run_sa_create(const char *arg) { (void)arg; sa_create_detach_delete(); }
static void run_floor_create(const char *arg) { (void)arg; floor_create_unmap_unlink(); }
static void run_sa_attach(const char *arg) { sa_attach_detach(arg); }
static void run_floor_attach(const char *arg) { (void)arg; floor_attach(); }

static void pair(const char *label, struct side a, struct side b, size_t rounds)
{
	double *ta = malloc(rounds * sizeof(double)), *tb = malloc(rounds * sizeof(double));
	double ma, mb;

	if (!ta || !tb)
		die("malloc", ENOMEM);
	for (size_t i = 0; i < rounds / 10; i++) {  /* warm up */
		a.run(a.arg);
		b.run(b.arg);
	}
	for (size_t i = 0; i < rounds; i++) {
		double t0 = now_ns(), t1, t2;

		a.run(a.arg);
		t1 = now_ns();
		b.run(b.arg);
		t2 = now_ns();
		ta[i] = t1 - t0;
		tb[i] = t2 - t1;
	}
	ma = median(ta, rounds);
	mb = median(tb, rounds);
	printf("%s\t%.0f\t%.0f\t%.3f\n", label, ma, mb, ma / mb);
	fflush(stdout);
	free(ta);
	free(tb);
}

static long resident_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2)
		die("statm", EIO);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Attach must not touch the data: resident memory before and after. */
static void attach_resident(const char *name, size_t bytes)
{
	const size_t shape[1] = { bytes };
	sa_array *array;
	long before, after;
	int err = sa_create(name, "|u1", 1, shape, 0, 0600, NULL);

	if (err < 0)
		die("sa_create (resident)", err);
	/* Once before: the first attach of a process grows its heap. */
	if ((err = sa_attach(name, SA_RDONLY, &array)) < 0)
		die("sa_attach (resident)", err);
	sa_detach(array);
	before = resident_kib();
	if ((err = sa_attach(name, SA_RDONLY, &array)) < 0)
		die("sa_attach (resident)", err);
	after = resident_kib();
	printf("resident growth attaching %zu bytes (KiB)\t%ld\t%ld\t%.3f\n", bytes, after - before,
	       0L, 0.0);
	sa_detach(array);
	sa_delete(name);
}

static void make_floor_segment(void)
{
	int fd = shm_open(FLOOR_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);

	if (fd < 0 || ftruncate(fd, SMALL_ELEMENTS * 8 + 292) < 0)
		die("floor create", errno);
	close(fd);
}

static void run_pairs(size_t rounds)
{
	const size_t big[1] = { 128u << 20 }, tiny[1] = { SMALL_ELEMENTS };
	int err;

	pair("C create+detach+delete: sa vs shm_open floor",
	     (struct side){ run_sa_create, NULL }, (struct side){ run_floor_create, NULL }, rounds);

	if ((err = sa_create(SMALL_NAME, SA_DTYPE_FLOAT64, 1, tiny, 0, 0600, NULL)) < 0)
		die("sa_create", err);
	make_floor_segment();
	pair("C attach+detach: sa vs shm_open floor",
	     (struct side){ run_sa_attach, SMALL_NAME }, (struct side){ run_floor_attach, NULL },
	     rounds);

	if ((err = sa_create("sa-bench-big", "|u1", 1, big, 0, 0600, NULL)) < 0)
		die("sa_create big", err);
	pair("C attach+detach: 128 MiB vs 80 bytes",
	     (struct side){ run_sa_attach, "sa-bench-big" },
	     (struct side){ run_sa_attach, SMALL_NAME }, rounds);
	sa_delete("sa-bench-big");
	sa_delete(SMALL_NAME);
	shm_unlink(FLOOR_NAME);

	attach_resident("sa-bench-res-small", 1024);
	attach_resident("sa-bench-res-big", (size_t)1 << 30);
}

/*
 * Where the time of create+detach+delete goes: the same system calls as
 * the library makes (see the strace listing), and the floor's, each timed
 * alone, medians over ROUNDS.  A measuring tool, not a second library.
 */
#define MAX_STEPS 16

struct steps {
	const char *names[MAX_STEPS];
	double *times[MAX_STEPS];
	int count;
	size_t round;
	double last;
};

static void step(struct steps *st, const char *name)
{
	double t = now_ns();

	if (st->round == 0)
		st->names[st->count] = name;
	st->times[st->count++][st->round] = t - st->last;
	st->last = now_ns();
}

static void library_sequence(struct steps *st)
{
	const char path[] = "/dev/shm/" SMALL_NAME;
	unsigned char meta[348] = { 0 }, tail[348];
	struct stat sb;
	void *p;
	int fd;

	st->last = now_ns();
	fd = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	step(st, "openat O_TMPFILE");
	if (fd < 0 || ftruncate(fd, 80 + sizeof(meta)) < 0)
		die("steps", errno);
	step(st, "ftruncate");
	if (pwrite(fd, meta, sizeof(meta), 80) < 0)
		die("steps", errno);
	step(st, "pwrite metadata (allocates the page)");
	p = mmap(NULL, 80 + sizeof(meta), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	step(st, "mmap");
	if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) < 0)
		die("steps linkat", errno);
	step(st, "linkat (gives the name)");
	close(fd);
	step(st, "close");
	munmap(p, 80 + sizeof(meta));
	step(st, "munmap (detach)");
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	step(st, "openat (delete: check it is an array)");
	fstat(fd, &sb);
	step(st, "fstat (delete)");
	if (pread(fd, tail, sizeof(tail), 80) < 0)
		die("steps", errno);
	step(st, "pread trailer (delete)");
	unlink(path);
	step(st, "unlink");
	close(fd);
	step(st, "close (frees the segment)");
}

static void floor_sequence(struct steps *st)
{
	const size_t size = 80 + 348;
	void *p;
	int fd;

	st->last = now_ns();
	fd = shm_open(FLOOR_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
	step(st, "floor: openat O_CREAT|O_EXCL");
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		die("floor steps", errno);
	step(st, "floor: ftruncate");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	step(st, "floor: mmap");
	munmap(p, size);
	step(st, "floor: munmap");
	close(fd);
	step(st, "floor: close");
	shm_unlink(FLOOR_NAME);
	step(st, "floor: unlink (frees the segment)");
}

static void run_steps(size_t rounds)
{
	struct steps lib = { .count = 0 }, flr = { .count = 0 };

	for (int i = 0; i < MAX_STEPS; i++) {
		lib.times[i] = malloc(rounds * sizeof(double));
		flr.times[i] = malloc(rounds * sizeof(double));
		if (!lib.times[i] || !flr.times[i])
			die("malloc", ENOMEM);
	}
	for (size_t r = 0; r < rounds; r++) {
		lib.count = flr.count = 0;
		lib.round = flr.round = r;
		library_sequence(&lib);
		floor_sequence(&flr);
	}
	for (int i = 0; i < lib.count; i++)
		printf("%s\t%.0f\n", lib.names[i], median(lib.times[i], rounds));
	for (int i = 0; i < flr.count; i++)
		printf("%s\t%.0f\n", flr.names[i], median(flr.times[i], rounds));
}

/*
 * One path once, between two marker writes to stderr, so that a syscall
 * trace (strace -o) can be cut to exactly that path.  The path runs once
 * before, so that what a process does only once (malloc's first brk, lazy
 * binding) is not counted.
 */
static void marker(const char *text)
{
	if (write(STDERR_FILENO, text, strlen(text)) < 0)
		die("write", errno);
}

static int trace(const char *path)
{
	const size_t tiny[1] = { SMALL_ELEMENTS };
	int err;

	if (strcmp(path, "sa-create") == 0) {
		sa_create_detach_delete();
		marker("BEGIN\n");
		sa_create_detach_delete();
		marker("END\n");
	} else if (strcmp(path, "floor-create") == 0) {
		floor_create_unmap_unlink();
		marker("BEGIN\n");
		floor_create_unmap_unlink();
		marker("END\n");
	} else if (strcmp(path, "sa-attach") == 0) {
		if ((err = sa_create(SMALL_NAME, SA_DTYPE_FLOAT64, 1, tiny, 0, 0600, NULL)) < 0)
			die("sa_create", err);
		sa_attach_detach(SMALL_NAME);
		marker("BEGIN\n");
		sa_attach_detach(SMALL_NAME);
		marker("END\n");
		sa_delete(SMALL_NAME);
	} else if (strcmp(path, "floor-attach") == 0) {
		make_floor_segment();
		floor_attach();
		marker("BEGIN\n");
		floor_attach();
		marker("END\n");
		shm_unlink(FLOOR_NAME);
	} else {
		return 2;
	}
	return 0;
}

/*
 * --- Locks and change notification (issue 12) --------------------------
 *
 * "locks ROUNDS" prints, tab-separated, medians in nanoseconds:
 *   lock pair exclusive  sa  fcntl  mutex   a lock+unlock pair, uncontended
 *   lock pair shared     sa  fcntl  mutex
 *   wake-up              sa  pipe           notify (or write) -> waiter returns
 *   hand-over            untimed  timed     unlock -> a waiter in another process has it
 * where fcntl is the bare F_OFD_SETLK pair on one descriptor and mutex a
 * robust PTHREAD_PROCESS_SHARED mutex in shared memory: the floor of a
 * lock the kernel releases at a crash, and the fastest process-shared lock.
 */
#define LOCK_NAME "sa-bench-lock"
#define LOCK_BATCH 100

struct lock_sides {
	sa_array *array;
	int fd;
	pthread_mutex_t *mutex;
	unsigned how;
};

static void batch_sa(struct lock_sides *l)
{
	for (int i = 0; i < LOCK_BATCH; i++) {
		if (sa_lock(l->array, l->how, -1) < 0)
			die("sa_lock", EIO);
		sa_unlock(l->array);
	}
}

static void batch_fcntl(struct lock_sides *l)
{
	struct flock fl = { .l_whence = SEEK_SET, .l_start = (off_t)1 << 62, .l_len = 1 };

	for (int i = 0; i < LOCK_BATCH; i++) {
		fl.l_type = l->how == SA_LOCK_EXCLUSIVE ? F_WRLCK : F_RDLCK;
		if (fcntl(l->fd, F_OFD_SETLKW, &fl) < 0)
			die("fcntl", errno);
		fl.l_type = F_UNLCK;
		fcntl(l->fd, F_OFD_SETLK, &fl);
	}
}

static void batch_mutex(struct lock_sides *l)
{
	for (int i = 0; i < LOCK_BATCH; i++) {
		if (pthread_mutex_lock(l->mutex) == EOWNERDEAD)
			pthread_mutex_consistent(l->mutex);
		pthread_mutex_unlock(l->mutex);
	}
}

static void lock_pairs(struct lock_sides *l, const char *label, size_t rounds)
{
	void (*const sides[3])(struct lock_sides *) = { batch_sa, batch_fcntl, batch_mutex };
	double *t[3];

	for (int k = 0; k < 3; k++)
		if (!(t[k] = malloc(rounds * sizeof(double))))
			die("malloc", ENOMEM);
	for (size_t r = 0; r < rounds + rounds / 10; r++) {
		for (int j = 0; j < 3; j++) {
			const int k = (int)((r + (size_t)j) % 3);  /* rotate the order */
			const double t0 = now_ns();

			sides[k](l);
			if (r >= rounds / 10)  /* the first tenth warms up */
				t[k][r - rounds / 10] = (now_ns() - t0) / LOCK_BATCH;
		}
	}
	printf("%s\t%.0f\t%.0f\t%.0f\n", label, median(t[0], rounds), median(t[1], rounds),
	       median(t[2], rounds));
	fflush(stdout);
	for (int k = 0; k < 3; k++)
		free(t[k]);
}

/* What the two processes of the latency measures share. */
struct rendezvous {
	_Atomic int ready;       /* wake-up: the waiter is about to sleep;
	                            hand-over: the waker holds the lock */
	_Atomic int done;        /* the waiter has recorded its time */
	double stamp;            /* when the waker acted */
	double latency;          /* what the waiter measured */
};

static void wait_for_flag(_Atomic int *flag)
{
	while (!atomic_load(flag))
		sched_yield();
	atomic_store(flag, 0);
}

/* The waiter: ROUNDS times, sa_wait then read(2) of the pipe. */
static void wake_waiter(sa_array *array, struct rendezvous *rv, int fd, size_t rounds)
{
	for (size_t r = 0; r < 2 * rounds; r++) {
		unsigned long long seen = sa_generation(array);
		char byte;

		atomic_store(&rv->ready, 1);
		if (r % 2 == 0) {
			if (sa_wait(array, seen, 10000, &seen) < 0)
				_exit(1);
		} else if (read(fd, &byte, 1) != 1) {
			_exit(1);
		}
		rv->latency = now_ns() - rv->stamp;
		atomic_store(&rv->done, 1);
	}
	_exit(0);
}

/* Long enough for the waiter to be asleep when it is woken. */
static void settle(void)
{
	nanosleep(&(struct timespec){ .tv_nsec = 300000 }, NULL);
}

static void wake_ups(sa_array *array, struct rendezvous *rv, size_t rounds)
{
	double *t_sa = malloc(rounds * sizeof(double)), *t_pipe = malloc(rounds * sizeof(double));
	int pipefd[2];
	pid_t pid;

	if (!t_sa || !t_pipe || pipe(pipefd) < 0)
		die("wake-up setup", errno);
	pid = fork();
	if (pid == 0)
		wake_waiter(array, rv, pipefd[0], rounds);
	for (size_t r = 0; r < 2 * rounds; r++) {
		wait_for_flag(&rv->ready);
		settle();
		rv->stamp = now_ns();
		if (r % 2 == 0)
			sa_notify(array);
		else if (write(pipefd[1], "w", 1) != 1)
			die("write", errno);
		wait_for_flag(&rv->done);
		(r % 2 == 0 ? t_sa : t_pipe)[r / 2] = rv->latency;
	}
	waitpid(pid, NULL, 0);
	printf("wake-up\t%.0f\t%.0f\n", median(t_sa, rounds), median(t_pipe, rounds));
	fflush(stdout);
	free(t_sa);
	free(t_pipe);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* The waiter: takes the lock untimed, then timed, alternately, and says how late. */
static void hand_over_waiter(struct rendezvous *rv, size_t rounds)
{
	sa_array *array;

	if (sa_attach(LOCK_NAME, 0, &array) < 0)
		_exit(1);
	for (size_t r = 0; r < 2 * rounds; r++) {
		wait_for_flag(&rv->ready);  /* the waker holds the lock: now wait */
		if (sa_lock(array, SA_LOCK_EXCLUSIVE, r % 2 ? 10000 : -1) < 0)
			_exit(1);
		rv->latency = now_ns() - rv->stamp;
		sa_unlock(array);
		atomic_store(&rv->done, 1);
	}
	_exit(0);
}

static void hand_overs(sa_array *array, struct rendezvous *rv, size_t rounds)
{
	double *untimed = malloc(rounds * sizeof(double)), *timed = malloc(rounds * sizeof(double));
	unsigned seed = 1;
	pid_t pid;

	if (!untimed || !timed)
		die("malloc", ENOMEM);
	pid = fork();
	if (pid == 0)
		hand_over_waiter(rv, rounds);
	for (size_t r = 0; r < 2 * rounds; r++) {
		if (sa_lock(array, SA_LOCK_EXCLUSIVE, -1) < 0)
			die("sa_lock", EIO);
		atomic_store(&rv->ready, 1);
		/* Held 0.3 to 5 ms: the release falls anywhere in the retry schedule. */
		seed = seed * 1103515245u + 12345u;
		nanosleep(&(struct timespec){ .tv_nsec = 300000 + (long)(seed >> 8) % 4700000 },
		          NULL);
		rv->stamp = now_ns();
		sa_unlock(array);
		wait_for_flag(&rv->done);
		(r % 2 ? timed : untimed)[r / 2] = rv->latency;
	}
	waitpid(pid, NULL, 0);
	printf("hand-over\t%.0f\t%.0f\n", median(untimed, rounds), median(timed, rounds));
	fflush(stdout);
	free(untimed);
	free(timed);
}

static void run_locks(size_t rounds)
{
	const size_t shape[1] = { 16 };
	pthread_mutexattr_t attr;
	struct lock_sides l;
	struct rendezvous *rv;
	void *shared;
	int err;

	sa_delete(LOCK_NAME);
	if ((err = sa_create(LOCK_NAME, SA_DTYPE_INT64, 1, shape, 0, 0600, &l.array)) < 0)
		die("sa_create", err);
	l.fd = open("/dev/shm/" LOCK_NAME, O_RDWR | O_CLOEXEC);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l.fd < 0 || shared == MAP_FAILED)
		die("lock setup", errno);
	l.mutex = shared;
	rv = (struct rendezvous *)((char *)shared + 2048);
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(l.mutex, &attr);
	l.how = SA_LOCK_EXCLUSIVE;
	lock_pairs(&l, "lock pair exclusive", rounds);
	l.how = SA_LOCK_SHARED;
	lock_pairs(&l, "lock pair shared", rounds);
	wake_ups(l.array, rv, rounds / 2);
	hand_overs(l.array, rv, rounds / 10);
	close(l.fd);
	sa_detach(l.array);
	sa_delete(LOCK_NAME);
	munmap(shared, 4096);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "trace") == 0)
		return trace(argv[2]);
	if (argc == 3 && strcmp(argv[1], "steps") == 0) {
		run_steps((size_t)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "pairs") == 0) {
		run_pairs((size_t)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "locks") == 0) {
		run_locks((size_t)strtoul(argv[2], NULL, 10));
		return 0;
	}
	fprintf(stderr, "usage: bench_c pairs ROUNDS | steps ROUNDS | trace PATH | locks ROUNDS\n");
	return 2;
}
