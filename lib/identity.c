/*
 * identity.c - which file an array is, and finding that file again
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A name can be deleted and given to another array while an attachment
 * lives on.  The segment itself is known by its device and inode number,
 * recorded when it was attached or created: that is what tells an
 * attachment and a name apart, and what the features that need a
 * descriptor of the segment after attaching (locks, lifetimes) check when
 * they open the name again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"

bool sa_array_is_file(const sa_array *array, const struct stat *st)
{
	return st->st_dev == array->info->st.st_dev && st->st_ino == array->info->st.st_ino;
}

int sa_array_reopen(const sa_array *array)
{
	const int flags = (array->flags & SA_RDONLY) ? O_RDONLY : O_RDWR;
	struct sa_location loc;
	struct stat st;
	int fd;

	fd = sa_location_open_existing(array->info->name, flags, &loc);
	if (fd == -ENOENT || fd == -EBADMSG)
		return -EIDRM;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !sa_array_is_file(array, &st)) {
		close(fd);
		return -EIDRM;
	}
	return fd;
}

int sa_array_file(sa_array *array)
{
	int fd = atomic_load(&array->fd), expected = -1;

	if (fd >= 0)
		return fd;
	fd = sa_array_reopen(array);
	if (fd < 0)
		return fd;
	/* Two threads may race here: the first descriptor stored wins. */
	if (!atomic_compare_exchange_strong(&array->fd, &expected, fd)) {
		close(fd);
		return expected;
	}
	return fd;
}

bool sa_array_file_close(sa_array *array)
{
	const int fd = atomic_exchange(&array->fd, -1);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

SA_EXPORT int sa_identity(const sa_array *array, dev_t *dev, ino_t *ino)
{
	if (!array)
		return -EINVAL;
	if (dev)
		*dev = array->info->st.st_dev;
	if (ino)
		*ino = array->info->st.st_ino;
	return 0;
}

SA_EXPORT dev_t sa_info_dev(const sa_info *info)
{
	return info ? info->st.st_dev : 0;
}

SA_EXPORT ino_t sa_info_ino(const sa_info *info)
{
	return info ? info->st.st_ino : 0;
}
