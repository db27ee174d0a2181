/* SPDX-License-Identifier: GPL-2.0-or-later */
/* error.h - why a part of mqled below its main could not do its job (the
 * controller, a transport): the parts return -errno and fill one of these;
 * main words it and chooses the exit status. Nothing below main prints or
 * exits (tests/check-layers). */
#ifndef MQTOOLS_MQLED_ERROR_H
#define MQTOOLS_MQLED_ERROR_H

#include "lib/file.h"
#include "queue/queue.h"

struct mqled_error {
	/* A queue call that failed: ACTION ("create", "inspect", "open",
	 * "serve") on the controller's queue, worded by queue_strerror() with
	 * DETAIL, its exit status queue_cli_error()'s. NULL: MSG says it. */
	const char *action;
	int err; /* -errno */
	struct queue_detail detail;
	/* A file of an option (FILE_OPTION, e.g. "--pidfile") that lib/file.h's
	 * rules refused (a symbolic link, not a regular file, another user's
	 * file): ERR and FILE say why, for main to word. NULL: none. */
	const char *file_option;
	const char *file_path;
	struct file_detail file;
	/* The whole message, for the user; "" when the log said it already. */
	char msg[8192];
};

/* MSG from FMT; returns -ERR (ERR a positive errno). */
int mqled_fail(struct mqled_error *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A failure the log has said already (an empty MSG); returns -ERR. */
int mqled_logged(struct mqled_error *e, int err);
/* A queue call's failure: ERR (-errno) during ACTION, WHY's detail (may be
 * NULL); returns ERR. */
int mqled_queue_fail(struct mqled_error *e, int err, const char *action, const struct queue_detail *why);

#endif
