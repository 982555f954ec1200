/*
 * support.h - helpers shared by the C tests
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SA_TEST_SUPPORT_H
#define SA_TEST_SUPPORT_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "sharedarray.h"

/*
 * Run a suite, TAP on stdout when CK_TAP_LOG_FILE_NAME=- (make check).
 * Where POSIX shared memory is unusable, skip the program (t_require_shm).
 */
int t_run_suite(Suite *suite);
/* Print a TAP skip and exit unless shm_open(3) can create objects here. */
void t_require_shm(void);

/* A name unique to this process and call: "shm://sa-test-PID-TAG-N". */
void t_shm_name(char *buf, size_t len, const char *tag);
/* The same, bare (as listed in the shm directory): "sa-test-PID-TAG-N". */
void t_bare_name(char *buf, size_t len, const char *tag);

bool t_is_root(void);
/* For programs whose every test needs root: print a TAP skip and exit. */
void t_require_root(const char *why);

/* Fork, run FN(ARG) in the child, exit with its return value. */
pid_t t_fork(int (*fn)(void *), void *arg);
/* Wait for PID: its exit status, or 128 + the signal that killed it. */
int t_wait(pid_t pid);
/* t_fork then t_wait. */
int t_in_child(int (*fn)(void *), void *arg);
/*
 * Fork N children that wait for each other and then all run FN(ARG, i),
 * for i from 0 to N - 1, at once; their pids go to PIDS.
 */
void t_fork_together(int n, int (*fn)(void *, int), void *arg, pid_t *pids);
/*
 * Send SIG to PID every 2 ms until a byte can be read from FD (which is
 * made non-blocking), and consume it: for a child that says it was
 * interrupted, and may not have started waiting when the first one came.
 */
void t_signal_until_told(pid_t pid, int sig, int fd);
/*
 * A new array of 4 int64 under a fresh shm name (into NAME, LEN bytes)
 * stored in *ARRAY.  Pass the address of a variable of the test: it stays
 * in the test's frame, so that memcheck finds the handle reachable from
 * the children the test forks.
 */
void t_new_array(char *name, size_t len, const char *tag, sa_array **array);
/* Detach ARRAY and delete NAME. */
void t_drop_array(sa_array *array, const char *name);

/* Catch SIG with a handler that does nothing, without SA_RESTART: 0 or -errno. */
int t_interrupt_on(int sig);

/* A fresh directory under /tmp (free with t_remove_tree). */
char *t_make_tmpdir(void);
void t_remove_tree(const char *dir);

/*
 * Root only: a private mount namespace for this process (check forks every
 * test, so it ends with the test) with a new tmpfs of SIZE ("1M") on
 * /dev/shm.  Returns 0 or -errno.
 */
int t_private_shm(const char *size);
/* Root only: mount a tmpfs of SIZE on DIR in a private mount namespace. */
int t_private_tmpfs(const char *dir, const char *size);
/* Whether t_private_shm and t_private_tmpfs can work here: 0 or -errno. */
int t_private_mounts_available(void);
/* For programs whose every test needs them: a TAP skip, saying why, and exit. */
void t_require_private_mounts(const char *why);
/*
 * Root only: run FN(ARG) as process 1 of a new PID namespace, in a private
 * mount namespace where /proc shows that namespace alone.  Returns its
 * exit status (as t_wait); 97 to 99 when the namespace could not be made.
 */
int t_in_pid_namespace(int (*fn)(void *), void *arg);
/* Root only: become user UID (group UID too) as a login would: 0 or -errno. */
int t_become(uid_t uid);

/*
 * The processes whose /proc/PID/maps this process may not open, counted
 * independently of the library (plus one when /proc hides process 1).
 */
int t_unreadable_processes(void);

/* Write LEN bytes to a new file PATH (mode 0644). */
void t_write_file(const char *path, const void *data, size_t len);
/* Number of entries in DIR whose name starts with PREFIX. */
int t_count_entries(const char *dir, const char *prefix);

/*
 * An original SharedArray 3.x segment built byte by byte: DATA (SIZE bytes)
 * followed by the packed native-endian trailer with SLOTS dims (32: numpy
 * 1.x build, 292 bytes; 64: numpy 2.x build, 548 bytes).  Returns the
 * segment length written into BUF.
 */
size_t t_legacy_segment(unsigned char *buf, size_t cap, int slots, int32_t typenum,
                        int32_t itemsize, int32_t ndims, const int64_t *dims,
                        uint64_t size, const void *data);

/* /dev/shm/BARE: where a bare shm name's segment lives. */
void t_shm_path(char *buf, size_t len, const char *bare);
/* The inode PATH names now (lstat), or 0 when it names nothing. */
ino_t t_inode_of(const char *path);

/*
 * A child process that attaches NAME with FLAGS, says it did, and waits for
 * an order: 'd' detach and exit, 'x' exit without detaching.  Or kill it.
 */
struct t_holder {
	pid_t pid;
	int orders;   /* the pipe its orders come through */
};

struct t_holder t_holder_start(const char *name, unsigned flags);
/* The same as user UID (root only; (uid_t)-1: this process's user). */
struct t_holder t_holder_start_as(const char *name, unsigned flags, uid_t uid);
/* Give H its order and check it exits 0. */
void t_holder_order(struct t_holder *h, char order);
/* SIGKILL H and reap it. */
void t_holder_kill(struct t_holder *h);

#endif
