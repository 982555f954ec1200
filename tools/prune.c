/*
 * prune.c - sharedarray prune: remove the arrays nobody holds
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The library decides what may go (sa_prune(3)); this file turns PATTERNs
 * into directories and globs, and prints what went.  The systemd timer
 * sharedarray-prune.timer runs it hourly, without options: transient
 * arrays left behind by crashes, the kind that is always safe to remove.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"Usage: sharedarray prune [OPTION...] [PATTERN...]\n"
	"Remove the transient arrays whose holders are all gone (left behind by\n"
	"crashes); print each one removed and the total.  PATTERN is a shell glob on\n"
	"names: NAME or shm://NAME in shared memory, file:///DIR/NAME in DIR (the\n"
	"directory itself taken as it is); without PATTERN, all of shared memory.\n"
	"  -n, --dry-run               print what would be removed, remove nothing\n"
	"  -u, --unattached            also ordinary arrays that no process holds\n"
	"                              (needs to see every process: run as root)\n"
	"  -o, --older-than=DURATION   only arrays last modified at least DURATION\n"
	"                              ago: 90s, 30m, 2h, 7d (needed with --unattached)\n";

/* Where a group of patterns looks: a directory and its globs. */
struct group {
	char *dir;                /* NULL: shared memory */
	const char **globs;       /* NULL-terminated */
	size_t count;
};

struct options {
	unsigned flags;
	long long older_than;
	unsigned long long total_bytes;
	int total;
};

/* "30m", "2h", "7d", "90s", "90": seconds, or -1. */
static long long parse_duration(const char *text)
{
	static const struct { char unit; long long seconds; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 },
	};
	long long value = 0;
	const char *p = text;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (value > (INT64_MAX - 9) / 10)
			return -1;
		value = value * 10 + (*p - '0');
	}
	if (*p == '\0')
		return value;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (p[0] == units[i].unit && p[1] == '\0')
			return value > INT64_MAX / units[i].seconds ? -1 : value * units[i].seconds;
	return -1;
}

/* "45s", "12m", "3h", "9d": the largest whole unit. */
static void text_age(struct sbuf *b, long long seconds)
{
	if (seconds < 0)
		seconds = 0;
	if (seconds < 120)
		sb_printf(b, "%llds", seconds);
	else if (seconds < 2 * 3600)
		sb_printf(b, "%lldm", seconds / 60);
	else if (seconds < 2 * 86400)
		sb_printf(b, "%lldh", seconds / 3600);
	else
		sb_printf(b, "%lldd", seconds / 86400);
}

/* The group of PATTERN (created if new), or -1 after a usage message. */
static int add_pattern(struct group **groups, size_t *ngroups, const char *pattern)
{
	const char *glob = pattern, *slash;
	char *dir = NULL;
	struct group *g = NULL;

	if (strncmp(pattern, "file://", 7) == 0) {
		slash = strrchr(pattern + 7, '/');
		if (!slash || !slash[1]) {
			tool_usage_error("prune", "PATTERN '%s' is not file:///DIR/GLOB", pattern);
			return -1;
		}
		dir = strndup(pattern, (size_t)(slash == pattern + 7 ? 8 : slash - pattern));
		glob = slash + 1;
	} else {
		if (strncmp(pattern, "shm://", 6) == 0)
			glob = pattern + 6;
		if (!*glob || strchr(glob, '/')) {
			tool_usage_error("prune", "PATTERN '%s': a shared memory name has no '/' "
			                 "(file:///DIR/GLOB for files)", pattern);
			return -1;
		}
	}
	for (size_t i = 0; i < *ngroups && !g; i++)
		if ((!dir && !(*groups)[i].dir) ||
		    (dir && (*groups)[i].dir && strcmp(dir, (*groups)[i].dir) == 0))
			g = &(*groups)[i];
	if (g) {
		free(dir);
	} else {
		*groups = realloc(*groups, (*ngroups + 1) * sizeof(**groups));
		if (!*groups)
			exit(EXIT_FAILURE);
		g = &(*groups)[(*ngroups)++];
		*g = (struct group){ dir, NULL, 0 };
	}
	g->globs = realloc(g->globs, (g->count + 2) * sizeof(*g->globs));
	if (!g->globs)
		exit(EXIT_FAILURE);
	g->globs[g->count++] = glob;
	g->globs[g->count] = NULL;
	return 0;
}

static void report(const char *dir, sa_info **removed, int count, struct options *o)
{
	const long long now = (long long)time(NULL);
	struct sbuf line = { 0 };

	for (int i = 0; i < count; i++) {
		sb_reset(&line);
		sb_puts(&line, (o->flags & SA_PRUNE_DRY_RUN) ? "would remove " : "removed ");
		text_entry_uri(&line, dir, sa_info_name(removed[i]));
		sb_puts(&line, ": ");
		text_human_size(&line, sa_info_nbytes(removed[i]));
		sb_puts(&line, ", ");
		text_age(&line, now - sa_info_mtime(removed[i]));
		sb_puts(&line, sa_info_transient(removed[i]) == 1
		               ? " old, transient, no holder left" : " old, unattached");
		puts(line.s);
		o->total_bytes += sa_info_nbytes(removed[i]);
	}
	o->total += count;
	sb_free(&line);
}

static int prune_group(const struct group *g, struct options *o)
{
	sa_info **removed;
	int count;

	count = sa_prune(g->dir, g->globs, o->flags, o->older_than, &removed);
	if (count == -EPERM && (o->flags & SA_PRUNE_UNATTACHED)) {
		fprintf(stderr, "sharedarray: prune: --unattached: the mappings of some "
		        "processes cannot be read%s, and a holder could hide there: nothing "
		        "removed in %s\n", geteuid() == 0 ? "" : " (run as root)",
		        g->dir ? g->dir : "shm://");
		return EXIT_FAILURE;
	}
	if (count < 0) {
		tool_fail(g->dir ? g->dir : "shm://", count);
		return EXIT_FAILURE;
	}
	report(g->dir, removed, count, o);
	sa_list_free(removed);
	return EXIT_SUCCESS;
}

int cmd_prune(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "unattached", no_argument, NULL, 'u' },
		{ "older-than", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { 0, 0, 0, 0 };
	struct group *groups = NULL, all = { NULL, NULL, 0 };
	struct sbuf total = { 0 };
	bool aged = false;
	size_t ngroups = 0;
	int c, status = EXIT_SUCCESS;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":nuo:h", options, NULL)) != -1) {
		switch (c) {
		case 'n': o.flags |= SA_PRUNE_DRY_RUN; break;
		case 'u': o.flags |= SA_PRUNE_UNATTACHED; break;
		case 'o':
			o.older_than = parse_duration(optarg);
			if (o.older_than < 0)
				return tool_usage_error("prune", "DURATION '%s' is not like 30m, 2h "
				                        "or 7d", optarg);
			aged = true;
			break;
		case 'h': return tool_help(usage);
		default: return tool_option_error("prune", c, argv);
		}
	}
	/* Removing what nobody holds right now, however young, would be a trap. */
	if ((o.flags & SA_PRUNE_UNATTACHED) && !aged)
		return tool_usage_error("prune", "--unattached needs --older-than DURATION");
	for (int i = optind; i < argc; i++)
		if (add_pattern(&groups, &ngroups, argv[i]) < 0)
			return EXIT_USAGE;
	if (ngroups == 0)
		status = prune_group(&all, &o);
	for (size_t i = 0; i < ngroups; i++) {
		if (prune_group(&groups[i], &o) != EXIT_SUCCESS)
			status = EXIT_FAILURE;
		free(groups[i].dir);
		free(groups[i].globs);
	}
	free(groups);
	text_human_size(&total, o.total_bytes);
	printf("%s %d array%s, %s in all\n",
	       (o.flags & SA_PRUNE_DRY_RUN) ? "would remove" : "removed", o.total,
	       o.total == 1 ? "" : "s", total.s);
	sb_free(&total);
	return status;
}
