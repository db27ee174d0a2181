/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrecv-exec.h - mqrecv --exec: an at-least-once job runner. Each message
 * taken off the queue is given to a command of its own, on its standard
 * input; up to N commands run at once. A message leaves for good only when
 * its command exited 0: when it fails it is put back, and after --retries
 * failures it goes to the dead letter. */
#ifndef MQTOOLS_MQRECV_EXEC_H
#define MQTOOLS_MQRECV_EXEC_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include "cli/progress.h"
#include "queue/queue.h"

#define EXEC_MAX_WORKERS 1024
#define EXEC_DEFAULT_RETRIES 3
#define EXEC_DEFAULT_KILL_AFTER_NS 10000000000LL /* 10 s */

struct exec_options {
	char **argv;           /* the command and its arguments, NULL-terminated */
	size_t workers;        /* -P: commands running at once */
	unsigned retries;      /* --retries: put back at most this often */
	int64_t kill_after_ns; /* --kill-after: after a stop signal */
	const char *name;      /* the queue as given, for messages */
	const struct queue_select *sel;
	const struct queue_wait *wait;
	unsigned long long count; /* messages to take (unless follow) */
	bool follow, drain;
	bool idle;                 /* with follow: WAIT's timeout ends the taking, status 0 */
	struct progress *progress; /* told of each message done with; NULL: none */
	/* Write M, which cannot stay on the queue, to the dead letter: WHY says
	 * why, or when NULL, ERR (from queue_put_back) does. Returns the exit
	 * status a dead letter deserves. */
	int (*dead_letter)(void *ctx, const struct queue_message *m, int err, const char *why);
	void *ctx;
};

/* Where "--exec" is in ARGV, found as getopt would (an option's argument
 * that reads "--exec" is not it), or ARGC when it is not there. SHORTOPTS
 * and LONGOPTS are the tool's own, to tell which options take an argument. */
int exec_find(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* Run the commands; returns mqrecv's exit status. */
int exec_run(struct queue *q, const struct exec_options *opt);

#endif
