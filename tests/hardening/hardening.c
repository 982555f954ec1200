/*
 * hardening.c - helpers of the hardening tests (issue 6)
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "hardening.h"

bool h_under_valgrind(void)
{
	const char *v = getenv("SA_TEST_VALGRIND");

	return v && *v && strcmp(v, "0") != 0;
}

bool h_under_asan(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return true;
#else
	return false;
#endif
#else
	return false;
#endif
}

unsigned h_rounds(unsigned n, unsigned divisor)
{
	if (!h_under_valgrind() || divisor <= 1)
		return n;
	return n / divisor ? n / divisor : 1;
}

void h_note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void *h_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	return p;
}

void h_shared_free(void *p, size_t size)
{
	ck_assert_int_eq(munmap(p, size), 0);
}

uint64_t h_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

uint64_t h_random_seed(void)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)getpid() * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)time(NULL);
	return seed ? seed : 1;
}

void h_random_delay(uint64_t *state, unsigned max_us)
{
	unsigned us = max_us ? (unsigned)(h_random(state) % (max_us + 1)) : 0;
	struct timespec ts = { 0, (long)us * 1000 };

	if (us == 0)
		sched_yield();
	else
		nanosleep(&ts, NULL);
}

double h_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void h_nobody(uid_t *uid, gid_t *gid)
{
	const struct passwd *pw = getpwnam("nobody");

	*uid = pw ? pw->pw_uid : 65534;
	*gid = pw ? pw->pw_gid : 65534;
}

int h_become(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		return -errno;
	return 0;
}

/*
 * With getdents64 into a buffer on the stack, not opendir(3): callers count
 * at the vm.max_map_count limit, where malloc may find no memory to map.
 */
int h_count_fds(void)
{
	const int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char buf[4096];
	long n;
	int count = 0;

	ck_assert_int_ge(dir, 0);
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			const struct dirent64 *ent = (const struct dirent64 *)(buf + off);

			if (ent->d_name[0] != '.')
				count++;
			off += ent->d_reclen;
		}
	ck_assert_int_eq(n, 0);
	close(dir);
	return count - 1;  /* the directory's own descriptor */
}

void h_fs_usage(const char *path, unsigned long long *blocks, unsigned long long *inodes)
{
	struct statvfs vfs;

	ck_assert_int_eq(statvfs(path, &vfs), 0);
	*blocks = (unsigned long long)(vfs.f_blocks - vfs.f_bfree);
	*inodes = (unsigned long long)(vfs.f_files - vfs.f_ffree);
}

bool h_fs_usage_returns(const char *path, unsigned long long blocks, unsigned long long inodes)
{
	for (int i = 0; i < 5000; i++) {
		unsigned long long b, n;
		struct timespec ms = { 0, 1000000 };

		h_fs_usage(path, &b, &n);
		if (b == blocks && n == inodes)
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

long long h_meminfo_shmem_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Shmem: %lld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}
