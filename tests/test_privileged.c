/*
 * test_privileged.c - holders, transient arrays and pruning across users
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Root only: children become "nobody" (65534) to be another user.  What
 * root sees (every holder), what a user sees (its own processes), what a
 * reader without write permission gets of a dead transient array (never the
 * array), and sa_prune in a PID namespace of its own, where root reads every
 * process and may remove unattached arrays, and nobody may not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

#define NOBODY ((uid_t)65534)

static const size_t shape[1] = { 32 };

static int by_pid(const void *a, const void *b)
{
	const pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Whether sa_holders(NAME) is exactly the N pids of WANT: 0, or why not. */
static int holders_are(const char *name, pid_t *want, int n)
{
	pid_t *pids = NULL;
	int count, ret = 0;

	if (n > 1)
		qsort(want, (size_t)n, sizeof(*want), by_pid);
	count = sa_holders(name, &pids);
	if (count != n)
		ret = count < 0 ? 30 : 31;
	for (int i = 0; ret == 0 && i < n; i++)
		if (pids[i] != want[i])
			ret = 32;
	free(pids);
	return ret;
}

/* ---- holders of other users ---------------------------------------------- */

struct view {
	const char *name;
	pid_t pids[4];
	int n;
};

/* As nobody: sees its own user's holders, not root's. */
static int nobody_looks(void *arg)
{
	struct view *v = arg;

	if (t_become(NOBODY) < 0)
		return 20;
	return holders_are(v->name, v->pids, v->n);
}

START_TEST(test_holders_by_user)
{
	char bare[128], name[160];
	struct t_holder nobody1, nobody2, rooted;
	struct view v;

	t_bare_name(bare, sizeof(bare), "users");
	snprintf(name, sizeof(name), "shm://%s", bare);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0666, NULL), 0);
	nobody1 = t_holder_start_as(name, 0, NOBODY);
	nobody2 = t_holder_start_as(name, SA_RDONLY, NOBODY);
	rooted = t_holder_start(name, SA_RDONLY);
	/* Root sees all three. */
	ck_assert_int_eq(holders_are(name, (pid_t[]){ nobody1.pid, nobody2.pid, rooted.pid }, 3),
	                 0);
	/* Nobody sees its own two, and not root's. */
	v = (struct view){ name, { nobody1.pid, nobody2.pid }, 2 };
	ck_assert_int_eq(t_in_child(nobody_looks, &v), 0);
	t_holder_order(&nobody1, 'd');
	v = (struct view){ name, { nobody2.pid }, 1 };
	ck_assert_int_eq(t_in_child(nobody_looks, &v), 0);
	ck_assert_int_eq(holders_are(name, (pid_t[]){ nobody2.pid, rooted.pid }, 2), 0);
	t_holder_kill(&nobody2);
	t_holder_kill(&rooted);
	ck_assert_int_eq(holders_are(name, NULL, 0), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}
END_TEST

/* ---- a reader without write permission ------------------------------------- */

static int reader_finds_it_gone(void *arg)
{
	const char *name = arg;
	sa_array *a;

	if (t_become(NOBODY) < 0)
		return 20;
	if (sa_attach(name, SA_RDONLY, &a) != -ENOENT)
		return 21;
	return sa_attach(name, 0, &a) == -EACCES ? 0 : 22;
}

START_TEST(test_reader_without_permission)
{
	char bare[128], name[160], path[160];
	struct t_holder reader, other;
	sa_array *a;
	sa_info *info;

	t_bare_name(bare, sizeof(bare), "perm");
	snprintf(name, sizeof(name), "shm://%s", bare);
	t_shm_path(path, sizeof(path), bare);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0644, &a), 0);
	reader = t_holder_start_as(name, SA_RDONLY, NOBODY);
	other = t_holder_start(name, SA_RDONLY);
	ck_assert_int_eq(sa_detach(a), 0);
	t_holder_kill(&other);
	/* The reader is the last holder, and may not remove it: left dead. */
	t_holder_order(&reader, 'd');
	ck_assert_uint_ne(t_inode_of(path), 0);
	/* Still, nobody ever gets it again. */
	ck_assert_int_eq(t_in_child(reader_finds_it_gone, name), 0);
	ck_assert_uint_ne(t_inode_of(path), 0);
	/* Its owner's next call removes it. */
	ck_assert_int_eq(sa_stat(name, &info), -ENOENT);
	ck_assert_uint_eq(t_inode_of(path), 0);
}
END_TEST

/* ---- pruning in a PID namespace of our own ------------------------------- */

/* Shared memory, by default where the library knows its directory. */
#ifdef SA_SHM_DIR
#define SHM_LISTING NULL
#else
#define SHM_LISTING "/dev/shm"
#endif

static void age(const char *bare, long seconds)
{
	struct timespec times[2] = { { time(NULL) - seconds, 0 }, { time(NULL) - seconds, 0 } };
	char path[160];

	t_shm_path(path, sizeof(path), bare);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);
}

static int nobody_prunes(void *arg)
{
	sa_info **out;

	(void)arg;
	if (t_become(NOBODY) < 0)
		return 20;
	/* Root's processes are out of its sight: it must refuse, not guess. */
	if (sa_prune(SHM_LISTING, NULL, SA_PRUNE_UNATTACHED, 0, &out) != -EPERM)
		return 21;
	/* Leftovers need no sight of anyone: the lock says it all. */
	if (sa_prune(SHM_LISTING, NULL, SA_PRUNE_DRY_RUN, 0, &out) < 0)
		return 22;
	sa_list_free(out);
	return 0;
}

static const char *const entries[] = {
	"old", "old-held-by-nobody", "young", "leftover", "held", "notes", NULL,
};

/* In the namespace: /dev/shm is ours and every process is root's to read. */
static int prune_scenario(void *unused)
{
	struct t_holder by_nobody, holder, dying;
	sa_info **out;
	sa_array *a;
	char path[160];
	int n;

	(void)unused;
	ck_assert_int_eq(t_private_shm("4M"), 0);
	ck_assert_int_eq(sa_create("old", SA_DTYPE_UINT8, 1, shape, 0, 0666, NULL), 0);
	ck_assert_int_eq(sa_create("old-held-by-nobody", SA_DTYPE_UINT8, 1, shape, 0, 0666, NULL),
	                 0);
	ck_assert_int_eq(sa_create("young", SA_DTYPE_UINT8, 1, shape, 0, 0666, NULL), 0);
	ck_assert_int_eq(sa_create("leftover", SA_DTYPE_UINT8, 1, shape, SA_TRANSIENT, 0666, &a),
	                 0);
	dying = t_holder_start("leftover", 0);
	sa_detach(a);
	t_holder_kill(&dying);
	ck_assert_int_eq(sa_create("held", SA_DTYPE_UINT8, 1, shape, SA_TRANSIENT, 0666, &a), 0);
	holder = t_holder_start("held", 0);
	sa_detach(a);
	by_nobody = t_holder_start_as("old-held-by-nobody", SA_RDONLY, NOBODY);
	t_write_file("/dev/shm/notes", "not an array", 12);
	for (int i = 0; entries[i]; i++)
		if (strcmp(entries[i], "young") != 0)
			age(entries[i], 7200);

	ck_assert_int_eq(t_in_child(nobody_prunes, NULL), 0);
	for (int i = 0; entries[i]; i++) {
		t_shm_path(path, sizeof(path), entries[i]);
		ck_assert_uint_ne(t_inode_of(path), 0);
	}
	n = sa_prune(SHM_LISTING, NULL, SA_PRUNE_UNATTACHED, 3600, &out);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(sa_info_name(out[0]), "leftover");
	ck_assert_str_eq(sa_info_name(out[1]), "old");
	sa_list_free(out);
	for (int i = 0; entries[i]; i++) {
		const bool gone = strcmp(entries[i], "old") == 0 || strcmp(entries[i], "leftover") == 0;

		t_shm_path(path, sizeof(path), entries[i]);
		ck_assert_msg((t_inode_of(path) == 0) == gone, "%s", entries[i]);
	}
	t_holder_order(&by_nobody, 'd');
	t_holder_order(&holder, 'd');
	return 0;
}

START_TEST(test_prune_unattached)
{
	ck_assert_int_eq(t_in_pid_namespace(prune_scenario, NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("privileged");
	TCase *tc = tcase_create("other users");

	t_require_root("children become another user (setuid), and unshare namespaces");
	t_require_private_mounts("prunes in a PID namespace with a /dev/shm of its own");
	umask(0);  /* 0666 means 0666: nobody writes too */
	tcase_add_test(tc, test_holders_by_user);
	tcase_add_test(tc, test_reader_without_permission);
	tcase_add_test(tc, test_prune_unattached);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
