/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/lib/jsonin.c src/lib/json.c src/lib/termesc.c
 * fuzz-jsonin.c - mqsend --json's line parser (lib/jsonin.c).
 *
 * The input is parsed as a line: whatever it holds, the parser ends
 * without reading or writing outside it; on success the message starts
 * at the line's start and is no longer than the line; on failure the
 * column is within the line (or just past its end) and the reason is
 * worded. Then the input is a message: written as mqrecv --json writes it
 * (text when it is UTF-8, else base64; a priority or type from its first
 * bytes), it must parse back to the same bytes and number. */
#include "config.h"
#include "lib/json.h"
#include "lib/jsonin.h"
#include "fuzz.h"

static void parse_as_line(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);
	struct jsonin_record rec;
	struct jsonin_error err;

	CHECK(line);
	memcpy(line, data, size);
	if (jsonin_parse(line, size, &rec, &err) == 0) {
		CHECK(rec.data == line && rec.len <= size);
		CHECK(!rec.has_type || rec.type >= 1);
		CHECK(!rec.has_qos || (rec.qos >= 0 && rec.qos <= 2));
	} else {
		CHECK(err.column >= 1 && err.column <= size + 1);
		CHECK(err.what[0] != '\0');
	}
	free(line);
}

/* The line mqrecv --json writes for a message of DATA with a priority
 * (or, ODD, a System V type) of NUMBER. */
static size_t as_mqrecv_writes(char *line, const char *data, size_t size, long number, bool type)
{
	bool text = utf8_valid(data, size);
	char *p = line;
	p += sprintf(p,
		"{\"queue\":\"/q\",\"%s\":%ld,\"size\":%zu,\"encoding\":\"%s\",\"data\":", type ? "type" : "priority",
		number, size, text ? "text" : "base64");
	if (text) {
		p += json_string(p, data, size);
	} else {
		*p++ = '"';
		p += base64_encode(p, data, size);
		*p++ = '"';
	}
	*p++ = '}';
	return (size_t)(p - line);
}

static void round_trip(const uint8_t *data, size_t size)
{
	long number = size ? data[0] * 131L + 1 : 1;
	bool type = size && (data[0] & 1);
	char *line = malloc(64 + json_string_size(size) + base64_size(size));
	struct jsonin_record rec;
	struct jsonin_error err;

	CHECK(line);
	size_t len = as_mqrecv_writes(line, (const char *)data, size, number, type);
	int r = jsonin_parse(line, len, &rec, &err);
	if (r < 0)
		fprintf(stderr, "column %zu: %s\n", err.column, err.what);
	CHECK(r == 0);
	CHECK(rec.len == size && (size == 0 || !memcmp(rec.data, data, size)));
	CHECK(type ? rec.has_type && !rec.has_priority && rec.type == number :
		     rec.has_priority && !rec.has_type && rec.priority == number);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_as_line(data, size);
	round_trip(data, size);
	return 0;
}
