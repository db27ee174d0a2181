/* SPDX-License-Identifier: GPL-2.0-or-later */
/* priority-map.h - a message's priority or type, as a queue of another
 * kind takes it (mqtools(7), PRIORITY AND TYPE ACROSS KINDS): mqsend
 * --json and mqrecv --to. One rank underlies them: a POSIX or amqp://
 * priority P is rank P, a System V type T is rank T - 1 (so that the
 * defaults, priority 0 and type 1, meet); an mqtt:// message has none (its
 * QoS and retained flag are the delivery's, not the message's order). A
 * rank becomes the destination's priority, clamped to the highest it
 * takes, or its type, rank + 1. Only the capability bits of the two kinds
 * (QUEUE_CAN_PRIORITY, QUEUE_CAN_TYPE) decide. */
#ifndef MQTOOLS_QUEUE_PRIORITY_MAP_H
#define MQTOOLS_QUEUE_PRIORITY_MAP_H

#include "queue/queue.h"

/* VALUE, a priority or type of a message of kind FROM, for kind TO; NONE
 * when FROM's messages have neither. */
long queue_priority_map(enum queue_kind from, long value, enum queue_kind to, long none);

#endif
