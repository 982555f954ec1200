/*
 * fuzz_attach.c - libFuzzer target: the public API on a segment file
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The input is written as a file, named file://DIR/seg (or shm://NAME when
 * its first byte is odd), and then stat-ed, attached read-only and
 * read-write, listed and deleted, as any program would.  These must agree
 * with one another (stat succeeds exactly when attach and list do), an
 * attached array's data must be the file's first bytes, every accessor must
 * stay in bounds, and delete removes exactly the files with the magic.
 * DIR is a fresh directory in the shm directory (or /tmp), removed at exit.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sharedarray.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[PATH_MAX], file_path[PATH_MAX], file_name[PATH_MAX];
static char shm_path[PATH_MAX], shm_name[PATH_MAX];

static void cleanup(void)
{
	unlink(file_path);
	unlink(shm_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/sa-fuzz-XXXXXX", base);
	FUZZ_CHECK(mkdtemp(dir) != NULL);
	snprintf(file_path, sizeof(file_path), "%s/seg", dir);
	snprintf(file_name, sizeof(file_name), "file://%s", file_path);
	snprintf(shm_name, sizeof(shm_name), "sa-fuzz-%ld", (long)getpid());
	snprintf(shm_path, sizeof(shm_path), "/dev/shm/%s", shm_name);
	atexit(cleanup);
	return 0;
}

static void write_segment(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
	FUZZ_CHECK(close(fd) == 0);
}

/* An info and an array describe the same segment. */
static void check_array(const sa_array *array, const sa_info *info,
                        const uint8_t *data, size_t size)
{
	const size_t nbytes = sa_nbytes(array);
	const int ndim = sa_ndim(array);
	size_t count = 1;

	FUZZ_CHECK(sa_map_size(array) == size && sa_info_segment_size(info) == size);
	FUZZ_CHECK(nbytes == sa_info_nbytes(info) && nbytes < size);
	FUZZ_CHECK(ndim == sa_info_ndim(info) && ndim >= 0 && ndim <= 64);
	FUZZ_CHECK(strcmp(sa_dtype(array), sa_info_dtype(info)) == 0);
	FUZZ_CHECK(sa_itemsize(array) == sa_info_itemsize(info));
	FUZZ_CHECK(sa_order(array) == sa_info_order(info));
	for (int i = 0; i < ndim; i++) {
		FUZZ_CHECK(sa_shape(array)[i] == sa_info_shape(info)[i]);
		count *= sa_shape(array)[i];
	}
	FUZZ_CHECK(count * sa_itemsize(array) == nbytes);
	FUZZ_CHECK((sa_descr(array) == NULL) == (sa_info_descr(info) == NULL));
	if (sa_descr(array))
		FUZZ_CHECK(strcmp(sa_descr(array), sa_info_descr(info)) == 0);
	/* The mapping is the file: every data byte is there to read. */
	FUZZ_CHECK(sa_data(array) == sa_map_addr(array));
	FUZZ_CHECK(memcmp(sa_data(array), data, nbytes) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const bool shm = size > 0 && (data[0] & 1);
	const char *name = shm ? shm_name : file_name, *path = shm ? shm_path : file_path;
	sa_array *array = NULL;
	sa_info *info = NULL, **list = NULL;
	int stat_ret, ret;

	write_segment(path, data, size);
	stat_ret = sa_stat(name, &info);
	FUZZ_CHECK(stat_ret == 0 || stat_ret == -EBADMSG);

	for (int rw = 0; rw < 2; rw++) {
		ret = sa_attach(name, rw ? 0 : SA_RDONLY, &array);
		FUZZ_CHECK(ret == stat_ret);
		if (ret == 0) {
			check_array(array, info, data, size);
			FUZZ_CHECK(strcmp(sa_name(array), name) == 0);
			FUZZ_CHECK(sa_detach(array) == 0);
		}
	}

	if (!shm) {
		ret = sa_list(dir, &list);
		FUZZ_CHECK(ret == (stat_ret == 0 ? 1 : 0));
		if (ret == 1) {
			FUZZ_CHECK(strcmp(sa_info_name(list[0]), "seg") == 0);
			FUZZ_CHECK(strcmp(sa_info_dtype(list[0]), sa_info_dtype(info)) == 0);
			FUZZ_CHECK(sa_info_nbytes(list[0]) == sa_info_nbytes(info));
		}
		FUZZ_CHECK(list[ret] == NULL);
		sa_list_free(list);
	}

	/* Every array can be deleted; anything without the magic is refused. */
	ret = sa_delete(name);
	FUZZ_CHECK(ret == 0 || ret == -EBADMSG);
	if (stat_ret == 0)
		FUZZ_CHECK(ret == 0);
	FUZZ_CHECK((access(path, F_OK) == 0) == (ret != 0));
	if (ret != 0)
		FUZZ_CHECK(unlink(path) == 0);
	sa_info_free(info);
	return 0;
}
