/*
 * create.c - SharedArray.create()
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * shape, dtype and order go through numpy's own converters, so create()
 * takes exactly what numpy.zeros() takes and refuses what it refuses, with
 * the same exceptions, before anything exists under the name.  What the
 * numpy side cannot judge (names, fitting in the filesystem) the library
 * answers, as an OSError.
 */
#include <errno.h>
#include <string.h>

#include "module.h"

const char sapy_create_doc[] =
"create($module, /, name, shape, dtype=None, order='C', mode=None, reserve=False, populate=False,\n"
"       exist_ok=False, transient=False)\n--\n\n"
"Create a new, zero-filled array NAME in shared memory and return it as a\n"
"numpy array whose memory is the shared segment.\n"
"\n"
"name      'shm://NAME' or a bare 'NAME' (POSIX shared memory, /dev/shm),\n"
"          or 'file://PATH' (a regular file).\n"
"shape     an int or a sequence of ints, as for numpy.zeros (at most 32\n"
"          dimensions; () is a 0-d array).\n"
"dtype     float by default (None means float too, as for numpy.zeros), or\n"
"          anything numpy.dtype() takes: bool, ints,\n"
"          floats, complex, S/U strings, datetime64/timedelta64 with their\n"
"          unit, either byte order, structured dtypes.  Dtypes that hold\n"
"          Python objects are refused (TypeError).\n"
"order     'C' (row-major) or 'F' (column-major).\n"
"mode      permission bits of the new segment, as for open(2), less the\n"
"          umask; None (or 0) means 0o666.\n"
"reserve   allocate the backing store now, so that a full /dev/shm raises\n"
"          OSError(ENOSPC) here rather than SIGBUS at first touch.\n"
"populate  allocate (as reserve does) and pre-fault the whole mapping, so\n"
"          that first touches cost nothing.\n"
"exist_ok  if NAME holds an array of the same dtype, shape, order and\n"
"          transience already, attach it (read-write) and return it instead\n"
"          of raising\n"
"          FileExistsError: create-or-attach.  Race-free: of processes doing\n"
"          this at once, one creates the array and the others attach it.\n"
"transient remove the array as soon as no process holds it: when the last\n"
"          array or view of it is dropped, here and in every process that\n"
"          attached it, or when they have all ended, however they ended\n"
"          (killed: the next call that comes across it removes it).  Until\n"
"          then it is an array like any other.  The array returned holds it\n"
"          (MapOwner.transient); so does every attach() of it, and\n"
"          multiprocessing children let go of theirs when they end.\n"
"\n"
"Creation is atomic: other processes see no array or the complete one.  An\n"
"array that cannot fit in the filesystem's free space is refused\n"
"(ENOSPC) whatever RESERVE says.  As in SharedArray 3.x, a structured dtype\n"
"comes back as a plain void array of the same itemsize (so that raw\n"
"numpy.void assignment keeps working); attach(), list() and stat() give\n"
"the full structured dtype.\n"
"\n"
"Raises FileExistsError if the name is taken (with exist_ok, if it holds\n"
"an array of another dtype, shape, order or transience: the message says\n"
"which),\n"
"OSError(EBADMSG) with exist_ok if it holds no array, ValueError or TypeError for\n"
"a bad shape or dtype (nothing is created), ArraySizeError (an OSError\n"
"and a ValueError) with errno ENOSPC when the array cannot fit, or\n"
"EOVERFLOW when its size overflows, and OSError for other failures\n"
"(EINVAL: bad name or mode, EACCES...), with the name as its filename.  The GIL is released while the segment is built.";

/*
 * numpy 1 allows 32 dimensions, numpy 2 allows 64 (NPY_MAXDIMS); the
 * segment holds at most SA_MAX_NDIM, 32.  Both numpys raise ValueError for
 * too many: so do we, for the library's limit, before anything exists.
 */
static int check_ndim(int ndim)
{
	if (ndim <= SA_MAX_NDIM)
		return 0;
	PyErr_Format(PyExc_ValueError,
	             "maximum supported dimension for a shared array is %d, found %d",
	             SA_MAX_NDIM, ndim);
	return -1;
}

/* numpy.zeros appends a subarray dtype's shape to the array's. */
static int expand_subarray(PyArray_Descr **descr, npy_intp *dims, int *ndim)
{
	while (PyDataType_HASSUBARRAY(*descr)) {
		PyArray_ArrayDescr *sub = PyDataType_SUBARRAY(*descr);
		PyArray_Descr *base = sub->base;
		PyArray_Dims extra = { NULL, 0 };

		if (!PyArray_IntpConverter(sub->shape, &extra))
			return -1;
		if (check_ndim(*ndim + extra.len) < 0) {
			PyDimMem_FREE(extra.ptr);
			return -1;
		}
		for (int i = 0; i < extra.len; i++)
			dims[(*ndim)++] = extra.ptr[i];
		PyDimMem_FREE(extra.ptr);
		Py_INCREF(base);
		Py_DECREF(*descr);
		*descr = base;
	}
	return 0;
}

/* numpy's own limits: no negative extent, no more than NPY_MAX_INTP bytes. */
static int check_shape(const npy_intp *dims, int ndim, PyArray_Descr *descr,
                       size_t *shape)
{
	npy_intp nbytes = (npy_intp)PyDataType_ELSIZE(descr);
	int overflow = 0;

	for (int i = 0; i < ndim; i++) {
		if (dims[i] < 0) {
			PyErr_SetString(PyExc_ValueError, "negative dimensions are not allowed");
			return -1;
		}
		overflow |= __builtin_mul_overflow(nbytes, dims[i], &nbytes);
		shape[i] = (size_t)dims[i];
	}
	if (overflow) {
		PyErr_SetString(PyExc_ValueError,
		                "array is too big; `arr.size * arr.dtype.itemsize` is larger "
		                "than the maximum possible size.");
		return -1;
	}
	return 0;
}

/* None or an int that fits mode_t; anything else the library would refuse. */
static int convert_mode(PyObject *obj, PyObject *name, mode_t *mode)
{
	unsigned long value;

	*mode = 0;
	if (obj == Py_None)
		return 0;
	if (!PyLong_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "mode must be an int or None, not %.100s",
		             Py_TYPE(obj)->tp_name);
		return -1;
	}
	value = PyLong_AsUnsignedLong(obj);
	if (value == (unsigned long)-1 && PyErr_Occurred()) {
		if (!PyErr_ExceptionMatches(PyExc_OverflowError))
			return -1;
		PyErr_Clear();
		sapy_raise(-EINVAL, name);
		return -1;
	}
	if ((unsigned long)(mode_t)value != value) {
		sapy_raise(-EINVAL, name);
		return -1;
	}
	*mode = (mode_t)value;
	return 0;
}

/*
 * exist_ok met another array: FileExistsError saying what is there.  If it
 * is gone already, or cannot be read, the plain error.
 */
static PyObject *raise_other_array(PyObject *name, const char *path)
{
	PyArray_Descr *descr = NULL;
	PyObject *shape = NULL, *message = NULL, *exc_args = NULL;
	sa_info *info;
	int ret;

	Py_BEGIN_ALLOW_THREADS
	ret = sa_stat(path, &info);
	Py_END_ALLOW_THREADS
	if (ret < 0)
		return sapy_raise(-EEXIST, name);
	descr = sapy_dtype_decode(sa_info_dtype(info), sa_info_descr(info), sa_info_itemsize(info),
	                          1, name);
	shape = PyTuple_New(sa_info_ndim(info));
	for (int i = 0; shape && i < sa_info_ndim(info); i++)
		PyTuple_SET_ITEM(shape, i, PyLong_FromSize_t(sa_info_shape(info)[i]));
	if (descr && shape)
		message = PyUnicode_FromFormat("%s, of another dtype, shape, order or "
		                               "transience: dtype %S, shape %S, order '%c'%s",
		                               sa_strerror(-EEXIST), (PyObject *)descr, shape,
		                               sa_info_order(info),
		                               sa_info_transient(info) == 1 ? ", transient" : "");
	if (message)
		exc_args = Py_BuildValue("(iOO)", EEXIST, message, name);
	if (exc_args)
		PyErr_SetObject(PyExc_FileExistsError, exc_args);
	sa_info_free(info);
	Py_XDECREF(exc_args);
	Py_XDECREF(descr);
	Py_XDECREF(shape);
	Py_XDECREF(message);
	return NULL;
}

/* What create() asks the library for, once numpy has judged the arguments. */
struct request {
	PyObject *name;           /* as given, for errors */
	const char *path;         /* the name, file-system encoded */
	const char *typestr, *description;
	int ndim;
	const size_t *shape;
	unsigned flags;
	mode_t mode;
};

/* The segment and its ndarray; an array too big for its filesystem is
 * ArraySizeError (see errors.c), and nothing is left behind on failure. */
static PyObject *create_array(PyObject *module, const struct request *r)
{
	PyObject *result;
	sa_array *array;
	int ret;

	Py_BEGIN_ALLOW_THREADS
	ret = sa_create_descr(r->path, r->typestr, r->description, r->ndim, r->shape,
	                      r->flags, r->mode, &array);
	Py_END_ALLOW_THREADS
	if (ret == -ENOSPC || ret == -EOVERFLOW)
		return sapy_raise_as(sapy_get_state(module)->size_error, ret, r->name);
	if (ret == -EEXIST && (r->flags & SA_EXIST_OK))
		return raise_other_array(r->name, r->path);
	if (ret < 0)
		return sapy_raise(ret, r->name);
	result = sapy_array_from_handle(array, 0, r->name);
	if (result && sapy_transient_track(module, result) < 0)
		Py_CLEAR(result);  /* detached: a transient array goes with it */
	if (!result && ret == 0 && !(r->flags & SA_TRANSIENT)) {
		/* The caller gets no array it made: leave nothing behind either. */
		Py_BEGIN_ALLOW_THREADS
		sa_delete(r->path);
		Py_END_ALLOW_THREADS
	}
	return result;
}

PyObject *sapy_create(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "name", "shape", "dtype", "order", "mode", "reserve",
	                          "populate", "exist_ok", "transient", NULL };
	PyObject *name, *name_bytes = NULL, *mode_obj = Py_None, *result = NULL;
	PyObject *typestr = NULL, *description = NULL;
	PyArray_Dims dims_arg = { NULL, 0 };
	PyArray_Descr *descr = NULL;
	NPY_ORDER order = NPY_CORDER;
	npy_intp dims[SA_MAX_NDIM];
	size_t shape[SA_MAX_NDIM];
	int ndim, reserve = 0, populate = 0, exist_ok = 0, transient = 0;
	mode_t mode;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO&|O&O&Opppp:create", kwlist, &name,
	                                 PyArray_IntpConverter, &dims_arg,
	                                 PyArray_DescrConverter, &descr,
	                                 PyArray_OrderConverter, &order,
	                                 &mode_obj, &reserve, &populate, &exist_ok,
	                                 &transient))
		goto out;
	if (order != NPY_CORDER && order != NPY_FORTRANORDER) {
		PyErr_SetString(PyExc_ValueError, "only 'C' or 'F' order is permitted");
		goto out;
	}
	if (!descr && !(descr = PyArray_DescrFromType(NPY_DEFAULT_TYPE)))
		goto out;
	ndim = dims_arg.len;
	if (check_ndim(ndim) < 0)
		goto out;
	if (ndim > 0)  /* shape (): ptr is NULL, and memcpy's arguments must not be */
		memcpy(dims, dims_arg.ptr, (size_t)ndim * sizeof(*dims));
	if (expand_subarray(&descr, dims, &ndim) < 0 || sapy_dtype_prepare(&descr) < 0 ||
	    check_shape(dims, ndim, descr, shape) < 0 ||
	    convert_mode(mode_obj, name, &mode) < 0 ||
	    sapy_dtype_encode(descr, &typestr, &description) < 0 ||
	    !PyUnicode_FSConverter(name, &name_bytes))
		goto out;

	result = create_array(module, &(struct request){
		.name = name,
		.path = PyBytes_AS_STRING(name_bytes),
		.typestr = PyBytes_AS_STRING(typestr),
		.description = description ? PyBytes_AS_STRING(description) : NULL,
		.ndim = ndim,
		.shape = shape,
		.flags = (order == NPY_FORTRANORDER ? SA_FORTRAN : 0) |
		         (reserve ? SA_RESERVE : 0) | (populate ? SA_POPULATE : 0) |
		         (exist_ok ? SA_EXIST_OK : 0) | (transient ? SA_TRANSIENT : 0),
		.mode = mode,
	});
out:
	PyDimMem_FREE(dims_arg.ptr);
	Py_XDECREF(descr);
	Py_XDECREF(typestr);
	Py_XDECREF(description);
	Py_XDECREF(name_bytes);
	return result;
}
