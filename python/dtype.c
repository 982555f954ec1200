/*
 * dtype.c - numpy dtypes as the library stores them, and back
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The library takes numpy's array-interface type string ("<f8", "|S10",
 * "<M8[ns]", ">i4", "|V12"), which says everything about a dtype but its
 * fields.  A structured dtype is stored as "|V<itemsize>" plus a
 * description of its fields that the library keeps without reading it.
 * This file writes that description as a Python literal: numpy's
 * list-of-tuples form (dtype.descr, as .npy files hold it) when that
 * reproduces the dtype exactly, else the dict form numpy.dtype() takes
 * (names, formats, offsets, itemsize, and titles and aligned when set).
 * Either way the text is decoded again before anything is created, so a
 * dtype that would not come back identical is refused up front.
 *
 * A description read back comes from a segment another process wrote: it
 * is parsed with ast.literal_eval (data, never code) and numpy.dtype, and
 * the result must be a structured dtype of the segment's itemsize, without
 * Python objects, whose every field lies inside its item.  Any failure,
 * whatever numpy or the parser raised, is OSError(EBADMSG).
 */
#include <errno.h>
#include <string.h>

#include "module.h"

/* How deeply nested fields and subarrays we follow. */
#define DEPTH_MAX 64

/* MODULE.FUNCTION(ARG), a new reference or NULL. */
static PyObject *call_function(const char *module, const char *function, PyObject *arg)
{
	PyObject *mod, *func, *result = NULL;

	mod = PyImport_ImportModule(module);
	if (!mod)
		return NULL;
	func = PyObject_GetAttrString(mod, function);
	Py_DECREF(mod);
	if (func) {
		result = PyObject_CallFunctionObjArgs(func, arg, NULL);
		Py_DECREF(func);
	}
	return result;
}

/* ---- dtype -> spec: the exact, comparable form --------------------------- */

static PyObject *spec_of(PyArray_Descr *descr, int depth);

/* {'names': [...], 'formats': [...], 'offsets': [...], 'itemsize': N, ...} */
static PyObject *fields_spec(PyArray_Descr *descr, int depth)
{
	PyObject *names = PyDataType_NAMES(descr), *fields = PyDataType_FIELDS(descr);
	PyObject *formats = NULL, *offsets = NULL, *titles = NULL, *list = NULL;
	PyObject *spec = NULL, *itemsize = NULL;
	Py_ssize_t n;
	int has_titles = 0;

	if (!PyTuple_Check(names) || !PyDict_Check(fields)) {
		PyErr_SetString(PyExc_TypeError, "dtype fields are not numpy's");
		return NULL;
	}
	n = PyTuple_GET_SIZE(names);
	formats = PyList_New(n);
	offsets = PyList_New(n);
	titles = PyList_New(n);
	if (!formats || !offsets || !titles)
		goto out;
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *info = PyDict_GetItemWithError(fields, PyTuple_GET_ITEM(names, i));
		PyObject *format, *title;

		if (!info || !PyTuple_Check(info) || PyTuple_GET_SIZE(info) < 2 ||
		    !PyArray_DescrCheck(PyTuple_GET_ITEM(info, 0))) {
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "dtype fields are not numpy's");
			goto out;
		}
		format = spec_of((PyArray_Descr *)PyTuple_GET_ITEM(info, 0), depth + 1);
		if (!format)
			goto out;
		PyList_SET_ITEM(formats, i, format);
		Py_INCREF(PyTuple_GET_ITEM(info, 1));
		PyList_SET_ITEM(offsets, i, PyTuple_GET_ITEM(info, 1));
		title = PyTuple_GET_SIZE(info) > 2 ? PyTuple_GET_ITEM(info, 2) : Py_None;
		has_titles |= title != Py_None;
		Py_INCREF(title);
		PyList_SET_ITEM(titles, i, title);
	}
	list = PySequence_List(names);
	itemsize = PyLong_FromSsize_t((Py_ssize_t)PyDataType_ELSIZE(descr));
	spec = PyDict_New();
	if (!list || !itemsize || !spec ||
	    PyDict_SetItemString(spec, "names", list) < 0 ||
	    PyDict_SetItemString(spec, "formats", formats) < 0 ||
	    PyDict_SetItemString(spec, "offsets", offsets) < 0 ||
	    PyDict_SetItemString(spec, "itemsize", itemsize) < 0 ||
	    (has_titles && PyDict_SetItemString(spec, "titles", titles) < 0) ||
	    (PyDataType_FLAGCHK(descr, NPY_ALIGNED_STRUCT) &&
	     PyDict_SetItemString(spec, "aligned", Py_True) < 0))
		Py_CLEAR(spec);
out:
	Py_XDECREF(formats);
	Py_XDECREF(offsets);
	Py_XDECREF(titles);
	Py_XDECREF(list);
	Py_XDECREF(itemsize);
	return spec;
}

/*
 * A literal that numpy.dtype() turns back into DESCR, and that compares
 * equal only for identical dtypes (numpy's own == ignores alignment flags).
 */
static PyObject *spec_of(PyArray_Descr *descr, int depth)
{
	if (depth > DEPTH_MAX) {
		PyErr_SetString(PyExc_ValueError, "dtype nested too deeply");
		return NULL;
	}
	if (PyDataType_HASSUBARRAY(descr)) {
		PyArray_ArrayDescr *sub = PyDataType_SUBARRAY(descr);
		PyObject *base = spec_of(sub->base, depth + 1);

		return base ? Py_BuildValue("(NO)", base, sub->shape) : NULL;
	}
	if (PyDataType_HASFIELDS(descr))
		return fields_spec(descr, depth);
	return PyObject_GetAttrString((PyObject *)descr, "str");
}

/* ---- description text -> dtype --------------------------------------------- */

/* literal_eval, then numpy: the list form as .npy readers take it, else dtype(). */
static PyArray_Descr *descr_from_text(PyObject *text)
{
	PyObject *literal, *dtype = NULL;
	PyArray_Descr *descr = NULL;

	literal = call_function("ast", "literal_eval", text);
	if (!literal)
		return NULL;
	if (PyList_Check(literal))
		dtype = call_function("numpy.lib.format", "descr_to_dtype", literal);
	else
		PyArray_DescrConverter(literal, &descr);
	Py_DECREF(literal);
	if (dtype) {
		if (PyArray_DescrCheck(dtype)) {
			descr = (PyArray_Descr *)dtype;
			dtype = NULL;
		} else {
			PyErr_SetString(PyExc_TypeError, "description is not a dtype");
		}
		Py_XDECREF(dtype);
	}
	return descr;
}

/* 1 when TEXT decodes to a dtype whose spec equals SPEC, 0 if not, -1 on error. */
static int text_reproduces(PyObject *text, PyObject *spec)
{
	PyArray_Descr *back;
	PyObject *back_spec;
	int same;

	back = descr_from_text(text);
	if (!back)
		goto fail;
	back_spec = spec_of(back, 0);
	Py_DECREF(back);
	if (!back_spec)
		goto fail;
	same = PyObject_RichCompareBool(back_spec, spec, Py_EQ);
	Py_DECREF(back_spec);
	if (same >= 0)
		return same;
fail:
	/* A form numpy cannot read back is merely not the one to use. */
	if (!PyErr_ExceptionMatches(PyExc_Exception))
		return -1;
	PyErr_Clear();
	return 0;
}

/* repr(dtype.descr) when exact, else repr(spec); NULL with TypeError if neither. */
static PyObject *description_text(PyArray_Descr *descr, PyObject *spec)
{
	PyObject *list_form, *text = NULL;
	int same;

	list_form = PyObject_GetAttrString((PyObject *)descr, "descr");
	if (list_form) {
		text = PyObject_Repr(list_form);
		Py_DECREF(list_form);
	}
	if (!text) {
		if (!PyErr_ExceptionMatches(PyExc_Exception))
			return NULL;
		PyErr_Clear();
	} else {
		same = text_reproduces(text, spec);
		if (same > 0)
			return text;
		Py_DECREF(text);
		if (same < 0)
			return NULL;
	}
	text = PyObject_Repr(spec);
	if (!text)
		return NULL;
	same = text_reproduces(text, spec);
	if (same > 0)
		return text;
	Py_DECREF(text);
	if (same == 0)
		PyErr_Format(PyExc_TypeError,
		             "SharedArray: dtype %R cannot be described exactly to other "
		             "processes (field titles or names that are not plain literals?)",
		             (PyObject *)descr);
	return NULL;
}

/* ---- the API of this file ---------------------------------------------------- */

/*
 * numpy 2's StringDType ("T") keeps each string in an arena on the heap of
 * the process that wrote it; the array's memory holds only references into
 * that arena, which mean nothing in another process.  Its flags say "holds
 * references" too, but not to Python objects: say what is really wrong.
 * numpy 1 has no such dtype.  Other dtypes of numpy 2's new dtype API
 * (type numbers from NPY_VSTRING on, not "legacy") have no type string
 * that another process could read back either.
 */
static int refuse_new_style(PyArray_Descr *d)
{
#if NPY_ABI_VERSION >= 0x02000000
	if (d->type_num == NPY_VSTRING) {
		PyErr_Format(PyExc_TypeError,
		             "SharedArray: dtype %R (numpy.dtypes.StringDType, 'T') keeps "
		             "its strings outside the array's memory, on the heap of the "
		             "process that writes them: it cannot be shared; use a "
		             "fixed-width 'U' or 'S' dtype", (PyObject *)d);
		return -1;
	}
	if (!PyDataType_ISLEGACY(d)) {
		PyErr_Format(PyExc_TypeError,
		             "SharedArray: dtype %R has no array-interface type string that "
		             "other processes could read back: it cannot be shared",
		             (PyObject *)d);
		return -1;
	}
#else
	(void)d;
#endif
	return 0;
}

int sapy_dtype_prepare(PyArray_Descr **descr)
{
	PyArray_Descr *d = *descr, *sized = NULL;
	PyObject *typestr, *prefix, *text;

	if (refuse_new_style(d) < 0)
		return -1;
	if (PyDataType_REFCHK(d)) {
		PyErr_Format(PyExc_TypeError,
		             "SharedArray: dtype %R holds Python objects, whose pointers mean "
		             "nothing in another process: it cannot be shared", (PyObject *)d);
		return -1;
	}
	if (PyDataType_HASFIELDS(d) && d->type_num != NPY_VOID) {
		PyErr_Format(PyExc_TypeError,
		             "SharedArray: dtype %R has fields over a non-void base type",
		             (PyObject *)d);
		return -1;
	}
	if (PyDataType_ELSIZE(d) != 0)
		return 0;
	if (d->type_num != NPY_STRING && d->type_num != NPY_UNICODE) {
		PyErr_Format(PyExc_ValueError, "SharedArray: dtype %R has zero-size items",
		             (PyObject *)d);
		return -1;
	}
	/* numpy.zeros makes an unsized "S"/"U" one character long: "|S0" -> "|S1". */
	typestr = PyObject_GetAttrString((PyObject *)d, "str");
	if (!typestr)
		return -1;
	prefix = PyUnicode_Substring(typestr, 0, PyUnicode_GetLength(typestr) - 1);
	Py_DECREF(typestr);
	if (!prefix)
		return -1;
	text = PyUnicode_FromFormat("%U1", prefix);
	Py_DECREF(prefix);
	if (!text)
		return -1;
	PyArray_DescrConverter(text, &sized);
	Py_DECREF(text);
	if (!sized)
		return -1;
	Py_DECREF(d);
	*descr = sized;
	return 0;
}

int sapy_dtype_encode(PyArray_Descr *descr, PyObject **typestr, PyObject **description)
{
	PyObject *str, *spec, *text;

	*typestr = *description = NULL;
	str = PyObject_GetAttrString((PyObject *)descr, "str");
	if (!str)
		return -1;
	*typestr = PyUnicode_AsASCIIString(str);
	Py_DECREF(str);
	if (!*typestr)
		return -1;
	if (!PyDataType_HASFIELDS(descr))
		return 0;
	spec = spec_of(descr, 0);
	if (!spec)
		goto fail;
	text = description_text(descr, spec);
	Py_DECREF(spec);
	if (!text)
		goto fail;
	*description = PyUnicode_AsUTF8String(text);
	Py_DECREF(text);
	if (*description)
		return 0;
fail:
	Py_CLEAR(*typestr);
	return -1;
}

/*
 * Whether every field of DESCR lies inside its item, all the way down.
 * numpy checks this too; a segment's description is worth a second look.
 */
static int fields_in_bounds(PyArray_Descr *descr, int depth)
{
	const Py_ssize_t itemsize = (Py_ssize_t)PyDataType_ELSIZE(descr);
	PyObject *key, *info;
	Py_ssize_t pos = 0;

	if (depth > DEPTH_MAX)
		return 0;
	if (PyDataType_HASSUBARRAY(descr)) {
		PyArray_Descr *base = PyDataType_SUBARRAY(descr)->base;

		return (Py_ssize_t)PyDataType_ELSIZE(base) <= itemsize &&
		       fields_in_bounds(base, depth + 1);
	}
	if (!PyDataType_HASFIELDS(descr))
		return 1;
	if (!PyDict_Check(PyDataType_FIELDS(descr)))
		return 0;
	while (PyDict_Next(PyDataType_FIELDS(descr), &pos, &key, &info)) {
		PyArray_Descr *field;
		Py_ssize_t offset;

		if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) < 2 ||
		    !PyArray_DescrCheck(PyTuple_GET_ITEM(info, 0)) ||
		    !PyLong_Check(PyTuple_GET_ITEM(info, 1)))
			return 0;
		field = (PyArray_Descr *)PyTuple_GET_ITEM(info, 0);
		offset = PyLong_AsSsize_t(PyTuple_GET_ITEM(info, 1));
		if (offset < 0 || offset > itemsize ||
		    (Py_ssize_t)PyDataType_ELSIZE(field) > itemsize - offset ||
		    !fields_in_bounds(field, depth + 1)) {
			PyErr_Clear();
			return 0;
		}
	}
	return 1;
}

static PyArray_Descr *structured_from_description(const char *description,
                                                  size_t itemsize)
{
	PyArray_Descr *descr;
	PyObject *text;

	text = PyUnicode_DecodeUTF8(description, (Py_ssize_t)strlen(description), "strict");
	if (!text)
		return NULL;
	descr = descr_from_text(text);
	Py_DECREF(text);
	if (!descr)
		return NULL;
	if (!PyDataType_HASFIELDS(descr) || descr->type_num != NPY_VOID ||
	    PyDataType_REFCHK(descr) || (size_t)PyDataType_ELSIZE(descr) != itemsize ||
	    !fields_in_bounds(descr, 0)) {
		Py_DECREF(descr);
		PyErr_SetString(PyExc_ValueError, "description does not fit the array");
		return NULL;
	}
	return descr;
}

static PyArray_Descr *from_typestr(const char *typestr, size_t itemsize)
{
	PyArray_Descr *descr = NULL;
	PyObject *text;

	text = PyUnicode_FromString(typestr);
	if (!text)
		return NULL;
	PyArray_DescrConverter(text, &descr);
	Py_DECREF(text);
	if (descr && (PyDataType_REFCHK(descr) ||
	              (size_t)PyDataType_ELSIZE(descr) != itemsize)) {
		Py_DECREF(descr);
		PyErr_SetString(PyExc_ValueError, "type string does not fit the array");
		return NULL;
	}
	return descr;
}

PyArray_Descr *sapy_dtype_decode(const char *typestr, const char *description,
                                 size_t itemsize, int structured, PyObject *name)
{
	PyArray_Descr *descr;

	if (description && structured)
		descr = structured_from_description(description, itemsize);
	else
		descr = from_typestr(typestr, itemsize);
	if (descr)
		return descr;
	/*
	 * Whatever a crafted description made the parser or numpy raise
	 * (SyntaxError, ValueError, RecursionError, MemoryError...), the array
	 * is one we cannot read.  KeyboardInterrupt and the like pass through.
	 */
	if (PyErr_ExceptionMatches(PyExc_Exception)) {
		PyErr_Clear();
		sapy_raise(-EBADMSG, name);
	}
	return NULL;
}
