/*
 * name.c - array names: "shm://NAME", bare "NAME", "file://PATH"
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A last path component must name an entry, not the directory itself. */
static int check_component(const char *base, size_t len)
{
	if (len == 0)
		return -EINVAL;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -EINVAL;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static int parse_shm(const char *shm_name, struct sa_location *loc)
{
	size_t len = strlen(shm_name);
	int ret;

	/* shm_open(3) objects are single entries of the shm directory. */
	if (strchr(shm_name, '/'))
		return -EINVAL;
	ret = check_component(shm_name, len);
	if (ret < 0)
		return ret;
	loc->scheme = SA_SCHEME_SHM;
#ifdef SA_SHM_DIR
	loc->base_offset = strlen(SA_SHM_DIR "/");
	memcpy(loc->path, SA_SHM_DIR "/", loc->base_offset);
#else
	loc->base_offset = 0;
#endif
	memcpy(loc->path + loc->base_offset, shm_name, len + 1);
	return 0;
}

static int parse_file(const char *path, struct sa_location *loc)
{
	size_t len = strlen(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	if (len == 0)
		return -EINVAL;
	if (len >= sizeof(loc->path))
		return -ENAMETOOLONG;
	loc->scheme = SA_SCHEME_FILE;
	loc->base_offset = (size_t)(base - path);
	memcpy(loc->path, path, len + 1);
	return check_component(base, len - loc->base_offset);
}

int sa_location_parse(const char *name, struct sa_location *loc)
{
	if (!name || !*name)
		return -EINVAL;
	if (starts_with(name, SA_FILE_PREFIX))
		return parse_file(name + strlen(SA_FILE_PREFIX), loc);
	if (starts_with(name, SA_SHM_PREFIX))
		return parse_shm(name + strlen(SA_SHM_PREFIX), loc);
	/* A bare name is an shm name; "http://x" fails there on its '/'. */
	return parse_shm(name, loc);
}

/* Opening some non-files fails before fstat can tell: they are not arrays. */
static int open_error(int err)
{
	return (err == EISDIR || err == ENXIO) ? -EBADMSG : -err;
}

int sa_location_open(const struct sa_location *loc, int flags, mode_t mode)
{
	int fd;

	flags |= O_CLOEXEC | O_NOCTTY;
	if (loc->scheme == SA_SCHEME_SHM) {
		flags |= O_NOFOLLOW;
#ifndef SA_SHM_DIR
		fd = shm_open(loc->path, flags, mode);
		/* glibc says EINVAL for a directory; the name itself was checked. */
		return fd < 0 ? open_error(errno == EINVAL ? EISDIR : errno) : fd;
#endif
	}
	fd = open(loc->path, flags, mode);
	return fd < 0 ? open_error(errno) : fd;
}

int sa_location_open_existing(const char *name, int flags, struct sa_location *loc)
{
	int ret = sa_location_parse(name, loc);

	/* O_NONBLOCK: opening a FIFO planted under the name must not hang. */
	return ret < 0 ? ret : sa_location_open(loc, flags | O_NONBLOCK, 0);
}

int sa_location_unlink(const struct sa_location *loc)
{
	int ret;

#ifndef SA_SHM_DIR
	if (loc->scheme == SA_SCHEME_SHM) {
		ret = shm_unlink(loc->path);
		return ret < 0 ? -errno : 0;
	}
#endif
	ret = unlink(loc->path);
	return ret < 0 ? -errno : 0;
}

void sa_location_dir(const struct sa_location *loc, char *buf)
{
	size_t len = loc->base_offset;

	if (len == 0) {
		strcpy(buf, ".");
		return;
	}
	if (len > 1)
		len--;  /* drop the slash, but keep "/" itself */
	memcpy(buf, loc->path, len);
	buf[len] = '\0';
}
