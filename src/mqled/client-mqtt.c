/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client-mqtt.c - the mqled client over MQTT 5 request/response (see
 * client.h, mqtt-topics.h and mqled(1), MQTT):
 * 1. subscribe to T/availability: its retained value says whether a
 *    controller is online;
 * 2. subscribe to a reply topic of its own, T/reply/ID (ID random);
 *    the broker answers the two in order, so once the second SUBACK is in,
 *    the retained availability has arrived if there is one;
 * 3. if it is not "online", wait for it until the deadline: a controller
 *    starting at the same time says online once it serves (no value or
 *    "offline" until the deadline: exit 3, nothing sent);
 * 4. publish the command at QoS 1 with that response topic and random
 *    correlation data;
 * 5. take the first message on the reply topic that carries exactly that
 *    correlation data; anything else is ignored and counted. Who may
 *    publish on T/reply/ at all is the broker's ACL (mqled(1)). */
#include "config.h"
#include "mqled/client.h"
#include "mqled/auth.h"
#include "mqled/mqtt-topics.h"
#include "mqled/protocol.h"
#include "queue/mqtt/mqtt-link.h"
#include "lib/clock.h"
#include "lib/signals.h"
#include "cli/cli.h"
#include "cli/queue-cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEPALIVE_S 30
#define TOPIC_MAX (MQTT_TOPIC_MAX + 64)

enum step { CONNECTING, SUBSCRIBING_AVAILABILITY, SUBSCRIBING_REPLY, AWAITING_CONTROLLER, WAITING, DONE };

struct client {
	struct mqtt_url url;
	struct mqtt_link link;
	const char *queue_text, *command;
	bool show_answer;
	enum step step;
	int status; /* once DONE */
	int sub_mid[2];
	char availability_topic[TOPIC_MAX], reply_topic[TOPIC_MAX];
	char availability[16]; /* its retained value, "" none */
	char correlation[LEDAUTH_HEX + 1];
	unsigned ignored;
	int64_t offline_ns; /* when it went offline while we waited, or 0 */
};

/* A controller told to stop says offline before it answers (its answer
 * comes once it has let everything go): so much time is left for the
 * answer after an offline. */
#define OFFLINE_GRACE_NS 500000000LL

static void finish(struct client *c, int status)
{
	c->step = DONE;
	c->status = status;
}

/* No controller came online before the deadline. */
static void no_controller(struct client *c)
{
	char hint[TOPIC_MAX + 64];
	snprintf(hint, sizeof(hint), "'mqled -q %s run'", c->queue_text);
	cli_warn("%s: no controller: %s %s; start one with %s", c->queue_text, c->availability_topic,
		c->availability[0] ? "says offline" : "has no value (no controller ever ran there)", hint);
	finish(c, MQ_EXIT_NOQUEUE);
}

static void send_command(struct client *c)
{
	const struct mqtt_dl *dl = c->link.dl;
	mosquitto_property *props = NULL;

	if (strcmp(c->availability, MQTT_TOPICS_ONLINE) != 0) {
		c->step = AWAITING_CONTROLLER; /* on_message sends it once online */
		return;
	}
	if (dl->property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, c->reply_topic) != MOSQ_ERR_SUCCESS ||
		dl->property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, c->correlation, LEDAUTH_HEX) !=
			MOSQ_ERR_SUCCESS)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	int r = mqtt_link_result(&c->link,
		dl->publish_v5(c->link.mosq, NULL, c->url.topic, (int)strlen(c->command), c->command, 1, false, props));
	dl->property_free_all(&props);
	if (r < 0) {
		cli_warn("%s: cannot send the command: %s", c->queue_text, mqtt_link_strerror(&c->link));
		finish(c, MQ_EXIT_FAILURE);
		return;
	}
	c->step = WAITING;
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc, int flags, const mosquitto_property *props)
{
	struct client *c = obj;
	(void)flags;
	(void)props;
	if (rc != 0) {
		cli_warn("%s: the broker at %s refused the connection: %s%s", c->queue_text, c->link.where,
			mqtt_link_reason(&c->link, rc),
			mqtt_link_refused_auth(rc) ?
				"; check the user in the address and the password (MQTOOLS_PASSWORD or --password-file)" :
				"");
		finish(c, MQ_EXIT_FAILURE);
		return;
	}
	c->step = SUBSCRIBING_AVAILABILITY;
	c->link.dl->subscribe_v5(mosq, &c->sub_mid[0], c->availability_topic, 1, 0, NULL);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted,
	const mosquitto_property *props)
{
	struct client *c = obj;
	(void)props;
	if (n < 1 || granted[0] >= 0x80) {
		cli_warn("%s: the broker refused to subscribe this user to %s: %s; its ACL must let the controller's "
			 "clients read %s and %s/reply/#",
			c->queue_text, mid == c->sub_mid[0] ? c->availability_topic : c->reply_topic,
			mqtt_link_reason(&c->link, n < 1 ? MQTT_RC_UNSPECIFIED : granted[0]), c->availability_topic,
			c->url.topic);
		finish(c, MQ_EXIT_FAILURE);
		return;
	}
	if (c->step == SUBSCRIBING_AVAILABILITY && mid == c->sub_mid[0]) {
		c->step = SUBSCRIBING_REPLY;
		c->link.dl->subscribe_v5(mosq, &c->sub_mid[1], c->reply_topic, 1, 0, NULL);
	} else if (c->step == SUBSCRIBING_REPLY && mid == c->sub_mid[1]) {
		send_command(c);
	}
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid, int rc, const mosquitto_property *props)
{
	struct client *c = obj;
	(void)mosq;
	(void)mid;
	(void)props;
	if (rc >= 0x80 && c->step == WAITING) {
		cli_warn("%s: the broker refused the command: %s; its ACL must let this user write %s", c->queue_text,
			mqtt_link_reason(&c->link, rc), c->url.topic);
		finish(c, MQ_EXIT_FAILURE);
	}
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg,
	const mosquitto_property *props)
{
	struct client *c = obj;
	const struct mqtt_dl *dl = c->link.dl;
	(void)mosq;

	if (!strcmp(msg->topic, c->availability_topic)) {
		size_t n = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
		if (n >= sizeof(c->availability))
			n = sizeof(c->availability) - 1;
		memcpy(c->availability, msg->payload, n);
		c->availability[n] = '\0';
		if (c->step == WAITING && strcmp(c->availability, MQTT_TOPICS_ONLINE) != 0 && !c->offline_ns)
			c->offline_ns = monotonic_ns();
		if (c->step == AWAITING_CONTROLLER)
			send_command(c);
		return;
	}
	if (strcmp(msg->topic, c->reply_topic) != 0 || c->step != WAITING)
		return;
	void *corr = NULL;
	uint16_t corr_len = 0;
	dl->property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &corr_len, false);
	bool ours = corr && corr_len == LEDAUTH_HEX && !memcmp(corr, c->correlation, LEDAUTH_HEX);
	free(corr);
	if (!ours) {
		c->ignored++;
		return;
	}
	size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	finish(c, ledclient_answer(c->queue_text, c->command, msg->payload, len, c->show_answer));
}

/* C's client, its topics and callbacks; a failure is said and exits. */
static void client_open(struct client *c, const struct queue_address *addr, const struct mqled_credentials *cred)
{
	const struct mqtt_link_options lo = { .password = cred->password,
		.tls_cafile = cred->tls_cafile,
		.tls_cert = cred->tls_cert,
		.tls_key = cred->tls_key };
	struct queue_detail why = { "" };
	struct parse_error e;
	char id[LEDAUTH_HEX + 1], prefix[TOPIC_MAX];
	int r;

	if (mqtt_url_parse(addr->url, MQTT_TOPIC_NAME, &c->url, &e) < 0)
		cli_usage_error("%s", e.msg);
	if ((r = mqtt_link_open(&c->link, &c->url, &lo, c, &why)) < 0)
		exit(queue_cli_error(c->queue_text, QUEUE_MQTT, r, "open", &why));
	if (strlen(c->command) > PROTOCOL_MAX_LEN)
		cli_usage_error("the command is longer than %d bytes", PROTOCOL_MAX_LEN);
	if ((r = ledauth_new_nonce(id)) < 0 || (r = ledauth_new_nonce(c->correlation)) < 0)
		cli_die(MQ_EXIT_FAILURE, "cannot draw random numbers: %s", strerror(-r));
	if (mqtt_topics_availability(c->url.topic, c->availability_topic, TOPIC_MAX) < 0 ||
		mqtt_topics_reply_prefix(c->url.topic, prefix, sizeof(prefix)) < 0 ||
		snprintf(c->reply_topic, sizeof(c->reply_topic), "%s%s", prefix, id) >= (int)sizeof(c->reply_topic))
		cli_usage_error("%s: the topic is too long for the topics under it", c->queue_text);
	const struct mqtt_dl *dl = c->link.dl;
	dl->connect_v5_callback_set(c->link.mosq, on_connect);
	dl->subscribe_v5_callback_set(c->link.mosq, on_subscribe);
	dl->publish_v5_callback_set(c->link.mosq, on_publish);
	dl->message_v5_callback_set(c->link.mosq, on_message);
}

/* Each of the URL's hosts in turn until one takes the connection: 0, or
 * -1 when none did (said). */
static int client_connect(struct client *c)
{
	size_t tried = 0;

	while (mqtt_link_connect(&c->link, KEEPALIVE_S, NULL, NULL) < 0) {
		if (++tried == c->url.net.nhosts || signals_stop_requested()) {
			cli_warn("%s: cannot reach the broker at %s: %s", c->queue_text, c->link.where,
				signals_stop_requested() ? "interrupted" : mqtt_link_strerror(&c->link));
			return -1;
		}
	}
	return 0;
}

/* The steps, until DONE or the deadline: a controller that went offline
 * while we waited has OFFLINE_GRACE_NS more to answer. */
static void client_wait(struct client *c, int64_t deadline)
{
	while (c->step != DONE) {
		if (c->offline_ns && monotonic_ns() >= c->offline_ns + OFFLINE_GRACE_NS) {
			cli_warn("%s: the controller went offline before answering", c->queue_text);
			finish(c, MQ_EXIT_TIMEOUT);
			break;
		}
		int64_t until = c->offline_ns && c->offline_ns + OFFLINE_GRACE_NS < deadline ?
			c->offline_ns + OFFLINE_GRACE_NS :
			deadline;
		int ms = mqtt_link_ms_until(until);
		if (ms == 0 && until == deadline)
			break;
		int r = mqtt_link_wait(&c->link, ms);
		if (r == -EINTR) {
			cli_warn("%s: interrupted by %s before the controller answered", c->queue_text,
				strsignal(signals_stop_requested()));
			finish(c, MQ_EXIT_FAILURE);
		} else if (r < 0 && c->step != DONE) {
			cli_warn("%s: lost the broker at %s: %s", c->queue_text, c->link.where,
				mqtt_link_strerror(&c->link));
			finish(c, MQ_EXIT_FAILURE);
		}
	}
}

int ledclient_mqtt_run(const struct queue_address *addr, const char *queue_text, const char *command, bool show_answer,
	int64_t timeout_ns, const struct mqled_credentials *cred)
{
	struct client *c = calloc(1, sizeof(*c));
	int status = MQ_EXIT_FAILURE;

	if (!c)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	c->queue_text = queue_text;
	c->command = command;
	c->show_answer = show_answer;
	client_open(c, addr, cred);
	signals_install();
	int64_t deadline = monotonic_after_ns(timeout_ns);
	if (client_connect(c) == 0) {
		client_wait(c, deadline);
		if (c->ignored)
			cli_warn("%s: ignored %u message%s on the reply topic without this command's correlation data: "
				 "not from the controller",
				queue_text, c->ignored, c->ignored == 1 ? "" : "s");
		if (c->step == AWAITING_CONTROLLER)
			no_controller(c);
		if (c->step == DONE) {
			status = c->status;
		} else {
			cli_warn("%s: no answer from the controller within %.3g s (--timeout): %s", queue_text,
				(double)timeout_ns / 1e9,
				c->step == WAITING            ? "the controller is busy or stuck; see its log" :
					c->step == CONNECTING ? "the broker did not take the connection" :
								"the broker did not take the subscriptions");
			status = MQ_EXIT_TIMEOUT;
		}
		if (mqtt_link_up(&c->link))
			mqtt_link_disconnect(&c->link);
	}
	mqtt_link_close(&c->link);
	free(c);
	return status;
}
