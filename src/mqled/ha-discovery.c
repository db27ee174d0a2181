/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ha-discovery.c - Home Assistant's MQTT discovery config (ha-discovery.h). */
#include "config.h"
#include "mqled/ha-discovery.h"
#include "mqled/mqtt-topics.h"
#include "lib/json.h"

#include <errno.h>
#include <sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ha_discovery_object_id(const char *topic, const char *led, char out[HA_OBJECT_ID_MAX + 1])
{
	size_t o = (size_t)snprintf(out, HA_OBJECT_ID_MAX + 1, "mqled_");
	size_t tlen = strlen(topic), llen = strlen(led);
	/* room for "_NAME" and, when cut, "_" and 8 hex digits */
	size_t room = HA_OBJECT_ID_MAX - o - (llen ? llen + 1 : 0);
	bool cut = tlen > room;

	if (cut)
		room -= 9;
	for (size_t i = 0; i < tlen && i < room; i++) {
		char c = topic[i];
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		out[o++] = plain ? c : '_';
	}
	if (cut) {
		char hex[SHA256_DIGEST_STRING_LENGTH];
		SHA256Data((const uint8_t *)topic, tlen, hex);
		o += (size_t)snprintf(out + o, HA_OBJECT_ID_MAX + 1 - o, "_%.8s", hex);
	}
	snprintf(out + o, HA_OBJECT_ID_MAX + 1 - o, "%s%s", llen ? "_" : "", led);
}

int ha_discovery_config_topic(const char *object_id, char *out, size_t len)
{
	int n = snprintf(out, len, HA_DISCOVERY_PREFIX "/light/%s/config", object_id);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

size_t ha_discovery_payload_size(const char *topic)
{
	/* four topics built on TOPIC, each quoted at worst 6 bytes a byte,
	 * the device's name, the fixed text */
	return 6 * json_string_size(strlen(topic) + 64) + 1024;
}

/* A JSON writer into a bounded buffer; ERR once it ran out. */
struct out {
	char *p;
	size_t len, o;
	bool err;
};

static void raw(struct out *w, const char *s)
{
	size_t n = strlen(s);
	if (w->err || w->o + n >= w->len) {
		w->err = true;
		return;
	}
	memcpy(w->p + w->o, s, n + 1);
	w->o += n;
}

/* ,"KEY":"VALUE" (FIRST: without the comma) */
static void field(struct out *w, const char *key, const char *value, bool first)
{
	size_t vlen = strlen(value);
	if (!first)
		raw(w, ",");
	raw(w, "\"");
	raw(w, key);
	raw(w, "\":");
	if (w->err || w->o + json_string_size(vlen) >= w->len) {
		w->err = true;
		return;
	}
	w->o += json_string(w->p + w->o, value, vlen);
	w->p[w->o] = '\0';
}

int ha_discovery_payload(const char *topic, const char *led, char *out, size_t len)
{
	size_t tmax = strlen(topic) + 2 * 32 + 32;
	char *command = malloc(tmax), *state = malloc(tmax), *avail = malloc(tmax), *device = malloc(tmax);
	char id[HA_OBJECT_ID_MAX + 1], device_id[HA_OBJECT_ID_MAX + 1];
	struct out w = { out, len, 0, false };
	int r = -ENOMEM;

	if (!command || !state || !avail || !device)
		goto done;
	r = -ENAMETOOLONG;
	if (mqtt_topics_command(topic, led, command, tmax) < 0 || mqtt_topics_state(topic, led, state, tmax) < 0 ||
		mqtt_topics_availability(topic, avail, tmax) < 0)
		goto done;
	ha_discovery_object_id(topic, led, id);
	ha_discovery_object_id(topic, "", device_id);
	snprintf(device, tmax, "mqled %s", topic);
	raw(&w, "{");
	field(&w, "name", *led ? led : "LED", true);
	field(&w, "unique_id", id, false);
	field(&w, "object_id", id, false);
	field(&w, "command_topic", command, false);
	field(&w, "state_topic", state, false);
	field(&w, "payload_on", MQTT_TOPICS_ON, false);
	field(&w, "payload_off", MQTT_TOPICS_OFF, false);
	field(&w, "availability_topic", avail, false);
	field(&w, "payload_available", MQTT_TOPICS_ONLINE, false);
	field(&w, "payload_not_available", MQTT_TOPICS_OFFLINE, false);
	raw(&w, ",\"qos\":1,\"retain\":false,\"optimistic\":false,\"device\":{\"identifiers\":[");
	size_t vlen = strlen(device_id);
	if (!w.err && w.o + json_string_size(vlen) < w.len) {
		w.o += json_string(w.p + w.o, device_id, vlen);
		w.p[w.o] = '\0';
	} else {
		w.err = true;
	}
	raw(&w, "]");
	field(&w, "name", device, false);
	field(&w, "manufacturer", "mqtools", false);
	field(&w, "model", "mqled", false);
	raw(&w, "}}");
	r = w.err ? -ENAMETOOLONG : (int)w.o;
done:
	free(command);
	free(state);
	free(avail);
	free(device);
	return r;
}
