/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stop.h - the one stop policy of every mqtools command (mqtools(7),
 * SIGNALS). The signals that users and systems send to end a process
 * (HUP, INT, TERM, QUIT, USR1, USR2) all request the same clean stop:
 * lib/signals.h records it, and every wait of the tools ends with EINTR
 * and puts back, writes out or dead-letters what it holds. PIPE and XFSZ
 * are ignored: a write to a reader that left fails with EPIPE, one past
 * the file size limit (ulimit -f, LimitFSIZE=) with EFBIG, and each takes
 * the ordinary error path instead of killing the tool with messages in
 * hand. SIGALRM stays the queue layer's (its timer). A SIGHUP ignored when
 * the tool starts (nohup(1)) stays ignored; the others are handled even
 * then, as a shell's background job ignores SIGINT and SIGQUIT and may
 * still be asked to stop with them. */
#ifndef MQTOOLS_CLI_STOP_H
#define MQTOOLS_CLI_STOP_H

#include <signal.h>

/* Install the policy; cli_init() does, first thing. */
void cli_stop_install(void);
/* Add to SET every signal the policy handles or ignores, and SIGALRM: a
 * command the tool starts must get them back at their defaults (an
 * ignored signal stays ignored across exec). Not a SIGHUP that was
 * ignored at start: nohup's holds for the commands too. */
void cli_stop_signals(sigset_t *set);

#endif
