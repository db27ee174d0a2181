/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp.c - the amqp:// backend (RabbitMQ, AMQP 0-9-1): open (a passive
 * declare, or a durable declare for --create), close, and the ops of an
 * open queue: sends in amqp-publish.c, receives in amqp-consume.c. The
 * client library is loaded on first use (amqp-dl.c). */
#include "config.h"
#include "queue/amqp/amqp-queue.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PROBE_CHANNEL 2 /* a passive declare of a missing queue closes its channel: not the one we keep */
#define DEFAULT_PREFETCH 64

static amqp_table_entry_t entry_int(const char *key, int64_t v)
{
	return (amqp_table_entry_t){ .key = { strlen(key), (void *)key },
		.value = { .kind = AMQP_FIELD_KIND_I64, .value.i64 = v } };
}

static amqp_table_entry_t entry_text(const char *key, const char *v)
{
	return (amqp_table_entry_t){ .key = { strlen(key), (void *)key },
		.value = { .kind = AMQP_FIELD_KIND_UTF8, .value.bytes = { strlen(v), (void *)v } } };
}

/* 1 if the queue exists, 0 if not, or -errno. */
static int queue_exists(struct amqp_queue *aq, struct queue_detail *why, amqp_queue_declare_ok_t *ok)
{
	struct amqp_link *l = &aq->link;
	const struct amqp_dl *dl = l->dl;

	dl->amqp_channel_open(l->conn, PROBE_CHANNEL);
	int r = amqp_link_error(l, dl->amqp_get_rpc_reply(l->conn), "open a channel", why);
	if (r < 0)
		return r;
	amqp_queue_declare_ok_t *d = dl->amqp_queue_declare(l->conn, PROBE_CHANNEL,
		dl->amqp_cstring_bytes(l->target.queue), 1, 0, 0, 0, *dl->empty_table);
	r = amqp_link_error(l, dl->amqp_get_rpc_reply(l->conn), "look the queue up", why);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (ok)
		*ok = *d;
	dl->amqp_channel_close(l->conn, PROBE_CHANNEL, AMQP_REPLY_SUCCESS);
	return 1;
}

/* The broker's refusal of a declare unlike the queue it has, SAID ("...
 * inequivalent arg 'durable' for queue 'q' in vhost '/': received 'true'
 * but current is 'false'"), as a sentence that says what differs and the
 * way out. SAID is a copy: WHY is written. */
static void word_inequivalent(const struct amqp_link *l, const char *said, struct queue_detail *why)
{
	static const char asked[] = "received ", has[] = " but current is ";
	const char *arg = strstr(said, "arg '"), *from = strstr(said, asked), *to = from ? strstr(from, has) : NULL;

	if (!arg || !to) {
		queue_detail_set(why,
			"%s: the queue '%s' exists with other properties than --create asks for; leave "
			"out --create to use it as it is (the broker says: %s)",
			l->where, l->target.queue, said);
		return;
	}
	arg += strlen("arg ");
	from += strlen(asked);
	queue_detail_set(why,
		"%s: the queue '%s' exists, but its %.*s is %s, not %.*s as --create asks; leave out "
		"--create to use it as it is",
		l->where, l->target.queue, (int)strcspn(arg + 1, "'") + 2, arg, to + strlen(has), (int)(to - from),
		from);
}

static int declare(struct amqp_queue *aq, const struct queue_open_options *opt, struct queue_detail *why)
{
	struct amqp_link *l = &aq->link;
	const struct amqp_dl *dl = l->dl;
	amqp_table_entry_t e[5];
	int n = 0;

	if (opt->amqp.max_priority)
		e[n++] = entry_int("x-max-priority", opt->amqp.max_priority);
	if (opt->maxmsg)
		e[n++] = entry_int("x-max-length", opt->maxmsg);
	if (opt->qbytes)
		e[n++] = entry_int("x-max-length-bytes", (int64_t)opt->qbytes);
	/* a full queue refuses, as a kernel queue does: the sender waits */
	if (opt->maxmsg || opt->qbytes)
		e[n++] = entry_text("x-overflow", "reject-publish");
	if (opt->amqp.replicated)
		e[n++] = entry_text("x-queue-type", "quorum");
	amqp_table_t args = { n, e };
	dl->amqp_queue_declare(l->conn, AMQP_CHANNEL, dl->amqp_cstring_bytes(l->target.queue), 0, 1, 0, 0, args);
	struct queue_detail refusal = { "" };
	int r = amqp_link_error(l, dl->amqp_get_rpc_reply(l->conn), "declare the queue", &refusal);
	if (r == -EINVAL)
		word_inequivalent(l, refusal.text, why);
	else if (r < 0 && why)
		*why = refusal;
	return r;
}

static int amqp_open(struct queue *q, const struct queue_open_options *opt, struct queue_detail *why)
{
	struct amqp_queue *aq = amqp_of(q);
	int r = amqp_link_open(&aq->link, &q->addr, opt, why);

	if (r < 0)
		return r;
	q->max_message = AMQP_MAX_MESSAGE;
	aq->con.prefetch = opt->amqp.prefetch ? (uint16_t)opt->amqp.prefetch : DEFAULT_PREFETCH;
	r = queue_exists(aq, why, NULL);
	if (r == 1 && opt->create && opt->exclusive) {
		queue_detail_set(why, "%s: the queue '%s' already exists (--exclusive)", aq->link.where,
			aq->link.target.queue);
		r = -EEXIST;
	} else if (r == 0 && opt->create) {
		if ((r = declare(aq, opt, why)) == 0)
			q->created = true;
	} else if (r == 1 && opt->create) {
		r = declare(aq, opt, why); /* the same arguments, or a precise refusal */
	} else if (r == 0) {
		queue_detail_set(why, "%s: no queue '%s' in vhost '%s' (create it with --create)", aq->link.where,
			aq->link.target.queue, aq->link.target.vhost);
		r = -ENOENT;
	}
	if (r < 0) {
		amqp_link_close(&aq->link);
		return r;
	}
	return 0;
}

int amqp_recover(struct amqp_queue *aq, int err)
{
	struct queue_detail lost = aq->base.last;
	int r = amqp_link_reconnect(&aq->link, &aq->base.last);
	if (r == 0) {
		aq->base.last.text[0] = '\0';
		return 0;
	}
	if (r == -EINTR)
		return r;
	if (!amqp_link_lost(r) && r != -ETIMEDOUT)
		return r; /* a broker answered, and refused: its words */
	queue_detail_set(&aq->base.last, "%s; and no broker of the URL answered again within %lld s", lost.text,
		AMQP_RECONNECT_NS / 1000000000LL);
	return err;
}

static int amqp_send_headroom(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w)
{
	return amqp_publish(q, data, len, priority, w);
}

static int amqp_peek(struct queue *q, size_t index, struct queue_message *m)
{
	(void)q;
	(void)index;
	(void)m;
	return -EOPNOTSUPP;
}

static int amqp_stat_address(const struct queue_address *addr, struct queue_info *info)
{
	(void)addr;
	(void)info;
	return -EOPNOTSUPP; /* credentials are needed: queue_stat() on an open queue */
}

static int amqp_enumerate(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	(void)want;
	(void)fn;
	(void)arg;
	return -EOPNOTSUPP;
}

static int amqp_remove(const struct queue_address *addr, struct queue_detail *why)
{
	(void)addr;
	queue_detail_set(why, "an amqp:// queue is deleted through a connection: queue_delete()");
	return -EOPNOTSUPP;
}

static int amqp_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why)
{
	(void)q;
	(void)addr;
	(void)c;
	queue_detail_set(why,
		"an amqp:// queue has no owner or mode: RabbitMQ's permissions are per user and vhost "
		"(rabbitmqctl set_permissions)");
	return -EOPNOTSUPP;
}

static int amqp_delete_open(struct queue *q, bool force)
{
	struct amqp_queue *aq = amqp_of(q);
	struct amqp_link *l = &aq->link;

	q->last.text[0] = '\0';
	l->dl->amqp_queue_delete(l->conn, AMQP_CHANNEL, l->dl->amqp_cstring_bytes(l->target.queue), !force, !force);
	int r = amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "delete the queue", &q->last);
	if (r == -EBUSY || r == -ENOTEMPTY)
		queue_detail_set(&q->last, "%s: the queue '%s' %s: not deleted (--force deletes it anyway)", l->where,
			l->target.queue, r == -EBUSY ? "has consumers" : "holds messages");
	return r;
}

/* The broker's answer to a declare that names ARG with a value it may not
 * have: "inequivalent arg 'x-queue-type' ... received 'classic' but current
 * is 'quorum'". Copies the current value into OUT; false if it agreed. */
static bool probe(struct amqp_queue *aq, amqp_channel_t ch, bool durable, amqp_table_t args, char *out, size_t size)
{
	struct amqp_link *l = &aq->link;
	struct queue_detail why = { "" };
	bool differs = false;

	l->dl->amqp_channel_open(l->conn, ch);
	if (amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "open a channel", &why) < 0)
		return false;
	l->dl->amqp_queue_declare(l->conn, ch, l->dl->amqp_cstring_bytes(l->target.queue), 0, durable, 0, 0, args);
	if (amqp_link_error(l, l->dl->amqp_get_rpc_reply(l->conn), "look", &why) == -EINVAL) {
		const char *cur = strstr(why.text, "current is '");
		if (cur) {
			cur += strlen("current is '");
			snprintf(out, size, "%.*s", (int)strcspn(cur, "'"), cur);
			differs = true;
		}
	} else {
		l->dl->amqp_channel_close(l->conn, ch, AMQP_REPLY_SUCCESS);
	}
	return differs;
}

static int amqp_broker_stat(struct queue *q, struct queue_broker_info *info)
{
	struct amqp_queue *aq = amqp_of(q);
	amqp_queue_declare_ok_t ok;
	char v[32] = "";

	q->last.text[0] = '\0';
	int r = queue_exists(aq, &q->last, &ok);
	if (r <= 0)
		return r < 0 ? r : -ENOENT;
	info->ready = ok.message_count;
	info->consumers = ok.consumer_count;
	/* a durable classic queue agrees with this declare; any other differs and says how */
	amqp_table_entry_t classic = entry_text("x-queue-type", "classic");
	if (!probe(aq, 3, true, (amqp_table_t){ 0, NULL }, v, sizeof(v)))
		info->durable = 1;
	else if (!strcmp(v, "false"))
		info->durable = 0;
	if (!probe(aq, 4, info->durable != 0, (amqp_table_t){ 1, &classic }, v, sizeof(v)))
		snprintf(info->type, sizeof(info->type), "classic");
	else
		snprintf(info->type, sizeof(info->type), "%s", v);
	/* the broker's words: only a plain name is taken (classic, quorum, stream) */
	if (strspn(info->type, "abcdefghijklmnopqrstuvwxyz") != strlen(info->type) || !strcmp(info->type, "true") ||
		!strcmp(info->type, "false"))
		info->type[0] = '\0';
	return 0;
}

static bool amqp_removed(struct queue *q)
{
	return amqp_of(q)->con.cancelled;
}

static void amqp_close(struct queue *q)
{
	struct amqp_queue *aq = amqp_of(q);
	amqp_consumer_finish(aq);
	amqp_link_close(&aq->link);
	amqp_publisher_free(aq);
}

const struct queue_backend queue_amqp_backend = {
	.size = sizeof(struct amqp_queue),
	.caps = QUEUE_AMQP_CAPS,
	.open = amqp_open,
	.send = amqp_publish,
	.send_headroom = amqp_send_headroom,
	.receive = amqp_receive,
	.peek = amqp_peek,
	.stat_address = amqp_stat_address,
	.enumerate = amqp_enumerate,
	.remove = amqp_remove,
	.close = amqp_close,
	.change = amqp_change,
	.removed = amqp_removed,
	.flush = amqp_confirm_all,
	.unconfirmed = amqp_unconfirmed,
	.settle = amqp_settle,
	.put_back = amqp_put_back,
	.delete_open = amqp_delete_open,
	.broker_stat = amqp_broker_stat,
};
