/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stop.c - the stop policy (see stop.h), on lib/signals.c's mechanism. */
#include "config.h"
#include "cli/stop.h"
#include "lib/signals.h"

#include <stdbool.h>
#include <stddef.h>

/* Each ends a process by default, and is what a user (^C, ^\), a closed
 * terminal, a service manager or a script sends to end one. */
static const int stop_signals[] = { SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2 };
/* Each would kill the tool in the middle of a write: ignored, the write
 * fails with an error the tool handles. */
static const int ignored_signals[] = { SIGPIPE, SIGXFSZ };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* SIGHUP was ignored at start (nohup): it stays so, for commands too. */
static bool hangup_ignored;

/* Whether SIG is ignored now, as this process found it. */
static bool ignored(int sig)
{
	struct sigaction sa;
	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

void cli_stop_install(void)
{
	/* nohup(1) asked for the hangup to be survived: it is */
	hangup_ignored = ignored(SIGHUP);
	for (size_t i = 0; i < COUNT(stop_signals); i++)
		if (stop_signals[i] != SIGHUP || !hangup_ignored)
			signals_stop_on(stop_signals[i]);
	for (size_t i = 0; i < COUNT(ignored_signals); i++)
		signal(ignored_signals[i], SIG_IGN);
}

void cli_stop_signals(sigset_t *set)
{
	for (size_t i = 0; i < COUNT(stop_signals); i++)
		if (stop_signals[i] != SIGHUP || !hangup_ignored)
			sigaddset(set, stop_signals[i]);
	for (size_t i = 0; i < COUNT(ignored_signals); i++)
		sigaddset(set, ignored_signals[i]);
	sigaddset(set, SIGALRM);
}
