/*
 * support.c - helpers shared by the C tests
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

/*
 * glibc's shm_open(3) creates its objects as files in /dev/shm.  A build
 * chroot may have none, or one its (unprivileged) user cannot write: the
 * library cannot be tested there, which is the environment's lack, not a
 * failure.  The probe is libc's own call, so a bug of ours cannot hide
 * behind it.
 */
void t_require_shm(void)
{
	char name[64];
	int fd, err;

	snprintf(name, sizeof(name), "/sa-test-probe-%ld", (long)getpid());
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd >= 0) {
		close(fd);
		shm_unlink(name);
		return;
	}
	err = errno;
	printf("1..0 # SKIP needs POSIX shared memory: shm_open(3) cannot create "
	       "objects in /dev/shm here (%s)\n", strerror(err));
	fflush(stdout);
	exit(EXIT_SUCCESS);
}

int t_run_suite(Suite *suite)
{
	SRunner *runner;
	int failed;

	t_require_shm();
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_ENV);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void t_bare_name(char *buf, size_t len, const char *tag)
{
	static unsigned counter;  /* test code: one process, one thread */

	snprintf(buf, len, "sa-test-%ld-%s-%u", (long)getpid(), tag, counter++);
}

void t_shm_name(char *buf, size_t len, const char *tag)
{
	char bare[128];

	t_bare_name(bare, sizeof(bare), tag);
	snprintf(buf, len, "shm://%s", bare);
}

bool t_is_root(void)
{
	return geteuid() == 0;
}

void t_require_root(const char *why)
{
	if (t_is_root())
		return;
	printf("1..0 # SKIP needs root: %s\n", why);
	fflush(stdout);
	exit(EXIT_SUCCESS);
}

pid_t t_fork(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

int t_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int t_in_child(int (*fn)(void *), void *arg)
{
	return t_wait(t_fork(fn, arg));
}

void t_fork_together(int n, int (*fn)(void *, int), void *arg, pid_t *pids)
{
	int start[2];
	char byte;

	ck_assert_int_eq(pipe(start), 0);
	fflush(NULL);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			close(start[1]);
			/* End of file once the parent has forked them all: go. */
			_exit(read(start[0], &byte, 1) == 0 ? fn(arg, i) : 100);
		}
	}
	close(start[0]);
	close(start[1]);
}

void t_new_array(char *name, size_t len, const char *tag, sa_array **array)
{
	const size_t shape[1] = { 4 };

	t_shm_name(name, len, tag);
	ck_assert_int_eq(sa_create(name, SA_DTYPE_INT64, 1, shape, 0, 0600, array), 0);
}

void t_drop_array(sa_array *array, const char *name)
{
	ck_assert_int_eq(sa_detach(array), 0);
	ck_assert_int_eq(sa_delete(name), 0);
}

static void do_nothing(int sig)
{
	(void)sig;
}

int t_interrupt_on(int sig)
{
	/* No SA_RESTART: a system call waiting when it comes fails with EINTR. */
	struct sigaction sa = { .sa_handler = do_nothing };

	return sigaction(sig, &sa, NULL) < 0 ? -errno : 0;
}

void t_signal_until_told(pid_t pid, int sig, int fd)
{
	char byte;

	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
	for (;;) {
		usleep(2000);
		if (read(fd, &byte, 1) == 1)
			return;
		ck_assert_int_eq(kill(pid, sig), 0);
	}
}

char *t_make_tmpdir(void)
{
	char *dir = strdup("/tmp/sa-test-XXXXXX");

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

void t_remove_tree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int private_namespace(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	/* Keep our mounts from propagating back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	return 0;
}

int t_private_tmpfs(const char *dir, const char *size)
{
	char options[64];
	int ret = private_namespace();

	if (ret < 0)
		return ret;
	snprintf(options, sizeof(options), "size=%s,mode=1777", size);
	if (mount("sa-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) < 0)
		return -errno;
	return 0;
}

int t_private_shm(const char *size)
{
	return t_private_tmpfs("/dev/shm", size);
}

/*
 * Tried in a child, whose mount namespace dies with it.  Besides root, a
 * private namespace needs "/" to be a mount point: in a plain directory
 * chroot (pbuilder) it is not, and mount(2) refuses MS_PRIVATE with EINVAL;
 * without it, a tmpfs mounted there could propagate to the host.
 */
int t_private_mounts_available(void)
{
	pid_t pid;
	int status;

	if (!t_is_root())
		return -EPERM;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(-t_private_shm("1M"));
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

void t_require_private_mounts(const char *why)
{
	int ret;

	t_require_root(why);
	ret = t_private_mounts_available();
	if (ret == 0)
		return;
	printf("1..0 # SKIP needs a private mount namespace with a tmpfs of its own (%s): %s%s\n",
	       why, strerror(-ret),
	       ret == -EINVAL ? " (a chroot whose / is not a mount point?)" : "");
	fflush(stdout);
	exit(EXIT_SUCCESS);
}

struct namespaced {
	int (*fn)(void *);
	void *arg;
};

/* In a child: unshare, fork the namespace's process 1, give its status. */
static int namespace_parent(void *arg)
{
	const struct namespaced *n = arg;
	pid_t pid;
	int ret = unshare(CLONE_NEWPID) < 0 ? -errno : private_namespace();

	if (ret < 0)
		return 99;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 98;
	if (pid == 0) {
		if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			_exit(97);
		_exit(n->fn(n->arg));
	}
	return t_wait(pid);
}

int t_in_pid_namespace(int (*fn)(void *), void *arg)
{
	struct namespaced n = { fn, arg };

	/* Not in the test's process: it could not fork any more once that
	 * namespace's process 1 is gone (nor could a sanitizer at exit). */
	return t_in_child(namespace_parent, &n);
}

int t_unreadable_processes(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *ent;
	int count = access("/proc/1", F_OK) == 0 ? 0 : 1;

	ck_assert_ptr_nonnull(proc);
	while ((ent = readdir(proc))) {
		char path[300];
		int fd;

		if (ent->d_name[0] < '1' || ent->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/maps", ent->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		else if (errno == EACCES || errno == EPERM)
			count++;
	}
	closedir(proc);
	return count;
}

void t_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

int t_count_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	int count = 0;

	ck_assert_ptr_nonnull(d);
	while ((ent = readdir(d)))
		if (strncmp(ent->d_name, prefix, strlen(prefix)) == 0)
			count++;
	closedir(d);
	return count;
}

size_t t_legacy_segment(unsigned char *buf, size_t cap, int slots, int32_t typenum,
                        int32_t itemsize, int32_t ndims, const int64_t *dims,
                        uint64_t size, const void *data)
{
	const size_t trailer = 16 + 8 + 4 + 4 + 4 + 8 * (size_t)slots;
	unsigned char *t = buf + size;

	ck_assert_uint_le(size + trailer, cap);
	memset(buf, 0, size + trailer);
	if (data)
		memcpy(buf, data, size);
	memcpy(t, "[SharedArray]", 13);       /* NUL-padded to 16 */
	memcpy(t + 16, &size, 8);
	memcpy(t + 24, &typenum, 4);
	memcpy(t + 28, &itemsize, 4);
	memcpy(t + 32, &ndims, 4);
	for (int i = 0; i < ndims && i < slots; i++)
		memcpy(t + 36 + 8 * (size_t)i, &dims[i], 8);
	return size + trailer;
}

void t_shm_path(char *buf, size_t len, const char *bare)
{
	snprintf(buf, len, "/dev/shm/%s", bare);
}

ino_t t_inode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

struct t_holder t_holder_start(const char *name, unsigned flags)
{
	return t_holder_start_as(name, flags, (uid_t)-1);
}

int t_become(uid_t uid)
{
	if (setgroups(0, NULL) < 0 || setgid(uid) < 0 || setuid(uid) < 0)
		return -errno;
	/* As after an exec: a user's own processes may read its /proc files. */
	return prctl(PR_SET_DUMPABLE, 1) < 0 ? -errno : 0;
}

struct t_holder t_holder_start_as(const char *name, unsigned flags, uid_t uid)
{
	int ready[2], orders[2];
	struct t_holder h;
	char c = 0;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(orders), 0);
	fflush(NULL);
	h.pid = fork();
	ck_assert_int_ge(h.pid, 0);
	if (h.pid == 0) {
		sa_array *array;
		int ret;

		close(ready[0]);
		close(orders[1]);
		/* An independent program: it inherits none of the parent's holds. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != ready[1] && fd != orders[0])
				close(fd);
		ret = uid == (uid_t)-1 ? 0 : t_become(uid);
		if (ret == 0)
			ret = sa_attach(name, flags, &array);
		c = ret == 0 ? 'a' : 'e';
		if (write(ready[1], &c, 1) != 1 || ret < 0)
			_exit(3);
		if (read(orders[0], &c, 1) != 1)
			_exit(4);  /* the parent went away */
		if (c == 'd')
			_exit(sa_detach(array) == 0 ? 0 : 5);
		_exit(0);  /* 'x': a C program that exits without detaching */
	}
	close(ready[1]);
	close(orders[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(c, 'a');
	close(ready[0]);
	h.orders = orders[1];
	return h;
}

void t_holder_order(struct t_holder *h, char order)
{
	ck_assert_int_eq(write(h->orders, &order, 1), 1);
	ck_assert_int_eq(t_wait(h->pid), 0);
	close(h->orders);
}

void t_holder_kill(struct t_holder *h)
{
	ck_assert_int_eq(kill(h->pid, SIGKILL), 0);
	ck_assert_int_eq(t_wait(h->pid), 128 + SIGKILL);
	close(h->orders);
}
