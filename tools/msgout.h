/* msgout.h - writing received messages for mqrecv: separators, terminal
 * escaping, JSON lines; buffered, and keeping each buffered message's bytes
 * so that what output could not take can go back on the queue. */
#ifndef MQTOOLS_MSGOUT_H
#define MQTOOLS_MSGOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/queue/queue.h"

enum msgout_format {
	MSGOUT_NEWLINE, /* message, then "\n" */
	MSGOUT_NUL,     /* message, then "\0" */
	MSGOUT_RAW,     /* message bytes only */
	MSGOUT_JSON,    /* one JSON object per line */
};

struct msgout;

/* ESCAPE: show non-printable bytes escaped (set when FD is a terminal). */
struct msgout *msgout_new(int fd, enum msgout_format format, bool escape, const char *queue_name, enum queue_kind kind);
void msgout_free(struct msgout *o);

/* Buffer a message; flushes when the buffer is full. 0 or -errno. */
int msgout_add(struct msgout *o, const struct queue_message *m);
/* Write everything buffered. 0 or -errno; on failure the messages that were
 * not written whole stay pending (see msgout_pending). */
int msgout_flush(struct msgout *o);
/* Messages whose bytes output did not accept whole, oldest first. */
size_t msgout_pending(const struct msgout *o, const struct queue_message **msgs);
/* True when FD's reader is already gone (a pipe with no reader). */
bool msgout_reader_gone(const struct msgout *o);

#endif
