/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/mqled/mqtt-topics.c src/mqled/ha-discovery.c src/lib/json.c src/lib/termesc.c
 * fuzz-libs: libmd
 * fuzz-mqtt-topics.c - what an mqled controller on MQTT makes of topics
 * that come from outside: the response topic any publisher may put on a
 * command (mqtt_topics_is_reply decides whether it is answered), and the
 * topic of the command line that the Home Assistant config quotes.
 * Properties: a reply topic accepted is the base, "/reply/" and one level
 * of [A-Za-z0-9_-]; an object id is at most HA_OBJECT_ID_MAX bytes of
 * [A-Za-z0-9_] (and the LED name's characters); a payload, with a
 * brightness or without, is JSON-quoted whole, so its command topic's
 * bytes never end its string. */
#include "config.h"
#include "mqled/ha-discovery.h"
#include "mqled/mqtt-topics.h"
#include "lib/json.h"
#include "fuzz.h"

static void check_reply(const char *base, const char *topic)
{
	if (!mqtt_topics_is_reply(base, topic))
		return;
	size_t blen = strlen(base);
	CHECK(strncmp(topic, base, blen) == 0);
	CHECK(strncmp(topic + blen, "/reply/", 7) == 0);
	const char *id = topic + blen + 7;
	CHECK(*id);
	CHECK(strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == strlen(id));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	/* the first line is the base topic, the rest the response topic */
	char *nl = strchr(s, '\n');
	const char *base = s, *topic = nl ? nl + 1 : s;
	if (nl)
		*nl = '\0';
	check_reply(base, topic);
	check_reply("home/pi/led", topic);

	char id[HA_OBJECT_ID_MAX + 1];
	ha_discovery_object_id(base, "", id);
	CHECK(strlen(id) <= HA_OBJECT_ID_MAX);
	CHECK(strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(id));
	ha_discovery_object_id(base, "red", id);
	CHECK(strlen(id) <= HA_OBJECT_ID_MAX);
	if (utf8_valid(base, strlen(base))) {
		size_t room = ha_discovery_payload_size(base);
		char *payload = malloc(room);
		if (!payload)
			abort();
		/* an LED that is only on or off, and one with a brightness */
		static const unsigned max_levels[] = { 1, 255 };
		for (size_t i = 0; i < sizeof(max_levels) / sizeof(max_levels[0]); i++) {
			int n = ha_discovery_payload(base, "", max_levels[i], payload, room);
			CHECK(n > 0 && (size_t)n < room && payload[0] == '{' && payload[n - 1] == '}');
			CHECK(strlen(payload) == (size_t)n);
		}
		free(payload);
	}
	free(s);
	return 0;
}
