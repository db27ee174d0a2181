/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fill.c - a queue's fill by the kernel's rule (see fill.h). */
#include "config.h"
#include "tools/mqstat/fill.h"

static double larger(double a, double b)
{
	return a > b ? a : b;
}

bool queue_fill_ratio(const struct queue_entry *e, double *ratio)
{
	const struct queue_info *in = &e->info;

	if (in->addr.kind == QUEUE_SYSV) {
		if ((in->known & (QI_COUNTS | QI_QBYTES)) != (QI_COUNTS | QI_QBYTES) || !in->qbytes)
			return false;
		*ratio = larger((double)in->used_bytes, (double)in->messages) / (double)in->qbytes;
		return true;
	}
	/* QI_COUNTS: the bytes (the mqueue file) and mq_curmsgs both read */
	if ((in->known & (QI_COUNTS | QI_POSIX_ATTR)) != (QI_COUNTS | QI_POSIX_ATTR) || in->maxmsg <= 0
		|| in->msgsize <= 0)
		return false;
	double capacity = (double)in->maxmsg * (double)in->msgsize;
	*ratio = larger((double)in->used_bytes / capacity, (double)in->messages / (double)in->maxmsg);
	return true;
}
