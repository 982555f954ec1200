/*
 * timeout.c - timeouts in seconds, as Python gives them, for the library's
 * waits in milliseconds
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A wait that a signal interrupts is retried with what is left of its
 * timeout (PEP 475), so the timeout becomes a deadline on CLOCK_MONOTONIC
 * once, and each try waits until it.
 */
#include <limits.h>
#include <math.h>
#include <time.h>

#include "module.h"

int sapy_timeout_convert(PyObject *obj, double fallback, double *seconds)
{
	if (obj == Py_None) {
		*seconds = fallback;
		return 0;
	}
	*seconds = PyFloat_AsDouble(obj);
	if (*seconds == -1.0 && PyErr_Occurred())
		return -1;
	if (isnan(*seconds)) {
		PyErr_SetString(PyExc_ValueError, "timeout must be a number, not NaN");
		return -1;
	}
	/* The library counts milliseconds in an int: some 24 days. */
	if (*seconds * 1000.0 > INT_MAX) {
		PyErr_SetString(PyExc_OverflowError, "timeout value is too large");
		return -1;
	}
	if (*seconds < 0)
		*seconds = -1;
	return 0;
}

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double sapy_deadline(double seconds)
{
	return seconds < 0 ? -1 : monotonic() + seconds;
}

int sapy_timeout_ms(double deadline)
{
	double left;

	if (deadline < 0)
		return -1;
	left = deadline - monotonic();
	return left <= 0 ? 0 : (int)ceil(left * 1000.0);
}
