/*
 * lock.c - SharedArray.lock() and SharedArray.Lock: the array's lock
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A Lock names the lock of one attached array (sa_lock(3)): every process
 * that attaches the array contends for it, and a process that dies holding
 * it releases it.  The lock belongs to the mapping (the array's MapOwner)
 * and to the thread that took it.
 *
 * Waits release the GIL.  A signal interrupts them (the library returns
 * EINTR): the handlers run, and unless one raised (KeyboardInterrupt), the
 * wait goes on with what is left of the timeout (PEP 475).
 */
#include <errno.h>

#include "module.h"

typedef struct {
	PyObject_HEAD
	PyObject *owner;     /* the MapOwner of the array */
	unsigned how;        /* SA_LOCK_SHARED or SA_LOCK_EXCLUSIVE */
	double timeout;      /* seconds; < 0: forever */
} Lock;

const char sapy_lock_doc[] =
"lock($module, /, array, shared=False, timeout=None)\n--\n\n"
"The lock of the shared array whose memory ARRAY uses (the array create()\n"
"or attach() returned, or any view or slice of it), as a Lock object: use\n"
"it in a with statement, or call acquire() and release().\n"
"\n"
"    with sa.lock(a):                 # exclusive: one holder at a time\n"
"        a[:] = frame\n"
"    with sa.lock(b, shared=True):    # shared: any number of holders\n"
"        total = b.sum()\n"
"\n"
"Every process that attaches the array, by any name, contends for the same\n"
"lock, and a process that dies holding it (even by SIGKILL) releases it.\n"
"Within a process the lock belongs to the mapping and to the thread that\n"
"takes it: two threads exclude each other as two processes do.\n"
"\n"
"shared   take it shared rather than exclusive.  An array attached with\n"
"         ro=True can only take it shared.\n"
"timeout  seconds acquire() waits (and so the with statement) before it\n"
"         raises TimeoutError; None waits forever, 0 tries once.\n"
"\n"
"Does not take the lock itself.  Raises TypeError if ARRAY is not memory\n"
"of a shared array.  See Lock.acquire() for the errors of taking it.";

/*
 * A timed sa_lock retries, sleeping between tries, and a signal that comes
 * while it tries rather than sleeps runs its handler without ending the
 * wait (sa_lock(3)).  Asking for at most this long at a time, and looking
 * at signals in between, keeps Ctrl-C prompt all the same.
 */
#define SLICE_MS 50

/* sa_lock until it is taken, waited out, or a signal handler raises. */
static int take(Lock *self, double seconds)
{
	sa_array *array = sapy_mapowner_handle(self->owner);
	const double deadline = sapy_deadline(seconds);
	int ret, ms = sapy_timeout_ms(deadline);

	for (;;) {
		const int slice = ms > SLICE_MS ? SLICE_MS : ms;

		Py_BEGIN_ALLOW_THREADS
		ret = sa_lock(array, self->how, slice);
		Py_END_ALLOW_THREADS
		if (ret != -EINTR && !(ret == -ETIMEDOUT && slice != ms))
			return ret;
		if (PyErr_CheckSignals() < 0)
			return -EINTR;
		ms = sapy_timeout_ms(deadline);
	}
}

PyDoc_STRVAR(acquire_doc,
"acquire($self, /, blocking=True, timeout=None)\n--\n\n"
"Take the lock: wait until it is free, at most TIMEOUT seconds (None: the\n"
"timeout given to lock(); a negative number: forever).  Returns True.\n"
"\n"
"With blocking=False, try once and return False if it is held elsewhere.\n"
"\n"
"Raises TimeoutError (errno ETIMEDOUT) when the timeout runs out,\n"
"KeyboardInterrupt (or what another signal handler raises) if a signal\n"
"arrives while waiting, PermissionError for an exclusive lock of an\n"
"array attached read-only, OSError(EDEADLK) if this thread holds the lock\n"
"through this mapping already, OSError(EIDRM) if the array's name was\n"
"deleted before the mapping first locked.  The GIL is released while\n"
"waiting.");

static PyObject *lock_acquire(PyObject *obj, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "blocking", "timeout", NULL };
	Lock *self = (Lock *)obj;
	PyObject *timeout_obj = Py_None;
	int blocking = 1, ret;
	double seconds;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "|pO:acquire", kwlist, &blocking,
	                                 &timeout_obj))
		return NULL;
	if (!blocking && timeout_obj != Py_None) {
		PyErr_SetString(PyExc_ValueError, "can't specify a timeout for a non-blocking call");
		return NULL;
	}
	if (sapy_timeout_convert(timeout_obj, self->timeout, &seconds) < 0)
		return NULL;
	ret = take(self, blocking ? seconds : 0);
	if (ret == 0)
		Py_RETURN_TRUE;
	if (ret == -EAGAIN && !blocking)
		Py_RETURN_FALSE;
	if (ret == -EINTR && PyErr_Occurred())
		return NULL;
	/* A timeout of 0 ran out too: one exception for every timeout. */
	if (ret == -EAGAIN || ret == -ETIMEDOUT)
		return sapy_mapowner_raise(self->owner, PyExc_TimeoutError, -ETIMEDOUT);
	return sapy_mapowner_raise(self->owner, NULL, ret);
}

PyDoc_STRVAR(release_doc,
"release($self, /)\n--\n\n"
"Release the lock this thread holds through this mapping.\n"
"\n"
"Raises OSError(ENOLCK) if it holds none, PermissionError (EPERM) if only\n"
"other threads hold it through this mapping.");

static PyObject *lock_release(PyObject *obj, PyObject *unused)
{
	Lock *self = (Lock *)obj;
	int ret;

	(void)unused;
	ret = sa_unlock(sapy_mapowner_handle(self->owner));
	if (ret < 0)
		return sapy_mapowner_raise(self->owner, NULL, ret);
	Py_RETURN_NONE;
}

static PyObject *lock_enter(PyObject *obj, PyObject *unused)
{
	Lock *self = (Lock *)obj;
	PyObject *empty = PyTuple_New(0), *taken;

	(void)unused;
	if (!empty)
		return NULL;
	taken = lock_acquire(obj, empty, NULL);
	Py_DECREF(empty);
	if (!taken)
		return NULL;
	Py_DECREF(taken);
	Py_INCREF(self);
	return obj;
}

static PyObject *lock_exit(PyObject *obj, PyObject *args)
{
	PyObject *released;

	(void)args;
	released = lock_release(obj, NULL);
	if (!released)
		return NULL;
	Py_DECREF(released);
	Py_RETURN_FALSE;
}

static PyMethodDef lock_methods[] = {
	{ "acquire", (PyCFunction)(void (*)(void))lock_acquire, METH_VARARGS | METH_KEYWORDS,
	  acquire_doc },
	{ "release", lock_release, METH_NOARGS, release_doc },
	{ "__enter__", lock_enter, METH_NOARGS,
	  "__enter__($self, /)\n--\n\nacquire(), for the with statement; returns the lock." },
	{ "__exit__", lock_exit, METH_VARARGS,
	  "__exit__($self, exc_type, exc_value, traceback, /)\n--\n\n"
	  "release(), at the end of the with statement." },
	{ NULL, NULL, 0, NULL },
};

static PyObject *get_shared(PyObject *obj, void *closure)
{
	(void)closure;
	return PyBool_FromLong(((Lock *)obj)->how == SA_LOCK_SHARED);
}

static PyObject *get_timeout(PyObject *obj, void *closure)
{
	const Lock *self = (Lock *)obj;

	(void)closure;
	if (self->timeout < 0)
		Py_RETURN_NONE;
	return PyFloat_FromDouble(self->timeout);
}

static PyObject *get_owner(PyObject *obj, void *closure)
{
	(void)closure;
	return Py_NewRef(((Lock *)obj)->owner);
}

static PyGetSetDef lock_getset[] = {
	{ "shared", get_shared, NULL, "True for the shared lock, False for the exclusive one.",
	  NULL },
	{ "timeout", get_timeout, NULL, "acquire()'s timeout in seconds, or None (forever).",
	  NULL },
	{ "owner", get_owner, NULL, "The MapOwner of the array whose lock this is.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyObject *lock_repr(PyObject *obj)
{
	const Lock *self = (Lock *)obj;
	PyObject *name = PyObject_GetAttrString(self->owner, "name"), *repr;

	if (!name)
		return NULL;
	repr = PyUnicode_FromFormat("<SharedArray.Lock of %R, %s>", name,
	                            self->how == SA_LOCK_SHARED ? "shared" : "exclusive");
	Py_DECREF(name);
	return repr;
}

static int lock_traverse(PyObject *obj, visitproc visit, void *arg)
{
	Py_VISIT(((Lock *)obj)->owner);
	return 0;
}

static int lock_clear(PyObject *obj)
{
	Py_CLEAR(((Lock *)obj)->owner);
	return 0;
}

static void lock_dealloc(PyObject *obj)
{
	PyObject_GC_UnTrack(obj);
	lock_clear(obj);
	Py_TYPE(obj)->tp_free(obj);
}

PyDoc_STRVAR(lock_type_doc,
"The lock of one shared array, as SharedArray.lock() returns it: a context\n"
"manager with acquire() and release().  Not reentrant: a thread that\n"
"holds it and asks again gets OSError(EDEADLK).  See lock().");

PyTypeObject sapy_LockType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "SharedArray.Lock",
	.tp_basicsize = sizeof(Lock),
	.tp_dealloc = lock_dealloc,
	.tp_repr = lock_repr,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = lock_type_doc,
	.tp_traverse = lock_traverse,
	.tp_clear = lock_clear,
	.tp_methods = lock_methods,
	.tp_getset = lock_getset,
};

PyObject *sapy_lock(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "array", "shared", "timeout", NULL };
	PyObject *array, *timeout_obj = Py_None, *owner;
	int shared = 0;
	double seconds;
	Lock *self;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|pO:lock", kwlist, &array, &shared,
	                                 &timeout_obj) ||
	    sapy_timeout_convert(timeout_obj, -1, &seconds) < 0)
		return NULL;
	owner = sapy_owner_of(array);
	if (!owner)
		return NULL;
	self = PyObject_GC_New(Lock, &sapy_LockType);
	if (!self) {
		Py_DECREF(owner);
		return NULL;
	}
	self->owner = owner;
	self->how = shared ? SA_LOCK_SHARED : SA_LOCK_EXCLUSIVE;
	self->timeout = seconds < 0 ? -1 : seconds;
	PyObject_GC_Track(self);
	return (PyObject *)self;
}
