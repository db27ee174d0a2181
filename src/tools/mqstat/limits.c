/* SPDX-License-Identifier: GPL-2.0-or-later */
/* limits.c - mqstat --limits: the system's limits on message queues, and
 * what the queues there are use of each (the totals come from the queue
 * layer's listing, queue_list_usage). */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"
#include "tools/mqstat/prometheus.h"
#include "lib/clock.h"
#include "lib/format.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* One row of --limits: -1 for what is not known. */
struct limit_row {
	const char *resource;
	char desc[160];
	long long limit, used;
	bool bytes;
};

static char *limit_cell(struct mqstat_control *ctl, const void *row, int col)
{
	const struct limit_row *r = row;
	char buf[64];
	long long v = col == LCOL_LIMIT ? r->limit : r->used;

	switch (col) {
	case LCOL_RESOURCE: return strdup(r->resource);
	case LCOL_DESCRIPTION: return strdup(r->desc);
	case LCOL_USE:
		/* lsipc -g's form: two decimals */
		if (r->limit <= 0 || r->used < 0)
			return NULL;
		snprintf(buf, sizeof(buf), ctl->json ? "%.2f" : "%.2f%%", 100.0 * (double)r->used / (double)r->limit);
		return strdup(buf);
	default:
		if (v < 0)
			return NULL;
		if (r->bytes && !ctl->bytes && !ctl->json)
			return strdup(format_size_human((unsigned long long)v, buf, sizeof(buf)));
		return number_text((unsigned long long)v, "");
	}
}

static void print_limits(struct mqstat_control *ctl, const struct limit_row *rows, size_t nrows)
{
	struct libscols_table *tb = new_table(ctl, "limits");
	add_table_columns(tb, ctl, mqstat_limit_columns);
	for (size_t r = 0; r < nrows; r++)
		add_table_line(tb, ctl, limit_cell, &rows[r]);
	print_table(ctl, tb);
	scols_unref_table(tb);
}

/* The last row: the caller's RLIMIT_MSGQUEUE, and what its real uid is
 * charged: measured against the kernel (queue_posix_charged), else
 * estimated from the queues it owns here (ESTIMATE, -1 if unknown); false
 * if the limit cannot be read. */
static bool rlimit_row(struct limit_row *r, long long estimate)
{
	struct rlimit rl;
	unsigned long long used;
	bool at_least;
	char hard[32] = "unlimited";

	if (getrlimit(RLIMIT_MSGQUEUE, &rl) != 0)
		return false;
	if (rl.rlim_max != RLIM_INFINITY)
		snprintf(hard, sizeof(hard), "%llu", (unsigned long long)rl.rlim_max);
	if (queue_posix_charged(&used, &at_least) == 0) {
		r->used = (long long)used;
		snprintf(r->desc, sizeof(r->desc),
			"your POSIX queues' memory, %sas the kernel counts it (ulimit -q; hard: %s)",
			at_least ? "at least, " : "", hard);
	} else {
		r->used = estimate;
		snprintf(r->desc, sizeof(r->desc),
			"your POSIX queues' memory, estimated from the queues you own here "
			"(ulimit -q; hard: %s)",
			hard);
	}
	r->limit = rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur;
	return true;
}

/* The rows of -g for L, a listing of both kinds with QI_ALL, into ROWS
 * (NLIMIT_ROWS of them): returns how many. */
#define NLIMIT_ROWS 9
static size_t limit_rows(const struct queue_list *l, struct limit_row *rows)
{
	struct queue_list_usage u;

	queue_list_usage(l, getuid(), &u);
	const struct limit_row all[NLIMIT_ROWS] = {
		{ "queues_max", "POSIX queues (fs.mqueue.queues_max)", queue_limit(PROC_MQ_QUEUES_MAX), u.posix_queues,
			false },
		{ "msg_max", "POSIX: most messages in a queue; used: the largest queue", queue_limit(PROC_MQ_MSG_MAX),
			u.largest_maxmsg, false },
		{ "msgsize_max", "POSIX: largest message; used: the largest queue's", queue_limit(PROC_MQ_MSGSIZE_MAX),
			u.largest_msgsize, true },
		{ "msg_default", "POSIX: messages of a queue made without attributes", queue_limit(PROC_MQ_MSG_DEFAULT),
			-1, false },
		{ "msgsize_default", "POSIX: message size of a queue made without attributes",
			queue_limit(PROC_MQ_MSGSIZE_DEFAULT), -1, true },
		{ "msgmni", "System V queues (kernel.msgmni)", queue_limit(PROC_MSGMNI), u.sysv_queues, false },
		{ "msgmax", "System V: largest message", queue_limit(PROC_MSGMAX), -1, true },
		{ "msgmnb", "System V: default capacity of a queue; used: the largest queue's",
			queue_limit(PROC_MSGMNB), u.largest_qbytes, true },
		{ "RLIMIT_MSGQUEUE", "", -1, -1, true },
	};
	size_t nrows = NLIMIT_ROWS;
	memcpy(rows, all, sizeof(all));
	if (!rlimit_row(&rows[nrows - 1], u.charged))
		nrows--;
	return nrows;
}

int show_limits(struct mqstat_control *ctl)
{
	struct queue_list l;
	struct limit_row rows[NLIMIT_ROWS];

	ctl->kinds = QUEUE_KIND_BIT(QUEUE_POSIX) | QUEUE_KIND_BIT(QUEUE_SYSV);
	memset(&l, 0, sizeof(l));
	if (queue_list_collect(&l, ctl->kinds, QI_ALL) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	report_enumeration(&l, ctl->kinds);
	size_t nrows = limit_rows(&l, rows);
	queue_list_free(&l);
	print_limits(ctl, rows, nrows);
	return MQ_EXIT_OK;
}

/* --prometheus[=FILE]: every queue, judged, and the limits of -g, as
 * metrics (prometheus.h) on standard output or replacing FILE. */
int run_prometheus(struct mqstat_control *ctl)
{
	struct queue_list l;
	struct limit_row rows[NLIMIT_ROWS];
	struct prometheus_limit limits[NLIMIT_ROWS];
	int64_t start = monotonic_ns();

	memset(&l, 0, sizeof(l));
	ctl->now = now_seconds();
	if (queue_list_collect(&l, ctl->kinds, QI_ALL) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	queue_list_judge(&l, ctl->now, ctl->idle_after);
	size_t n = limit_rows(&l, rows);
	for (size_t i = 0; i < n; i++)
		limits[i] = (struct prometheus_limit){ rows[i].resource, rows[i].limit, rows[i].used };
	struct prometheus_collection c = { &l, ctl->kinds, ctl->now, limits, n,
		(double)(monotonic_ns() - start) / 1e9 };
	report_enumeration(&l, ctl->kinds);
	int status = prometheus_output(ctl->prometheus_file, &c);
	if (status == MQ_EXIT_OK && ((l.posix_err < 0 && l.posix_err != -ENODEV) || l.sysv_err < 0))
		status = MQ_EXIT_FAILURE; /* written, mqtools_collect_success 0: said above too */
	queue_list_free(&l);
	return status;
}
