/*
 * lock.c - the array's lock: sa_lock, sa_unlock, sa_lock_query
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The lock is an open file description lock (fcntl(2) F_OFD_SETLK,
 * F_OFD_SETLKW) on byte SA_LOCK_BYTE of the segment's file, see
 * sharedarray(5): F_RDLCK shared, F_WRLCK exclusive.  Every attachment of
 * the array, by any name and in any process, locks the same file, and the
 * kernel drops such a lock when the last descriptor of its open file
 * description is closed: a holder that exits or is killed cannot leave it
 * held.
 *
 * Two holders exclude each other only if they lock through two open file
 * descriptions.  A handle therefore keeps a pool of descriptors, one for
 * each thread that locks through it at the same time (usually one), opened
 * on first use and never before: an attachment that never locks keeps no
 * descriptor.  Threads of one handle then contend in the kernel exactly as
 * processes do, and a blocked one is woken by a signal (EINTR) as in any
 * system call.  The first descriptor is found through the array's name
 * (sa_array_reopen: EIDRM if the name no longer names it); later ones are
 * opened again through /proc/self/fd, which gives a new description of the
 * same file whatever became of the name.
 *
 * After fork(2) a child shares its parent's descriptions: locking through
 * them would share the parent's lock instead of contending with it.  A pool
 * therefore knows the process it belongs to, by a MADV_WIPEONFORK page that
 * a child sees zeroed (no system call per lock; getpid(2) where the kernel
 * lacks it), and a child that locks starts a pool of its own and closes the
 * descriptors it inherited.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18   /* Linux 4.14 */
#endif

/*
 * Timed waits retry F_OFD_SETLK (F_OFD_SETLKW has no timeout, and a library
 * may not arm signals to cut it short), sleeping between tries: first this
 * long, then twice as long each time, up to RETRY_MAX_NS.  A timed waiter
 * may so take the lock up to RETRY_MAX_NS after it was released (sa_lock(3)).
 */
#define RETRY_FIRST_NS 50000L      /* 50 us */
#define RETRY_MAX_NS 2000000L      /* 2 ms */

enum { NODE_FREE, NODE_BUSY, NODE_HELD };

/* One descriptor of the pool, and who uses it. */
struct lock_node {
	struct lock_node *next;     /* set before the node is published */
	atomic_int fd;              /* -1 once closed (inherited by a child) */
	atomic_int status;          /* NODE_FREE, NODE_BUSY (claimed), NODE_HELD */
	_Atomic(pthread_t) owner;   /* the thread that claimed it */
};

struct sa_lock_state {
	_Atomic(struct lock_node *) nodes;
	struct sa_lock_state *parent;  /* the pool of the process this one forked from */
	const unsigned char *mark;     /* MADV_WIPEONFORK page: 1 here, 0 in a child */
	pid_t pid;                     /* the process, when there is no mark */
};

static bool state_is_ours(const struct sa_lock_state *s)
{
	return s->mark ? *s->mark != 0 : s->pid == getpid();
}

static unsigned char *fork_mark_new(void)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
	                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (madvise(p, page, MADV_WIPEONFORK) < 0) {
		munmap(p, page);
		return NULL;
	}
	*p = 1;
	return p;
}

static struct lock_node *node_new(int fd, int status)
{
	struct lock_node *n = malloc(sizeof(*n));

	if (!n)
		return NULL;
	n->next = NULL;
	atomic_init(&n->fd, fd);
	atomic_init(&n->status, status);
	atomic_init(&n->owner, pthread_self());
	return n;
}

/*
 * A new open file description of the file FD is open on, checked to be
 * ARRAY's.  Without /proc, or if the program closed FD behind our back,
 * through the name instead.
 */
static int reopen_descriptor(const sa_array *array, int fd)
{
	const int flags = ((array->flags & SA_RDONLY) ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY;
	char path[32];
	struct stat st;
	int copy;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	copy = open(path, flags);
	if (copy < 0 && errno != ENOENT && errno != ENOTDIR)
		return -errno;
	if (copy >= 0 && fstat(copy, &st) == 0 && sa_array_is_file(array, &st))
		return copy;
	if (copy >= 0)
		close(copy);
	return sa_array_reopen(array);
}

/* A live descriptor of the pool S or of those it forked from, or -1. */
static int any_descriptor(const struct sa_lock_state *s)
{
	for (; s; s = s->parent)
		for (struct lock_node *n = atomic_load(&s->nodes); n; n = n->next) {
			const int fd = atomic_load(&n->fd);

			if (fd >= 0)
				return fd;
		}
	return -1;
}

static int new_descriptor(const sa_array *array, const struct sa_lock_state *s)
{
	const int fd = any_descriptor(s);

	return fd >= 0 ? reopen_descriptor(array, fd) : sa_array_reopen(array);
}

/* Close the descriptors of pool S (not its parents) and free it. */
static void state_destroy(struct sa_lock_state *s)
{
	struct lock_node *n = atomic_load(&s->nodes);

	while (n) {
		struct lock_node *next = n->next;
		const int fd = atomic_load(&n->fd);

		if (fd >= 0)
			close(fd);
		free(n);
		n = next;
	}
	if (s->mark)
		munmap((void *)s->mark, (size_t)sysconf(_SC_PAGESIZE));
	free(s);
}

/*
 * A pool for this process.  In a forked child its first descriptor comes
 * from an inherited one, so that the name need not be found again.
 */
static struct sa_lock_state *state_new(const sa_array *array, struct sa_lock_state *parent)
{
	struct sa_lock_state *s = malloc(sizeof(*s));
	int fd;

	if (!s)
		return NULL;
	atomic_init(&s->nodes, NULL);
	s->parent = parent;
	s->mark = fork_mark_new();
	s->pid = s->mark ? 0 : getpid();
	fd = parent ? any_descriptor(parent) : -1;
	if (fd >= 0 && (fd = reopen_descriptor(array, fd)) >= 0) {
		struct lock_node *n = node_new(fd, NODE_FREE);

		if (!n)
			close(fd);
		atomic_init(&s->nodes, n);
	}
	return s;
}

/*
 * Close what a child inherited, unless the program closed it already and
 * the number now names another file.
 */
static void close_inherited(const sa_array *array, struct sa_lock_state *s)
{
	for (; s; s = s->parent)
		for (struct lock_node *n = atomic_load(&s->nodes); n; n = n->next) {
			const int fd = atomic_exchange(&n->fd, -1);
			struct stat st;

			if (fd >= 0 && fstat(fd, &st) == 0 && sa_array_is_file(array, &st))
				close(fd);
		}
}

/* The pool of this process, made on first use. */
static struct sa_lock_state *get_state(sa_array *array)
{
	struct sa_lock_state *cur = atomic_load(&array->lock), *fresh;

	while (!cur || !state_is_ours(cur)) {
		fresh = state_new(array, cur);
		if (!fresh)
			return NULL;
		if (atomic_compare_exchange_strong(&array->lock, &cur, fresh)) {
			close_inherited(array, fresh->parent);
			return fresh;
		}
		state_destroy(fresh);  /* another thread made one first: CUR is it */
	}
	return cur;
}

void sa_lock_state_free(sa_array *array)
{
	struct sa_lock_state *s = atomic_exchange(&array->lock, NULL);

	/* Older pools: a child that never locked still holds inherited descriptors. */
	while (s) {
		struct sa_lock_state *parent = s->parent;

		state_destroy(s);
		s = parent;
	}
}

/* The node through which the calling thread holds the lock, or NULL. */
static struct lock_node *held_by_caller(const struct sa_lock_state *s, bool *others)
{
	const pthread_t self = pthread_self();

	*others = false;
	for (struct lock_node *n = atomic_load(&s->nodes); n; n = n->next) {
		if (atomic_load(&n->status) != NODE_HELD)
			continue;
		if (pthread_equal(atomic_load(&n->owner), self))
			return n;
		*others = true;
	}
	return NULL;
}

/* A free descriptor of the pool, claimed (NODE_BUSY) for the calling thread. */
static struct lock_node *claim_node(const sa_array *array, struct sa_lock_state *s, int *err)
{
	struct lock_node *n, *head;
	int fd;

	/* Set on every path: optimising builds (-fsanitize=thread) cannot see it otherwise. */
	*err = 0;
	for (n = atomic_load(&s->nodes); n; n = n->next) {
		int expected = NODE_FREE;

		if (atomic_compare_exchange_strong(&n->status, &expected, NODE_BUSY)) {
			atomic_store(&n->owner, pthread_self());
			return n;
		}
	}
	fd = new_descriptor(array, s);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	n = node_new(fd, NODE_BUSY);
	if (!n) {
		close(fd);
		*err = -ENOMEM;
		return NULL;
	}
	head = atomic_load(&s->nodes);
	do
		n->next = head;
	while (!atomic_compare_exchange_weak(&s->nodes, &head, n));
	return n;
}

static int set_lock(int fd, int cmd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = SA_LOCK_BYTE,
	                    .l_len = 1 };

	if (fcntl(fd, cmd, &fl) == 0)
		return 0;
	/* POSIX allows EACCES for a conflict; Linux says EAGAIN. */
	return errno == EACCES ? -EAGAIN : -errno;
}

static void add_ns(struct timespec *t, long long ns)
{
	ns += t->tv_nsec;
	t->tv_sec += (time_t)(ns / 1000000000);
	t->tv_nsec = (long)(ns % 1000000000);
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Try until TIMEOUT_MS have passed, backing off between tries. */
static int take_retrying(int fd, short type, int timeout_ms)
{
	struct timespec deadline, now, wake;
	long interval = RETRY_FIRST_NS;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	add_ns(&deadline, (long long)timeout_ms * 1000000);
	for (;;) {
		int ret;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!before(&now, &deadline))
			return -ETIMEDOUT;
		wake = now;
		add_ns(&wake, interval);
		if (before(&deadline, &wake))
			wake = deadline;
		ret = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
		if (ret != 0)
			return -ret;  /* EINTR: a signal handler ran */
		ret = set_lock(fd, F_OFD_SETLK, type);
		if (ret != -EAGAIN)
			return ret;
		interval = interval * 2 > RETRY_MAX_NS ? RETRY_MAX_NS : interval * 2;
	}
}

static int take(int fd, unsigned how, int timeout_ms)
{
	const short type = how == SA_LOCK_EXCLUSIVE ? F_WRLCK : F_RDLCK;
	int ret;

	/* In the kernel: no CPU while waiting, and the lock the moment it is free. */
	if (timeout_ms < 0)
		return set_lock(fd, F_OFD_SETLKW, type);
	ret = set_lock(fd, F_OFD_SETLK, type);
	if (ret != -EAGAIN || timeout_ms == 0)
		return ret;
	return take_retrying(fd, type, timeout_ms);
}

SA_EXPORT int sa_lock(sa_array *array, unsigned how, int timeout_ms)
{
	struct sa_lock_state *s;
	struct lock_node *n;
	bool others;
	int ret;

	if (!array || (how != SA_LOCK_SHARED && how != SA_LOCK_EXCLUSIVE))
		return -EINVAL;
	/* Its descriptors are read-only: fcntl(2) would say EBADF. */
	if (how == SA_LOCK_EXCLUSIVE && (array->flags & SA_RDONLY))
		return -EPERM;
	s = get_state(array);
	if (!s)
		return -ENOMEM;
	if (held_by_caller(s, &others))
		return -EDEADLK;
	n = claim_node(array, s, &ret);
	if (!n)
		return ret;
	ret = take(atomic_load(&n->fd), how, timeout_ms);
	atomic_store(&n->status, ret == 0 ? NODE_HELD : NODE_FREE);
	return ret;
}

SA_EXPORT int sa_unlock(sa_array *array)
{
	struct sa_lock_state *s;
	struct lock_node *n;
	bool others;
	int ret;

	if (!array)
		return -EINVAL;
	/* A forked child holds nothing of what its parent held. */
	s = atomic_load(&array->lock);
	if (!s || !state_is_ours(s))
		return -ENOLCK;
	n = held_by_caller(s, &others);
	if (!n)
		return others ? -EPERM : -ENOLCK;
	do
		ret = set_lock(atomic_load(&n->fd), F_OFD_SETLK, F_UNLCK);
	while (ret == -EINTR);
	if (ret == 0)
		atomic_store(&n->status, NODE_FREE);
	return ret;
}

SA_EXPORT int sa_lock_query(const char *name, unsigned *how)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = SA_LOCK_BYTE,
	                    .l_len = 1 };
	struct sa_location loc;
	struct sa_info *info;
	int fd, ret;

	fd = sa_location_open_existing(name, O_RDONLY, &loc);
	if (fd < 0)
		return fd;
	/* Only an array's lock is worth asking about. */
	ret = sa_info_read(fd, name, &info);
	if (ret == 0) {
		free(info);
		/* What would conflict with an exclusive lock: any holder. */
		ret = fcntl(fd, F_OFD_GETLK, &fl) < 0 ? -errno : 0;
	}
	close(fd);
	if (ret < 0)
		return ret;
	if (fl.l_type == F_UNLCK)
		return 0;
	if (how)
		*how = fl.l_type == F_WRLCK ? SA_LOCK_EXCLUSIVE : SA_LOCK_SHARED;
	return 1;
}
