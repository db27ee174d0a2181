/* SPDX-License-Identifier: GPL-2.0-or-later */
/* error.c - why a part of mqled failed (see error.h). */
#include "config.h"
#include "mqled/error.h"

#include <stdarg.h>
#include <stdio.h>

int mqled_fail(struct mqled_error *e, int err, const char *fmt, ...)
{
	va_list ap;
	e->action = NULL;
	e->err = -err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -err;
}

int mqled_logged(struct mqled_error *e, int err)
{
	e->action = NULL;
	e->err = -err;
	e->msg[0] = '\0';
	return -err;
}

int mqled_queue_fail(struct mqled_error *e, int err, const char *action, const struct queue_detail *why)
{
	e->action = action;
	e->err = err;
	snprintf(e->detail.text, sizeof(e->detail.text), "%s", why ? why->text : "");
	e->msg[0] = '\0';
	return err;
}
