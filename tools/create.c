/*
 * create.c - sharedarray create: a zero-filled array from the shell
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>

#include "tool.h"

/* More than the library accepts, so that it, not we, says what is too many. */
#define SHAPE_MAX 64

static const char usage[] =
	"Usage: sharedarray create [OPTION...] NAME SHAPE DTYPE\n"
	"       sharedarray create --transient [OPTION...] NAME SHAPE DTYPE [-- COMMAND...]\n"
	"Create the zero-filled array NAME.  SHAPE: 3x4, 3,4 or (3, 4); \"\" or () for\n"
	"0-d.  DTYPE: a numpy type string (<f8, |u1, <U4, <M8[ns]) or a numpy name\n"
	"(bool, int8...int64, uint8...uint64, float16/32/64, complex64/128).\n"
	"  -m, --mode=MODE   permission bits in octal (default 0666 less the umask)\n"
	"  -F, --fortran     column-major (Fortran) order\n"
	"  -r, --reserve     allocate the memory now, so later writes cannot fail\n"
	"  -t, --transient   an array removed as soon as no process holds it; this\n"
	"                    command holds it while COMMAND runs (and exits with its\n"
	"                    status), or without COMMAND until SIGINT, SIGTERM or SIGHUP\n";

int cmd_create(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "fortran", no_argument, NULL, 'F' },
		{ "reserve", no_argument, NULL, 'r' },
		{ "transient", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t shape[SHAPE_MAX];
	unsigned flags = 0;
	mode_t mode = 0;
	sa_array *array = NULL;
	const char *name;
	int c, ndim, ret;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":m:Frth", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_mode(optarg, &mode) < 0)
				return tool_usage_error("create", "MODE '%s' is not octal 0 to 777",
				                        optarg);
			break;
		case 'F': flags |= SA_FORTRAN; break;
		case 'r': flags |= SA_RESERVE; break;
		case 't': flags |= SA_TRANSIENT; break;
		case 'h': return tool_help(usage);
		default: return tool_option_error("create", c, argv);
		}
	}
	if (argc - optind < 3 || (argc - optind > 3 && !(flags & SA_TRANSIENT)))
		return tool_usage_error("create", "expects NAME SHAPE DTYPE");
	name = argv[optind];
	if (parse_shape(argv[optind + 1], &ndim, shape, SHAPE_MAX) < 0)
		return tool_usage_error("create", "SHAPE '%s' is not like 3x4, 3,4 or ()",
		                        argv[optind + 1]);
	/* A transient array needs a holder from the start: this command. */
	ret = sa_create(name, dtype_alias(argv[optind + 2]), ndim, shape, flags, mode,
	                (flags & SA_TRANSIENT) ? &array : NULL);
	if (ret < 0) {
		tool_fail(name, ret);
		return EXIT_FAILURE;
	}
	if (array)
		return hold_transient(array, argv + optind + 3);
	return EXIT_SUCCESS;
}
