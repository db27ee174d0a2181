/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport-backend.h - what each transport implements behind transport.h
 * (transport-kernel.c, transport-mqtt.c): private to them and
 * transport.c, as queue/backend.h is to the queue layer. */
#ifndef MQTOOLS_LED_TRANSPORT_BACKEND_H
#define MQTOOLS_LED_TRANSPORT_BACKEND_H

#include <stddef.h>
#include "mqled/transport.h"

/* What every transport has. A backend's own handle embeds it as its first
 * member, named base, and keeps its state beside it: see
 * TRANSPORT_BACKEND_OF. */
struct transport {
	const struct transport_backend *ops;
	struct transport_options opt;
	char name[2600];    /* transport_name() */
	char started[2700]; /* transport_started() */
	bool down;          /* shutdown() was called */
};

/* The backend's handle of TYPE around T. */
#define TRANSPORT_BACKEND_OF(t, type) ((type *)(void *)((char *)(t)-offsetof(type, base)))

struct transport_backend {
	size_t size; /* of the backend's handle, zeroed before open */
	/* Take what T->opt names and fill T's name and started; on failure
	 * release what it took. 0, or -errno with E saying why. */
	int (*open)(struct transport *t, struct mqled_error *e);
	/* optional: what transport_ready() says; none: true */
	bool (*ready)(struct transport *t);
	int (*receive)(struct transport *t, struct transport_message *m, const struct queue_wait *w);
	void (*answer)(struct transport *t, const struct transport_message *m, const struct protocol_command *cmd,
		const char *text);
	/* optional */
	void (*state)(struct transport *t, const char *led, const struct transport_led_state *st);
	void (*shutdown)(struct transport *t);
	/* optional */
	void (*daemonized)(struct transport *t);
	/* optional: release the backend's own, after shutdown() */
	void (*close)(struct transport *t);
};

extern const struct transport_backend transport_kernel_backend;
/* in a build with mqtt:// (configure's HAVE_MQTT) */
extern const struct transport_backend transport_mqtt_backend;

#endif
