/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport-mqtt.c - the controller's commands on an MQTT broker (see
 * transport.h and mqtt-topics.h for the topics, mqled(1), MQTT).
 *
 * - Commands: subscribed at QoS 1 on the command topic T (and T/NAME for
 *   each LED of -L). A clean session: a command published while the
 *   controller is away is not kept for it, so no stale "on" runs later.
 * - Answers: MQTT 5 request/response. A command with a response topic is
 *   answered there, with its correlation data, and only when that topic is
 *   one of T/reply/ID: a command cannot make the controller publish
 *   anywhere else (its state, another device's commands). That only the
 *   controller may publish under T/reply/ is the broker's ACL's to ensure.
 * - State: ON or OFF, retained, on T/state (T/NAME/state), published when
 *   it changes and again after each connect; with --ha-discovery also the
 *   level on T/brightness and Home Assistant's effect on T/effect.
 * - Home Assistant (--ha-discovery): its discovery configs (ha-discovery.h)
 *   with "online", and all of it again when Home Assistant says online on
 *   homeassistant/status (its birth message: it has restarted).
 * - Availability: "online", retained, on T/availability once the
 *   controller serves (transport_ready: its LEDs taken, its command topics
 *   subscribed) and after each connect since; the Last Will sets it
 *   "offline" when the controller vanishes (SIGKILL, a lost network), and
 *   a clean stop publishes "offline" itself. A client waits for "online"
 *   before it sends, so a command is never published before the
 *   controller is subscribed to it.
 * - The broker going away: the LED keeps its state; the controller tries
 *   again after a backoff (RETRY_FIRST_MS doubling to RETRY_MAX_MS), taking
 *   the URL's hosts in turn, and subscribes and publishes again once
 *   connected. A broker that refuses the controller's credentials stops it:
 *   trying again would not mend them.
 * Everything runs in the controller's thread: libmosquitto's socket is
 * polled by receive(), which also keeps the blink's schedule. */
#include "config.h"
#include "mqled/transport-backend.h"
#include "mqled/ha-discovery.h"
#include "mqled/log.h"
#include "mqled/mqtt-topics.h"
#include "queue/mqtt/mqtt-link.h"
#include "lib/clock.h"
#include "lib/termesc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEPALIVE_S 30
#define RETRY_FIRST_MS 100
#define RETRY_MAX_MS 5000
/* The first connect, before the controller reports itself started: long
 * enough for a broker on the LAN to answer, short enough for a boot. */
#define FIRST_CONNECT_MS 3000
/* What a clean stop waits for its last publishes (offline, the answer). */
#define FLUSH_MS 1000
/* Commands taken from the socket but not yet executed: a burst beyond this
 * is refused, loudly. */
#define PENDING_MAX 64
#define TOPIC_MAX (MQTT_TOPIC_MAX + 64)

struct pending {
	char *data;
	size_t len;
	char led[PROTOCOL_NAME_MAX + 1];
	char *response_topic; /* NULL: no answer wanted */
	void *correlation;
	uint16_t correlation_len;
};

struct led_topic {
	const char *name;
	char *command, *state, *brightness, *effect;
	int on;                    /* 1, 0, -1 not known yet */
	unsigned level, max_level; /* as transport_led_state */
	const char *effect_now;    /* ha_discovery_effect()'s */
};

struct mqtt_transport {
	struct transport base;
	struct mqtt_url url;
	struct mqtt_link link;
	const char *topic; /* the command topic T */
	char availability[TOPIC_MAX];
	struct led_topic *leds; /* [0]: T itself, then T/NAME for each -L */
	size_t n_leds;
	bool connected;   /* CONNACK success seen, not lost since */
	bool serving;     /* transport_ready() was called: online may be said */
	int subs_pending; /* SUBSCRIBEs of this connection not acknowledged yet */
	int online_mid;   /* the latest "online" publish, and whether the broker took it */
	bool online_acked;
	int status_mid;   /* the SUBSCRIBE to Home Assistant's status */
	bool fatal;       /* the broker refused who we are */
	bool lost_logged; /* the current outage has been logged */
	int retry_ms;
	int64_t next_try_ns;
	int inflight; /* QoS 1 publishes not yet acknowledged */
	struct pending ring[PENDING_MAX];
	size_t head, count;
	struct pending current; /* what receive() gave last */
};

static struct mqtt_transport *of(struct transport *t)
{
	return TRANSPORT_BACKEND_OF(t, struct mqtt_transport);
}

static void pending_free(struct pending *p)
{
	free(p->data);
	free(p->response_topic);
	free(p->correlation);
	memset(p, 0, sizeof(*p));
}

/* Publish at QoS 1: its message id, or 0 when it was not sent. */
static int publish(struct mqtt_transport *mt, const char *topic, const char *payload, size_t len, bool retain,
	const mosquitto_property *props)
{
	int mid = 0;
	if (!mt->connected)
		return 0; /* republished at the next connect, if it is state */
	int r = mqtt_link_result(&mt->link,
		mt->link.dl->publish_v5(mt->link.mosq, &mid, topic, (int)len, payload, 1, retain, props));
	if (r == 0) {
		mt->inflight++;
		return mid;
	}
	ledlog(LOG_WARNING, "%s: cannot publish to %s: %s", mt->link.where, topic, mqtt_link_strerror(&mt->link));
	return 0;
}

static int publish_text(struct mqtt_transport *mt, const char *topic, const char *text, bool retain)
{
	return publish(mt, topic, text, strlen(text), retain, NULL);
}

static void publish_discovery(struct mqtt_transport *mt)
{
	size_t size = ha_discovery_payload_size(mt->topic);
	char *payload = malloc(size), id[HA_OBJECT_ID_MAX + 1], topic[HA_OBJECT_ID_MAX + 64];
	if (!payload) {
		ledlog(LOG_ERR, "Home Assistant discovery: out of memory");
		return;
	}
	/* with -L, one light for each named LED; T itself is none */
	for (size_t i = mt->base.opt.n_leds ? 1 : 0; i < mt->n_leds; i++) {
		ha_discovery_object_id(mt->topic, mt->leds[i].name, id);
		int n = ha_discovery_payload(mt->topic, mt->leds[i].name, mt->leds[i].max_level, payload, size);
		if (n < 0 || ha_discovery_config_topic(id, topic, sizeof(topic)) < 0) {
			ledlog(LOG_ERR, "Home Assistant discovery: the config of %s is too long", id);
			continue;
		}
		publish(mt, topic, payload, (size_t)n, true, NULL);
	}
	free(payload);
}

/* L's state as last reported: ON or OFF; for Home Assistant its effect,
 * and its level while lit (its last one stays while it is off, and is
 * what Home Assistant lights it at again). */
static void publish_led_state(struct mqtt_transport *mt, const struct led_topic *l)
{
	char level[16];
	if (l->on < 0)
		return;
	publish_text(mt, l->state, l->on ? MQTT_TOPICS_ON : MQTT_TOPICS_OFF, true);
	if (!mt->base.opt.ha_discovery)
		return;
	publish_text(mt, l->effect, l->effect_now, true);
	if (l->on && l->max_level > 1 && l->level) {
		snprintf(level, sizeof(level), "%u", l->level);
		publish_text(mt, l->brightness, level, true);
	}
}

static void publish_states(struct mqtt_transport *mt)
{
	for (size_t i = 0; i < mt->n_leds; i++)
		publish_led_state(mt, &mt->leds[i]);
}

/* Tell the clients (and Home Assistant) that the controller serves. */
static void say_online(struct mqtt_transport *mt)
{
	if (mt->base.opt.ha_discovery)
		publish_discovery(mt);
	mt->online_acked = false;
	mt->online_mid = publish_text(mt, mt->availability, MQTT_TOPICS_ONLINE, true);
}

/* --- libmosquitto's callbacks ---------------------------------------------- */

static void on_connect(struct mosquitto *mosq, void *obj, int rc, int flags, const mosquitto_property *props)
{
	struct mqtt_transport *mt = obj;
	const struct mqtt_dl *dl = mt->link.dl;
	(void)mosq;
	(void)flags;
	(void)props;

	if (rc != 0) {
		ledlog(LOG_ERR, "%s: the broker refused the connection: %s%s", mt->link.where,
			mqtt_link_reason(&mt->link, rc),
			mqtt_link_refused_auth(rc) ?
				"; check the user in the address and the password (MQTOOLS_PASSWORD or --password-file)" :
				"");
		if (mqtt_link_refused_auth(rc))
			mt->fatal = true;
		return;
	}
	mt->connected = true;
	mt->retry_ms = RETRY_FIRST_MS;
	ledlog(LOG_INFO, "%s: connected%s; commands on %s", mt->link.where, mt->lost_logged ? " again" : "", mt->topic);
	mt->lost_logged = false;
	mt->subs_pending = 0;
	for (size_t i = 0; i < mt->n_leds; i++) {
		if (mqtt_link_result(&mt->link,
			    dl->subscribe_v5(mt->link.mosq, NULL, mt->leds[i].command, 1, 0, NULL)) < 0)
			ledlog(LOG_ERR, "%s: cannot subscribe to %s: %s", mt->link.where, mt->leds[i].command,
				mqtt_link_strerror(&mt->link));
		else
			mt->subs_pending++;
	}
	if (mt->base.opt.ha_discovery) {
		if (mqtt_link_result(&mt->link,
			    dl->subscribe_v5(mt->link.mosq, &mt->status_mid, HA_DISCOVERY_STATUS_TOPIC, 1, 0, NULL)) <
			0)
			ledlog(LOG_ERR, "%s: cannot subscribe to %s: %s", mt->link.where, HA_DISCOVERY_STATUS_TOPIC,
				mqtt_link_strerror(&mt->link));
		else
			mt->subs_pending++;
	}
	publish_states(mt);
	/* the broker takes a client's packets in order: the subscriptions
	 * are in place before anyone sees online */
	if (mt->serving)
		say_online(mt);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted,
	const mosquitto_property *props)
{
	struct mqtt_transport *mt = obj;
	(void)mosq;
	(void)props;
	if (mt->subs_pending > 0)
		mt->subs_pending--;
	for (int i = 0; i < n; i++)
		if (granted[i] >= 0x80 && mid == mt->status_mid)
			ledlog(LOG_WARNING,
				"%s: the broker refused to subscribe the controller to %s: %s; the discovery "
				"config is not published again when Home Assistant restarts; the ACL must let this user "
				"read it",
				mt->link.where, HA_DISCOVERY_STATUS_TOPIC, mqtt_link_reason(&mt->link, granted[i]));
		else if (granted[i] >= 0x80)
			ledlog(LOG_ERR,
				"%s: the broker refused to subscribe the controller to its command topic: %s; "
				"its ACL must let this user read %s and %s/#",
				mt->link.where, mqtt_link_reason(&mt->link, granted[i]), mt->topic, mt->topic);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc, const mosquitto_property *props)
{
	struct mqtt_transport *mt = obj;
	(void)mosq;
	(void)props;
	if (mt->connected && !mt->base.down && !mt->lost_logged) {
		ledlog(LOG_WARNING, "%s: lost the broker (%s); the LED keeps its state, trying again", mt->link.where,
			rc == MOSQ_ERR_CONN_LOST ? "connection lost" : mqtt_link_reason(&mt->link, rc));
		mt->lost_logged = true;
	}
	mt->connected = false;
	mt->inflight = 0;
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid, int rc, const mosquitto_property *props)
{
	struct mqtt_transport *mt = obj;
	(void)mosq;
	(void)props;
	if (mt->inflight > 0)
		mt->inflight--;
	if (mid == mt->online_mid && rc < 0x80)
		mt->online_acked = true;
	if (rc >= 0x80)
		ledlog(LOG_WARNING,
			"%s: the broker refused a publish of the controller's: %s; its ACL must let "
			"this user write %s/state, %s/availability and %s/reply/#%s",
			mt->link.where, mqtt_link_reason(&mt->link, rc), mt->topic, mt->topic, mt->topic,
			mt->base.opt.ha_discovery ? " (and for --ha-discovery " HA_DISCOVERY_PREFIX
						    "/light/#, " MQTT_TOPICS_BRIGHTNESS " and " MQTT_TOPICS_EFFECT
						    " beside each state)" :
						    "");
}

/* Home Assistant's status: "online" when it starts, having forgotten
 * what it discovered (or the broker, without persistence, the retained
 * configs): all of it again. */
static void ha_status(struct mqtt_transport *mt, const struct mosquitto_message *msg)
{
	size_t n = strlen(HA_DISCOVERY_ONLINE);
	if (!mt->serving || msg->payloadlen != (int)n || memcmp(msg->payload, HA_DISCOVERY_ONLINE, n) != 0)
		return;
	ledlog(LOG_INFO, "Home Assistant is online: its discovery configs, the state and online published again");
	publish_states(mt);
	say_online(mt);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg,
	const mosquitto_property *props)
{
	struct mqtt_transport *mt = obj;
	const struct mqtt_dl *dl = mt->link.dl;
	const struct led_topic *for_led = NULL;
	(void)mosq;

	if (!strcmp(msg->topic, HA_DISCOVERY_STATUS_TOPIC)) {
		ha_status(mt, msg);
		return;
	}
	for (size_t i = 0; i < mt->n_leds; i++)
		if (!strcmp(msg->topic, mt->leds[i].command))
			for_led = &mt->leds[i];
	if (!for_led)
		return; /* not a topic of ours: a broker's mistake */
	/* a retained command would run again at every subscribe (each
	 * reconnect, each start: a retained stop would stop every controller
	 * as it starts); a command is for now */
	if (msg->retain) {
		char shown[TERMESC_SIZE(64)];
		ledlog(LOG_WARNING,
			"ignored a retained command on %s: commands are not retained (clear it with "
			"an empty retained message)",
			termesc_str(shown, sizeof(shown), msg->topic, 0));
		return;
	}
	if (mt->count == PENDING_MAX) {
		char shown[TERMESC_SIZE(64)];
		ledlog(LOG_WARNING, "%s: %d commands waiting already; a command on %s was dropped", mt->link.where,
			PENDING_MAX, termesc_str(shown, sizeof(shown), msg->topic, 0));
		return;
	}
	struct pending *p = &mt->ring[(mt->head + mt->count) % PENDING_MAX];
	size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	/* longer than any command: kept at the limit and one byte more, which
	 * the parser refuses by its length */
	if (len > PROTOCOL_MAX_LEN + 1)
		len = PROTOCOL_MAX_LEN + 1;
	p->data = malloc(len + 1);
	if (!p->data) {
		ledlog(LOG_ERR, "out of memory: a command was dropped");
		return;
	}
	memcpy(p->data, msg->payload, len);
	p->data[len] = '\0';
	p->len = len;
	snprintf(p->led, sizeof(p->led), "%s", for_led->name);
	dl->property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &p->response_topic, false);
	dl->property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &p->correlation, &p->correlation_len, false);
	mt->count++;
}

/* --- the connection ----------------------------------------------------------- */

static void try_connect(struct mqtt_transport *mt)
{
	if (mqtt_link_connect(&mt->link, KEEPALIVE_S, NULL, NULL) == 0)
		return; /* the CONNACK decides */
	if (!mt->lost_logged) {
		ledlog(LOG_WARNING, "%s: cannot reach the broker: %s; the LED keeps its state, trying again",
			mt->link.where, mqtt_link_strerror(&mt->link));
		mt->lost_logged = true;
	}
	mt->next_try_ns = monotonic_ns() + (int64_t)mt->retry_ms * 1000000;
	mt->retry_ms = mt->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : mt->retry_ms * 2;
}

/* One wait of at most TIMEOUT_MS on the broker, connecting when it is time:
 * 0, -EINTR, or -EACCES when the broker refused the credentials. */
static int pump(struct mqtt_transport *mt, int timeout_ms)
{
	if (!mqtt_link_up(&mt->link)) {
		int64_t now = monotonic_ns();
		if (now >= mt->next_try_ns)
			try_connect(mt);
		if (!mqtt_link_up(&mt->link)) {
			int until = mqtt_link_ms_until(mt->next_try_ns);
			if (timeout_ms < 0 || until < timeout_ms)
				timeout_ms = until;
		}
	}
	int r = mqtt_link_wait(&mt->link, timeout_ms);
	if (r == -EINTR)
		return r;
	if (r < 0 && !mqtt_link_up(&mt->link) && mt->next_try_ns <= monotonic_ns()) {
		/* lost now (on_disconnect ran), or a connect that failed */
		if (!mt->lost_logged && !mt->base.down) {
			ledlog(LOG_WARNING, "%s: lost the broker (%s); the LED keeps its state, trying again",
				mt->link.where, mqtt_link_strerror(&mt->link));
			mt->lost_logged = true;
		}
		mt->connected = false;
		mt->next_try_ns = monotonic_ns() + (int64_t)mt->retry_ms * 1000000;
		mt->retry_ms = mt->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : mt->retry_ms * 2;
	}
	return mt->fatal ? -EACCES : 0;
}

/* --- the transport -------------------------------------------------------------- */

/* Online once subscribed, and wait (at most FIRST_CONNECT_MS) until the
 * broker acknowledged the subscriptions and the online message. */
static bool mqtt_ready(struct transport *t)
{
	struct mqtt_transport *mt = of(t);
	int64_t end = monotonic_ns() + FIRST_CONNECT_MS * 1000000LL;

	mt->serving = true;
	if (mt->connected)
		say_online(mt);
	while (mt->connected && (mt->subs_pending > 0 || !mt->online_acked) && monotonic_ns() < end)
		if (pump(mt, mqtt_link_ms_until(end)) < 0)
			break; /* a stop signal, or the broker refused: receive() says it */
	return mt->connected && mt->subs_pending == 0 && mt->online_acked;
}

static int mqtt_receive(struct transport *t, struct transport_message *m, const struct queue_wait *w)
{
	struct mqtt_transport *mt = of(t);
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;

	pending_free(&mt->current);
	for (;;) {
		if (mt->count) {
			mt->current = mt->ring[mt->head];
			memset(&mt->ring[mt->head], 0, sizeof(mt->ring[0]));
			mt->head = (mt->head + 1) % PENDING_MAX;
			mt->count--;
			*m = (struct transport_message){ .data = mt->current.data,
				.len = mt->current.len,
				.led = mt->current.led,
				.reply = &mt->current };
			return 0;
		}
		if (mt->fatal)
			return -EACCES;
		if (w->how == QUEUE_WAIT_TIMEOUT && monotonic_ns() >= deadline)
			return -ETIMEDOUT;
		int timeout_ms = w->how == QUEUE_WAIT_BLOCK ? -1 :
			w->how == QUEUE_WAIT_NONE           ? 0 :
							      mqtt_link_ms_until(deadline);
		/* libmosquitto's keepalive wants a call now and then */
		if (timeout_ms < 0 || timeout_ms > 1000)
			timeout_ms = 1000;
		int r = pump(mt, timeout_ms);
		if (r == -EACCES)
			ledlog(LOG_ERR, "%s: stopping: the broker will not take this controller's credentials",
				mt->link.where);
		if (r < 0)
			return r;
		if (w->how == QUEUE_WAIT_NONE && !mt->count)
			return -ETIMEDOUT;
	}
}

static void mqtt_answer(struct transport *t, const struct transport_message *m, const struct protocol_command *cmd,
	const char *text)
{
	struct mqtt_transport *mt = of(t);
	const struct pending *p = m->reply;
	const struct mqtt_dl *dl = mt->link.dl;
	mosquitto_property *props = NULL;
	char shown[TERMESC_SIZE(80)];
	(void)cmd;

	if (!p || !p->response_topic)
		return; /* mosquitto_pub, Home Assistant: no answer asked */
	if (!mqtt_topics_is_reply(mt->topic, p->response_topic)) {
		ledlog(LOG_WARNING, "no answer sent to response topic %s: it is not one of %s/reply/ID",
			termesc_str(shown, sizeof(shown), p->response_topic, 0), mt->topic);
		return;
	}
	if (!mt->connected) {
		ledlog(LOG_WARNING, "no answer sent to %s: the broker is away", p->response_topic);
		return;
	}
	if (p->correlation &&
		dl->property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, p->correlation, p->correlation_len) !=
			MOSQ_ERR_SUCCESS) {
		ledlog(LOG_ERR, "no answer sent to %s: out of memory", p->response_topic);
		return;
	}
	publish(mt, p->response_topic, text, strlen(text), false, props);
	dl->property_free_all(&props);
}

static void mqtt_state(struct transport *t, const char *led, const struct transport_led_state *st)
{
	struct mqtt_transport *mt = of(t);
	for (size_t i = 0; i < mt->n_leds; i++) {
		struct led_topic *l = &mt->leds[i];
		if (strcmp(l->name, led) != 0)
			continue;
		l->on = st->lit;
		l->level = st->level;
		l->max_level = st->max_level;
		l->effect_now = ha_discovery_effect(st->blink);
		publish_led_state(mt, l);
	}
}

/* Let the broker take what was published, at most FLUSH_MS. */
static void flush(struct mqtt_transport *mt)
{
	int64_t end = monotonic_ns() + FLUSH_MS * 1000000LL;
	while (mt->connected && (mt->inflight > 0 || mt->link.dl->want_write(mt->link.mosq)) && monotonic_ns() < end)
		if (mqtt_link_wait(&mt->link, mqtt_link_ms_until(end)) < 0)
			break; /* a signal, or the broker gone: nothing more to do */
}

static void mqtt_shutdown(struct transport *t)
{
	struct mqtt_transport *mt = of(t);
	/* the Last Will is for a controller that vanishes; one that stops
	 * says so itself */
	publish_text(mt, mt->availability, MQTT_TOPICS_OFFLINE, true);
	flush(mt);
}

/* Everything but the link's client, which mqtt_close disconnects first. */
static void release(struct mqtt_transport *mt)
{
	mqtt_link_close(&mt->link);
	pending_free(&mt->current);
	for (size_t i = 0; i < PENDING_MAX; i++)
		pending_free(&mt->ring[i]);
	for (size_t i = 0; mt->leds && i < mt->n_leds; i++) {
		free(mt->leds[i].command);
		free(mt->leds[i].state);
		free(mt->leds[i].brightness);
		free(mt->leds[i].effect);
	}
	free(mt->leds);
}

static void mqtt_close(struct transport *t)
{
	struct mqtt_transport *mt = of(t);
	flush(mt);
	if (mt->connected)
		mqtt_link_disconnect(&mt->link);
	release(mt);
}

/* The client, with the credentials. */
static int open_link(struct mqtt_transport *mt, struct mqled_error *e)
{
	const struct transport_options *opt = &mt->base.opt;
	const struct mqtt_link_options lo = { .password = opt->credentials.password,
		.tls_cafile = opt->credentials.tls_cafile,
		.tls_cert = opt->credentials.tls_cert,
		.tls_key = opt->credentials.tls_key };
	struct queue_detail why = { "" };
	struct parse_error pe;
	int r;

	if (mqtt_url_parse(opt->addr.url, MQTT_TOPIC_NAME, &mt->url, &pe) < 0)
		return mqled_fail(e, EINVAL, "%s", pe.msg);
	if ((r = mqtt_link_open(&mt->link, &mt->url, &lo, mt, &why)) < 0)
		return mqled_queue_fail(e, r, "open", &why);
	mt->topic = mt->url.topic;
	return 0;
}

/* T for every LED, and T/NAME for each named one; the availability topic,
 * which the Last Will sets offline. */
static int make_topics(struct mqtt_transport *mt, struct mqled_error *e)
{
	const struct transport_options *opt = &mt->base.opt;

	mt->n_leds = opt->n_leds + 1;
	if (!(mt->leds = calloc(mt->n_leds, sizeof(mt->leds[0]))))
		return mqled_fail(e, ENOMEM, "out of memory");
	for (size_t i = 0; i < mt->n_leds; i++) {
		struct led_topic *l = &mt->leds[i];
		l->name = i == 0 ? "" : opt->leds[i - 1];
		l->command = malloc(TOPIC_MAX);
		l->state = malloc(TOPIC_MAX);
		l->brightness = malloc(TOPIC_MAX);
		l->effect = malloc(TOPIC_MAX);
		l->on = -1;
		l->effect_now = HA_EFFECT_OFF;
		if (!l->command || !l->state || !l->brightness || !l->effect)
			return mqled_fail(e, ENOMEM, "out of memory");
		if (mqtt_topics_command(mt->topic, l->name, l->command, TOPIC_MAX) < 0 ||
			mqtt_topics_state(mt->topic, l->name, l->state, TOPIC_MAX) < 0 ||
			mqtt_topics_brightness(mt->topic, l->name, l->brightness, TOPIC_MAX) < 0 ||
			mqtt_topics_effect(mt->topic, l->name, l->effect, TOPIC_MAX) < 0)
			return mqled_fail(e, ENAMETOOLONG, "%s: the topic is too long for the LED's topics under it",
				opt->queue_text);
	}
	if (mqtt_topics_availability(mt->topic, mt->availability, sizeof(mt->availability)) < 0)
		return mqled_fail(e, ENAMETOOLONG, "%s: the topic is too long for the topics under it",
			opt->queue_text);
	if (mt->link.dl->will_set_v5(mt->link.mosq, mt->availability, (int)strlen(MQTT_TOPICS_OFFLINE),
		    MQTT_TOPICS_OFFLINE, 1, true, NULL) != MOSQ_ERR_SUCCESS)
		return mqled_fail(e, ENOMEM, "%s: cannot set the Last Will", opt->queue_text);
	return 0;
}

static int mqtt_open(struct transport *t, struct mqled_error *e)
{
	struct mqtt_transport *mt = of(t);
	int r;

	mt->retry_ms = RETRY_FIRST_MS;
	if ((r = open_link(mt, e)) < 0)
		return r;
	if ((r = make_topics(mt, e)) < 0) {
		release(mt);
		return r;
	}
	const struct mqtt_dl *dl = mt->link.dl;
	dl->connect_v5_callback_set(mt->link.mosq, on_connect);
	dl->disconnect_v5_callback_set(mt->link.mosq, on_disconnect);
	dl->publish_v5_callback_set(mt->link.mosq, on_publish);
	dl->message_v5_callback_set(mt->link.mosq, on_message);
	dl->subscribe_v5_callback_set(mt->link.mosq, on_subscribe);

	/* the first connect is waited for, so that a broker that refuses the
	 * credentials is said on the terminal, before --daemon detaches */
	int64_t end = monotonic_ns() + FIRST_CONNECT_MS * 1000000LL;
	while (!mt->connected && !mt->fatal && monotonic_ns() < end)
		if (pump(mt, mqtt_link_ms_until(end)) == -EINTR)
			break;
	if (mt->fatal) {
		release(mt);
		return mqled_logged(e, EACCES); /* by on_connect */
	}
	snprintf(t->name, sizeof(t->name), "topic %s on %s", mt->topic, mt->link.where);
	snprintf(t->started, sizeof(t->started), "topic %s on %s (%s)", mt->topic, mt->link.where,
		mt->connected ? "connected" : "not connected yet");
	return 0;
}

const struct transport_backend transport_mqtt_backend = {
	.size = sizeof(struct mqtt_transport),
	.open = mqtt_open,
	.ready = mqtt_ready,
	.receive = mqtt_receive,
	.answer = mqtt_answer,
	.state = mqtt_state,
	.shutdown = mqtt_shutdown,
	.close = mqtt_close,
};
