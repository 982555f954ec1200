/*
 * owner.c - finding the shared array mapping that holds an array's memory
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Functions that act on "the shared array" of a numpy array (its lock, its
 * generation, its name for a worker process) accept the array itself or
 * any view or slice of it.  numpy records, in .base, the object that owns a
 * view's memory: for the arrays create() and attach() return, and views of
 * them, that is the MapOwner.  Other routes (memoryview, as_strided) leave
 * a short chain of bases to follow.  The memory a view spans is checked to
 * lie in the mapping, so that no chain can name a mapping the view does
 * not use.
 */
#include "module.h"

/* Bases followed before giving up: numpy collapses view chains itself. */
#define MAX_BASES 32

/*
 * The object whose memory OBJ uses (a new reference), or NULL without an
 * exception at the end of the chain.  numpy's as_strided leaves a helper
 * object with a .base attribute in the chain.
 */
static PyObject *base_of(PyObject *obj)
{
	PyObject *base = NULL;

	if (PyArray_Check(obj))
		base = PyArray_BASE((PyArrayObject *)obj);
	else if (PyMemoryView_Check(obj))
		base = PyMemoryView_GET_BUFFER(obj)->obj;
	else {
		/* Any failure to read .base just ends the chain. */
		base = PyObject_GetAttrString(obj, "base");
		if (!base)
			PyErr_Clear();
		return base;
	}
	Py_XINCREF(base);
	return base;
}

/* Whether the bytes ARRAY spans lie in [ADDR, ADDR + SIZE). */
static int spans_within(PyArrayObject *array, char *addr, size_t size)
{
	char *data = PyArray_BYTES(array);
	const npy_intp *dims = PyArray_DIMS(array), *strides = PyArray_STRIDES(array);
	npy_intp low = 0, high = PyArray_ITEMSIZE(array);

	for (int i = 0; i < PyArray_NDIM(array); i++) {
		if (dims[i] == 0)
			return 1;  /* no element: nothing to reach outside */
		if (strides[i] < 0)
			low += strides[i] * (dims[i] - 1);
		else
			high += strides[i] * (dims[i] - 1);
	}
	return data + low >= addr && data + high <= addr + size;
}

PyObject *sapy_owner_of(PyObject *obj)
{
	PyObject *cur = Py_NewRef(obj);

	for (int i = 0; cur && i < MAX_BASES; i++) {
		if (PyObject_TypeCheck(cur, &sapy_MapOwnerType)) {
			sa_array *array = sapy_mapowner_handle(cur);

			if (PyArray_Check(obj) && !spans_within((PyArrayObject *)obj,
			                                         sa_map_addr(array), sa_nbytes(array)))
				break;
			return cur;
		}
		Py_SETREF(cur, base_of(cur));
	}
	Py_XDECREF(cur);
	PyErr_Format(PyExc_TypeError,
	             "SharedArray: %.200s is not memory of an attached shared array "
	             "(expected an array that create() or attach() returned, or a view of one)",
	             Py_TYPE(obj)->tp_name);
	return NULL;
}

PyObject *sapy_owner_of_py(PyObject *module, PyObject *obj)
{
	(void)module;
	return sapy_owner_of(obj);
}
