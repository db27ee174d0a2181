/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-cli.c - mqrecv's mqtt:// options (mqtt-cli.h). */
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

bool mqtt_cli_option(struct queue_cli *qc, int opt, const char *arg)
{
	switch (opt) {
	case MQTT_OPT_GROUP: qc->open.mqtt.group = check_name("--group", arg); return true;
	case MQTT_OPT_FANOUT: qc->open.mqtt.fanout = true; return true;
	case MQTT_OPT_SESSION: qc->open.mqtt.session = check_name("--session", arg); return true;
	}
	return false;
}
