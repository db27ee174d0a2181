/* framing.c - mqsend's input, cut into records through one fixed buffer. */
#include "config.h"
#include "framing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

struct record_reader {
	int fd;
	enum framing framing;
	int delim;
	size_t max_record;
	char *buf;
	size_t cap;      /* max_record + 1 + READ_CHUNK */
	size_t start;    /* first byte not yet returned */
	size_t end;      /* end of the bytes read */
	size_t scanned;  /* bytes from start already known to hold no delimiter */
	int eof;
	unsigned long long index;
};

struct record_reader *record_reader_new(int fd, enum framing framing, int delim, size_t max_record)
{
	struct record_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->fd = fd;
	r->framing = framing;
	r->delim = delim;
	r->max_record = max_record;
	r->cap = max_record + 1 + READ_CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return NULL;
	}
	return r;
}

void record_reader_free(struct record_reader *r)
{
	if (r) {
		free(r->buf);
		free(r);
	}
}

unsigned long long record_reader_index(const struct record_reader *r)
{
	return r->index;
}

/* Read more input after what is buffered. 1 read, 0 EOF, -1 error. */
static int fill(struct record_reader *r)
{
	if (r->start > 0 && (r->end == r->cap || r->start > r->cap / 2)) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n > 0) {
			r->end += (size_t)n;
			return 1;
		}
		if (n == 0) {
			r->eof = 1;
			return 0;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* The record is over max_record: read on to its end, counting, so that the
 * error can give its whole size. */
static enum record_status skip_long_record(struct record_reader *r, size_t *len)
{
	size_t total = r->end - r->start;
	r->start = r->end = r->scanned = 0;
	for (;;) {
		int f = fill(r);
		if (f < 0)
			return RECORD_ERROR;
		if (f == 0) {
			*len = total;
			return RECORD_TOO_LONG;
		}
		char *d = r->framing == FRAME_WHOLE ? NULL : memchr(r->buf, r->delim, r->end);
		if (d) {
			/* the next record starts after the delimiter */
			r->start = (size_t)(d - r->buf) + 1;
			*len = total + (size_t)(d - r->buf);
			return RECORD_TOO_LONG;
		}
		total += r->end;
		r->end = 0;
	}
}

enum record_status record_reader_next(struct record_reader *r, const char **data, size_t *len)
{
	for (;;) {
		size_t avail = r->end - r->start;
		if (r->framing == FRAME_DELIMITED) {
			char *d = memchr(r->buf + r->start + r->scanned, r->delim, avail - r->scanned);
			if (d) {
				size_t n = (size_t)(d - (r->buf + r->start));
				if (n > r->max_record) {
					r->index++;
					*len = n;
					r->start += n + 1;
					r->scanned = 0;
					return RECORD_TOO_LONG;
				}
				*data = r->buf + r->start;
				*len = n;
				r->start += n + 1;
				r->scanned = 0;
				r->index++;
				return RECORD_OK;
			}
			r->scanned = avail;
		}
		if (avail > r->max_record) {
			r->index++;
			return skip_long_record(r, len);
		}
		if (r->eof) {
			/* the last record may lack its delimiter; whole input is one record,
			 * even an empty one */
			if (avail == 0 && (r->framing == FRAME_DELIMITED || r->index > 0))
				return RECORD_EOF;
			*data = r->buf + r->start;
			*len = avail;
			r->start = r->end;
			r->scanned = 0;
			r->index++;
			return RECORD_OK;
		}
		if (fill(r) < 0)
			return RECORD_ERROR;
	}
}
