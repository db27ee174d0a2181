/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-cli.h - mqrecv's options for mqtt:// (--group, --fanout,
 * --session), checked with the shared ones by queue_cli_check(). What an
 * MQTT topic cannot do (a priority, --peek, --nonblock, ...) is refused by
 * its capabilities (caps-cli.h). */
#ifndef MQTOOLS_MQTT_CLI_H
#define MQTOOLS_MQTT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include "cli/queue-cli.h"

/* far from the numbers the tools and queue-cli.h give their own options */
enum { MQTT_OPT_GROUP = 0x2100, MQTT_OPT_FANOUT, MQTT_OPT_SESSION };

/* clang-format off */
#define MQTT_CLI_RECV_LONGOPTS \
	{ "group", required_argument, NULL, MQTT_OPT_GROUP }, \
	{ "fanout", no_argument, NULL, MQTT_OPT_FANOUT }, \
	{ "session", required_argument, NULL, MQTT_OPT_SESSION }
/* clang-format on */

/* clang-format off */
#define MQTT_CLI_RECV_USAGE \
	"     --group NAME         mqtt://: compete for messages in the shared subscription\n" \
	"                          $share/NAME/TOPIC (default: " QUEUE_MQTT_GROUP ")\n" \
	"     --fanout             mqtt://: every subscriber gets every message\n" \
	"     --session NAME       mqtt://: a persistent session NAME, which collects\n" \
	"                          messages while mqrecv is away\n"
/* clang-format on */

/* Their conflict, a row of a tool's cli_excl table. */
/* clang-format off */
#define MQTT_CLI_EXCL \
	{ { MQTT_OPT_FANOUT }, { MQTT_OPT_GROUP }, false, "--fanout and --group are exclusive: a group shares the " \
		"messages, --fanout gives each subscriber all of them" }
/* clang-format on */

/* Handle OPT if it is one of the options above, into QC->open.mqtt; true
 * if it was. */
bool mqtt_cli_option(struct queue_cli *qc, int opt, const char *arg);

#endif
