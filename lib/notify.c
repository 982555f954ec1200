/*
 * notify.c - change notification: sa_notify, sa_wait, sa_generation
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The generation counter is the segment's last 8 bytes (sharedarray(5)):
 * the low 32-bit word, which is the futex word, then the high word.  A
 * notifier increments it and wakes the waiters with FUTEX_WAKE; a waiter
 * sleeps with FUTEX_WAIT on the low word, expecting the value it read, so
 * that a notification between its read and its sleep changes the word and
 * the kernel returns at once: no wake-up is lost, and nobody polls.  The
 * futexes are shared ones (no FUTEX_PRIVATE_FLAG): the kernel keys them by
 * file and offset, so every mapping of the segment in every process of the
 * machine meets on the same word.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* The counter's two words in ARRAY's mapping, or NULL when it has none. */
static uint32_t *counter_of(const sa_array *array)
{
	const struct sa_info *info = array->info;
	const long long offset = sa_format_generation_offset(info->ndim, info->trailer_dims,
	                                                     info->segment_size);

	return offset < 0 ? NULL : (uint32_t *)((char *)array->addr + offset);
}

/* Both words, the high one read again until it is stable. */
static unsigned long long load_counter(const uint32_t *words)
{
	uint32_t high, low;

	do {
		high = __atomic_load_n(&words[1], __ATOMIC_ACQUIRE);
		low = __atomic_load_n(&words[0], __ATOMIC_ACQUIRE);
	} while (high != __atomic_load_n(&words[1], __ATOMIC_ACQUIRE));
	return (unsigned long long)high << 32 | low;
}

static long futex(uint32_t *word, int op, uint32_t value, const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op, value, timeout, NULL, FUTEX_BITSET_MATCH_ANY);
}

SA_EXPORT unsigned long long sa_generation(const sa_array *array)
{
	const uint32_t *words = array ? counter_of(array) : NULL;

	return words ? load_counter(words) : 0;
}

SA_EXPORT int sa_notify(sa_array *array)
{
	uint32_t *words;

	if (!array)
		return -EINVAL;
	if (array->flags & SA_RDONLY)
		return -EPERM;  /* the mapping is read-only */
	words = counter_of(array);
	if (!words)
		return -ENOTSUP;
	/* Sequentially consistent: the writes before this one are seen by the woken. */
	if (__atomic_add_fetch(&words[0], 1, __ATOMIC_SEQ_CST) == 0)
		__atomic_add_fetch(&words[1], 1, __ATOMIC_SEQ_CST);
	if (futex(&words[0], FUTEX_WAKE, INT_MAX, NULL) < 0)
		return -errno;
	return 0;
}

/*
 * Sleep while the low word is LOW, at most until DEADLINE (CLOCK_MONOTONIC,
 * absolute, so that repeated sleeps keep to the caller's limit; NULL:
 * forever).  0 (woken, or the word differs), -ETIMEDOUT or -EINTR.
 */
static int sleep_on(uint32_t *low_word, uint32_t low, const struct timespec *deadline)
{
	if (futex(low_word, FUTEX_WAIT_BITSET, low, deadline) == 0 || errno == EAGAIN)
		return 0;
	return -errno;
}

SA_EXPORT int sa_wait(sa_array *array, unsigned long long seen, int timeout_ms,
                      unsigned long long *generation)
{
	struct timespec deadline;
	unsigned long long now;
	uint32_t *words;
	int ret;

	if (!array)
		return -EINVAL;
	words = counter_of(array);
	if (!words)
		return -ENOTSUP;
	if (timeout_ms > 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
	}
	for (;;) {
		now = load_counter(words);
		if (now != seen) {
			ret = 0;
			break;
		}
		if (timeout_ms == 0) {
			ret = -ETIMEDOUT;
			break;
		}
		ret = sleep_on(&words[0], (uint32_t)seen, timeout_ms > 0 ? &deadline : NULL);
		if (ret < 0) {
			now = load_counter(words);
			if (now != seen)
				ret = 0;  /* it changed as the time ran out, or with the signal */
			break;
		}
	}
	if (generation)
		*generation = now;
	return ret;
}

SA_EXPORT int sa_info_generation(const sa_info *info, unsigned long long *generation)
{
	if (!info)
		return -EINVAL;
	if (!info->has_generation)
		return -ENOTSUP;
	if (generation)
		*generation = info->generation;
	return 0;
}
