/*
 * create.c - sa_create: build a segment unnamed, then give it its name
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Creation is atomic.  The segment is built as an unnamed file (O_TMPFILE)
 * in the directory that will hold it: sized, reserved if asked, its metadata
 * written, mapped.  Only then does linkat(2) give it its name, failing with
 * EEXIST rather than replacing anything.  Another process therefore sees no
 * array or a complete one, and a creator killed half-way leaves nothing.
 * Where O_TMPFILE is missing, a hidden temporary name and link(2) do the same
 * (a killed creator may then leave a ".sa-tmp-*" file, which list ignores).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "internal.h"

#define CREATE_FLAGS (SA_FORTRAN | SA_RESERVE | SA_POPULATE | SA_EXIST_OK | SA_TRANSIENT)

/* Tries of a creation that meets a dead transient array under its name. */
#define CREATE_TRIES 4

/* How the segment under construction gets its name. */
struct pending {
	int fd;
	bool unnamed;              /* O_TMPFILE: linkat gives the name */
	bool direct;               /* shm_open(3) only: created under its name */
	char temp_path[PATH_MAX];  /* else a hidden name to link from, or "" */
};

static int check_shape(int ndim, const size_t *shape, size_t itemsize,
                       struct sa_meta *meta)
{
	uint64_t nbytes = itemsize;

	if (ndim < 0 || ndim > SA_MAX_NDIM || (ndim > 0 && !shape))
		return -EINVAL;
	for (int i = 0; i < ndim; i++) {
		/* The trailer stores int64: larger is a negative number cast. */
		if (shape[i] > (size_t)INT64_MAX)
			return -EINVAL;
		meta->shape[i] = shape[i];
	}
	for (int i = 0; i < ndim; i++)
		if (__builtin_mul_overflow(nbytes, (uint64_t)shape[i], &nbytes))
			return -EOVERFLOW;
	meta->ndim = ndim;
	meta->nbytes = nbytes;
	return 0;
}

static int prepare_meta(const char *dtype, const char *descr, int ndim,
                        const size_t *shape, unsigned flags, struct sa_meta *meta)
{
	int ret;

	memset(meta, 0, sizeof(*meta));
	ret = sa_dtype_parse(dtype, &meta->dtype);
	if (ret < 0)
		return ret;
	if (descr) {
		meta->descr_len = strlen(descr);
		if (meta->descr_len == 0 || meta->descr_len > SA_DESCR_MAX ||
		    meta->dtype.str[1] != 'V')
			return -EINVAL;
		meta->descr = descr;
	}
	meta->order = (flags & SA_FORTRAN) ? 'F' : 'C';
	meta->format = SA_EXT_VERSION;
	meta->trailer_flags = (flags & SA_TRANSIENT) ? SA_TRAILER_FLAG_TRANSIENT : 0;
	meta->trailer_dims = SA_TRAILER_DIMS_V1;
	return check_shape(ndim, shape, meta->dtype.itemsize, meta);
}

/* A hidden, unique name in DIR, for filesystems without O_TMPFILE. */
static int open_temp(const char *dir, mode_t mode, struct pending *p)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		unsigned long long nonce = 0;

		if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) < 0)
			nonce ^= (unsigned long long)getpid() << 32 ^ (uintptr_t)&nonce ^ (unsigned)attempt;
		if ((size_t)snprintf(p->temp_path, sizeof(p->temp_path), "%s/" SA_TEMP_PREFIX "%016llx",
		                     dir, nonce) >= sizeof(p->temp_path))
			return -ENAMETOOLONG;
		p->fd = open(p->temp_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (p->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	p->temp_path[0] = '\0';
	return -EEXIST;
}

static int open_pending(const struct sa_location *loc, mode_t mode, struct pending *p)
{
	char dir[PATH_MAX];

	p->unnamed = p->direct = false;
	p->temp_path[0] = '\0';
#ifndef SA_SHM_DIR
	if (loc->scheme == SA_SCHEME_SHM) {
		/* shm_open(3) only: not atomic; the trailer is written last. */
		p->fd = sa_location_open(loc, O_RDWR | O_CREAT | O_EXCL, mode);
		p->direct = p->fd >= 0;
		return p->fd < 0 ? p->fd : 0;
	}
#endif
	sa_location_dir(loc, dir);
	p->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
	if (p->fd >= 0) {
		p->unnamed = true;
		return 0;
	}
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -errno;
	return open_temp(dir, mode, p);
}

static int publish(const struct sa_location *loc, struct pending *p)
{
	char proc_path[64];

	if (p->temp_path[0]) {
		int ret = link(p->temp_path, loc->path) < 0 ? -errno : 0;

		unlink(p->temp_path);
		p->temp_path[0] = '\0';
		return ret;
	}
	if (!p->unnamed)
		return 0;
	if (linkat(p->fd, "", AT_FDCWD, loc->path, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOENT)
		return -errno;
	/* Before Linux 6.10 AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc does not. */
	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", p->fd);
	if (linkat(AT_FDCWD, proc_path, AT_FDCWD, loc->path, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	return -errno;
}

/*
 * tmpfs allocates lazily: refuse now what would be a SIGBUS later.  A
 * segment of one page needs no check: writing its metadata allocates that
 * page, and fails with ENOSPC itself.
 */
static int check_space(int fd, uint64_t size)
{
	struct statvfs vfs;
	uint64_t unit, blocks;

	if (size <= (uint64_t)sysconf(_SC_PAGESIZE))
		return 0;
	if (fstatvfs(fd, &vfs) < 0 || vfs.f_blocks == 0)
		return 0;  /* no limit known (tmpfs size=0 reports none) */
	unit = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
	blocks = size / unit + (size % unit != 0);
	return blocks > vfs.f_bavail ? -ENOSPC : 0;
}

/*
 * Size, reserve and label the segment open at FD: META->segment_size bytes,
 * the last LEN of them metadata.
 */
static int fill_segment(int fd, const struct sa_meta *meta, size_t len, unsigned flags)
{
	unsigned char stack_buf[SA_TAIL_READ], *buf = stack_buf;
	const uint64_t size = meta->segment_size;
	int ret;

	ret = check_space(fd, size);
	if (ret < 0)
		return ret;
	if (ftruncate(fd, (off_t)size) < 0)
		return errno == EFBIG ? -EOVERFLOW : -errno;
	/* Population allocates every page anyway; allocating them here first, in
	 * one call, is cheaper than the faults of populating alone (bench/). */
	if (flags & (SA_RESERVE | SA_POPULATE)) {
		ret = -posix_fallocate(fd, 0, (off_t)size);
		if (ret < 0)
			return ret;
	}
	if (len > sizeof(stack_buf) && !(buf = malloc(len)))
		return -ENOMEM;
	sa_format_encode(meta, buf, len);
	ret = sa_pwrite_all(fd, buf, len, size - len);
	if (buf != stack_buf)
		free(buf);
	return ret;
}

/* When a taken name and a full disk coincide, the taken name is the answer. */
static int prefer_eexist(const struct sa_location *loc, int ret)
{
	struct stat st;

	if (ret == -ENOSPC && fstatat(AT_FDCWD, loc->path, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -EEXIST;
	return ret;
}

static int create_segment(const char *name, const struct sa_location *loc,
                          struct sa_meta *meta, unsigned flags, mode_t mode,
                          sa_array **out)
{
	struct sa_array *array = NULL;
	struct sa_info *info;
	struct pending p;
	uint64_t offset;
	size_t len;
	int hold = -1, ret;

	ret = sa_format_layout(meta, &offset, &len);
	if (ret < 0)
		return ret;
	meta->segment_size = offset + len;
	ret = open_pending(loc, mode ? mode : 0666, &p);
	if (ret < 0)
		return ret;
	/* Held before it has a name, or metadata: never seen unheld (transient.c). */
	if ((flags & SA_TRANSIENT) && (hold = sa_transient_hold(p.fd, O_RDWR)) < 0)
		ret = hold;
	if (ret == 0)
		ret = fill_segment(p.fd, meta, len, flags);
	if (ret == 0 && out) {
		struct stat st;

		/* The handle remembers which file it maps (identity.c). */
		ret = fstat(p.fd, &st) < 0 ? -errno : sa_info_new(meta, name, &st, &info);
		if (ret == 0)
			ret = sa_array_map(p.fd, info, flags & SA_POPULATE, &array);
	}
	if (ret == 0)
		ret = publish(loc, &p);
	if (p.temp_path[0])
		unlink(p.temp_path);
	close(p.fd);
	if (ret == 0 && hold >= 0)
		atomic_store(&array->fd, hold);   /* the handle keeps the hold */
	else if (hold >= 0)
		close(hold);
	if (ret < 0) {
		if (array)
			sa_detach(array);
		if (p.direct)
			sa_location_unlink(loc);
		return prefer_eexist(loc, ret);
	}
	if (out)
		*out = array;
	return 0;
}

SA_EXPORT int sa_create_descr(const char *name, const char *dtype, const char *descr,
                              int ndim, const size_t *shape, unsigned flags,
                              mode_t mode, sa_array **out)
{
	struct sa_location loc;
	struct sa_meta meta;
	int ret;

	if ((flags & ~CREATE_FLAGS) || (mode & ~(mode_t)0777))
		return -EINVAL;
	/* Nobody would hold it: it would be garbage at once. */
	if ((flags & SA_TRANSIENT) && !out)
		return -EINVAL;
	if (flags & SA_EXIST_OK)  /* create-or-attach (exist.c) */
		return sa_create_exist_ok(name, dtype, descr, ndim, shape, flags, mode, out);
	ret = sa_location_parse(name, &loc);
	if (ret < 0)
		return ret;
	ret = prepare_meta(dtype, descr, ndim, shape, flags, &meta);
	if (ret < 0)
		return ret;
	ret = create_segment(name, &loc, &meta, flags, mode, out);
	/* A transient array whose holders crashed does not keep its name. */
	for (int i = 1; ret == -EEXIST && i < CREATE_TRIES && sa_transient_clear(&loc); i++)
		ret = create_segment(name, &loc, &meta, flags, mode, out);
	return ret;
}

SA_EXPORT int sa_create(const char *name, const char *dtype, int ndim,
                        const size_t *shape, unsigned flags, mode_t mode,
                        sa_array **out)
{
	return sa_create_descr(name, dtype, NULL, ndim, shape, flags, mode, out);
}
