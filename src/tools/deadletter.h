/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deadletter.h - the dead letter of mqsend and mqrecv. What can neither
 * stay on the queue nor go to it (a message mqrecv took and cannot put
 * back, a record mqsend read and cannot send) is written, never dropped:
 * as JSON lines, the format of mqrecv --json, appended to --dead-letter
 * FILE, or to standard error (also when writing FILE fails). The tool
 * then exits with status 5 (MQ_EXIT_DEADLETTER). When neither takes them
 * (a full disk, RLIMIT_FSIZE, and standard error closed), the caller puts
 * back what it still can, stops taking more, and exits 1. */
#ifndef MQTOOLS_DEADLETTER_H
#define MQTOOLS_DEADLETTER_H

#include <stdbool.h>
#include <stddef.h>
#include "queue/queue.h"

struct msgout;

struct dead_letter {
	int fd;            /* --dead-letter FILE, or -1: standard error */
	const char *path;  /* FILE, for messages */
	const char *queue; /* the queue's name in each line (queue_name) */
	enum queue_kind kind;
};

/* Open --dead-letter PATH into D (PATH NULL: standard error), or exit 1
 * saying why. D's queue and kind are set by the caller once known. */
void dead_letter_open(struct dead_letter *d, const char *path);
void dead_letter_close(struct dead_letter *d);
/* Exit 1 before anything is taken when the dead letter would go to a
 * standard error that was closed at start (cli/stdfds.h): what went there
 * would be lost. NOTHING_DONE ends the message ("nothing was read"). */
void dead_letter_require(const struct dead_letter *d, const char *nothing_done);
/* Say "PROG: WHY: written as JSON lines to FILE" (WHY from FMT), then write
 * the N messages MSGS; returns MQ_EXIT_DEADLETTER, or MQ_EXIT_FAILURE when
 * neither FILE nor standard error took them whole. */
int dead_letter_write(const struct dead_letter *d, const struct queue_message *msgs, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One message written to the dead letter as it is read, for one that is
 * not held whole (mqsend's record over the queue's limit, which may be
 * larger than memory): a JSON line of base64 data, its "size" last. */
struct dead_letter_stream {
	const struct dead_letter *d;
	struct msgout *out; /* for the line's start */
	long priority;
	unsigned char carry[3]; /* bytes waiting for a whole base64 group */
	size_t ncarry, total;
	int err; /* the first failed write, -errno */
	bool begun;
};
/* Start S for a message of PRIORITY (or type) to D; nothing is written yet. */
void dead_letter_stream_begin(struct dead_letter_stream *s, const struct dead_letter *d, long priority);
/* The next N bytes of the message. */
void dead_letter_stream_add(struct dead_letter_stream *s, const char *data, size_t n);
/* End the line; MQ_EXIT_DEADLETTER, or MQ_EXIT_FAILURE when a write
 * failed (the line is cut short then, and said so). */
int dead_letter_stream_end(struct dead_letter_stream *s);

#endif
