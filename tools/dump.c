/*
 * dump.c - sharedarray dump: print an array's values the way numpy does
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The layout is numpy's print(array) with its default print options
 * (arrayprint.py, _formatArray): nested brackets, lines wrapped at 75
 * columns with a hanging indent, one blank line more per extra dimension,
 * and for arrays of more than 1000 elements only the first and last 3
 * entries of each long axis, with "..." between.  The array is attached
 * read-only and only the elements shown are read.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "values.h"

#define MAX_DIMS 64   /* a numpy 2.x build of the original stores up to 64 */

static const char usage[] =
	"Usage: sharedarray dump [--full] NAME\n"
	"   or: sharedarray cat [--full] NAME\n"
	"Print the values of array NAME as numpy's print() does.  Arrays of more\n"
	"than 1000 elements are summarised with \"...\".\n"
	"  -f, --full    print every element\n";

struct dump {
	const unsigned char *data;
	int ndim;
	const size_t *shape;
	size_t strides[MAX_DIMS];
	bool summarize;
	struct value_format fmt;
	int pass;
	/* Output: the current line, written out at each newline. */
	struct sbuf line;
	size_t column;
	struct sbuf word;
};

/* The indices of AXIS that are shown: all, or 3 from each end. */
static bool summarized(const struct dump *d, int axis)
{
	return d->summarize && d->shape[axis] > 2 * DUMP_EDGE_ITEMS;
}

static size_t shown_index(const struct dump *d, int axis, size_t i)
{
	if (summarized(d, axis) && i >= DUMP_EDGE_ITEMS)
		return d->shape[axis] - 2 * DUMP_EDGE_ITEMS + i;
	return i;
}

static size_t shown_count(const struct dump *d, int axis)
{
	return summarized(d, axis) ? 2 * DUMP_EDGE_ITEMS : d->shape[axis];
}

static void scan(struct dump *d, int axis, size_t offset)
{
	if (axis == d->ndim) {
		value_scan(&d->fmt, d->pass, d->data + offset);
		return;
	}
	for (size_t i = 0; i < shown_count(d, axis); i++)
		scan(d, axis + 1, offset + shown_index(d, axis, i) * d->strides[axis]);
}

/* ---- output ------------------------------------------------------------------ */

static void put(struct dump *d, const char *s, size_t len)
{
	sb_putn(&d->line, s, len);
	d->column += text_width(d->line.s + d->line.len - len);
}

static void put_str(struct dump *d, const char *s)
{
	put(d, s, strlen(s));
}

static void put_spaces(struct dump *d, size_t n)
{
	for (; n > 0; n--)
		put(d, " ", 1);
}

static void newline(struct dump *d, bool strip)
{
	if (strip)
		while (d->line.len > 0 && d->line.s[d->line.len - 1] == ' ')
			d->line.len--;
	fwrite(d->line.s ? d->line.s : "", 1, d->line.len, stdout);
	putchar('\n');
	sb_reset(&d->line);
	d->column = 0;
}

/* numpy's _extendLine: wrap before WORD unless the line holds only the indent. */
static void extend_line(struct dump *d, const char *word, size_t width, size_t indent)
{
	if (d->column + text_width(word) > width && d->column > indent) {
		newline(d, true);
		put_spaces(d, indent);
	}
	put_str(d, word);
}

static void format_word(struct dump *d, size_t offset)
{
	sb_reset(&d->word);
	value_format(&d->fmt, d->data + offset, &d->word);
	if (!d->word.s)
		sb_puts(&d->word, "");
}

/*
 * numpy's recurser(): the block of AXIS at OFFSET, whose continuation lines
 * start with INDENT spaces, within WIDTH columns.  The caller has placed
 * the cursor at column INDENT - 1, where the block's "[" goes.
 */
static void emit(struct dump *d, int axis, size_t offset, size_t indent, size_t width)
{
	const int axes_left = d->ndim - axis;
	const size_t count = shown_count(d, axis);

	put_str(d, "[");
	if (axes_left == 1) {
		const size_t elem_width = width - 1;  /* room for the "]" */

		for (size_t i = 0; i < count; i++) {
			if (i > 0)
				put_str(d, " ");
			if (summarized(d, axis) && i == DUMP_EDGE_ITEMS) {
				extend_line(d, "...", elem_width, indent);
				put_str(d, " ");
			}
			format_word(d, offset + shown_index(d, axis, i) * d->strides[axis]);
			extend_line(d, d->word.s, elem_width, indent);
		}
	} else {
		for (size_t i = 0; i < count; i++) {
			if (i > 0) {
				/* Rows end without a separator; one blank line per extra axis. */
				for (int n = 0; n < axes_left - 1; n++)
					newline(d, false);
				put_spaces(d, indent);
			}
			if (summarized(d, axis) && i == DUMP_EDGE_ITEMS) {
				put_str(d, "...");
				for (int n = 0; n < axes_left - 1; n++)
					newline(d, false);
				put_spaces(d, indent);
			}
			emit(d, axis + 1, offset + shown_index(d, axis, i) * d->strides[axis],
			     indent + 1, width - 1);
		}
	}
	put_str(d, "]");
}

static void set_strides(struct dump *d, size_t itemsize, char order)
{
	size_t stride = itemsize;

	for (int k = 0; k < d->ndim; k++) {
		const int axis = order == 'F' ? k : d->ndim - 1 - k;

		d->strides[axis] = stride;
		stride *= d->shape[axis];
	}
}

static void print_array(const sa_array *array, const struct value_type *type, bool full)
{
	struct dump d;
	size_t size = 1;

	memset(&d, 0, sizeof(d));
	d.data = sa_data(array);
	d.ndim = sa_ndim(array);
	d.shape = sa_shape(array);
	for (int i = 0; i < d.ndim; i++)
		size *= d.shape[i];
	value_format_init(&d.fmt, type);
	if (d.ndim == 0) {
		value_format_scalar(type, d.data, &d.line);
		newline(&d, false);
		goto out;
	}
	if (size == 0) {
		puts("[]");
		goto out;
	}
	set_strides(&d, sa_itemsize(array), sa_order(array));
	d.summarize = !full && size > DUMP_THRESHOLD;
	for (d.pass = 0; d.pass < VALUE_PASSES; d.pass++) {
		scan(&d, 0, 0);
		value_scan_end(&d.fmt, d.pass);
	}
	/* The top-level hanging indent is " ", after "[". */
	emit(&d, 0, 0, 1, DUMP_LINE_WIDTH);
	newline(&d, false);
out:
	sb_free(&d.line);
	sb_free(&d.word);
}

int cmd_dump(int argc, char **argv)
{
	static const struct option options[] = {
		{ "full", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct value_type type;
	bool full = false;
	sa_array *array;
	const char *name;
	int c, ret;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":fh", options, NULL)) != -1) {
		switch (c) {
		case 'f': full = true; break;
		case 'h': return tool_help(usage);
		default: return tool_option_error(argv[0], c, argv);
		}
	}
	if (argc - optind != 1)
		return tool_usage_error(argv[0], "expects one NAME");
	name = argv[optind];
	ret = sa_attach(name, SA_RDONLY, &array);
	if (ret < 0) {
		tool_fail(name, ret);
		return EXIT_FAILURE;
	}
	if (sa_ndim(array) > MAX_DIMS ||
	    value_type_parse(sa_dtype(array), sa_itemsize(array), &type) < 0) {
		fprintf(stderr, "sharedarray: %s: cannot print dtype %s\n", name, sa_dtype(array));
		sa_detach(array);
		return EXIT_FAILURE;
	}
	print_array(array, &type, full);
	sa_detach(array);
	return EXIT_SUCCESS;
}
