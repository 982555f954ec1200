/*
 * notify.c - sharedarray wait and notify: change notification from the shell
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * wait blocks (no CPU) until another process notifies the array, and
 * prints the generation it reached; --since makes a loop of waits miss
 * nothing in between.  notify wakes every waiter of the array.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "tool.h"

static const char wait_usage[] =
	"Usage: sharedarray wait [--timeout S] [--since GEN] NAME\n"
	"Wait until array NAME is notified (sharedarray notify, sa_notify(3)), then\n"
	"print its generation.  Exit status 3 if the timeout runs out first.\n"
	"  -t, --timeout=S   give up after S seconds (decimals allowed; 0: do not wait)\n"
	"  -s, --since=GEN   wait until the generation differs from GEN (by default,\n"
	"                    from its value now), so that a loop misses nothing:\n"
	"                      g=$(sharedarray wait NAME); while :; do\n"
	"                        g=$(sharedarray wait --since \"$g\" NAME); ...; done\n";

static const char notify_usage[] =
	"Usage: sharedarray notify NAME\n"
	"Add 1 to the generation of array NAME and wake the processes waiting on it\n"
	"(sharedarray wait, sa_wait(3)).\n";

/* Seconds, decimals allowed, as the library's milliseconds; -1 if invalid. */
static int parse_timeout(const char *text)
{
	char *end;
	double seconds = strtod(text, &end);

	if (end == text || *end || !isfinite(seconds) || seconds < 0 ||
	    seconds * 1000.0 > INT_MAX)
		return -1;
	return (int)ceil(seconds * 1000.0);
}

static int parse_generation(const char *text, unsigned long long *generation)
{
	char *end;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	*generation = strtoull(text, &end, 10);
	return (*end || errno) ? -1 : 0;
}

int cmd_wait(int argc, char **argv)
{
	static const struct option options[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long seen = 0, generation;
	bool since = false;
	int c, ret, timeout_ms = -1;
	const char *name;
	sa_array *array;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":t:s:h", options, NULL)) != -1) {
		switch (c) {
		case 't':
			timeout_ms = parse_timeout(optarg);
			if (timeout_ms < 0)
				return tool_usage_error("wait", "TIMEOUT '%s' is not a number of "
				                        "seconds from 0 to 2147483", optarg);
			break;
		case 's':
			if (parse_generation(optarg, &seen) < 0)
				return tool_usage_error("wait", "GEN '%s' is not a generation", optarg);
			since = true;
			break;
		case 'h': return tool_help(wait_usage);
		default: return tool_option_error("wait", c, argv);
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("wait", "expects one NAME");
	name = argv[optind];
	ret = sa_attach(name, SA_RDONLY, &array);
	if (ret == 0) {
		if (!since)
			seen = sa_generation(array);
		ret = sa_wait(array, seen, timeout_ms, &generation);
		sa_detach(array);
	}
	if (ret == -ETIMEDOUT)
		return EXIT_TIMEOUT;
	if (ret < 0) {
		tool_fail(name, ret);
		return EXIT_FAILURE;
	}
	printf("%llu\n", generation);
	return EXIT_SUCCESS;
}

int cmd_notify(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	sa_array *array;
	int c, ret;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'h': return tool_help(notify_usage);
		default: return tool_option_error("notify", c, argv);
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("notify", "expects one NAME");
	ret = sa_attach(argv[optind], 0, &array);
	if (ret == 0) {
		ret = sa_notify(array);
		sa_detach(array);
	}
	if (ret < 0) {
		tool_fail(argv[optind], ret);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
