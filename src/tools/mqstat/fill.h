/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fill.h - how full a queue is, by the rule the kernel refuses a send by:
 * the measure mqtools_queue_fill_ratio gives (mqstat --prometheus), and
 * the one FILL, --check and --watch are to share. */
#ifndef MQTOOLS_MQSTAT_FILL_H
#define MQTOOLS_MQSTAT_FILL_H

#include <stdbool.h>
#include "queue/list.h"

/* E's fill from 0 to 1 in *RATIO, 1 meaning that a send waits (or fails
 * with --nonblock) whatever its size. POSIX: the larger of bytes over the
 * capacity (maxmsg x msgsize) and messages over maxmsg, for mq_send waits
 * once mq_curmsgs is mq_maxmsg, whatever the bytes. System V: the larger of
 * the bytes and the messages, over msg_qbytes, for ipc/msg.c counts each
 * message as at least one byte: a send needs cbytes + size <= qbytes and
 * qnum + 1 <= qbytes. Over 1 only when a System V queue's msg_qbytes was
 * lowered below what it holds. False when it cannot be known (the queue
 * could not be read, or a capacity of 0). */
bool queue_fill_ratio(const struct queue_entry *e, double *ratio);

#endif
