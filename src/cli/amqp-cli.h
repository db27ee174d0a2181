/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-cli.h - the options only amqp:// queues have (--max-priority,
 * --replicated, for a queue being created: for mqsend and mqrecv, checked
 * with the shared ones by queue_cli_check()), and what mqrm and mqstat do
 * with an amqp:// queue. */
#ifndef MQTOOLS_AMQP_CLI_H
#define MQTOOLS_AMQP_CLI_H

#include "cli/queue-cli.h"

enum { AMQP_OPT_MAX_PRIORITY = 0x2000, AMQP_OPT_REPLICATED };

/* clang-format off */
#define AMQP_CLI_LONGOPTS \
	{ "max-priority", required_argument, NULL, AMQP_OPT_MAX_PRIORITY }, \
	{ "replicated", no_argument, NULL, AMQP_OPT_REPLICATED }
/* clang-format on */
/* clang-format off */
#define AMQP_CLI_USAGE \
	"     --max-priority K     amqp://: a created queue orders priorities 0..K (1..255)\n" \
	"     --replicated         amqp://: create a quorum queue, replicated across a cluster\n"
/* clang-format on */

/* Their conflict, a row of a tool's cli_excl table. */
/* clang-format off */
#define AMQP_CLI_EXCL \
	{ { AMQP_OPT_MAX_PRIORITY }, { AMQP_OPT_REPLICATED }, false, \
		"--max-priority and --replicated cannot be combined: RabbitMQ's quorum queues have no priorities" }
/* clang-format on */

/* Handle OPT if it is one of these, into QC->open.amqp; true if it was. */
bool amqp_cli_option(struct queue_cli *qc, int opt, const char *arg);

/* mqrm amqp://...: delete the queue at ADDR (given as TEXT), only if
 * unused and empty unless FORCE (which also makes a missing queue no
 * error). Returns the exit status, having said why when not 0. */
int amqp_cli_remove(const char *text, const struct queue_address *addr, bool force, const char *password_file,
	bool verbose);
/* mqstat amqp://...: what the broker says of the queue, as lines of
 * "FIELD value" or (JSON) one object. Returns the exit status. */
int amqp_cli_stat(const char *text, const struct queue_address *addr, const char *password_file, bool json);

#endif
