/*
 * errors.c - the library's negative errno values as Python exceptions
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One helper for every library error.  OSError(errno, strerror, filename)
 * constructs the subclass the errno calls for (PEP 3151), so EEXIST is
 * FileExistsError and ENOENT FileNotFoundError without a table here, and
 * the message is the library's own (sa_strerror), in its terms.
 */
#include "module.h"

PyObject *sapy_raise_as(PyObject *type, int error, PyObject *name)
{
	const int code = error < 0 ? -error : error;
	PyObject *exc;

	if (name)
		exc = PyObject_CallFunction(type, "isO", code, sa_strerror(code), name);
	else
		exc = PyObject_CallFunction(type, "is", code, sa_strerror(code));
	if (exc) {
		PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
		Py_DECREF(exc);
	}
	return NULL;
}

PyObject *sapy_raise(int error, PyObject *name)
{
	return sapy_raise_as(PyExc_OSError, error, name);
}

/*
 * A shape too large for its filesystem (ENOSPC) or for any file
 * (EOVERFLOW) is a bad shape as much as an OS refusal: the exception is
 * both, as io.UnsupportedOperation is.
 */
PyObject *sapy_size_error_new(void)
{
	PyObject *bases = PyTuple_Pack(2, PyExc_OSError, PyExc_ValueError), *type;

	if (!bases)
		return NULL;
	type = PyErr_NewExceptionWithDoc(
		"SharedArray.ArraySizeError",
		"create() found no room for the array (errno ENOSPC) or its size\n"
		"overflows (EOVERFLOW).  Both an OSError and a ValueError.",
		bases, NULL);
	Py_DECREF(bases);
	return type;
}
