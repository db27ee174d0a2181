/* SPDX-License-Identifier: GPL-2.0-or-later */
/* prometheus.h - mqstat --prometheus: the queues of a listing and the
 * system's limits in Prometheus' text exposition format (0.0.4), as
 * node_exporter's textfile collector reads it. Every family is a gauge
 * with HELP and TYPE; mqstat(1) lists them.
 *
 * Labels: queue (the NAME column's address), kind (posix, sysv), owner
 * (the OWNER column's user name, or number when it has none). A label
 * value is UTF-8 with \\, \" and \n escaped, as the format wants. A
 * queue name (or user name) the format cannot carry exactly and safely,
 * being not UTF-8 or holding a control character other than a newline
 * (one a terminal would act on: C0, DEL, C1, bidirectional), is written
 * in its escaped form: each byte of such a character as the text \xNN
 * and a backslash as \\, after an extra "/" in front of a POSIX name.
 * No POSIX queue name holds a second "/", so the escaped form is never
 * another queue's name, and two names never share one label (a name
 * made to look like another's would otherwise break the whole file). */
#ifndef MQTOOLS_MQSTAT_PROMETHEUS_H
#define MQTOOLS_MQSTAT_PROMETHEUS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "queue/list.h"

/* One of mqstat -g's limits: its RESOURCE, the limit and what is used of
 * it; -1 for what is not known. */
struct prometheus_limit {
	const char *resource;
	long long limit, used;
};

/* What one collection found. */
struct prometheus_collection {
	const struct queue_list *list; /* collected with QI_ALL, and judged */
	unsigned kinds;                /* the kinds asked for (QUEUE_KIND_BIT) */
	int64_t now;                   /* when judged, seconds since the epoch */
	const struct prometheus_limit *limits;
	size_t nlimits;
	double seconds; /* how long the collection took */
};

/* Write C to OUT, without flushing it: 0, or -EIO when OUT has an error
 * already (the caller flushes or closes OUT, and checks that too). */
int prometheus_write(FILE *out, const struct prometheus_collection *c);

/* mqstat --prometheus[=PATH]: C on stdout (PATH NULL), or replacing PATH
 * whole, mode 0644, as lib/file.h's file_replace_trusted does (refused in
 * a place another user controls). What went wrong is said; returns the
 * exit status. */
int prometheus_output(const char *path, const struct prometheus_collection *c);

#endif
