/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - what the mqled controller tells about its work: to stderr as
 * "mqled: ...", or to syslog (facility daemon) once it has detached. */
#ifndef MQTOOLS_LEDLOG_H
#define MQTOOLS_LEDLOG_H

#include <stdbool.h>
#include <syslog.h>

/* From now on, log to syslog instead of stderr. */
void ledlog_use_syslog(void);
/* PRIORITY is a syslog priority: LOG_INFO for what was done, LOG_WARNING
 * for a refused command, LOG_ERR for a failure. */
void ledlog(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Something that keeps a line redrawn on the same terminal (the console
 * LED: led_console_redraw) is FN: it is called with false before each log
 * line written to stderr, to clear its line, and with true after, to draw
 * it again below the log line. NULL: none. */
void ledlog_set_redraw(void (*fn)(bool after));

#endif
