/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-dl.h - rabbitmq-c (librabbitmq.so.4), loaded with dlopen(3) at the
 * first amqp:// use and called through one table of function pointers.
 * Linking it would load libssl and libcrypto into every tool at every start,
 * kernel queues included: that start-up cost is what the lazy load avoids
 * (bench/RESULTS.md). Only the amqp backend includes this. */
#ifndef MQTOOLS_QUEUE_AMQP_DL_H
#define MQTOOLS_QUEUE_AMQP_DL_H

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include "queue/queue.h"

/* The soname loaded: the ABI of rabbitmq-c 0.10 and 0.11 (Debian 12). */
#define AMQP_DL_SONAME "librabbitmq.so.4"

/* Every function used, once: X(name). */
/* clang-format off */
#define AMQP_DL_FUNCTIONS(X) \
	X(amqp_new_connection) X(amqp_destroy_connection) X(amqp_tcp_socket_new) X(amqp_ssl_socket_new) \
	X(amqp_ssl_socket_set_cacert) X(amqp_ssl_socket_set_key) X(amqp_ssl_socket_set_verify_peer) \
	X(amqp_ssl_socket_set_verify_hostname) X(amqp_socket_open_noblock) X(amqp_login_with_properties) \
	X(amqp_channel_open) X(amqp_get_rpc_reply) X(amqp_confirm_select) X(amqp_queue_declare) \
	X(amqp_queue_delete) X(amqp_basic_publish) X(amqp_basic_qos) X(amqp_basic_consume) \
	X(amqp_basic_ack) X(amqp_basic_nack) X(amqp_consume_message) X(amqp_destroy_envelope) \
	X(amqp_simple_wait_frame_noblock) X(amqp_maybe_release_buffers) X(amqp_error_string2) \
	X(amqp_channel_close) X(amqp_connection_close) X(amqp_set_rpc_timeout) \
	X(amqp_set_handshake_timeout) X(amqp_get_sockfd) X(amqp_frames_enqueued) X(amqp_data_in_buffer) \
	X(amqp_cstring_bytes) X(amqp_read_message) X(amqp_destroy_message)
/* clang-format on */

struct amqp_dl {
/* NAME is a declarator here, which parentheses would not leave one */
#define AMQP_DL_MEMBER(name) __typeof__(name) *name; /* NOLINT(bugprone-macro-parentheses) */
	AMQP_DL_FUNCTIONS(AMQP_DL_MEMBER)
#undef AMQP_DL_MEMBER
	const amqp_table_t *empty_table;
};

/* The table, loaded at the first call; NULL when the library cannot be
 * loaded, with why (and the package to install) in WHY. */
const struct amqp_dl *amqp_dl_get(struct queue_detail *why);

#endif
