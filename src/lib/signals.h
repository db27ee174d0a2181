/* SPDX-License-Identifier: GPL-2.0-or-later */
/* signals.h - stop signals and timed waits for blocking queue calls.
 * Handlers are installed without SA_RESTART so a blocked msgsnd/msgrcv or
 * mq_* call returns EINTR. A signal that lands just before the call is
 * entered would be missed, so after the first stop signal or deadline a
 * timer keeps re-interrupting every few milliseconds until the caller has
 * seen it: no blocking call can sleep through it. */
#ifndef MQTOOLS_SIGNALS_H
#define MQTOOLS_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* SIGINT and SIGTERM request a clean stop; SIGPIPE is ignored so that a
 * closed pipe is an EPIPE we can handle. */
void signals_install(void);
/* The stop signal received, or 0. */
int signals_stop_requested(void);

/* Arm a one-off deadline NS from now for a blocking call that has no
 * timeout of its own (System V): a POSIX timer raises SIGALRM, whose
 * handler this installs (without SA_RESTART) unless signals_install() has. */
void deadline_arm(int64_t ns);
void deadline_disarm(void);
bool deadline_expired(void);

#endif
