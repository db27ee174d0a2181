/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unbuilt.c - the backend of a network kind this build has no client for:
 * every call fails with EPROTONOSUPPORT and says which package and
 * configure run would bring it. queue.c picks it when configure did not
 * find the kind's client library. */
#include "config.h"
#include "queue/backend.h"

#include <errno.h>

static const char *library_of(enum queue_kind kind)
{
	return kind == QUEUE_AMQP ? "amqp:// (librabbitmq-dev)" : "mqtt:// (libmosquitto-dev)";
}

int queue_unbuilt_why(enum queue_kind kind, struct queue_detail *why)
{
	queue_detail_set(why, "this mqtools was built without %s: install it and run configure again",
		library_of(kind));
	return -EPROTONOSUPPORT;
}

static int unbuilt_open(struct queue *q, const struct queue_open_options *opt, struct queue_detail *why)
{
	(void)opt;
	return queue_unbuilt_why(q->addr.kind, why);
}

static int unbuilt_stat_address(const struct queue_address *addr, struct queue_info *info)
{
	(void)addr;
	(void)info;
	return -EPROTONOSUPPORT;
}

static int unbuilt_enumerate(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	(void)want;
	(void)fn;
	(void)arg;
	return -EPROTONOSUPPORT;
}

static int unbuilt_remove(const struct queue_address *addr, struct queue_detail *why)
{
	return queue_unbuilt_why(addr->kind, why);
}

static int unbuilt_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why)
{
	(void)q;
	(void)c;
	return unbuilt_remove(addr, why);
}

static void unbuilt_close(struct queue *q)
{
	(void)q;
}

/* Only open, stat, enumerate, remove and change are reachable: no handle
 * is ever opened, so the per-handle calls stay NULL. The capabilities are
 * the kind's, so that an option it cannot honour is refused as in a build
 * with its client. */
/* clang-format off */
#define UNBUILT_OPS \
	.size = sizeof(struct queue), \
	.open = unbuilt_open, \
	.stat_address = unbuilt_stat_address, \
	.enumerate = unbuilt_enumerate, \
	.remove = unbuilt_remove, \
	.change = unbuilt_change, \
	.close = unbuilt_close
/* clang-format on */

const struct queue_backend queue_unbuilt_amqp_backend = { UNBUILT_OPS, .caps = QUEUE_AMQP_CAPS };
const struct queue_backend queue_unbuilt_mqtt_backend = { UNBUILT_OPS, .caps = QUEUE_MQTT_CAPS };
