/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deadletter.c - the dead letter of mqsend and mqrecv (see deadletter.h). */
#include "config.h"
#include "tools/deadletter.h"
#include "tools/msgout.h"
#include "cli/cli.h"
#include "cli/cli-file.h"
#include "cli/stdfds.h"

#include "lib/file.h"
#include "lib/json.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void dead_letter_open(struct dead_letter *d, const char *path)
{
	*d = (struct dead_letter){ .fd = -1, .path = path };
	if (!path)
		return;
	/* a file of this user's, or a new one, never through a symbolic link
	 * (lib/file.h), or a descriptor handed over as /dev/fd/N */
	struct file_detail fd_detail;
	char why[PATH_MAX + 160];
	d->fd = file_open_append(path, &fd_detail);
	if (d->fd < 0)
		cli_die(MQ_EXIT_FAILURE, "--dead-letter %s", cli_file_error(why, sizeof(why), path, d->fd, &fd_detail));
}

void dead_letter_close(struct dead_letter *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

void dead_letter_require(const struct dead_letter *d, const char *nothing_done)
{
	if (d->fd < 0 && cli_stdfd_was_closed(STDERR_FILENO))
		cli_die(MQ_EXIT_FAILURE,
			"standard error is closed, and the dead letter would go there: "
			"give --dead-letter FILE; %s",
			nothing_done);
}

int dead_letter_write(const struct dead_letter *d, const struct queue_message *msgs, size_t n, const char *fmt, ...)
{
	char why[512];
	bool to_file = d->fd >= 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	cli_warn("%s: written as JSON lines to %s", why, to_file ? d->path : "standard error");
	int r = msgout_write_json(to_file ? d->fd : STDERR_FILENO, d->queue, d->kind, msgs, n);
	if (r < 0 && to_file) {
		cli_warn("writing %s: %s; writing them to standard error instead", d->path, msgout_strerror(r));
		r = msgout_write_json(STDERR_FILENO, d->queue, d->kind, msgs, n);
	}
	if (r < 0) {
		/* (standard error may be closed: the status says it then) */
		cli_warn("writing them to standard error failed too: %s", msgout_strerror(r));
		return MQ_EXIT_FAILURE;
	}
	return MQ_EXIT_DEADLETTER;
}

static int stream_fd(const struct dead_letter_stream *s)
{
	return s->d->fd >= 0 ? s->d->fd : STDERR_FILENO;
}

static void stream_write(struct dead_letter_stream *s, const char *data, size_t n)
{
	if (!s->err)
		s->err = file_write_all(stream_fd(s), data, n);
}

void dead_letter_stream_begin(struct dead_letter_stream *s, const struct dead_letter *d, long priority)
{
	*s = (struct dead_letter_stream){ .d = d, .priority = priority };
}

void dead_letter_stream_add(struct dead_letter_stream *s, const char *data, size_t n)
{
	if (!s->begun) {
		char *head = malloc(MSGOUT_JSON_HEAD_MAX);
		s->out = msgout_new(stream_fd(s), MSGOUT_JSON, false, s->d->queue, s->d->kind);
		if (!head || !s->out) {
			s->err = -ENOMEM;
		} else {
			size_t len = msgout_json_head(s->out, head, s->priority);
			len += (size_t)sprintf(head + len, ",\"encoding\":\"base64\",\"data\":\"");
			stream_write(s, head, len);
		}
		free(head);
		s->begun = true;
	}
	s->total += n;
	/* whole groups of three bytes, the rest carried to the next piece */
	while (n && !s->err) {
		char in[3 * 1024], out[4 * 1024];
		size_t k = s->ncarry;
		memcpy(in, s->carry, k);
		size_t take = sizeof(in) - k < n ? sizeof(in) - k : n;
		memcpy(in + k, data, take);
		data += take;
		n -= take;
		k += take;
		size_t whole = k / 3 * 3;
		s->ncarry = k - whole;
		memcpy(s->carry, in + whole, s->ncarry);
		stream_write(s, out, base64_encode(out, in, whole));
	}
}

int dead_letter_stream_end(struct dead_letter_stream *s)
{
	char out[8], tail[64];

	if (!s->begun)
		dead_letter_stream_add(s, "", 0);
	stream_write(s, out, base64_encode(out, (const char *)s->carry, s->ncarry));
	int n = snprintf(tail, sizeof(tail), "\",\"size\":%zu}\n", s->total);
	stream_write(s, tail, (size_t)n);
	msgout_free(s->out);
	s->out = NULL;
	if (s->err) {
		cli_warn("writing %s: %s: the line of that record is cut short, and the rest of it lost",
			s->d->fd >= 0 ? s->d->path : "standard error", msgout_strerror(s->err));
		return MQ_EXIT_FAILURE;
	}
	return MQ_EXIT_DEADLETTER;
}
