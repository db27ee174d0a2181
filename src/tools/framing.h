/* SPDX-License-Identifier: GPL-2.0-or-later */
/* framing.h - splitting an input stream into messages for mqsend: one per
 * line, per NUL-terminated record, per any one-byte delimiter, or the whole
 * input as one message. Reads through a fixed buffer: memory does not grow
 * with the input, only with the largest record the queue accepts. */
#ifndef MQTOOLS_FRAMING_H
#define MQTOOLS_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum framing { FRAME_DELIMITED, FRAME_WHOLE };

struct framing_reader;

/* FD is read with read(2); DELIM ends a record (the delimiter is not part of
 * it; a last record without one counts); MAX_RECORD is the largest record
 * accepted. HEADROOM bytes before every record returned are the reader's
 * own memory, free for the caller to overwrite (a System V mtype written in
 * place, say): they hold only bytes already returned, or none. */
struct framing_reader *framing_reader_new(int fd, enum framing framing, int delim, size_t max_record, size_t headroom);
void framing_reader_free(struct framing_reader *r);

enum framing_status {
	FRAMING_OK = 1,           /* *data, *len: the record (valid until the next
	                         call), with the headroom before *data */
	FRAMING_EOF = 0,          /* no more input */
	FRAMING_ERROR = -1,       /* read error, errno set */
	FRAMING_TOO_LONG = -2,    /* over max_record: *len is its whole length (the
	                         rest of it has been read and skipped), or what
	                         was read of it when a stop signal came
	                         (framing_reader_interrupted) */
	FRAMING_STOPPED = -3,     /* the before-read hook said stop; nothing read */
	FRAMING_INTERRUPTED = -4, /* a stop signal came (lib/signals.h), before
	                         a read or during one; nothing more read */
};
enum framing_status framing_reader_next(struct framing_reader *r, char **data, size_t *len);

/* Call FN(ARG) before every read(2) of the input that may block: a nonzero
 * return makes framing_reader_next() return FRAMING_STOPPED instead of
 * reading. Never for a regular file, whose reads do not wait for anyone
 * (a system call a read saved). mqsend looks there whether its queue is
 * still there. */
void framing_reader_before_read(struct framing_reader *r, int (*fn)(void *arg), void *arg);

/* A record over MAX_RECORD that is not whole in the buffer is not kept:
 * it is read on to its end, and its bytes pass through FN(ARG, DATA, N,
 * LAST) in pieces, in order, before framing_reader_next() returns
 * FRAMING_TOO_LONG, so that the caller can keep it elsewhere (mqsend's
 * dead letter). LAST marks the final piece: the record's end, or what a
 * stop signal left of it. */
void framing_reader_on_long(struct framing_reader *r, void (*fn)(void *arg, const char *data, size_t n, bool last),
	void *arg);

/* Number of the record last returned (1 for the first), for error messages. */
unsigned long long framing_reader_index(const struct framing_reader *r);

/* Read no more input: framing_reader_next() then returns the records
 * already read and not yet returned, the last of them perhaps without its
 * delimiter (framing_reader_incomplete), then FRAMING_EOF. For a caller
 * that ends early and must account for every record it took in. */
void framing_reader_stop_reading(struct framing_reader *r);
/* Whether the record last returned is one whose end was never read: the
 * start of a record, returned after framing_reader_stop_reading(). */
bool framing_reader_incomplete(const struct framing_reader *r);
/* Whether a stop signal ended reading (FRAMING_INTERRUPTED, or a
 * FRAMING_TOO_LONG whose length is only what was read of it). */
bool framing_reader_interrupted(const struct framing_reader *r);

#endif
