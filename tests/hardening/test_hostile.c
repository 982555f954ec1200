/*
 * test_hostile.c - hostile segments: metadata rewritten by another process
 * while we read it, files swapped under a name, planted symlinks
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A segment is a file another process can write, truncate or replace at any
 * moment.  The library reads its metadata once, from the descriptor it
 * opened, validates that copy and never looks at the file's metadata again:
 *   - a writer flipping bytes of the extension record and trailer, rewriting
 *     them as other plausible arrays and truncating the file, while this
 *     process stats and attaches in a loop: every call fails with EBADMSG or
 *     returns a self-consistent array, and an attached array's metadata never
 *     changes afterwards (run under ASan by --enable-sanitizers, any read out
 *     of bounds is a report);
 *   - a swapper replacing the file under a name by other arrays, a non-array,
 *     a FIFO, a symlink (rename(2), atomic): every attach returns the array
 *     whose data is in its mapping, because metadata and mapping come from
 *     the same descriptor (fstat, pread and mmap on it; never the path twice);
 *   - a symlink planted at the name sa_create is asked for, dangling or not,
 *     in a file:// directory or in /dev/shm: creation fails with EEXIST and
 *     nothing is written through it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hardening.h"

#define TRAILER_V1 292
#define DESCR_LEN 2000
#define ITERATIONS 20000

/* ---- metadata rewritten while we read it -------------------------------- */

struct writer_state {
	atomic_int stop;
	atomic_ulong flips, restores, truncations, rewrites;
};

struct segment {
	char name[128], path[512];
	size_t size;                 /* the whole segment */
	size_t meta_offset;          /* where the extension record starts */
	unsigned char *pristine;     /* the segment's metadata, as created */
};

static struct writer_state *writer_state;
static struct segment seg;

static void put_legacy_trailer(int fd, uint64_t rng)
{
	/* A plausible original-layout array of bytes claiming COUNT bytes of data. */
	unsigned char t[TRAILER_V1] = "[SharedArray]";
	const uint64_t count = rng % (seg.size + 64);
	const int32_t typenum = 2, itemsize = 1, ndims = 1;
	const int64_t dim = (int64_t)count;

	memcpy(t + 16, &count, 8);
	memcpy(t + 24, &typenum, 4);
	memcpy(t + 28, &itemsize, 4);
	memcpy(t + 32, &ndims, 4);
	memcpy(t + 36, &dim, 8);
	if (pwrite(fd, t, sizeof(t), (off_t)(seg.size - sizeof(t))) < 0)
		_exit(61);
}

static int rewrite_metadata(void *arg)
{
	const size_t meta_len = seg.size - seg.meta_offset;
	uint64_t rng = h_random_seed();
	int fd = open(seg.path, O_RDWR | O_CLOEXEC);

	(void)arg;
	if (fd < 0)
		return 60;
	while (!atomic_load(&writer_state->stop)) {
		const unsigned action = (unsigned)(h_random(&rng) % 16);

		if (action < 8) {
			/* Flip a few bytes anywhere in the record and trailer. */
			for (unsigned i = 0, n = 1 + (unsigned)(h_random(&rng) % 8); i < n; i++) {
				unsigned char byte = (unsigned char)h_random(&rng);
				off_t at = (off_t)(seg.meta_offset + h_random(&rng) % meta_len);

				if (pwrite(fd, &byte, 1, at) < 0)
					return 62;
			}
			atomic_fetch_add(&writer_state->flips, 1);
		} else if (action < 12) {
			if (ftruncate(fd, (off_t)seg.size) < 0 ||
			    pwrite(fd, seg.pristine, meta_len, (off_t)seg.meta_offset) < 0)
				return 63;
			atomic_fetch_add(&writer_state->restores, 1);
			/* Valid for a moment, so that some attaches succeed. */
			h_random_delay(&rng, 50);
		} else if (action < 14) {
			/* Shorter or longer than the metadata says. */
			if (ftruncate(fd, (off_t)(h_random(&rng) % (2 * seg.size))) < 0)
				return 64;
			atomic_fetch_add(&writer_state->truncations, 1);
		} else {
			if (ftruncate(fd, (off_t)seg.size) < 0)
				return 65;
			put_legacy_trailer(fd, h_random(&rng));
			atomic_fetch_add(&writer_state->rewrites, 1);
		}
	}
	close(fd);
	return 0;
}

/* What an attached array or an info must satisfy, whatever the file said. */
static bool consistent(const char *dtype, int ndim, const size_t *shape, size_t nbytes,
                       size_t itemsize, const char *descr, size_t map_size)
{
	size_t count = 1;

	if (ndim < 0 || ndim > 64 || strnlen(dtype, 64) >= 64 || itemsize == 0)
		return false;
	for (int i = 0; i < ndim; i++)
		if (__builtin_mul_overflow(count, shape[i], &count))
			return false;
	if (count * itemsize != nbytes || nbytes > map_size - TRAILER_V1)
		return false;
	if (descr && (dtype[1] != 'V' || strlen(descr) > (1u << 20)))
		return false;
	return true;
}

struct snapshot {
	char dtype[64];
	int ndim;
	size_t shape[64], nbytes, map_size;
	char order;
	const char *descr;
};

static void take(const sa_array *a, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dtype, sizeof(s->dtype), "%s", sa_dtype(a));
	s->ndim = sa_ndim(a);
	memcpy(s->shape, sa_shape(a), sizeof(size_t) * (size_t)s->ndim);
	s->nbytes = sa_nbytes(a);
	s->map_size = sa_map_size(a);
	s->order = sa_order(a);
	s->descr = sa_descr(a);
}

START_TEST(metadata_rewritten_while_reading)
{
	static const unsigned attach_flags[] = { SA_RDONLY, 0, SA_RDONLY | SA_POPULATE, SA_POPULATE };
	const unsigned iterations = h_rounds(ITERATIONS, 20);
	const size_t shape[1] = { 64 };
	unsigned long ok = 0, ebadmsg = 0, populate_short = 0, other = 0;
	int first_other = 0;
	char *descr = malloc(DESCR_LEN + 1), bare[100];
	sa_array *array;
	sa_info *info;
	pid_t pid;
	int fd;

	ck_assert_ptr_nonnull(descr);
	for (size_t i = 0; i < DESCR_LEN; i++)
		descr[i] = (char)('A' + i % 26);
	descr[DESCR_LEN] = '\0';
	t_bare_name(bare, sizeof(bare), "hostile");
	snprintf(seg.name, sizeof(seg.name), "shm://%s", bare);
	snprintf(seg.path, sizeof(seg.path), "/dev/shm/%s", bare);
	/* A description longer than the first read of the tail: two reads. */
	ck_assert_int_eq(sa_create_descr(seg.name, "|V8", descr, 1, shape, 0, 0600, &array), 0);
	seg.size = sa_map_size(array);
	seg.meta_offset = sa_nbytes(array);
	ck_assert_int_eq(sa_detach(array), 0);
	seg.pristine = malloc(seg.size - seg.meta_offset);
	ck_assert_ptr_nonnull(seg.pristine);
	fd = open(seg.path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, seg.pristine, seg.size - seg.meta_offset,
	                       (off_t)seg.meta_offset), (ssize_t)(seg.size - seg.meta_offset));
	close(fd);

	writer_state = h_shared_alloc(sizeof(*writer_state));
	pid = t_fork(rewrite_metadata, NULL);
	for (unsigned i = 0; i < iterations; i++) {
		const unsigned op = i % 5;
		int ret;

		if (op == 4) {
			ret = sa_stat(seg.name, &info);
			if (ret == 0) {
				ck_assert_msg(consistent(sa_info_dtype(info), sa_info_ndim(info),
				                         sa_info_shape(info), sa_info_nbytes(info),
				                         sa_info_itemsize(info), sa_info_descr(info),
				                         sa_info_segment_size(info)),
				              "stat: inconsistent metadata");
				sa_info_free(info);
			}
		} else {
			ret = sa_attach(seg.name, attach_flags[op], &array);
			if (ret == 0) {
				struct snapshot before, after;

				ck_assert_msg(consistent(sa_dtype(array), sa_ndim(array), sa_shape(array),
				                         sa_nbytes(array), sa_itemsize(array),
				                         sa_descr(array), sa_map_size(array)),
				              "attach: inconsistent metadata");
				/* The writer goes on; the handle's copy does not change. */
				take(array, &before);
				h_random_delay(&(uint64_t){ i + 1 }, 20);
				take(array, &after);
				ck_assert(memcmp(&before, &after, sizeof(before)) == 0);
				if (before.descr)
					ck_assert_uint_eq(strlen(before.descr), DESCR_LEN);
				ck_assert_int_eq(sa_detach(array), 0);
			}
		}
		if (ret == 0)
			ok++;
		else if (ret == -EBADMSG)
			ebadmsg++;
		else if (ret == -ENOSPC && (attach_flags[op] & SA_POPULATE))
			populate_short++;
		else if (other++ == 0)
			first_other = ret;
	}
	atomic_store(&writer_state->stop, 1);
	ck_assert_int_eq(t_wait(pid), 0);
	h_note("rewritten metadata: %u stats and attaches: %lu consistent arrays, %lu EBADMSG, "
	       "%lu ENOSPC (SA_POPULATE of a truncated file), %lu other (first %d)",
	       iterations, ok, ebadmsg, populate_short, other, first_other);
	h_note("rewritten metadata: the writer made %lu flips, %lu restores, %lu truncations, "
	       "%lu legacy rewrites", atomic_load(&writer_state->flips),
	       atomic_load(&writer_state->restores), atomic_load(&writer_state->truncations),
	       atomic_load(&writer_state->rewrites));
	ck_assert_msg(other == 0, "%lu unexpected results, first %d", other, first_other);
	ck_assert_int_eq(unlink(seg.path), 0);
	h_shared_free(writer_state, sizeof(*writer_state));
	free(seg.pristine);
	free(descr);
}
END_TEST

/* ---- files swapped under a name --------------------------------------- */

enum candidate { CAND_A, CAND_B, CAND_JUNK, CAND_FIFO, CAND_SYMLINK, CANDIDATES };

struct swap_state {
	atomic_int stop;
	atomic_ulong swaps;
	char dir[256], prefix[128];
};

static struct swap_state *swap_state;

static void cand_path(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "%s/%s%s", swap_state->dir, swap_state->prefix, what);
}

static int swapper(void *arg)
{
	static const char *const what[CANDIDATES] = { "A", "B", "junk", "fifo", NULL };
	char tmp[512], target[512], src[512];
	uint64_t rng = h_random_seed();

	(void)arg;
	cand_path(tmp, sizeof(tmp), "tmp");
	cand_path(target, sizeof(target), "target");
	while (!atomic_load(&swap_state->stop)) {
		const enum candidate c = (enum candidate)(h_random(&rng) % CANDIDATES);

		unlink(tmp);
		if (c == CAND_SYMLINK) {
			char link_to[256];

			snprintf(link_to, sizeof(link_to), "%sA", swap_state->prefix);
			if (symlink(link_to, tmp) < 0)
				return 70;
		} else {
			cand_path(src, sizeof(src), what[c]);
			if (link(src, tmp) < 0)
				return 71;
		}
		/* Atomic: the name always exists, as one file or another. */
		if (rename(tmp, target) < 0)
			return 72;
		atomic_fetch_add(&swap_state->swaps, 1);
	}
	return 0;
}

static void make_array(const char *name, const char *dtype, int ndim, const size_t *shape,
                       int fill)
{
	sa_array *array;

	ck_assert_int_eq(sa_create(name, dtype, ndim, shape, 0, 0600, &array), 0);
	memset(sa_data(array), fill, sa_nbytes(array));
	ck_assert_int_eq(sa_detach(array), 0);
}

static bool all_bytes(const sa_array *array, int value)
{
	const unsigned char *p = sa_data(array);

	for (size_t i = 0; i < sa_nbytes(array); i++)
		if (p[i] != value)
			return false;
	return true;
}

/* In DIR, names are NAME_PREFIX + PREFIX + what; file:// or shm:// per SHM. */
static void swap_files(bool shm)
{
	const unsigned iterations = h_rounds(ITERATIONS, 20);
	const size_t shape_a[1] = { 100 }, shape_b[2] = { 7, 3 };
	unsigned long seen_a = 0, seen_b = 0, refused = 0, loops = 0, stats = 0;
	char *dir = shm ? NULL : t_make_tmpdir();
	char a[1024], b[1024], target[1024], path[512], scheme_prefix[512];
	static char junk[4096];
	pid_t pid;

	swap_state = h_shared_alloc(sizeof(*swap_state));
	snprintf(swap_state->dir, sizeof(swap_state->dir), "%s", shm ? "/dev/shm" : dir);
	if (shm) {
		t_bare_name(swap_state->prefix, sizeof(swap_state->prefix), "swap");
		strcat(swap_state->prefix, "-");
		snprintf(scheme_prefix, sizeof(scheme_prefix), "shm://%s", swap_state->prefix);
	} else {
		snprintf(scheme_prefix, sizeof(scheme_prefix), "file://%s/", dir);
	}
	snprintf(a, sizeof(a), "%sA", scheme_prefix);
	snprintf(b, sizeof(b), "%sB", scheme_prefix);
	snprintf(target, sizeof(target), "%starget", scheme_prefix);
	make_array(a, "|u1", 1, shape_a, 0xaa);
	make_array(b, "<f8", 2, shape_b, 0xbb);
	memset(junk, 'N', sizeof(junk));
	cand_path(path, sizeof(path), "junk");
	t_write_file(path, junk, sizeof(junk));
	cand_path(path, sizeof(path), "fifo");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	make_array(target, "|u1", 1, shape_a, 0xaa);

	pid = t_fork(swapper, NULL);
	for (unsigned i = 0; i < iterations; i++) {
		sa_array *array;
		sa_info *info;
		int ret;

		if (i % 4 == 3) {
			/* stat: A's metadata or B's, never a mix. */
			ret = sa_stat(target, &info);
			if (ret == 0) {
				const bool is_a = sa_info_nbytes(info) == 100 &&
				                  strcmp(sa_info_dtype(info), "|u1") == 0;
				const bool is_b = sa_info_nbytes(info) == 168 && sa_info_ndim(info) == 2 &&
				                  strcmp(sa_info_dtype(info), "<f8") == 0;

				ck_assert_msg(is_a || is_b, "stat: neither A nor B");
				sa_info_free(info);
				stats++;
				continue;
			}
		} else {
			ret = sa_attach(target, SA_RDONLY, &array);
			if (ret == 0) {
				/* The data mapped is the data of the array the metadata describes. */
				if (sa_nbytes(array) == 100 && strcmp(sa_dtype(array), "|u1") == 0) {
					ck_assert_msg(all_bytes(array, 0xaa), "A's metadata, other data");
					seen_a++;
				} else {
					ck_assert_msg(sa_nbytes(array) == 168 &&
					              strcmp(sa_dtype(array), "<f8") == 0 &&
					              sa_shape(array)[0] == 7 && sa_shape(array)[1] == 3,
					              "neither A nor B: %s %zu", sa_dtype(array),
					              sa_nbytes(array));
					ck_assert_msg(all_bytes(array, 0xbb), "B's metadata, other data");
					seen_b++;
				}
				ck_assert_int_eq(sa_detach(array), 0);
				continue;
			}
		}
		/* The junk file and the FIFO are not arrays; shm names never follow symlinks. */
		if (ret == -ELOOP && shm)
			loops++;
		else
			ck_assert_msg(ret == -EBADMSG, "swapped file: %d", ret);
		refused += ret == -EBADMSG;
	}
	atomic_store(&swap_state->stop, 1);
	ck_assert_int_eq(t_wait(pid), 0);
	h_note("swapped %s: %lu swaps during %u calls: %lu attaches saw A, %lu saw B, "
	       "%lu stats consistent, %lu EBADMSG (junk, FIFO), %lu ELOOP (symlink)",
	       shm ? "shm://" : "file://", atomic_load(&swap_state->swaps), iterations, seen_a,
	       seen_b, stats, refused, loops);

	ck_assert_int_eq(sa_delete(a), 0);
	ck_assert_int_eq(sa_delete(b), 0);
	cand_path(path, sizeof(path), "target");
	ck_assert_int_eq(unlink(path), 0);
	cand_path(path, sizeof(path), "junk");
	ck_assert_int_eq(unlink(path), 0);
	cand_path(path, sizeof(path), "fifo");
	ck_assert_int_eq(unlink(path), 0);
	cand_path(path, sizeof(path), "tmp");
	unlink(path);
	if (dir) {
		t_remove_tree(dir);
		free(dir);
	}
	h_shared_free(swap_state, sizeof(*swap_state));
}

START_TEST(file_swapped_under_a_file_name)
{
	swap_files(false);
}
END_TEST

START_TEST(file_swapped_under_an_shm_name)
{
	swap_files(true);
}
END_TEST

/* ---- planted symlinks -------------------------------------------------- */

static const char precious[] = "precious: not an array, not to be touched";

static void check_victim(const char *path)
{
	char buf[sizeof(precious) + 16];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, sizeof(precious));
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), sizeof(precious));
	ck_assert_mem_eq(buf, precious, sizeof(precious));
	close(fd);
}

static void check_still_symlink(const char *path)
{
	struct stat st;

	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
}

START_TEST(create_never_follows_a_planted_symlink)
{
	const size_t shape[1] = { 1000 };
	static const unsigned flag_sets[] = { 0, SA_RESERVE, SA_POPULATE };
	char *dir = t_make_tmpdir();
	char victim[512], ghost[512], link_path[512], name[600], shm_link[256], shm_name[300];
	sa_array *array = NULL;

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(ghost, sizeof(ghost), "%s/ghost", dir);
	t_write_file(victim, precious, sizeof(precious));

	for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
		/* file://: a symlink to an existing file, then a dangling one. */
		snprintf(link_path, sizeof(link_path), "%s/link", dir);
		snprintf(name, sizeof(name), "file://%s", link_path);
		ck_assert_int_eq(symlink(victim, link_path), 0);
		ck_assert_int_eq(sa_create(name, "<f8", 1, shape, flag_sets[f], 0, &array), -EEXIST);
		ck_assert_ptr_null(array);
		check_victim(victim);
		check_still_symlink(link_path);
		ck_assert_int_eq(unlink(link_path), 0);

		ck_assert_int_eq(symlink(ghost, link_path), 0);
		ck_assert_int_eq(sa_create(name, "<f8", 1, shape, flag_sets[f], 0, NULL), -EEXIST);
		ck_assert_int_eq(access(ghost, F_OK), -1);
		check_still_symlink(link_path);
		ck_assert_int_eq(unlink(link_path), 0);

		/* shm://: the same in /dev/shm, pointing out of it. */
		t_bare_name(shm_link, sizeof(shm_link), "planted");
		snprintf(shm_name, sizeof(shm_name), "shm://%s", shm_link);
		snprintf(link_path, sizeof(link_path), "/dev/shm/%s", shm_link);
		ck_assert_int_eq(symlink(victim, link_path), 0);
		ck_assert_int_eq(sa_create(shm_name, "<f8", 1, shape, flag_sets[f], 0, NULL), -EEXIST);
		/* Like shm_open(3), shm names never follow symlinks: not even to read. */
		ck_assert_int_eq(sa_attach(shm_name, 0, &array), -ELOOP);
		ck_assert_int_eq(sa_stat(shm_name, &(sa_info *){ NULL }), -ELOOP);
		ck_assert_int_eq(sa_delete(shm_name), -ELOOP);
		check_victim(victim);
		check_still_symlink(link_path);
		ck_assert_int_eq(unlink(link_path), 0);

		ck_assert_int_eq(symlink(ghost, link_path), 0);
		ck_assert_int_eq(sa_create(shm_name, "<f8", 1, shape, flag_sets[f], 0, NULL), -EEXIST);
		ck_assert_int_eq(access(ghost, F_OK), -1);
		check_still_symlink(link_path);
		ck_assert_int_eq(unlink(link_path), 0);
	}
	h_note("symlinks: planted at file:// and shm:// names (to a file, dangling), with "
	       "flags 0, SA_RESERVE, SA_POPULATE: EEXIST, nothing written through them");
	t_remove_tree(dir);
	free(dir);
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("hostile");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, metadata_rewritten_while_reading);
	tcase_add_test(tc, file_swapped_under_a_file_name);
	tcase_add_test(tc, file_swapped_under_an_shm_name);
	tcase_add_test(tc, create_never_follows_a_planted_symlink);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run_suite(hostile_suite());
}
