/*
 * test_prune.c - sa_prune removes exactly what it says, and nothing else
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A directory of file:// arrays holds every kind of entry: transient arrays
 * whose holders were killed (leftovers), held ones, ordinary arrays old and
 * young, held and not, and files that are not arrays.  What remains is read
 * from the file system.  (Pruning shared memory and unattached arrays,
 * which needs root: test_privileged.)
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const size_t shape[1] = { 10 };

struct fixture {
	char *dir;
	struct t_holder held, held_plain;
};

static void entry_path(char *buf, size_t len, const char *dir, const char *entry)
{
	snprintf(buf, len, "%s/%s", dir, entry);
}

static void entry_name(char *buf, size_t len, const char *dir, const char *entry)
{
	snprintf(buf, len, "file://%s/%s", dir, entry);
}

/* Last modified SECONDS ago. */
static void age(const char *dir, const char *entry, long seconds)
{
	struct timespec times[2] = { { time(NULL) - seconds, 0 }, { time(NULL) - seconds, 0 } };
	char path[512];

	entry_path(path, sizeof(path), dir, entry);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), 0);
}

/* A transient array whose only holder was killed. */
static void make_leftover(const char *dir, const char *entry)
{
	char name[560];
	struct t_holder h;
	sa_array *a;

	entry_name(name, sizeof(name), dir, entry);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	h = t_holder_start(name, 0);
	ck_assert_int_eq(sa_detach(a), 0);
	t_holder_kill(&h);
}

static struct fixture setup(void)
{
	struct fixture f;
	char name[560], path[512];
	sa_array *a;

	f.dir = t_make_tmpdir();
	make_leftover(f.dir, "left1");
	make_leftover(f.dir, "left2");
	make_leftover(f.dir, "left-young");
	age(f.dir, "left1", 2 * 3600);
	age(f.dir, "left2", 2 * 3600);

	entry_name(name, sizeof(name), f.dir, "held");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	f.held = t_holder_start(name, SA_RDONLY);
	ck_assert_int_eq(sa_detach(a), 0);
	age(f.dir, "held", 2 * 3600);

	entry_name(name, sizeof(name), f.dir, "plain-old");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);
	age(f.dir, "plain-old", 3 * 86400);
	entry_name(name, sizeof(name), f.dir, "plain-held-old");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);
	f.held_plain = t_holder_start(name, 0);
	age(f.dir, "plain-held-old", 3 * 86400);
	entry_name(name, sizeof(name), f.dir, "plain-young");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);

	entry_path(path, sizeof(path), f.dir, "notes.txt");
	t_write_file(path, "not an array\n", 13);
	age(f.dir, "notes.txt", 9 * 86400);
	entry_path(path, sizeof(path), f.dir, "fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	entry_path(path, sizeof(path), f.dir, "subdir");
	ck_assert_int_eq(mkdir(path, 0700), 0);
	return f;
}

static void teardown(struct fixture *f)
{
	t_holder_order(&f->held, 'd');
	t_holder_order(&f->held_plain, 'd');
	t_remove_tree(f->dir);
	free(f->dir);
}

static const char *const all_entries[] = {
	"fifo", "held", "left-young", "left1", "left2", "notes.txt",
	"plain-held-old", "plain-old", "plain-young", "subdir", NULL,
};

/* Whether ENTRY is in LIST (a NULL-terminated vector of entries). */
static bool listed(const char *const *list, const char *entry)
{
	for (; *list; list++)
		if (strcmp(*list, entry) == 0)
			return true;
	return false;
}

/* Exactly the entries of GONE are missing from the directory. */
static void assert_gone(const char *dir, const char *const *gone)
{
	for (const char *const *e = all_entries; *e; e++) {
		char path[512];
		struct stat st;
		const bool exists = lstat((entry_path(path, sizeof(path), dir, *e), path), &st) == 0;

		ck_assert_msg(exists != listed(gone, *e), "%s: %s", *e,
		              exists ? "still there" : "removed");
	}
}

/* The vector sa_prune returned names exactly WANT (sorted), and is freed. */
static void assert_pruned(int n, sa_info **out, const char *const *want)
{
	int count = 0;

	while (want[count])
		count++;
	ck_assert_int_eq(n, count);
	for (int i = 0; i < n; i++) {
		ck_assert_str_eq(sa_info_name(out[i]), want[i]);
		ck_assert_int_eq(sa_info_nbytes(out[i]), strncmp(want[i], "left", 4) ? 10 : 80);
	}
	ck_assert_ptr_null(out[n]);
	sa_list_free(out);
}

START_TEST(test_leftovers_only)
{
	static const char *const want[] = { "left-young", "left1", "left2", NULL };
	struct fixture f = setup();
	sa_info **out;
	int n = sa_prune(f.dir, NULL, 0, 0, &out);

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(sa_info_transient(out[i]), 1);
	assert_pruned(n, out, want);
	assert_gone(f.dir, want);
	/* Again: nothing left to remove. */
	ck_assert_int_eq(sa_prune(f.dir, NULL, 0, 0, &out), 0);
	ck_assert_ptr_null(out[0]);
	sa_list_free(out);
	teardown(&f);
}
END_TEST

START_TEST(test_dry_run_removes_nothing)
{
	static const char *const want[] = { "left-young", "left1", "left2", NULL };
	static const char *const none[] = { NULL };
	struct fixture f = setup();
	sa_info **out;
	int n = sa_prune(f.dir, NULL, SA_PRUNE_DRY_RUN, 0, &out);

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(sa_info_transient(out[i]), 1);
	assert_pruned(n, out, want);
	assert_gone(f.dir, none);
	teardown(&f);
}
END_TEST

START_TEST(test_older_than_and_patterns)
{
	static const char *const old[] = { "left1", "left2", NULL };
	static const char *const one[] = { "left1", NULL };
	static const char *const patterns[] = { "x*", "*1", "plain-*", NULL };
	struct fixture f = setup();
	sa_info **out;
	int n;

	n = sa_prune(f.dir, NULL, SA_PRUNE_DRY_RUN, 3600, &out);
	assert_pruned(n, out, old);
	n = sa_prune(f.dir, patterns, 0, 0, &out);
	assert_pruned(n, out, one);
	assert_gone(f.dir, one);
	teardown(&f);
}
END_TEST

/*
 * Unattached ordinary arrays need every process read; where some cannot be
 * (another user's, or a process this root may not trace), nothing at all is
 * removed.  Where all can, only the old unheld ones go (test_privileged
 * makes sure of that case in a PID namespace of its own).
 */
START_TEST(test_unattached_needs_every_process)
{
	static const char *const none[] = { NULL };
	/* A day old: the leftovers are younger, and the other old one is held. */
	static const char *const want[] = { "plain-old", NULL };
	struct fixture f = setup();
	sa_info **out = NULL;
	int n = sa_prune(f.dir, NULL, SA_PRUNE_UNATTACHED, 86400, &out);

	if (n == -EPERM) {
		ck_assert_msg(t_unreadable_processes() > 0, "EPERM though every process is readable");
		assert_gone(f.dir, none);
	} else {
		assert_pruned(n, out, want);
		assert_gone(f.dir, want);
	}
	teardown(&f);
}
END_TEST

START_TEST(test_bad_arguments)
{
	char *dir = t_make_tmpdir(), missing[512];
	sa_info **out = (sa_info **)&out;

	snprintf(missing, sizeof(missing), "%s/missing", dir);
	ck_assert_int_eq(sa_prune(dir, NULL, 0x4, 0, &out), -EINVAL);
	ck_assert_int_eq(sa_prune(dir, NULL, 0, -1, &out), -EINVAL);
	ck_assert_int_eq(sa_prune(dir, NULL, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sa_prune("", NULL, 0, 0, &out), -EINVAL);
	ck_assert_int_eq(sa_prune(missing, NULL, 0, 0, &out), -ENOENT);
	ck_assert_ptr_eq(out, (sa_info **)&out);
	t_remove_tree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("prune");
	TCase *tc = tcase_create("prune");

	tcase_add_test(tc, test_leftovers_only);
	tcase_add_test(tc, test_dry_run_removes_nothing);
	tcase_add_test(tc, test_older_than_and_patterns);
	tcase_add_test(tc, test_unattached_needs_every_process);
	tcase_add_test(tc, test_bad_arguments);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return t_run_suite(s);
}
