/*
 * delete.c - sharedarray delete: remove arrays, and only arrays
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>

#include "tool.h"

static const char usage[] =
	"Usage: sharedarray delete NAME...\n"
	"Delete each array NAME.  Files that are not shared arrays are refused and\n"
	"left alone; the other names are still deleted.  Processes that have an\n"
	"array attached keep it until they detach.\n";

int cmd_delete(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, status = EXIT_SUCCESS;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'h': return tool_help(usage);
		default: return tool_option_error("delete", c, argv);
		}
	}
	if (optind == argc)
		return tool_usage_error("delete", "expects at least one NAME");
	for (int i = optind; i < argc; i++) {
		const int ret = sa_delete(argv[i]);

		if (ret < 0) {
			tool_fail(argv[i], ret);
			status = EXIT_FAILURE;
		}
	}
	return status;
}
