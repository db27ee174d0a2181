/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-link.h - what the mqled controller and client share of an MQTT 5
 * connection through libmosquitto (lib/queue/mqtt-dl.h), driven by the
 * caller's own loop (no thread of libmosquitto's): the address, the
 * credentials (MQTOOLS_PASSWORD or --password-file, MQTOOLS_CAFILE,
 * MQTOOLS_CERT, MQTOOLS_KEY), a connect to each of the URL's hosts in
 * turn, and one poll of the socket that a stop signal cuts short. */
#ifndef MQTOOLS_LED_MQTT_LINK_H
#define MQTOOLS_LED_MQTT_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/mqtt-url.h"
#include "queue/mqtt/mqtt-dl.h"

struct mqtt_link {
	const struct mqtt_dl *dl;
	struct mosquitto *mosq;
	struct mqtt_url url;
	size_t host;     /* the URL's host tried last */
	char where[320]; /* "mqtt://host:port" of that host, for messages */
};

/* Load libmosquitto, parse TEXT, make the client (MQTT 5, clean start) with
 * OBJ for its callbacks and the credentials; prints and exits on failure
 * (a usage error for a bad address). */
void mqtt_link_open(struct mqtt_link *l, const char *text, const char *password_file, void *obj);
/* Start connecting to the next host (the first at the first call): 0, or
 * a libmosquitto error (MOSQ_ERR_*), worded by mqtt_link_strerror. */
int mqtt_link_connect(struct mqtt_link *l, int keepalive_s);
/* Wait up to TIMEOUT_MS (-1: for ever) for the socket and let libmosquitto
 * read, write and keep the connection alive: MOSQ_ERR_SUCCESS, a
 * libmosquitto error when the connection is lost (its disconnect callback
 * has run), or -EINTR when a stop signal arrived. Without a socket it only
 * sleeps. */
int mqtt_link_pump(struct mqtt_link *l, int timeout_ms);
/* Whether the client has a socket (connected or connecting). */
bool mqtt_link_up(const struct mqtt_link *l);
const char *mqtt_link_strerror(const struct mqtt_link *l, int rc);
/* A CONNACK's reason code worded, and whether it is a refusal of who we
 * are (bad user name or password, not authorized), which trying again
 * will not mend. */
const char *mqtt_link_connack(const struct mqtt_link *l, int rc);
bool mqtt_link_refused_auth(int rc);
void mqtt_link_close(struct mqtt_link *l);

/* Milliseconds from now to DEADLINE_NS (monotonic), at least 0. */
int mqtt_link_ms_until(int64_t deadline_ns);

#endif
