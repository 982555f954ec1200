/*
 * info.c - an array's metadata: reading it from a segment, sa_stat, accessors
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int sa_info_new(const struct sa_meta *meta, const char *name,
                const struct stat *st, struct sa_info **out)
{
	const size_t shape_size = (size_t)meta->ndim * sizeof(size_t);
	const size_t name_size = strlen(name) + 1;
	const size_t descr_size = meta->descr ? meta->descr_len + 1 : 0;
	struct sa_info *info;
	char *strings;

	info = malloc(sizeof(*info) + shape_size + name_size + descr_size);
	if (!info)
		return -ENOMEM;
	info->dtype = meta->dtype;
	info->ndim = meta->ndim;
	info->order = meta->order;
	info->format = meta->format;
	info->trailer_dims = meta->trailer_dims;
	info->trailer_flags = meta->trailer_flags;
	info->has_generation = meta->has_generation;
	info->generation = meta->generation;
	info->nbytes = meta->nbytes;
	info->segment_size = meta->segment_size;
	if (st)
		info->st = *st;
	else
		memset(&info->st, 0, sizeof(info->st));
	memcpy(info->storage, meta->shape, shape_size);
	info->shape = (const size_t *)info->storage;
	strings = (char *)info->storage + shape_size;
	memcpy(strings, name, name_size);
	info->name = strings;
	info->descr = NULL;
	if (meta->descr) {
		memcpy(strings + name_size, meta->descr, meta->descr_len);
		strings[name_size + meta->descr_len] = '\0';
		info->descr = strings + name_size;
	}
	*out = info;
	return 0;
}

int sa_read_tail(int fd, uint64_t size, unsigned char *buf, size_t len)
{
	const int ret = sa_pread_all(fd, buf, len, size - len);

	return ret == -ENODATA ? -EBADMSG : ret;  /* truncated under our feet */
}

/*
 * Decode with one read of the usual tail into BUF (SA_TAIL_READ bytes), and
 * a second into *HEAP_TAIL only for a long description.  META->descr points
 * into one of the two, so the caller keeps both until it has copied META.
 */
static int read_meta(int fd, uint64_t size, unsigned char *buf,
                     unsigned char **heap_tail, struct sa_meta *meta)
{
	const size_t len = size < SA_TAIL_READ ? (size_t)size : SA_TAIL_READ;
	long need;
	int ret;

	ret = sa_read_tail(fd, size, buf, len);
	if (ret < 0)
		return ret;
	need = sa_format_decode(buf, len, size, meta);
	if (need <= 0)
		return (int)need;
	*heap_tail = malloc((size_t)need);
	if (!*heap_tail)
		return -ENOMEM;
	ret = sa_read_tail(fd, size, *heap_tail, (size_t)need);
	if (ret < 0)
		return ret;
	need = sa_format_decode(*heap_tail, (size_t)need, size, meta);
	return need > 0 ? -EBADMSG : (int)need;
}

int sa_segment_stat(int fd, struct stat *st)
{
	if (fstat(fd, st) < 0)
		return -errno;
	/* Check the file we opened, not the path: it may have been swapped. */
	if (!S_ISREG(st->st_mode) || st->st_size < SA_TRAILER_SIZE(SA_TRAILER_DIMS_V1))
		return -EBADMSG;
	return 0;
}

int sa_info_read(int fd, const char *name, struct sa_info **out)
{
	unsigned char tail[SA_TAIL_READ], *heap_tail = NULL;
	struct sa_meta meta;
	struct stat st;
	int ret;

	ret = sa_segment_stat(fd, &st);
	if (ret < 0)
		return ret;
	ret = read_meta(fd, (uint64_t)st.st_size, tail, &heap_tail, &meta);
	if (ret == 0)
		ret = sa_info_new(&meta, name, &st, out);
	free(heap_tail);
	return ret;
}

SA_EXPORT int sa_stat(const char *name, sa_info **out)
{
	struct sa_location loc;
	struct sa_info *info;
	int fd, ret;

	if (!out)
		return -EINVAL;
	fd = sa_location_open_existing(name, O_RDONLY, &loc);
	if (fd < 0)
		return fd;
	ret = sa_info_read(fd, name, &info);
	/* A transient array nobody holds is gone: as sa_list, never return it. */
	if (ret == 0 && sa_info_is_transient(info) &&
	    sa_transient_dead(fd, &(struct sa_named){ .loc = &loc }, info)) {
		free(info);
		ret = -ENOENT;
	}
	if (ret == 0)
		*out = info;
	close(fd);
	return ret;
}

SA_EXPORT void sa_info_free(sa_info *info)
{
	free(info);
}

SA_EXPORT const char *sa_info_name(const sa_info *info)
{
	return info ? info->name : NULL;
}

SA_EXPORT const char *sa_info_dtype(const sa_info *info)
{
	return info ? info->dtype.str : NULL;
}

SA_EXPORT int sa_info_ndim(const sa_info *info)
{
	return info ? info->ndim : -EINVAL;
}

SA_EXPORT const size_t *sa_info_shape(const sa_info *info)
{
	return info ? info->shape : NULL;
}

SA_EXPORT size_t sa_info_nbytes(const sa_info *info)
{
	return info ? (size_t)info->nbytes : 0;
}

SA_EXPORT size_t sa_info_itemsize(const sa_info *info)
{
	return info ? info->dtype.itemsize : 0;
}

SA_EXPORT char sa_info_order(const sa_info *info)
{
	return info ? info->order : '\0';
}

SA_EXPORT const char *sa_info_descr(const sa_info *info)
{
	return info ? info->descr : NULL;
}

SA_EXPORT int sa_info_typenum(const sa_info *info)
{
	return info ? info->dtype.typenum : -EINVAL;
}

SA_EXPORT int sa_info_format(const sa_info *info)
{
	return info ? info->format : -EINVAL;
}

SA_EXPORT size_t sa_info_segment_size(const sa_info *info)
{
	return info ? (size_t)info->segment_size : 0;
}

SA_EXPORT mode_t sa_info_mode(const sa_info *info)
{
	return info ? info->st.st_mode & 07777 : 0;
}

SA_EXPORT uid_t sa_info_uid(const sa_info *info)
{
	return info ? info->st.st_uid : (uid_t)-1;
}

SA_EXPORT gid_t sa_info_gid(const sa_info *info)
{
	return info ? info->st.st_gid : (gid_t)-1;
}

SA_EXPORT long long sa_info_mtime(const sa_info *info)
{
	return info ? (long long)info->st.st_mtim.tv_sec : 0;
}
