/*
 * info.c - sharedarray info: one array's metadata, without mapping its data
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"Usage: sharedarray info [--json] NAME\n"
	"Show everything the metadata of array NAME says (its data is not read),\n"
	"its generation (sharedarray notify), whether its lock is held now, and the\n"
	"processes that hold it (as far as /proc lets us see).\n"
	"  -j, --json    one JSON object, for scripts\n";

/* What is live about an array, not metadata: read when info runs. */
struct live {
	const char *lock;     /* "free", "shared", "exclusive"; NULL if unknown */
	int lock_error;
	int holders;          /* < 0: unknown (no /proc) */
	pid_t *pids;
	char (*comm)[64];     /* the holders' command names */
};

/* What the lock's state is called in the report and in JSON; NULL if unknown. */
static const char *lock_state(const char *name, int *error)
{
	unsigned how;
	const int ret = sa_lock_query(name, &how);

	*error = ret < 0 ? ret : 0;
	if (ret < 0)
		return NULL;
	if (ret == 0)
		return "free";
	return how == SA_LOCK_EXCLUSIVE ? "exclusive" : "shared";
}

/* The command name of PID (proc(5): /proc/PID/comm), or "?" if it is gone. */
static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "?");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static struct live read_live(const char *name)
{
	struct live l = { NULL, 0, 0, NULL, NULL };

	l.lock = lock_state(name, &l.lock_error);
	l.holders = sa_holders(name, &l.pids);
	if (l.holders <= 0)
		return l;
	l.comm = calloc((size_t)l.holders, sizeof(*l.comm));
	if (!l.comm) {
		fputs("sharedarray: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	for (int i = 0; i < l.holders; i++)
		read_comm(l.pids[i], l.comm[i], sizeof(l.comm[i]));
	return l;
}

static void field(const char *label, const char *value)
{
	printf("%-14s%s\n", label, value);
}

static void print_report(const sa_info *info, const struct live *l)
{
	unsigned long long generation;
	struct sbuf v = { 0 };
	const int format = sa_info_format(info);
	const char *descr = sa_info_descr(info);

#define FIELD(label, ...) do { sb_reset(&v); __VA_ARGS__; field(label, v.s); } while (0)
	FIELD("name:", text_escape(&v, sa_info_name(info)));
	FIELD("dtype:", text_escape(&v, sa_info_dtype(info)));
	FIELD("shape:", text_shape_tuple(&v, sa_info_ndim(info), sa_info_shape(info)));
	FIELD("ndim:", sb_printf(&v, "%d", sa_info_ndim(info)));
	FIELD("order:", sb_puts(&v, sa_info_order(info) == 'F' ? "F (Fortran, column-major)"
	                                                         : "C (row-major)"));
	FIELD("itemsize:", sb_printf(&v, "%zu", sa_info_itemsize(info)));
	FIELD("nbytes:", sb_printf(&v, "%zu (", sa_info_nbytes(info));
	      text_human_size(&v, sa_info_nbytes(info)); sb_putc(&v, ')'));
	FIELD("segment size:", sb_printf(&v, "%zu (", sa_info_segment_size(info));
	      text_human_size(&v, sa_info_segment_size(info)); sb_putc(&v, ')'));
	FIELD("typenum:", sb_printf(&v, "%d", sa_info_typenum(info)));
	FIELD("format:", sb_printf(&v, "%d (%s)", format,
	                           format ? "libsharedarray extension record"
	                                  : "original SharedArray layout"));
	if (descr)
		FIELD("descr:", text_escape(&v, descr));
	FIELD("mode:", sb_printf(&v, "%04o (", (unsigned)sa_info_mode(info));
	      text_mode(&v, sa_info_mode(info)); sb_putc(&v, ')'));
	FIELD("owner:", text_user(&v, sa_info_uid(info));
	      sb_printf(&v, " (%lu)", (unsigned long)sa_info_uid(info)));
	FIELD("group:", text_group(&v, sa_info_gid(info));
	      sb_printf(&v, " (%lu)", (unsigned long)sa_info_gid(info)));
	FIELD("modified:", text_time(&v, sa_info_mtime(info), true));
	if (sa_info_generation(info, &generation) == 0)
		FIELD("generation:", sb_printf(&v, "%llu", generation));
	else
		FIELD("generation:", sb_puts(&v, "none (no room for a counter in this segment)"));
	if (l->lock)
		FIELD("lock:", sb_printf(&v, "%s%s", strcmp(l->lock, "free") ? "held " : "", l->lock));
	else
		FIELD("lock:", sb_printf(&v, "unknown (%s)", sa_strerror(l->lock_error)));
	FIELD("transient:", sb_puts(&v, sa_info_transient(info) == 1
	                                ? "yes (removed when no process holds it)" : "no"));
	if (l->holders < 0)
		FIELD("holders:", sb_puts(&v, "unknown (no /proc)"));
	else
		FIELD("holders:", sb_printf(&v, "%d", l->holders));
	for (int i = 0; i < l->holders; i++)
		FIELD("", sb_printf(&v, "%8d  ", (int)l->pids[i]); text_escape(&v, l->comm[i]));
#undef FIELD
	sb_free(&v);
}

static void print_json(const sa_info *info, const char *name, const struct live *l)
{
	unsigned long long generation;
	struct sbuf out = { 0 };

	sb_putc(&out, '{');
	json_info_members(&out, info, name);
	if (sa_info_generation(info, &generation) == 0)
		sb_printf(&out, ", \"generation\": %llu", generation);
	else
		sb_puts(&out, ", \"generation\": null");
	sb_printf(&out, ", \"lock\": %s%s%s", l->lock ? "\"" : "", l->lock ? l->lock : "null",
	          l->lock ? "\"" : "");
	if (l->holders < 0) {
		sb_puts(&out, ", \"holders\": null, \"processes\": null}");
	} else {
		sb_printf(&out, ", \"holders\": %d, \"processes\": [", l->holders);
		for (int i = 0; i < l->holders; i++) {
			sb_printf(&out, "%s{\"pid\": %d, \"command\": ", i ? ", " : "",
			          (int)l->pids[i]);
			json_string(&out, l->comm[i]);
			sb_putc(&out, '}');
		}
		sb_puts(&out, "]}");
	}
	puts(out.s);
	sb_free(&out);
}

int cmd_info(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	struct live live;
	const char *name;
	sa_info *info;
	int c, ret;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":jh", options, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': return tool_help(usage);
		default: return tool_option_error("info", c, argv);
		}
	}
	if (argc - optind != 1)
		return tool_usage_error("info", "expects one NAME");
	name = argv[optind];
	ret = sa_stat(name, &info);
	if (ret < 0) {
		tool_fail(name, ret);
		return EXIT_FAILURE;
	}
	live = read_live(name);
	if (json)
		print_json(info, name, &live);
	else
		print_report(info, &live);
	free(live.pids);
	free(live.comm);
	sa_info_free(info);
	return EXIT_SUCCESS;
}
