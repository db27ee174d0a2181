/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-cli.h - mqsend's and mqrecv's options for mqtt:// (--group,
 * --fanout, --session) and the refusal, with its reason, of the options
 * that mean nothing on an MQTT topic. Kept out of the tools' main files,
 * which stay about their loops. */
#ifndef MQTOOLS_MQTT_CLI_H
#define MQTOOLS_MQTT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include "cli/queue-cli.h"

/* far from the numbers the tools and queue-cli.h give their own options */
enum { MQTT_OPT_GROUP = 0x2100, MQTT_OPT_FANOUT, MQTT_OPT_SESSION };

#define MQTT_CLI_RECV_LONGOPTS \
	{ "group", required_argument, NULL, MQTT_OPT_GROUP }, \
	{ "fanout", no_argument, NULL, MQTT_OPT_FANOUT }, \
	{ "session", required_argument, NULL, MQTT_OPT_SESSION }

#define MQTT_CLI_RECV_USAGE \
	"     --group NAME         mqtt://: compete for messages in the shared subscription\n" \
	"                          $share/NAME/TOPIC (default: " QUEUE_MQTT_GROUP ")\n" \
	"     --fanout             mqtt://: every subscriber gets every message\n" \
	"     --session NAME       mqtt://: a persistent session NAME, which collects\n" \
	"                          messages while mqrecv is away\n"

struct mqtt_cli {
	const char *given; /* the first mqtt option given, for the kind check */
	const char *group;
	bool fanout;
	const char *session;
};

/* Handle OPT if it is one of the options above; true if it was. */
bool mqtt_cli_option(struct mqtt_cli *mc, int opt, const char *arg);

/* What mqsend was given that an MQTT topic has no use for. */
struct mqtt_cli_send {
	const char *priority, *type; /* -p, -t */
};
/* Usage errors for mqsend on ADDR (an mqtt:// one; nothing otherwise). */
void mqtt_cli_check_send(const struct queue_cli *qc, const struct mqtt_cli_send *s, const struct queue_address *addr);

struct mqtt_cli_recv {
	const char *type;          /* -t */
	bool except, peek, drain, wait, verbose;
};
/* Usage errors for mqrecv on ADDR: the mqtt options on another kind, and
 * on mqtt:// what it cannot do; fills QC's open options from MC. */
void mqtt_cli_check_recv(struct queue_cli *qc, const struct mqtt_cli *mc, const struct mqtt_cli_recv *r,
	const struct queue_address *addr);

#endif
