/*
 * notify.c - SharedArray.notify(), wait() and generation(): change notification
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each array has a generation counter in its segment (sa_notify(3)).  A
 * writer bumps it with notify(); readers sleep in wait() until it moves
 * past the value they last saw, using no CPU.  Waits release the GIL, and
 * a signal that does not raise resumes them with what is left of the
 * timeout (PEP 475).
 */
#include <errno.h>

#include "module.h"

const char sapy_notify_doc[] =
"notify($module, /, array)\n--\n\n"
"Add 1 to the generation counter of the shared array whose memory ARRAY\n"
"uses, and wake every process (and thread) blocked in wait() on it.\n"
"\n"
"What was written to the array before notify() is seen by the waiters it\n"
"wakes.  Waiters on other machines of a network filesystem are not woken.\n"
"\n"
"Raises PermissionError (EPERM) for an array attached with ro=True,\n"
"OSError(ENOTSUP) for an array made by SharedArray 3.x whose segment has no\n"
"room for a counter, TypeError if ARRAY is not memory of a shared array.";

const char sapy_wait_doc[] =
"wait($module, /, array, generation, timeout=None)\n--\n\n"
"Wait until the generation counter of the shared array whose memory ARRAY\n"
"uses differs from GENERATION, and return its new value (at once if it\n"
"differs already).  TIMEOUT is in seconds; None waits forever.\n"
"\n"
"    gen = sa.generation(frame)\n"
"    while True:\n"
"        gen = sa.wait(frame, gen)      # no update is missed between calls\n"
"        show(frame)\n"
"\n"
"Waiting uses no CPU; works on arrays attached read-only.  The GIL is\n"
"released.  Raises TimeoutError (errno ETIMEDOUT) when TIMEOUT runs out,\n"
"KeyboardInterrupt (or what another signal handler raises) if a signal\n"
"arrives while waiting, OSError(ENOTSUP) for a segment without a counter.";

const char sapy_generation_doc[] =
"generation($module, /, array)\n--\n\n"
"The generation counter of the shared array whose memory ARRAY uses: how\n"
"many times notify() was called on it (0 for a segment without a counter).\n"
"Pass it to wait().\n"
"\n"
"Raises TypeError if ARRAY is not memory of a shared array.";

/* The handle of ARRAY's mapping (borrowed from *OWNER, a new reference), or NULL. */
static sa_array *handle_of(PyObject *array, PyObject **owner)
{
	*owner = sapy_owner_of(array);
	return *owner ? sapy_mapowner_handle(*owner) : NULL;
}

PyObject *sapy_notify(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "array", NULL };
	PyObject *array, *owner, *result = NULL;
	sa_array *handle;
	int ret;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:notify", kwlist, &array) ||
	    !(handle = handle_of(array, &owner)))
		return NULL;
	ret = sa_notify(handle);
	if (ret < 0)
		sapy_mapowner_raise(owner, NULL, ret);
	else
		result = Py_NewRef(Py_None);
	Py_DECREF(owner);
	return result;
}

/* sa_wait until the generation moves, the deadline passes, or a handler raises. */
static int wait_for(sa_array *handle, unsigned long long seen, double seconds,
                    unsigned long long *generation)
{
	const double deadline = sapy_deadline(seconds);
	int ret, ms = sapy_timeout_ms(deadline);

	for (;;) {
		Py_BEGIN_ALLOW_THREADS
		ret = sa_wait(handle, seen, ms, generation);
		Py_END_ALLOW_THREADS
		if (ret != -EINTR || PyErr_CheckSignals() < 0)
			return ret;
		ms = sapy_timeout_ms(deadline);
	}
}

PyObject *sapy_wait(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "array", "generation", "timeout", NULL };
	PyObject *array, *seen_obj, *timeout_obj = Py_None, *owner, *result = NULL;
	unsigned long long seen, generation = 0;
	sa_array *handle;
	double seconds;
	int ret;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|O:wait", kwlist, &array, &seen_obj,
	                                 &timeout_obj) ||
	    sapy_timeout_convert(timeout_obj, -1, &seconds) < 0)
		return NULL;
	if (!PyLong_Check(seen_obj)) {
		PyErr_Format(PyExc_TypeError, "generation must be an int, not %.100s",
		             Py_TYPE(seen_obj)->tp_name);
		return NULL;
	}
	seen = PyLong_AsUnsignedLongLong(seen_obj);
	if (seen == (unsigned long long)-1 && PyErr_Occurred())
		return NULL;
	if (!(handle = handle_of(array, &owner)))
		return NULL;
	ret = wait_for(handle, seen, seconds, &generation);
	if (ret == 0)
		result = PyLong_FromUnsignedLongLong(generation);
	else if (!(ret == -EINTR && PyErr_Occurred()))
		sapy_mapowner_raise(owner, NULL, ret);
	Py_DECREF(owner);
	return result;
}

PyObject *sapy_generation(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "array", NULL };
	PyObject *array, *owner, *result;
	sa_array *handle;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:generation", kwlist, &array) ||
	    !(handle = handle_of(array, &owner)))
		return NULL;
	result = PyLong_FromUnsignedLongLong(sa_generation(handle));
	Py_DECREF(owner);
	return result;
}
