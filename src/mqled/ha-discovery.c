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

/* The effects of effect_list and the mqled command each one is. All run
 * on every LED: in the kernel (timer or pattern trigger) when it can, else
 * on the controller's schedule. */
static const struct ha_effect {
	const char *name, *command;
} effects[] = {
	{ "blink", "blink 500 500" },
	{ "fast blink", "blink 100 100" },
	{ "heartbeat", "pattern 100,150,100,650" },
	{ "pulse", "pulse 1000" },
};
#define N_EFFECTS (sizeof(effects) / sizeof(effects[0]))

const char *ha_discovery_effect(const char *command)
{
	for (size_t i = 0; command && i < N_EFFECTS; i++)
		if (!strcmp(command, effects[i].command))
			return effects[i].name;
	return HA_EFFECT_OFF;
}

size_t ha_discovery_payload_size(const char *topic)
{
	/* nine topics built on TOPIC, each quoted at worst 6 bytes a byte,
	 * the device's name, the templates and the fixed text */
	return 10 * json_string_size(strlen(topic) + 64) + 2048;
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

static void string(struct out *w, const char *value)
{
	size_t vlen = strlen(value);
	if (w->err || w->o + json_string_size(vlen) >= w->len) {
		w->err = true;
		return;
	}
	w->o += json_string(w->p + w->o, value, vlen);
	w->p[w->o] = '\0';
}

/* ,"KEY": (FIRST: without the comma) */
static void key(struct out *w, const char *name, bool first)
{
	if (!first)
		raw(w, ",");
	string(w, name);
	raw(w, ":");
}

/* ,"KEY":"VALUE" */
static void field(struct out *w, const char *name, const char *value, bool first)
{
	key(w, name, first);
	string(w, value);
}

/* ,"KEY":N */
static void number(struct out *w, const char *name, unsigned value)
{
	char text[16];
	snprintf(text, sizeof(text), "%u", value);
	key(w, name, false);
	raw(w, text);
}

/* The effects: their list, and the command template that makes each the
 * mqled command it is, as a Jinja dictionary looked up by VALUE (Home
 * Assistant sends only what effect_list has). */
static void effect_fields(struct out *w, const char *command, const char *effect_state)
{
	char tpl[512];
	size_t o = (size_t)snprintf(tpl, sizeof(tpl), "{{ {");
	for (size_t i = 0; i < N_EFFECTS && o < sizeof(tpl); i++)
		o += (size_t)snprintf(tpl + o, sizeof(tpl) - o, "%s'%s': '%s'", i ? ", " : "", effects[i].name,
			effects[i].command);
	if (o < sizeof(tpl))
		snprintf(tpl + o, sizeof(tpl) - o, "}[value] }}");
	field(w, "effect_command_topic", command, false);
	field(w, "effect_command_template", tpl, false);
	field(w, "effect_state_topic", effect_state, false);
	key(w, "effect_list", false);
	for (size_t i = 0; i < N_EFFECTS; i++) {
		raw(w, i ? "," : "[");
		string(w, effects[i].name);
	}
	raw(w, "]");
}

/* "device" and "origin": who publishes this light. */
static void device_fields(struct out *w, const char *topic, const char *device_name)
{
	char device_id[HA_OBJECT_ID_MAX + 1];

	ha_discovery_object_id(topic, "", device_id);
	key(w, "device", false);
	raw(w, "{\"identifiers\":[");
	string(w, device_id);
	raw(w, "]");
	field(w, "name", device_name, false);
	field(w, "manufacturer", "mqtools", false);
	field(w, "model", "mqled", false);
	field(w, "sw_version", PACKAGE_VERSION, false);
	raw(w, "}");
	key(w, "origin", false);
	raw(w, "{");
	field(w, "name", "mqled", true);
	field(w, "sw_version", PACKAGE_VERSION, false);
	raw(w, "}");
}

/* The topics of LED on TOPIC that the config names. */
enum { COMMAND, STATE, BRIGHTNESS, EFFECT, AVAILABILITY, DEVICE_NAME, N_TOPICS };

int ha_discovery_payload(const char *topic, const char *led, unsigned max_level, char *out, size_t len)
{
	size_t tmax = strlen(topic) + 2 * 32 + 32;
	char *t[N_TOPICS] = { NULL }, id[HA_OBJECT_ID_MAX + 1], entity[HA_OBJECT_ID_MAX + 8];
	struct out w = { out, len, 0, false };
	bool levels = max_level > 1;
	int r = -ENOMEM;

	for (size_t i = 0; i < N_TOPICS; i++)
		if (!(t[i] = malloc(tmax)))
			goto done;
	r = -ENAMETOOLONG;
	if (mqtt_topics_command(topic, led, t[COMMAND], tmax) < 0 ||
		mqtt_topics_state(topic, led, t[STATE], tmax) < 0 ||
		mqtt_topics_brightness(topic, led, t[BRIGHTNESS], tmax) < 0 ||
		mqtt_topics_effect(topic, led, t[EFFECT], tmax) < 0 ||
		mqtt_topics_availability(topic, t[AVAILABILITY], tmax) < 0)
		goto done;
	ha_discovery_object_id(topic, led, id);
	snprintf(entity, sizeof(entity), "light.%s", id);
	snprintf(t[DEVICE_NAME], tmax, "mqled %s", topic);
	raw(&w, "{");
	field(&w, "name", *led ? led : "LED", true);
	field(&w, "unique_id", id, false);
	field(&w, "default_entity_id", entity, false);
	field(&w, "command_topic", t[COMMAND], false);
	field(&w, "state_topic", t[STATE], false);
	field(&w, "payload_on", MQTT_TOPICS_ON, false);
	field(&w, "payload_off", MQTT_TOPICS_OFF, false);
	/* "first": ON before an effect, which the effect then replaces (the
	 * default, "last", would end the effect at once); with levels, the
	 * level alone, which lights the LED */
	field(&w, "on_command_type", levels ? "brightness" : "first", false);
	if (levels) {
		field(&w, "brightness_command_topic", t[COMMAND], false);
		field(&w, "brightness_command_template", "brightness {{ value }}", false);
		field(&w, "brightness_state_topic", t[BRIGHTNESS], false);
		number(&w, "brightness_scale", max_level);
	}
	effect_fields(&w, t[COMMAND], t[EFFECT]);
	field(&w, "availability_topic", t[AVAILABILITY], false);
	field(&w, "payload_available", MQTT_TOPICS_ONLINE, false);
	field(&w, "payload_not_available", MQTT_TOPICS_OFFLINE, false);
	raw(&w, ",\"qos\":1,\"retain\":false,\"optimistic\":false");
	device_fields(&w, topic, t[DEVICE_NAME]);
	raw(&w, "}");
	r = w.err ? -ENAMETOOLONG : (int)w.o;
done:
	for (size_t i = 0; i < N_TOPICS; i++)
		free(t[i]);
	return r;
}
