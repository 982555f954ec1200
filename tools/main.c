/*
 * main.c - the sharedarray command: global options and dispatch
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char usage_text[] =
	"Usage: sharedarray COMMAND [OPTION...] [ARGUMENT...]\n"
	"List, inspect, create and delete shared arrays (libsharedarray).\n"
	"\n"
	"Commands:\n"
	"  list [-b] [--json] [DIR]     list the arrays in shared memory or in DIR,\n"
	"                               with the number of processes holding each\n"
	"  info [--json] NAME           show everything the metadata of NAME says,\n"
	"                               and the processes that hold it\n"
	"  create [--mode M] [--fortran] [--reserve] NAME SHAPE DTYPE\n"
	"                               create a zero-filled array\n"
	"  create --transient [...] NAME SHAPE DTYPE [-- COMMAND...]\n"
	"                               one removed when no process holds it, held\n"
	"                               while COMMAND runs (or until interrupted)\n"
	"  delete NAME...               delete arrays (refuses non-arrays)\n"
	"  prune [-n] [-u] [-o DURATION] [PATTERN...]\n"
	"                               remove transient arrays left by crashes (and\n"
	"                               with -u, arrays nobody holds)\n"
	"  dump [--full] NAME           print the values, as numpy does (alias: cat)\n"
	"  wait [--timeout S] [--since GEN] NAME\n"
	"                               wait until NAME is notified; print its generation\n"
	"  notify NAME                  wake the processes waiting on NAME\n"
	"\n"
	"NAME is shm://NAME, a bare NAME (shared memory) or file://PATH.\n"
	"SHAPE is like 3x4, 3,4 or (3, 4); \"\" or () makes a 0-d array.\n"
	"DTYPE is a numpy type string (<f8, |u1, <U4, <M8[ns]) or name (float64).\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this help (also after a command) and exit\n"
	"  -V, --version   show the library version and exit\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 usage error, 3 wait timed out.\n"
	"See sharedarray(1).\n";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "list", cmd_list },
	{ "info", cmd_info },
	{ "create", cmd_create },
	{ "delete", cmd_delete },
	{ "prune", cmd_prune },
	{ "dump", cmd_dump },
	{ "cat", cmd_dump },
	{ "wait", cmd_wait },
	{ "notify", cmd_notify },
};

void tool_fail(const char *name, int error)
{
	fprintf(stderr, "sharedarray: %s: %s\n", name, sa_strerror(error));
}

int tool_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sharedarray: %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'sharedarray --help')\n");
	return EXIT_USAGE;
}

int tool_option_error(const char *command, int c, char **argv)
{
	const char *option = argv[optind - 1];

	if (c == ':')
		return tool_usage_error(command, "option '%s' needs a value", option);
	if (optopt && option[0] == '-' && option[1] != '-')
		return tool_usage_error(command, "unknown option '-%c'", optopt);
	return tool_usage_error(command, "unknown option '%s'", option);
}

int tool_help(const char *usage)
{
	fputs(usage, stdout);
	return EXIT_SUCCESS;
}

/* Whether every byte of output reached its file. */
static int finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "sharedarray: standard output: write error\n");
		return EXIT_FAILURE;
	}
	return status;
}

int main(int argc, char **argv)
{
	const char *first = argc > 1 ? argv[1] : NULL;

	if (!first)
		return tool_usage_error("usage", "a COMMAND is needed");
	if (strcmp(first, "-h") == 0 || strcmp(first, "--help") == 0 ||
	    strcmp(first, "help") == 0) {
		fputs(usage_text, stdout);
		return finish_output(EXIT_SUCCESS);
	}
	if (strcmp(first, "-V") == 0 || strcmp(first, "--version") == 0) {
		printf("sharedarray (libsharedarray) %s\n", sa_version());
		return finish_output(EXIT_SUCCESS);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(first, commands[i].name) == 0)
			return finish_output(commands[i].run(argc - 1, argv + 1));
	if (first[0] == '-')
		return tool_usage_error(first, "unknown option");
	return tool_usage_error(first, "unknown command");
}
