/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqsend-unsent.h - what mqsend read and did not send. When mqsend ends
 * before the end of its input (a stop signal, a send that failed, a record
 * that can never fit), the records it read from standard input and did not
 * send are still in its memory, and nowhere else: the input is a stream,
 * read past them. Each goes to the dead letter (deadletter.h), so that it
 * can be sent again; a record whose end was never read goes there too, as
 * the start of a record. */
#ifndef MQTOOLS_MQSEND_UNSENT_H
#define MQTOOLS_MQSEND_UNSENT_H

#include <stddef.h>
#include "tools/deadletter.h"
#include "tools/framing.h"

/* mqsend ends early with STATUS, its cause said already. FAILED (LEN
 * bytes; NULL when none) is the record whose send failed, taken from
 * INPUT; it and the records still buffered in INPUT go to DEAD with
 * PRIORITY (a priority or System V type). Reads no more input. Returns
 * MQ_EXIT_DEADLETTER when any record went there, else STATUS. INPUT NULL
 * (the messages were arguments, which the caller still has): STATUS. */
int unsent_to_dead_letter(struct framing_reader *input, const struct dead_letter *dead, const char *failed, size_t len,
	long priority, int status);

/* As unsent_to_dead_letter, for mqsend --json: FAILED (LEN bytes, its
 * priority or type PRIORITY) is a message decoded from a line, and goes to
 * DEAD as a JSON line; the lines still buffered in LINES, read and not
 * sent, are JSON lines already and go there as they were read, so that
 * mqsend --json sends them again whole (a last line whose end was never
 * read is said, and stops such a replay there). */
int unsent_json_to_dead_letter(struct framing_reader *lines, const struct dead_letter *dead, const char *failed,
	size_t len, long priority, int status);

/* "stopped by SIGTERM" for the stop signal received, into BUF. */
const char *unsent_stop_text(char *buf, size_t size);

#endif
