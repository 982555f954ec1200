/*
 * info.c - sharedarray info: one array's metadata, without mapping its data
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char usage[] =
	"Usage: sharedarray info [--json] NAME\n"
	"Show everything the metadata of array NAME says (its data is not read),\n"
	"its generation (sharedarray notify) and whether its lock is held now.\n"
	"  -j, --json    one JSON object, for scripts\n";

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

static void field(const char *label, const char *value)
{
	printf("%-14s%s\n", label, value);
}

static void print_report(const sa_info *info, const char *lock, int lock_error)
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
	if (lock)
		FIELD("lock:", sb_printf(&v, "%s%s", strcmp(lock, "free") ? "held " : "", lock));
	else
		FIELD("lock:", sb_printf(&v, "unknown (%s)", sa_strerror(lock_error)));
#undef FIELD
	sb_free(&v);
}

int cmd_info(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	const char *name, *lock;
	sa_info *info;
	int c, ret, lock_error;

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
	lock = lock_state(name, &lock_error);
	if (json) {
		struct sbuf out = { 0 };
		unsigned long long generation;

		json_info(&out, info, name);
		out.len--;  /* reopen the object for what is live, not metadata */
		if (sa_info_generation(info, &generation) == 0)
			sb_printf(&out, ", \"generation\": %llu", generation);
		else
			sb_puts(&out, ", \"generation\": null");
		sb_printf(&out, ", \"lock\": %s%s%s}", lock ? "\"" : "", lock ? lock : "null",
		          lock ? "\"" : "");
		puts(out.s);
		sb_free(&out);
	} else {
		print_report(info, lock, lock_error);
	}
	sa_info_free(info);
	return EXIT_SUCCESS;
}
