/* SPDX-License-Identifier: GPL-2.0-or-later */
/* signals.h - stop signals and timed waits for blocking queue calls.
 * Handlers are installed without SA_RESTART so a blocked msgsnd/msgrcv,
 * mq_*, read or write call returns EINTR. A signal that lands just before
 * the call is entered would be missed, so after the first stop signal or
 * deadline a timer keeps re-interrupting every few milliseconds until the
 * caller has seen it: no blocking call can sleep through it.
 *
 * Which signals stop a tool is the command line's policy (cli/stop.h);
 * this is the mechanism it uses. The timer's SIGALRM is this layer's. */
#ifndef MQTOOLS_SIGNALS_H
#define MQTOOLS_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Install the SIGALRM handler and create the re-interrupting timer, in
 * this process: again after a fork(), whose child inherits handlers but
 * not timers (a no-op when this process has them already). */
void signals_install(void);
/* SIG requests a clean stop: its handler records it (see
 * signals_stop_requested) and keeps interrupting blocking calls. Calls
 * signals_install(). */
void signals_stop_on(int sig);
/* The stop signal received, or 0. */
int signals_stop_requested(void);
/* Its name for messages, "SIGTERM" (or "signal N"), in BUF. */
const char *signals_stop_name(char *buf, size_t size);
/* While a library call that waits on a socket by itself runs (a broker
 * client's connect and login, which retry their poll on EINTR): a stop
 * signal shuts socket FD down, so that the call fails at once instead of
 * at its own timeout; -1 ends it. The shutdown(2) is made in the handlers
 * (it is async-signal-safe), again at each re-interrupt, so FD may be a
 * socket still to be made: the lowest free descriptor, which socket(2)
 * will take (on another kind of file it does nothing). Single-threaded
 * callers only. */
void signals_stop_shuts(int fd);

/* Arm a one-off deadline NS from now for a blocking call that has no
 * timeout of its own (System V): a POSIX timer raises SIGALRM, whose
 * handler this installs (without SA_RESTART) unless signals_install() has. */
void deadline_arm(int64_t ns);
void deadline_disarm(void);
bool deadline_expired(void);

#endif
