/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-link.c - connect to a broker of an amqp:// URL, and word what went
 * wrong (see amqp-link.h). */
#include "config.h"
#include "lib/clock.h"
#include "queue/amqp/amqp-link.h"
#include "queue/backend.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define RECONNECT_PAUSE_NS 500000000LL /* between two rounds of the hosts */

static void set_where(struct amqp_link *l)
{
	const struct url_host *h = &l->url.hosts[l->host];
	snprintf(l->where, sizeof(l->where), "%s://%s%s%s:%u", l->url.tls ? "amqps" : "amqp",
		strchr(h->name, ':') ? "[" : "", h->name, strchr(h->name, ':') ? "]" : "", h->port);
}

bool amqp_link_lost(int err)
{
	return err == -ECONNRESET || err == -ECONNREFUSED || err == -EHOSTUNREACH || err == -ESHUTDOWN;
}

int amqp_link_status(struct amqp_link *l, int status, const char *doing, struct queue_detail *why)
{
	const char *text = l->dl->amqp_error_string2(status);

	switch (status) {
	case AMQP_STATUS_OK: return 0;
	case AMQP_STATUS_TIMEOUT:
		queue_detail_set(why, "%s: no answer from the broker within %d s while trying to %s", l->where,
			AMQP_RPC_TIMEOUT_S, doing);
		return -ETIMEDOUT;
	case AMQP_STATUS_HOSTNAME_RESOLUTION_FAILED:
		queue_detail_set(why, "%s: the host name does not resolve: check the URL", l->where);
		return -EHOSTUNREACH;
	case AMQP_STATUS_SSL_ERROR:
	case AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED:
	case AMQP_STATUS_SSL_PEER_VERIFY_FAILED:
	case AMQP_STATUS_SSL_CONNECTION_FAILED:
	case AMQP_STATUS_SSL_SET_ENGINE_FAILED:
		queue_detail_set(why,
			"%s: TLS failed (%s): the broker's certificate is checked against the system CAs, "
			"or MQTOOLS_CAFILE; a client certificate comes from MQTOOLS_CERT and MQTOOLS_KEY",
			l->where, text);
		return -EPROTO;
	case AMQP_STATUS_SOCKET_ERROR:
	case AMQP_STATUS_CONNECTION_CLOSED:
	case AMQP_STATUS_SOCKET_CLOSED:
	case AMQP_STATUS_HEARTBEAT_TIMEOUT:
		queue_detail_set(why, "%s: the connection to the broker was lost while trying to %s (%s)", l->where,
			doing, text);
		return -ECONNRESET;
	case AMQP_STATUS_NO_MEMORY: return -ENOMEM;
	default: queue_detail_set(why, "%s: cannot %s: %s", l->where, doing, text); return -EPROTO;
	}
}

/* The broker closed the channel or the connection with CODE and TEXT. */
static int server_error(struct amqp_link *l, int code, const char *text, int tlen, const char *doing,
	struct queue_detail *why)
{
	const char *vhost = l->target.vhost;
	switch (code) {
	case AMQP_NOT_FOUND:
		queue_detail_set(why, "%s: no queue '%s' in vhost '%s' (create it with --create)", l->where,
			l->target.queue, vhost);
		return -ENOENT;
	case AMQP_ACCESS_REFUSED:
		if (!strcmp(doing, "log in"))
			queue_detail_set(why,
				"%s: authentication failed for user '%s': wrong user or password (the user "
				"comes from the URL, the password from MQTOOLS_PASSWORD or --password-file)",
				l->where, l->url.has_user ? l->url.user : "guest");
		else
			queue_detail_set(why, "%s: access refused while trying to %s: %.*s", l->where, doing, tlen,
				text);
		return -EKEYREJECTED;
	case AMQP_NOT_ALLOWED:
		queue_detail_set(why,
			"%s: %.*s: the vhost '%s' does not exist, or the user may not use it "
			"(rabbitmqctl add_vhost, set_permissions)",
			l->where, tlen, text, vhost);
		return -ENXIO;
	case AMQP_RESOURCE_LOCKED: queue_detail_set(why, "%s: %.*s", l->where, tlen, text); return -EBUSY;
	case AMQP_PRECONDITION_FAILED:
		queue_detail_set(why, "%s: cannot %s: %.*s", l->where, doing, tlen, text);
		/* TEXT is the broker's bytes, without a NUL */
		if (memmem(text, (size_t)tlen, "in use", 6))
			return -EBUSY;
		if (memmem(text, (size_t)tlen, "not empty", 9))
			return -ENOTEMPTY;
		return -EINVAL;
	case AMQP_CONNECTION_FORCED:
		queue_detail_set(why, "%s: the broker closed the connection (%.*s) while trying to %s", l->where, tlen,
			text, doing);
		return -ECONNRESET;
	default:
		queue_detail_set(why, "%s: cannot %s: the broker answered %d %.*s", l->where, doing, code, tlen, text);
		return -EPROTO;
	}
}

int amqp_link_error(struct amqp_link *l, amqp_rpc_reply_t r, const char *doing, struct queue_detail *why)
{
	switch (r.reply_type) {
	case AMQP_RESPONSE_NORMAL: return 0;
	case AMQP_RESPONSE_NONE:
		queue_detail_set(why, "%s: no reply from the broker while trying to %s", l->where, doing);
		return -EPROTO;
	case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_link_status(l, r.library_error, doing, why);
	case AMQP_RESPONSE_SERVER_EXCEPTION: break;
	}
	if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
		const amqp_connection_close_t *m = r.reply.decoded;
		return server_error(l, m->reply_code, m->reply_text.bytes, (int)m->reply_text.len, doing, why);
	}
	if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
		const amqp_channel_close_t *m = r.reply.decoded;
		return server_error(l, m->reply_code, m->reply_text.bytes, (int)m->reply_text.len, doing, why);
	}
	queue_detail_set(why, "%s: unexpected method 0x%08x while trying to %s", l->where, r.reply.id, doing);
	return -EPROTO;
}

static amqp_socket_t *new_socket(struct amqp_link *l, struct queue_detail *why)
{
	const struct amqp_dl *dl = l->dl;
	amqp_socket_t *s = l->url.tls ? dl->amqp_ssl_socket_new(l->conn) : dl->amqp_tcp_socket_new(l->conn);

	if (!s) {
		queue_detail_set(why, "%s: cannot make a %s socket", l->where, l->url.tls ? "TLS" : "TCP");
		return NULL;
	}
	if (!l->url.tls)
		return s;
	/* the peer and its name are verified: with the system CAs unless MQTOOLS_CAFILE names others */
	dl->amqp_ssl_socket_set_verify_peer(s, 1);
	dl->amqp_ssl_socket_set_verify_hostname(s, 1);
	const char *ca = l->cafile ? l->cafile : "/etc/ssl/certs/ca-certificates.crt";
	if (dl->amqp_ssl_socket_set_cacert(s, ca) != AMQP_STATUS_OK) {
		queue_detail_set(why, "%s: TLS: cannot read the CA certificates in %s (%s)", l->where, ca,
			l->cafile ? "MQTOOLS_CAFILE" :
				    "the system's: install ca-certificates, or name a file in MQTOOLS_CAFILE");
		return NULL;
	}
	if ((l->cert || l->key) &&
		dl->amqp_ssl_socket_set_key(s, l->cert ? l->cert : l->key, l->key ? l->key : l->cert) !=
			AMQP_STATUS_OK) {
		queue_detail_set(why,
			"TLS: cannot use the client certificate %s and key %s (MQTOOLS_CERT, MQTOOLS_KEY)",
			l->cert ? l->cert : "(none)", l->key ? l->key : "(none)");
		return NULL;
	}
	return s;
}

static amqp_table_entry_t bool_entry(const char *key)
{
	return (amqp_table_entry_t){ .key = { strlen(key), (void *)key },
		.value = { .kind = AMQP_FIELD_KIND_BOOLEAN, .value.boolean = 1 } };
}

/* The descriptor the next socket(2) will get: the lowest free one (its
 * number, free again: only a number is returned). */
static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	close(fd);
	// cppcheck-suppress deallocret
	return fd;
}

static int connect_login(struct amqp_link *l, size_t i, struct queue_detail *why);

/* Connect to host I: socket, login, channel. librabbitmq waits for each
 * of them by itself, up to its timeouts, and retries its poll on EINTR: a
 * stop signal shuts the socket down instead (signals_stop_shuts), so that
 * the tool stops at once, in every stage. */
static int connect_host(struct amqp_link *l, size_t i, struct queue_detail *why)
{
	signals_stop_shuts(next_fd());
	int r = connect_login(l, i, why);
	signals_stop_shuts(-1);
	if (r < 0 && signals_stop_requested()) {
		char sig[32];
		queue_detail_set(why, "%s: stopped by %s while connecting and logging in", l->where,
			signals_stop_name(sig, sizeof(sig)));
		r = -EINTR;
	}
	return r;
}

static int connect_login(struct amqp_link *l, size_t i, struct queue_detail *why)
{
	const struct amqp_dl *dl = l->dl;
	const struct url_host *h = &l->url.hosts[i];
	struct timeval connect_tv = { AMQP_CONNECT_TIMEOUT_S, 0 }, rpc_tv = { AMQP_RPC_TIMEOUT_S, 0 };
	/* RabbitMQ's default user, guest, has the password guest */
	const char *user = l->url.has_user ? l->url.user : "guest";
	const char *password = l->password ? l->password : l->url.has_user ? "" : "guest";
	int r;

	l->host = i;
	set_where(l);
	if (!(l->conn = dl->amqp_new_connection()))
		return -ENOMEM;
	amqp_socket_t *s = new_socket(l, why);
	if (!s) {
		r = -EPROTO;
		goto fail;
	}
	r = dl->amqp_socket_open_noblock(s, h->name, h->port, &connect_tv);
	if (r != AMQP_STATUS_OK) {
		r = amqp_link_status(l, r, "connect", why);
		/* a TCP connect that failed; a TLS failure (the TCP connection
		 * was made: the handshake or the certificate failed) keeps
		 * amqp_link_status's wording, which says where to look */
		if (r == -ECONNRESET)
			queue_detail_set(why, "%s: cannot connect (%s): is the broker running there, on that port?",
				l->where, dl->amqp_error_string2(AMQP_STATUS_SOCKET_ERROR));
		if (r == -ECONNRESET)
			r = -ECONNREFUSED;
		goto fail;
	}
	signals_stop_shuts(dl->amqp_get_sockfd(l->conn));
	dl->amqp_set_handshake_timeout(l->conn, &rpc_tv);
	dl->amqp_set_rpc_timeout(l->conn, &rpc_tv);
	/* frame_max 128 KiB, the broker's default; no heartbeats: the tools
	 * read and write in their own time, and TCP tells a dead peer */
	/* consumer_cancel_notify: a deleted queue ends a consumer with
	 * basic.cancel (mqrecv -f then ends, as on a removed kernel queue);
	 * authentication_failure_close: a bad password is said, not a reset */
	amqp_table_entry_t caps[] = { bool_entry("consumer_cancel_notify"), bool_entry("authentication_failure_close"),
		bool_entry("basic.nack"), bool_entry("publisher_confirms") };
	amqp_table_entry_t props[] = { { .key = { 12, (void *)"capabilities" },
		.value = { .kind = AMQP_FIELD_KIND_TABLE, .value.table = { 4, caps } } } };
	amqp_table_t client = { 1, props };
	/* a refused login is the broker's connection.close (ACCESS_REFUSED,
	 * or NOT_ALLOWED for the vhost), which server_error words; a
	 * connection closed or reset here is a host that is going down, or no
	 * broker: lost (-ECONNRESET), and the next host is tried */
	r = amqp_link_error(l,
		dl->amqp_login_with_properties(l->conn, l->target.vhost, 0, 131072, 0, &client, AMQP_SASL_METHOD_PLAIN,
			user, password),
		"log in", why);
	if (r < 0)
		goto fail;
	dl->amqp_channel_open(l->conn, AMQP_CHANNEL);
	if ((r = amqp_link_error(l, dl->amqp_get_rpc_reply(l->conn), "open a channel", why)) < 0)
		goto fail;
	l->generation++;
	return 0;
fail:
	dl->amqp_destroy_connection(l->conn);
	l->conn = NULL;
	return r;
}

/* Each host once, in order; the first error that is not a connection
 * failure (a login refused) ends the round. */
static int connect_any(struct amqp_link *l, struct queue_detail *why)
{
	int r = -ECONNREFUSED;
	size_t first = l->host; /* connect_host sets l->host to the one it tries */
	for (size_t i = 0; i < l->url.nhosts; i++) {
		size_t h = (first + i) % l->url.nhosts;
		/* a host that does not answer in time is as good as down */
		if ((r = connect_host(l, h, why)) == 0 || !(amqp_link_lost(r) || r == -ETIMEDOUT))
			return r;
		if (signals_stop_requested())
			return -EINTR;
	}
	return r;
}

int amqp_link_open(struct amqp_link *l, const struct queue_address *addr, const struct queue_open_options *opt,
	struct queue_detail *why)
{
	struct parse_error pe;

	if (!(l->dl = amqp_dl_get(why)))
		return -ELIBACC;
	if (url_parse(addr->url, &l->url, &pe) < 0 || amqp_url_target(&l->url, &l->target, &pe) < 0) {
		queue_detail_set(why, "%s", pe.msg);
		return -EINVAL;
	}
	l->password = opt ? opt->cred.password : NULL;
	l->cafile = opt ? opt->cred.tls_cafile : NULL;
	l->cert = opt ? opt->cred.tls_cert : NULL;
	l->key = opt ? opt->cred.tls_key : NULL;
	l->host = 0;
	return connect_any(l, why);
}

static void drop(struct amqp_link *l)
{
	if (l->conn)
		l->dl->amqp_destroy_connection(l->conn);
	l->conn = NULL;
}

int amqp_link_reconnect(struct amqp_link *l, struct queue_detail *why)
{
	int64_t end = monotonic_ns() + AMQP_RECONNECT_NS;
	int r;

	drop(l);
	l->host = (l->host + 1) % l->url.nhosts; /* the one that failed goes last */
	for (;;) {
		if ((r = connect_any(l, why)) == 0 || !(amqp_link_lost(r) || r == -ETIMEDOUT))
			return r;
		if (monotonic_ns() >= end) {
			queue_detail_set(why, "the connection was lost and no broker of the URL answered within %lld s",
				AMQP_RECONNECT_NS / 1000000000LL);
			return r;
		}
		struct timespec pause = { 0, RECONNECT_PAUSE_NS };
		nanosleep(&pause, NULL);
		if (signals_stop_requested())
			return -EINTR;
	}
}

void amqp_link_close(struct amqp_link *l)
{
	if (!l->conn)
		return;
	/* a polite close: the broker logs no "client unexpectedly closed TCP connection" */
	l->dl->amqp_channel_close(l->conn, AMQP_CHANNEL, AMQP_REPLY_SUCCESS);
	l->dl->amqp_connection_close(l->conn, AMQP_REPLY_SUCCESS);
	drop(l);
}
