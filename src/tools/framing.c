/* SPDX-License-Identifier: GPL-2.0-or-later */
/* framing.c - mqsend's input, cut into records through one fixed buffer.
 *
 * The buffer is linear and large: records are returned where they were
 * read (never copied), the bytes before each one are free for the caller
 * (headroom: System V writes its mtype there, in place), and the partial
 * record at the tail is moved back only when the next read would not fit,
 * once every few reads instead of at every one. Reads are READ_CHUNK bytes
 * into a page-aligned place after such a move, so that the kernel's copy
 * out of the page cache goes to aligned memory and the data are still in
 * the cache when they are sent. */
#include "config.h"
#include "tools/framing.h"
#include "lib/signals.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* (the fuzzer builds this with small ones, to reach every move with small
 * inputs) */
#ifndef READ_CHUNK
#define READ_CHUNK 65536
#endif
/* read space beyond the longest record: the tail moves back once per
 * SPAN / READ_CHUNK reads */
#define SPAN (4 * READ_CHUNK)
#ifndef READ_ALIGN
#define READ_ALIGN 4096
#endif

struct framing_reader {
	int fd;
	enum framing framing;
	int delim;
	size_t max_record;
	size_t headroom;
	char *buf;
	size_t cap;     /* READ_ALIGN + headroom + max_record + 1 + SPAN */
	size_t start;   /* first byte not yet returned; always >= headroom */
	size_t end;     /* end of the bytes read */
	size_t scanned; /* bytes from start already known to hold no delimiter */
	int eof;
	bool no_more_reads; /* framing_reader_stop_reading() */
	bool incomplete;    /* the record last returned lacks its end */
	bool interrupted;   /* a stop signal ended reading */
	unsigned long long index;
	int (*before_read)(void *arg);
	void *before_read_arg;
	void (*on_long)(void *arg, const char *data, size_t n, bool last);
	void *on_long_arg;
};

static size_t align_up(size_t n)
{
	return (n + READ_ALIGN - 1) / READ_ALIGN * READ_ALIGN;
}

/* Move the unreturned bytes back, to end where the buffer is aligned and
 * leave at least HEADROOM before them. */
static void compact(struct framing_reader *r)
{
	size_t left = r->end - r->start;
	size_t to = align_up(r->headroom + left) - left;
	if (to != r->start)
		memmove(r->buf + to, r->buf + r->start, left);
	r->start = to;
	r->end = to + left;
}

struct framing_reader *framing_reader_new(int fd, enum framing framing, int delim, size_t max_record, size_t headroom)
{
	struct framing_reader *r = calloc(1, sizeof(*r));
	void *buf;
	if (!r)
		return NULL;
	r->fd = fd;
	r->framing = framing;
	r->delim = delim;
	r->max_record = max_record;
	r->headroom = headroom;
	r->cap = READ_ALIGN + headroom + max_record + 1 + SPAN;
	if (posix_memalign(&buf, READ_ALIGN, r->cap) != 0) {
		free(r);
		return NULL;
	}
	r->buf = buf;
	compact(r);
	return r;
}

void framing_reader_free(struct framing_reader *r)
{
	if (r) {
		free(r->buf);
		free(r);
	}
}

void framing_reader_on_long(struct framing_reader *r, void (*fn)(void *arg, const char *data, size_t n, bool last),
	void *arg)
{
	r->on_long = fn;
	r->on_long_arg = arg;
}

/* A piece of a record that is skipped, to the caller's on_long. */
static void pass_on(struct framing_reader *r, const char *data, size_t n, bool last)
{
	if (r->on_long)
		r->on_long(r->on_long_arg, data, n, last);
}

unsigned long long framing_reader_index(const struct framing_reader *r)
{
	return r->index;
}

void framing_reader_stop_reading(struct framing_reader *r)
{
	r->no_more_reads = true;
}

bool framing_reader_incomplete(const struct framing_reader *r)
{
	return r->incomplete;
}

bool framing_reader_interrupted(const struct framing_reader *r)
{
	return r->interrupted;
}

void framing_reader_before_read(struct framing_reader *r, int (*fn)(void *arg), void *arg)
{
	struct stat st;
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode))
		return; /* its reads never wait */
	r->before_read = fn;
	r->before_read_arg = arg;
}

/* Whether a stop signal came: then nothing more is read (a read it
 * interrupted returned EINTR; one that never waits, of a file or of
 * /dev/zero, is simply not made). */
static bool stop_came(struct framing_reader *r)
{
	if (signals_stop_requested())
		r->interrupted = true;
	return r->interrupted;
}

/* Read more input after what is buffered. 1 read, 0 EOF, -1 error, -2 the
 * before-read hook said stop, -3 a stop signal came. What is
 * buffered is at most max_record bytes (else a record would have been
 * found, or refused), so after compact() a whole READ_CHUNK fits. */
static int fill(struct framing_reader *r)
{
	if (stop_came(r))
		return -3;
	if (r->before_read && r->before_read(r->before_read_arg))
		return -2;
	if (r->cap - r->end < READ_CHUNK)
		compact(r);
	/* a whole message is wanted whole: read as much as fits */
	size_t want = r->cap - r->end;
	if (r->framing == FRAME_DELIMITED && want > READ_CHUNK)
		want = READ_CHUNK;
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->end, want);
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
		if (stop_came(r))
			return -3;
	}
}

/* fill()'s failures as a status. */
static enum framing_status fill_failed(int f)
{
	return f == -2 ? FRAMING_STOPPED : f == -3 ? FRAMING_INTERRUPTED : FRAMING_ERROR;
}

/* The record is over max_record: read on to its end, counting, so that the
 * error can give its whole size. */
static enum framing_status skip_long_record(struct framing_reader *r, size_t *len)
{
	size_t total = 0;
	for (;;) {
		pass_on(r, r->buf + r->start, r->end - r->start, false);
		total += r->end - r->start;
		r->start = r->end;
		r->scanned = 0;
		int f = fill(r);
		if (f == -3 || f == 0) {
			pass_on(r, NULL, 0, true);
			*len = total; /* at a stop: what was read of it */
			return FRAMING_TOO_LONG;
		}
		if (f < 0) {
			pass_on(r, NULL, 0, true);
			return fill_failed(f);
		}
		char *p = r->buf + r->start;
		char *d = r->framing == FRAME_WHOLE ? NULL : memchr(p, r->delim, r->end - r->start);
		if (d) {
			/* the next record starts after the delimiter */
			pass_on(r, p, (size_t)(d - p), true);
			*len = total + (size_t)(d - p);
			r->start += (size_t)(d - p) + 1;
			return FRAMING_TOO_LONG;
		}
	}
}

/* Return the N bytes at start as the next record, then pass over SKIP
 * more (its delimiter). */
static enum framing_status take(struct framing_reader *r, size_t n, size_t skip, char **data, size_t *len)
{
	*data = r->buf + r->start;
	*len = n;
	r->start += n + skip;
	r->scanned = 0;
	r->index++;
	r->incomplete = false;
	/* after framing_reader_stop_reading() every record goes to the
	 * caller, to keep: none is refused */
	return n > r->max_record && !r->no_more_reads ? FRAMING_TOO_LONG : FRAMING_OK;
}

enum framing_status framing_reader_next(struct framing_reader *r, char **data, size_t *len)
{
	for (;;) {
		size_t avail = r->end - r->start;
		if (r->framing == FRAME_DELIMITED) {
			char *p = r->buf + r->start;
			char *d = memchr(p + r->scanned, r->delim, avail - r->scanned);
			if (d)
				return take(r, (size_t)(d - p), 1, data, len);
			r->scanned = avail;
		}
		if (r->no_more_reads) {
			/* what is left is the start of one more record: returned
			 * whatever its length, for the caller to keep */
			if (avail == 0)
				return FRAMING_EOF;
			take(r, avail, 0, data, len);
			r->incomplete = !r->eof;
			return FRAMING_OK;
		}
		if (avail > r->max_record) {
			r->index++;
			return skip_long_record(r, len);
		}
		if (r->eof) {
			/* the last record may lack its delimiter; whole input is one record,
			 * even an empty one */
			if (avail == 0 && (r->framing == FRAME_DELIMITED || r->index > 0))
				return FRAMING_EOF;
			return take(r, avail, 0, data, len);
		}
		int f = fill(r);
		if (f < 0)
			return fill_failed(f);
	}
}
