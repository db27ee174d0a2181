/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport.h - where the controller's commands come from and where its
 * answers and state go, behind one interface whatever carries them:
 * - a kernel queue (transport-kernel.c): commands on the controller's own
 *   POSIX or System V queue, answers on each client's private reply queue
 *   (auth.h), one controller per queue by a lock (lock.h);
 * - an MQTT broker (transport-mqtt.c): commands on a topic, answers by
 *   MQTT 5 request/response, the state retained on <topic>/state, the
 *   availability (Last Will) on <topic>/availability.
 * The controller's loop (controller.c) knows neither. */
#ifndef MQTOOLS_LED_TRANSPORT_H
#define MQTOOLS_LED_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include "mqled/protocol.h"
#include "queue/queue.h"

struct controller_options;

/* One command as it arrived. DATA stays valid until the next receive. */
struct transport_message {
	const char *data;
	size_t len;
	/* Stop whatever the text says: a System V message of type
	 * CONTROLLER_SYSV_STOP_TYPE (the seeds' protocol). */
	bool stop;
	/* The LED its topic names (MQTT <topic>/NAME), "" when none. */
	const char *led;
	/* The transport's own: where and how this one is answered. */
	const void *reply;
};

struct transport;

struct transport_ops {
	/* The next command, waiting as W says: 0, -ETIMEDOUT, -EINTR on a stop
	 * signal; any other -errno means the controller cannot go on (logged
	 * by the transport). */
	int (*receive)(struct transport *t, struct transport_message *m, const struct queue_wait *w);
	/* Answer M with TEXT ("ok ..." or "error ..."), if its sender asked for
	 * an answer; CMD is what the parser made of it (reply= and nonce= even
	 * when it refused the rest). Never waits for a client. */
	void (*answer)(struct transport *t, const struct transport_message *m, const struct protocol_command *cmd,
		const char *text);
	/* Optional: the LED named LED ("" the only one) is now lit or not. */
	void (*state)(struct transport *t, const char *led, bool on);
	/* Stop taking commands (the queue removed, if the controller made it;
	 * the broker told that it is offline); answer() still works after. */
	void (*shutdown)(struct transport *t);
	/* Optional: after --daemon's fork, the locks name the new pid. */
	void (*daemonized)(struct transport *t);
	/* Release everything. */
	void (*close)(struct transport *t);
};

struct transport {
	const struct transport_ops *ops;
	char name[2600];    /* for status: "queue /mqled", "topic home/led on mqtt://host:1883" */
	char started[2700]; /* for the log: "queue /mqled (created)" */
	bool down;      /* shutdown() was called */
};

/* The controller's transport for OPT (its address's kind): taken, locked,
 * ready. The LEDs it will report on are OPT's (-L names, or one unnamed).
 * On failure the error is printed and the process exits. */
struct transport *transport_open(const struct controller_options *opt);
struct transport *transport_kernel_open(const struct controller_options *opt);
struct transport *transport_mqtt_open(const struct controller_options *opt);

static inline void transport_shutdown(struct transport *t)
{
	if (t && !t->down) {
		t->down = true;
		t->ops->shutdown(t);
	}
}

#endif
