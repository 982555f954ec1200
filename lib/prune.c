/*
 * prune.c - sa_prune: remove the arrays that nobody holds
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A transient array that nobody holds is garbage, and its holder lock says
 * so without doubt; it is removed under the write lock (transient.c).  An
 * ordinary array keeps no lock: that no process maps it can only be read
 * from /proc (holders.c), and only a caller who may read every process's
 * mappings can know it.  Otherwise SA_PRUNE_UNATTACHED refuses (EPERM),
 * before it removes anything.  /proc is read again just before the removals, so that
 * an array attached in the meantime stays.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define PRUNE_FLAGS (SA_PRUNE_DRY_RUN | SA_PRUNE_UNATTACHED)

enum pick { KEEP, LEFTOVER, UNATTACHED };

static bool name_matches(const char *const *patterns, const char *name)
{
	if (!patterns)
		return true;
	for (const char *const *p = patterns; *p; p++)
		if (fnmatch(*p, name, FNM_PERIOD) == 0)
			return true;
	return false;
}

/* Whether the transient array listed as INFO is still that file, unheld. */
static bool leftover(int dirfd, const sa_info *info)
{
	struct stat st;
	bool dead = false;
	int fd;

	fd = openat(dirfd, info->name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && st.st_dev == info->st.st_dev && st.st_ino == info->st.st_ino) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		                    .l_start = SA_HOLDER_BYTE, .l_len = 1 };

		dead = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
	}
	close(fd);
	return dead;
}

/*
 * Drop from PICKS the unattached candidates that some process maps; -EPERM
 * when not every process could be read (it takes the privilege to).
 */
static int drop_mapped(sa_info **list, int count, enum pick *picks)
{
	struct sa_holder_target *targets;
	size_t n = 0;
	int *counts, ret;

	targets = malloc((size_t)count * sizeof(*targets));
	counts = calloc((size_t)count, sizeof(*counts));
	if (!targets || !counts) {
		ret = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < count; i++)
		if (picks[i] == UNATTACHED)
			sa_holder_target_set(&targets[n++], &list[i]->st, (size_t)i);
	ret = sa_holders_count(targets, n, counts);
	if (ret > 0)
		ret = -EPERM;  /* a holder may hide among the processes not read */
	for (int i = 0; ret == 0 && i < count; i++)
		if (picks[i] == UNATTACHED && counts[i] > 0)
			picks[i] = KEEP;
out:
	free(targets);
	free(counts);
	return ret;
}

static void pick(int dirfd, sa_info **list, int count, const char *const *patterns,
                 unsigned flags, long long older_than, enum pick *picks)
{
	const long long now = (long long)time(NULL);

	for (int i = 0; i < count; i++) {
		const sa_info *info = list[i];

		picks[i] = KEEP;
		if (!name_matches(patterns, info->name) ||
		    now - (long long)info->st.st_mtim.tv_sec < older_than)
			continue;
		if (sa_info_is_transient(info))
			picks[i] = leftover(dirfd, info) ? LEFTOVER : KEEP;
		else if (flags & SA_PRUNE_UNATTACHED)
			picks[i] = UNATTACHED;
	}
}

static void remove_picked(int dirfd, sa_info **list, int count, enum pick *picks)
{
	for (int i = 0; i < count; i++) {
		const struct sa_named n = { .dirfd = dirfd, .entry = list[i]->name };
		int ret = 0;

		if (picks[i] == LEFTOVER)
			ret = sa_transient_reap(&n, &list[i]->st);
		else if (picks[i] == UNATTACHED)
			ret = sa_named_unlink_same(&n, &list[i]->st);
		if (ret < 0)
			picks[i] = KEEP;  /* held again, replaced or removed meanwhile */
	}
}

/* Keep the picked entries of LIST in it, free the others: their count. */
static int keep_picked(sa_info **list, int count, const enum pick *picks)
{
	int kept = 0;

	for (int i = 0; i < count; i++) {
		if (picks[i] == KEEP)
			sa_info_free(list[i]);
		else
			list[kept++] = list[i];
	}
	list[kept] = NULL;
	return kept;
}

SA_EXPORT int sa_prune(const char *directory, const char *const *patterns, unsigned flags,
                       long long older_than, sa_info ***out)
{
	enum pick *picks = NULL;
	sa_info **list = NULL;
	int dirfd, count, ret;

	if (!out || (flags & ~PRUNE_FLAGS) || older_than < 0)
		return -EINVAL;
	dirfd = sa_list_open_dir(directory);
	if (dirfd < 0)
		return dirfd;
	/* Dead transient arrays are listed too, not removed in passing. */
	count = ret = sa_list_read(dirfd, false, &list);
	if (ret < 0)
		goto out;
	picks = malloc(((size_t)count + 1) * sizeof(*picks));
	if (!picks) {
		ret = -ENOMEM;
		goto out;
	}
	pick(dirfd, list, count, patterns, flags, older_than, picks);
	ret = drop_mapped(list, count, picks);
	if (ret == 0 && !(flags & SA_PRUNE_DRY_RUN)) {
		/* Again, at the last moment: an attachment made meanwhile counts. */
		ret = drop_mapped(list, count, picks);
		if (ret == 0)
			remove_picked(dirfd, list, count, picks);
	}
	if (ret == 0) {
		ret = keep_picked(list, count, picks);
		*out = list;
		list = NULL;
	}
out:
	free(picks);
	sa_list_free(list);
	close(dirfd);
	return ret;
}
