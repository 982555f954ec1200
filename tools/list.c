/*
 * list.c - sharedarray list: the arrays in shared memory or a directory
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
	"Usage: sharedarray list [-b|--bytes] [--json] [DIR]\n"
	"List the arrays in the shared memory directory, or the file:// arrays in DIR,\n"
	"with the number of processes that hold each (as far as /proc lets us see).\n"
	"  -b, --bytes   exact sizes in bytes instead of 1.5K, 12M...\n"
	"  -j, --json    a JSON array of objects, for scripts\n";

enum column {
	C_MODE, C_OWNER, C_SIZE, C_MODIFIED, C_DTYPE, C_SHAPE, C_HOLDERS, C_STATUS, C_NAME,
	C_COUNT
};

static const char *const headers[C_COUNT] = {
	"MODE", "OWNER", "SIZE", "MODIFIED", "DTYPE", "SHAPE", "HOLDERS", "STATUS", "NAME",
};

/* Right-aligned columns: numbers. */
static bool right_aligned(int c)
{
	return c == C_SIZE || c == C_HOLDERS;
}

/* HOLDERS < 0: unknown (no /proc). */
static void cell(struct sbuf *b, enum column c, const sa_info *info, bool bytes, int holders)
{
	switch (c) {
	case C_MODE: text_mode(b, sa_info_mode(info)); break;
	case C_OWNER: text_user(b, sa_info_uid(info)); break;
	case C_SIZE:
		if (bytes)
			sb_printf(b, "%zu", sa_info_nbytes(info));
		else
			text_human_size(b, sa_info_nbytes(info));
		break;
	case C_MODIFIED: text_time(b, sa_info_mtime(info), false); break;
	case C_DTYPE: text_escape(b, sa_info_dtype(info)); break;
	case C_SHAPE: text_shape_x(b, sa_info_ndim(info), sa_info_shape(info)); break;
	case C_HOLDERS:
		if (holders < 0)
			sb_putc(b, '?');
		else
			sb_printf(b, "%d", holders);
		break;
	case C_STATUS: sb_puts(b, sa_info_transient(info) == 1 ? "transient" : ""); break;
	case C_NAME: text_escape(b, sa_info_name(info)); break;
	default: break;
	}
}

static void print_row(struct sbuf cells[C_COUNT], const size_t width[C_COUNT])
{
	for (int c = 0; c < C_COUNT; c++) {
		const size_t pad = width[c] - text_width(cells[c].s);

		if (right_aligned(c))
			printf("%*s", (int)pad, "");
		fputs(cells[c].s, stdout);
		if (c == C_COUNT - 1)
			break;
		if (!right_aligned(c))
			printf("%*s", (int)pad, "");
		fputs("  ", stdout);
	}
	putchar('\n');
}

static void print_table(sa_info **list, int count, bool bytes, const int *holders)
{
	struct sbuf *cells = calloc((size_t)(count + 1) * C_COUNT, sizeof(*cells));
	size_t width[C_COUNT] = { 0 };

	if (!cells) {
		fputs("sharedarray: out of memory\n", stderr);
		exit(EXIT_FAILURE);
	}
	for (int c = 0; c < C_COUNT; c++)
		sb_puts(&cells[c], headers[c]);
	for (int r = 0; r < count; r++)
		for (int c = 0; c < C_COUNT; c++)
			cell(&cells[(size_t)(r + 1) * C_COUNT + c], (enum column)c, list[r], bytes,
			     holders ? holders[r] : -1);
	for (int r = 0; r <= count; r++)
		for (int c = 0; c < C_COUNT; c++) {
			const size_t w = text_width(cells[(size_t)r * C_COUNT + c].s);

			if (w > width[c])
				width[c] = w;
		}
	for (int r = 0; r <= count; r++)
		print_row(&cells[(size_t)r * C_COUNT], width);
	for (size_t i = 0; i < (size_t)(count + 1) * C_COUNT; i++)
		sb_free(&cells[i]);
	free(cells);
}

static void print_json(sa_info **list, int count, const char *dir, const int *holders)
{
	struct sbuf out = { 0 }, uri = { 0 };

	sb_putc(&out, '[');
	for (int i = 0; i < count; i++) {
		sb_reset(&uri);
		text_entry_uri(&uri, dir, sa_info_name(list[i]));
		sb_puts(&out, i ? ",\n  {" : "\n  {");
		json_info_members(&out, list[i], uri.s);
		if (holders)
			sb_printf(&out, ", \"holders\": %d}", holders[i]);
		else
			sb_puts(&out, ", \"holders\": null}");
	}
	sb_puts(&out, count ? "\n]\n" : "]\n");
	fputs(out.s, stdout);
	sb_free(&out);
	sb_free(&uri);
}

int cmd_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "bytes", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool bytes = false, json = false;
	const char *dir = NULL;
	int c, count, *holders;
	sa_info **list;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":bjh", options, NULL)) != -1) {
		switch (c) {
		case 'b': bytes = true; break;
		case 'j': json = true; break;
		case 'h': return tool_help(usage);
		default: return tool_option_error("list", c, argv);
		}
	}
	if (argc - optind > 1)
		return tool_usage_error("list", "too many arguments");
	if (optind < argc)
		dir = argv[optind];
	count = sa_list(dir, &list);
	if (count < 0) {
		tool_fail(dir ? dir : "shm://", count);
		return EXIT_FAILURE;
	}
	/* One scan of /proc for the whole listing; without /proc, no counts. */
	holders = malloc(((size_t)count + 1) * sizeof(*holders));
	if (!holders || sa_list_holders(list, holders) < 0) {
		free(holders);
		holders = NULL;
	}
	if (json)
		print_json(list, count, dir, holders);
	else
		print_table(list, count, bytes, holders);
	free(holders);
	sa_list_free(list);
	return EXIT_SUCCESS;
}
