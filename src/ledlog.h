/* ledlog.h - what the mqled controller tells about its work: to stderr as
 * "mqled: ...", or to syslog (facility daemon) once it has detached. */
#ifndef MQTOOLS_LEDLOG_H
#define MQTOOLS_LEDLOG_H

#include <syslog.h>

/* From now on, log to syslog instead of stderr. */
void ledlog_use_syslog(void);
/* PRIORITY is a syslog priority: LOG_INFO for what was done, LOG_WARNING
 * for a refused command, LOG_ERR for a failure. */
void ledlog(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
