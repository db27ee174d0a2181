/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queued.c - a queue's message count now (queued.h). */
#include "config.h"
#include "tools/queued.h"

unsigned long long queued_now(struct queue *q)
{
	struct queue_info info = { 0 };
	struct queue_broker_info broker = { 0 };

	if (queue_stat_address(queue_address(q), &info) == 0 && (info.known & QI_COUNTS))
		return info.messages;
	if (queue_broker_stat(q, &broker) == 0)
		return broker.ready;
	return 0;
}
