/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - the controller's log (see log.h). */
#include "config.h"
#include "mqled/log.h"
#include "cli/cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static bool use_syslog;
static void (*redraw)(bool after);

void ledlog_set_redraw(void (*fn)(bool after))
{
	redraw = fn;
}

void ledlog_use_syslog(void)
{
	openlog(cli_program, LOG_PID, LOG_DAEMON);
	use_syslog = true;
}

void ledlog(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(priority, fmt, ap);
	} else {
		if (redraw)
			redraw(false);
		fprintf(stderr, "%s: ", cli_program);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		if (redraw)
			redraw(true);
	}
	va_end(ap);
}
