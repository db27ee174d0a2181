/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-cli.c - amqp:// options (see amqp-cli.h). */
#include "config.h"
#include "tools/amqp-cli.h"
#include "tools/cli.h"
#include "tools/cli-parse.h"

bool amqp_cli_option(struct queue_cli *qc, int opt, const char *arg)
{
	switch (opt) {
	case AMQP_OPT_MAX_PRIORITY:
		qc->open.max_priority = (int)cli_integer("--max-priority", arg, 1, 255);
		qc->create_only = "--max-priority";
		return true;
	case AMQP_OPT_REPLICATED:
		qc->open.replicated = true;
		qc->create_only = "--replicated";
		return true;
	}
	return false;
}

void amqp_cli_check(const struct queue_cli *qc, const struct queue_address *addr, bool mode_given)
{
	if (addr->kind != QUEUE_AMQP) {
		if (qc->open.max_priority)
			cli_usage_error("--max-priority is for amqp:// queues; a POSIX queue always orders priorities");
		if (qc->open.replicated)
			cli_usage_error("--replicated is for amqp:// queues: a kernel queue lives on one host");
		return;
	}
	if (mode_given)
		cli_usage_error("--mode is for kernel queues: an amqp:// queue's permissions are RabbitMQ's, per user "
			"and vhost (rabbitmqctl set_permissions)");
	if (qc->open.msgsize)
		cli_usage_error("--msgsize is for POSIX queues: an amqp:// queue has no per-queue message size "
			"(the broker's max_message_size)");
	if (qc->open.replicated && qc->open.max_priority)
		cli_usage_error("--max-priority and --replicated cannot be combined: RabbitMQ's quorum queues "
			"have no priorities");
}

long amqp_cli_priority(const char *arg)
{
	return arg ? (long)cli_integer("--priority", arg, 0, 255) : 0;
}
