/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonlines.c - mqsend --json's input (jsonlines.h). */
#include "config.h"
#include "tools/jsonlines.h"
#include "lib/json.h"
#include "queue/priority-map.h"

#include <stdlib.h>

/* Room in a line for the members beside "data": the queue's name and
 * topic, as \u escapes at worst, and any a user adds. */
#define OTHER_MEMBERS 65536

struct jsonlines {
	struct framing_reader *lines;
	enum queue_kind to;
	long none;
	size_t max_message, max_line;
	struct jsonin_error err;
};

struct jsonlines *jsonlines_new(int fd, enum queue_kind to, long none, size_t max_message, size_t headroom)
{
	struct jsonlines *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->to = to;
	j->none = none;
	j->max_message = max_message;
	/* text data, every byte a \u00XX at worst; base64 is shorter */
	j->max_line = json_string_size(max_message) + OTHER_MEMBERS;
	j->lines = framing_reader_new(fd, FRAME_DELIMITED, '\n', j->max_line, headroom);
	if (!j->lines) {
		free(j);
		return NULL;
	}
	return j;
}

void jsonlines_free(struct jsonlines *j)
{
	if (j) {
		framing_reader_free(j->lines);
		free(j);
	}
}

/* The line's priority or type for the destination: the member the
 * destination's kind has, else the other one mapped, else NONE. */
static long priority_for(const struct jsonlines *j, const struct jsonin_record *rec)
{
	unsigned can = queue_kind_caps(j->to)->can;
	if (rec->has_type && ((can & QUEUE_CAN_TYPE) || !rec->has_priority))
		return queue_priority_map(QUEUE_SYSV, rec->type, j->to, j->none);
	if (rec->has_priority)
		return queue_priority_map(QUEUE_POSIX, rec->priority, j->to, j->none);
	return j->none;
}

int jsonlines_next(struct jsonlines *j, char **data, size_t *len, long *priority)
{
	struct jsonin_record rec;
	char *line;
	size_t n;
	enum framing_status st = framing_reader_next(j->lines, &line, &n);

	if (st == FRAMING_TOO_LONG) {
		*len = n;
		return JSONLINES_LINE_TOO_LONG;
	}
	if (st != FRAMING_OK)
		return st;
	if (jsonin_parse(line, n, &rec, &j->err) < 0)
		return JSONLINES_BAD;
	*data = rec.data;
	*len = rec.len;
	*priority = priority_for(j, &rec);
	return rec.len > j->max_message ? FRAMING_TOO_LONG : FRAMING_OK;
}

const struct jsonin_error *jsonlines_error(const struct jsonlines *j)
{
	return &j->err;
}

unsigned long long jsonlines_line(const struct jsonlines *j)
{
	return framing_reader_index(j->lines);
}

size_t jsonlines_max_line(const struct jsonlines *j)
{
	return j->max_line;
}

void jsonlines_before_read(struct jsonlines *j, int (*fn)(void *arg), void *arg)
{
	framing_reader_before_read(j->lines, fn, arg);
}

struct framing_reader *jsonlines_reader(struct jsonlines *j)
{
	return j->lines;
}
