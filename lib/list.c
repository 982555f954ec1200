/*
 * list.c - sa_list: the arrays in a directory, by reading their trailers
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The shm directory is shared with every other program: it may hold FIFOs,
 * sockets, directories, unreadable or huge files.  Entries are opened
 * relative to the directory, never following symlinks, never blocking, and
 * only the tail of each is read: one fstat and one pread per entry.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct entries {
	sa_info **items;
	size_t count, capacity;
	bool reap;                /* skip and remove dead transient arrays */
};

static bool is_regular(int dirfd, const struct dirent *ent)
{
	struct stat st;

	if (ent->d_type == DT_REG)
		return true;
	if (ent->d_type != DT_UNKNOWN)
		return false;
	/* Some filesystems do not fill d_type. */
	return fstatat(dirfd, ent->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISREG(st.st_mode);
}

/* 0 and *OUT set for an array, 1 to skip the entry, or -ENOMEM. */
static int read_entry(int dirfd, const struct dirent *ent, bool reap, sa_info **out)
{
	int fd, ret;

	if (strncmp(ent->d_name, SA_TEMP_PREFIX, strlen(SA_TEMP_PREFIX)) == 0 ||
	    !is_regular(dirfd, ent))
		return 1;
	fd = openat(dirfd, ent->d_name,
	            O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 1;  /* vanished, unreadable: not ours to list */
	ret = sa_info_read(fd, ent->d_name, out);
	if (ret == 0 && reap && sa_info_is_transient(*out) &&
	    sa_transient_dead(fd, &(struct sa_named){ .dirfd = dirfd, .entry = ent->d_name }, *out)) {
		sa_info_free(*out);
		ret = 1;  /* a dead transient array: not listed, removed if we may */
	}
	close(fd);
	if (ret == -ENOMEM)
		return ret;
	return ret != 0 ? 1 : 0;
}

static int append(struct entries *e, sa_info *info)
{
	if (e->count + 1 >= e->capacity) {
		size_t capacity = e->capacity ? 2 * e->capacity : 16;
		sa_info **items = realloc(e->items, capacity * sizeof(*items));

		if (!items)
			return -ENOMEM;
		e->items = items;
		e->capacity = capacity;
	}
	e->items[e->count++] = info;
	e->items[e->count] = NULL;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(sa_info *const *)a)->name, (*(sa_info *const *)b)->name);
}

static int read_entries(DIR *dir, struct entries *e)
{
	const int fd = dirfd(dir);

	for (;;) {
		struct dirent *ent;
		sa_info *info;
		int ret;

		errno = 0;
		ent = readdir(dir);
		if (!ent)
			return errno ? -errno : 0;
		ret = read_entry(fd, ent, e->reap, &info);
		if (ret == 0 && (ret = append(e, info)) < 0)
			sa_info_free(info);
		if (ret < 0)
			return ret;
		if (e->count >= INT_MAX)
			return -EOVERFLOW;
	}
}

static const char *list_directory(const char *directory)
{
	if (!directory) {
#ifdef SA_SHM_DIR
		return SA_SHM_DIR;
#else
		return NULL;
#endif
	}
	if (strncmp(directory, SA_FILE_PREFIX, strlen(SA_FILE_PREFIX)) == 0)
		directory += strlen(SA_FILE_PREFIX);
	return directory;
}

int sa_list_open_dir(const char *directory)
{
	const char *path = list_directory(directory);
	int fd;

	if (!path)
		return -ENOTSUP;
	if (!*path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sa_list_read(int dirfd, bool reap, sa_info ***out)
{
	struct entries e = { NULL, 0, 0, reap };
	DIR *dir;
	int fd, ret;

	/* A descriptor of its own for readdir: the caller keeps DIRFD. */
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = read_entries(dir, &e);
	closedir(dir);
	/* An empty list is still a terminated vector. */
	if (ret == 0 && !e.items && !(e.items = calloc(1, sizeof(*e.items))))
		ret = -ENOMEM;
	if (ret < 0) {
		sa_list_free(e.items);
		return ret;
	}
	qsort(e.items, e.count, sizeof(*e.items), by_name);
	*out = e.items;
	return (int)e.count;
}

SA_EXPORT int sa_list(const char *directory, sa_info ***out)
{
	int dirfd, ret;

	if (!out)
		return -EINVAL;
	dirfd = sa_list_open_dir(directory);
	if (dirfd < 0)
		return dirfd;
	ret = sa_list_read(dirfd, true, out);
	close(dirfd);
	return ret;
}

SA_EXPORT void sa_list_free(sa_info **list)
{
	if (!list)
		return;
	for (sa_info **p = list; *p; p++)
		sa_info_free(*p);
	free(list);
}
