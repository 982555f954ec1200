/*
 * hardening.h - helpers of the hardening tests (issue 6)
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SA_HARDENING_H
#define SA_HARDENING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "support.h"

/* Under "make check-valgrind" (SA_TEST_VALGRIND=1 in the environment). */
bool h_under_valgrind(void);
/* Built with AddressSanitizer (./configure --enable-sanitizers). */
bool h_under_asan(void);
/* Rounds to run: N, or N / DIVISOR (at least 1) under valgrind. */
unsigned h_rounds(unsigned n, unsigned divisor);

/* Print a TAP comment line ("# ...") now: figures for the log. */
void h_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Zeroed memory shared with the children forked later (MAP_SHARED). */
void *h_shared_alloc(size_t size);
void h_shared_free(void *p, size_t size);

/* A small, fast generator for each process (xorshift64*). */
uint64_t h_random(uint64_t *state);
uint64_t h_random_seed(void);
/* Sleep up to MAX_US microseconds at random (0: just yield). */
void h_random_delay(uint64_t *state, unsigned max_us);

/* Seconds of CLOCK_MONOTONIC. */
double h_now(void);

/* The uid/gid of "nobody" (65534 when there is no such entry). */
void h_nobody(uid_t *uid, gid_t *gid);
/* In a child: become UID/GID for good (no supplementary groups).  0 or -errno. */
int h_become(uid_t uid, gid_t gid);

/* Number of open file descriptors of this process. */
int h_count_fds(void);

/* Used blocks and inodes of the filesystem holding PATH. */
void h_fs_usage(const char *path, unsigned long long *blocks, unsigned long long *inodes);
/* Wait (up to 5 s) until PATH's filesystem is back to BLOCKS/INODES used; false if not. */
bool h_fs_usage_returns(const char *path, unsigned long long blocks, unsigned long long inodes);

/* "Shmem:" of /proc/meminfo, in KiB, or -1. */
long long h_meminfo_shmem_kib(void);

#endif
