/* SPDX-License-Identifier: GPL-2.0-or-later */
/* msgout.h - writing received messages for mqrecv: separators, terminal
 * escaping, JSON lines; buffered, and keeping each buffered message's bytes
 * so that what output could not take can go back on the queue. */
#ifndef MQTOOLS_MSGOUT_H
#define MQTOOLS_MSGOUT_H

#include <stdbool.h>
#include <stddef.h>
#include "queue/queue.h"

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

/* The in-flight window: at most N messages are buffered, not yet written;
 * the Nth is written at once. The default was chosen by measuring
 * mqsend | mqrecv against bench/rawq's raw loop (bench/RESULTS.md,
 * "mqrecv's in-flight window"). */
#define MSGOUT_DEFAULT_BATCH 64
#define MSGOUT_MAX_BATCH 2048
void msgout_set_batch(struct msgout *o, size_t n);
/* Plain output: end each message with byte DELIM instead of the newline
 * or NUL of its format (mqrecv --delimiter). */
void msgout_set_delimiter(struct msgout *o, int delim);
/* Plain output (newline or NUL): put each message's priority or type and a
 * tab before it (mqrecv --verbose). */
void msgout_show_priority(struct msgout *o, bool show);

/* Buffer a message; flushes when the buffer is full. 0 or -errno. */
int msgout_add(struct msgout *o, const struct queue_message *m);
/* Write everything buffered. 0 or -errno; on failure the messages that were
 * not written whole stay pending (see msgout_pending). A write held up by a
 * reader ends with -EINTR once a stop signal came (signals.h). */
int msgout_flush(struct msgout *o);
/* Messages whose bytes output did not accept whole, oldest first. */
size_t msgout_pending(const struct msgout *o, const struct queue_message **msgs);
/* How many messages msgout_pending would give, without building the list
 * (asked once per message received: no allocation). */
size_t msgout_unwritten(const struct msgout *o);
/* After a failed flush: take the start of the oldest pending message back
 * out of the output, if some of its bytes went out. A regular file is
 * truncated back to the end of the last whole message (0); a pipe or a
 * device keeps what it took (1: those bytes are out, without separator), and
 * so does a file that grew past them since (another writer appends to it). */
int msgout_cut_partial(struct msgout *o);
/* Write MSGS to FD as JSON lines (the format of MSGOUT_JSON). 0 or -errno;
 * on failure a regular file is cut back to the end of its last whole line. */
/* The start of a JSON line of a message of PRIORITY (or type, or QoS) as
 * msgout_write_json writes it, up to its "size" member, into BUF (of
 * MSGOUT_JSON_HEAD_MAX bytes); returns its length. For a line written in
 * pieces (deadletter.h's stream). */
#define MSGOUT_JSON_HEAD_MAX 32768
size_t msgout_json_head(const struct msgout *o, char *buf, long priority);
int msgout_write_json(int fd, const char *queue_name, enum queue_kind kind, const struct queue_message *msgs, size_t n);
/* Why a write of output failed (ERR, -errno), in words: strerror, with the
 * limit named for EFBIG (the file size limit, which SIGXFSZ would have
 * enforced by killing the tool; it is ignored, so the write fails). */
const char *msgout_strerror(int err);
/* True when FD's reader is already gone (a pipe with no reader). */
bool msgout_reader_gone(const struct msgout *o);

#endif
