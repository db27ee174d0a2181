/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-url.c - mqtt:// addresses: the topic and the qos (mqtt-url.h). */
#include "config.h"
#include "lib/mqtt-url.h"

#include <string.h>

/* Length of the UTF-8 sequence at S (at most N bytes), 0 if it is not
 * well formed (overlong forms, surrogates and past U+10FFFF included). */
static size_t utf8_length(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool mqtt_topic_has_wildcard(const char *topic)
{
	return strpbrk(topic, "+#") != NULL;
}

int mqtt_topic_check(const char *topic, enum mqtt_topic_use use, struct parse_error *e)
{
	size_t n = strlen(topic);
	const unsigned char *s = (const unsigned char *)topic;

	if (n == 0)
		return parse_fail(e, "topic: empty: give mqtt://host/topic");
	if (topic[0] == '$')
		return parse_fail(e, "topic '%.40s': topics starting with '$' are the broker's own ($SYS, $share)",
			topic);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_length(s + i, n - i);
		if (!len)
			return parse_fail(e, "topic: byte %zu is not valid UTF-8, which MQTT requires", i + 1);
		/* the controls MQTT says a topic should not hold (U+0001..U+001F,
		 * U+007F..U+009F): they would reach terminals in messages */
		if (s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] < 0xa0))
			return parse_fail(e, "topic: byte %zu is a control character, which MQTT topics may not hold",
				i + 1);
		i += len;
	}
	if (!mqtt_topic_has_wildcard(topic))
		return 0;
	if (use == MQTT_TOPIC_NAME)
		return parse_fail(e,
			"topic '%.40s': the wildcards '+' and '#' name many topics, and one is meant "
			"here (%%2B and %%23 do not escape them: MQTT has no escape)",
			topic);
	for (size_t i = 0; i < n; i++) {
		if (topic[i] != '+' && topic[i] != '#')
			continue;
		bool starts = i == 0 || topic[i - 1] == '/';
		bool ends = i + 1 == n || topic[i + 1] == '/';
		if (!starts || !ends)
			return parse_fail(e,
				"topic '%.40s': a wildcard ('%c') must be a whole level, as in a/+/c or a/#", topic,
				topic[i]);
		if (topic[i] == '#' && i + 1 != n)
			return parse_fail(e, "topic '%.40s': '#' must be the last level", topic);
	}
	return 0;
}

static int parse_query(struct mqtt_url *m, struct parse_error *e)
{
	const char *cursor = m->net.query;
	char key[32], val[32];
	int r;

	while ((r = url_query_next(&cursor, key, sizeof(key), val, sizeof(val), e)) > 0) {
		if (strcmp(key, "qos") != 0)
			return parse_fail(e, "query parameter '%s': unknown for mqtt:// (qos=0|1|2 is the only one)",
				key);
		if (strlen(val) != 1 || val[0] < '0' || val[0] > '2')
			return parse_fail(e, "qos '%s': must be 0, 1 or 2", val);
		m->qos = val[0] - '0';
		m->has_qos = true;
	}
	return r < 0 ? -1 : 0;
}

int mqtt_url_parse(const char *text, enum mqtt_topic_use use, struct mqtt_url *m, struct parse_error *e)
{
	memset(m, 0, sizeof(*m));
	m->qos = MQTT_QOS_DEFAULT;
	if (url_parse(text, &m->net, e) < 0)
		return -1;
	if (m->net.scheme != URL_MQTT && m->net.scheme != URL_MQTTS)
		return parse_fail(e, "'%s://' is not an mqtt:// address", url_scheme_name(m->net.scheme));
	if (!m->net.path[0])
		return parse_fail(e, "topic: missing: give mqtt://host/topic");
	if (url_decode(m->net.path, strlen(m->net.path), m->topic, sizeof(m->topic), "topic", e) < 0)
		return -1;
	if (mqtt_topic_check(m->topic, use, e) < 0)
		return -1;
	if (m->net.has_query && parse_query(m, e) < 0)
		return -1;
	return 0;
}
