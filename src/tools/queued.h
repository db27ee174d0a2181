/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queued.h - how many messages a queue holds now, for a progress line's
 * total (mqrecv --drain with --exec or --to). */
#ifndef MQTOOLS_QUEUED_H
#define MQTOOLS_QUEUED_H

#include "queue/queue.h"

/* The messages Q holds now (a kernel queue's count, a broker's ready
 * messages), or 0 when its kind cannot tell. */
unsigned long long queued_now(struct queue *q);

#endif
