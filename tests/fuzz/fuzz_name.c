/*
 * fuzz_name.c - libFuzzer target: array names ("shm://NAME", "NAME", "file://PATH")
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input, cut at its first NUL, is parsed with sa_location_parse.  A
 * name is either refused with EINVAL or ENAMETOOLONG, or it becomes a
 * location whose path is in bounds and whose last component names an entry
 * (never empty, ".", ".." or containing '/').  Nothing is opened.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

static void check_location(const char *name, const struct sa_location *loc)
{
	const size_t len = strnlen(loc->path, sizeof(loc->path));
	const char *base = loc->path + loc->base_offset;
	char dir[PATH_MAX];

	FUZZ_CHECK(len < sizeof(loc->path));
	FUZZ_CHECK(loc->base_offset < len);
	FUZZ_CHECK(strchr(base, '/') == NULL);
	FUZZ_CHECK(strlen(base) >= 1 && strlen(base) <= NAME_MAX);
	FUZZ_CHECK(strcmp(base, ".") != 0 && strcmp(base, "..") != 0);
	if (loc->scheme == SA_SCHEME_FILE) {
		FUZZ_CHECK(strncmp(name, "file://", 7) == 0);
		FUZZ_CHECK(strcmp(loc->path, name + 7) == 0);
	} else {
		FUZZ_CHECK(loc->scheme == SA_SCHEME_SHM);
		/* One entry of the shm directory: the name, less its prefix. */
		FUZZ_CHECK(strcmp(base, strncmp(name, "shm://", 6) == 0 ? name + 6 : name) == 0);
#ifdef SA_SHM_DIR
		FUZZ_CHECK(strncmp(loc->path, SA_SHM_DIR "/", strlen(SA_SHM_DIR "/")) == 0);
#endif
	}
	sa_location_dir(loc, dir);
	FUZZ_CHECK(strlen(dir) < sizeof(dir));
	FUZZ_CHECK(loc->base_offset == 0 || strncmp(dir, loc->path, strlen(dir)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = fuzz_string(data, size);
	struct sa_location *loc = malloc(sizeof(*loc));
	int ret;

	FUZZ_CHECK(loc != NULL);
	ret = sa_location_parse(name, loc);
	if (ret == 0)
		check_location(name, loc);
	else
		FUZZ_CHECK(ret == -EINVAL || ret == -ENAMETOOLONG);
	FUZZ_CHECK(sa_strerror(ret) != NULL);
	free(loc);
	free(name);
	return 0;
}
