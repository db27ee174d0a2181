/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqttref - the reference loop of bench/run's mqtt:// row: libmosquitto
 * linked directly doing what mqsend | mqrecv do, and no more. MQTT 5,
 * QoS 1, the sender waiting for each PUBACK; the receiver in the shared
 * subscription $share/mqtools/TOPIC with Receive Maximum 1, writing each
 * message and a newline to standard output.
 *   mqttref send PORT TOPIC COUNT SIZE
 *   mqttref recv PORT TOPIC COUNT
 * On 127.0.0.1 only. */
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int acked_mid = -1;
static long received;
static bool connected, subscribed;

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags, const mosquitto_property *p)
{
	(void)m, (void)obj, (void)flags, (void)p;
	if (rc) {
		fprintf(stderr, "mqttref: connection refused: %s\n", mosquitto_reason_string(rc));
		exit(1);
	}
	connected = true;
}

static void on_publish(struct mosquitto *m, void *obj, int mid, int rc, const mosquitto_property *p)
{
	(void)m, (void)obj, (void)rc, (void)p;
	acked_mid = mid;
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *g, const mosquitto_property *p)
{
	(void)m, (void)obj, (void)mid, (void)n, (void)g, (void)p;
	subscribed = true;
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg, const mosquitto_property *p)
{
	(void)m, (void)obj, (void)p;
	fwrite(msg->payload, 1, (size_t)msg->payloadlen, stdout);
	putchar('\n');
	received++;
}

static void run(struct mosquitto *m, bool *flag)
{
	while (!*flag)
		if (mosquitto_loop(m, 1000, 1) != MOSQ_ERR_SUCCESS) {
			fprintf(stderr, "mqttref: connection lost\n");
			exit(1);
		}
}

int main(int argc, char **argv)
{
	if (argc < 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv"))) {
		fprintf(stderr, "usage: mqttref send PORT TOPIC COUNT SIZE | recv PORT TOPIC COUNT\n");
		return 2;
	}
	bool send = !strcmp(argv[1], "send");
	int port = atoi(argv[2]);
	const char *topic = argv[3];
	long count = atol(argv[4]);
	mosquitto_lib_init();
	struct mosquitto *m = mosquitto_new(NULL, true, NULL);
	mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_int_option(m, MOSQ_OPT_RECEIVE_MAXIMUM, 1);
	mosquitto_connect_v5_callback_set(m, on_connect);
	mosquitto_publish_v5_callback_set(m, on_publish);
	mosquitto_subscribe_v5_callback_set(m, on_subscribe);
	mosquitto_message_v5_callback_set(m, on_message);
	if (mosquitto_connect_bind_v5(m, "127.0.0.1", port, 60, NULL, NULL) != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "mqttref: cannot connect to 127.0.0.1:%d\n", port);
		return 1;
	}
	run(m, &connected);
	if (send) {
		size_t size = argc > 5 ? (size_t)atol(argv[5]) : 16;
		char *data = malloc(size ? size : 1);
		memset(data, 'x', size);
		for (long i = 0; i < count; i++) {
			int mid;
			if (mosquitto_publish_v5(m, &mid, topic, (int)size, data, 1, false, NULL) != MOSQ_ERR_SUCCESS)
				return 1;
			while (acked_mid != mid)
				if (mosquitto_loop(m, 1000, 1) != MOSQ_ERR_SUCCESS)
					return 1;
		}
		free(data);
	} else {
		char filter[1024];
		snprintf(filter, sizeof(filter), "$share/mqtools/%s", topic);
		mosquitto_subscribe_v5(m, NULL, filter, 1, 0, NULL);
		run(m, &subscribed);
		while (received < count)
			if (mosquitto_loop(m, 1000, 1) != MOSQ_ERR_SUCCESS)
				return 1;
		fflush(stdout);
	}
	mosquitto_disconnect_v5(m, 0, NULL);
	mosquitto_destroy(m);
	mosquitto_lib_cleanup();
	return 0;
}
