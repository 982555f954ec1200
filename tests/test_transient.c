/*
 * test_transient.c - SA_TRANSIENT: arrays removed with their last holder
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Real processes hold the arrays: they attach, detach, exit, and are
 * killed with SIGKILL, many times and in random order.  Whether an array
 * still exists is read from the file system (the segment's file and its
 * inode), never only from the library that is under test.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static const size_t shape[1] = { 64 };

static ino_t identity(const sa_array *array)
{
	ino_t ino = 0;

	ck_assert_int_eq(sa_identity(array, NULL, &ino), 0);
	return ino;
}

static int count_fds(void)
{
	char path[64];
	int count = 0;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, F_OK) == 0)
			count++;
	}
	return count;
}

/* ---- the flag ----------------------------------------------------------- */

START_TEST(test_needs_a_holder)
{
	char name[128], path[160];

	t_bare_name(name, sizeof(name), "noout");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, NULL),
	                 -EINVAL);
	ck_assert_uint_eq(t_inode_of(path), 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0x40, 0600, NULL), -EINVAL);
}
END_TEST

START_TEST(test_flags_and_info)
{
	char name[128];
	sa_array *a, *b, *plain;
	sa_info *info;

	t_shm_name(name, sizeof(name), "flags");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT32, 1, shape,
	                           SA_TRANSIENT | SA_FORTRAN, 0600, &a), 0);
	ck_assert_uint_eq(sa_flags(a), SA_TRANSIENT | SA_FORTRAN);
	ck_assert_int_eq(sa_attach(name, SA_RDONLY, &b), 0);
	ck_assert_uint_eq(sa_flags(b), SA_TRANSIENT | SA_RDONLY | SA_FORTRAN);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_int_eq(sa_info_transient(info), 1);
	sa_info_free(info);
	ck_assert_int_eq(sa_info_transient(NULL), -EINVAL);
	ck_assert_int_eq(sa_release(NULL), -EINVAL);

	t_shm_name(name, sizeof(name), "plain");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT32, 1, shape, 0, 0600, &plain), 0);
	ck_assert_uint_eq(sa_flags(plain), 0);
	ck_assert_int_eq(sa_stat(name, &info), 0);
	ck_assert_int_eq(sa_info_transient(info), 0);
	sa_info_free(info);
	ck_assert_int_eq(sa_release(plain), 0);
	sa_detach(plain);
	ck_assert_int_eq(sa_delete(name), 0);
	sa_detach(b);
	sa_detach(a);
}
END_TEST

/* Only transient attachments keep a descriptor (and its lock). */
START_TEST(test_cost_only_for_transient)
{
	char name[128], transient[128];
	sa_array *a[8];
	int before;

	t_shm_name(name, sizeof(name), "cost");
	t_shm_name(transient, sizeof(transient), "costt");
	ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);
	before = count_fds();
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(sa_attach(name, i % 2 ? SA_RDONLY : 0, &a[i]), 0);
	ck_assert_int_eq(count_fds(), before);
	for (int i = 0; i < 8; i++)
		sa_detach(a[i]);
	ck_assert_int_eq(sa_delete(name), 0);

	ck_assert_int_eq(sa_create(transient, SA_DTYPE_UINT8, 1, shape, SA_TRANSIENT, 0600, &a[0]),
	                 0);
	ck_assert_int_eq(count_fds(), before + 1);
	ck_assert_int_eq(sa_attach(transient, SA_RDONLY, &a[1]), 0);
	ck_assert_int_eq(count_fds(), before + 2);
	sa_detach(a[1]);
	sa_detach(a[0]);
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

/* The trailer of FILE (292 bytes) into T. */
static void read_trailer(const char *path, unsigned char t[292])
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(pread(fd, t, 292, st.st_size - 292), 292);
	close(fd);
}

/*
 * libsharedarray 1.0 compares the magic's first 14 bytes, SharedArray 3.x
 * strncmp()s it with "[SharedArray]": both stop before byte 14, the flag.
 * Every other byte is what an ordinary array of the same shape has.
 */
START_TEST(test_old_readers_see_an_ordinary_array)
{
	char transient[128], plain[128], tpath[160], ppath[160];
	unsigned char t[292], p[292];
	sa_array *a;

	t_bare_name(transient, sizeof(transient), "oldt");
	t_bare_name(plain, sizeof(plain), "oldp");
	t_shm_path(tpath, sizeof(tpath), transient);
	t_shm_path(ppath, sizeof(ppath), plain);
	ck_assert_int_eq(sa_create(transient, SA_DTYPE_INT16, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	ck_assert_int_eq(sa_create(plain, SA_DTYPE_INT16, 1, shape, 0, 0600, NULL), 0);
	read_trailer(tpath, t);
	read_trailer(ppath, p);
	ck_assert_int_eq(memcmp(t, "[SharedArray]", 14), 0);     /* 1.0: with the NUL */
	ck_assert_int_eq(strncmp((char *)t, "[SharedArray]", 16), 0);  /* 3.x */
	ck_assert_int_eq(t[14], 1);
	ck_assert_int_eq(t[15], 0);
	ck_assert_int_eq(p[14], 0);
	t[14] = 0;
	ck_assert_int_eq(memcmp(t, p, sizeof(t)), 0);
	sa_detach(a);
	ck_assert_int_eq(sa_delete(plain), 0);
}
END_TEST

/* The record's mark, at offset 44 of the record after 128 bytes of data. */
static void read_mark(const char *path, unsigned char mark[4])
{
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, mark, 4, 128 + 44), 4);
	close(fd);
}

/*
 * A transient array that nobody holds is removed on sight, so the claim
 * must take more than one stray byte: the trailer's bit alone, on an
 * ordinary array, is a corrupt segment that is reported and kept.
 */
START_TEST(test_one_byte_makes_nothing_removable)
{
	char transient[128], plain[128], tpath[160], ppath[160];
	const unsigned char one = 1;
	unsigned char mark[4];
	sa_array *a;
	sa_info *info;
	ino_t ino;
	int fd;

	t_bare_name(transient, sizeof(transient), "markt");
	t_bare_name(plain, sizeof(plain), "markp");
	t_shm_path(tpath, sizeof(tpath), transient);
	t_shm_path(ppath, sizeof(ppath), plain);
	ck_assert_int_eq(sa_create(transient, SA_DTYPE_INT16, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	ck_assert_int_eq(sa_create(plain, SA_DTYPE_INT16, 1, shape, 0, 0600, NULL), 0);
	read_mark(tpath, mark);
	ck_assert_int_eq(memcmp(mark, "TRAN", 4), 0);
	read_mark(ppath, mark);
	ck_assert_int_eq(memcmp(mark, "\0\0\0\0", 4), 0);
	sa_detach(a);

	ino = t_inode_of(ppath);
	fd = open(ppath, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, &one, 1, 128 + 56 + 14), 1);
	close(fd);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(sa_attach(plain, 0, &a), -EBADMSG);
		ck_assert_int_eq(sa_stat(plain, &info), -EBADMSG);
		ck_assert_int_eq(sa_create(plain, SA_DTYPE_INT16, 1, shape, SA_EXIST_OK, 0600, &a),
		                 -EBADMSG);
	}
	ck_assert_uint_eq(t_inode_of(ppath), ino);
	ck_assert_int_eq(sa_delete(plain), 0);
}
END_TEST

/* ---- lifetime ------------------------------------------------------------ */

START_TEST(test_last_detach_removes)
{
	char name[128], path[160];
	sa_array *a, *b;
	ino_t ino;

	t_bare_name(name, sizeof(name), "last");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	ino = identity(a);
	ck_assert_uint_eq(t_inode_of(path), ino);
	ck_assert_int_eq(sa_attach(name, 0, &b), 0);
	((double *)sa_data(a))[3] = 2.5;
	ck_assert_int_eq(sa_detach(a), 0);
	ck_assert_uint_eq(t_inode_of(path), ino);            /* b holds it */
	ck_assert(((double *)sa_data(b))[3] == 2.5);
	ck_assert_int_eq(sa_detach(b), 0);
	ck_assert_uint_eq(t_inode_of(path), 0);              /* gone with b */
	ck_assert_int_eq(sa_attach(name, 0, &b), -ENOENT);
}
END_TEST

/* Holders in other processes keep it; their normal exit removes it. */
START_TEST(test_other_processes_hold)
{
	char name[128], path[160];
	struct t_holder h[3];
	sa_array *a;
	ino_t ino;

	t_bare_name(name, sizeof(name), "procs");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	ino = identity(a);
	for (int i = 0; i < 3; i++)
		h[i] = t_holder_start(name, i == 1 ? SA_RDONLY : 0);
	ck_assert_int_eq(sa_detach(a), 0);
	ck_assert_uint_eq(t_inode_of(path), ino);
	t_holder_order(&h[2], 'd');
	ck_assert_uint_eq(t_inode_of(path), ino);
	t_holder_order(&h[0], 'd');
	ck_assert_uint_eq(t_inode_of(path), ino);
	t_holder_order(&h[1], 'd');                          /* the read-only one, last */
	ck_assert_uint_eq(t_inode_of(path), 0);
}
END_TEST

/* A child inherits the holder descriptor: the hold lasts while either has it. */
START_TEST(test_fork_shares_the_hold)
{
	char name[128], path[160];
	int go[2], status;
	sa_array *a;
	ino_t ino;
	pid_t pid;
	char c;

	t_bare_name(name, sizeof(name), "fork");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	ino = identity(a);
	ck_assert_int_eq(pipe(go), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		((double *)sa_data(a))[0] = 7;   /* still mapped, still there */
		_exit(sa_detach(a) == 0 && t_inode_of(path) == 0 ? 0 : 1);
	}
	close(go[0]);
	ck_assert_int_eq(sa_detach(a), 0);
	ck_assert_uint_eq(t_inode_of(path), ino);            /* the child's copy holds it */
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(go[1]);
}
END_TEST

/* A C program that exits without detaching leaves a leftover, never attachable. */
START_TEST(test_exit_without_detach)
{
	char name[128], path[160];
	struct t_holder h;
	sa_array *a;
	sa_info *info;

	t_bare_name(name, sizeof(name), "exit");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	h = t_holder_start(name, 0);
	ck_assert_int_eq(sa_detach(a), 0);
	t_holder_order(&h, 'x');
	ck_assert_uint_ne(t_inode_of(path), 0);              /* nobody removed it yet */
	ck_assert_int_eq(sa_stat(name, &info), -ENOENT);   /* but it is dead */
	ck_assert_uint_eq(t_inode_of(path), 0);              /* and stat removed it */
	ck_assert_int_eq(sa_attach(name, 0, &a), -ENOENT);
}
END_TEST

/* Explicit delete wins; an old holder's detach then leaves the name alone. */
START_TEST(test_delete_wins)
{
	char name[128], path[160];
	sa_array *old, *next;
	ino_t ino;

	t_bare_name(name, sizeof(name), "del");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &old), 0);
	ck_assert_int_eq(sa_delete(name), 0);
	ck_assert_uint_eq(t_inode_of(path), 0);
	((double *)sa_data(old))[1] = 1;                   /* still mapped */
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &next),
	                 0);
	ino = identity(next);
	ck_assert_int_eq(sa_detach(old), 0);
	ck_assert_uint_eq(t_inode_of(path), ino);            /* not the old one's to remove */
	ck_assert_int_eq(sa_detach(next), 0);
	ck_assert_uint_eq(t_inode_of(path), 0);
}
END_TEST

/* sa_release gives up the hold and keeps the mapping. */
START_TEST(test_release_keeps_mapping)
{
	char name[128], path[160];
	sa_array *a, *b;

	t_bare_name(name, sizeof(name), "rel");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	ck_assert_int_eq(sa_attach(name, 0, &b), 0);
	ck_assert_int_eq(sa_release(a), 0);
	ck_assert_uint_ne(t_inode_of(path), 0);              /* b holds it */
	ck_assert_int_eq(sa_release(b), 0);
	ck_assert_uint_eq(t_inode_of(path), 0);              /* nobody does */
	((double *)sa_data(a))[0] = 1;
	((double *)sa_data(b))[1] = 2;
	ck_assert(((double *)sa_data(a))[1] == 2);          /* one memory still */
	ck_assert_int_eq(sa_release(a), 0);                 /* again: nothing to do */
	ck_assert_int_eq(sa_detach(a), 0);
	ck_assert_int_eq(sa_detach(b), 0);
}
END_TEST

/* ---- crashes ---------------------------------------------------------------- */

/* How a round finds the dead array: each way must remove it. */
enum finder { BY_ATTACH, BY_STAT, BY_LIST, BY_CREATE, FINDERS };

static void find_dead(enum finder how, const char *name, const char *path)
{
	sa_array *a;
	sa_info **list, *info;
	int n;

	switch (how) {
	case BY_ATTACH:
		ck_assert_int_eq(sa_attach(name, SA_RDONLY, &a), -ENOENT);
		break;
	case BY_STAT:
		ck_assert_int_eq(sa_stat(name, &info), -ENOENT);
		break;
	case BY_LIST:
		n = sa_list(NULL, &list);
		if (n == -ENOTSUP) {   /* --without-shm-dir */
			ck_assert_int_eq(sa_stat(name, &info), -ENOENT);
			break;
		}
		ck_assert_int_ge(n, 0);
		for (int i = 0; i < n; i++)
			ck_assert_str_ne(sa_info_name(list[i]), name);
		sa_list_free(list);
		break;
	case BY_CREATE:
		/* Its name is free: a new ordinary array takes it. */
		ck_assert_int_eq(sa_create(name, SA_DTYPE_UINT8, 1, shape, 0, 0600, NULL), 0);
		ck_assert_int_eq(sa_stat(name, &info), 0);
		ck_assert_int_eq(sa_info_transient(info), 0);
		sa_info_free(info);
		ck_assert_int_eq(sa_delete(name), 0);
		break;
	default:
		break;
	}
	ck_assert_uint_eq(t_inode_of(path), 0);
}

/*
 * Several holders die by SIGKILL in random order: the array outlives every
 * one but the last, and the last one's death leaves it dead, removed by the
 * next call that comes across it.
 */
START_TEST(test_killed_in_random_order)
{
	enum { HOLDERS = 4 };
	/* Under memcheck (make check-valgrind), fewer rounds of the same checks. */
	const int rounds = getenv("SA_TEST_VALGRIND") ? 8 : 40;
	unsigned seed = (unsigned)getpid();

	for (int round = 0; round < rounds; round++) {
		char name[160], bare[128], path[160];
		struct t_holder h[HOLDERS];
		int order[HOLDERS];
		sa_array *a;
		sa_info *info;
		ino_t ino;

		t_bare_name(bare, sizeof(bare), "kill");
		snprintf(name, sizeof(name), "shm://%s", bare);
		t_shm_path(path, sizeof(path), bare);
		ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 1, shape, SA_TRANSIENT, 0600, &a),
		                 0);
		ino = identity(a);
		for (int i = 0; i < HOLDERS; i++) {
			h[i] = t_holder_start(name, rand_r(&seed) % 2 ? SA_RDONLY : 0);
			order[i] = i;
		}
		ck_assert_int_eq(sa_detach(a), 0);
		for (int i = HOLDERS - 1; i > 0; i--) {
			const int j = (int)(rand_r(&seed) % (unsigned)(i + 1)), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (int k = 0; k < HOLDERS; k++) {
			t_holder_kill(&h[order[k]]);
			if (k == HOLDERS - 1)
				break;
			/* Not removed early: by the file system, and by the library. */
			ck_assert_uint_eq(t_inode_of(path), ino);
			ck_assert_int_eq(sa_stat(name, &info), 0);
			sa_info_free(info);
			ck_assert_uint_eq(t_inode_of(path), ino);
		}
		ck_assert_uint_eq(t_inode_of(path), ino);    /* nobody was left to remove it */
		find_dead((enum finder)(round % FINDERS), bare, path);
	}
}
END_TEST

/* A transient array over a dead one's name; a live one's name stays taken. */
START_TEST(test_create_over_leftover)
{
	char name[128], path[160];
	struct t_holder h;
	sa_array *a, *b;

	t_bare_name(name, sizeof(name), "over");
	t_shm_path(path, sizeof(path), name);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &a), 0);
	h = t_holder_start(name, 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &b),
	                 -EEXIST);
	ck_assert_int_eq(sa_detach(a), 0);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, 0, 0600, NULL), -EEXIST);
	t_holder_kill(&h);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_FLOAT64, 1, shape, SA_TRANSIENT, 0600, &b), 0);
	ck_assert_uint_eq(t_inode_of(path), identity(b));
	ck_assert_int_eq(sa_detach(b), 0);
	ck_assert_uint_eq(t_inode_of(path), 0);
}
END_TEST

/* ---- races ------------------------------------------------------------------ */

/*
 * Racers attach NAME, or create it when it is missing, hold it a moment,
 * and let go by detaching, by exiting, or by being killed.  While one holds
 * the array the name must name it; an array handed out must be alive.
 */
static int racer(const char *name, const char *path, unsigned seed, int loops)
{
	for (int i = 0; i < loops; i++) {
		sa_array *a;
		int ret = sa_attach(name, rand_r(&seed) % 3 ? 0 : SA_RDONLY, &a);
		int64_t *data;

		if (ret == -ENOENT) {
			ret = sa_create(name, SA_DTYPE_INT64, 1, shape, SA_TRANSIENT, 0600, &a);
			if (ret == -EEXIST)
				continue;
		}
		if (ret < 0)
			return 10;
		/* Held: the name names the very file mapped, now and after a while. */
		if (t_inode_of(path) != identity(a))
			return 11;
		data = sa_data(a);
		if (!(sa_flags(a) & SA_RDONLY))
			__atomic_fetch_add(&data[0], 1, __ATOMIC_RELAXED);
		/* Mostly let go at once: an attacher then often meets a last holder leaving. */
		if (rand_r(&seed) % 16 == 0)
			usleep(rand_r(&seed) % 300);
		if (t_inode_of(path) != identity(a))
			return 12;
		if (sa_detach(a) < 0)
			return 13;
	}
	return 0;
}

struct racer_args {
	const char *name, *path;
	unsigned seed;
};

static int racer_child(void *arg)
{
	const struct racer_args *r = arg;

	return racer(r->name, r->path, r->seed, getenv("SA_TEST_VALGRIND") ? 200 : 2500);
}

START_TEST(test_race_creators_attachers_exits)
{
	enum { RACERS = 3, WAVES = 4 };
	char name[160], bare[128], path[160];
	unsigned seed = (unsigned)getpid() * 7919u;
	sa_info *info;

	t_bare_name(bare, sizeof(bare), "race");
#ifdef SA_SHM_DIR
	snprintf(name, sizeof(name), "shm://%s", bare);
#else
	/* shm_open(3) alone creates under the name: an attacher may meet a
	 * half-built segment (EBADMSG).  A file name is created atomically. */
	snprintf(name, sizeof(name), "file:///dev/shm/%s", bare);
#endif
	t_shm_path(path, sizeof(path), bare);
	for (int wave = 0; wave < WAVES; wave++) {
		pid_t pids[RACERS];

		for (int i = 0; i < RACERS; i++) {
			struct racer_args r = { name, path, seed + (unsigned)(wave * RACERS + i) };

			pids[i] = t_fork(racer_child, &r);
		}
		/* One dies mid-way, holding or not. */
		usleep(20000 + rand_r(&seed) % 50000);
		kill(pids[wave % RACERS], SIGKILL);
		for (int i = 0; i < RACERS; i++) {
			const int status = t_wait(pids[i]);

			ck_assert_msg(status == 0 || status == 128 + SIGKILL,
			              "racer %d ended with %d", i, status);
		}
	}
	/* Nobody holds it now: dead if it exists, and the stat removes it. */
	ck_assert_int_eq(sa_stat(name, &info), -ENOENT);
	ck_assert_uint_eq(t_inode_of(path), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("transient");
	TCase *tc = tcase_create("flag");
	TCase *life = tcase_create("lifetime");
	TCase *crash = tcase_create("crashes and races");

	tcase_add_test(tc, test_needs_a_holder);
	tcase_add_test(tc, test_flags_and_info);
	tcase_add_test(tc, test_cost_only_for_transient);
	tcase_add_test(tc, test_old_readers_see_an_ordinary_array);
	tcase_add_test(tc, test_one_byte_makes_nothing_removable);
	suite_add_tcase(s, tc);
	tcase_add_test(life, test_last_detach_removes);
	tcase_add_test(life, test_other_processes_hold);
	tcase_add_test(life, test_fork_shares_the_hold);
	tcase_add_test(life, test_exit_without_detach);
	tcase_add_test(life, test_delete_wins);
	tcase_add_test(life, test_release_keeps_mapping);
	tcase_add_test(life, test_create_over_leftover);
	suite_add_tcase(s, life);
	tcase_add_test(crash, test_killed_in_random_order);
	tcase_add_test(crash, test_race_creators_attachers_exits);
	tcase_set_timeout(crash, 120);
	suite_add_tcase(s, crash);
	return t_run_suite(s);
}
