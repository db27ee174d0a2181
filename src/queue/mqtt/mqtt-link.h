/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-link.h - one MQTT 5 connection through libmosquitto (mqtt-dl.h),
 * driven by the caller's own loop (no thread of libmosquitto's): the
 * client made with its credentials and TLS, a connect to each of the URL's
 * hosts in turn, one pass of poll(2) and libmosquitto's read, write and
 * housekeeping over its socket. The mqtt:// backend (mqtt.c) and mqled's
 * transport and client share it; each sets its own callbacks on l->mosq
 * through l->dl, and decides what a stop signal means (mqtt_link_pump
 * goes on after one; mqtt_link_wait ends). Functions return 0 or -errno,
 * with what more there is to say worded in a queue_detail (may be NULL);
 * nothing prints or exits. */
#ifndef MQTOOLS_QUEUE_MQTT_LINK_H
#define MQTOOLS_QUEUE_MQTT_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/mqtt-url.h"
#include "queue/mqtt/mqtt-dl.h"
#include "queue/queue.h"

/* Without a CA file an mqtts:// broker is checked against the system's
 * CAs (Debian's ca-certificates). */
#define MQTT_LINK_SYSTEM_CA_PATH "/etc/ssl/certs"

struct mqtt_link_options {
	const char *client_id; /* NULL: a random one of libmosquitto's */
	bool persistent;       /* a session the broker keeps (no clean start) */
	bool tcp_nodelay;
	int receive_maximum; /* messages the broker may send unacknowledged; 0: libmosquitto's */
	/* MQTOOLS_PASSWORD or --password-file (used with the URL's user only),
	 * MQTOOLS_CAFILE (NULL: the system's CAs), MQTOOLS_CERT, MQTOOLS_KEY */
	const char *password;
	const char *tls_cafile, *tls_cert, *tls_key;
};

struct mqtt_link {
	const struct mqtt_dl *dl;
	struct mosquitto *mosq;
	const struct mqtt_url *url;     /* the caller's, for the link's life */
	size_t host;                    /* the URL's host tried last */
	char broker[URL_HOST_MAX + 16]; /* "host:port" ("[v6]:port") of that host */
	char where[URL_HOST_MAX + 24];  /* the same as "mqtt://host:port" or "mqtts://..." */
	int rc;                         /* the libmosquitto result of the latest failure (MOSQ_ERR_*) */
	int err;                        /* and its errno, for MOSQ_ERR_ERRNO */
};

/* Load libmosquitto and make the client for URL (MQTT 5) with O, OBJ for
 * its callbacks. 0, -ELIBACC (no libmosquitto), -ENOMEM, or -EINVAL (a user
 * name or password MQTT cannot carry, a TLS setup that failed). */
int mqtt_link_open(struct mqtt_link *l, const struct mqtt_url *url, const struct mqtt_link_options *o, void *obj,
	struct queue_detail *why);
/* Start connecting to the URL's next host (the first at the first call),
 * PROPS the CONNECT's properties (may be NULL): blocking for the TCP
 * connect and the TLS handshake only, which a signal without SA_RESTART
 * cuts short; the CONNACK comes through mqtt_link_pump. 0, or -errno with
 * WHY naming the broker. */
int mqtt_link_connect(struct mqtt_link *l, int keepalive_s, const mosquitto_property *props, struct queue_detail *why);
/* Wait up to TIMEOUT_MS (-1: for ever) for the socket, and for WATCH_FD
 * (when >= 0) to hang up, then let libmosquitto read, write and keep the
 * connection alive. 0 (a signal that cut the wait short too), -EPIPE when
 * WATCH_FD hung up (nothing read), or -errno when the connection failed
 * (worded by mqtt_link_strerror). Without a socket it only waits. */
int mqtt_link_pump(struct mqtt_link *l, int timeout_ms, int watch_fd);
/* The same, without a descriptor to watch, for a caller that ends at a
 * stop signal (signals.h): -EINTR when one came, before or during the
 * wait. */
int mqtt_link_wait(struct mqtt_link *l, int timeout_ms);
/* Whether the client has a socket (connected or connecting). */
bool mqtt_link_up(const struct mqtt_link *l);
/* Why the latest mqtt_link_connect, mqtt_link_pump or mqtt_link_result
 * failed, worded (its libmosquitto result is l->rc: MOSQ_ERR_SUCCESS when
 * it did not, or when poll(2) itself failed). */
const char *mqtt_link_strerror(const struct mqtt_link *l);
/* -errno for a libmosquitto result (0 for MOSQ_ERR_SUCCESS);
 * MOSQ_ERR_ERRNO takes errno. */
int mqtt_link_errno(int rc);
/* The same for the result RC of a call on L's client, kept as L's latest
 * for mqtt_link_strerror. */
int mqtt_link_result(struct mqtt_link *l, int rc);
/* A reason code of the broker's (CONNACK, SUBACK, PUBACK, DISCONNECT)
 * worded, and whether it refuses who we are (bad user name or password,
 * not authorized), which trying again will not mend. */
const char *mqtt_link_reason(const struct mqtt_link *l, int reason);
bool mqtt_link_refused_auth(int reason);
/* Send a DISCONNECT (normal) and let it go out, bounded: for a link whose
 * CONNACK said yes. */
void mqtt_link_disconnect(struct mqtt_link *l);
/* Release the client (no DISCONNECT). */
void mqtt_link_close(struct mqtt_link *l);

/* Milliseconds from now to DEADLINE_NS (monotonic), at least 0: a poll
 * timeout. */
int mqtt_link_ms_until(int64_t deadline_ns);

#endif
