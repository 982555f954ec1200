/*
 * delete.c - SharedArray.delete()
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "module.h"

const char sapy_delete_doc[] =
"delete($module, /, name)\n--\n\n"
"Remove the name NAME ('shm://NAME', 'NAME' or 'file://PATH').\n"
"\n"
"The array can no longer be attached, but arrays already attached, here or\n"
"in other processes, stay valid: the memory is freed when the last of them\n"
"is garbage-collected.  Only shared arrays are removed: anything else\n"
"under the name is left alone.\n"
"\n"
"Raises FileNotFoundError if there is no such array, OSError(EBADMSG) if\n"
"NAME is not a shared array (nothing is removed), PermissionError, and\n"
"OSError for other failures, with the name as its filename.";

PyObject *sapy_delete(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "name", NULL };
	PyObject *name, *name_bytes;
	int ret;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:delete", kwlist, &name))
		return NULL;
	if (!PyUnicode_FSConverter(name, &name_bytes))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_delete(PyBytes_AS_STRING(name_bytes));
	Py_END_ALLOW_THREADS
	Py_DECREF(name_bytes);
	if (ret < 0)
		return sapy_raise(ret, name);
	Py_RETURN_NONE;
}
