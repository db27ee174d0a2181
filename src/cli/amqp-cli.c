/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-cli.c - amqp:// options (see amqp-cli.h). */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "lib/json.h"
#include "lib/termesc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool amqp_cli_option(struct queue_cli *qc, int opt, const char *arg)
{
	switch (opt) {
	case AMQP_OPT_MAX_PRIORITY:
		qc->open.amqp.max_priority = (int)cli_integer("--max-priority", arg, 1, 255);
		return true;
	case AMQP_OPT_REPLICATED: qc->open.amqp.replicated = true; return true;
	}
	return false;
}

static struct queue *open_for_look(const char *text, const struct queue_address *addr, const char *password_file,
	int *status)
{
	struct queue_open_options opt = { .access = QUEUE_READ };
	struct queue_detail why = { "" };
	struct queue *q;

	queue_cli_credentials(&opt.cred, password_file);
	int r = queue_open(addr, &opt, &q, &why);
	if (r < 0) {
		*status = queue_cli_error(text, addr->kind, r, "look at", &why);
		return NULL;
	}
	return q;
}

int amqp_cli_remove(const char *text, const struct queue_address *addr, bool force, const char *password_file,
	bool verbose)
{
	char name[TERMESC_SIZE(512)];
	int status = MQ_EXIT_OK;
	struct queue *q = open_for_look(text, addr, password_file, &status);

	if (!q)
		return status == MQ_EXIT_NOQUEUE && force ? MQ_EXIT_OK : status;
	int r = queue_delete(q, force);
	if (r == 0 && verbose)
		printf("removed %s\n", termesc_str(name, sizeof(name), text, 0));
	if (r < 0)
		status = queue_cli_error_on(q, r, "remove");
	queue_close(q);
	return status;
}

int amqp_cli_stat(const char *text, const struct queue_address *addr, const char *password_file, bool json)
{
	char name[TERMESC_SIZE(512)];
	struct queue_broker_info in;
	int status = MQ_EXIT_OK;
	struct queue *q = open_for_look(text, addr, password_file, &status);

	if (!q)
		return status;
	int r = queue_broker_stat(q, &in);
	if (r < 0) {
		status = queue_cli_error_on(q, r, "look at");
	} else if (json) {
		char quoted[2 + 6 * 512 + 1];
		size_t n = strlen(text) < 512 ? strlen(text) : 512;
		quoted[json_string(quoted, text, n)] = '\0';
		printf("{\"queue\":%s,\"ready\":%lu,\"consumers\":%lu,\"durable\":%s,\"type\":%s%s%s}\n", quoted,
			in.ready, in.consumers,
			in.durable < 0     ? "null" :
				in.durable ? "true" :
					     "false",
			in.type[0] ? "\"" : "", in.type[0] ? in.type : "null", in.type[0] ? "\"" : "");
	} else {
		printf("QUEUE     %s\nREADY     %lu\nCONSUMERS %lu\nDURABLE   %s\nTYPE      %s\n",
			termesc_str(name, sizeof(name), text, 0), in.ready, in.consumers,
			in.durable < 0     ? "?" :
				in.durable ? "yes" :
					     "no",
			in.type[0] ? in.type : "?");
	}
	queue_close(q);
	return status;
}
