/* SPDX-License-Identifier: GPL-2.0-or-later */
/* priority-map.c - priorities and types across kinds (priority-map.h). */
#include "config.h"
#include "queue/priority-map.h"

#include <limits.h>

long queue_priority_map(enum queue_kind from, long value, enum queue_kind to, long none)
{
	const struct queue_caps *f = queue_kind_caps(from), *t = queue_kind_caps(to);
	long rank;

	if (f->can & QUEUE_CAN_TYPE)
		rank = value > 0 ? value - 1 : 0;
	else if (f->can & QUEUE_CAN_PRIORITY)
		rank = value > 0 ? value : 0;
	else
		return none;
	if (t->can & QUEUE_CAN_TYPE)
		return rank < LONG_MAX ? rank + 1 : LONG_MAX;
	if (t->can & QUEUE_CAN_PRIORITY)
		return rank < t->max_priority ? rank : t->max_priority;
	return 0; /* a kind whose messages have neither ignores it */
}
