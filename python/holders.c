/*
 * holders.c - SharedArray.holders(): the processes that map an array
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>

#include "module.h"

const char sapy_holders_doc[] =
"holders($module, /, name)\n--\n\n"
"The processes that have array NAME mapped now: a sorted list of pids.\n"
"\n"
"Every attachment counts, by any route and by any program (SharedArray\n"
"3.x's too), each process once.  They are read from /proc, as far as this\n"
"process may: root sees every process, others their own (and those /proc\n"
"lets them read).  A process that only has the segment open is not a\n"
"holder; one that holds a transient array always has it mapped.\n"
"\n"
"Raises FileNotFoundError if there is no such array (a transient array\n"
"whose holders are all gone included), OSError(EBADMSG) if NAME is not a\n"
"shared array, OSError(ENOTSUP) without /proc, and OSError for other\n"
"failures, with the name as its filename.  The GIL is released while\n"
"/proc is read.";

PyObject *sapy_holders(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "name", NULL };
	PyObject *name, *name_bytes, *result;
	pid_t *pids = NULL;
	int count;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:holders", kwlist, &name))
		return NULL;
	if (!PyUnicode_FSConverter(name, &name_bytes))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	count = sa_holders(PyBytes_AS_STRING(name_bytes), &pids);
	Py_END_ALLOW_THREADS
	Py_DECREF(name_bytes);
	if (count < 0)
		return sapy_raise(count, name);
	result = PyList_New(count);
	for (int i = 0; result && i < count; i++) {
		PyObject *pid = PyLong_FromLong((long)pids[i]);

		if (!pid)
			Py_CLEAR(result);
		else
			PyList_SET_ITEM(result, i, pid);
	}
	free(pids);
	return result;
}
