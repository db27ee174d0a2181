/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client.h - the mqled client: "mqled on", "mqled status", ... send one
 * command to the controller and wait for its answer on a private reply
 * queue (see mqled(1), ACKNOWLEDGEMENTS). */
#ifndef MQTOOLS_LEDCLIENT_H
#define MQTOOLS_LEDCLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/address.h"
#include "mqled/mqled.h"

#define LEDCLIENT_DEFAULT_TIMEOUT_NS 2000000000LL

/* Send COMMAND (already checked with protocol_parse) to the controller of
 * ADDR and print its answer when SHOW_ANSWER (status). TIMEOUT_NS bounds
 * the whole: the wait for a controller that is not serving yet (one that
 * starts at the same time), then for its answer. Returns the exit status
 * (MQ_EXIT_NOQUEUE: no controller came). */
int ledclient_run(const struct queue_address *addr, const char *queue_text, const char *command, bool show_answer,
	int64_t timeout_ns);
/* The same over MQTT (client-mqtt.c), ADDR an mqtt:// address. */
int ledclient_mqtt_run(const struct queue_address *addr, const char *queue_text, const char *command, bool show_answer,
	int64_t timeout_ns, const struct mqled_credentials *cred);

/* The controller's answer DATA (LEN bytes, "ok ..." or "error ...") to
 * COMMAND: shown (status, or the refusal) with every control byte escaped
 * on a terminal; returns the exit status it means. */
int ledclient_answer(const char *queue_text, const char *command, const char *data, size_t len, bool show_answer);

#endif
