/*
 * rw.c - reading and writing an array's data through its file
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Filling a new array through its mapping faults every page into the
 * caller's page tables, one fault per 4 KiB page on a default tmpfs, and
 * reading a whole array through the mapping does much the same.  pwrite(2)
 * and pread(2) on the segment's file copy the same bytes inside the
 * kernel and map nothing: several times faster for a process that has
 * data to put into an array (or to compare with one) but no use for the
 * array's pages itself, such as a sender handing a copy to other
 * processes.  The descriptor is the handle's own (sa_array_file), opened
 * on first use and checked to be the attached segment's.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "internal.h"

/*
 * The descriptor to use for COUNT bytes at OFFSET of ARRAY's data, and the
 * file offset of those bytes, or a negative errno.
 */
static int data_file(sa_array *array, size_t count, size_t offset, int writing, off_t *at)
{
	const size_t nbytes = sa_nbytes(array);

	if (offset > nbytes || count > nbytes - offset)
		return -EINVAL;
	if (writing && (array->flags & SA_RDONLY))
		return -EBADF;
	/* The data's place in the segment, as mapped. */
	*at = (off_t)((const char *)sa_data(array) - (const char *)array->addr + offset);
	return sa_array_file(array);
}

int sa_pwrite_all(int fd, const void *buf, size_t len, uint64_t offset)
{
	const char *from = buf;

	while (len > 0) {
		const ssize_t n = pwrite(fd, from, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		from += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

int sa_pread_all(int fd, void *buf, size_t len, uint64_t offset)
{
	char *to = buf;

	while (len > 0) {
		const ssize_t n = pread(fd, to, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		to += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

SA_EXPORT int sa_pwrite(sa_array *array, const void *buf, size_t count, size_t offset)
{
	off_t at;
	int fd;

	if (!array || (!buf && count))
		return -EINVAL;
	fd = data_file(array, count, offset, 1, &at);
	if (fd < 0)
		return fd;
	return sa_pwrite_all(fd, buf, count, (uint64_t)at);
}

SA_EXPORT int sa_pread(sa_array *array, void *buf, size_t count, size_t offset)
{
	off_t at;
	int fd, ret;

	if (!array || (!buf && count))
		return -EINVAL;
	fd = data_file(array, count, offset, 0, &at);
	if (fd < 0)
		return fd;
	ret = sa_pread_all(fd, buf, count, (uint64_t)at);
	/* The file was cut short under the array. */
	return ret == -ENODATA ? -EIO : ret;
}
