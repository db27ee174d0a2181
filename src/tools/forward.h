/* SPDX-License-Identifier: GPL-2.0-or-later */
/* forward.h - mqrecv SRC --to DST: messages moved from one queue to another
 * of any kind. A message leaves SRC only once DST took it: a kernel send
 * returned, the broker's publisher confirm or PUBACK came. Up to WINDOW
 * messages are taken from SRC, sent to DST, and once DST has them all an
 * amqp:// SRC is acked; a kernel SRC has given them up when they were
 * taken, so a SIGKILL loses at most the window there (an amqp:// SRC
 * loses none: the broker gives them again, which may duplicate some).
 * With FOLLOW it is store-and-forward: a DST (or SRC) broker that cannot
 * be reached is tried again, with a growing pause, for as long as it
 * takes, while the messages wait in SRC. Priorities and types cross kinds
 * as queue/priority-map.h maps them. */
#ifndef MQTOOLS_FORWARD_H
#define MQTOOLS_FORWARD_H

#include <stdbool.h>
#include <stdint.h>
#include "cli/queue-cli.h"
#include "queue/queue.h"

struct progress;

/* --to's window when --batch is not given: a broker's confirms are awaited
 * once a window, so a small one leaves it idle in between (bench/RESULTS.md,
 * issue 26); a kernel SRC's SIGKILL loses at most this many. */
#define FORWARD_DEFAULT_WINDOW 1024

struct forward_options {
	const char *src_name;           /* SRC as given, for messages */
	const struct queue_cli *src_qc; /* how SRC was opened, to open it again */
	const struct queue_address *src_addr;
	const struct queue_select *sel;
	const struct queue_wait *wait; /* for a message from SRC */
	unsigned long long count;      /* messages to move (unless follow) */
	bool follow, drain;
	int64_t idle_ns;      /* with follow: end after this long without a message; 0 never */
	size_t window;        /* --batch */
	const char *dst_name; /* DST as given */
	const struct queue_address *dst_addr;
	const char *password_file; /* for DST, as for SRC */
	struct progress *progress; /* NULL: none */
	/* Write the N messages MSGS, taken from SRC and neither delivered nor
	 * put back, to the dead letter: WHY says why, or when NULL, ERR (from
	 * queue_put_back) does. Returns the exit status it deserves. */
	int (*dead_letter)(void *ctx, const struct queue_message *msgs, size_t n, int err, const char *why);
	void *ctx;
};

/* Move messages from SRC (open; it may be closed and opened again: *SRC is
 * the one open at the end) to DST, opened here. Returns mqrecv's exit
 * status, having said what went wrong. */
int forward_run(struct queue **src, const struct forward_options *opt);

#endif
