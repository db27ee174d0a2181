/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-topics.c - the topics of an mqled controller (see mqtt-topics.h). */
#include "config.h"
#include "mqled/mqtt-topics.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int topic(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int topic(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int mqtt_topics_command(const char *base, const char *led, char *out, size_t len)
{
	return topic(out, len, "%s%s%s", base, *led ? "/" : "", led);
}

/* T/LEVEL or T/NAME/LEVEL */
static int led_level(const char *base, const char *led, const char *level, char *out, size_t len)
{
	return topic(out, len, "%s/%s%s%s", base, led, *led ? "/" : "", level);
}

int mqtt_topics_state(const char *base, const char *led, char *out, size_t len)
{
	return led_level(base, led, MQTT_TOPICS_STATE, out, len);
}

int mqtt_topics_brightness(const char *base, const char *led, char *out, size_t len)
{
	return led_level(base, led, MQTT_TOPICS_BRIGHTNESS, out, len);
}

int mqtt_topics_effect(const char *base, const char *led, char *out, size_t len)
{
	return led_level(base, led, MQTT_TOPICS_EFFECT, out, len);
}

int mqtt_topics_availability(const char *base, char *out, size_t len)
{
	return topic(out, len, "%s/" MQTT_TOPICS_AVAILABILITY, base);
}

int mqtt_topics_reply_prefix(const char *base, char *out, size_t len)
{
	return topic(out, len, "%s/" MQTT_TOPICS_REPLY "/", base);
}

bool mqtt_topics_is_reply(const char *base, const char *t)
{
	size_t blen = strlen(base), plen = strlen("/" MQTT_TOPICS_REPLY "/");
	if (strncmp(t, base, blen) != 0 || strncmp(t + blen, "/" MQTT_TOPICS_REPLY "/", plen) != 0)
		return false;
	const char *id = t + blen + plen;
	if (!*id || strlen(id) > 64)
		return false;
	for (; *id; id++)
		if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') || (*id >= '0' && *id <= '9') ||
			    *id == '-' || *id == '_'))
			return false;
	return true;
}

bool mqtt_topics_reserved_name(const char *name)
{
	return !strcmp(name, MQTT_TOPICS_STATE) || !strcmp(name, MQTT_TOPICS_BRIGHTNESS) ||
		!strcmp(name, MQTT_TOPICS_EFFECT) || !strcmp(name, MQTT_TOPICS_AVAILABILITY) ||
		!strcmp(name, MQTT_TOPICS_REPLY);
}
