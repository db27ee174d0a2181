/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport.c - the controller's transport for its address's kind, and
 * the calls of transport.h on it. */
#include "config.h"
#include "mqled/transport-backend.h"

#include <errno.h>
#include <stdlib.h>

static const struct transport_backend *backend_of(enum queue_kind kind)
{
	switch (kind) {
	case QUEUE_POSIX:
	case QUEUE_SYSV: return &transport_kernel_backend;
	case QUEUE_MQTT:
#ifdef HAVE_MQTT
		return &transport_mqtt_backend;
#else
		break;
#endif
	default: break;
	}
	return NULL;
}

bool transport_serves(enum queue_kind kind)
{
	return kind == QUEUE_POSIX || kind == QUEUE_SYSV || kind == QUEUE_MQTT;
}

int transport_open(const struct transport_options *opt, struct transport **out, struct mqled_error *e)
{
	const struct transport_backend *ops = backend_of(opt->addr.kind);
	struct transport *t;
	int r;

	if (!ops) { /* "built without ..." or "not a kind mqled serves" */
		struct queue_detail why = { "" };
		queue_kind_built(opt->addr.kind, &why);
		return mqled_queue_fail(e, -EPROTONOSUPPORT, "serve", &why);
	}
	if (!(t = calloc(1, ops->size)))
		return mqled_fail(e, ENOMEM, "out of memory");
	t->ops = ops;
	t->opt = *opt;
	if ((r = ops->open(t, e)) < 0) {
		free(t);
		return r;
	}
	*out = t;
	return 0;
}

bool transport_ready(struct transport *t)
{
	return t->ops->ready ? t->ops->ready(t) : true;
}

int transport_receive(struct transport *t, struct transport_message *m, const struct queue_wait *w)
{
	return t->ops->receive(t, m, w);
}

void transport_answer(struct transport *t, const struct transport_message *m, const struct protocol_command *cmd,
	const char *text)
{
	t->ops->answer(t, m, cmd, text);
}

void transport_state(struct transport *t, const char *led, const struct transport_led_state *st)
{
	if (t->ops->state)
		t->ops->state(t, led, st);
}

void transport_shutdown(struct transport *t)
{
	if (t && !t->down) {
		t->down = true;
		t->ops->shutdown(t);
	}
}

void transport_daemonized(struct transport *t)
{
	if (t->ops->daemonized)
		t->ops->daemonized(t);
}

void transport_close(struct transport *t)
{
	if (!t)
		return;
	transport_shutdown(t);
	if (t->ops->close)
		t->ops->close(t);
	free(t);
}

const char *transport_name(const struct transport *t)
{
	return t->name;
}

const char *transport_started(const struct transport *t)
{
	return t->started;
}
