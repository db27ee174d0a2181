/* SPDX-License-Identifier: GPL-2.0-or-later */
/* caps-cli.c - options refused by the capabilities of the queue's kind
 * (caps-cli.h). */
#include "config.h"
#include "cli/caps-cli.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

/* Why KIND lacks CAN (exactly these bits), and what to use instead. A
 * lack not listed is still refused, in the words of the kinds that can. */
static const struct refusal {
	unsigned can;
	enum queue_kind kind;
	const char *why;
} refusals[] = {
#define NO_SIZE "an MQTT topic has no size (what it holds is the broker's to limit)"
#define KERNEL_ONE_HOST "a kernel queue lives on one host"
#define KERNEL_NO_LOGIN "a kernel queue has no password (who may use it is its mode)"
#define KERNEL_NO_RETAIN "a kernel queue keeps no message for later subscribers to find; give an mqtt:// topic"
	{ QUEUE_CAN_PRIORITY, QUEUE_SYSV, "a System V queue takes --type" },
	{ QUEUE_CAN_PRIORITY, QUEUE_MQTT, "MQTT messages have no priority; the broker delivers them in order" },
	{ QUEUE_CAN_TYPE, QUEUE_POSIX, "a POSIX queue delivers by priority (mqsend --priority)" },
	{ QUEUE_CAN_TYPE, QUEUE_AMQP,
		"an amqp:// queue delivers in order, by priority (mqsend --priority) if "
		"it was created with --max-priority" },
	{ QUEUE_CAN_TYPE, QUEUE_MQTT, "MQTT messages have no type; publish to another topic instead" },
	{ QUEUE_CAN_PRIORITY | QUEUE_CAN_TYPE, QUEUE_MQTT,
		"MQTT messages have neither priority nor type; "
		"--json shows the QoS and retained flag" },
	{ QUEUE_CAN_PEEK, QUEUE_POSIX, "a POSIX message cannot be read without taking it" },
	{ QUEUE_CAN_PEEK, QUEUE_AMQP, "a broker cannot show a message without delivering it" },
	{ QUEUE_CAN_PEEK, QUEUE_MQTT, "an MQTT broker cannot show a message without delivering it" },
	{ QUEUE_CAN_WAIT, QUEUE_SYSV,
		"System V cannot wait for a message without taking it (use --peek to look, "
		"or a plain receive to take one)" },
	{ QUEUE_CAN_WAIT, QUEUE_AMQP, "a broker cannot wait for a message without delivering it" },
	{ QUEUE_CAN_WAIT, QUEUE_MQTT, "an MQTT broker cannot tell of a message without delivering it" },
	{ QUEUE_CAN_SAY_EMPTY, QUEUE_MQTT,
		"an MQTT broker does not say what is queued; use --timeout to stop "
		"once none comes for a while" },
	{ QUEUE_CAN_NOWAIT, QUEUE_MQTT,
		"an MQTT topic is never full or empty to a client; use --timeout to bound "
		"a wait" },
	{ QUEUE_CAN_PUT_BACK_ANY, QUEUE_AMQP,
		"on amqp://, pipe mqrecv -f into a worker, or run several "
		"consumers" },
	{ QUEUE_CAN_CREATE, QUEUE_MQTT,
		"an MQTT topic needs no creating (the broker has it once someone "
		"publishes or subscribes)" },
	{ QUEUE_CAN_MODE, QUEUE_AMQP,
		"an amqp:// queue's permissions are RabbitMQ's, per user and vhost "
		"(rabbitmqctl set_permissions)" },
	{ QUEUE_CAN_MODE, QUEUE_MQTT, "an MQTT topic has no mode: who may use it is the broker's ACL" },
	{ QUEUE_CAN_MAXMSG, QUEUE_SYSV, "a System V queue's capacity is set with --qbytes" },
	{ QUEUE_CAN_MAXMSG, QUEUE_MQTT, NO_SIZE },
	{ QUEUE_CAN_MSGSIZE, QUEUE_SYSV, "a System V queue's capacity is set with --qbytes" },
	{ QUEUE_CAN_MSGSIZE, QUEUE_AMQP,
		"an amqp:// queue has no message size of its own (the broker's "
		"max_message_size)" },
	{ QUEUE_CAN_MSGSIZE, QUEUE_MQTT, NO_SIZE },
	{ QUEUE_CAN_QBYTES, QUEUE_POSIX, "a POSIX queue's capacity is set with --maxmsg and --msgsize" },
	{ QUEUE_CAN_QBYTES, QUEUE_MQTT, NO_SIZE },
	{ QUEUE_CAN_MAX_PRIORITY, QUEUE_POSIX, "a POSIX queue always orders priorities" },
	{ QUEUE_CAN_MAX_PRIORITY, QUEUE_SYSV, "a System V queue has types, not priorities" },
	{ QUEUE_CAN_REPLICATE, QUEUE_POSIX, KERNEL_ONE_HOST },
	{ QUEUE_CAN_REPLICATE, QUEUE_SYSV, KERNEL_ONE_HOST },
	{ QUEUE_CAN_LOGIN, QUEUE_POSIX, KERNEL_NO_LOGIN },
	{ QUEUE_CAN_LOGIN, QUEUE_SYSV, KERNEL_NO_LOGIN },
	{ QUEUE_CAN_RETAIN, QUEUE_POSIX, KERNEL_NO_RETAIN },
	{ QUEUE_CAN_RETAIN, QUEUE_SYSV, KERNEL_NO_RETAIN },
	{ 0, QUEUE_POSIX, NULL },
};

static const char *why_not(unsigned can, enum queue_kind kind)
{
	for (const struct refusal *r = refusals; r->why; r++)
		if (r->can == can && r->kind == kind)
			return r->why;
	return NULL;
}

static bool can(enum queue_kind kind, unsigned need)
{
	return queue_kind_caps(kind)->can & need;
}

/* Whether every kind of FAMILY has one of NEED. */
static bool family_can(const char *family, unsigned need)
{
	for (int k = 0; k < QUEUE_KIND_COUNT; k++) {
		const char *f = queue_kind_caps((enum queue_kind)k)->family;
		if (f && !strcmp(f, family) && !can((enum queue_kind)k, need))
			return false;
	}
	return true;
}

/* The kinds that have one of NEED, in words: "System V queues", "kernel
 * and amqp:// queues", "kernel queues and mqtt:// topics". A family of
 * which every kind can is named once, by the family. */
static const char *kinds_that_can(unsigned need, char *buf, size_t len)
{
	const char *name[QUEUE_KIND_COUNT] = { 0 }, *noun[QUEUE_KIND_COUNT] = { 0 };
	size_t n = 0, used = 0;

	for (int k = 0; k < QUEUE_KIND_COUNT; k++) {
		const struct queue_caps *c = queue_kind_caps((enum queue_kind)k);
		if (!(c->can & need))
			continue;
		const char *as = c->family && family_can(c->family, need) ? c->family : c->name;
		if (n && !strcmp(name[n - 1], as))
			continue;
		name[n] = as;
		noun[n++] = c->noun;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		bool last_of_noun = i + 1 == n || strcmp(noun[i], noun[i + 1]) != 0;
		const char *sep = i == 0 ? "" : last_of_noun ? " and " : ", ";
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s%s", sep, name[i], last_of_noun ? " " : "",
			last_of_noun ? noun[i] : "");
	}
	return buf;
}

static noreturn void refuse(const struct cli_need *need, enum queue_kind kind)
{
	const struct queue_caps *c = queue_kind_caps(kind);
	const char *why = why_not(need->can, kind), *verb = strstr(need->name, " and ") ? "are" : "is";
	char kinds[128];

	kinds_that_can(need->can, kinds, sizeof(kinds));
	if (why)
		cli_usage_error("%s %s for %s: %s", need->name, verb, kinds, why);
	cli_usage_error("%s %s for %s, not %s %s", need->name, verb, kinds, c->name, c->noun);
}

void cli_need_check(const struct cli_need *table, const struct cli_given *g, enum queue_kind kind)
{
	for (const struct cli_need *n = table; n->opt; n++)
		if (cli_given(g, n->opt) && !can(kind, n->can))
			refuse(n, kind);
}

const char *cli_need_name(const struct cli_need *table, int opt)
{
	for (const struct cli_need *n = table; n->opt; n++)
		if (n->opt == opt)
			return n->name;
	return NULL;
}
