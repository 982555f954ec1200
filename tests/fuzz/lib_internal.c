/*
 * lib_internal.c - the library's sources, compiled into the fuzz targets
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The functions the fuzzers drive (sa_format_decode, sa_location_parse,
 * sa_dtype_parse...) are hidden in libsharedarray.so, and the fuzzers need
 * the library instrumented for coverage and with ASan and UBSan anyway: so
 * each target compiles the library itself, from this one file.
 */
#include "attach.c"
#include "create.c"
#include "delete.c"
#include "dtype.c"
#include "exist.c"
#include "format.c"
#include "holders.c"
#include "identity.c"
#include "info.c"
#include "library.c"
#include "list.c"
#include "lock.c"
#include "name.c"
#include "notify.c"
#include "prune.c"
#include "transient.c"
