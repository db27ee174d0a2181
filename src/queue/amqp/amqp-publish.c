/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-publish.c - sends as persistent messages with publisher confirms.
 * A send publishes and returns; confirms are read in windows
 * (AMQP_CONFIRM_WINDOW), and amqp_confirm_all() waits for every one: the
 * sender calls it before it waits for input and before it ends. Until
 * then up to a window of sends are unconfirmed, and amqp_unconfirmed()
 * says how many: a sender that fails counts sent only those before the
 * first unconfirmed one, which the broker holds for sure. A nack is a full
 * queue (overflow reject-publish): the message is published again when
 * there is room, waiting as a kernel queue's send waits. After a lost
 * connection every unconfirmed message is published again on the new one:
 * a message whose confirm the old connection lost arrives twice (at least
 * once). A message the broker returns (unroutable) found its queue
 * removed. */
#include "config.h"
#include "lib/clock.h"
#include "queue/amqp/amqp-queue.h"
#include "lib/signals.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define FULL_RETRY_MIN_NS 5000000LL   /* 5 ms */
#define FULL_RETRY_MAX_NS 200000000LL /* 200 ms */
#define POLL_EVERY 32                 /* sends between two looks at confirms */
#define WAIT_SLICE_US 100000          /* a stop signal is seen within this */

static int select_confirms(struct amqp_queue *aq)
{
	struct amqp_link *l = &aq->link;
	if (aq->pub.generation == l->generation)
		return 0;
	l->dl->amqp_confirm_select(l->conn, AMQP_CHANNEL);
	int r = amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "enable publisher confirms", &aq->base.last);
	if (r == 0) {
		aq->pub.generation = l->generation;
		aq->pub.next_seq = 1;
	}
	return r;
}

static int publish_one(struct amqp_queue *aq, struct amqp_pending *p)
{
	struct amqp_link *l = &aq->link;
	amqp_basic_properties_t props = {
		._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_PRIORITY_FLAG,
		.delivery_mode = AMQP_DELIVERY_PERSISTENT,
		.priority = p->priority,
	};
	amqp_bytes_t body = { p->len, p->data };
	/* mandatory: a message no queue takes comes back instead of vanishing */
	int r = l->dl->amqp_basic_publish(l->conn, AMQP_CHANNEL, l->dl->amqp_cstring_bytes(""),
		l->dl->amqp_cstring_bytes(l->target.queue), 1, 0, &props, body);
	if (r != AMQP_STATUS_OK)
		return amqp_link_status(l, r, "publish", &aq->base.last);
	p->seq = aq->pub.next_seq++;
	p->state = PENDING_WAIT;
	aq->pub.waiting++;
	return 0;
}

/* Drop the confirmed messages at the front. */
static void compact(struct amqp_publisher *pub)
{
	size_t keep = 0;
	for (size_t i = 0; i < pub->n; i++) {
		if (pub->p[i].state == PENDING_DONE)
			free(pub->p[i].data);
		else
			pub->p[keep++] = pub->p[i];
	}
	pub->n = keep;
}

static void settle_seq(struct amqp_publisher *pub, uint64_t tag, bool multiple, enum amqp_pending_state to)
{
	for (size_t i = 0; i < pub->n; i++) {
		struct amqp_pending *p = &pub->p[i];
		if (p->state != PENDING_WAIT || (multiple ? p->seq > tag : p->seq != tag))
			continue;
		p->state = to;
		pub->waiting--;
		if (to == PENDING_NACKED)
			pub->nacked++;
	}
}

static int returned(struct amqp_queue *aq)
{
	struct amqp_link *l = &aq->link;
	amqp_message_t msg;
	/* the returned message's header and body follow: read them off */
	amqp_rpc_reply_t r = l->dl->amqp_read_message(l->conn, AMQP_CHANNEL, &msg, 0);
	if (r.reply_type == AMQP_RESPONSE_NORMAL)
		l->dl->amqp_destroy_message(&msg);
	queue_detail_set(&aq->base.last,
		"%s: the queue '%s' is gone: the broker returned a message that no queue "
		"took (it was removed)",
		l->where, l->target.queue);
	return -EIDRM;
}

int amqp_publisher_frame(struct amqp_queue *aq, const amqp_frame_t *f)
{
	struct amqp_link *l = &aq->link;
	if (f->frame_type != AMQP_FRAME_METHOD)
		return 0;
	switch (f->payload.method.id) {
	case AMQP_BASIC_ACK_METHOD: {
		const amqp_basic_ack_t *a = f->payload.method.decoded;
		settle_seq(&aq->pub, a->delivery_tag, a->multiple, PENDING_DONE);
		return 0;
	}
	case AMQP_BASIC_NACK_METHOD: {
		const amqp_basic_nack_t *a = f->payload.method.decoded;
		settle_seq(&aq->pub, a->delivery_tag, a->multiple, PENDING_NACKED);
		return 0;
	}
	case AMQP_BASIC_RETURN_METHOD: return returned(aq);
	case AMQP_CHANNEL_CLOSE_METHOD:
	case AMQP_CONNECTION_CLOSE_METHOD: {
		amqp_rpc_reply_t r = { .reply_type = AMQP_RESPONSE_SERVER_EXCEPTION, .reply = f->payload.method };
		int err = amqp_link_error(l, r, "publish", &aq->base.last);
		return err == -ENOENT ? -EIDRM : err;
	}
	default: return 0;
	}
}

/* Read frames: without waiting (BLOCK false), or until fewer than LIMIT
 * messages wait for their confirm. */
static int read_confirms(struct amqp_queue *aq, bool block, size_t limit)
{
	struct amqp_link *l = &aq->link;
	for (;;) {
		struct timeval tv = { 0, block ? WAIT_SLICE_US : 0 };
		amqp_frame_t f;
		if (block && aq->pub.waiting < limit)
			return 0;
		int r = l->dl->amqp_simple_wait_frame_noblock(l->conn, &f, &tv);
		if (r == AMQP_STATUS_TIMEOUT) {
			if (!block)
				return 0;
			if (signals_stop_requested())
				return -EINTR;
			continue;
		}
		if (r != AMQP_STATUS_OK)
			return amqp_link_status(l, r, "read publisher confirms", &aq->base.last);
		if ((r = amqp_publisher_frame(aq, &f)) < 0)
			return r;
		l->dl->amqp_maybe_release_buffers(l->conn);
	}
}

/* Publish again, in their order, every message not confirmed (after a new
 * connection: all of them; after nacks: those). */
static int republish(struct amqp_queue *aq, bool all)
{
	struct amqp_publisher *pub = &aq->pub;
	/* first marked, then sent: a send that fails half-way leaves the
	 * rest marked, for the next connection, and the counts right */
	for (size_t i = 0; i < pub->n; i++) {
		struct amqp_pending *p = &pub->p[i];
		if (p->state == PENDING_NACKED) {
			pub->nacked--;
			p->state = PENDING_UNSENT;
		} else if (all && p->state == PENDING_WAIT) {
			pub->waiting--;
			p->state = PENDING_UNSENT;
		}
	}
	for (size_t i = 0; i < pub->n; i++) {
		if (pub->p[i].state != PENDING_UNSENT)
			continue;
		int r = publish_one(aq, &pub->p[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The connection is gone: connect again and publish what was not confirmed. */
static int recover(struct amqp_queue *aq, int err)
{
	while (amqp_link_lost(err)) {
		if ((err = amqp_recover(aq, err)) < 0)
			return err;
		if ((err = select_confirms(aq)) == 0 && (err = republish(aq, true)) == 0)
			return 0;
	}
	return err;
}

/* Nacked messages: the queue is full. Wait as W says, then try them again. */
static int retry_nacked(struct amqp_queue *aq, const struct queue_wait *w, int64_t *deadline, int64_t *pause)
{
	if (w->how == QUEUE_WAIT_NONE) {
		queue_detail_set(&aq->base.last,
			"%s: the queue '%s' is full: the broker refused %zu message%s "
			"(x-overflow reject-publish; --nonblock)",
			aq->link.where, aq->link.target.queue, aq->pub.nacked, aq->pub.nacked == 1 ? "" : "s");
		return -EAGAIN;
	}
	if (w->how == QUEUE_WAIT_TIMEOUT && !*deadline)
		*deadline = monotonic_after_ns(w->timeout_ns);
	if (*deadline && monotonic_ns() >= *deadline) {
		aq->base.last.text[0] = '\0';
		return -ETIMEDOUT;
	}
	struct timespec ts = { 0, *pause };
	nanosleep(&ts, NULL);
	if (signals_stop_requested())
		return -EINTR;
	*pause = *pause * 2 > FULL_RETRY_MAX_NS ? FULL_RETRY_MAX_NS : *pause * 2;
	return republish(aq, false);
}

/* Until fewer than LIMIT wait for a confirm, and none is nacked. */
static int settle(struct amqp_queue *aq, size_t limit, const struct queue_wait *w)
{
	int64_t deadline = 0, pause = FULL_RETRY_MIN_NS;
	for (;;) {
		int r = read_confirms(aq, true, aq->pub.nacked ? 1 : limit);
		if (r < 0 && (r = recover(aq, r)) < 0)
			return r;
		if (!aq->pub.nacked)
			break;
		/* the wait for room ends the send: -EAGAIN, -ETIMEDOUT, -EINTR */
		if ((r = retry_nacked(aq, w, &deadline, &pause)) < 0 && (r = recover(aq, r)) < 0)
			return r;
	}
	compact(&aq->pub);
	return 0;
}

int amqp_publish(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w)
{
	struct amqp_queue *aq = amqp_of(q);
	struct amqp_publisher *pub = &aq->pub;
	int r;

	q->last.text[0] = '\0';
	if ((r = select_confirms(aq)) < 0 && (r = recover(aq, r)) < 0)
		return r;
	if (pub->n == pub->cap) {
		size_t cap = pub->cap ? pub->cap * 2 : AMQP_CONFIRM_WINDOW;
		struct amqp_pending *p = realloc(pub->p, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		pub->p = p;
		pub->cap = cap;
	}
	struct amqp_pending *p = &pub->p[pub->n];
	*p = (struct amqp_pending){ .data = malloc(len ? len : 1),
		.len = len,
		.priority = (uint8_t)priority,
		.state = PENDING_UNSENT };
	if (!p->data)
		return -ENOMEM;
	if (len)
		memcpy(p->data, data, len);
	uint64_t number = p->number = ++pub->last_number; /* P moves when the list is compacted */
	pub->n++;
	if ((r = publish_one(aq, p)) < 0 && (r = recover(aq, r)) < 0)
		return r;
	/* a look at the confirms now and then, so the broker's nacks and
	 * returns are heard soon; a wait only when the window is full */
	if (++pub->since_poll >= POLL_EVERY) {
		pub->since_poll = 0;
		if ((r = read_confirms(aq, false, 0)) < 0 && (r = recover(aq, r)) < 0)
			return r;
		compact(pub);
	}
	if ((pub->waiting >= AMQP_CONFIRM_WINDOW || pub->nacked) && (r = settle(aq, AMQP_CONFIRM_WINDOW / 2, w)) < 0)
		return r;
	/* the caller counts it sent, though perhaps not yet confirmed */
	pub->last_accepted = number;
	return 0;
}

int amqp_confirm_all(struct queue *q, const struct queue_wait *w)
{
	struct amqp_queue *aq = amqp_of(q);
	if (!aq->pub.n)
		return 0;
	q->last.text[0] = '\0';
	return settle(aq, 1, w);
}

unsigned long long amqp_unconfirmed(struct queue *q)
{
	const struct amqp_publisher *pub = &amqp_of(q)->pub;
	/* the first in the list not confirmed: those before it are, all */
	for (size_t i = 0; i < pub->n; i++) {
		if (pub->p[i].state == PENDING_DONE)
			continue;
		uint64_t first = pub->p[i].number;
		return pub->last_accepted >= first ? pub->last_accepted - first + 1 : 0;
	}
	return 0;
}

void amqp_publisher_free(struct amqp_queue *aq)
{
	for (size_t i = 0; i < aq->pub.n; i++)
		free(aq->pub.p[i].data);
	free(aq->pub.p);
	aq->pub.p = NULL;
	aq->pub.n = aq->pub.cap = 0;
}
