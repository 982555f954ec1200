/*
 * module.h - declarations shared by the files of the SharedArray module
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The module is a client of libsharedarray: every operation on a segment is
 * a library call.  What lives here is the numpy side: dtypes, ndarrays over
 * a mapping, and turning the library's negative errno values into OSError.
 */
#ifndef SAPY_MODULE_H
#define SAPY_MODULE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* One copy of numpy's C API table for the whole module (see module.c). */
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL sapy_numpy_api
#ifndef SAPY_IMPORT_ARRAY
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>

/* numpy 2 hides the dtype struct behind accessors; numpy 1.x has none. */
#if NPY_ABI_VERSION < 0x02000000
#define PyDataType_ELSIZE(descr) ((descr)->elsize)
#define PyDataType_FIELDS(descr) ((descr)->fields)
#define PyDataType_NAMES(descr) ((descr)->names)
#define PyDataType_SUBARRAY(descr) ((descr)->subarray)
#endif

#include "sharedarray.h"

/* ---- errors.c ----------------------------------------------------------- */

/*
 * Raise OSError(-ERROR, sa_strerror(ERROR), NAME) (NAME may be NULL); the
 * errno picks the subclass: FileExistsError, FileNotFoundError...  Returns
 * NULL, for "return sapy_raise(ret, name);".
 */
PyObject *sapy_raise(int error, PyObject *name);
/* The same with exception class TYPE (an OSError subclass). */
PyObject *sapy_raise_as(PyObject *type, int error, PyObject *name);
/* SharedArray.ArraySizeError, a subclass of OSError and ValueError. */
PyObject *sapy_size_error_new(void);

/* ---- dtype.c ------------------------------------------------------------ */

/*
 * Prepare a dtype given to create() (a new reference in *DESCR, replaced):
 * refuse what cannot live in shared memory (object fields, zero-size items)
 * and size an unsized "S"/"U" as numpy.zeros does.  0, or -1 with an
 * exception set.
 */
int sapy_dtype_prepare(PyArray_Descr **descr);

/*
 * What the library stores for DESCR: its type string and, for a
 * structured dtype, a description (NULL otherwise), both new references to
 * bytes objects.  The description is checked to decode to DESCR exactly.
 * 0, or -1 with an exception set.
 */
int sapy_dtype_encode(PyArray_Descr *descr, PyObject **typestr, PyObject **description);

/*
 * The dtype of a segment: TYPESTR, or the structured dtype DESCRIPTION
 * gives when it is not NULL and STRUCTURED is set.  A description that does
 * not decode to a structured dtype of ITEMSIZE bytes without objects raises
 * OSError(EBADMSG) naming NAME.  A new reference, or NULL.
 */
PyArray_Descr *sapy_dtype_decode(const char *typestr, const char *description,
                                 size_t itemsize, int structured, PyObject *name);

/* ---- mapowner.c --------------------------------------------------------- */

extern PyTypeObject sapy_MapOwnerType;

/* The owner of the mapping ARRAY, which it takes (and detaches) even on error. */
PyObject *sapy_mapowner_new(sa_array *array);
sa_array *sapy_mapowner_handle(PyObject *owner);
/*
 * Raise TYPE (NULL: OSError, whose errno picks the subclass) for ERROR,
 * naming the array of OWNER.  Returns NULL.
 */
PyObject *sapy_mapowner_raise(PyObject *owner, PyObject *type, int error);

/* ---- owner.c ------------------------------------------------------------ */

/*
 * The MapOwner whose mapping holds the memory of OBJ: an array create() or
 * attach() returned, a view or slice of one, or a memoryview of those.  A
 * new reference, or NULL with TypeError.
 */
PyObject *sapy_owner_of(PyObject *obj);
/* SharedArray._ext._owner_of(obj): the same, for the package's Python code. */
PyObject *sapy_owner_of_py(PyObject *module, PyObject *obj);

/* ---- attach.c ----------------------------------------------------------- */

/*
 * An ndarray over the data of ARRAY, whose owner it becomes (detached on
 * error).  STRUCTURED: give a structured dtype its fields (else a plain
 * void dtype of the same size, as the original's create does).  NAME names
 * the array in errors.
 */
PyObject *sapy_array_from_handle(sa_array *array, int structured, PyObject *name);

PyObject *sapy_attach(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_attach_doc[];

/* ---- create.c, delete.c, list.c ------------------------------------------ */

PyObject *sapy_create(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_create_doc[];

PyObject *sapy_delete(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_delete_doc[];

PyObject *sapy_list(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_list_doc[];
PyObject *sapy_stat(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_stat_doc[];

/* ---- holders.c, transient.c --------------------------------------------- */

PyObject *sapy_holders(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_holders_doc[];

/*
 * If ARRAY (create() or attach() made it) holds a transient array, hand its
 * owner to the package, which lets go of it when the process ends.  0, or
 * -1 with an exception set.
 */
int sapy_transient_track(PyObject *module, PyObject *array);

/*
 * The ArrayDesc struct-sequence type, made by sapy_arraydesc_type_new and
 * kept in the module's state.
 */
PyObject *sapy_arraydesc_type_new(void);

/* ---- lock.c, notify.c, timeout.c ------------------------------------------ */

extern PyTypeObject sapy_LockType;
PyObject *sapy_lock(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_lock_doc[];

PyObject *sapy_notify(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_notify_doc[];
PyObject *sapy_wait(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_wait_doc[];
PyObject *sapy_generation(PyObject *module, PyObject *args, PyObject *kwds);
extern const char sapy_generation_doc[];

/*
 * A timeout in seconds from OBJ: None means FALLBACK, and a negative
 * number (or FALLBACK < 0) -1, forever.  0, or -1 with an exception set.
 */
int sapy_timeout_convert(PyObject *obj, double fallback, double *seconds);
/* The CLOCK_MONOTONIC time SECONDS from now; -1 (forever) for SECONDS < 0. */
double sapy_deadline(double seconds);
/* Milliseconds left until DEADLINE, rounded up, 0 once past; -1 for forever. */
int sapy_timeout_ms(double deadline);

/* ---- module.c ------------------------------------------------------------ */

struct sapy_state {
	PyObject *arraydesc_type;
	PyObject *size_error;     /* ArraySizeError */
};

struct sapy_state *sapy_get_state(PyObject *module);

/* The one exported symbol: the interpreter's entry point. */
PyMODINIT_FUNC PyInit__ext(void);

#endif /* SAPY_MODULE_H */
