/*
 * attach.c - mapping arrays: sa_attach, sa_detach and the handle's accessors
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22   /* Linux 5.14 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static size_t map_size(const struct sa_array *array)
{
	return (size_t)array->info->segment_size;
}

/* Fault the whole mapping in, in the kernel, so first touches cost nothing. */
static int populate(void *addr, size_t size, int fd, int prot)
{
	const int advice = (prot & PROT_WRITE) ? MADV_POPULATE_WRITE : MADV_POPULATE_READ;

	if (madvise(addr, size, advice) == 0)
		return 0;
	if (errno == EINVAL) {
		/* Kernels before 5.14: map again over the same range, populated. */
		void *again = mmap(addr, size, prot, MAP_SHARED | MAP_FIXED | MAP_POPULATE,
		                   fd, 0);
		return again == MAP_FAILED ? -errno : 0;
	}
	/* EFAULT: a page could not be allocated, as a SIGBUS would say. */
	return errno == EFAULT ? -ENOSPC : -errno;
}

int sa_array_map(int fd, struct sa_info *info, unsigned flags, sa_array **out)
{
	const int prot = PROT_READ | ((flags & SA_RDONLY) ? 0 : PROT_WRITE);
	struct sa_array *array;
	size_t size;
	int ret;

	if (info->segment_size > SIZE_MAX) {
		ret = -EOVERFLOW;
		goto fail_info;
	}
	size = (size_t)info->segment_size;
	array = malloc(sizeof(*array));
	if (!array) {
		ret = -ENOMEM;
		goto fail_info;
	}
	array->addr = mmap(NULL, size, prot, MAP_SHARED, fd, 0);
	if (array->addr == MAP_FAILED) {
		ret = -errno;
		goto fail_array;
	}
	if (flags & SA_POPULATE) {
		ret = populate(array->addr, size, fd, prot);
		if (ret < 0)
			goto fail_map;
	}
	array->flags = (flags & SA_RDONLY) | (info->order == 'F' ? SA_FORTRAN : 0) |
	               (sa_info_is_transient(info) ? SA_TRANSIENT : 0);
	array->info = info;
	atomic_init(&array->fd, -1);
	atomic_init(&array->lock, NULL);
	*out = array;
	return 0;

fail_map:
	munmap(array->addr, size);
fail_array:
	free(array);
fail_info:
	free(info);
	return ret;
}

SA_EXPORT int sa_attach(const char *name, unsigned flags, sa_array **out)
{
	const int access = (flags & SA_RDONLY) ? O_RDONLY : O_RDWR;
	struct sa_location loc;
	struct sa_info *info;
	int fd, hold = -1, ret;

	if (!out || (flags & ~(SA_RDONLY | SA_POPULATE)))
		return -EINVAL;
	fd = sa_location_open_existing(name, access, &loc);
	if (fd < 0)
		return fd;
	ret = sa_info_read(fd, name, &info);
	/* A transient array: hold it, or find it dead (transient.c). */
	if (ret == 0 && sa_info_is_transient(info) &&
	    (hold = sa_transient_join(fd, access, &(struct sa_named){ .loc = &loc }, info)) < 0) {
		ret = hold;
		free(info);
	}
	if (ret == 0)
		ret = sa_array_map(fd, info, flags, out);
	if (ret == 0 && hold >= 0)
		atomic_store(&(*out)->fd, hold);   /* the handle keeps the hold */
	else if (hold >= 0)
		close(hold);
	close(fd);
	return ret;
}

SA_EXPORT int sa_detach(sa_array *array)
{
	int ret = 0;

	if (!array)
		return -EINVAL;
	if (munmap(array->addr, map_size(array)) < 0)
		ret = -errno;
	/* Closes the descriptor; the last holder of a transient array removes it. */
	sa_transient_release(array);
	sa_lock_state_free(array);
	free(array->info);
	free(array);
	return ret;
}

SA_EXPORT int sa_msync(const sa_array *array, int flags)
{
	if (!array || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	return msync(array->addr, map_size(array), flags) < 0 ? -errno : 0;
}

SA_EXPORT int sa_mlock(const sa_array *array)
{
	if (!array)
		return -EINVAL;
	return mlock(array->addr, map_size(array)) < 0 ? -errno : 0;
}

SA_EXPORT int sa_munlock(const sa_array *array)
{
	if (!array)
		return -EINVAL;
	return munlock(array->addr, map_size(array)) < 0 ? -errno : 0;
}

SA_EXPORT void *sa_data(const sa_array *array)
{
	return array ? array->addr : NULL;
}

SA_EXPORT size_t sa_nbytes(const sa_array *array)
{
	return array ? (size_t)array->info->nbytes : 0;
}

SA_EXPORT int sa_ndim(const sa_array *array)
{
	return array ? array->info->ndim : -EINVAL;
}

SA_EXPORT const size_t *sa_shape(const sa_array *array)
{
	return array ? array->info->shape : NULL;
}

SA_EXPORT const char *sa_dtype(const sa_array *array)
{
	return array ? array->info->dtype.str : NULL;
}

SA_EXPORT size_t sa_itemsize(const sa_array *array)
{
	return array ? array->info->dtype.itemsize : 0;
}

SA_EXPORT char sa_order(const sa_array *array)
{
	return array ? array->info->order : '\0';
}

SA_EXPORT const char *sa_descr(const sa_array *array)
{
	return array ? array->info->descr : NULL;
}

SA_EXPORT const char *sa_name(const sa_array *array)
{
	return array ? array->info->name : NULL;
}

SA_EXPORT unsigned sa_flags(const sa_array *array)
{
	return array ? array->flags : 0;
}

SA_EXPORT void *sa_map_addr(const sa_array *array)
{
	return array ? array->addr : NULL;
}

SA_EXPORT size_t sa_map_size(const sa_array *array)
{
	return array ? map_size(array) : 0;
}
