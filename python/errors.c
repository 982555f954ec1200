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

PyObject *sapy_raise(int error, PyObject *name)
{
	const int code = error < 0 ? -error : error;
	PyObject *exc;

	if (name)
		exc = PyObject_CallFunction(PyExc_OSError, "isO", code, sa_strerror(code), name);
	else
		exc = PyObject_CallFunction(PyExc_OSError, "is", code, sa_strerror(code));
	if (exc) {
		PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
		Py_DECREF(exc);
	}
	return NULL;
}
