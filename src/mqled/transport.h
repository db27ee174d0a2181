/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport.h - where the controller's commands come from and where its
 * answers and state go, behind one interface whatever carries them:
 * - a kernel queue (transport-kernel.c): commands on the controller's own
 *   POSIX or System V queue, answers on each client's private reply queue
 *   (auth.h), one controller per queue by a lock (lock.h);
 * - an MQTT broker (transport-mqtt.c): commands on a topic, answers by
 *   MQTT 5 request/response, the state retained on <topic>/state, the
 *   availability (Last Will) on <topic>/availability.
 * The controller's loop (controller.c) knows neither: struct transport is
 * opaque, the backends' side is transport-backend.h. Nothing here prints
 * or exits: a failure to open comes back in a struct mqled_error, one
 * while serving is logged (log.h) and returned. */
#ifndef MQTOOLS_LED_TRANSPORT_H
#define MQTOOLS_LED_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "mqled/error.h"
#include "mqled/mqled.h"
#include "mqled/protocol.h"
#include "queue/queue.h"

/* What a transport needs to know; the strings and the address are the
 * caller's and must outlive the transport, this struct need not. */
struct transport_options {
	struct queue_address addr;
	const char *queue_text; /* the address as given, for messages */
	mode_t mode;            /* a kernel queue it makes */
	/* The LEDs it reports on: the names of -L NAME=SPEC, or none (N_LEDS
	 * 0) for the one unnamed LED. */
	const char *const *leds;
	size_t n_leds;
	struct mqled_credentials credentials; /* mqtt:// */
	bool ha_discovery;                    /* mqtt://: publish Home Assistant's discovery config */
};

/* One command as it arrived. DATA stays valid until the next receive. */
struct transport_message {
	const char *data;
	size_t len;
	/* Stop whatever the text says: a System V message of type
	 * TRANSPORT_SYSV_STOP_TYPE (the seeds' protocol). */
	bool stop;
	/* The LED its topic names (MQTT <topic>/NAME), "" when none. */
	const char *led;
	/* The transport's own: where and how this one is answered. */
	const void *reply;
};
/* On a System V queue, a message of this type means stop whatever its text:
 * the seeds' exercise (mqled(1), COMPATIBLE PROTOCOL). */
#define TRANSPORT_SYSV_STOP_TYPE 2

struct transport;

/* Whether the controller has a transport for KIND, built or not (then
 * transport_open says which package would bring it): kernel queues and
 * MQTT topics. */
bool transport_serves(enum queue_kind kind);

/* The transport for OPT's address: taken, locked, ready. 0, or -errno with
 * E saying why (-EPROTONOSUPPORT: a kind this build cannot serve). */
int transport_open(const struct transport_options *opt, struct transport **out, struct mqled_error *e);
/* The controller holds its LEDs and serves from now on: the transport
 * says so where clients look. A kernel queue serves from transport_open
 * on (its lock taken); over MQTT, "online" goes to the availability topic
 * once the command topics are subscribed, and the broker's acknowledgement
 * of both is waited for, a few seconds at most. True when that is
 * confirmed; false when the broker is not reached yet (the transport goes
 * on trying, and says online once it is). */
bool transport_ready(struct transport *t);
/* The next command, waiting as W says: 0, -ETIMEDOUT, -EINTR on a stop
 * signal; any other -errno means the controller cannot go on (logged by
 * the transport). */
int transport_receive(struct transport *t, struct transport_message *m, const struct queue_wait *w);
/* Answer M with TEXT ("ok ..." or "error ..."), if its sender asked for an
 * answer; CMD is what the parser made of it (reply= and nonce= even when
 * it refused the rest). Never waits for a client. */
void transport_answer(struct transport *t, const struct transport_message *m, const struct protocol_command *cmd,
	const char *text);
/* What the controller reports of one of its LEDs. */
struct transport_led_state {
	bool lit;           /* on, or blinking */
	unsigned level;     /* while lit: its brightness, of MAX_LEVEL */
	unsigned max_level; /* its levels (max_brightness); 0 or 1: on and off only */
	/* the blink it runs, as the command that starts it ("blink 500 500",
	 * "pattern 100,150,100,650 3", "pulse 1000"); NULL: none */
	const char *blink;
};
/* The LED named LED ("" the only one) is now as ST says (MQTT's state
 * topics; nothing for a kernel queue). */
void transport_state(struct transport *t, const char *led, const struct transport_led_state *st);
/* Stop taking commands (the queue removed, if the controller made it; the
 * broker told that it is offline); answers still go out after. Once. */
void transport_shutdown(struct transport *t);
/* After --daemon's fork: the locks name the new pid. */
void transport_daemonized(struct transport *t);
/* Shut down if not yet, and release everything. */
void transport_close(struct transport *t);
/* For status: "queue /mqled", "topic home/led on mqtt://host:1883". */
const char *transport_name(const struct transport *t);
/* For the log: "queue /mqled (created)". */
const char *transport_started(const struct transport *t);

#endif
