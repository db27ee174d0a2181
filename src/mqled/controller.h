/* SPDX-License-Identifier: GPL-2.0-or-later */
/* controller.h - the mqled controller ("mqled run"): takes the LED and its
 * command queue (transport.h), executes commands until told to stop,
 * cleans up. What it does is logged (log.h); nothing else is printed, and
 * a failure is returned for main to word. */
#ifndef MQTOOLS_LED_CONTROLLER_H
#define MQTOOLS_LED_CONTROLLER_H

#include <stdbool.h>
#include "mqled/error.h"
#include "mqled/led/led.h"
#include "mqled/mqled.h"
#include "queue/queue.h"

#define CONTROLLER_DEFAULT_MODE 0620
#define CONTROLLER_DEFAULT_PIDFILE "/run/mqled.pid"
/* -L NAME=SPEC, at most this many */
#define CONTROLLER_MAX_LEDS 8
struct controller_led {
	const char *name;
	struct led_options led;
};

struct controller_options {
	struct queue_address addr;
	const char *queue_text;                          /* the address as given, for messages */
	mode_t mode;                                     /* of the kernel queue it makes */
	struct led_options led;                          /* the one LED, without -L */
	struct controller_led leds[CONTROLLER_MAX_LEDS]; /* -L */
	size_t n_leds;
	bool keep;                            /* leave the LED as it is at exit */
	bool daemon;                          /* detach and log to syslog */
	const char *pidfile;                  /* NULL: none (--daemon gets the default) */
	struct mqled_credentials credentials; /* mqtt:// */
	bool ha_discovery;                    /* mqtt://: publish Home Assistant's discovery config */
};

/* controller_run's return in the process that started mqled run --daemon,
 * once the detached controller serves: it exits 0, releasing nothing. */
#define CONTROLLER_DETACHED 1

/* Run the controller: take its transport (the queue or the broker), the
 * pidfile and the LEDs, detach with --daemon, serve commands until told to
 * stop or a stop signal, release everything. 0 then; -errno when it could
 * not start (E says why) or when its transport could not go on (the log
 * said why, E's message is empty); CONTROLLER_DETACHED above. */
int controller_run(const struct controller_options *opt, struct mqled_error *e);

#endif
