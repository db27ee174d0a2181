/* SPDX-License-Identifier: GPL-2.0-or-later */
/* address.h - the one queue address grammar of every tool (mqtools(7)):
 *   /name             a POSIX message queue
 *   key:KEY           a System V queue by key (decimal, 0x hex, 0 octal)
 *   id:ID             a System V queue by identifier
 *   ftok:PATH[:PROJ]  a System V key from ftok(3); PROJ 1..255 or one
 *                     character, default 1; the last colon separates PROJ.
 *   amqp[s]://...     a queue on an AMQP 0-9-1 broker (RabbitMQ)
 *   mqtt[s]://...     a topic on an MQTT broker (mosquitto); both in lib/url.h */
#ifndef MQTOOLS_ADDRESS_H
#define MQTOOLS_ADDRESS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include "lib/parse.h"
#include "lib/url.h"

enum queue_kind { QUEUE_POSIX, QUEUE_SYSV, QUEUE_AMQP, QUEUE_MQTT };

enum address_form { ADDR_POSIX_NAME, ADDR_SYSV_KEY, ADDR_SYSV_ID, ADDR_SYSV_FTOK, ADDR_URL };

#define ADDRESS_FTOK_DEFAULT_PROJ 1

struct queue_address {
	enum queue_kind kind;
	enum address_form form;
	char name[NAME_MAX + 2]; /* POSIX: "/name" */
	key_t key;               /* key: and ftok: (resolved by ftok(3)) */
	int id;                  /* id: */
	const char *url;         /* amqp://, mqtt://: the text given to
	                          * address_parse(), which must outlive the
	                          * address; the backend splits it (url.h) */
};

/* Parse TEXT. ftok: is resolved here, so a missing PATH is reported as such.
 * A network URL is split and checked here, so that a bad one is a usage
 * error naming its part, whether or not the backend was built. */
int address_parse(const char *text, struct queue_address *out, struct parse_error *e);
/* The same for a reader (mqrecv): an mqtt:// topic may be a filter of
 * many, its wildcards '+' and '#' whole levels ('#' the last). */
int address_parse_subscription(const char *text, struct queue_address *out, struct parse_error *e);
/* Canonical text of an address: "/name", "key:0x0000abcd", "id:42". */
const char *address_format(const struct queue_address *a, char *buf, size_t len);
/* The accepted forms, one line each, for error messages and --help. */
extern const char address_forms_help[];

#endif
