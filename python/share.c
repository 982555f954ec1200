/*
 * share.c - what sending an array by name needs from the library
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * SharedArray.share_by_name() (SharedArray/_share.py) sends a view of a
 * shared array as its mapping's name and the segment's identity (device
 * and inode number, sa_identity(3)); the receiver attaches the name and
 * checks that it reached the same segment.  A name can be deleted and
 * given to another array in between: the identity is what tells them apart,
 * so that a receiver never gets another array's data.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"

/* (dev, ino) as Python ints. */
static PyObject *identity_tuple(dev_t dev, ino_t ino)
{
	return Py_BuildValue("(KK)", (unsigned long long)dev, (unsigned long long)ino);
}

PyObject *sapy_segment_py(PyObject *module, PyObject *owner)
{
	sa_array *array;
	dev_t dev;
	ino_t ino;

	(void)module;
	if (!PyObject_TypeCheck(owner, &sapy_MapOwnerType)) {
		PyErr_Format(PyExc_TypeError, "_segment() takes a SharedArray.MapOwner, not %.200s",
		             Py_TYPE(owner)->tp_name);
		return NULL;
	}
	array = sapy_mapowner_handle(owner);
	sa_identity(array, &dev, &ino);
	return Py_BuildValue("(KKK)", (unsigned long long)dev, (unsigned long long)ino,
	                     (unsigned long long)(uintptr_t)sa_data(array));
}

PyObject *sapy_named_segment_py(PyObject *module, PyObject *name)
{
	PyObject *result;
	sa_info *info;

	(void)module;
	if (sapy_stat_name(name, &info) < 0)
		return NULL;
	result = identity_tuple(sa_info_dev(info), sa_info_ino(info));
	sa_info_free(info);
	return result;
}

/*
 * _pwrite(owner, offset, data) and _pread(owner, offset, buffer): the
 * bytes of a C-contiguous buffer into, or out of, the data of the array
 * OWNER maps, through its file (sa_pwrite(3)), the GIL released.
 */
static PyObject *transfer(PyObject *args, const char *format, int writing)
{
	PyObject *owner, *name, *result = NULL;
	Py_ssize_t offset;
	Py_buffer buf;
	sa_array *array;
	int ret;

	if (!PyArg_ParseTuple(args, format, &sapy_MapOwnerType, &owner, &offset, &buf))
		return NULL;
	array = sapy_mapowner_handle(owner);
	if (offset < 0) {
		PyErr_SetString(PyExc_ValueError, "negative offset");
		goto out;
	}
	Py_BEGIN_ALLOW_THREADS
	if (writing)
		ret = sa_pwrite(array, buf.buf, (size_t)buf.len, (size_t)offset);
	else
		ret = sa_pread(array, buf.buf, (size_t)buf.len, (size_t)offset);
	Py_END_ALLOW_THREADS
	if (ret < 0) {
		name = PyUnicode_DecodeFSDefault(sa_name(array));
		sapy_raise(ret, name);
		Py_XDECREF(name);
		goto out;
	}
	result = Py_NewRef(Py_None);
out:
	PyBuffer_Release(&buf);
	return result;
}

PyObject *sapy_pwrite_py(PyObject *module, PyObject *args)
{
	(void)module;
	return transfer(args, "O!ny*:_pwrite", 1);
}

PyObject *sapy_pread_py(PyObject *module, PyObject *args)
{
	(void)module;
	return transfer(args, "O!nw*:_pread", 0);
}

/*
 * Whether the bytes at OFFSET of ARRAY's data equal the LEN bytes at DATA,
 * read through the file a cache-sized piece at a time: 1, 0, or a negative
 * errno.
 */
static int same_bytes(sa_array *array, size_t offset, const char *data, size_t len)
{
	enum { PIECE = 256 * 1024 };
	char *piece = malloc(PIECE);
	int ret = 1;

	if (!piece)
		return -ENOMEM;
	for (size_t done = 0; done < len && ret == 1; done += PIECE) {
		const size_t n = len - done < PIECE ? len - done : PIECE;

		ret = sa_pread(array, piece, n, offset + done);
		if (ret == 0)
			ret = memcmp(piece, data + done, n) == 0;
	}
	free(piece);
	return ret;
}

PyObject *sapy_pcompare_py(PyObject *module, PyObject *args)
{
	PyObject *owner, *name;
	Py_ssize_t offset;
	Py_buffer buf;
	sa_array *array;
	int ret;

	(void)module;
	if (!PyArg_ParseTuple(args, "O!ny*:_pcompare", &sapy_MapOwnerType, &owner, &offset, &buf))
		return NULL;
	array = sapy_mapowner_handle(owner);
	if (offset < 0) {
		PyBuffer_Release(&buf);
		PyErr_SetString(PyExc_ValueError, "negative offset");
		return NULL;
	}
	Py_BEGIN_ALLOW_THREADS
	ret = same_bytes(array, (size_t)offset, buf.buf, (size_t)buf.len);
	Py_END_ALLOW_THREADS
	PyBuffer_Release(&buf);
	if (ret < 0) {
		name = PyUnicode_DecodeFSDefault(sa_name(array));
		sapy_raise(ret, name);
		Py_XDECREF(name);
		return NULL;
	}
	return PyBool_FromLong(ret);
}
