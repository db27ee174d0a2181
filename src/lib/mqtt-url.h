/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-url.h - the mqtt:// part of the address grammar (mqtools(7)):
 *   mqtt[s]://[user@]host[:port][,host[:port]...]/topic/levels[?qos=0|1|2]
 * on top of url.h's split: the path is the topic, percent-decoded, its
 * '/' the topic's level separator; the query takes qos alone. Where one
 * topic is meant (publishing, a command topic, a queue) the wildcards '+'
 * and '#' are refused; a subscription's filter may hold them, each as a
 * whole level and '#' last. Pure: failures are worded in a parse_error,
 * naming the part. */
#ifndef MQTOOLS_MQTT_URL_H
#define MQTOOLS_MQTT_URL_H

#include <stdbool.h>
#include "lib/parse.h"
#include "lib/url.h"

/* MQTT's topics are at most 65535 bytes; an address's path is shorter. */
#define MQTT_TOPIC_MAX URL_PATH_MAX
#define MQTT_QOS_DEFAULT 1

enum mqtt_topic_use {
	MQTT_TOPIC_NAME,   /* one topic: no wildcards */
	MQTT_TOPIC_FILTER, /* a subscription: '+' and '#' as whole levels */
};

struct mqtt_url {
	struct net_url net;
	char topic[MQTT_TOPIC_MAX + 1]; /* decoded */
	bool has_qos;
	int qos; /* MQTT_QOS_DEFAULT when not given */
};

/* Split and check TEXT, an mqtt:// or mqtts:// address. */
int mqtt_url_parse(const char *text, enum mqtt_topic_use use, struct mqtt_url *m, struct parse_error *e);
/* Check a decoded TOPIC for USE: not empty, valid UTF-8 without control
 * characters, not one of the
 * broker's own ('$SYS/...', '$share/...'), wildcards only where allowed. */
int mqtt_topic_check(const char *topic, enum mqtt_topic_use use, struct parse_error *e);
/* Whether TOPIC holds a wildcard level. */
bool mqtt_topic_has_wildcard(const char *topic);

#endif
