/*
 * test_limits.c - resource limits: locked memory beyond RLIMIT_MEMLOCK, and
 * more mappings than vm.max_map_count allows
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both run in a child: one that gives up root (and with it CAP_IPC_LOCK,
 * which ignores the limit) and lowers RLIMIT_MEMLOCK; one that attaches a
 * small array until the kernel refuses another mapping, then checks the
 * process is still healthy and that detaching recovers.  vm.max_map_count
 * is system-wide and stays as it is.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hardening.h"

#define KIB 1024

struct mlock_case {
	rlim_t limit;
	size_t size;
	int expected;
};

static int mlock_as_unprivileged(void *arg)
{
	const struct mlock_case *c = arg;
	const struct rlimit limit = { c->limit, c->limit };
	char name[128];
	sa_array *array;
	int ret, status = 0;

	if (t_is_root()) {
		uid_t uid;
		gid_t gid;

		/* Not root any more: no CAP_IPC_LOCK to bypass the limit. */
		h_nobody(&uid, &gid);
		if (h_become(uid, gid) < 0)
			return 30;
	}
	if (setrlimit(RLIMIT_MEMLOCK, &limit) < 0)
		return 31;
	t_shm_name(name, sizeof(name), "mlock");
	if (sa_create(name, "|u1", 1, &c->size, 0, 0600, &array) < 0)
		return 32;
	ret = sa_mlock(array);
	if (ret != c->expected)
		status = 40 + (ret < 0 ? -ret : ret) % 50;
	if (ret == 0 && sa_munlock(array) != 0)
		status = 33;
	/* Still healthy: the mapping is usable, the process goes on. */
	memset(sa_data(array), 1, sa_nbytes(array));
	if (sa_detach(array) < 0 || sa_delete(name) < 0)
		status = status ? status : 34;
	return status;
}

START_TEST(mlock_beyond_rlimit_memlock)
{
	static const struct mlock_case cases[] = {
		{ 64 * KIB, 1024 * KIB, -ENOMEM },  /* more than the limit */
		{ 64 * KIB, 16 * KIB, 0 },          /* within it */
		{ 0, 16 * KIB, -EPERM },            /* no locking at all */
	};

	if (h_under_asan()) {
		h_note("SKIP: ASan intercepts mlock(2) and makes it a no-op");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = t_in_child(mlock_as_unprivileged, (void *)&cases[i]);

		ck_assert_msg(status == 0, "mlock %zu bytes with RLIMIT_MEMLOCK %lu: status %d",
		              cases[i].size, (unsigned long)cases[i].limit, status);
	}
	h_note("mlock: %s, RLIMIT_MEMLOCK 64 KiB: 1 MiB array -ENOMEM, 16 KiB array locked; "
	       "limit 0: -EPERM", t_is_root() ? "as nobody" : "unprivileged");
}
END_TEST

static long max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

struct maps_result {
	char name[128];
	long limit, attached, reattached;
	int enomem_again, fds_before, fds_after, stat_at_limit;
};

/* In a child: attach one small array until the kernel refuses a mapping. */
static int attach_until_enomem(void *arg)
{
	struct maps_result *r = arg;
	const size_t n = (size_t)r->limit + 1000;
	sa_array **arrays = calloc(n, sizeof(*arrays));
	const char *name = r->name;
	size_t count = 0;
	sa_info *info;
	int ret = 0;

	if (!arrays)
		return 50;
	r->fds_before = h_count_fds();
	while (count < n && (ret = sa_attach(name, SA_RDONLY, &arrays[count])) == 0)
		count++;
	if (ret != -ENOMEM)
		return 51;
	r->attached = (long)count;
	/* Healthy at the limit: the same answer again, metadata, no descriptor lost. */
	r->enomem_again = sa_attach(name, SA_RDONLY, &(sa_array *){ NULL });
	r->stat_at_limit = sa_stat(name, &info);
	if (r->stat_at_limit == 0)
		sa_info_free(info);
	r->fds_after = h_count_fds();
	/* Detaching recovers: one mapping freed is one attach possible. */
	if (sa_detach(arrays[--count]) < 0 || sa_attach(name, SA_RDONLY, &arrays[count]) < 0)
		return 52;
	count++;
	while (count > 0)
		if (sa_detach(arrays[--count]) < 0)
			return 53;
	/* ...and all of them, again. */
	while ((long)count < r->attached && sa_attach(name, SA_RDONLY, &arrays[count]) == 0)
		count++;
	r->reattached = (long)count;
	while (count > 0)
		sa_detach(arrays[--count]);
	free(arrays);
	return 0;
}

START_TEST(attaching_beyond_max_map_count_is_enomem)
{
	struct maps_result *r = h_shared_alloc(sizeof(*r));
	const size_t shape[1] = { 16 };
	double start;
	int status;

	r->limit = max_map_count();
	if (r->limit < 0 || r->limit > 1000000) {
		h_note("SKIP: vm.max_map_count is %ld", r->limit);
		return;
	}
	if (h_under_valgrind()) {
		h_note("SKIP: memcheck cannot hold %ld mappings", r->limit);
		return;
	}
	if (h_under_asan()) {
		/* Its allocator maps memory as it grows, and aborts when it cannot. */
		h_note("SKIP: ASan's own allocator aborts at vm.max_map_count");
		return;
	}
	t_shm_name(r->name, sizeof(r->name), "maps");
	ck_assert_int_eq(sa_create(r->name, "|u1", 1, shape, 0, 0600, NULL), 0);
	start = h_now();
	status = t_in_child(attach_until_enomem, r);
	ck_assert_int_eq(sa_delete(r->name), 0);
	ck_assert_msg(status == 0, "attach until ENOMEM: status %d", status);
	h_note("maps: vm.max_map_count %ld; %ld attaches, then -ENOMEM (again: %d); stat at "
	       "the limit %d; fds %d before, %d after; %ld attached again after detaching all; "
	       "%.1f s", r->limit, r->attached, r->enomem_again, r->stat_at_limit,
	       r->fds_before, r->fds_after, r->reattached, h_now() - start);
	ck_assert_int_gt(r->attached, r->limit / 2);
	ck_assert_int_le(r->attached, r->limit);
	ck_assert_int_eq(r->enomem_again, -ENOMEM);
	ck_assert_int_eq(r->stat_at_limit, 0);
	ck_assert_int_eq(r->fds_after, r->fds_before);
	ck_assert_int_eq(r->reattached, r->attached);
	h_shared_free(r, sizeof(*r));
}
END_TEST

static Suite *limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("limits");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, mlock_beyond_rlimit_memlock);
	tcase_add_test(tc, attaching_beyond_max_map_count_is_enomem);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(limits_suite());
}
