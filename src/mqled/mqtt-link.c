/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-link.c - an MQTT 5 connection for mqled (see mqtt-link.h). */
#include "config.h"
#include "mqled/mqtt-link.h"
#include "lib/clock.h"
#include "lib/signals.h"
#include "cli/cli.h"
#include "cli/queue-cli.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Without MQTOOLS_CAFILE an mqtts:// broker is checked against the
 * system's CAs (Debian's ca-certificates). */
#define SYSTEM_CA_PATH "/etc/ssl/certs"

void mqtt_link_open(struct mqtt_link *l, const char *text, const char *password_file, void *obj)
{
	struct queue_credentials cred = { 0 };
	struct queue_detail why = { "" };
	struct parse_error e;
	int r;

	memset(l, 0, sizeof(*l));
	if (mqtt_url_parse(text, MQTT_TOPIC_NAME, &l->url, &e) < 0)
		cli_usage_error("%s", e.msg);
	if ((r = mqtt_dl_load(&l->dl, &why)) < 0)
		exit(queue_cli_error(text, QUEUE_MQTT, r, "open", &why));
	queue_cli_credentials(&cred, password_file);
	l->mosq = l->dl->new(NULL, true, obj);
	if (!l->mosq)
		cli_die(MQ_EXIT_FAILURE, "%s: cannot make an MQTT client: out of memory", text);
	l->dl->int_option(l->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	if (l->url.net.has_user && l->dl->username_pw_set(l->mosq, l->url.net.user, cred.password) != MOSQ_ERR_SUCCESS)
		cli_die(MQ_EXIT_FAILURE, "%s: the user name is not valid UTF-8 for MQTT", text);
	if (!l->url.net.has_user && cred.password)
		cli_usage_error("%s: a password was given (MQTOOLS_PASSWORD or --password-file) but no user: "
			"write it in the address, mqtt://USER@host/topic", text);
	if (l->url.net.tls) {
		r = l->dl->tls_set(l->mosq, cred.tls_cafile, cred.tls_cafile ? NULL : SYSTEM_CA_PATH, cred.tls_cert,
			cred.tls_key, NULL);
		if (r != MOSQ_ERR_SUCCESS)
			cli_die(MQ_EXIT_FAILURE, "%s: TLS: %s (MQTOOLS_CAFILE, MQTOOLS_CERT, MQTOOLS_KEY)", text,
				l->dl->strerror(r));
	} else if (cred.tls_cert || cred.tls_key) {
		cli_usage_error("%s: MQTOOLS_CERT and MQTOOLS_KEY are for mqtts://, not mqtt://", text);
	}
	l->host = l->url.net.nhosts - 1; /* the first connect takes the first */
}

int mqtt_link_connect(struct mqtt_link *l, int keepalive_s)
{
	l->host = (l->host + 1) % l->url.net.nhosts;
	const struct url_host *h = &l->url.net.hosts[l->host];
	bool v6 = strchr(h->name, ':') != NULL;
	snprintf(l->where, sizeof(l->where), "%s://%s%s%s:%u", l->url.net.tls ? "mqtts" : "mqtt", v6 ? "[" : "",
		h->name, v6 ? "]" : "", h->port);
	/* blocking for the TCP connect and the TLS handshake only, which a
	 * stop signal cuts short (no SA_RESTART); the CONNACK comes through
	 * mqtt_link_pump */
	return l->dl->connect_bind_v5(l->mosq, h->name, h->port, keepalive_s, NULL, NULL);
}

bool mqtt_link_up(const struct mqtt_link *l)
{
	return l->dl->socket(l->mosq) >= 0;
}

int mqtt_link_ms_until(int64_t deadline_ns)
{
	int64_t left = deadline_ns - monotonic_ns();
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

int mqtt_link_pump(struct mqtt_link *l, int timeout_ms)
{
	const struct mqtt_dl *dl = l->dl;
	struct pollfd p = { .fd = dl->socket(l->mosq), .events = POLLIN };
	int r;

	if (signals_stop_requested())
		return -EINTR;
	if (p.fd >= 0 && dl->want_write(l->mosq))
		p.events |= POLLOUT;
	r = poll(&p, p.fd >= 0 ? 1 : 0, timeout_ms);
	if (r < 0 && errno == EINTR)
		return signals_stop_requested() ? -EINTR : MOSQ_ERR_SUCCESS;
	if (p.fd < 0)
		return MOSQ_ERR_SUCCESS;
	if (r > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)) && (r = dl->loop_read(l->mosq, 1)) != MOSQ_ERR_SUCCESS)
		return r;
	if (dl->socket(l->mosq) >= 0 && dl->want_write(l->mosq) && (r = dl->loop_write(l->mosq, 1)) != MOSQ_ERR_SUCCESS)
		return r;
	if (dl->socket(l->mosq) >= 0 && (r = dl->loop_misc(l->mosq)) != MOSQ_ERR_SUCCESS)
		return r;
	return MOSQ_ERR_SUCCESS;
}

const char *mqtt_link_strerror(const struct mqtt_link *l, int rc)
{
	if (rc == MOSQ_ERR_ERRNO)
		return strerror(errno);
	return l->dl->strerror(rc);
}

const char *mqtt_link_connack(const struct mqtt_link *l, int rc)
{
	return l->dl->reason_string(rc);
}

bool mqtt_link_refused_auth(int rc)
{
	return rc == MQTT_RC_BAD_USERNAME_OR_PASSWORD || rc == MQTT_RC_NOT_AUTHORIZED ||
		rc == CONNACK_REFUSED_BAD_USERNAME_PASSWORD || rc == CONNACK_REFUSED_NOT_AUTHORIZED;
}

void mqtt_link_close(struct mqtt_link *l)
{
	if (l->mosq)
		l->dl->destroy(l->mosq);
	l->mosq = NULL;
}
