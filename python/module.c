/*
 * module.c - the SharedArray module: assembles the functions and types
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <sys/mman.h>

/* This file alone imports numpy's C API table; the others use it. */
#define SAPY_IMPORT_ARRAY
#include "module.h"

PyDoc_STRVAR(module_doc,
"Share numpy arrays between processes, by name.\n"
"\n"
"An array (dtype, shape and data) is created once in shared memory under a\n"
"name, and any process on the machine can attach it, zero-copy, list it\n"
"and delete it.  This is the SharedArray 3.x API, implemented over\n"
"libsharedarray(3); arrays are compatible both ways with SharedArray 3.x\n"
"and with C programs using the library.\n"
"\n"
"NAMES\n"
"    'shm://NAME', or a bare 'NAME'\n"
"        a POSIX shared memory object (/dev/shm/NAME); lives until\n"
"        deleted or the machine reboots.\n"
"    'file://PATH'\n"
"        a regular file: survives reboots, msync() flushes it.\n"
"\n"
"FUNCTIONS\n"
"    create(name, shape, dtype=float, order='C', mode=None,\n"
"           reserve=False, populate=False, exist_ok=False, transient=False)\n"
"        a new zero-filled array (exist_ok: or the matching one there);\n"
"        a transient one is removed as soon as no process holds it.\n"
"    attach(name, ro=False, populate=False)\n"
"        an existing array, read-write or read-only.\n"
"    delete(name)\n"
"        remove the name; attached arrays stay valid.\n"
"    list(directory=None)\n"
"        the arrays in /dev/shm, or in a directory of file:// arrays.\n"
"    stat(name)\n"
"        one array's description, without attaching it.\n"
"    lock(array, shared=False, timeout=None)\n"
"        the array's lock, for a with statement: every process that\n"
"        attaches the array contends for it, and a process that dies\n"
"        holding it releases it.  TimeoutError when the timeout runs out.\n"
"    notify(array), wait(array, generation, timeout=None), generation(array)\n"
"        change notification: notify() wakes every process blocked in\n"
"        wait() on the array, which returns the new generation.\n"
"    share_by_name(enable=True, copy_threshold=None)\n"
"        send shared arrays, and views of them, through multiprocessing and\n"
"        joblib by name instead of by value.\n"
"    holders(name)\n"
"        the pids of the processes that have the array mapped.\n"
"\n"
"    The arrays returned have a SharedArray.MapOwner as their .base, with\n"
"    msync(flags), mlock(), munlock(), name, addr and size.  The segment\n"
"    is unmapped when the last array or view using it is garbage-collected.\n"
"\n"
"CONSTANTS\n"
"    MS_ASYNC, MS_SYNC, MS_INVALIDATE\n"
"        flags for MapOwner.msync(), as for msync(2).\n"
"\n"
"ERRORS\n"
"    Failures are OSError subclasses carrying errno and the array's name as\n"
"    filename: FileExistsError (create: the name is taken),\n"
"    FileNotFoundError (no such array), PermissionError, TimeoutError\n"
"    (lock, wait), OSError with\n"
"    errno EBADMSG (not a shared array, or corrupt metadata), ENOSPC (no\n"
"    room), EINVAL (bad name or mode).  Bad shapes and dtypes raise\n"
"    ValueError or TypeError before anything is created.\n"
"\n"
"EXAMPLE\n"
"    >>> import SharedArray as sa\n"
"    >>> a = sa.create('shm://test', 10)\n"
"    >>> b = sa.attach('shm://test')     # in this or any other process\n"
"    >>> a[0] = 42\n"
"    >>> b[0]\n"
"    42.0\n"
"    >>> with sa.lock(b):                # exclusive, across processes\n"
"    ...     b[1] = b[0] + 1\n"
"    >>> sa.notify(b)                    # wake the processes in sa.wait()\n"
"    >>> sa.delete('test')               # b stays valid until dropped\n"
"\n"
"SEE ALSO\n"
"    SharedArray(3), sharedarray(1), libsharedarray(3), sa_create(3),\n"
"    sharedarray(5)");

static PyMethodDef module_methods[] = {
	{ "create", (PyCFunction)(void (*)(void))sapy_create, METH_VARARGS | METH_KEYWORDS,
	  sapy_create_doc },
	{ "attach", (PyCFunction)(void (*)(void))sapy_attach, METH_VARARGS | METH_KEYWORDS,
	  sapy_attach_doc },
	{ "delete", (PyCFunction)(void (*)(void))sapy_delete, METH_VARARGS | METH_KEYWORDS,
	  sapy_delete_doc },
	{ "list", (PyCFunction)(void (*)(void))sapy_list, METH_VARARGS | METH_KEYWORDS,
	  sapy_list_doc },
	{ "stat", (PyCFunction)(void (*)(void))sapy_stat, METH_VARARGS | METH_KEYWORDS,
	  sapy_stat_doc },
	{ "lock", (PyCFunction)(void (*)(void))sapy_lock, METH_VARARGS | METH_KEYWORDS,
	  sapy_lock_doc },
	{ "notify", (PyCFunction)(void (*)(void))sapy_notify, METH_VARARGS | METH_KEYWORDS,
	  sapy_notify_doc },
	{ "wait", (PyCFunction)(void (*)(void))sapy_wait, METH_VARARGS | METH_KEYWORDS,
	  sapy_wait_doc },
	{ "generation", (PyCFunction)(void (*)(void))sapy_generation,
	  METH_VARARGS | METH_KEYWORDS, sapy_generation_doc },
	{ "holders", (PyCFunction)(void (*)(void))sapy_holders, METH_VARARGS | METH_KEYWORDS,
	  sapy_holders_doc },
	{ "_owner_of", sapy_owner_of_py, METH_O,
	  "_owner_of(obj, /)\n--\n\n"
	  "The MapOwner whose mapping holds obj's memory (TypeError if none)." },
	{ "_segment", sapy_segment_py, METH_O,
	  "_segment(owner, /)\n--\n\n"
	  "(dev, ino, data address) of the segment a MapOwner maps: its identity\n"
	  "(sa_identity(3)) and where its data starts in this process." },
	{ "_named_segment", sapy_named_segment_py, METH_O,
	  "_named_segment(name, /)\n--\n\n"
	  "(dev, ino) of the segment NAME names now, without attaching it; OSError\n"
	  "(FileNotFoundError...) naming it if there is none." },
	{ "_pwrite", sapy_pwrite_py, METH_VARARGS,
	  "_pwrite(owner, offset, data, /)\n--\n\n"
	  "Write the bytes of DATA (a C-contiguous buffer) at OFFSET of the data of\n"
	  "the array OWNER maps, through its file: sa_pwrite(3)." },
	{ "_pread", sapy_pread_py, METH_VARARGS,
	  "_pread(owner, offset, buffer, /)\n--\n\n"
	  "Fill BUFFER (writable, C-contiguous) from OFFSET of the data of the\n"
	  "array OWNER maps, through its file: sa_pread(3)." },
	{ "_pcompare", sapy_pcompare_py, METH_VARARGS,
	  "_pcompare(owner, offset, data, /)\n--\n\n"
	  "Whether the bytes of DATA (a C-contiguous buffer) are those at OFFSET of\n"
	  "the data of the array OWNER maps, read through its file: sa_pread(3)." },
	{ NULL, NULL, 0, NULL },
};

struct sapy_state *sapy_get_state(PyObject *module)
{
	return (struct sapy_state *)PyModule_GetState(module);
}

static int module_traverse(PyObject *module, visitproc visit, void *arg)
{
	Py_VISIT(sapy_get_state(module)->arraydesc_type);
	Py_VISIT(sapy_get_state(module)->size_error);
	return 0;
}

static int module_clear(PyObject *module)
{
	Py_CLEAR(sapy_get_state(module)->arraydesc_type);
	Py_CLEAR(sapy_get_state(module)->size_error);
	return 0;
}

static void module_free(void *module)
{
	module_clear(module);
}

static struct PyModuleDef module_def = {
	PyModuleDef_HEAD_INIT,
	.m_name = "SharedArray._ext",
	.m_doc = module_doc,
	.m_size = sizeof(struct sapy_state),
	.m_methods = module_methods,
	.m_traverse = module_traverse,
	.m_clear = module_clear,
	.m_free = module_free,
};

/*
 * Add VALUE (a new reference, or NULL after an error), which is always
 * consumed.  PyModule_AddObjectRef (3.10) never steals: PyModule_AddObject,
 * which steals only on success, is soft-deprecated since Python 3.13, and
 * PyModule_Add, which always steals, is 3.13 only.
 */
static int add_object(PyObject *module, const char *name, PyObject *value)
{
	int ret;

	if (!value)
		return -1;
	ret = PyModule_AddObjectRef(module, name, value);
	Py_DECREF(value);
	return ret;
}

PyMODINIT_FUNC PyInit__ext(void)
{
	PyObject *module;
	struct sapy_state *state;

	import_array();
	if (PyType_Ready(&sapy_MapOwnerType) < 0 || PyType_Ready(&sapy_LockType) < 0)
		return NULL;
	module = PyModule_Create(&module_def);
	if (!module)
		return NULL;
	state = sapy_get_state(module);
	state->arraydesc_type = sapy_arraydesc_type_new();
	state->size_error = sapy_size_error_new();
	if (!state->arraydesc_type || !state->size_error ||
	    PyModule_AddObjectRef(module, "ArrayDesc", state->arraydesc_type) < 0 ||
	    PyModule_AddObjectRef(module, "ArraySizeError", state->size_error) < 0 ||
	    PyModule_AddObjectRef(module, "MapOwner", (PyObject *)&sapy_MapOwnerType) < 0 ||
	    PyModule_AddObjectRef(module, "Lock", (PyObject *)&sapy_LockType) < 0 ||
	    PyModule_AddIntConstant(module, "MS_ASYNC", MS_ASYNC) < 0 ||
	    PyModule_AddIntConstant(module, "MS_SYNC", MS_SYNC) < 0 ||
	    PyModule_AddIntConstant(module, "MS_INVALIDATE", MS_INVALIDATE) < 0 ||
	    PyModule_AddStringConstant(module, "__version__", PACKAGE_VERSION) < 0 ||
	    add_object(module, "library_version", PyUnicode_FromString(sa_version())) < 0) {
		Py_DECREF(module);
		return NULL;
	}
	return module;
}
