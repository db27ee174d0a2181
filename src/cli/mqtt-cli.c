/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-cli.c - mqtt:// options of mqsend and mqrecv (mqtt-cli.h). */
#include "config.h"
#include "cli/mqtt-cli.h"
#include "cli/cli.h"

#include <string.h>

/* A shared subscription's group or a session's name: printable, no
 * wildcard, no level separator, not too long for a client identifier. */
static const char *check_name(const char *opt, const char *arg)
{
	size_t n = strlen(arg);
	if (n == 0)
		cli_usage_error("%s: the name is empty", opt);
	if (n > 64)
		cli_usage_error("%s: the name is %zu bytes long, over the limit of 64", opt, n);
	for (const unsigned char *s = (const unsigned char *)arg; *s; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '/' || *s == '+' || *s == '#')
			cli_usage_error("%s: the name may not hold '/', '+', '#' or control characters", opt);
	return arg;
}

bool mqtt_cli_option(struct mqtt_cli *mc, int opt, const char *arg)
{
	switch (opt) {
	case MQTT_OPT_GROUP:
		mc->group = check_name("--group", arg);
		if (!mc->given)
			mc->given = "--group";
		break;
	case MQTT_OPT_FANOUT:
		mc->fanout = true;
		if (!mc->given)
			mc->given = "--fanout";
		break;
	case MQTT_OPT_SESSION:
		mc->session = check_name("--session", arg);
		if (!mc->given)
			mc->given = "--session";
		break;
	default:
		return false;
	}
	return true;
}

/* What every tool refuses on a topic: it has no kernel attributes. */
static void check_common(const struct queue_cli *qc)
{
	if (qc->open.create)
		cli_usage_error("--create and --exclusive are for kernel queues: an MQTT topic needs no creating "
			"(the broker has it once someone publishes or subscribes)");
	if (qc->create_only)
		cli_usage_error("%s is for kernel queues: an MQTT topic has no mode or size "
			"(who may use it is the broker's ACL)", qc->create_only);
	if (qc->posix_only || qc->sysv_only)
		cli_usage_error("%s is for kernel queues", qc->posix_only ? qc->posix_only : qc->sysv_only);
	if (qc->wait.how == QUEUE_WAIT_NONE)
		cli_usage_error("--nonblock has no meaning for an MQTT topic, which is never full or empty "
			"to a client; use --timeout to bound a wait");
}

void mqtt_cli_check_send(const struct queue_cli *qc, const struct mqtt_cli_send *s, const struct queue_address *addr)
{
	if (addr->kind != QUEUE_MQTT)
		return;
	if (s->priority)
		cli_usage_error("--priority: MQTT messages have no priority; the broker delivers them in order");
	if (s->type)
		cli_usage_error("--type: MQTT messages have no type; publish to another topic instead");
	check_common(qc);
}

void mqtt_cli_check_recv(struct queue_cli *qc, const struct mqtt_cli *mc, const struct mqtt_cli_recv *r,
	const struct queue_address *addr)
{
	if (addr->kind != QUEUE_MQTT) {
		if (mc->given)
			cli_usage_error("%s is for mqtt:// addresses", mc->given);
		return;
	}
	if (mc->fanout && mc->group)
		cli_usage_error("--fanout and --group are exclusive: a group shares the messages, --fanout gives "
			"each subscriber all of them");
	if (r->type || r->except)
		cli_usage_error("--type and --except are for System V queues: MQTT messages have no type");
	if (r->peek)
		cli_usage_error("--peek: an MQTT broker cannot show a message without delivering it");
	if (r->drain)
		cli_usage_error("--drain: an MQTT broker does not say what is queued; use --timeout to stop once "
			"none comes for a while");
	if (r->wait)
		cli_usage_error("--wait: an MQTT broker cannot tell of a message without delivering it");
	if (r->verbose)
		cli_usage_error("--verbose shows a priority or type, which MQTT has not: --json shows the QoS and "
			"retained flag");
	check_common(qc);
	qc->open.mqtt.group = mc->group;
	qc->open.mqtt.fanout = mc->fanout;
	qc->open.mqtt.session = mc->session;
}
