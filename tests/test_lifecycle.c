/*
 * test_lifecycle.c - create, attach, detach, delete and every accessor
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static void shm_path(char *path, size_t len, const char *shm_name)
{
	snprintf(path, len, "/dev/shm/%s", shm_name + strlen("shm://"));
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

START_TEST(create_returns_a_zeroed_attached_array)
{
	const size_t shape[3] = { 2, 3, 4 };
	char name[128];
	sa_array *array;

	t_shm_name(name, sizeof(name), "create");
	ck_assert_int_eq(sa_create(name, "<f8", 3, shape, 0, 0, &array), 0);
	ck_assert_ptr_nonnull(array);
	ck_assert_str_eq(sa_name(array), name);
	ck_assert_str_eq(sa_dtype(array), "<f8");
	ck_assert_int_eq(sa_ndim(array), 3);
	ck_assert_mem_eq(sa_shape(array), shape, sizeof(shape));
	ck_assert_uint_eq(sa_nbytes(array), 24 * 8);
	ck_assert_uint_eq(sa_itemsize(array), 8);
	ck_assert_int_eq(sa_order(array), 'C');
	ck_assert_uint_eq(sa_flags(array), 0);
	ck_assert_ptr_null(sa_descr(array));
	ck_assert_ptr_eq(sa_map_addr(array), sa_data(array));
	ck_assert_uint_ge(sa_map_size(array), sa_nbytes(array) + 292);
	ck_assert_uint_eq((uintptr_t)sa_data(array) % (uintptr_t)sysconf(_SC_PAGESIZE), 0);
	ck_assert(all_zero(sa_data(array), sa_nbytes(array)));
	((double *)sa_data(array))[23] = 42.0;
	ck_assert_int_eq(sa_detach(array), 0);

	ck_assert_int_eq(sa_attach(name, 0, &array), 0);
	ck_assert(((double *)sa_data(array))[23] == 42.0);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(create_without_out_only_creates)
{
	const size_t shape[1] = { 10 };
	char name[128];
	sa_array *array;

	t_shm_name(name, sizeof(name), "noout");
	ck_assert_int_eq(sa_create(name, "|u1", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(sa_attach(name, 0, &array), 0);
	ck_assert_uint_eq(sa_nbytes(array), 10);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* A taken name is refused and the array that holds it is left as it was. */
START_TEST(create_taken_name_is_eexist)
{
	const size_t shape[1] = { 4 }, other[1] = { 100 };
	char name[128];
	sa_array *array, *again = NULL;

	t_shm_name(name, sizeof(name), "taken");
	ck_assert_int_eq(sa_create(name, "<i4", 1, shape, 0, 0, &array), 0);
	memcpy(sa_data(array), (int32_t[]){ 1, 2, 3, 4 }, 16);
	ck_assert_int_eq(sa_create(name, "<f8", 1, other, 0, 0, &again), -EEXIST);
	ck_assert_ptr_null(again);
	ck_assert_int_eq(sa_create(name, "<f8", 1, other, SA_RESERVE, 0600, NULL), -EEXIST);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_attach(name, 0, &array), 0);
	ck_assert_str_eq(sa_dtype(array), "<i4");
	ck_assert_mem_eq(sa_data(array), ((int32_t[]){ 1, 2, 3, 4 }), 16);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(bad_flags_and_mode_are_einval)
{
	const size_t shape[1] = { 4 };
	char name[128];
	sa_array *array = NULL;

	t_shm_name(name, sizeof(name), "flags");
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, SA_RDONLY, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0x100, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 01777, NULL), -EINVAL);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 04600, NULL), -EINVAL);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(sa_attach(name, SA_FORTRAN, &array), -EINVAL);
	ck_assert_int_eq(sa_attach(name, SA_RESERVE, &array), -EINVAL);
	ck_assert_int_eq(sa_attach(name, 0x100, &array), -EINVAL);
	ck_assert_int_eq(sa_attach(name, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_stat(name, NULL), -EINVAL);
	ck_assert_ptr_null(array);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(mode_is_applied_less_umask)
{
	const size_t shape[1] = { 4 };
	char name[128], path[256];
	struct stat st;
	sa_info *info;
	mode_t old = umask(022);

	t_shm_name(name, sizeof(name), "mode");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 0600, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_uint_eq(sa_info_mode(info), 0600);
	ck_assert_uint_eq(sa_info_uid(info), geteuid());
	ck_assert_uint_eq(sa_info_gid(info), getegid());
	ck_assert_int_ge(sa_info_mtime(info), (long long)st.st_mtime - 1);
	sa_info_free(info);
	ck_assert_int_eq(sa_delete(name), 0);

	/* 0 behaves like the original: 0666 less the umask. */
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(sa_delete(name), 0);
	umask(old);
}
END_TEST

START_TEST(shapes_at_the_edges)
{
	size_t dims32[33];
	char name[128];
	sa_array *array;

	for (int i = 0; i < 33; i++)
		dims32[i] = 1;
	dims32[31] = 2;
	t_shm_name(name, sizeof(name), "shape");

	/* 0-d: one element */
	ck_assert_int_eq(sa_create(name, "<i8", 0, NULL, 0, 0, &array), 0);
	ck_assert_int_eq(sa_ndim(array), 0);
	ck_assert_uint_eq(sa_nbytes(array), 8);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);

	/* (0,) and (0, 5): no data at all */
	ck_assert_int_eq(sa_create(name, "<f8", 1, (size_t[]){ 0 }, 0, 0, &array), 0);
	ck_assert_uint_eq(sa_nbytes(array), 0);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_attach(name, 0, &array), 0);
	ck_assert_uint_eq(sa_shape(array)[0], 0);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(sa_create(name, "<f8", 2, (size_t[]){ 0, 5 }, 0, 0, &array), 0);
	ck_assert_uint_eq(sa_shape(array)[1], 5);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);

	/* 32 dimensions are the most the original trailer holds */
	ck_assert_int_eq(sa_create(name, "<f4", 32, dims32, 0, 0, &array), 0);
	ck_assert_int_eq(sa_ndim(array), 32);
	ck_assert_uint_eq(sa_nbytes(array), 8);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

static const struct {
	int ndim;
	size_t shape[2];
	const char *dtype;
	int error;
} bad_shapes[] = {
	{ 33, { 1, 1 }, "<f8", -EINVAL },
	{ -1, { 1, 1 }, "<f8", -EINVAL },
	{ 1, { (size_t)-1, 1 }, "|u1", -EINVAL },          /* -1 cast to size_t */
	{ 2, { 4, (size_t)-5 }, "|u1", -EINVAL },
	{ 2, { (size_t)INT64_MAX, 4 }, "|u1", -EOVERFLOW },
	{ 2, { (size_t)1 << 40, (size_t)1 << 40 }, "<f8", -EOVERFLOW },
	{ 1, { (size_t)INT64_MAX, 0 }, "<f8", -EOVERFLOW },
	{ 1, { (size_t)INT64_MAX - 100, 0 }, "|u1", -EOVERFLOW },  /* no room for metadata */
	{ 2, { (size_t)1 << 31, (size_t)1 << 31 }, "|u1", -ENOSPC }, /* 4 EiB: too big */
};

START_TEST(bad_shapes_create_nothing)
{
	char name[128];
	sa_array *array = NULL;

	t_shm_name(name, sizeof(name), "badshape");
	ck_assert_int_eq(sa_create(name, bad_shapes[_i].dtype, bad_shapes[_i].ndim,
	                           bad_shapes[_i].shape, 0, 0, &array), bad_shapes[_i].error);
	ck_assert_ptr_null(array);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
	ck_assert_int_eq(t_count_entries("/dev/shm", ".sa-tmp-"), 0);
}
END_TEST

START_TEST(null_shape_with_dims_is_einval)
{
	char name[128];

	t_shm_name(name, sizeof(name), "nullshape");
	ck_assert_int_eq(sa_create(name, "<f8", 2, NULL, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
}
END_TEST

static int write_readonly(void *arg)
{
	sa_array *array;

	if (sa_attach(arg, SA_RDONLY, &array) < 0)
		return 10;
	if (!(sa_flags(array) & SA_RDONLY))
		return 11;
	*(volatile double *)sa_data(array) = 1.0;  /* must fault */
	return 0;
}

START_TEST(readonly_attach_faults_on_write)
{
	const size_t shape[1] = { 8 };
	char name[128];
	sa_array *array;

	t_shm_name(name, sizeof(name), "ro");
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 0, &array), 0);
	ck_assert_int_eq(t_in_child(write_readonly, name), 128 + SIGSEGV);
	ck_assert(((double *)sa_data(array))[0] == 0.0);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(reserve_allocates_the_backing_store)
{
	const size_t big[1] = { 8 << 20 };
	char name[128], path[256];
	struct stat st;

	t_shm_name(name, sizeof(name), "reserve");
	shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, "|u1", 1, big, SA_RESERVE, 0, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_ge((long long)st.st_blocks * 512, (long long)big[0]);
	ck_assert_int_eq(sa_delete(name), 0);

	/* Population allocates the store too, even with no mapping asked for. */
	ck_assert_int_eq(sa_create(name, "|u1", 1, big, SA_POPULATE, 0, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_ge((long long)st.st_blocks * 512, (long long)big[0]);
	ck_assert_int_eq(sa_delete(name), 0);

	/* Without it, tmpfs stays sparse until pages are written. */
	ck_assert_int_eq(sa_create(name, "|u1", 1, big, 0, 0, NULL), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_lt((long long)st.st_blocks * 512, 1 << 20);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

static size_t resident_pages(const sa_array *array)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	const size_t pages = (sa_map_size(array) + page - 1) / page;
	unsigned char *vec = malloc(pages);
	size_t resident = 0;

	ck_assert_ptr_nonnull(vec);
	ck_assert_int_eq(mincore(sa_map_addr(array), sa_map_size(array), vec), 0);
	for (size_t i = 0; i < pages; i++)
		resident += vec[i] & 1;
	free(vec);
	return resident;
}

START_TEST(populate_prefaults_and_default_is_lazy)
{
	const size_t shape[1] = { 4 << 20 };
	const size_t pages = shape[0] / (size_t)sysconf(_SC_PAGESIZE);
	char name[128];
	sa_array *array;

	t_shm_name(name, sizeof(name), "populate");
	ck_assert_int_eq(sa_create(name, "|u1", 1, shape, 0, 0, &array), 0);
	ck_assert_uint_le(resident_pages(array), 2);   /* at most the trailer's page */
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	ck_assert_uint_le(resident_pages(array), 2);   /* attach touches no data */
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_attach(name, SA_POPULATE, &array), 0);
	ck_assert_uint_ge(resident_pages(array), pages);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);

	ck_assert_int_eq(sa_create(name, "|u1", 1, shape, SA_POPULATE, 0, &array), 0);
	ck_assert_uint_ge(resident_pages(array), pages);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY | SA_POPULATE, &array), 0);
	ck_assert_uint_ge(resident_pages(array), pages);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(msync_mlock_munlock)
{
	const size_t shape[1] = { 1024 };
	char name[128], *dir = t_make_tmpdir();
	sa_array *array;

	snprintf(name, sizeof(name), "file://%s/sync.sa", dir);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 0, &array), 0);
	((double *)sa_data(array))[7] = 7.0;
	ck_assert_int_eq(sa_msync(array, MS_SYNC), 0);
	ck_assert_int_eq(sa_msync(array, MS_ASYNC), 0);
	ck_assert_int_eq(sa_msync(array, MS_SYNC | MS_INVALIDATE), 0);
	ck_assert_int_eq(sa_msync(array, MS_SYNC | MS_ASYNC), -EINVAL);
	ck_assert_int_eq(sa_msync(array, 0x1000), -EINVAL);
	ck_assert_int_eq(sa_msync(NULL, MS_SYNC), -EINVAL);
	ck_assert_int_eq(sa_mlock(array), 0);
	ck_assert_int_eq(sa_munlock(array), 0);
	ck_assert_int_eq(sa_mlock(NULL), -EINVAL);
	ck_assert_int_eq(sa_munlock(NULL), -EINVAL);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/* After delete, attachments stay valid; the name is gone at once. */
START_TEST(delete_while_attached)
{
	const size_t shape[1] = { 16 };
	char name[128];
	sa_array *a, *b;

	t_shm_name(name, sizeof(name), "delattached");
	ck_assert_int_eq(sa_create(name, "<i4", 1, shape, 0, 0, &a), 0);
	ck_assert_int_eq(sa_attach(name, 0, &b), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(sa_attach(name, 0, &(sa_array *){ NULL }), -ENOENT);
	ck_assert_int_eq(sa_stat(name, &(sa_info *){ NULL }), -ENOENT);
	ck_assert_int_eq(sa_delete(name), -ENOENT);
	((int32_t *)sa_data(a))[15] = 99;
	ck_assert_int_eq(((int32_t *)sa_data(b))[15], 99);
	ck_assert_int_eq(sa_detach(a), 0);
	ck_assert_int_eq(((int32_t *)sa_data(b))[15], 99);
	ck_assert_int_eq(sa_detach(b), 0);
	/* The name is free again. */
	ck_assert_int_eq(sa_create(name, "<i4", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

START_TEST(missing_arrays_are_enoent)
{
	char name[128];
	sa_array *array = NULL;
	sa_info *info = NULL;

	t_shm_name(name, sizeof(name), "missing");
	ck_assert_int_eq(sa_attach(name, 0, &array), -ENOENT);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), -ENOENT);
	ck_assert_int_eq(sa_stat(name, &info), -ENOENT);
	ck_assert_int_eq(sa_delete(name), -ENOENT);
	ck_assert_ptr_null(array);
	ck_assert_ptr_null(info);
}
END_TEST

/* file:// creation never follows (or replaces) a symlink planted at the name. */
START_TEST(file_create_does_not_follow_symlinks)
{
	const size_t shape[1] = { 4 };
	char *dir = t_make_tmpdir(), link[256], target[256], name[300];
	struct stat st;

	snprintf(target, sizeof(target), "%s/victim", dir);
	snprintf(link, sizeof(link), "%s/array.sa", dir);
	t_write_file(target, "precious", 8);
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(name, sizeof(name), "file://%s", link);
	ck_assert_int_eq(sa_create(name, "<f8", 1, shape, 0, 0, NULL), -EEXIST);
	ck_assert_int_eq(stat(target, &st), 0);
	ck_assert_int_eq(st.st_size, 8);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	t_remove_tree(dir);
	free(dir);
}
END_TEST

/* shm names are never followed through a symlink, as with shm_open(3). */
START_TEST(shm_symlink_is_not_followed)
{
	const size_t shape[1] = { 4 };
	char real[128], link[128], real_path[256], link_path[256];

	t_shm_name(real, sizeof(real), "real");
	t_shm_name(link, sizeof(link), "link");
	shm_path(real_path, sizeof(real_path), real);
	shm_path(link_path, sizeof(link_path), link);
	ck_assert_int_eq(sa_create(real, "<f8", 1, shape, 0, 0, NULL), 0);
	ck_assert_int_eq(symlink(real_path, link_path), 0);
	ck_assert_int_eq(sa_attach(link, 0, &(sa_array *){ NULL }), -ELOOP);
	ck_assert_int_eq(sa_delete(link), -ELOOP);
	ck_assert_int_eq(unlink(link_path), 0);
	ck_assert_int_eq(sa_delete(real), 0);
}
END_TEST

START_TEST(file_array_survives_and_deletes)
{
	const size_t shape[2] = { 3, 3 };
	char *dir = t_make_tmpdir(), name[300], path[300];
	struct stat st;
	sa_array *array;

	mode_t old = umask(022);

	snprintf(name, sizeof(name), "file://%s/m.sa", dir);
	snprintf(path, sizeof(path), "%s/m.sa", dir);
	ck_assert_int_eq(sa_create(name, "<c16", 2, shape, SA_FORTRAN, 0640, &array), 0);
	umask(old);
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &array), 0);
	ck_assert_int_eq(sa_order(array), 'F');
	ck_assert_str_eq(sa_dtype(array), "<c16");
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(t_count_entries(dir, ""), 2);  /* . and .. */
	t_remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(null_handles)
{
	ck_assert_int_eq(sa_detach(NULL), -EINVAL);
	ck_assert_ptr_null(sa_data(NULL));
	ck_assert_uint_eq(sa_nbytes(NULL), 0);
	ck_assert_int_eq(sa_ndim(NULL), -EINVAL);
	ck_assert_ptr_null(sa_shape(NULL));
	ck_assert_ptr_null(sa_dtype(NULL));
	ck_assert_ptr_null(sa_name(NULL));
	ck_assert_ptr_null(sa_descr(NULL));
	ck_assert_ptr_null(sa_map_addr(NULL));
	ck_assert_uint_eq(sa_map_size(NULL), 0);
	ck_assert_uint_eq(sa_itemsize(NULL), 0);
	ck_assert_int_eq(sa_order(NULL), 0);
	ck_assert_uint_eq(sa_flags(NULL), 0);
	ck_assert_ptr_null(sa_info_name(NULL));
	ck_assert_ptr_null(sa_info_dtype(NULL));
	ck_assert_int_eq(sa_info_ndim(NULL), -EINVAL);
	ck_assert_ptr_null(sa_info_shape(NULL));
	sa_info_free(NULL);
	sa_list_free(NULL);
}
END_TEST

START_TEST(version_and_messages)
{
	ck_assert_str_eq(sa_version(), PACKAGE_VERSION);
	ck_assert_ptr_nonnull(strstr(sa_strerror(-EBADMSG), "not a shared array"));
	ck_assert_str_eq(sa_strerror(-EBADMSG), sa_strerror(EBADMSG));
	ck_assert_ptr_nonnull(strstr(sa_strerror(-ENOENT), "no such array"));
	ck_assert_ptr_nonnull(strstr(sa_strerror(-ENOSPC), "space"));
	ck_assert_ptr_nonnull(sa_strerror(-EPERM));
	ck_assert_ptr_nonnull(sa_strerror(-123456));
	ck_assert_str_eq(sa_strerror(0), "success");
}
END_TEST

/* Threads creating, attaching and deleting their own names at once. */
static void *churn(void *arg)
{
	const size_t shape[1] = { 64 };
	char name[128];

	snprintf(name, sizeof(name), "shm://sa-test-%ld-thread-%ld", (long)getpid(),
	         (long)(intptr_t)arg);
	for (int round = 0; round < 200; round++) {
		sa_array *a, *b;

		if (sa_create(name, "<i8", 1, shape, 0, 0, &a) < 0)
			return "create";
		((int64_t *)sa_data(a))[63] = round;
		if (sa_attach(name, SA_RDONLY, &b) < 0 || ((int64_t *)sa_data(b))[63] != round)
			return "attach";
		if (sa_delete(name) < 0 || sa_detach(a) < 0 || sa_detach(b) < 0)
			return "delete";
	}
	return NULL;
}

START_TEST(thread_safety)
{
	pthread_t threads[8];

	for (intptr_t i = 0; i < 8; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, churn, (void *)i), 0);
	for (int i = 0; i < 8; i++) {
		void *failed;

		ck_assert_int_eq(pthread_join(threads[i], &failed), 0);
		ck_assert_msg(failed == NULL, "thread %d failed at %s", i, (char *)failed);
	}
}
END_TEST

static Suite *lifecycle_suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("lifecycle");

	tcase_add_test(tc, create_returns_a_zeroed_attached_array);
	tcase_add_test(tc, create_without_out_only_creates);
	tcase_add_test(tc, create_taken_name_is_eexist);
	tcase_add_test(tc, bad_flags_and_mode_are_einval);
	tcase_add_test(tc, mode_is_applied_less_umask);
	tcase_add_test(tc, shapes_at_the_edges);
	tcase_add_loop_test(tc, bad_shapes_create_nothing, 0,
	                    sizeof(bad_shapes) / sizeof(bad_shapes[0]));
	tcase_add_test(tc, null_shape_with_dims_is_einval);
	tcase_add_test(tc, readonly_attach_faults_on_write);
	tcase_add_test(tc, reserve_allocates_the_backing_store);
	tcase_add_test(tc, populate_prefaults_and_default_is_lazy);
	tcase_add_test(tc, msync_mlock_munlock);
	tcase_add_test(tc, delete_while_attached);
	tcase_add_test(tc, missing_arrays_are_enoent);
	tcase_add_test(tc, file_create_does_not_follow_symlinks);
	tcase_add_test(tc, shm_symlink_is_not_followed);
	tcase_add_test(tc, file_array_survives_and_deletes);
	tcase_add_test(tc, null_handles);
	tcase_add_test(tc, version_and_messages);
	tcase_add_test(tc, thread_safety);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(lifecycle_suite());
}
