/*
 * timing.h - what the C benchmarks share: a clock, medians, dying
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SA_BENCH_TIMING_H
#define SA_BENCH_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int by_value(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the N values of V (which it sorts). */
static inline double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* "PROGRAM: WHAT: strerror(ERR)" and exit 1; ERR positive or negative. */
static inline void bench_die(const char *program, const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", program, what, strerror(err < 0 ? -err : err));
	exit(1);
}

#endif
