/*
 * bench_holders.c - what holders and transient arrays cost, side by side
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   bench_holders transient ROUNDS
 *       sa_attach alone and sa_detach alone, of a transient array and of an
 *       ordinary one, interleaved: what a transient attachment adds.
 *   bench_holders listing ARRAYS PROCESSES ROUNDS
 *       sa_list of ARRAYS arrays with and without sa_list_holders, while
 *       PROCESSES more processes run (each holding a few of the arrays),
 *       interleaved: what the HOLDERS column of "sharedarray list" costs.
 *   bench_holders trace PATH
 *       one sa-attach-transient or sa-attach-ordinary (attach + detach)
 *       between markers, for strace.
 *
 * Pairs print, tab-separated: label, median A (ns), median B (ns), A/B.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sharedarray.h"
#include "timing.h"

#define TRANSIENT_NAME "sa-bench-transient"
#define ORDINARY_NAME "sa-bench-ordinary"

static void die(const char *what, int err)
{
	bench_die("bench_holders", what, err);
}

static double *times(size_t n)
{
	double *t = malloc(n * sizeof(double));

	if (!t)
		die("malloc", ENOMEM);
	return t;
}

static void report(const char *label, double *a, double *b, size_t n)
{
	const double ma = median(a, n), mb = median(b, n);

	printf("%s\t%.0f\t%.0f\t%.3f\n", label, ma, mb, ma / mb);
	fflush(stdout);
}

/* ---- transient attachments ---------------------------------------------- */

/* Time one attach and one detach of NAME into *ATTACH and *DETACH. */
static void attach_detach(const char *name, double *attach, double *detach)
{
	sa_array *array;
	double t0 = now_ns(), t1, t2;
	int err = sa_attach(name, 0, &array);

	t1 = now_ns();
	if (err < 0)
		die("sa_attach", err);
	sa_detach(array);
	t2 = now_ns();
	*attach = t1 - t0;
	*detach = t2 - t1;
}

static void run_transient(size_t rounds)
{
	const size_t shape[1] = { 10 };
	double *at = times(rounds), *ao = times(rounds), *dt = times(rounds), *dn = times(rounds);
	sa_array *holder;
	int err;

	/* The transient one stays held meanwhile, as when workers come and go. */
	err = sa_create(TRANSIENT_NAME, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &holder);
	if (err < 0)
		die("sa_create transient", err);
	if ((err = sa_create(ORDINARY_NAME, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, NULL)) < 0)
		die("sa_create", err);
	for (size_t i = 0; i < rounds / 10; i++) {  /* warm up */
		attach_detach(TRANSIENT_NAME, &at[0], &dt[0]);
		attach_detach(ORDINARY_NAME, &ao[0], &dn[0]);
	}
	for (size_t i = 0; i < rounds; i++) {
		if (i % 2) {
			attach_detach(TRANSIENT_NAME, &at[i], &dt[i]);
			attach_detach(ORDINARY_NAME, &ao[i], &dn[i]);
		} else {
			attach_detach(ORDINARY_NAME, &ao[i], &dn[i]);
			attach_detach(TRANSIENT_NAME, &at[i], &dt[i]);
		}
	}
	report("C attach: transient vs ordinary", at, ao, rounds);
	report("C detach: transient vs ordinary", dt, dn, rounds);
	sa_detach(holder);
	sa_delete(ORDINARY_NAME);
	free(at);
	free(ao);
	free(dt);
	free(dn);
}

/* ---- listing with holders ------------------------------------------------ */

/* A process that holds HOLD arrays from FIRST on, and waits to be killed. */
static pid_t holder_process(const char *dir, int first, int hold, int arrays)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork", errno);
	if (pid > 0)
		return pid;
	for (int k = 0; k < hold; k++) {
		char name[600];
		sa_array *array;

		snprintf(name, sizeof(name), "file://%s/a%05d", dir, (first + k) % arrays);
		if (sa_attach(name, SA_RDONLY, &array) < 0)
			_exit(1);
	}
	for (;;)
		pause();
}

static void run_listing(int arrays, int processes, size_t rounds)
{
	char dir[] = "/dev/shm/sa-bench-holders-XXXXXX";
	const size_t shape[1] = { 10 };
	double *plain = times(rounds), *with = times(rounds);
	int *counts = malloc((size_t)(arrays + 1) * sizeof(int));
	pid_t *pids = malloc((size_t)processes * sizeof(pid_t));
	char label[128], cmd[600];

	if (!counts || !pids || !mkdtemp(dir))
		die("setup", errno ? errno : ENOMEM);
	for (int i = 0; i < arrays; i++) {
		char name[600];
		int err;

		snprintf(name, sizeof(name), "file://%s/a%05d", dir, i);
		if ((err = sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, NULL)) < 0)
			die("sa_create", err);
	}
	fflush(NULL);
	for (int p = 0; p < processes; p++)
		pids[p] = holder_process(dir, p * 5, 5, arrays);
	usleep(200000);  /* let them attach */
	for (size_t i = 0; i < rounds; i++) {
		sa_info **list;
		double t0, t1;

		for (int side = 0; side < 2; side++) {
			const int holders = (int)(i + (size_t)side) % 2;

			t0 = now_ns();
			if (sa_list(dir, &list) != arrays)
				die("sa_list", EIO);
			if (holders && sa_list_holders(list, counts) < 0)
				die("sa_list_holders", EIO);
			t1 = now_ns();
			sa_list_free(list);
			(holders ? with : plain)[i] = t1 - t0;
		}
	}
	snprintf(label, sizeof(label), "C list of %d arrays, %d more processes: with holders vs without",
	         arrays, processes);
	report(label, with, plain, rounds);
	for (int p = 0; p < processes; p++)
		kill(pids[p], SIGKILL);
	for (int p = 0; p < processes; p++)
		waitpid(pids[p], NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		die("rm", EIO);
	free(plain);
	free(with);
	free(counts);
	free(pids);
}

/* ---- traces ------------------------------------------------------------- */

static int trace(const char *path)
{
	const size_t shape[1] = { 10 };
	const bool transient = strcmp(path, "sa-attach-transient") == 0;
	const char *name = transient ? TRANSIENT_NAME : ORDINARY_NAME;
	sa_array *holder = NULL, *array;
	int err;

	if (!transient && strcmp(path, "sa-attach-ordinary") != 0)
		return 2;
	err = sa_create(name, SA_DTYPE_FLOAT64, 1, shape, transient ? SA_TRANSIENT : 0, 0600,
	                transient ? &holder : NULL);
	if (err < 0)
		die("sa_create", err);
	for (int i = 0; i < 2; i++) {
		if (i == 1 && write(STDERR_FILENO, "BEGIN\n", 6) < 0)
			die("write", errno);
		if ((err = sa_attach(name, 0, &array)) < 0)
			die("sa_attach", err);
		sa_detach(array);
	}
	if (write(STDERR_FILENO, "END\n", 4) < 0)
		die("write", errno);
	if (holder)
		sa_detach(holder);
	else
		sa_delete(name);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "transient") == 0) {
		run_transient((size_t)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "listing") == 0) {
		run_listing(atoi(argv[2]), atoi(argv[3]), (size_t)strtoul(argv[4], NULL, 10));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "trace") == 0)
		return trace(argv[2]);
	fprintf(stderr, "usage: bench_holders transient ROUNDS | listing ARRAYS PROCESSES ROUNDS"
	        " | trace PATH\n");
	return 2;
}
