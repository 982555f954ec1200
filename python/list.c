/*
 * list.c - SharedArray.list(), SharedArray.stat() and their ArrayDesc entries
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An ArrayDesc is the original's struct sequence: (name, dtype, dims), so
 * "name, dtype, dims = entry" works as it always did.  Everything else the
 * library knows about an array is there too, as named-only fields.
 */
#include <errno.h>

#include "module.h"

static PyStructSequence_Field arraydesc_fields[] = {
	{ "name", "the array's name (bytes): the entry of the listed directory, or as "
	          "given to stat()" },
	{ "dtype", "the numpy scalar type of its elements (numpy.float64...)" },
	{ "dims", "its shape (tuple of ints)" },
	{ "full_dtype", "its numpy.dtype, with byte order, string length, datetime unit "
	                "and structured fields" },
	{ "typestr", "the array-interface type string the segment records (str)" },
	{ "itemsize", "bytes per element" },
	{ "nbytes", "bytes of data" },
	{ "size", "bytes of data (as nbytes)" },
	{ "segment_size", "bytes of the whole segment, data and metadata (as MapOwner.size)" },
	{ "order", "'C' (row-major) or 'F' (column-major)" },
	{ "mode", "permission bits of the segment (int)" },
	{ "uid", "owner user id" },
	{ "gid", "owner group id" },
	{ "mtime", "last modification, in seconds since the Epoch (int)" },
	{ "format", "0: SharedArray 3.x layout; 1: with libsharedarray's extension "
	            "record (order, type string, fields)" },
	{ "transient", "True for a transient array, removed as soon as no process "
	               "holds it (create(..., transient=True))" },
	{ NULL, NULL },
};

static PyStructSequence_Desc arraydesc_desc = {
	"SharedArray.ArrayDesc",
	"Description of a shared array, as list() and stat() return it.\n"
	"\n"
	"A struct sequence: the first three fields, name, dtype and dims, unpack\n"
	"as in SharedArray 3.x (\"name, dtype, dims = entry\"); the others are\n"
	"named attributes only.",
	arraydesc_fields,
	3,
};

PyObject *sapy_arraydesc_type_new(void)
{
	return (PyObject *)PyStructSequence_NewType(&arraydesc_desc);
}

static PyObject *dims_tuple(const sa_info *info)
{
	const int ndim = sa_info_ndim(info);
	const size_t *shape = sa_info_shape(info);
	PyObject *dims = PyTuple_New(ndim);

	for (int i = 0; dims && i < ndim; i++) {
		PyObject *dim = PyLong_FromSize_t(shape[i]);

		if (!dim)
			Py_CLEAR(dims);
		else
			PyTuple_SET_ITEM(dims, i, dim);
	}
	return dims;
}

/*
 * The dtype INFO describes.  STRICT (stat): a description that does not
 * decode raises OSError(EBADMSG).  Not strict (list): one bad array must
 * not hide the others; it is listed with its plain void dtype.
 */
static PyArray_Descr *entry_dtype(const sa_info *info, PyObject *name, int strict)
{
	PyArray_Descr *descr;

	descr = sapy_dtype_decode(sa_info_dtype(info), sa_info_descr(info),
	                          sa_info_itemsize(info), 1, name);
	if (descr || strict || !PyErr_ExceptionMatches(PyExc_OSError))
		return descr;
	PyErr_Clear();
	return sapy_dtype_decode(sa_info_dtype(info), NULL, sa_info_itemsize(info), 0, name);
}

static PyObject *entry_new(PyObject *type, const sa_info *info, PyObject *error_name,
                           int strict)
{
	const char order = sa_info_order(info);
	PyArray_Descr *descr;
	PyObject *entry, *values[16];
	const int count = (int)(sizeof(values) / sizeof(values[0]));

	descr = entry_dtype(info, error_name, strict);
	if (!descr)
		return NULL;
	entry = PyStructSequence_New((PyTypeObject *)type);
	if (!entry) {
		Py_DECREF(descr);
		return NULL;
	}
	values[0] = PyBytes_FromString(sa_info_name(info));
	values[1] = (PyObject *)descr->typeobj;
	Py_INCREF(values[1]);
	values[2] = dims_tuple(info);
	values[3] = (PyObject *)descr;  /* the entry takes our reference */
	values[4] = PyUnicode_FromString(sa_info_dtype(info));
	values[5] = PyLong_FromSize_t(sa_info_itemsize(info));
	values[6] = PyLong_FromSize_t(sa_info_nbytes(info));
	values[7] = PyLong_FromSize_t(sa_info_nbytes(info));
	values[8] = PyLong_FromSize_t(sa_info_segment_size(info));
	values[9] = PyUnicode_FromStringAndSize(&order, 1);
	values[10] = PyLong_FromUnsignedLong((unsigned long)sa_info_mode(info));
	values[11] = PyLong_FromUnsignedLong((unsigned long)sa_info_uid(info));
	values[12] = PyLong_FromUnsignedLong((unsigned long)sa_info_gid(info));
	values[13] = PyLong_FromLongLong(sa_info_mtime(info));
	values[14] = PyLong_FromLong(sa_info_format(info));
	values[15] = PyBool_FromLong(sa_info_transient(info) == 1);
	for (int i = 0; i < count; i++) {
		if (!values[i]) {
			for (int j = i + 1; j < count; j++)
				Py_XDECREF(values[j]);
			Py_DECREF(entry);
			return NULL;
		}
		PyStructSequence_SetItem(entry, i, values[i]);
	}
	return entry;
}

const char sapy_list_doc[] =
"list($module, /, directory=None)\n--\n\n"
"List the shared arrays: a tuple of SharedArray.ArrayDesc, sorted by name.\n"
"\n"
"Without DIRECTORY, the arrays in POSIX shared memory (/dev/shm), whose\n"
"names attach as they are.  With DIRECTORY ('/path' or 'file:///path'),\n"
"the file:// arrays kept there; an entry's name is its file name, which\n"
"attaches as 'file://DIRECTORY/NAME'.  Files that are not shared arrays are\n"
"skipped.  Each entry unpacks as in SharedArray 3.x:\n"
"\n"
"    for name, dtype, dims in SharedArray.list(): ...\n"
"\n"
"and has further named fields: full_dtype, typestr, itemsize, nbytes, size,\n"
"segment_size, order, mode, uid, gid, mtime, format, transient.  Arrays are\n"
"read, never mapped.  An array whose field description is unreadable is\n"
"listed with its plain void dtype.  A transient array whose holders are all\n"
"gone is not listed: it is removed, when this process may.\n"
"\n"
"Raises FileNotFoundError if DIRECTORY does not exist, and OSError for\n"
"other failures.  The GIL is released while the directory is read.";

PyObject *sapy_list(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "directory", NULL };
	PyObject *type = sapy_get_state(module)->arraydesc_type;
	PyObject *directory = Py_None, *dir_bytes = NULL, *result = NULL;
	sa_info **infos = NULL;
	int count;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:list", kwlist, &directory))
		return NULL;
	if (directory != Py_None && !PyUnicode_FSConverter(directory, &dir_bytes))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	count = sa_list(dir_bytes ? PyBytes_AS_STRING(dir_bytes) : NULL, &infos);
	Py_END_ALLOW_THREADS
	Py_XDECREF(dir_bytes);
	if (count < 0)
		return sapy_raise(count, directory == Py_None ? NULL : directory);
	result = PyTuple_New(count);
	for (int i = 0; result && i < count; i++) {
		PyObject *name = PyUnicode_DecodeFSDefault(sa_info_name(infos[i]));
		PyObject *entry = name ? entry_new(type, infos[i], name, 0) : NULL;

		Py_XDECREF(name);
		if (!entry)
			Py_CLEAR(result);
		else
			PyTuple_SET_ITEM(result, i, entry);
	}
	sa_list_free(infos);
	return result;
}

const char sapy_stat_doc[] =
"stat($module, /, name)\n--\n\n"
"Describe the array NAME without attaching it: a SharedArray.ArrayDesc, as\n"
"list() gives, whose name field is NAME (bytes).\n"
"\n"
"Raises FileNotFoundError if there is no such array (a transient array\n"
"whose holders are all gone is none: it is removed, when this process may),\n"
"OSError(EBADMSG) if\n"
"NAME is not a shared array or its metadata (fields included) is corrupt,\n"
"and OSError for other failures, with the name as its filename.  The GIL is\n"
"released while the metadata is read.";

PyObject *sapy_stat(PyObject *module, PyObject *args, PyObject *kwds)
{
	static char *kwlist[] = { "name", NULL };
	PyObject *type = sapy_get_state(module)->arraydesc_type;
	PyObject *name, *name_bytes, *entry;
	sa_info *info;
	int ret;

	if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:stat", kwlist, &name))
		return NULL;
	if (!PyUnicode_FSConverter(name, &name_bytes))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	ret = sa_stat(PyBytes_AS_STRING(name_bytes), &info);
	Py_END_ALLOW_THREADS
	Py_DECREF(name_bytes);
	if (ret < 0)
		return sapy_raise(ret, name);
	entry = entry_new(type, info, name, 1);
	sa_info_free(info);
	return entry;
}
