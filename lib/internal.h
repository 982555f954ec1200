/*
 * internal.h - declarations shared by the files of libsharedarray
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SA_INTERNAL_H
#define SA_INTERNAL_H

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sharedarray.h"

/* Marks the functions of the public API; everything else stays hidden. */
#define SA_EXPORT __attribute__((visibility("default")))

/* ---- names (name.c) ---------------------------------------------------- */

#define SA_SHM_PREFIX "shm://"
#define SA_FILE_PREFIX "file://"

enum sa_scheme { SA_SCHEME_SHM, SA_SCHEME_FILE };

/* Where a name lives: the path to open and where its last component starts. */
struct sa_location {
	enum sa_scheme scheme;
	size_t base_offset;     /* path + base_offset is the last component */
	char path[PATH_MAX];
};

int sa_location_parse(const char *name, struct sa_location *loc);
/*
 * open(2) the location; O_NOFOLLOW is added for shm names, like shm_open(3).
 * Returns the descriptor, or -EBADMSG for a directory or socket.
 */
int sa_location_open(const struct sa_location *loc, int flags, mode_t mode);
/* Parse NAME into LOC and open the existing entry: a descriptor, or -errno. */
int sa_location_open_existing(const char *name, int flags, struct sa_location *loc);
int sa_location_unlink(const struct sa_location *loc);
/* The directory holding the location, into BUF (PATH_MAX bytes). */
void sa_location_dir(const struct sa_location *loc, char *buf);

/* Hidden names of segments being built where O_TMPFILE is missing. */
#define SA_TEMP_PREFIX ".sa-tmp-"

/* ---- dtypes (dtype.c) -------------------------------------------------- */

#define SA_DTYPE_STR_MAX 64   /* canonical type strings are shorter */

/* numpy type numbers, as stored in the original trailer. */
enum sa_typenum {
	SA_NPY_BOOL = 0, SA_NPY_BYTE, SA_NPY_UBYTE, SA_NPY_SHORT, SA_NPY_USHORT,
	SA_NPY_INT, SA_NPY_UINT, SA_NPY_LONG, SA_NPY_ULONG, SA_NPY_LONGLONG,
	SA_NPY_ULONGLONG, SA_NPY_FLOAT, SA_NPY_DOUBLE, SA_NPY_LONGDOUBLE,
	SA_NPY_CFLOAT, SA_NPY_CDOUBLE, SA_NPY_CLONGDOUBLE, SA_NPY_OBJECT,
	SA_NPY_STRING, SA_NPY_UNICODE, SA_NPY_VOID, SA_NPY_DATETIME,
	SA_NPY_TIMEDELTA, SA_NPY_HALF,
	SA_NPY_NTYPES
};

struct sa_dtype {
	char str[SA_DTYPE_STR_MAX]; /* canonical array-interface type string */
	int typenum;                /* what the original trailer records */
	size_t itemsize;
};

/* Parse a type string: 0, -EINVAL (malformed, zero size), -ENOTSUP (object). */
int sa_dtype_parse(const char *str, struct sa_dtype *out);
/* The dtype an original-layout trailer describes: 0 or -EBADMSG. */
int sa_dtype_from_trailer(int32_t typenum, int32_t itemsize, struct sa_dtype *out);
/* Whether a trailer's typenum/itemsize agree with a parsed dtype. */
bool sa_dtype_matches_trailer(const struct sa_dtype *dtype, int32_t typenum,
                              int32_t itemsize);

/* ---- segment format (format.c) ----------------------------------------- */

#define SA_TRAILER_DIMS_V1 32   /* numpy 1.x build of the original */
#define SA_TRAILER_DIMS_V2 64   /* numpy 2.x build */
#define SA_TRAILER_HEAD 36      /* magic, size, typenum, itemsize, ndims */
#define SA_TRAILER_SIZE(ndims_max) (SA_TRAILER_HEAD + 8 * (ndims_max))
#define SA_TRAILER_MAX SA_TRAILER_SIZE(SA_TRAILER_DIMS_V2)
#define SA_EXT_HEADER_SIZE 48
#define SA_EXT_VERSION 1
#define SA_DESCR_MAX (1u << 20)
/* Largest extension record: header, type string, description, NULs, padding. */
#define SA_EXT_MAX (SA_EXT_HEADER_SIZE + SA_DTYPE_STR_MAX + SA_DESCR_MAX + 8)
/* What attach, stat and list read first; enough unless DESCR is long. */
#define SA_TAIL_READ 1024

/*
 * Byte 14 of the trailer, after the magic's NUL: flags that neither
 * libsharedarray 1.0 nor SharedArray 3.x reads (both compare the magic only
 * up to its NUL, and 3.x's strncpy writes zeros there).  Bits not defined
 * here are written 0 and ignored.
 */
#define SA_TRAILER_FLAGS_OFFSET 14
#define SA_TRAILER_FLAG_TRANSIENT 0x1u   /* removed with its last holder */

/*
 * fcntl(2) open file description locks on the segment, on bytes far past
 * any data, so that they never meet locks a program takes on its data:
 * the array's lock (sa_lock), and the shared locks of the holders of a
 * transient array.
 */
#define SA_LOCK_BYTE ((off_t)1 << 62)
#define SA_HOLDER_BYTE (SA_LOCK_BYTE + 1)

/* Everything a segment's metadata says, decoded and validated. */
struct sa_meta {
	struct sa_dtype dtype;
	int ndim;
	size_t shape[SA_TRAILER_DIMS_V2];
	uint64_t nbytes;
	char order;               /* 'C' or 'F' */
	int format;               /* extension record version, 0 when absent */
	const char *descr;        /* NULL, or DESCR_LEN bytes plus a NUL */
	size_t descr_len;
	uint64_t segment_size;
	int trailer_dims;         /* slots of the trailer: 32, or 64 (3.x on numpy 2) */
	unsigned trailer_flags;   /* SA_TRAILER_FLAG_* */
	bool has_generation;      /* the segment has a generation counter, */
	uint64_t generation;      /* which read this when decoded */
};

/* Bytes after the data: alignment padding, extension record, trailer. */
int sa_format_layout(const struct sa_meta *meta, uint64_t *metadata_offset,
                     size_t *metadata_size);
/* Write the extension record and trailer into BUF (metadata_size bytes). */
void sa_format_encode(const struct sa_meta *meta, unsigned char *buf, size_t len);
/*
 * Decode the last TAIL_LEN bytes of a FILE_SIZE-byte segment.  Returns 0,
 * -EBADMSG, or a positive count: re-read that many bytes of tail and retry.
 * META->descr then points into TAIL.
 */
long sa_format_decode(const unsigned char *tail, size_t tail_len,
                      uint64_t file_size, struct sa_meta *meta);
/* Whether the tail carries the original magic in either layout. */
bool sa_format_has_magic(const unsigned char *tail, size_t tail_len);
/*
 * Where the generation counter lives (sa_notify, sa_wait): the offset of
 * its 8 bytes in the segment, or -ENOTSUP when the segment has no room for
 * one.  It is the trailer's last dims slot, unused while NDIM is smaller
 * than the trailer's slots, and usable only at a 4-byte-aligned offset
 * (futex(2) needs one; SharedArray 3.x segments may have any size).
 */
long long sa_format_generation_offset(int ndim, int trailer_dims, uint64_t segment_size);

/* ---- metadata objects (info.c) ----------------------------------------- */

struct sa_info {
	struct sa_dtype dtype;
	int ndim;
	char order;
	int format;
	int trailer_dims;
	unsigned trailer_flags;
	bool has_generation;
	uint64_t generation;      /* when the metadata was read (sa_info_generation) */
	uint64_t nbytes;
	uint64_t segment_size;
	struct stat st;           /* of the segment when read from one */
	const size_t *shape;      /* these three point into storage[] */
	const char *name;
	const char *descr;
	max_align_t storage[];
};

/* A heap copy of META named NAME; ST may be NULL. */
int sa_info_new(const struct sa_meta *meta, const char *name,
                const struct stat *st, struct sa_info **out);
/* fstat FD: 0 if it is a regular file long enough for a trailer, else -EBADMSG. */
int sa_segment_stat(int fd, struct stat *st);
/* fstat, read and validate the segment open at FD. */
int sa_info_read(int fd, const char *name, struct sa_info **out);
/* Read the last LEN bytes of a SIZE-byte file into BUF with one pread. */
int sa_read_tail(int fd, uint64_t size, unsigned char *buf, size_t len);

/*
 * pwrite(2)/pread(2) of all LEN bytes at OFFSET, through short transfers
 * and EINTR (rw.c): 0 or -errno; sa_pread_all gives -ENODATA when the file
 * ends first.
 */
int sa_pwrite_all(int fd, const void *buf, size_t len, uint64_t offset);
int sa_pread_all(int fd, void *buf, size_t len, uint64_t offset);

/* ---- mappings (attach.c) ----------------------------------------------- */

struct sa_array {
	void *addr;              /* mapped over the whole segment: info->segment_size bytes */
	unsigned flags;          /* SA_RDONLY, SA_FORTRAN, SA_TRANSIENT */
	struct sa_info *info;    /* the validated copy: the segment's own may change;
	                            info->st is the segment's fstat at attach or create */
	/*
	 * A descriptor of the segment, or -1.  An attachment of a transient
	 * array keeps the one that holds it (transient.c); others keep none
	 * unless a feature needs one (sa_array_file): running out of
	 * descriptors is a known pain of programs that attach many arrays.
	 */
	atomic_int fd;
	/* sa_lock's descriptors and holders (lock.c); NULL until the first lock. */
	_Atomic(struct sa_lock_state *) lock;
};

/* Map FD (SIZE bytes) and wrap it with INFO into a handle; owns INFO. */
int sa_array_map(int fd, struct sa_info *info, unsigned flags, sa_array **out);

/* ---- identity (identity.c) --------------------------------------------- */

/* Whether ST is the file of the segment ARRAY maps (device and inode). */
bool sa_array_is_file(const sa_array *array, const struct stat *st);
/*
 * A descriptor of ARRAY's segment, open for reading (and writing unless the
 * handle is SA_RDONLY), owned by the handle and closed by sa_detach.  The
 * first call opens the array's name again and checks that it still names
 * the same segment: -EIDRM when the name was deleted, or now names another
 * array, before that.  Thread-safe.
 */
int sa_array_file(sa_array *array);
/* Close the handle's descriptor, if it has one (sa_detach): whether it had. */
bool sa_array_file_close(sa_array *array);
/*
 * A new descriptor (a new open file description) of ARRAY's segment, found
 * through its name and checked as sa_array_file does: -EIDRM if the name no
 * longer names it.  The caller owns it.
 */
int sa_array_reopen(const sa_array *array);

/* ---- listing (list.c) --------------------------------------------------- */

/* Open the directory sa_list would list: a descriptor, or -errno. */
int sa_list_open_dir(const char *directory);
/*
 * The arrays of the directory open at DIRFD, as sa_list returns them.
 * REAP: skip, and remove when allowed, transient arrays nobody holds (what
 * sa_list does); otherwise list them like the others (sa_prune).
 */
int sa_list_read(int dirfd, bool reap, sa_info ***out);

/* ---- transient arrays (transient.c) ------------------------------------ */

/*
 * How to reach a segment by its name again: an entry of a directory open
 * at DIRFD (LOC NULL), or a parsed name.
 */
struct sa_named {
	const struct sa_location *loc;
	int dirfd;
	const char *entry;
};

/* Whether INFO's segment is marked transient (trailer flags). */
bool sa_info_is_transient(const struct sa_info *info);
/*
 * create: hold the segment open at FD, before it has a name.  Returns the
 * descriptor that holds it (open with ACCESS, O_RDONLY or O_RDWR), which
 * the handle keeps in its fd, or -errno.
 */
int sa_transient_hold(int fd, int access);
/*
 * attach: hold the transient segment open at FD (with ACCESS), read as INFO
 * by the name N.  Returns the descriptor that holds it, or -ENOENT when it
 * is dead, dying or gone.
 */
int sa_transient_join(int fd, int access, const struct sa_named *n,
                      const struct sa_info *info);
/*
 * stat, list: whether the transient segment open at FD, read as INFO by
 * the name N, is dead (nobody holds it); a dead one is removed when the
 * caller may, and never returned.
 */
bool sa_transient_dead(int fd, const struct sa_named *n, const struct sa_info *info);
/*
 * create: the name LOC is taken.  Removes it if it is a dead transient
 * array; true when the name may be free now (worth another try).
 */
bool sa_transient_clear(const struct sa_location *loc);
/* Close ARRAY's hold, and remove the array when it was the last (sa_detach). */
void sa_transient_release(sa_array *array);
/*
 * Remove the segment named by N if it is still the file ST describes and
 * nobody holds it (the holder byte can be write-locked).  0 when removed,
 * -EBUSY when held, -ESTALE when the name no longer names it, or -errno.
 */
int sa_transient_reap(const struct sa_named *n, const struct stat *st);
/* Remove the name N if it still names the file ST describes: 0 or -errno. */
int sa_named_unlink_same(const struct sa_named *n, const struct stat *st);

/* ---- holders (holders.c) ----------------------------------------------- */

/* One file to look for in the mappings of processes. */
struct sa_holder_target {
	unsigned major, minor;
	unsigned long long ino;
	size_t index;             /* the caller's */
	pid_t last_pid;           /* the scan's: count a process once */
};

/*
 * Scan /proc once for processes that map the files of TARGETS (sorted by
 * file): FOUND(ARG, index, pid) once per process and target.  Returns the number of processes that could not be inspected
 * (0: every one the caller may know of was), or -errno.
 */
int sa_holders_scan(struct sa_holder_target *targets, size_t count,
                    int (*found)(void *arg, size_t index, pid_t pid), void *arg);
/* TARGET for the file ST describes. */
void sa_holder_target_set(struct sa_holder_target *target, const struct stat *st, size_t index);
/*
 * Add to COUNTS[index] the processes that map each of TARGETS (sorted
 * here): one scan.  As sa_holders_scan, the processes not inspected.
 */
int sa_holders_count(struct sa_holder_target *targets, size_t count, int *counts);

/* ---- locks (lock.c) ----------------------------------------------------- */

struct sa_lock_state;
/* Close the handle's lock descriptors and free their state (sa_detach). */
void sa_lock_state_free(sa_array *array);

/* ---- create-or-attach (exist.c) ----------------------------------------- */

/* sa_create_descr with SA_EXIST_OK in FLAGS: 0 created, 1 attached, or -errno. */
int sa_create_exist_ok(const char *name, const char *dtype, const char *descr, int ndim,
                       const size_t *shape, unsigned flags, mode_t mode, sa_array **out);

#endif /* SA_INTERNAL_H */
