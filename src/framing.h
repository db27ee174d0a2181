/* framing.h - splitting an input stream into messages for mqsend: one per
 * line, per NUL-terminated record, per any one-byte delimiter, or the whole
 * input as one message. Reads through a fixed buffer: memory does not grow
 * with the input, only with the largest record the queue accepts. */
#ifndef MQTOOLS_FRAMING_H
#define MQTOOLS_FRAMING_H

#include <stddef.h>
#include <sys/types.h>

enum framing { FRAME_DELIMITED, FRAME_WHOLE };

struct record_reader;

/* FD is read with read(2); DELIM ends a record (the delimiter is not part of
 * it; a last record without one counts); MAX_RECORD is the largest record
 * accepted. HEADROOM bytes before every record returned are the reader's
 * own memory, free for the caller to overwrite (a System V mtype written in
 * place, say): they hold only bytes already returned, or none. */
struct record_reader *record_reader_new(int fd, enum framing framing, int delim, size_t max_record,
	size_t headroom);
void record_reader_free(struct record_reader *r);

enum record_status {
	RECORD_OK = 1,        /* *data, *len: the record (valid until the next
	                         call), with the headroom before *data */
	RECORD_EOF = 0,       /* no more input */
	RECORD_ERROR = -1,    /* read error, errno set */
	RECORD_TOO_LONG = -2, /* over max_record: *len is its whole length (the
	                         rest of it has been read and skipped) */
	RECORD_STOPPED = -3,  /* the before-read hook said stop; nothing read */
};
enum record_status record_reader_next(struct record_reader *r, char **data, size_t *len);

/* Call FN(ARG) before every read(2) of the input (one that may block): a
 * nonzero return makes record_reader_next() return RECORD_STOPPED instead of
 * reading. mqsend looks there whether its queue is still there. */
void record_reader_before_read(struct record_reader *r, int (*fn)(void *arg), void *arg);

/* Number of the record last returned (1 for the first), for error messages. */
unsigned long long record_reader_index(const struct record_reader *r);

#endif
