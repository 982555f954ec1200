/*
 * holders.c - which processes map an array: sa_holders, sa_list_holders
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The kernel knows, without the holders' help: every line of
 * /proc/PID/maps names the device and inode of the file that mapping maps
 * (proc(5)).  So holders are found for arrays of any origin, SharedArray
 * 3.x's included.  One pass over /proc answers for any number of arrays:
 * the files looked for are sorted by device and inode, and each mapping
 * line is looked up among them.
 *
 * Reading another process's maps takes ptrace read access (proc(5),
 * ptrace(2) "Ptrace access mode checking"): root reads every process,
 * others their own processes.  The processes the caller may not read are
 * counted, so that a caller who must know of every holder (sa_prune) can
 * tell when it cannot; so is a /proc mounted with hidepid, where others'
 * processes are not even listed (process 1 then is missing).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "internal.h"

#define PROC_SUPER_MAGIC 0x9fa0  /* statfs(2) */
/* Many lines per read(2): each read of maps costs a walk of the mappings. */
#define MAPS_BUFFER (64 * 1024)

static int compare_file(unsigned major_a, unsigned minor_a, unsigned long long ino_a,
                        const struct sa_holder_target *b)
{
	if (major_a != b->major)
		return major_a < b->major ? -1 : 1;
	if (minor_a != b->minor)
		return minor_a < b->minor ? -1 : 1;
	if (ino_a != b->ino)
		return ino_a < b->ino ? -1 : 1;
	return 0;
}

static int by_file(const void *a, const void *b)
{
	const struct sa_holder_target *x = a;

	return compare_file(x->major, x->minor, x->ino, b);
}

void sa_holder_target_set(struct sa_holder_target *target, const struct stat *st, size_t index)
{
	target->major = major(st->st_dev);
	target->minor = minor(st->st_dev);
	target->ino = st->st_ino;
	target->index = index;
	target->last_pid = 0;
}

static void targets_sort(struct sa_holder_target *targets, size_t count)
{
	qsort(targets, count, sizeof(*targets), by_file);
}

struct scan {
	struct sa_holder_target *targets;
	size_t count;
	int (*found)(void *arg, size_t index, pid_t pid);
	void *arg;
};

/* The first target for the file, or NULL: a lower bound, as hard links repeat one. */
static struct sa_holder_target *first_target(const struct scan *s, unsigned maj,
                                             unsigned min, unsigned long long ino)
{
	size_t lo = 0, hi = s->count;

	while (lo < hi) {
		const size_t mid = lo + (hi - lo) / 2;

		if (compare_file(maj, min, ino, &s->targets[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->count || compare_file(maj, min, ino, &s->targets[lo]) != 0)
		return NULL;
	return &s->targets[lo];
}

static const char *skip_field(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p;
}

static const char *parse_number(const char *p, const char *end, unsigned base,
                                unsigned long long *out)
{
	unsigned long long value = 0;
	const char *start = p;

	for (; p < end; p++) {
		unsigned digit;

		if (*p >= '0' && *p <= '9')
			digit = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			digit = (unsigned)(*p - 'a' + 10);
		else
			break;
		value = value * base + digit;
	}
	*out = value;
	return p == start ? NULL : p;
}

/*
 * One line of maps: "start-end perms offset MAJOR:MINOR INODE  path", the
 * device in hex, the inode in decimal.  false for anything else.
 */
static bool parse_line(const char *p, const char *end, unsigned *maj, unsigned *min,
                       unsigned long long *ino)
{
	unsigned long long a, b;

	for (int i = 0; i < 3; i++)
		p = skip_field(p, end);
	p = parse_number(p, end, 16, &a);
	if (!p || p == end || *p++ != ':')
		return false;
	p = parse_number(p, end, 16, &b);
	if (!p || p == end || *p++ != ' ')
		return false;
	if (!parse_number(p, end, 10, ino))
		return false;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return true;
}

static int match_line(const struct scan *s, const char *line, const char *end, pid_t pid)
{
	struct sa_holder_target *t;
	unsigned long long ino;
	unsigned maj, min;

	if (!parse_line(line, end, &maj, &min, &ino) || ino == 0)
		return 0;
	t = first_target(s, maj, min, ino);
	for (; t && t < s->targets + s->count && compare_file(maj, min, ino, t) == 0; t++) {
		int ret;

		/* Mapped several times, or by several threads: one process. */
		if (t->last_pid == pid)
			continue;
		t->last_pid = pid;
		ret = s->found(s->arg, t->index, pid);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The complete lines of BUF[0, LEN); returns how many bytes are left over. */
static long match_lines(const struct scan *s, char *buf, size_t len, pid_t pid)
{
	char *line = buf, *end = buf + len, *nl;

	while ((nl = memchr(line, '\n', (size_t)(end - line)))) {
		const int ret = match_line(s, line, nl, pid);

		if (ret < 0)
			return ret;
		line = nl + 1;
	}
	return (long)(end - line);
}

static bool denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* 0, 1 when the caller may not read the process's maps, or -errno. */
static int scan_process(const struct scan *s, int procfd, pid_t pid, char *buf)
{
	char path[32];
	size_t carry = 0;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%d/maps", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return denied(errno) ? 1 : 0;  /* else gone meanwhile */
	for (;;) {
		ssize_t n = read(fd, buf + carry, MAPS_BUFFER - carry);
		size_t len;
		long left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = denied(errno) ? 1 : 0;
			break;
		}
		if (n == 0)
			break;
		len = carry + (size_t)n;
		left = match_lines(s, buf, len, pid);
		if (left < 0) {
			ret = (int)left;
			break;
		}
		/* A line that fills the buffer is no mapping line: drop it. */
		carry = (size_t)left < MAPS_BUFFER ? (size_t)left : 0;
		memmove(buf, buf + len - carry, carry);
	}
	close(fd);
	return ret;
}

static pid_t parse_pid(const char *name)
{
	long pid = 0;

	for (const char *p = name; *p; p++) {
		if (*p < '0' || *p > '9' || pid > 99999999)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	return (pid_t)pid;
}

static int scan_processes(const struct scan *s, int procfd, char *buf)
{
	int fd = fcntl(procfd, F_DUPFD_CLOEXEC, 0), unseen = 0, ret = 0;
	struct stat st;
	DIR *dir;

	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		struct dirent *ent;
		pid_t pid;

		errno = 0;
		ent = readdir(dir);
		if (!ent) {
			ret = errno ? -errno : 0;
			break;
		}
		pid = parse_pid(ent->d_name);
		if (pid <= 0)
			continue;
		ret = scan_process(s, procfd, pid, buf);
		if (ret < 0)
			break;
		unseen += ret;
		ret = 0;
	}
	closedir(dir);
	/* hidepid=invisible: others' processes are not listed at all. */
	if (ret == 0 && fstatat(procfd, "1", &st, 0) < 0)
		unseen++;
	return ret < 0 ? ret : unseen;
}

int sa_holders_scan(struct sa_holder_target *targets, size_t count,
                    int (*found)(void *arg, size_t index, pid_t pid), void *arg)
{
	const struct scan s = { targets, count, found, arg };
	struct statfs fs;
	char *buf;
	int procfd, ret;

	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return errno == ENOENT ? -ENOTSUP : -errno;
	if (fstatfs(procfd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC) {
		close(procfd);
		return -ENOTSUP;  /* no proc(5) mounted: nothing to ask */
	}
	buf = malloc(MAPS_BUFFER);
	ret = buf ? scan_processes(&s, procfd, buf) : -ENOMEM;
	free(buf);
	close(procfd);
	return ret;
}

/* ---- sa_holders --------------------------------------------------------- */

struct pids {
	pid_t *items;
	size_t count, capacity;
};

static int add_pid(void *arg, size_t index, pid_t pid)
{
	struct pids *p = arg;

	(void)index;
	if (p->count == p->capacity) {
		const size_t capacity = p->capacity ? 2 * p->capacity : 8;
		pid_t *items = realloc(p->items, capacity * sizeof(*items));

		if (!items)
			return -ENOMEM;
		p->items = items;
		p->capacity = capacity;
	}
	p->items[p->count++] = pid;
	return p->count > INT_MAX ? -EOVERFLOW : 0;
}

static int by_pid(const void *a, const void *b)
{
	const pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

SA_EXPORT int sa_holders(const char *name, pid_t **pids)
{
	struct sa_holder_target target;
	struct pids p = { NULL, 0, 0 };
	sa_info *info;
	int ret;

	if (!pids)
		return -EINVAL;
	/* As sa_stat: an array, and not a dead transient one. */
	ret = sa_stat(name, &info);
	if (ret < 0)
		return ret;
	sa_holder_target_set(&target, &info->st, 0);
	sa_info_free(info);
	ret = sa_holders_scan(&target, 1, add_pid, &p);
	if (ret < 0) {
		free(p.items);
		return ret;
	}
	if (p.count > 1)
		qsort(p.items, p.count, sizeof(*p.items), by_pid);
	*pids = p.items;
	return (int)p.count;
}

/* ---- counting: sa_list_holders, sa_prune --------------------------------- */

static int count_pid(void *arg, size_t index, pid_t pid)
{
	int *counts = arg;

	(void)pid;
	counts[index]++;
	return 0;
}

int sa_holders_count(struct sa_holder_target *targets, size_t count, int *counts)
{
	if (count == 0)
		return 0;
	targets_sort(targets, count);
	return sa_holders_scan(targets, count, count_pid, counts);
}

SA_EXPORT int sa_list_holders(sa_info *const *list, int *counts)
{
	struct sa_holder_target *targets;
	size_t count = 0;
	int ret;

	if (!list || !counts)
		return -EINVAL;
	while (list[count])
		count++;
	for (size_t i = 0; i < count; i++)
		counts[i] = 0;
	targets = malloc((count ? count : 1) * sizeof(*targets));
	if (!targets)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++)
		sa_holder_target_set(&targets[i], &list[i]->st, i);
	ret = sa_holders_count(targets, count, counts);
	free(targets);
	return ret;
}
