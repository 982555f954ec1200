/*
 * delete.c - sa_delete: remove an array's name, and only an array's
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"

/*
 * Only the magic is checked: an array whose other metadata is corrupt can
 * still be deleted, so that operators can clean up.
 */
static int check_magic(int fd)
{
	unsigned char tail[SA_TRAILER_MAX];
	struct stat st;
	size_t len;
	int ret;

	ret = sa_segment_stat(fd, &st);
	if (ret < 0)
		return ret;
	len = (uint64_t)st.st_size < sizeof(tail) ? (size_t)st.st_size : sizeof(tail);
	ret = sa_read_tail(fd, (uint64_t)st.st_size, tail, len);
	if (ret < 0)
		return ret;
	return sa_format_has_magic(tail, len) ? 0 : -EBADMSG;
}

SA_EXPORT int sa_delete(const char *name)
{
	struct sa_location loc;
	int fd, ret;

	fd = sa_location_open_existing(name, O_RDONLY, &loc);
	if (fd < 0)
		return fd;
	ret = check_magic(fd);
	if (ret == 0)
		ret = sa_location_unlink(&loc);
	close(fd);
	return ret;
}
