/* SPDX-License-Identifier: GPL-2.0-or-later */
/* controller.h - the mqled controller ("mqled run"): takes the LED and its
 * command queue, executes commands until told to stop, cleans up. */
#ifndef MQTOOLS_LED_CONTROLLER_H
#define MQTOOLS_LED_CONTROLLER_H

#include <stdbool.h>
#include "mqled/led/led.h"
#include "mqled/mqled.h"
#include "queue/queue.h"

#define CONTROLLER_DEFAULT_MODE 0620
#define CONTROLLER_DEFAULT_PIDFILE "/run/mqled.pid"
/* On a System V queue, a message of this type means stop whatever its text:
 * the seeds' exercise (mqled(1), COMPATIBLE PROTOCOL). */
#define CONTROLLER_SYSV_STOP_TYPE 2

/* -L NAME=SPEC, at most this many */
#define CONTROLLER_MAX_LEDS 8
struct controller_led {
	const char *name;
	struct led_options led;
};

struct controller_options {
	struct queue_address addr;
	const char *queue_text;
	mode_t mode;
	struct led_options led;  /* the one LED, without -L */
	struct controller_led leds[CONTROLLER_MAX_LEDS]; /* -L */
	size_t n_leds;
	bool keep;          /* leave the LED as it is at exit */
	bool daemon;        /* detach and log to syslog */
	const char *pidfile; /* NULL: none (--daemon gets the default) */
	struct mqled_credentials credentials; /* mqtt:// */
	bool ha_discovery;  /* mqtt://: publish Home Assistant's discovery config */
};

/* Run the controller; returns the exit status. */
int controller_run(const struct controller_options *opt);

#endif
