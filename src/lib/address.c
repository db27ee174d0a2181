/* SPDX-License-Identifier: GPL-2.0-or-later */
/* address.c - the queue address grammar shared by every tool. */
#include "config.h"
#include "lib/address.h"
#include "lib/amqp-url.h"
#include "lib/mqtt-url.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>

const char address_forms_help[] =
	"  /name             a POSIX message queue\n"
	"  key:KEY           a System V queue by key (decimal, 0x hex, 0 octal)\n"
	"  id:ID             a System V queue by identifier\n"
	"  ftok:PATH[:PROJ]  a System V key from ftok(3) (PROJ 1..255 or a character, default 1)\n"
	"  amqp[s]://[user@]host[:port]/[vhost/]queue  a queue on a RabbitMQ broker\n"
	"  mqtt[s]://[user@]host[:port]/topic[?qos=N]  a topic on an MQTT broker\n";

/* An mqtt:// address is split by mqtt-url.c, which also checks its topic
 * and qos: one topic (USE MQTT_TOPIC_NAME), or a subscription's filter. */
static int parse_url(const char *text, enum mqtt_topic_use use, struct queue_address *a, struct parse_error *e)
{
	if (!strncmp(text, "mqtt", 4)) {
		struct mqtt_url m;
		if (mqtt_url_parse(text, use, &m, e) < 0)
			return -1;
		a->kind = QUEUE_MQTT;
	} else {
		struct net_url u;
		struct amqp_target t;
		if (url_parse(text, &u, e) < 0 || amqp_url_target(&u, &t, e) < 0)
			return -1;
		a->kind = QUEUE_AMQP;
	}
	a->form = ADDR_URL;
	a->url = text;
	return 0;
}

static int parse_posix_name(const char *text, struct queue_address *a, struct parse_error *e)
{
	size_t len = strlen(text);

	if (len < 2)
		return parse_fail(e, "'/' alone is not a queue name: give /name");
	if (len - 1 > NAME_MAX)
		return parse_fail(e, "queue name is %zu bytes long, over the limit of %d (NAME_MAX)", len - 1,
			NAME_MAX);
	if (strchr(text + 1, '/'))
		return parse_fail(e, "'%.60s': a POSIX queue name has one leading '/' and no other", text);
	if (!strcmp(text, "/.") || !strcmp(text, "/.."))
		return parse_fail(e, "'%.3s' is not a valid queue name", text);
	a->kind = QUEUE_POSIX;
	a->form = ADDR_POSIX_NAME;
	memcpy(a->name, text, len + 1);
	return 0;
}

/* PROJ of ftok: a number 1..255 or exactly one character. */
static int parse_proj(const char *text, int *proj)
{
	struct parse_error ignored;
	long long v;

	if (text[0] && !text[1] && !(text[0] >= '0' && text[0] <= '9')) {
		*proj = (unsigned char)text[0];
		return 0;
	}
	if (parse_integer(text, 1, 255, &v, &ignored) < 0)
		return -1;
	*proj = (int)v;
	return 0;
}

static int parse_ftok(const char *spec, struct queue_address *a, struct parse_error *e)
{
	char path[4096];
	int proj = ADDRESS_FTOK_DEFAULT_PROJ;
	const char *colon = strrchr(spec, ':');
	size_t len = strlen(spec);

	/* The last colon always separates PROJ: a path holding a colon is
	 * given with an explicit PROJ (ftok:/run/a:b:1). */
	if (colon) {
		if (parse_proj(colon + 1, &proj) < 0)
			return parse_fail(e, "ftok: project id '%.20s' is not 1..255 or one character", colon + 1);
		len = (size_t)(colon - spec);
	}
	if (len == 0)
		return parse_fail(e, "ftok: needs a path, as in ftok:/etc/passwd or ftok:/run/app:7");
	if (len >= sizeof(path))
		return parse_fail(e, "ftok: path is %zu bytes long, over the limit of %zu", len, sizeof(path) - 1);
	memcpy(path, spec, len);
	path[len] = '\0';
	errno = 0;
	key_t key = ftok(path, proj);
	if (key == (key_t)-1) {
		int err = errno;
		snprintf(e->msg, sizeof(e->msg), "ftok: %.120s: %s (ftok needs an existing path)", path, strerror(err));
		errno = err;
		return -1;
	}
	a->kind = QUEUE_SYSV;
	a->form = ADDR_SYSV_FTOK;
	a->key = key;
	return 0;
}

static int parse_address(const char *text, enum mqtt_topic_use use, struct queue_address *a, struct parse_error *e)
{
	unsigned long long v;

	memset(a, 0, sizeof(*a));
	errno = EINVAL;
	if (!text || !*text)
		return parse_fail(e, "an empty queue address");
	if (text[0] == '/')
		return parse_posix_name(text, a, e);
	if (!strncmp(text, "key:", 4)) {
		if (parse_unsigned_any_base(text + 4, 0xffffffffULL, &v, e) < 0)
			return -1;
		if (v == 0)
			return parse_fail(e,
				"key:0 is IPC_PRIVATE, which no one can open again (reach such a queue by id:ID)");
		a->kind = QUEUE_SYSV;
		a->form = ADDR_SYSV_KEY;
		a->key = (key_t)(unsigned)v;
		return 0;
	}
	if (!strncmp(text, "id:", 3)) {
		if (parse_unsigned_any_base(text + 3, 0x7fffffffULL, &v, e) < 0)
			return -1;
		a->kind = QUEUE_SYSV;
		a->form = ADDR_SYSV_ID;
		a->id = (int)v;
		return 0;
	}
	if (!strncmp(text, "ftok:", 5))
		return parse_ftok(text + 5, a, e);
	if (url_is_network(text))
		return parse_url(text, use, a, e);
	return parse_fail(e, "'%.60s' is not a queue address", text);
}

int address_parse(const char *text, struct queue_address *a, struct parse_error *e)
{
	return parse_address(text, MQTT_TOPIC_NAME, a, e);
}

int address_parse_subscription(const char *text, struct queue_address *a, struct parse_error *e)
{
	return parse_address(text, MQTT_TOPIC_FILTER, a, e);
}

const char *address_format(const struct queue_address *a, char *buf, size_t len)
{
	switch (a->form) {
	case ADDR_POSIX_NAME: snprintf(buf, len, "%s", a->name); break;
	case ADDR_SYSV_KEY:
	case ADDR_SYSV_FTOK: snprintf(buf, len, "key:0x%08x", (unsigned)a->key); break;
	case ADDR_SYSV_ID: snprintf(buf, len, "id:%d", a->id); break;
	case ADDR_URL: snprintf(buf, len, "%s", a->url); break;
	}
	return buf;
}
