/*
 * library.c - what the library says about itself and its errors
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "internal.h"

SA_EXPORT const char *sa_strerror(int error)
{
	if (error < 0)
		error = -error;
	switch (error) {
	case 0: return "success";
	case ENOENT: return "no such array";
	case EEXIST: return "an array of that name exists";
	case EINVAL: return "invalid argument (name, dtype, shape, flags or mode)";
	case ENAMETOOLONG: return "name too long";
	case EOVERFLOW: return "array size overflows";
	case EBADMSG: return "not a shared array, or its metadata is corrupt";
	case ENOSPC: return "no space left for the array on its filesystem";
	case EACCES: return "permission denied";
	case ENOTSUP:
		return "not supported (object dtype, no shared memory directory, no generation "
		       "counter, or no /proc)";
	case ENOMEM: return "out of memory or address space";
	case ETIMEDOUT: return "timed out";
	case EDEADLK: return "this thread holds the array's lock through this handle already";
	case ENOLCK: return "no lock held through this handle, or none to be had";
	case EIDRM: return "the name no longer names this array (deleted or replaced)";
	}
#ifdef HAVE_STRERRORDESC_NP
	{
		/* Thread-safe, unlike strerror(3) for unknown values. */
		const char *desc = strerrordesc_np(error);

		return desc ? desc : "unknown error";
	}
#else
	return "unknown error";
#endif
}

SA_EXPORT const char *sa_version(void)
{
	return PACKAGE_VERSION;
}
