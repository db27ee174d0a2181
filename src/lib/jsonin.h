/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonin.h - reading back one JSON line as mqrecv --json and the dead
 * letters write it (mqtools(7)): an object whose "data" is the message,
 * "encoding" "text" (the default) or "base64", with "priority" (POSIX,
 * amqp://), "type" (System V) or "qos" and "retained" (mqtt://), and a
 * "size" that must match the data when present. Other members ("queue",
 * "topic", and any a user adds) are checked as JSON and ignored. The
 * parser is strict: the whole line is one object, a member comes once,
 * strings are valid UTF-8 with JSON's escapes (a \uXXXX surrogate only in
 * a pair), numbers of the known members are whole. Pure: a failure is
 * worded in a struct jsonin_error with the column where it was found. */
#ifndef MQTOOLS_JSONIN_H
#define MQTOOLS_JSONIN_H

#include <stdbool.h>
#include <stddef.h>

struct jsonin_record {
	char *data; /* the message, decoded in place: the line's start */
	size_t len;
	bool has_priority, has_type, has_qos;
	long priority; /* >= 0 */
	long type;     /* >= 1 */
	int qos;       /* 0..2 */
	bool retained;
};

struct jsonin_error {
	size_t column; /* 1 for the line's first byte */
	char what[192];
};

/* Nesting of the ignored members' arrays and objects allowed. */
#define JSONIN_MAX_DEPTH 64

/* Parse LINE (LEN bytes, without its newline) into REC. The message is
 * decoded over LINE's own bytes, from its start (it is never longer than
 * its encoding): REC->data is LINE. 0, or -EINVAL with ERR filled. */
int jsonin_parse(char *line, size_t len, struct jsonin_record *rec, struct jsonin_error *err);

#endif
