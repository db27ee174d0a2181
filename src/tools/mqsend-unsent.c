/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqsend-unsent.c - mqsend's records read and not sent, to the dead letter
 * (see mqsend-unsent.h). */
#include "config.h"
#include "tools/mqsend-unsent.h"
#include "cli/cli.h"
#include "lib/file.h"
#include "lib/grow.h"
#include "lib/signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *unsent_stop_text(char *buf, size_t size)
{
	char name[32];
	snprintf(buf, size, "stopped by %s", signals_stop_name(name, sizeof(name)));
	return buf;
}

int unsent_to_dead_letter(struct framing_reader *input, const struct dead_letter *dead, const char *failed, size_t len,
	long priority, int status)
{
	struct queue_message *msgs = NULL;
	size_t n = 0, cap = 0;
	bool incomplete = false;
	char *data;
	char why[64];

	if (!input)
		return status;
	framing_reader_stop_reading(input);
	/* the records point into the reader's buffer, which no read moves now */
	if (failed) {
		if (!(msgs = grow_array(msgs, &cap, n, sizeof(*msgs), 16)))
			goto no_memory;
		msgs[n++] = (struct queue_message){ .data = failed, .len = len, .priority = priority };
	}
	while (framing_reader_next(input, &data, &len) == FRAMING_OK) {
		struct queue_message *more = grow_array(msgs, &cap, n, sizeof(*msgs), 16);
		if (!more)
			goto no_memory;
		msgs = more;
		msgs[n++] = (struct queue_message){ .data = data, .len = len, .priority = priority };
		incomplete = framing_reader_incomplete(input);
	}
	if (!n)
		return status;
	status = dead_letter_write(dead, msgs, n, "%zu record%s read from standard input %s not sent to %s (%s)", n,
		n == 1 ? "" : "s", n == 1 ? "was" : "were", dead->queue,
		signals_stop_requested() ? unsent_stop_text(why, sizeof(why)) : "mqsend ended at the error above");
	if (incomplete)
		cli_warn("the last of them is the start of a record: its end was never read");
	free(msgs);
	return status;
no_memory:
	cli_warn("out of memory: the records read from standard input and not sent to %s are lost", dead->queue);
	free(msgs);
	return MQ_EXIT_FAILURE;
}

int unsent_json_to_dead_letter(struct framing_reader *lines, const struct dead_letter *dead, const char *failed,
	size_t len, long priority, int status)
{
	char why[64], *data;
	size_t n = 0;
	bool incomplete = false;
	int fd = dead->fd >= 0 ? dead->fd : STDERR_FILENO;
	const char *cause =
		signals_stop_requested() ? unsent_stop_text(why, sizeof(why)) : "mqsend ended at the error above";

	if (!lines)
		return status;
	framing_reader_stop_reading(lines);
	if (failed) {
		struct queue_message m = { .data = (char *)failed, .len = len, .priority = priority };
		status = dead_letter_write(dead, &m, 1, "the message read from standard input was not sent to %s (%s)",
			dead->queue, cause);
	}
	while (framing_reader_next(lines, &data, &len) == FRAMING_OK) {
		if (!n++)
			cli_warn(
				"the JSON lines read from standard input and not sent to %s (%s) follow as they were read, "
				"on %s",
				dead->queue, cause, dead->fd >= 0 ? dead->path : "standard error");
		int r = file_write_all(fd, data, len);
		if (r == 0)
			r = file_write_all(fd, "\n", 1);
		if (r < 0) {
			cli_warn("writing the JSON lines not sent: %s: lines of the input are lost", strerror(-r));
			return MQ_EXIT_FAILURE;
		}
		incomplete = framing_reader_incomplete(lines);
		status = MQ_EXIT_DEADLETTER;
	}
	if (incomplete)
		cli_warn("the last of them is the start of a line: its end was never read");
	return status;
}
