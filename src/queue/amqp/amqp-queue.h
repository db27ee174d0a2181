/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-queue.h - the amqp backend's handle, shared by its files: amqp.c
 * (open, close, stat, remove), amqp-publish.c (sends with publisher
 * confirms), amqp-consume.c (receives with manual acks). */
#ifndef MQTOOLS_QUEUE_AMQP_QUEUE_H
#define MQTOOLS_QUEUE_AMQP_QUEUE_H

#include <stdint.h>
#include "queue/amqp/amqp-link.h"
#include "queue/backend.h"

/* At most this many messages published and not yet confirmed: a send waits
 * for confirms beyond it. Each is kept (copied) until confirmed, to be
 * published again after a nack (a full queue) or a lost connection. */
#define AMQP_CONFIRM_WINDOW 1024

/* UNSENT: to publish (again, on a new connection); WAIT: published, its
 * confirm awaited; NACKED: refused (a full queue), to publish again */
enum amqp_pending_state { PENDING_UNSENT, PENDING_WAIT, PENDING_NACKED, PENDING_DONE };
struct amqp_pending {
	uint64_t seq;    /* the channel's publish sequence number, for its confirm */
	uint64_t number; /* of the message among all this queue published: 1, 2, ... */
	char *data;
	size_t len;
	uint8_t priority;
	enum amqp_pending_state state;
};

struct amqp_publisher {
	unsigned generation; /* of the connection whose channel is in confirm mode; 0 none */
	uint64_t next_seq;
	/* numbers: of the latest message taken for publishing, and of the
	 * latest whose send returned 0 (the caller counts it sent) */
	uint64_t last_number, last_accepted;
	struct amqp_pending *p; /* in the order of their numbers */
	size_t n, cap, waiting, nacked;
	unsigned since_poll; /* sends since the last look for confirms */
};

struct amqp_consumer {
	unsigned generation;         /* of the connection consuming; 0 none */
	unsigned channel_generation; /* of the connection whose tags these are */
	uint16_t prefetch;
	/* delivery tags: one consumer per channel, so they count 1, 2, ...:
	 * the latest received, how far output took them, how far acked */
	uint64_t last_tag, settled_tag, acked_tag;
	bool cancelled;
};

struct amqp_queue {
	struct queue base;
	struct amqp_link link;
	struct amqp_publisher pub;
	struct amqp_consumer con;
};

static inline struct amqp_queue *amqp_of(struct queue *q)
{
	return QUEUE_BACKEND_OF(q, struct amqp_queue);
}

/* amqp-publish.c */
int amqp_publish(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w);
int amqp_confirm_all(struct queue *q, const struct queue_wait *w);
/* queue_unconfirmed(): of the sends that returned 0, how many from the
 * first the broker has not confirmed to the latest */
unsigned long long amqp_unconfirmed(struct queue *q);
void amqp_publisher_free(struct amqp_queue *aq);
/* A frame that is not a delivery, seen by the consumer: confirms and the
 * broker's closes. 0, or -errno with q->last set. */
int amqp_publisher_frame(struct amqp_queue *aq, const amqp_frame_t *f);

/* amqp-consume.c */
int amqp_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel, const struct queue_wait *w);
void amqp_settle(struct queue *q, size_t unwritten);
size_t amqp_put_back(struct queue *q, const struct queue_message *msgs, size_t n, int64_t bound_ns, int *err);
/* Ack what output took, before a close. */
void amqp_consumer_finish(struct amqp_queue *aq);

/* amqp.c: the connection was lost (ERR): connect again, or give up with
 * ERR and the detail. What the broker held for the old channel is gone
 * (its unacked messages requeued); the callers start afresh. */
int amqp_recover(struct amqp_queue *aq, int err);

#endif
