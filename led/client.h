/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client.h - the mqled client: "mqled on", "mqled status", ... send one
 * command to the controller and wait for its answer on a private reply
 * queue (see mqled(1), ACKNOWLEDGEMENTS). */
#ifndef MQTOOLS_LEDCLIENT_H
#define MQTOOLS_LEDCLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/address.h"

#define LEDCLIENT_DEFAULT_TIMEOUT_NS 2000000000LL

/* Send COMMAND (already checked with protocol_parse) to the controller of
 * ADDR and wait up to TIMEOUT_NS for its answer; print the answer when
 * SHOW_ANSWER (status). Returns the exit status. */
int ledclient_run(const struct queue_address *addr, const char *queue_text, const char *command, bool show_answer,
	int64_t timeout_ns);

#endif
