/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/tools/framing.c src/lib/signals.c
 * fuzz-cflags: -Dread=fuzz_read -DREAD_CHUNK=16 -DREAD_ALIGN=8
 * fuzz-framing.c - mqsend's input framing (tools/framing.c).
 *
 * framing.c is compiled for this target with -Dread=fuzz_read, so that the
 * input reaches framing_reader in chunks of sizes the fuzzer chooses, with
 * EINTR and a read error at chosen calls, and with reads of 16 bytes into a
 * buffer that moves its tail back every few reads: every buffer boundary,
 * move and retry path is reachable with small inputs, deterministically.
 *
 * Input: 5 header bytes (framing, delimiter, max_record low, max_record high
 * in the low nibble and headroom 0..15 in the high one, read pattern), then
 * the stream. The records returned must be exactly those of a plain split
 * of the stream, with the same statuses and lengths. The headroom before
 * each record is scribbled over before the record is compared: it must be
 * the reader's memory (ASan) and overlap neither this record nor any still
 * to come. */
#include "config.h"
#include "tools/framing.h"
#include "fuzz.h"

#include <errno.h>
#include <unistd.h>

ssize_t fuzz_read(int fd, void *buf, size_t count);

static const uint8_t *in_data;
static size_t in_size, in_pos, in_calls;
static unsigned in_pattern;

/* Chunk sizes from the pattern's low bits; an EINTR every few calls; a
 * permanent EIO after a number of calls when the top bit is set. */
ssize_t fuzz_read(int fd, void *buf, size_t count)
{
	(void)fd;
	size_t call = in_calls++;
	if ((in_pattern & 0x80) && call >= ((in_pattern >> 4) & 7) + 2) {
		errno = EIO;
		return -1;
	}
	if ((in_pattern & 0x08) && call % 3 == 1) {
		errno = EINTR;
		return -1;
	}
	size_t chunk = (in_pattern & 7) == 0 ? count : (size_t)1 << (in_pattern & 7) >> 1;
	chunk += call % 3; /* vary it a little */
	if (chunk > count)
		chunk = count;
	if (chunk > in_size - in_pos)
		chunk = in_size - in_pos;
	memcpy(buf, in_data + in_pos, chunk);
	in_pos += chunk;
	return (ssize_t)chunk;
}

/* The next expected record by a plain split: 1 with *len (and *too_long),
 * 0 at the end. */
static int expected_next(const uint8_t *s, size_t n, size_t *pos, enum framing f, int delim, size_t max, size_t *off,
	size_t *len, int *too_long, int *first)
{
	if (f == FRAME_WHOLE) {
		if (!*first)
			return 0;
		*first = 0;
		*off = 0;
		*len = n;
		*too_long = n > max;
		*pos = n;
		return 1;
	}
	if (*pos >= n)
		return 0;
	const uint8_t *d = memchr(s + *pos, delim, n - *pos);
	size_t end = d ? (size_t)(d - s) : n;
	*off = *pos;
	*len = end - *pos;
	*too_long = *len > max;
	*pos = d ? end + 1 : n;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	enum framing framing = (data[0] & 1) ? FRAME_WHOLE : FRAME_DELIMITED;
	int delim = data[1];
	size_t max = (size_t)data[2] | (size_t)(data[3] & 0x0f) << 8;
	size_t headroom = data[3] >> 4;
	in_pattern = data[4];
	in_data = data + 5;
	in_size = size - 5;
	in_pos = in_calls = 0;

	struct framing_reader *r = framing_reader_new(0, framing, delim, max, headroom);
	CHECK(r);
	size_t pos = 0, off, len, got_len;
	int too_long, first = 1;
	char *got;
	unsigned long long index = 0;
	for (;;) {
		enum framing_status st = framing_reader_next(r, &got, &got_len);
		if (st == FRAMING_ERROR) {
			CHECK(in_pattern & 0x80); /* only the injected error */
			break;
		}
		int more = expected_next(in_data, in_size, &pos, framing, delim, max, &off, &len, &too_long, &first);
		if (st == FRAMING_EOF) {
			CHECK(!more);
			break;
		}
		CHECK(more);
		index++;
		CHECK(framing_reader_index(r) == index);
		CHECK(got_len == len);
		if (too_long) {
			CHECK(st == FRAMING_TOO_LONG);
		} else {
			CHECK(st == FRAMING_OK);
			memset(got - headroom, 0xa5, headroom);
			CHECK(len == 0 || !memcmp(got, in_data + off, len));
		}
	}
	framing_reader_free(r);
	return 0;
}
