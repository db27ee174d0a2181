/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-consume.c - receives by basic.consume with manual acks. A message
 * is acked only once the caller said its output took it (queue_settle);
 * acks go out in batches (half the prefetch), and all of them before a
 * wait and at close. queue_put_back nacks the latest received with
 * requeue: RabbitMQ puts them back where they were, so the order is kept.
 * What was neither settled nor put back when the connection ends, the
 * broker requeues by itself: nothing taken is lost. After a lost
 * connection the consumer starts again on the next broker of the URL; the
 * messages it had received but not acked come again (at least once). */
#include "config.h"
#include "lib/clock.h"
#include "queue/amqp/amqp-queue.h"
#include "lib/signals.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/time.h>

#define WAIT_SLICE_US 100000 /* a stop signal or a gone reader is seen within this */

static int start_consuming(struct amqp_queue *aq)
{
	struct amqp_link *l = &aq->link;
	struct amqp_consumer *c = &aq->con;

	if (c->generation == l->generation)
		return 0;
	/* a new channel counts its delivery tags from 1; a consumer started
	 * again on the same channel (after a cancel) goes on counting */
	if (c->channel_generation != l->generation)
		c->last_tag = c->settled_tag = c->acked_tag = 0;
	c->channel_generation = l->generation;
	l->dl->amqp_basic_qos(l->conn, AMQP_CHANNEL, 0, c->prefetch, 0);
	int r = amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "set the prefetch", &aq->base.last);
	if (r < 0)
		return r;
	l->dl->amqp_basic_consume(l->conn, AMQP_CHANNEL, l->dl->amqp_cstring_bytes(l->target.queue),
		l->dl->amqp_cstring_bytes(""), 0, 0, 0, *l->dl->empty_table);
	if ((r = amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "consume", &aq->base.last)) < 0)
		return r == -ENOENT ? -EIDRM : r;
	c->generation = l->generation;
	return 0;
}

static int send_acks(struct amqp_queue *aq)
{
	struct amqp_consumer *c = &aq->con;
	struct amqp_link *l = &aq->link;
	if (c->settled_tag <= c->acked_tag || c->generation != l->generation)
		return 0;
	int r = l->dl->amqp_basic_ack(l->conn, AMQP_CHANNEL, c->settled_tag, 1);
	if (r != AMQP_STATUS_OK)
		return amqp_link_status(l, r, "acknowledge messages", &aq->base.last);
	c->acked_tag = c->settled_tag;
	return 0;
}

void amqp_settle(struct queue *q, size_t unwritten)
{
	struct amqp_consumer *c = &amqp_of(q)->con;
	uint64_t upto = c->last_tag > unwritten ? c->last_tag - unwritten : 0;
	if (upto > c->settled_tag)
		c->settled_tag = upto;
}

static bool reader_gone(const struct queue_wait *w)
{
	struct pollfd p = { .fd = w->reader_fd, .events = 0 };
	return w->watch_reader && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* The broker sent something else than a delivery: read it. */
static int other_frame(struct amqp_queue *aq)
{
	struct amqp_link *l = &aq->link;
	struct timeval tv = { 0, 0 };
	amqp_frame_t f;
	int r = l->dl->amqp_simple_wait_frame_noblock(l->conn, &f, &tv);

	if (r == AMQP_STATUS_TIMEOUT)
		return 0;
	if (r != AMQP_STATUS_OK)
		return amqp_link_status(l, r, "receive", &aq->base.last);
	if (f.frame_type == AMQP_FRAME_METHOD && f.payload.method.id == AMQP_BASIC_CANCEL_METHOD) {
		/* the queue was deleted, or on a cluster its node left: a queue
		 * still there is consumed again */
		amqp_queue_declare_ok_t *ok = l->dl->amqp_queue_declare(l->conn, AMQP_CHANNEL,
			l->dl->amqp_cstring_bytes(l->target.queue), 1, 0, 0, 0, *l->dl->empty_table);
		if (ok && amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "receive", NULL) == 0) {
			aq->con.generation = 0;
			return 0;
		}
		aq->con.cancelled = true;
		queue_detail_set(&aq->base.last, "%s: the broker cancelled the consumer: the queue '%s' was removed",
			l->where, l->target.queue);
		return -EIDRM;
	}
	r = amqp_publisher_frame(aq, &f);
	return r;
}

/* A receive that does not wait found nothing buffered: deliveries arrive
 * in their own time, so "empty" is what the broker says, by a passive
 * declare on the consuming channel (deliveries sent before its answer come
 * before it, and are kept for amqp_consume_message). 1: wait on, the queue
 * has ready messages or some came; 0: empty, twice in a row (a delivery
 * on its way when the first answer left, the second sees). */
static int still_ready(struct amqp_queue *aq, int *empty_looks)
{
	struct amqp_link *l = &aq->link;
	int r = send_acks(aq); /* the broker sends no more than the prefetch while acks are owed */
	if (r < 0)
		return r;
	amqp_queue_declare_ok_t *ok = l->dl->amqp_queue_declare(l->conn, AMQP_CHANNEL,
		l->dl->amqp_cstring_bytes(l->target.queue), 1, 0, 0, 0, *l->dl->empty_table);
	if ((r = amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "receive", &aq->base.last)) < 0)
		return r == -ENOENT ? -EIDRM : r;
	if (ok->message_count > 0 || l->dl->amqp_frames_enqueued(l->conn) || l->dl->amqp_data_in_buffer(l->conn)) {
		*empty_looks = 0;
		return 1;
	}
	return ++*empty_looks < 2;
}

static int take(struct amqp_queue *aq, amqp_envelope_t *env, struct queue_message *m)
{
	struct queue *q = &aq->base;
	size_t len = env->message.body.len;
	int r = queue_reserve_buffer(q, len ? len : 1);
	if (r < 0)
		return r; /* unacked: the broker keeps it, and gives it again after we are gone */
	if (len)          /* an empty body has no bytes pointer */
		memcpy(q->buf, env->message.body.bytes, len);
	m->data = q->buf;
	m->len = len;
	m->priority =
		(env->message.properties._flags & AMQP_BASIC_PRIORITY_FLAG) ? env->message.properties.priority : 0;
	aq->con.last_tag = env->delivery_tag;
	return 0;
}

int amqp_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel, const struct queue_wait *w)
{
	struct amqp_queue *aq = amqp_of(q);
	struct amqp_link *l = &aq->link;
	struct amqp_consumer *c = &aq->con;
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;
	int r, empty_looks = 0;

	(void)sel;
	q->last.text[0] = '\0';
	if (c->cancelled)
		return -EIDRM;
	for (;;) {
		if ((r = start_consuming(aq)) < 0)
			goto failed;
		bool buffered = l->dl->amqp_frames_enqueued(l->conn) || l->dl->amqp_data_in_buffer(l->conn);
		bool wait = w->how != QUEUE_WAIT_NONE && !buffered;
		/* before a wait everything written is acked: the broker sends no
		 * more than the prefetch while acks are owed */
		if ((wait || c->settled_tag - c->acked_tag >= (c->prefetch + 1u) / 2) && (r = send_acks(aq)) < 0)
			goto failed;
		struct timeval tv = { 0, wait ? WAIT_SLICE_US : 0 };
		amqp_envelope_t env;
		l->dl->amqp_maybe_release_buffers(l->conn);
		amqp_rpc_reply_t rep = l->dl->amqp_consume_message(l->conn, &env, &tv, 0);
		if (rep.reply_type == AMQP_RESPONSE_NORMAL) {
			r = take(aq, &env, m);
			l->dl->amqp_destroy_envelope(&env);
			return r;
		}
		if (rep.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && rep.library_error == AMQP_STATUS_TIMEOUT) {
			if (w->how == QUEUE_WAIT_NONE) {
				if (!w->broker_empty)
					return -EAGAIN;
				if ((r = still_ready(aq, &empty_looks)) < 0)
					goto failed;
				if (r == 0)
					return -EAGAIN;
				continue;
			}
			if (signals_stop_requested())
				return -EINTR;
			if (reader_gone(w))
				return -EPIPE;
			if (deadline && monotonic_ns() >= deadline)
				return -ETIMEDOUT;
			continue;
		}
		if (rep.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
			rep.library_error == AMQP_STATUS_UNEXPECTED_STATE)
			r = other_frame(aq);
		else
			r = amqp_link_error(l, rep, "receive", &q->last);
		if (r == 0)
			continue;
failed:
		if (!amqp_link_lost(r) || r == -ETIMEDOUT)
			return r;
		if ((r = amqp_recover(aq, r)) < 0)
			return r;
	}
}

size_t amqp_put_back(struct queue *q, const struct queue_message *msgs, size_t n, int64_t bound_ns, int *err)
{
	struct amqp_queue *aq = amqp_of(q);
	struct amqp_consumer *c = &aq->con;
	struct amqp_link *l = &aq->link;

	(void)msgs;
	(void)bound_ns;
	*err = 0;
	if (c->generation != l->generation || !l->conn)
		return n; /* received on a lost connection: the broker requeued them */
	uint64_t held = c->last_tag - c->acked_tag;
	uint64_t back = n < held ? n : held;
	c->settled_tag = c->last_tag - back;
	int r = send_acks(aq);
	if (r == 0 && back && l->dl->amqp_basic_nack(l->conn, AMQP_CHANNEL, c->last_tag, 1, 1) != AMQP_STATUS_OK)
		r = -ECONNRESET;
	/* a nack that did not go out ends with the connection: requeued all the same */
	if (r == 0)
		c->acked_tag = c->settled_tag = c->last_tag;
	return n;
}

void amqp_consumer_finish(struct amqp_queue *aq)
{
	if (aq->con.generation && aq->link.conn)
		send_acks(aq);
}
