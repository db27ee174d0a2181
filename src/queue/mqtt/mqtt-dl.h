/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqtt-dl.h - libmosquitto, loaded on first use of an mqtt:// address.
 * The tools link no broker client: a shell loop of `mqsend /q msg` must not
 * pay for loading libmosquitto and libssl at every start. The first mqtt://
 * open calls mqtt_dl_load(), which dlopens libmosquitto.so.1, resolves
 * every function its users (mqtt.c, mqtt-link.c, mqled) call into a table
 * and runs mosquitto_lib_init() once. Only the header is needed at build
 * time (configure's HAVE_MQTT); the types come from it, so each pointer
 * has the library's own prototype. */
#ifndef MQTOOLS_QUEUE_MQTT_DL_H
#define MQTOOLS_QUEUE_MQTT_DL_H

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include "queue/queue.h"

/* The soname loaded: Debian's libmosquitto1. */
#define MQTT_DL_SONAME "libmosquitto.so.1"

/* Every libmosquitto call used anywhere in mqtools. X(NAME) for
 * mosquitto_NAME. */
/* clang-format off */
#define MQTT_DL_FUNCTIONS(X) \
	X(lib_version) X(lib_init) X(strerror) X(connack_string) X(reason_string) \
	X(new) X(destroy) X(int_option) X(string_option) X(threaded_set) \
	X(username_pw_set) X(tls_set) X(tls_opts_set) X(will_set_v5) X(will_clear) \
	X(connect_bind_v5) X(reconnect) X(disconnect_v5) \
	X(reconnect_delay_set) X(max_inflight_messages_set) \
	X(loop) X(loop_read) X(loop_write) X(loop_misc) X(socket) X(want_write) \
	X(publish_v5) X(subscribe_v5) X(unsubscribe_v5) \
	X(connect_v5_callback_set) X(disconnect_v5_callback_set) X(publish_v5_callback_set) \
	X(message_v5_callback_set) X(subscribe_v5_callback_set) X(unsubscribe_v5_callback_set) \
	X(log_callback_set) \
	X(property_add_byte) X(property_add_int16) X(property_add_int32) X(property_add_binary) X(property_add_string) \
	X(property_read_byte) X(property_read_int16) X(property_read_int32) X(property_read_binary) X(property_read_string) \
	X(property_free_all) X(pub_topic_check) X(sub_topic_check) X(topic_matches_sub)
/* clang-format on */

struct mqtt_dl {
/* NOLINTNEXTLINE(bugprone-macro-parentheses): NAME is a member's name */
#define MQTT_DL_FIELD(name) __typeof__(&mosquitto_##name) name;
	MQTT_DL_FUNCTIONS(MQTT_DL_FIELD)
#undef MQTT_DL_FIELD
};

/* The table, loading the library and initialising it at the first call;
 * later calls return the same table at once. 0, or -ELIBACC with WHY
 * naming the library, what failed (dlerror) and the package to install.
 * Not thread-safe at the first call: mqtools' tools are single-threaded. */
int mqtt_dl_load(const struct mqtt_dl **out, struct queue_detail *why);

#endif
