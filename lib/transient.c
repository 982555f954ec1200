/*
 * transient.c - arrays that live as long as their holders (SA_TRANSIENT)
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A transient array has bit 0 of the trailer's flags byte set.  Every
 * attachment of one keeps a descriptor of the segment with an open file
 * description lock, F_RDLCK, on SA_HOLDER_BYTE (sharedarray(5), "Locks").
 * The kernel drops that lock when the last descriptor of the description
 * is closed: by a detach, an exit or a SIGKILL alike (fcntl(2), "Open file
 * description locks").  Whoever can then take F_WRLCK on the byte, from a
 * description of its own, knows that nobody holds the array, and removes
 * its name while it holds the write lock.
 *
 * The lock is taken on a description of its own, not on the one mapped:
 * a mapping keeps its description alive, and would keep the hold with it.
 *
 * An array is never unheld while it has a name: its creator takes its lock
 * before linkat(2) names it.  So an array found unheld is dead for good,
 * and attach, stat and list treat it as absent, and remove it when they may
 * (after a crash, nobody else will).  An attacher takes its read lock and
 * only then checks that the name still names the file: a remover that got
 * the write lock first has unlinked it by then, so no dead array is ever
 * handed out.
 *
 * Taking a write lock needs a descriptor open for writing; F_OFD_GETLK, which
 * tells whether one could be taken, does not.  Readers that may not write
 * (or remove) an array still see whether it is dead, and never get it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

enum holding { HELD, UNHELD, DYING };

static struct flock holder_lock(short type)
{
	return (struct flock){ .l_type = type, .l_whence = SEEK_SET,
	                       .l_start = SA_HOLDER_BYTE, .l_len = 1 };
}

/* F_OFD_GETLK reports the lock that would stop a write lock, if any. */
static enum holding probe(int fd)
{
	struct flock fl = holder_lock(F_WRLCK);

	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return HELD;  /* cannot tell: never take it for dead */
	if (fl.l_type == F_UNLCK)
		return UNHELD;
	/* A write lock: a remover is at work.  Holders only share read locks. */
	return fl.l_type == F_WRLCK ? DYING : HELD;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int named_open(const struct sa_named *n, int flags)
{
	int fd;

	if (n->loc)
		return sa_location_open(n->loc, flags | O_NONBLOCK, 0);
	fd = openat(n->dirfd, n->entry, flags | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* What the name N names now, resolved as opening it would. */
static int named_stat(const struct sa_named *n, struct stat *st)
{
#ifndef SA_SHM_DIR
	int fd, ret = 0;
#endif

	if (!n->loc)
		return fstatat(n->dirfd, n->entry, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	/* A path, resolved as sa_location_open does: shm names never follow links. */
	if (n->loc->scheme == SA_SCHEME_FILE)
		return stat(n->loc->path, st) < 0 ? -errno : 0;
#ifdef SA_SHM_DIR
	return lstat(n->loc->path, st) < 0 ? -errno : 0;
#else
	/* shm_open(3) names have no path to look at: open one, O_PATH. */
	fd = sa_location_open(n->loc, O_PATH, 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		ret = -errno;
	close(fd);
	return ret;
#endif
}

int sa_named_unlink_same(const struct sa_named *n, const struct stat *st)
{
	struct stat now;
	int ret = named_stat(n, &now);

	if (ret < 0)
		return ret == -ENOENT ? -ESTALE : ret;
	if (!same_file(&now, st))
		return -ESTALE;
	if (n->loc)
		return sa_location_unlink(n->loc);
	return unlinkat(n->dirfd, n->entry, 0) < 0 ? -errno : 0;
}

bool sa_info_is_transient(const struct sa_info *info)
{
	return (info->trailer_flags & SA_TRAILER_FLAG_TRANSIENT) != 0;
}

/*
 * A second open file description of the file open at FD, with ACCESS.  The
 * hold must not be on the one that is mapped: a mapping keeps its
 * description, and its locks, alive until munmap (so sa_release could not
 * let go).  Without /proc, or without the permission to open it again, a
 * duplicate descriptor holds it as well, until the mapping goes.
 */
static int second_description(int fd, int access)
{
	char path[64];
	int fd2;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = open(path, access | O_CLOEXEC | O_NOCTTY);
	if (fd2 < 0)
		fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return fd2 < 0 ? -errno : fd2;
}

int sa_transient_hold(int fd, int access)
{
	struct flock fl = holder_lock(F_RDLCK);
	int hold = second_description(fd, access), err;

	if (hold < 0)
		return hold;
	if (fcntl(hold, F_OFD_SETLK, &fl) == 0)
		return hold;
	err = errno;
	close(hold);
	/* EINVAL: a kernel without open file description locks (before 3.15). */
	return err == EINVAL ? -ENOLCK : -err;
}

int sa_transient_reap(const struct sa_named *n, const struct stat *st)
{
	struct flock fl = holder_lock(F_WRLCK);
	struct stat now;
	int fd, ret;

	/* A description of our own, which holds no lock that could hide others'. */
	fd = named_open(n, O_RDWR);
	if (fd < 0)
		return fd == -ENOENT ? -ESTALE : fd;
	/* Held (whatever file the name names now): the common case, first. */
	if (fcntl(fd, F_OFD_SETLK, &fl) < 0)
		ret = (errno == EAGAIN || errno == EACCES) ? -EBUSY : -errno;
	else if (fstat(fd, &now) < 0)
		ret = -errno;
	else if (!same_file(&now, st))
		ret = -ESTALE;
	else  /* under the write lock: no attacher can take a hold and keep it */
		ret = sa_named_unlink_same(n, st);
	close(fd);
	return ret;
}

bool sa_transient_dead(int fd, const struct sa_named *n, const struct sa_info *info)
{
	switch (probe(fd)) {
	case HELD:
		return false;
	case DYING:
		return true;
	case UNHELD:
		break;
	}
	/* An attacher whose check came just before ours may hold it now. */
	if (sa_transient_reap(n, &info->st) == -EBUSY && probe(fd) == HELD)
		return false;
	return true;
}

int sa_transient_join(int fd, int access, const struct sa_named *n, const struct sa_info *info)
{
	struct stat now;
	int hold, ret;

	if (sa_transient_dead(fd, n, info))
		return -ENOENT;
	hold = sa_transient_hold(fd, access);
	if (hold < 0)  /* EAGAIN: a remover's write lock, so it is dead */
		return (hold == -EAGAIN || hold == -EACCES) ? -ENOENT : hold;
	/* A remover that got the write lock first has unlinked the name by now. */
	ret = named_stat(n, &now);
	if (ret == 0 && same_file(&now, &info->st))
		return hold;
	close(hold);
	return (ret == 0 || ret == -ENOENT) ? -ENOENT : ret;
}

bool sa_transient_clear(const struct sa_location *loc)
{
	const struct sa_named n = { .loc = loc };
	struct sa_info *info;
	bool retry = false;
	int fd;

	fd = sa_location_open(loc, O_RDONLY | O_NONBLOCK, 0);
	if (fd < 0)
		return fd == -ENOENT;  /* gone meanwhile */
	if (sa_info_read(fd, "", &info) == 0) {
		if (sa_info_is_transient(info) && sa_transient_dead(fd, &n, info)) {
			struct stat now;

			retry = true;
			/* Another remover may be a few system calls from unlinking it. */
			if (named_stat(&n, &now) == 0 && same_file(&now, &info->st))
				sched_yield();
		}
		free(info);
	}
	close(fd);
	return retry;
}

void sa_transient_release(sa_array *array)
{
	struct sa_location loc;

	if (!sa_array_file_close(array) || !(array->flags & SA_TRANSIENT) ||
	    sa_location_parse(array->info->name, &loc) < 0)
		return;
	/* EBUSY while others hold it; the last one out removes it. */
	sa_transient_reap(&(struct sa_named){ .loc = &loc }, &array->info->st);
}

SA_EXPORT int sa_release(sa_array *array)
{
	if (!array)
		return -EINVAL;
	if (array->flags & SA_TRANSIENT)
		sa_transient_release(array);
	return 0;
}

SA_EXPORT int sa_info_transient(const sa_info *info)
{
	return info ? sa_info_is_transient(info) : -EINVAL;
}
