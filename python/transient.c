/*
 * transient.c - transient arrays (create(..., transient=True)) in Python
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A transient array lives while some process holds it (sa_create(3),
 * SA_TRANSIENT).  Dropping the last reference to it detaches it, as for any
 * array, and that removes it.  What Python adds is the end of a process
 * that never drops its references: multiprocessing's children leave with
 * os._exit(), and objects may outlive the interpreter's teardown.  The
 * package keeps weak references to the owners of transient arrays
 * (SharedArray/_transient.py) and lets go of their holds at exit, keeping
 * the mappings (MapOwner._release, sa_release(3)) for code that still runs;
 * this file hands it each new owner.
 */
#include "module.h"

int sapy_transient_track(PyObject *module, PyObject *array)
{
	PyObject *owner = PyArray_BASE((PyArrayObject *)array), *track, *ret;

	if (!(sa_flags(sapy_mapowner_handle(owner)) & SA_TRANSIENT))
		return 0;
	/* Set by the package; the bare extension has no end-of-process hooks. */
	track = PyObject_GetAttrString(module, "_track_transient");
	if (!track) {
		PyErr_Clear();
		return 0;
	}
	ret = PyObject_CallFunctionObjArgs(track, owner, NULL);
	Py_DECREF(track);
	Py_XDECREF(ret);
	return ret ? 0 : -1;
}
