/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-cli.h - the options only amqp:// queues have (--max-priority,
 * --replicated, for a queue being created), and the usage errors of the
 * shared options that do not apply to them. For mqsend and mqrecv. */
#ifndef MQTOOLS_AMQP_CLI_H
#define MQTOOLS_AMQP_CLI_H

#include "cli/queue-cli.h"

enum { AMQP_OPT_MAX_PRIORITY = 0x2000, AMQP_OPT_REPLICATED };

#define AMQP_CLI_LONGOPTS \
	{ "max-priority", required_argument, NULL, AMQP_OPT_MAX_PRIORITY }, \
	{ "replicated", no_argument, NULL, AMQP_OPT_REPLICATED }
#define AMQP_CLI_USAGE \
	"     --max-priority K     amqp://: a created queue orders priorities 0..K (1..255)\n" \
	"     --replicated         amqp://: create a quorum queue, replicated across a cluster\n"

/* Handle OPT if it is one of these; true if it was. */
bool amqp_cli_option(struct queue_cli *qc, int opt, const char *arg);
/* Usage errors: these options on another kind, or a kernel-only option
 * (--mode, --msgsize) on amqp://. */
void amqp_cli_check(const struct queue_cli *qc, const struct queue_address *addr, bool mode_given);
/* mqsend -p on amqp://: 0..255. */
long amqp_cli_priority(const char *arg);

/* mqrm amqp://...: delete the queue at ADDR (given as TEXT), only if
 * unused and empty unless FORCE (which also makes a missing queue no
 * error). Returns the exit status, having said why when not 0. */
int amqp_cli_remove(const char *text, const struct queue_address *addr, bool force, const char *password_file,
	bool verbose);
/* mqstat amqp://...: what the broker says of the queue, as lines of
 * "FIELD value" or (JSON) one object. Returns the exit status. */
int amqp_cli_stat(const char *text, const struct queue_address *addr, const char *password_file, bool json);

#endif
