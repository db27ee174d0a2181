/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt.c - mqtt:// topics behind the queue interface, through libmosquitto
 * (loaded on first use: mqtt-dl.h), MQTT 5.
 *
 * A writer publishes at the address's QoS (1 unless ?qos=) and waits for
 * the broker's acknowledgement of each message: a send counts once the
 * broker took it. A reader subscribes at open: by default to the shared
 * subscription $share/GROUP/TOPIC, so that readers compete as on a queue;
 * with fanout to TOPIC itself. libmosquitto acknowledges a message as it
 * reads it, before the caller sees it: so the socket is read only while a
 * receive waits, and the broker may have at most one unacknowledged
 * message on its way to us (Receive Maximum 1). A message taken but not
 * delivered (the caller stopped) is published again at close, and a put
 * back is a publish too: both go through a second connection of this
 * handle, after the reader's subscription was dropped (unless it is a
 * persistent session's), so that the broker does not hand them back to
 * the one who gives them up.
 *
 * Everything is single-threaded: one poll(2) on the connection's socket
 * (and the reader watched by mqrecv), then libmosquitto's read, write and
 * housekeeping calls (mqtt-link.h). A stop signal interrupts poll
 * (signals.h): -EINTR. */
#include "config.h"
#include "queue/backend.h"
#include "queue/mqtt/mqtt-link.h"
#include "lib/mqtt-url.h"
#include "lib/clock.h"
#include "lib/signals.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MQTT_KEEPALIVE_S 60
#define MQTT_CONNECT_BOUND_NS (10 * 1000000000LL)
#define MQTT_SLICE_MS 1000
/* what a send in progress (or a put back) still gets after a stop signal */
#define MQTT_FINISH_BOUND_NS 1000000000LL
/* A persistent session outlives its consumer this long (MQTT 5 Session
 * Expiry Interval): a week, so a forgotten one does not stay for ever. */
#define MQTT_SESSION_EXPIRY_S (7 * 24 * 3600)
/* mqsend's input buffer is this size; MQTT allows 256 MiB, which few
 * brokers or devices take (mosquitto's message_size_limit). */
#define MQTT_MAX_MESSAGE (8u << 20)

struct mqtt_queue;

struct mqtt_conn {
	struct mqtt_queue *h;
	struct mqtt_link link;
	const char *role; /* "publish", "subscribe": for messages */
	bool connected, refused, lost;
	int connack; /* reason code of a refusal */
	int lost_rc; /* disconnect reason */
	int acked_mid, ack_reason;
	int sub_mid, unsub_mid;
	bool subscribed, unsubscribed;
	int granted; /* SUBACK's reason code */
};

struct msg_node {
	struct msg_node *next;
	size_t len;
	long priority; /* qos | QUEUE_MQTT_RETAINED */
	char *topic;   /* in data, after the message and a NUL */
	char data[];
};

struct mqtt_queue {
	struct queue base;
	const struct mqtt_dl *dl;
	struct mqtt_url url;
	struct queue_open_options opt;
	char broker[URL_HOST_MAX + 16]; /* "host:port" of the broker connected to */
	char filter[MQTT_TOPIC_MAX + 128];
	struct mqtt_conn sub, pub;
	bool reading;
	bool dropped; /* on_message had no memory for one: the next receive says so */
	/* a send, a put back, a close: a stop signal gives it a second to end
	 * rather than cutting it off, which would lose what it carries */
	bool finishing;
	int64_t stop_deadline;        /* monotonic ns: when finishing ends after a stop signal */
	struct msg_node *head, *tail; /* taken from the broker, not yet received */
};

static struct mqtt_queue *of(struct queue *q)
{
	return QUEUE_BACKEND_OF(q, struct mqtt_queue);
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags, const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	(void)m, (void)flags, (void)props;
	if (rc == 0)
		c->connected = true;
	else
		c->refused = true, c->connack = rc;
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	(void)m, (void)props;
	c->lost = true;
	c->lost_rc = rc;
	c->connected = false;
}

static void on_publish(struct mosquitto *m, void *obj, int mid, int reason, const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	(void)m, (void)props;
	c->acked_mid = mid;
	c->ack_reason = reason;
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *granted,
	const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	(void)m, (void)props;
	if (mid != c->sub_mid)
		return;
	c->subscribed = true;
	c->granted = n > 0 ? granted[0] : MQTT_RC_UNSPECIFIED;
}

static void on_unsubscribe(struct mosquitto *m, void *obj, int mid, const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	(void)m, (void)props;
	if (mid == c->unsub_mid)
		c->unsubscribed = true;
}

/* Kept in order until queue_receive takes it: the broker already counts it
 * delivered. Out of memory drops it, which only the caller's receive can
 * say: the next receive fails with -ENOMEM. */
static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
	const mosquitto_property *props)
{
	struct mqtt_conn *c = obj;
	struct mqtt_queue *h = c->h;
	size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	size_t topic_len = msg->topic ? strlen(msg->topic) : 0;
	struct msg_node *n = malloc(sizeof(*n) + len + 1 + topic_len + 1);
	(void)m, (void)props;
	if (!n) {
		h->dropped = true; /* the next receive says so */
		return;
	}
	n->next = NULL;
	n->len = len;
	n->priority = msg->qos | (msg->retain ? QUEUE_MQTT_RETAINED : 0);
	if (len)
		memcpy(n->data, msg->payload, len);
	n->data[len] = '\0';
	n->topic = n->data + len + 1;
	memcpy(n->topic, topic_len ? msg->topic : "", topic_len + 1);
	if (h->tail)
		h->tail->next = n;
	else
		h->head = n;
	h->tail = n;
}

/* Why C's connection is gone, into the handle's detail. */
static int lost(struct mqtt_queue *h, struct mqtt_conn *c, int err)
{
	const char *why = c->lost_rc > 0 && c->lost_rc < 0x80 ? h->dl->strerror(c->lost_rc) :
		c->lost_rc >= 0x80                            ? h->dl->reason_string(c->lost_rc) :
								strerror(-err);
	queue_detail_set(&h->base.last, "the connection to the MQTT broker at %s was lost (%s): is it running?",
		h->broker, why);
	return -ECONNRESET;
}

/* Run C's network until DONE(C) holds, DEADLINE (monotonic ns, 0: none)
 * passes (-ETIMEDOUT), a stop signal comes (-EINTR), the connection is
 * lost (-ECONNRESET), or, with W watching a reader, that reader goes
 * (-EPIPE). DEADLINE -1: one pass without waiting. */
static int run_until(struct mqtt_queue *h, struct mqtt_conn *c, bool (*done)(const struct mqtt_conn *c),
	int64_t deadline, const struct queue_wait *w)
{
	for (;;) {
		if (done(c))
			return 0;
		if (c->lost)
			return lost(h, c, -ECONNRESET);
		if (signals_stop_requested()) {
			if (!h->finishing)
				return -EINTR;
			int64_t now = monotonic_ns();
			if (!h->stop_deadline)
				h->stop_deadline = now + MQTT_FINISH_BOUND_NS;
			if (now >= h->stop_deadline)
				return -EINTR;
			if (!deadline || deadline == -1 || deadline > h->stop_deadline)
				deadline = h->stop_deadline;
		}
		int ms = MQTT_SLICE_MS;
		if (deadline == -1) {
			ms = 0;
		} else if (deadline) {
			int64_t left = deadline - monotonic_ns();
			if (left <= 0)
				return h->stop_deadline && deadline == h->stop_deadline ? -EINTR : -ETIMEDOUT;
			if (left / 1000000 < ms)
				ms = (int)((left + 999999) / 1000000);
		}
		if (!mqtt_link_up(&c->link))
			return lost(h, c, -ENOTCONN);
		int r = mqtt_link_pump(&c->link, ms, w && w->watch_reader ? w->reader_fd : -1);
		if (r == -EPIPE)
			return r;
		if (r < 0 && !c->link.rc)
			return r; /* poll(2) itself failed */
		if (r < 0 && !done(c)) {
			c->lost = true;
			if (!c->lost_rc)
				c->lost_rc = c->link.rc;
			return lost(h, c, r);
		}
		if (deadline == -1)
			return done(c) ? 0 : -EAGAIN;
	}
}

static bool is_connected(const struct mqtt_conn *c)
{
	return c->connected || c->refused;
}
static bool is_subscribed(const struct mqtt_conn *c)
{
	return c->subscribed;
}
static bool is_unsubscribed(const struct mqtt_conn *c)
{
	return c->unsubscribed;
}
static bool has_message(const struct mqtt_conn *c)
{
	return c->h->head != NULL;
}

/* Connect C to the first of the address's brokers that answers. */
static int conn_open(struct mqtt_queue *h, struct mqtt_conn *c, const char *role, const char *client_id,
	bool persistent)
{
	const struct mqtt_link_options lo = {
		.client_id = client_id,
		.persistent = persistent,
		.tcp_nodelay = true,
		.receive_maximum = 1,
		.password = h->opt.cred.password,
		.tls_cafile = h->opt.cred.tls_cafile,
		.tls_cert = h->opt.cred.tls_cert,
		.tls_key = h->opt.cred.tls_key,
	};
	const struct mqtt_dl *dl = h->dl;
	struct mosquitto *m;
	mosquitto_property *props = NULL;
	int r;

	c->h = h;
	c->role = role;
	if ((r = mqtt_link_open(&c->link, &h->url, &lo, c, &h->base.last)) < 0)
		return r;
	m = c->link.mosq;
	dl->connect_v5_callback_set(m, on_connect);
	dl->disconnect_v5_callback_set(m, on_disconnect);
	dl->publish_v5_callback_set(m, on_publish);
	dl->subscribe_v5_callback_set(m, on_subscribe);
	dl->unsubscribe_v5_callback_set(m, on_unsubscribe);
	dl->message_v5_callback_set(m, on_message);
	if (persistent)
		dl->property_add_int32(&props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, MQTT_SESSION_EXPIRY_S);
	for (size_t i = 0; i < h->url.net.nhosts; i++) {
		c->connected = c->refused = c->lost = false;
		c->lost_rc = 0;
		struct queue_detail why = { "" };
		r = mqtt_link_connect(&c->link, MQTT_KEEPALIVE_S, props, &why);
		snprintf(h->broker, sizeof(h->broker), "%s", c->link.broker);
		if (r < 0 && signals_stop_requested()) {
			r = -EINTR;
			break;
		}
		if (r < 0) {
			h->base.last = why;
			continue;
		}
		r = run_until(h, c, is_connected, monotonic_ns() + MQTT_CONNECT_BOUND_NS, NULL);
		if (r == 0 && c->refused) {
			bool auth = mqtt_link_refused_auth(c->connack);
			queue_detail_set(&h->base.last, "the MQTT broker at %s refused the connection: %s%s", h->broker,
				mqtt_link_reason(&c->link, c->connack),
				auth ? " (check the user in the URL and MQTOOLS_PASSWORD or --password-file)" : "");
			r = auth ? -EACCES : -ECONNREFUSED;
			break;
		}
		if (r == -ETIMEDOUT)
			queue_detail_set(&h->base.last, "the MQTT broker at %s did not answer within %lld s", h->broker,
				MQTT_CONNECT_BOUND_NS / 1000000000LL);
		if (r == 0 || r == -EINTR)
			break;
		if (r == -ECONNRESET && h->url.net.tls)
			queue_detail_set(&h->base.last,
				"the TLS connection to the MQTT broker at %s failed: is its "
				"certificate signed by a CA you trust (MQTOOLS_CAFILE) and for that host name?",
				h->broker);
	}
	dl->property_free_all(&props);
	return r;
}

static void conn_close(struct mqtt_conn *c)
{
	if (c->connected)
		mqtt_link_disconnect(&c->link);
	mqtt_link_close(&c->link);
}

static int subscribe(struct mqtt_queue *h)
{
	struct mqtt_conn *c = &h->sub;
	/* a persistent session keeps messages at QoS 1 for us while away */
	int qos = h->url.has_qos ? h->url.qos : 1;
	int rc = h->dl->subscribe_v5(c->link.mosq, &c->sub_mid, h->filter, qos, 0, NULL);
	if (rc != MOSQ_ERR_SUCCESS)
		return lost(h, c, mqtt_link_errno(rc));
	int r = run_until(h, c, is_subscribed, monotonic_ns() + MQTT_CONNECT_BOUND_NS, NULL);
	if (r == -ETIMEDOUT)
		queue_detail_set(&h->base.last, "the MQTT broker at %s did not confirm the subscription to %s",
			h->broker, h->filter);
	if (r < 0)
		return r;
	if (c->granted >= 0x80) {
		queue_detail_set(&h->base.last, "the MQTT broker at %s refused the subscription to %s: %s%s", h->broker,
			h->filter, h->dl->reason_string(c->granted),
			c->granted == MQTT_RC_NOT_AUTHORIZED                    ? " (its ACL)" :
				c->granted == MQTT_RC_SHARED_SUBS_NOT_SUPPORTED ? " (try --fanout)" :
										  "");
		return c->granted == MQTT_RC_NOT_AUTHORIZED ? -EACCES : -EPROTO;
	}
	return 0;
}

static int mqtt_open(struct queue *q, const struct queue_open_options *opt, struct queue_detail *why)
{
	struct mqtt_queue *h = of(q);
	struct parse_error e;
	int r;

	if (opt->create) {
		queue_detail_set(why,
			"an MQTT topic needs no creating: the broker has it once someone publishes "
			"or subscribes (who may is its ACL)");
		return -EOPNOTSUPP;
	}
	if ((r = mqtt_dl_load(&h->dl, why)) < 0)
		return r;
	h->reading = opt->access & QUEUE_READ;
	/* a reader's topic may be a filter of many (address_parse_subscription) */
	if (mqtt_url_parse(q->addr.url, h->reading ? MQTT_TOPIC_FILTER : MQTT_TOPIC_NAME, &h->url, &e) < 0) {
		queue_detail_set(why, "%s", e.msg);
		return -EINVAL;
	}
	h->opt = *opt;
	q->max_message = MQTT_MAX_MESSAGE;
	if (h->reading) {
		if (opt->mqtt.fanout)
			snprintf(h->filter, sizeof(h->filter), "%s", h->url.topic);
		else
			snprintf(h->filter, sizeof(h->filter), "$share/%s/%s",
				opt->mqtt.group ? opt->mqtt.group : QUEUE_MQTT_GROUP, h->url.topic);
		r = conn_open(h, &h->sub, "subscribe", opt->mqtt.session, opt->mqtt.session != NULL);
		if (r == 0)
			r = subscribe(h);
	} else {
		r = conn_open(h, &h->pub, "publish", NULL, false);
	}
	if (r < 0) {
		queue_detail_set(why, "%s", q->last.text);
		conn_close(&h->sub);
		conn_close(&h->pub);
		return r;
	}
	/* the password is the caller's; no later call needs it */
	h->opt.cred.password = NULL;
	q->last.text[0] = '\0';
	return 0;
}

/* A reader that sends (puts back): stop its subscription first, unless it
 * is a persistent session's (which must keep collecting); messages that
 * come in meanwhile are kept, to go back at close. Then the publishing
 * connection. */
static int writer_ready(struct mqtt_queue *h)
{
	if (h->pub.link.mosq)
		return h->pub.connected ? 0 : lost(h, &h->pub, -ECONNRESET);
	if (h->reading && h->opt.mqtt.fanout) {
		queue_detail_set(&h->base.last,
			"--fanout: a message taken from %s cannot go back without every "
			"subscriber getting it again",
			h->url.topic);
		return -EOPNOTSUPP;
	}
	if (h->reading && !h->opt.mqtt.session && h->sub.connected && !h->sub.unsubscribed) {
		struct mqtt_conn *c = &h->sub;
		if (h->dl->unsubscribe_v5(c->link.mosq, &c->unsub_mid, h->filter, NULL) == MOSQ_ERR_SUCCESS)
			run_until(h, c, is_unsubscribed, monotonic_ns() + MQTT_CONNECT_BOUND_NS, NULL);
	}
	return conn_open(h, &h->pub, "publish", NULL, false);
}

static bool acked(const struct mqtt_conn *c)
{
	return c->acked_mid == c->sub_mid;
}

static int publish(struct mqtt_queue *h, const char *topic, const void *data, size_t len, const struct queue_wait *w);

/* Publish to TOPIC, or (NULL) the address's. */
static int send_to(struct queue *q, const char *topic, const void *data, size_t len, const struct queue_wait *w)
{
	struct mqtt_queue *h = of(q);
	int r;

	q->last.text[0] = '\0'; /* filled again by a failure that has more to say */
	if (!topic && mqtt_topic_has_wildcard(h->url.topic)) {
		queue_detail_set(&q->last, "%s is a filter of many topics: a message is published to one",
			h->url.topic);
		return -EINVAL;
	}
	h->finishing = true;
	r = writer_ready(h);
	if (r == 0)
		r = publish(h, topic ? topic : h->url.topic, data, len, w);
	h->finishing = false;
	return r;
}

static int mqtt_send(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w)
{
	(void)priority;
	return send_to(q, NULL, data, len, w);
}

static int publish(struct mqtt_queue *h, const char *topic, const void *data, size_t len, const struct queue_wait *w)
{
	struct queue *q = &h->base;
	struct mqtt_conn *c = &h->pub;
	int r, mid;

	if (len > q->max_message)
		return -EMSGSIZE;
	int rc = h->dl->publish_v5(c->link.mosq, &mid, topic, (int)len, data, h->url.qos, false, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		if (rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST)
			return lost(h, c, mqtt_link_errno(rc));
		queue_detail_set(&q->last, "publishing to %s on the MQTT broker at %s: %s", topic, h->broker,
			h->dl->strerror(rc));
		return mqtt_link_errno(rc);
	}
	/* sub_mid doubles as the mid awaited on the publishing connection */
	c->sub_mid = mid;
	int64_t deadline = w && w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;
	if (h->url.qos == 0) {
		/* nothing to wait for but the bytes leaving */
		while (h->dl->want_write(c->link.mosq) && (rc = h->dl->loop_write(c->link.mosq, 1)) == MOSQ_ERR_SUCCESS)
			;
		return rc == MOSQ_ERR_SUCCESS ? 0 : lost(h, c, mqtt_link_errno(rc));
	}
	r = run_until(h, c, acked, deadline, NULL);
	if (r == -ETIMEDOUT)
		queue_detail_set(&q->last, "the MQTT broker at %s did not acknowledge the message in time (--timeout)",
			h->broker);
	if (r < 0)
		return r;
	if (c->ack_reason >= 0x80) {
		queue_detail_set(&q->last, "the MQTT broker at %s refused the message to %s: %s%s", h->broker, topic,
			h->dl->reason_string(c->ack_reason),
			c->ack_reason == MQTT_RC_NOT_AUTHORIZED ? " (its ACL)" : "");
		return c->ack_reason == MQTT_RC_NOT_AUTHORIZED ? -EACCES : -EIO;
	}
	return 0;
}

static int mqtt_send_headroom(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w)
{
	return mqtt_send(q, data, len, priority, w);
}

static int mqtt_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel,
	const struct queue_wait *w)
{
	struct mqtt_queue *h = of(q);
	int r = 0;
	(void)sel;

	if (!h->reading)
		return -EBADF;
	q->last.text[0] = '\0'; /* filled again by a failure that has more to say */
	if (!h->head) {
		if (h->dropped) {
			h->dropped = false;
			queue_detail_set(&q->last,
				"out of memory for a message from the MQTT broker at %s: it was lost", h->broker);
			return -ENOMEM;
		}
		int64_t deadline = w->how == QUEUE_WAIT_NONE ? -1 :
			w->how == QUEUE_WAIT_TIMEOUT         ? monotonic_after_ns(w->timeout_ns) :
							       0;
		r = run_until(h, &h->sub, has_message, deadline, w);
	}
	struct msg_node *n = h->head;
	if (!n)
		return r < 0 ? r : -EAGAIN;
	size_t topic_size = strlen(n->topic) + 1;
	if ((r = queue_reserve_buffer(q, n->len + 1 + topic_size)) < 0)
		return r;
	/* the message, a NUL, its topic: both live until the next receive */
	memcpy(q->buf, n->data, n->len + 1 + topic_size);
	m->data = q->buf;
	m->len = n->len;
	m->priority = n->priority;
	m->topic = q->buf + n->len + 1;
	h->head = n->next;
	if (!h->head)
		h->tail = NULL;
	free(n);
	return 0;
}

static int mqtt_peek(struct queue *q, size_t index, struct queue_message *m)
{
	(void)q, (void)index, (void)m;
	return -EOPNOTSUPP;
}

/* Messages taken from the broker that no receive took go back (published
 * again), or they would be lost: the broker counts them delivered. */
static void give_back_undelivered(struct mqtt_queue *h)
{
	static const struct queue_wait bounded = { .how = QUEUE_WAIT_TIMEOUT, .timeout_ns = 1000000000LL };

	while (h->head) {
		struct msg_node *n = h->head;
		h->head = n->next;
		send_to(&h->base, n->topic, n->data, n->len, &bounded);
		free(n);
	}
	h->tail = NULL;
}

/* What goes back is published again, each message to its own topic: a
 * filter's messages came from many. */
static size_t mqtt_put_back(struct queue *q, const struct queue_message *msgs, size_t n, int64_t bound_ns, int *err)
{
	int64_t deadline = monotonic_ns() + bound_ns;
	*err = 0;
	for (size_t i = 0; i < n; i++) {
		/* BOUND_NS in all, as for the other kinds */
		const struct queue_wait bounded = { .how = QUEUE_WAIT_TIMEOUT,
			.timeout_ns = deadline - monotonic_ns() };
		int r = bounded.timeout_ns > 0 ? send_to(q, msgs[i].topic, msgs[i].data, msgs[i].len, &bounded) :
						 -ETIMEDOUT;
		if (r < 0) {
			*err = r;
			return i;
		}
	}
	return n;
}

static void mqtt_close(struct queue *q)
{
	struct mqtt_queue *h = of(q);

	if (!h->dl)
		return;
	if (h->head && !h->opt.mqtt.fanout)
		give_back_undelivered(h);
	while (h->head) {
		struct msg_node *n = h->head;
		h->head = n->next;
		free(n);
	}
	conn_close(&h->sub);
	conn_close(&h->pub);
}

/* A topic is no queue: the broker has nothing to list, stat, remove or
 * change. */
static int mqtt_stat_address(const struct queue_address *addr, struct queue_info *info)
{
	(void)addr, (void)info;
	return -EOPNOTSUPP;
}

static int mqtt_enumerate(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	(void)want, (void)fn, (void)arg;
	return -EOPNOTSUPP;
}

static int mqtt_remove(const struct queue_address *addr, struct queue_detail *why)
{
	(void)addr;
	queue_detail_set(why,
		"an MQTT topic is not a queue: there is nothing on the broker to remove "
		"(a retained message is cleared by publishing an empty one with retain)");
	return -EOPNOTSUPP;
}

static int mqtt_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why)
{
	(void)q, (void)addr, (void)c;
	queue_detail_set(why, "an MQTT topic has no owner or mode: who may publish and subscribe is the broker's ACL");
	return -EOPNOTSUPP;
}

const struct queue_backend queue_mqtt_backend = {
	.size = sizeof(struct mqtt_queue),
	.caps = QUEUE_MQTT_CAPS,
	.open = mqtt_open,
	.send = mqtt_send,
	.send_headroom = mqtt_send_headroom,
	.receive = mqtt_receive,
	.peek = mqtt_peek,
	.stat_address = mqtt_stat_address,
	.enumerate = mqtt_enumerate,
	.remove = mqtt_remove,
	.close = mqtt_close,
	.change = mqtt_change,
	.put_back = mqtt_put_back,
};
