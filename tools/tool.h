/*
 * tool.h - the sharedarray command: declarations shared by its files
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each subcommand lives in a file of its own (list.c, info.c, create.c,
 * delete.c, dump.c, prune.c; wait and notify in notify.c) and is a function
 * taking the arguments after its name.
 * Everything about arrays goes through libsharedarray: the command never
 * parses names, segments or type strings itself.
 */
#ifndef SA_TOOL_H
#define SA_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "sharedarray.h"

/* Exit statuses: 0 success, 1 an operation failed, 2 a usage error. */
#define EXIT_USAGE 2
/* ... and 3: wait's timeout ran out. */
#define EXIT_TIMEOUT 3

/* ---- main.c -------------------------------------------------------------- */

/* "sharedarray: NAME: reason" on stderr, the reason from sa_strerror. */
void tool_fail(const char *name, int error);
/* "sharedarray: COMMAND: MESSAGE (try ...)" on stderr; returns EXIT_USAGE. */
int tool_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A getopt_long error (C is '?' or ':') for COMMAND; returns EXIT_USAGE. */
int tool_option_error(const char *command, int c, char **argv);
/* Print a command's usage text to stdout; returns EXIT_SUCCESS. */
int tool_help(const char *usage);

/* ---- subcommands ---------------------------------------------------------- */

int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_notify(int argc, char **argv);

/*
 * hold.c: hold the transient ARRAY while COMMAND (NULL-terminated; empty:
 * none) runs, or until SIGINT, SIGTERM or SIGHUP; then detach it.  Returns
 * the exit status: COMMAND's, or 0.
 */
int hold_transient(sa_array *array, char **command);

/* ---- prune.c ----------------------------------------------------------- */

int cmd_prune(int argc, char **argv);

/* ---- parse.c: command-line values ------------------------------------- */

/* "3x4", "3,4", "(3, 4)", "12"; "" or "()" for 0-d.  0 or -EINVAL. */
int parse_shape(const char *text, int *ndim, size_t *shape, int max_ndim);
/* Octal permission bits, at most 0777.  0 or -EINVAL. */
int parse_mode(const char *text, mode_t *mode);
/* A numpy type name ("float64") as a type string; others unchanged. */
const char *dtype_alias(const char *text);

/* ---- text.c: output helpers -------------------------------------------- */

/* A growable string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

void sb_putc(struct sbuf *b, char c);
void sb_puts(struct sbuf *b, const char *s);
void sb_putn(struct sbuf *b, const char *s, size_t n);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(struct sbuf *b);
void sb_free(struct sbuf *b);

/* Terminal columns a UTF-8 string takes (one per character). */
size_t text_width(const char *s);
/* S with control characters as \ooo, for tables and reports. */
void text_escape(struct sbuf *b, const char *s);
/* "96B", "1.5K", "12M": powers of 1024, rounded up, as ls -h does. */
void text_human_size(struct sbuf *b, unsigned long long bytes);
/* "-rw-------" from permission bits. */
void text_mode(struct sbuf *b, mode_t mode);
/* A user or group name, or the number when it has none. */
void text_user(struct sbuf *b, uid_t uid);
void text_group(struct sbuf *b, gid_t gid);
/* Local time: "2026-11-26 01:22", or FULL "2026-11-26 01:22:03 +0000". */
void text_time(struct sbuf *b, long long seconds, bool full);
/* SHAPE as "3x4" ("()" for 0-d), the syntax create accepts. */
void text_shape_x(struct sbuf *b, int ndim, const size_t *shape);
/* SHAPE as a Python tuple: "(3, 4)", "(5,)", "()". */
void text_shape_tuple(struct sbuf *b, int ndim, const size_t *shape);
/* The name that attaches entry NAME of DIR (NULL: shared memory), as listed. */
void text_entry_uri(struct sbuf *b, const char *dir, const char *name);

/* JSON string literal; invalid UTF-8 bytes become \udcXX (Python's surrogateescape). */
void json_string(struct sbuf *b, const char *s);
/* One array's metadata as the members of a JSON object, without its braces. */
void json_info_members(struct sbuf *b, const sa_info *info, const char *uri);

/* ---- dump.c / values.c: printing data the way numpy does --------------- */

/* numpy's print options (numpy.set_printoptions defaults). */
#define DUMP_LINE_WIDTH 75
#define DUMP_THRESHOLD 1000
#define DUMP_EDGE_ITEMS 3

#endif /* SA_TOOL_H */
