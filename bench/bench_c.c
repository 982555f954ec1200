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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
	fprintf(stderr, "usage: bench_c pairs ROUNDS | steps ROUNDS | trace PATH\n");
	return 2;
}
