/* SPDX-License-Identifier: GPL-2.0-or-later */
/* caps-cli.h - the refusal of an option that the queue's kind cannot
 * honour. Whether it can is the capability bits its backend declares
 * (queue_kind_caps()), never a list of kinds; the usage error names the
 * kinds that can, and says why this one cannot and what to use instead. */
#ifndef MQTOOLS_CAPS_CLI_H
#define MQTOOLS_CAPS_CLI_H

#include "cli/excl.h"
#include "queue/queue.h"

/* An option and what it needs of the queue's kind. */
struct cli_need {
	int opt;          /* getopt's value; 0 ends a table */
	unsigned can;     /* QUEUE_CAN_*: the option needs one of them */
	const char *name; /* as messages name it: "--peek", "--type and --except" */
};

/* The usage error (exit 2) of the first row of TABLE whose option G holds
 * and whose capability KIND lacks. */
void cli_need_check(const struct cli_need *table, const struct cli_given *g, enum queue_kind kind);
/* The name that TABLE gives OPT, or NULL. */
const char *cli_need_name(const struct cli_need *table, int opt);

#endif
