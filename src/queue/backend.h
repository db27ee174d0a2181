/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend.h - what a kind of queue implements behind queue.h, and what it
 * declares it can do (struct queue_caps). Private to src/queue/: queue.c
 * dispatches; posix.c, sysv.c, amqp/amqp.c and mqtt/mqtt.c implement, and
 * unbuilt.c stands in for a network kind this build has no client for. */
#ifndef MQTOOLS_QUEUE_BACKEND_H
#define MQTOOLS_QUEUE_BACKEND_H

#include <stddef.h>
#include "queue/queue.h"

/* What every kind of queue has. A backend's own handle embeds it as its
 * first member, named base, and keeps its own state (a descriptor, an
 * identifier, a connection) beside it: see QUEUE_BACKEND_OF. */
struct queue {
	const struct queue_backend *ops;
	struct queue_address addr;
	char name[NAME_MAX + 16];
	bool created;
	size_t max_message;
	char *buf; /* receive buffer (System V: with the mtype header) */
	size_t buf_size;
	int access;                 /* QUEUE_READ | QUEUE_WRITE as opened */
	int64_t next_removal_check; /* monotonic ns: queue_send checks removal from then on */
	/* queue_last_detail(): a backend that fills it does so at every
	 * failure it has more to say about, and empties it otherwise */
	struct queue_detail last;
};

/* The backend's handle of TYPE around Q. */
#define QUEUE_BACKEND_OF(q, type) ((type *)(void *)((char *)(q)-offsetof(type, base)))

struct queue_backend {
	size_t size;            /* of the backend's handle, zeroed before open */
	struct queue_caps caps; /* queue_kind_caps() */
	int (*open)(struct queue *q, const struct queue_open_options *opt, struct queue_detail *why);
	int (*send)(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w);
	/* DATA has QUEUE_SEND_HEADROOM bytes before it to overwrite */
	int (*send_headroom)(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w);
	int (*receive)(struct queue *q, struct queue_message *m, const struct queue_select *sel,
		const struct queue_wait *w);
	int (*peek)(struct queue *q, size_t index, struct queue_message *m);
	/* optional: wait for a message without taking it (queue_wait_message) */
	int (*wait_message)(struct queue *q, const struct queue_wait *w);
	int (*stat_address)(const struct queue_address *addr, struct queue_info *info);
	int (*enumerate)(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg);
	int (*remove)(const struct queue_address *addr, struct queue_detail *why);
	/* optional: queue_may_remove, IN's owner known */
	int (*may_remove)(const struct queue_info *in, struct queue_detail *why);
	void (*close)(struct queue *q);
	/* queue_change() on the open queue Q, or with Q NULL queue_change_address() */
	int (*change)(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
		struct queue_detail *why);
	/* queue_id(); NULL: the kind has no identifier */
	int (*id)(const struct queue *q);
	/* optional: true once the open queue is known to be removed */
	bool (*removed)(struct queue *q);
	/* optional: how many messages a removed queue still holds (0 when it
	 * is not removed, or empty: all it took was received) */
	long (*stranded)(struct queue *q);
	/* optional, network kinds: queue_flush, queue_unconfirmed,
	 * queue_settle, and a queue_put_back of their own (the last N received
	 * go back, by the broker's requeue, not by sends) */
	int (*flush)(struct queue *q, const struct queue_wait *w);
	unsigned long long (*unconfirmed)(struct queue *q);
	void (*settle)(struct queue *q, size_t unwritten);
	size_t (*put_back)(struct queue *q, const struct queue_message *msgs, size_t n, int64_t bound_ns, int *err);
	/* optional, brokers: queue_delete, queue_broker_stat */
	int (*delete_open)(struct queue *q, bool force);
	int (*broker_stat)(struct queue *q, struct queue_broker_info *info);
};

/* What a network kind can do, declared here because two backends declare
 * it: the kind's own, and unbuilt.c's in a build without its client (whose
 * options are then refused for the same reasons, before the open says the
 * client is missing). */
/* clang-format off */
#define QUEUE_AMQP_CAPS { \
	.can = QUEUE_CAN_PRIORITY | QUEUE_CAN_SAY_EMPTY | QUEUE_CAN_NOWAIT | QUEUE_CAN_CREATE | QUEUE_CAN_MAXMSG | \
		QUEUE_CAN_QBYTES | QUEUE_CAN_MAX_PRIORITY | QUEUE_CAN_REPLICATE | QUEUE_CAN_LOGIN | \
		QUEUE_CAN_BROKER_DELETE | QUEUE_CAN_STAT, \
	.max_priority = 255, .name = "amqp://", .noun = "queues", \
}
/* clang-format on */
/* a topic: no priority, type, size or owner; a reader learns of nothing
 * queued but by its delivery; what goes back is published again */
/* clang-format off */
#define QUEUE_MQTT_CAPS { \
	.can = QUEUE_CAN_LOGIN | QUEUE_CAN_SUBSCRIBE | QUEUE_CAN_PUT_BACK_ANY | QUEUE_CAN_RETAIN, \
	.name = "mqtt://", .noun = "topics", \
}
/* clang-format on */

extern const struct queue_backend queue_posix_backend;
extern const struct queue_backend queue_sysv_backend;
/* amqp:// or mqtt:// in a build without that client (unbuilt.c) */
extern const struct queue_backend queue_unbuilt_amqp_backend;
extern const struct queue_backend queue_unbuilt_mqtt_backend;
/* -EPROTONOSUPPORT, WHY naming the package and configure run KIND needs */
int queue_unbuilt_why(enum queue_kind kind, struct queue_detail *why);
/* amqp:// (amqp.c), in a build with rabbitmq-c's headers */
extern const struct queue_backend queue_amqp_backend;
/* mqtt:// through libmosquitto (mqtt.c), when configure found its headers */
extern const struct queue_backend queue_mqtt_backend;

/* Leave a precise reason in WHY (which limit an attribute broke, say),
 * which queue_strerror() words instead of the generic wording. WHY may be
 * NULL: the caller did not ask. */
void queue_detail_set(struct queue_detail *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether this process has capability CAP (a bit number) in effect where the
 * kernel counts it for IPC limits: in the initial user namespace. */
bool have_capability(int cap);
/* Whether capability CAP is in effect in this process's own user
 * namespace: where the kernel counts CAP_FOWNER and CAP_SYS_ADMIN for the
 * queues of an IPC namespace that namespace made. */
bool have_effective_capability(int cap);
#define CAP_FOWNER_BIT 3
#define CAP_SYS_ADMIN_BIT 21
#define CAP_SYS_RESOURCE_BIT 24

/* Grow Q's receive buffer to at least SIZE bytes. 0 or -ENOMEM. */
int queue_reserve_buffer(struct queue *q, size_t size);

#endif
