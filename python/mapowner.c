/*
 * mapowner.c - SharedArray.MapOwner: the object that owns one mapping
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every array create() or attach() returns has one of these as its .base.
 * numpy keeps the base alive as long as the array or any view of it lives,
 * so the mapping is unmapped (sa_detach) exactly when the last of them
 * goes: no view can outlive the memory it points to.
 *
 * The owner exports the array's data through the buffer protocol, writable
 * only when the mapping is.  numpy asks the base for a writable buffer
 * before it lets "a.flags.writeable = True" through, so an array attached
 * read-only can never be made writable, while a read-write one can be
 * toggled back and forth.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>

#include "module.h"

typedef struct {
	PyObject_HEAD
	sa_array *array;
	PyObject *weakrefs;   /* the package tracks transient owners weakly */
} MapOwner;

PyObject *sapy_mapowner_new(sa_array *array)
{
	MapOwner *self = PyObject_New(MapOwner, &sapy_MapOwnerType);

	if (!self) {
		sa_detach(array);
		return NULL;
	}
	self->array = array;
	self->weakrefs = NULL;
	return (PyObject *)self;
}

sa_array *sapy_mapowner_handle(PyObject *owner)
{
	return ((MapOwner *)owner)->array;
}

static void mapowner_dealloc(PyObject *obj)
{
	MapOwner *self = (MapOwner *)obj;

	if (self->weakrefs)
		PyObject_ClearWeakRefs(obj);
	/* munmap(2) of a mapping we made cannot fail: nothing to report. */
	if (self->array)
		sa_detach(self->array);
	Py_TYPE(obj)->tp_free(obj);
}

static int is_readonly(const MapOwner *self)
{
	return (sa_flags(self->array) & SA_RDONLY) != 0;
}

/* The owner's name as given to create() or attach(), as a str. */
static PyObject *name_object(const MapOwner *self)
{
	return PyUnicode_DecodeFSDefault(sa_name(self->array));
}

static PyObject *mapowner_repr(PyObject *obj)
{
	MapOwner *self = (MapOwner *)obj;
	PyObject *name = name_object(self), *repr;

	if (!name)
		return NULL;
	repr = PyUnicode_FromFormat("<SharedArray.MapOwner %R addr=%p size=%zu %s>", name,
	                            sa_map_addr(self->array), sa_map_size(self->array),
	                            is_readonly(self) ? "read-only" : "read-write");
	Py_DECREF(name);
	return repr;
}

PyObject *sapy_mapowner_raise(PyObject *owner, PyObject *type, int error)
{
	PyObject *name = name_object((MapOwner *)owner);

	if (name) {
		sapy_raise_as(type ? type : PyExc_OSError, error, name);
		Py_DECREF(name);
	}
	return NULL;
}

/* The library's result for a call on this mapping, as None or OSError. */
static PyObject *result(MapOwner *self, int ret)
{
	PyObject *name;

	if (ret == 0)
		Py_RETURN_NONE;
	name = name_object(self);
	sapy_raise(ret, name);
	Py_XDECREF(name);
	return NULL;
}

PyDoc_STRVAR(msync_doc,
"msync($self, /, flags)\n--\n\n"
"Flush the mapping to its backing store: msync(2) over the whole segment.\n"
"\n"
"FLAGS is SharedArray.MS_ASYNC (schedule the write-back and return) or\n"
"SharedArray.MS_SYNC (wait for it), optionally ORed with MS_INVALIDATE.\n"
"Useful for file:// arrays; POSIX shared memory has no backing store to\n"
"flush.  Raises OSError (EINVAL for bad flags).  The GIL is released.");

static PyObject *mapowner_msync(PyObject *obj, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "flags", NULL };
	MapOwner *self = (MapOwner *)obj;
	int flags, ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "i:msync", kwlist, &flags))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_msync(self->array, flags);
	Py_END_ALLOW_THREADS
	return result(self, ret);
}

PyDoc_STRVAR(mlock_doc,
"mlock($self, /)\n--\n\n"
"Lock the mapping into RAM so it is never paged out: mlock(2).\n"
"\n"
"Raises OSError: EPERM or ENOMEM when RLIMIT_MEMLOCK (ulimit -l) is too\n"
"small.  The GIL is released.");

static PyObject *mapowner_mlock(PyObject *obj, PyObject *unused)
{
	MapOwner *self = (MapOwner *)obj;
	int ret;

	(void)unused;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_mlock(self->array);
	Py_END_ALLOW_THREADS
	return result(self, ret);
}

PyDoc_STRVAR(munlock_doc,
"munlock($self, /)\n--\n\n"
"Allow the mapping to be paged out again: munlock(2).  The GIL is released.");

static PyObject *mapowner_munlock(PyObject *obj, PyObject *unused)
{
	MapOwner *self = (MapOwner *)obj;
	int ret;

	(void)unused;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_munlock(self->array);
	Py_END_ALLOW_THREADS
	return result(self, ret);
}

PyDoc_STRVAR(release_doc,
"_release($self, /)\n--\n\n"
"Let go of this mapping's hold on a transient array, keeping the mapping:\n"
"sa_release(3).  The package calls it when the process ends.");

static PyObject *mapowner_release(PyObject *obj, PyObject *unused)
{
	MapOwner *self = (MapOwner *)obj;
	int ret;

	(void)unused;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_release(self->array);
	Py_END_ALLOW_THREADS
	return result(self, ret);
}

static PyMethodDef mapowner_methods[] = {
	{ "msync", (PyCFunction)(void (*)(void))mapowner_msync, METH_VARARGS | METH_KEYWORDS,
	  msync_doc },
	{ "mlock", mapowner_mlock, METH_NOARGS, mlock_doc },
	{ "munlock", mapowner_munlock, METH_NOARGS, munlock_doc },
	{ "_release", mapowner_release, METH_NOARGS, release_doc },
	{ NULL, NULL, 0, NULL },
};

static PyObject *get_name(PyObject *obj, void *closure)
{
	(void)closure;
	return name_object((MapOwner *)obj);
}

static PyObject *get_addr(PyObject *obj, void *closure)
{
	(void)closure;
	return PyLong_FromVoidPtr(sa_map_addr(((MapOwner *)obj)->array));
}

static PyObject *get_size(PyObject *obj, void *closure)
{
	(void)closure;
	return PyLong_FromSize_t(sa_map_size(((MapOwner *)obj)->array));
}

static PyObject *get_readonly(PyObject *obj, void *closure)
{
	(void)closure;
	return PyBool_FromLong(is_readonly((MapOwner *)obj));
}

static PyObject *get_transient(PyObject *obj, void *closure)
{
	(void)closure;
	return PyBool_FromLong((sa_flags(((MapOwner *)obj)->array) & SA_TRANSIENT) != 0);
}

static PyGetSetDef mapowner_getset[] = {
	{ "name", get_name, NULL,
	  "The array's name as given to create() or attach(); delete() takes it.", NULL },
	{ "addr", get_addr, NULL, "Base address of the mapping (int).", NULL },
	{ "size", get_size, NULL,
	  "Size of the mapping in bytes (int): the data and the metadata after it.", NULL },
	{ "readonly", get_readonly, NULL,
	  "True when the mapping is read-only (attach(name, ro=True)).", NULL },
	{ "transient", get_transient, NULL,
	  "True for a transient array (create(..., transient=True)): this mapping\n"
	  "holds it, and the array is removed when no process holds it.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* The array's data as bytes; PyBuffer_FillInfo refuses PyBUF_WRITABLE if read-only. */
static int mapowner_getbuffer(PyObject *obj, Py_buffer *view, int flags)
{
	MapOwner *self = (MapOwner *)obj;

	return PyBuffer_FillInfo(view, obj, sa_data(self->array),
	                         (Py_ssize_t)sa_nbytes(self->array), is_readonly(self), flags);
}

static PyBufferProcs mapowner_as_buffer = {
	.bf_getbuffer = mapowner_getbuffer,
	.bf_releasebuffer = NULL,
};

PyDoc_STRVAR(mapowner_doc,
"The owner of one shared array mapping: the .base of the arrays that\n"
"SharedArray.create() and SharedArray.attach() return.\n"
"\n"
"The mapping lives as long as the owner, and numpy keeps the owner alive as\n"
"long as any array or view refers to it: dropping the last one unmaps the\n"
"segment (the name stays until SharedArray.delete(); a transient array's\n"
"goes with its last holder).  Owners are made only by create() and attach().\n"
"\n"
"The owner exports the array's data through the buffer protocol\n"
"(memoryview(owner)), writable only when the mapping is read-write.");

PyTypeObject sapy_MapOwnerType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "SharedArray.MapOwner",
	.tp_basicsize = sizeof(MapOwner),
	.tp_weaklistoffset = offsetof(MapOwner, weakrefs),
	.tp_dealloc = mapowner_dealloc,
	.tp_repr = mapowner_repr,
	.tp_as_buffer = &mapowner_as_buffer,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = mapowner_doc,
	.tp_methods = mapowner_methods,
	.tp_getset = mapowner_getset,
};
