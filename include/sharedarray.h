/*
 * sharedarray.h - named numpy-style arrays shared between processes
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An array (dtype + shape + data) is created once under a name and any
 * process on the machine can attach it, zero-copy, list it and delete it.
 * Names are "shm://NAME" (POSIX shared memory; also a bare "NAME") or
 * "file://PATH" (a regular file).  Segments are compatible both ways with
 * the Python package SharedArray 3.x; the layout is in sharedarray(5).
 *
 * Every function that can fail returns 0 (or a count) on success and a
 * negative errno value on failure.  Nothing prints and nothing keeps global
 * state: all functions are thread-safe.  See libsharedarray(3).
 */
#ifndef SHAREDARRAY_H
#define SHAREDARRAY_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An attached (mapped) array.  Opaque: use the accessors below. */
typedef struct sa_array sa_array;

/* An array's metadata, read without mapping its data (sa_stat, sa_list). */
typedef struct sa_info sa_info;

/* Flags. */
#define SA_RDONLY   0x1u  /* attach: map read-only; writes fault */
#define SA_FORTRAN  0x2u  /* create: column-major (Fortran) order */
#define SA_RESERVE  0x4u  /* create: allocate the backing store now */
#define SA_POPULATE 0x8u  /* create, attach: pre-fault the whole mapping */
#define SA_EXIST_OK 0x10u /* create: attach a matching existing array instead (1.1) */
#define SA_TRANSIENT 0x20u /* create: removed as soon as no process holds it (1.1) */

/* Largest ndim sa_create accepts (the original trailer holds 32 dims). */
#define SA_MAX_NDIM 32

/*
 * dtypes are numpy array-interface type strings ("<f8", "|u1", "<U4",
 * "<M8[ns]", "|V12"...).  Native-endian conveniences for C programs:
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SA_NATIVE_ORDER ">"
#else
#define SA_NATIVE_ORDER "<"
#endif
#define SA_DTYPE_BOOL       "|b1"
#define SA_DTYPE_INT8       "|i1"
#define SA_DTYPE_UINT8      "|u1"
#define SA_DTYPE_INT16      SA_NATIVE_ORDER "i2"
#define SA_DTYPE_UINT16     SA_NATIVE_ORDER "u2"
#define SA_DTYPE_INT32      SA_NATIVE_ORDER "i4"
#define SA_DTYPE_UINT32     SA_NATIVE_ORDER "u4"
#define SA_DTYPE_INT64      SA_NATIVE_ORDER "i8"
#define SA_DTYPE_UINT64     SA_NATIVE_ORDER "u8"
#define SA_DTYPE_FLOAT16    SA_NATIVE_ORDER "f2"
#define SA_DTYPE_FLOAT32    SA_NATIVE_ORDER "f4"
#define SA_DTYPE_FLOAT64    SA_NATIVE_ORDER "f8"
#define SA_DTYPE_COMPLEX64  SA_NATIVE_ORDER "c8"
#define SA_DTYPE_COMPLEX128 SA_NATIVE_ORDER "c16"

/* --- Creating, attaching, deleting ------------------------------------ */

/*
 * Create a zero-filled array NAME of DTYPE with NDIM dimensions SHAPE.
 * FLAGS: SA_FORTRAN, SA_RESERVE, SA_POPULATE, SA_EXIST_OK, SA_TRANSIENT.
 * MODE as in open(2), less the umask; 0 means 0666.  If OUT is not NULL the
 * new array is also attached read-write and returned there (SA_TRANSIENT
 * needs it).  Atomic: other processes see no array or the complete one.
 * Returns 0, -EEXIST if the name is taken, -ENOSPC if it cannot fit,
 * -EINVAL/-ENOTSUP/-EOVERFLOW for bad arguments.  With SA_EXIST_OK, an
 * array of the same dtype, shape, order and transience already there is
 * attached instead (into OUT) and 1 returned; another array is -EEXIST, and
 * anything else -EBADMSG.
 */
int sa_create(const char *name, const char *dtype, int ndim, const size_t *shape,
              unsigned flags, mode_t mode, sa_array **out);

/*
 * As sa_create, also storing DESCR, an opaque NUL-terminated text that
 * describes the fields of a structured ("|V") dtype (the Python module keeps
 * numpy's dtype description there).  DESCR may be NULL.
 */
int sa_create_descr(const char *name, const char *dtype, const char *descr,
                    int ndim, const size_t *shape, unsigned flags, mode_t mode,
                    sa_array **out);

/*
 * Attach the existing array NAME.  FLAGS: SA_RDONLY, SA_POPULATE.  Maps the
 * segment without touching its data.  Returns 0, -ENOENT if there is no such
 * array, -EBADMSG if it is not a shared array or its metadata is corrupt.
 */
int sa_attach(const char *name, unsigned flags, sa_array **out);

/* Unmap ARRAY and free the handle.  Returns 0 or -EINVAL. */
int sa_detach(sa_array *array);

/*
 * Remove the name NAME.  Existing attachments stay valid until detached.
 * Returns 0, -ENOENT, or -EBADMSG (nothing removed) if NAME is not a shared
 * array at all.  An array whose metadata is corrupt can still be deleted.
 */
int sa_delete(const char *name);

/* --- An attached array ------------------------------------------------- */

void *sa_data(const sa_array *array);          /* first element */
size_t sa_nbytes(const sa_array *array);       /* bytes of data */
int sa_ndim(const sa_array *array);            /* number of dimensions */
const size_t *sa_shape(const sa_array *array); /* ndim extents */
const char *sa_dtype(const sa_array *array);   /* array-interface type string */
size_t sa_itemsize(const sa_array *array);     /* bytes per element */
char sa_order(const sa_array *array);          /* 'C' or 'F' */
const char *sa_descr(const sa_array *array);   /* structured description or NULL */
const char *sa_name(const sa_array *array);    /* the name it was attached by */
unsigned sa_flags(const sa_array *array);      /* SA_RDONLY, SA_FORTRAN, SA_TRANSIENT */
void *sa_map_addr(const sa_array *array);      /* base of the mapping */
size_t sa_map_size(const sa_array *array);     /* length of the mapping */

/* msync(2) over the mapping; FLAGS: MS_ASYNC or MS_SYNC, optionally MS_INVALIDATE. */
int sa_msync(const sa_array *array, int flags);
/* mlock(2) and munlock(2) over the mapping. */
int sa_mlock(const sa_array *array);
int sa_munlock(const sa_array *array);

/* --- Metadata without mapping ------------------------------------------ */

/*
 * Read the metadata of array NAME without mapping its data.  Free *OUT with
 * sa_info_free.  Returns 0, -ENOENT, -EBADMSG.
 */
int sa_stat(const char *name, sa_info **out);
void sa_info_free(sa_info *info);

/*
 * List the arrays in DIRECTORY (NULL: the shared memory directory).  Entries
 * that are not arrays are skipped.  *OUT receives a NULL-terminated vector,
 * sorted by name; free it with sa_list_free.  Returns the number of entries,
 * -ENOENT, or -ENOTSUP when DIRECTORY is NULL and the system has no shared
 * memory directory.
 */
int sa_list(const char *directory, sa_info ***out);
void sa_list_free(sa_info **list);

const char *sa_info_name(const sa_info *info);   /* as given to sa_stat; the entry name for sa_list */
const char *sa_info_dtype(const sa_info *info);
int sa_info_ndim(const sa_info *info);
const size_t *sa_info_shape(const sa_info *info);
size_t sa_info_nbytes(const sa_info *info);
size_t sa_info_itemsize(const sa_info *info);
char sa_info_order(const sa_info *info);
const char *sa_info_descr(const sa_info *info);
int sa_info_typenum(const sa_info *info);        /* numpy type number (original trailer) */
int sa_info_format(const sa_info *info);         /* extension record version; 0: original layout */
size_t sa_info_segment_size(const sa_info *info); /* bytes of the whole segment */
mode_t sa_info_mode(const sa_info *info);         /* permission bits */
uid_t sa_info_uid(const sa_info *info);
gid_t sa_info_gid(const sa_info *info);
long long sa_info_mtime(const sa_info *info);     /* seconds since the Epoch */

/* --- Identity (1.1) ------------------------------------------------------ */

/*
 * The device and inode number of the file ARRAY maps, as fstat(2) gave them
 * when it was attached or created: the same for every attachment of one
 * array, whatever name reached it, and different for another array later
 * created under the same name.  DEV or INO may be NULL.  Returns 0 or -EINVAL.
 */
int sa_identity(const sa_array *array, dev_t *dev, ino_t *ino);
dev_t sa_info_dev(const sa_info *info);           /* the segment's device */
ino_t sa_info_ino(const sa_info *info);           /* the segment's inode number */

/* --- Locks and change notification (1.1) ------------------------------- */

#define SA_LOCK_SHARED    0x0u   /* any number of shared holders */
#define SA_LOCK_EXCLUSIVE 0x1u   /* one holder, no shared ones */

/*
 * Take ARRAY's lock, shared or exclusive (HOW).  Every attachment of the
 * array, in every process, contends for the same lock; the death of a
 * holder releases it.  TIMEOUT_MS < 0 waits forever, 0 tries once, > 0
 * waits at most that long.  Returns 0, -EAGAIN (tried once, held
 * elsewhere), -ETIMEDOUT, -EINTR (a signal arrived; nothing held), -EDEADLK
 * (the calling thread holds it through ARRAY already), -EPERM (exclusive
 * through a read-only attachment), -EIDRM (the name no longer names ARRAY).
 */
int sa_lock(sa_array *array, unsigned how, int timeout_ms);
/* Release what the calling thread holds through ARRAY: 0, -ENOLCK, -EPERM. */
int sa_unlock(sa_array *array);
/*
 * Whether the lock of array NAME is held right now, without attaching it:
 * 0 free, 1 held (*HOW, if not NULL, says how), or a negative errno.
 */
int sa_lock_query(const char *name, unsigned *how);

/*
 * Add 1 to ARRAY's generation counter and wake every process waiting on it.
 * Returns 0, -EPERM (read-only attachment), -ENOTSUP (no room for a counter).
 */
int sa_notify(sa_array *array);
/*
 * Wait until ARRAY's generation differs from SEEN (at once if it does), at
 * most TIMEOUT_MS (< 0: forever); the generation goes to *GENERATION if not
 * NULL.  Returns 0, -ETIMEDOUT, -EINTR, -ENOTSUP.
 */
int sa_wait(sa_array *array, unsigned long long seen, int timeout_ms,
            unsigned long long *generation);
/* ARRAY's generation counter now; 0 if it has none. */
unsigned long long sa_generation(const sa_array *array);
/* The generation when INFO was read: 0, -ENOTSUP (no counter), -EINVAL. */
int sa_info_generation(const sa_info *info, unsigned long long *generation);

/* --- Holders and transient arrays (1.1) --------------------------------- */

/*
 * The processes that have array NAME mapped now, as far as the caller may
 * see them in /proc.  *PIDS receives a sorted array of the count returned
 * (NULL when 0), to free().  Returns the count, -ENOENT, -EBADMSG.
 */
int sa_holders(const char *name, pid_t **pids);
/*
 * For each entry of LIST (NULL-terminated, as sa_list makes it), the number
 * of processes that map it, into COUNTS, from one scan of /proc.  Returns
 * the number of processes that could not be inspected (0: every one was).
 */
int sa_list_holders(sa_info *const *list, int *counts);
/* 1 if INFO describes a transient array (SA_TRANSIENT), 0 if not. */
int sa_info_transient(const sa_info *info);
/*
 * Give up ARRAY's hold on a transient array, keeping the mapping until
 * sa_detach: the array is removed when its other holders are gone.
 */
int sa_release(sa_array *array);

/* Flags of sa_prune. */
#define SA_PRUNE_DRY_RUN    0x1u  /* remove nothing, report what would go */
#define SA_PRUNE_UNATTACHED 0x2u  /* also ordinary arrays that no process maps */

/*
 * Remove from DIRECTORY (NULL: shared memory) the transient arrays nobody
 * holds and, with SA_PRUNE_UNATTACHED, the other arrays no process maps,
 * among those last modified at least OLDER_THAN seconds ago whose names
 * match one of PATTERNS (fnmatch(3) globs; NULL: all).  *OUT receives what
 * was removed, as sa_list gives it.  Returns the count, or -EPERM when
 * SA_PRUNE_UNATTACHED cannot see every process (nothing removed).
 */
int sa_prune(const char *directory, const char *const *patterns, unsigned flags,
             long long older_than, sa_info ***out);

/* --- Library ------------------------------------------------------------ */

/* A short message for ERROR (negative or positive errno), in this library's terms. */
const char *sa_strerror(int error);
/* The run-time library version, e.g. "1.0.0". */
const char *sa_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SHAREDARRAY_H */
