/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonlines.h - mqsend --json's input: one JSON object a line, as mqrecv
 * --json and the dead letters write them (lib/jsonin.h), each line a
 * message with its priority or type for the queue it goes to
 * (queue/priority-map.h). Lines are cut by framing.h's reader; a message
 * is decoded in place, with the reader's headroom before it. */
#ifndef MQTOOLS_JSONLINES_H
#define MQTOOLS_JSONLINES_H

#include <stddef.h>
#include "lib/jsonin.h"
#include "queue/queue.h"
#include "tools/framing.h"

struct jsonlines;

/* Messages of at most MAX_MESSAGE bytes for a queue of kind TO, read from
 * FD; NONE is the priority or type of a line that gives none (mqsend -p,
 * -t, or the kind's default). HEADROOM as for framing_reader_new. */
struct jsonlines *jsonlines_new(int fd, enum queue_kind to, long none, size_t max_message, size_t headroom);
void jsonlines_free(struct jsonlines *j);

/* framing_reader_next's statuses, and JSONLINES_BAD: the line is no
 * message (jsonlines_error says why; nothing after it is read).
 * FRAMING_TOO_LONG: the message decodes to *LEN bytes, over MAX_MESSAGE;
 * JSONLINES_LINE_TOO_LONG: the line is *LEN bytes, over any that could
 * hold a message of MAX_MESSAGE bytes. */
enum { JSONLINES_BAD = -10, JSONLINES_LINE_TOO_LONG = -11 };
int jsonlines_next(struct jsonlines *j, char **data, size_t *len, long *priority);
const struct jsonin_error *jsonlines_error(const struct jsonlines *j);
/* The number of the line last read (1 for the first). */
unsigned long long jsonlines_line(const struct jsonlines *j);
/* The longest line taken. */
size_t jsonlines_max_line(const struct jsonlines *j);
/* The lines' reader: what it holds beyond the line last taken are lines
 * read and not yet sent (mqsend-unsent.h). */
struct framing_reader *jsonlines_reader(struct jsonlines *j);
/* framing_reader_before_read, for the lines' reader. */
void jsonlines_before_read(struct jsonlines *j, int (*fn)(void *arg), void *arg);

#endif
