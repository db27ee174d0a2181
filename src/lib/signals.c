/* SPDX-License-Identifier: GPL-2.0-or-later */
/* signals.c - stop signals and the System V deadline timer (see signals.h). */
#include "config.h"
#include "lib/signals.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* After a stop or deadline, re-interrupt this often until disarmed. */
#define REFIRE_NS 5000000L

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t deadline_hit;
static volatile sig_atomic_t stop_shuts = -1; /* signals_stop_shuts() */
static timer_t refire_timer;
static pid_t timer_owner; /* the process that created it: a fork's child has none */
static bool alarm_handled;

static void arm_timer(int64_t first_ns, long interval_ns)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = first_ns / 1000000000LL, .tv_nsec = first_ns % 1000000000LL },
		.it_interval = { .tv_sec = 0, .tv_nsec = interval_ns },
	};
	if (timer_owner != getpid())
		return; /* none yet in this process: signals_install() makes it */
	timer_settime(refire_timer, 0, &its, NULL);
}

static void shut_if_stopping(void)
{
	int fd = stop_shuts;
	if (stop_signal && fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

static void on_stop(int sig)
{
	stop_signal = sig;
	shut_if_stopping();
	/* keep interrupting: the signal may have landed just before a call */
	arm_timer(REFIRE_NS, REFIRE_NS);
}

static void on_alarm(int sig)
{
	(void)sig;
	deadline_hit = 1;
	shut_if_stopping(); /* the re-interrupt after a stop */
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking calls must return EINTR */
	sigaction(sig, &sa, NULL);
}

void signals_install(void)
{
	if (!alarm_handled) {
		handle(SIGALRM, on_alarm);
		alarm_handled = true;
	}
	/* created here, never in a handler: timer_create is not
	 * async-signal-safe */
	if (timer_owner != getpid()) {
		struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM };
		if (timer_create(CLOCK_MONOTONIC, &sev, &refire_timer) == 0)
			timer_owner = getpid();
		/* a stop that came before this process had its timer */
		if (stop_signal)
			arm_timer(REFIRE_NS, REFIRE_NS);
	}
}

void signals_stop_on(int sig)
{
	signals_install();
	handle(sig, on_stop);
}

int signals_stop_requested(void)
{
	return stop_signal;
}

const char *signals_stop_name(char *buf, size_t size)
{
	const char *abbrev = sigabbrev_np(stop_signal);
	if (abbrev)
		snprintf(buf, size, "SIG%s", abbrev);
	else
		snprintf(buf, size, "signal %d", (int)stop_signal);
	return buf;
}

void signals_stop_shuts(int fd)
{
	stop_shuts = fd;
	shut_if_stopping();
}

void deadline_arm(int64_t ns)
{
	/* the timer's SIGALRM is ours: a caller that installed no handlers
	 * must not be killed by it */
	signals_install();
	deadline_hit = 0;
	arm_timer(ns > 0 ? ns : 1, REFIRE_NS);
}

void deadline_disarm(void)
{
	if (!stop_signal)
		arm_timer(0, 0);
	deadline_hit = 0;
}

bool deadline_expired(void)
{
	return deadline_hit;
}
