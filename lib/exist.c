/*
 * exist.c - create-or-attach: sa_create with SA_EXIST_OK
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Creation is atomic (create.c): a name holds no array or a complete one.
 * So create-or-attach needs no lock: try to create; if the name is taken,
 * attach what is there and compare it with what was asked for.  Of any
 * number of processes doing this at once, exactly one creates the array
 * and the others attach it.  Should the array be deleted between the two
 * steps, creating is tried again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Rounds of "taken, then gone" before the name counts as taken. */
#define MAX_ROUNDS 64

/* What the caller asked for, in the library's canonical terms. */
struct wanted {
	struct sa_dtype dtype;
	const char *descr;
	int ndim;
	const size_t *shape;
	char order;
	bool transient;           /* SA_TRANSIENT: its lifetime is part of it */
};

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool matches(const struct wanted *w, const struct sa_info *info)
{
	return strcmp(w->dtype.str, info->dtype.str) == 0 && same_text(w->descr, info->descr) &&
	       w->ndim == info->ndim && w->order == info->order &&
	       w->transient == sa_info_is_transient(info) &&
	       (w->ndim == 0 || memcmp(w->shape, info->shape, (size_t)w->ndim * sizeof(size_t)) == 0);
}

/*
 * Where creation is not atomic (shm_open(3) only, no shm directory), a
 * segment being built can show up without its metadata: worth another look.
 */
static bool maybe_being_built(const char *name)
{
#ifdef SA_SHM_DIR
	(void)name;
	return false;
#else
	struct sa_location loc;

	return sa_location_parse(name, &loc) == 0 && loc.scheme == SA_SCHEME_SHM;
#endif
}

/* Attach (OUT) or stat the array NAME holds: 1 if it is the one wanted, or -errno. */
static int take_existing(const char *name, const struct wanted *w, unsigned flags,
                         sa_array **out)
{
	struct sa_info *info = NULL;
	sa_array *array = NULL;
	int ret;

	if (out)
		ret = sa_attach(name, flags & SA_POPULATE, &array);
	else
		ret = sa_stat(name, &info);
	if (ret < 0)
		return ret;
	if (!matches(w, out ? array->info : info))
		ret = -EEXIST;
	else
		ret = 1;
	if (out && ret == 1)
		*out = array;
	else if (out)
		sa_detach(array);
	free(info);
	return ret;
}

int sa_create_exist_ok(const char *name, const char *dtype, const char *descr, int ndim,
                       const size_t *shape, unsigned flags, mode_t mode, sa_array **out)
{
	struct wanted w = { .descr = descr, .ndim = ndim, .shape = shape,
	                    .order = (flags & SA_FORTRAN) ? 'F' : 'C',
	                    .transient = (flags & SA_TRANSIENT) != 0 };
	int ret = -EEXIST;

	flags &= ~SA_EXIST_OK;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		ret = sa_create_descr(name, dtype, descr, ndim, shape, flags, mode, out);
		if (ret != -EEXIST)
			return ret;
		/* sa_create_descr checked the arguments before it met the name. */
		if (sa_dtype_parse(dtype, &w.dtype) < 0)
			return -EINVAL;
		ret = take_existing(name, &w, flags, out);
		if (ret == -EBADMSG && maybe_being_built(name)) {
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
			continue;
		}
		if (ret != -ENOENT)
			return ret;
	}
	/* Taken and gone, again and again: a dangling symbolic link, say. */
	return ret == -ENOENT ? -EEXIST : ret;
}
