/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-link.c - one MQTT 5 connection (see mqtt-link.h). */
#include "config.h"
#include "queue/mqtt/mqtt-link.h"
#include "queue/backend.h"
#include "lib/clock.h"
#include "lib/signals.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

int mqtt_link_errno(int rc)
{
	switch (rc) {
	case MOSQ_ERR_SUCCESS: return 0;
	case MOSQ_ERR_NOMEM: return -ENOMEM;
	case MOSQ_ERR_ERRNO: return errno ? -errno : -EIO;
	case MOSQ_ERR_NO_CONN:
	case MOSQ_ERR_CONN_LOST: return -ECONNRESET;
	case MOSQ_ERR_TLS: return -EPROTO;
	case MOSQ_ERR_PAYLOAD_SIZE:
	case MOSQ_ERR_OVERSIZE_PACKET: return -EMSGSIZE;
	case MOSQ_ERR_EAI: return -EHOSTUNREACH;
	case MOSQ_ERR_AUTH:
	case MOSQ_ERR_ACL_DENIED: return -EACCES;
	default: return -EIO;
	}
}

int mqtt_link_result(struct mqtt_link *l, int rc)
{
	int r = mqtt_link_errno(rc);
	l->rc = rc;
	l->err = rc == MOSQ_ERR_ERRNO ? -r : 0;
	return r;
}

int mqtt_link_open(struct mqtt_link *l, const struct mqtt_url *url, const struct mqtt_link_options *o, void *obj,
	struct queue_detail *why)
{
	int r;

	memset(l, 0, sizeof(*l));
	l->url = url;
	l->host = url->net.nhosts - 1; /* the first connect takes the first */
	if ((r = mqtt_dl_load(&l->dl, why)) < 0)
		return r;
	l->mosq = l->dl->new (o->client_id, !o->persistent, obj);
	if (!l->mosq) {
		queue_detail_set(why, "libmosquitto could not make a client (out of memory?)");
		return -ENOMEM;
	}
	l->dl->int_option(l->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	if (o->tcp_nodelay)
		l->dl->int_option(l->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	if (o->receive_maximum)
		l->dl->int_option(l->mosq, MOSQ_OPT_RECEIVE_MAXIMUM, o->receive_maximum);
	if (url->net.has_user && l->dl->username_pw_set(l->mosq, url->net.user, o->password) != MOSQ_ERR_SUCCESS) {
		queue_detail_set(why, "the user name or password is not valid UTF-8, which MQTT requires");
		mqtt_link_close(l);
		return -EINVAL;
	}
	if (url->net.tls) {
		const char *ca = o->tls_cafile;
		int rc = l->dl->tls_set(l->mosq, ca, ca ? NULL : MQTT_LINK_SYSTEM_CA_PATH, o->tls_cert, o->tls_key,
			NULL);
		if (rc != MOSQ_ERR_SUCCESS) {
			queue_detail_set(why,
				"TLS setup failed (%s): check MQTOOLS_CAFILE, MQTOOLS_CERT and MQTOOLS_KEY",
				l->dl->strerror(rc));
			mqtt_link_close(l);
			return -EINVAL;
		}
	}
	return 0;
}

int mqtt_link_connect(struct mqtt_link *l, int keepalive_s, const mosquitto_property *props, struct queue_detail *why)
{
	l->host = (l->host + 1) % l->url->net.nhosts;
	const struct url_host *h = &l->url->net.hosts[l->host];
	snprintf(l->broker, sizeof(l->broker), strchr(h->name, ':') ? "[%s]:%u" : "%s:%u", h->name, h->port);
	snprintf(l->where, sizeof(l->where), "%s://%s", l->url->net.tls ? "mqtts" : "mqtt", l->broker);
	errno = 0;
	int r = mqtt_link_result(l, l->dl->connect_bind_v5(l->mosq, h->name, h->port, keepalive_s, NULL, props));
	if (r == 0)
		return 0;
	queue_detail_set(why, "cannot connect to the MQTT broker at %s: %s%s", l->broker, mqtt_link_strerror(l),
		r == -ECONNREFUSED ? " (is it running, on that port?)" : "");
	return r;
}

bool mqtt_link_up(const struct mqtt_link *l)
{
	return l->mosq && l->dl->socket(l->mosq) >= 0;
}

int mqtt_link_pump(struct mqtt_link *l, int timeout_ms, int watch_fd)
{
	const struct mqtt_dl *dl = l->dl;
	/* poll(2) passes over a negative descriptor: without a socket it waits */
	struct pollfd p[2] = { { .fd = dl->socket(l->mosq), .events = POLLIN }, { .fd = watch_fd, .events = 0 } };
	int rc = MOSQ_ERR_SUCCESS;

	l->rc = MOSQ_ERR_SUCCESS;
	if (p[0].fd >= 0 && dl->want_write(l->mosq))
		p[0].events |= POLLOUT;
	int n = poll(p, watch_fd >= 0 ? 2 : 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (watch_fd >= 0 && (p[1].revents & (POLLERR | POLLHUP)))
		return -EPIPE;
	if (p[0].fd < 0)
		return 0;
	if (n > 0 && (p[0].revents & (POLLIN | POLLERR | POLLHUP)))
		rc = dl->loop_read(l->mosq, 1);
	if (rc == MOSQ_ERR_SUCCESS && dl->socket(l->mosq) >= 0 && dl->want_write(l->mosq))
		rc = dl->loop_write(l->mosq, 1);
	if (rc == MOSQ_ERR_SUCCESS && dl->socket(l->mosq) >= 0)
		rc = dl->loop_misc(l->mosq);
	return mqtt_link_result(l, rc);
}

int mqtt_link_wait(struct mqtt_link *l, int timeout_ms)
{
	if (signals_stop_requested())
		return -EINTR;
	int r = mqtt_link_pump(l, timeout_ms, -1);
	return signals_stop_requested() ? -EINTR : r;
}

const char *mqtt_link_strerror(const struct mqtt_link *l)
{
	if (l->rc == MOSQ_ERR_ERRNO)
		return strerror(l->err ? l->err : EIO);
	return l->dl->strerror(l->rc);
}

const char *mqtt_link_reason(const struct mqtt_link *l, int reason)
{
	return l->dl->reason_string(reason);
}

bool mqtt_link_refused_auth(int reason)
{
	return reason == MQTT_RC_BAD_USERNAME_OR_PASSWORD || reason == MQTT_RC_NOT_AUTHORIZED ||
		reason == CONNACK_REFUSED_BAD_USERNAME_PASSWORD || reason == CONNACK_REFUSED_NOT_AUTHORIZED;
}

void mqtt_link_disconnect(struct mqtt_link *l)
{
	if (!l->mosq)
		return;
	l->dl->disconnect_v5(l->mosq, MQTT_RC_NORMAL_DISCONNECTION, NULL);
	/* the DISCONNECT goes out, bounded: a stop signal ends it */
	for (int i = 0; i < 20 && l->dl->want_write(l->mosq); i++)
		if (l->dl->loop_write(l->mosq, 1) != MOSQ_ERR_SUCCESS)
			break;
}

void mqtt_link_close(struct mqtt_link *l)
{
	if (l->mosq)
		l->dl->destroy(l->mosq);
	l->mosq = NULL;
}

int mqtt_link_ms_until(int64_t deadline_ns)
{
	int64_t left = deadline_ns - monotonic_ns();
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}
