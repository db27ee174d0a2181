/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrecv-failures.h - how often each message's command failed, for
 * mqrecv --exec --retries. A message put back on a kernel queue cannot
 * carry a counter, so the count is kept here, in memory, keyed by a 64-bit
 * hash of the message's bytes and its priority or type: identical messages
 * share a count, a different process knows none of them, and the table is
 * bounded (the least recently failed entry makes room for a new one). */
#ifndef MQTOOLS_MQRECV_FAILURES_H
#define MQTOOLS_MQRECV_FAILURES_H

#include <stddef.h>
#include <stdint.h>

/* How many messages with failures the table remembers at most. */
#define FAILURES_MAX 4096

struct failures;

struct failures *failures_new(size_t capacity);
void failures_free(struct failures *f);

uint64_t failures_key(const char *data, size_t len, long priority);
/* The failures counted for KEY so far (0 when unknown). */
unsigned failures_count(const struct failures *f, uint64_t key);
/* Count one more failure for KEY; returns the new count. */
unsigned failures_add(struct failures *f, uint64_t key);
/* Forget KEY: its command succeeded, or its message left for good. */
void failures_forget(struct failures *f, uint64_t key);
/* How many messages are remembered: put back after a failure, and not
 * since seen to succeed or leave. */
size_t failures_size(const struct failures *f);

#endif
