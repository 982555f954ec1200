/*
 * attach.c - SharedArray.attach() and the ndarray over a mapping
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The library maps the segment and validates its metadata; this file wraps
 * the mapping in a MapOwner and builds the ndarray directly over it, with
 * the owner as its base: one owner per mapping, zero copies.
 */
#include <errno.h>

#include "module.h"

const char sapy_attach_doc[] =
"attach($module, /, name, ro=False, populate=False)\n--\n\n"
"Attach the existing array NAME and return it as a numpy array, zero-copy.\n"
"\n"
"name      'shm://NAME', a bare 'NAME' or 'file://PATH', as for create().\n"
"ro        map it read-only: the array is not writeable, and setting\n"
"          a.flags.writeable = True raises ValueError (writes from C\n"
"          would fault).\n"
"populate  pre-fault the whole mapping now.\n"
"\n"
"Any number of processes may attach the same array; they all see one\n"
"memory.  The dtype is the one it was created with, structured fields,\n"
"datetime units and byte order included, and the order (C or Fortran) too.\n"
"Arrays made by SharedArray 3.x attach as well.  The returned array's\n"
".base is its SharedArray.MapOwner.  Attaching a transient array holds it\n"
"until the array and its views are dropped (see create()).\n"
"\n"
"Raises FileNotFoundError if there is no such array (nor a transient one\n"
"whose holders are all gone), OSError(EBADMSG) if\n"
"NAME is not a shared array or its metadata is corrupt, PermissionError,\n"
"and OSError for other failures, with the name as its filename.  The GIL\n"
"is released while the segment is opened and mapped.";

/* numpy array dimensions from the library's, which validated them. */
static int convert_dims(const sa_array *array, npy_intp *dims, PyObject *name)
{
	const int ndim = sa_ndim(array);
	const size_t *shape = sa_shape(array);

	if (ndim > NPY_MAXDIMS) {
		PyErr_Format(PyExc_ValueError,
		             "SharedArray: %R has %d dimensions, more than numpy's %d",
		             name, ndim, NPY_MAXDIMS);
		return -1;
	}
	for (int i = 0; i < ndim; i++) {
		if (shape[i] > (size_t)NPY_MAX_INTP) {
			sapy_raise(-EOVERFLOW, name);
			return -1;
		}
		dims[i] = (npy_intp)shape[i];
	}
	return ndim;
}

PyObject *sapy_array_from_handle(sa_array *array, int structured, PyObject *name)
{
	npy_intp dims[NPY_MAXDIMS];
	PyArray_Descr *descr;
	PyObject *owner, *result;
	int ndim, flags;

	owner = sapy_mapowner_new(array);
	if (!owner)
		return NULL;
	ndim = convert_dims(array, dims, name);
	if (ndim < 0)
		goto fail;
	descr = sapy_dtype_decode(sa_dtype(array), sa_descr(array), sa_itemsize(array),
	                          structured, name);
	if (!descr)
		goto fail;
	/* With data and no strides, numpy derives C or Fortran strides from the flag. */
	flags = (sa_order(array) == 'F' ? NPY_ARRAY_F_CONTIGUOUS : 0) |
	        ((sa_flags(array) & SA_RDONLY) ? 0 : NPY_ARRAY_WRITEABLE);
	result = PyArray_NewFromDescr(&PyArray_Type, descr, ndim, dims, NULL,
	                              sa_data(array), flags, NULL);
	if (!result)
		goto fail;
	/* Steals the owner, also on failure. */
	if (PyArray_SetBaseObject((PyArrayObject *)result, owner) < 0) {
		Py_DECREF(result);
		return NULL;
	}
	return result;

fail:
	Py_DECREF(owner);
	return NULL;
}

PyObject *sapy_attach(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "name", "ro", "populate", NULL };
	PyObject *name, *name_bytes, *result;
	int ro = 0, populate = 0, ret;
	sa_array *array;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|pp:attach", kwlist, &name, &ro,
	                                 &populate))
		return NULL;
	if (!PyUnicode_FSConverter(name, &name_bytes))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_attach(PyBytes_AS_STRING(name_bytes),
	                (ro ? SA_RDONLY : 0) | (populate ? SA_POPULATE : 0), &array);
	Py_END_ALLOW_THREADS
	Py_DECREF(name_bytes);
	if (ret < 0)
		return sapy_raise(ret, name);
	result = sapy_array_from_handle(array, 1, name);
	if (result && sapy_transient_track(module, result) < 0)
		Py_CLEAR(result);
	return result;
}
