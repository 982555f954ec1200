/*
 * test_exhaustion.c - running out of space: a full filesystem, creators
 * racing for its last free space, no inodes left (root only: a private tmpfs)
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tests/test_private_shm.c already checks one array too big for a tiny
 * tmpfs (ENOSPC, with and without reserve) and one reserved array written
 * in full on a full filesystem.  These go further: filling a filesystem with
 * reserved arrays until ENOSPC, creators racing for the last free space,
 * running out of inodes, SA_POPULATE on a full filesystem (ENOSPC, not
 * SIGBUS).  The limits on locked memory and mappings are in test_limits.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "hardening.h"

#define KIB 1024
#define MAX_ARRAYS 64

struct arrays {
	char names[MAX_ARRAYS][128];
	size_t sizes[MAX_ARRAYS];
	int count;
};

/* In a child: attach every array and write every byte of it. */
static int write_all_arrays(void *arg)
{
	const struct arrays *a = arg;

	for (int i = 0; i < a->count; i++) {
		sa_array *array;

		if (sa_attach(a->names[i], 0, &array) < 0)
			return 10;
		memset(sa_data(array), 0x5a, sa_nbytes(array));
		if (sa_detach(array) < 0)
			return 11;
	}
	return 0;
}

/* Reserved arrays of random sizes until the filesystem is full. */
START_TEST(fill_tmpfs_with_reserved_arrays)
{
	uint64_t rng = h_random_seed();
	unsigned long long blocks, inodes;
	struct arrays *a = h_shared_alloc(sizeof(*a));
	int enospc = 0, status;

	ck_assert_int_eq(t_private_shm("2M"), 0);
	h_fs_usage("/dev/shm", &blocks, &inodes);
	for (int attempt = 0; attempt < 200 && a->count < MAX_ARRAYS && enospc < 20; attempt++) {
		const size_t size = 16 * KIB + (size_t)(h_random(&rng) % (300 * KIB));
		int ret;

		snprintf(a->names[a->count], sizeof(a->names[0]), "fill-%d", attempt);
		ret = sa_create(a->names[a->count], "|u1", 1, &size, SA_RESERVE, 0, NULL);
		ck_assert_msg(ret == 0 || ret == -ENOSPC, "create %zu bytes: %d", size, ret);
		if (ret == 0)
			a->sizes[a->count++] = size;
		else
			enospc++;
	}
	ck_assert_int_gt(a->count, 0);
	ck_assert_int_gt(enospc, 0);
	/* Only the arrays that were created are there: nothing half-made. */
	ck_assert_int_eq(t_count_entries("/dev/shm", ""), 2 + a->count);
	/* Reserved means every byte can be written: no SIGBUS. */
	status = t_in_child(write_all_arrays, a);
	ck_assert_msg(status == 0, "writing the reserved arrays: %d", status);
	h_note("fill: %d reserved arrays created until the 2 MiB tmpfs was full, "
	       "%d creates refused with ENOSPC; every byte written, no SIGBUS", a->count, enospc);
	for (int i = 0; i < a->count; i++)
		ck_assert_int_eq(sa_delete(a->names[i]), 0);
	ck_assert(h_fs_usage_returns("/dev/shm", blocks, inodes));
	h_shared_free(a, sizeof(*a));
}
END_TEST

struct racer {
	char name[64];
	int result;
};

static int race_create(void *arg)
{
	struct racer *r = arg;
	const size_t size = 600 * KIB;

	r->result = sa_create(r->name, "|u1", 1, &size, SA_RESERVE, 0, NULL);
	return 0;
}

/* Two reserved arrays that each fit, but not both: never two, nothing left over. */
START_TEST(creators_race_for_the_last_free_space)
{
	const unsigned rounds = h_rounds(40, 8);
	struct racer *r = h_shared_alloc(2 * sizeof(*r));
	unsigned long long blocks, inodes;
	unsigned long outcomes[3] = { 0 };

	ck_assert_int_eq(t_private_shm("1M"), 0);
	h_fs_usage("/dev/shm", &blocks, &inodes);
	for (unsigned round = 0; round < rounds; round++) {
		struct arrays *a = h_shared_alloc(sizeof(*a));
		pid_t pids[2];
		int created = 0;

		for (int i = 0; i < 2; i++) {
			snprintf(r[i].name, sizeof(r[i].name), "race-%u-%d", round, i);
			r[i].result = 1;
		}
		for (int i = 0; i < 2; i++)
			pids[i] = t_fork(race_create, &r[i]);
		for (int i = 0; i < 2; i++)
			ck_assert_int_eq(t_wait(pids[i]), 0);
		for (int i = 0; i < 2; i++) {
			ck_assert_msg(r[i].result == 0 || r[i].result == -ENOSPC, "racer: %d",
			              r[i].result);
			if (r[i].result == 0) {
				snprintf(a->names[a->count], sizeof(a->names[0]), "%s", r[i].name);
				a->count++;
				created++;
			}
		}
		ck_assert_int_le(created, 1);
		ck_assert_int_eq(t_count_entries("/dev/shm", ""), 2 + created);
		ck_assert_int_eq(t_in_child(write_all_arrays, a), 0);
		for (int i = 0; i < a->count; i++)
			ck_assert_int_eq(sa_delete(a->names[i]), 0);
		ck_assert(h_fs_usage_returns("/dev/shm", blocks, inodes));
		outcomes[created]++;
		h_shared_free(a, sizeof(*a));
	}
	h_note("race: %u rounds of two 600 KiB reserved creates on a 1 MiB tmpfs: "
	       "%lu with one created, %lu with none (both refused), never two",
	       rounds, outcomes[1], outcomes[0]);
	h_shared_free(r, 2 * sizeof(*r));
}
END_TEST

/* No inode left: the unnamed segment cannot even be made. */
START_TEST(no_inodes_left_is_enospc)
{
	const size_t shape[1] = { 64 };
	char name[64];
	int created = 0, ret = 0;

	/* t_private_tmpfs formats "size=%s,mode=1777": options ride along. */
	ck_assert_int_eq(t_private_shm("1M,nr_inodes=6"), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "inode-%d", i);
		ret = sa_create(name, "<f8", 1, shape, 0, 0, NULL);
		if (ret < 0)
			break;
		created++;
	}
	ck_assert_msg(ret == -ENOSPC, "create with no inode left: %d", ret);
	ck_assert_int_gt(created, 0);
	ck_assert_int_eq(t_count_entries("/dev/shm", ""), 2 + created);
	/* Deleting one makes room for one. */
	ck_assert_int_eq(sa_delete("inode-0"), 0);
	ck_assert_int_eq(sa_create("inode-again", "<f8", 1, shape, 0, 0, NULL), 0);
	h_note("inodes: %d arrays fit a tmpfs of 6 inodes, the next create was ENOSPC", created);
}
END_TEST

static int attach_populated(void *name)
{
	sa_array *array;
	int ret = sa_attach(name, SA_POPULATE, &array);

	if (ret == 0)
		sa_detach(array);
	return ret == -ENOSPC ? 0 : 20;
}

static void fill_filesystem(const char *path)
{
	static char chunk[4096];
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	ck_assert_int_ge(fd, 0);
	while (write(fd, chunk, sizeof(chunk)) > 0)
		;
	ck_assert_int_eq(errno, ENOSPC);
	close(fd);
}

/* SA_POPULATE on a full filesystem: ENOSPC from the call, never a SIGBUS. */
START_TEST(populate_on_a_full_filesystem_is_enospc)
{
	const size_t shape[1] = { 600 * KIB };
	sa_array *array = NULL;

	ck_assert_int_eq(t_private_shm("1M"), 0);
	ck_assert_int_eq(sa_create("lazy", "|u1", 1, shape, 0, 0, NULL), 0);
	fill_filesystem("/dev/shm/filler");
	ck_assert_int_eq(t_in_child(attach_populated, "lazy"), 0);
	/* Creating with SA_POPULATE is refused up front, and leaves nothing. */
	ck_assert_int_eq(unlink("/dev/shm/filler"), 0);
	fill_filesystem("/dev/shm/filler");
	ck_assert_int_eq(sa_create("populated", "|u1", 1, shape, SA_POPULATE, 0, &array), -ENOSPC);
	ck_assert_ptr_null(array);
	ck_assert_int_eq(access("/dev/shm/populated", F_OK), -1);
	ck_assert_int_eq(t_count_entries("/dev/shm", ""), 4);  /* ., .., lazy, filler */
}
END_TEST

static Suite *exhaustion_suite(void)
{
	Suite *s = suite_create("exhaustion");
	TCase *tc = tcase_create("exhaustion");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fill_tmpfs_with_reserved_arrays);
	tcase_add_test(tc, creators_race_for_the_last_free_space);
	tcase_add_test(tc, no_inodes_left_is_enospc);
	tcase_add_test(tc, populate_on_a_full_filesystem_is_enospc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	t_require_private_mounts("mounts a private tmpfs on /dev/shm (unshare -m)");
	return t_run_suite(exhaustion_suite());
}
