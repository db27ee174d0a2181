/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqpref - the reference for `mqsend | mqrecv` on amqp:// (bench/run):
 * rabbitmq-c linked directly doing the same work with no tool around it.
 *   amqpref send HOST PORT QUEUE N SIZE   N persistent messages of SIZE
 *       bytes, with publisher confirms (a window of 1024 outstanding, all
 *       confirmed before exit)
 *   amqpref recv HOST PORT QUEUE N        consume N with manual acks
 *       (prefetch 64, an ack every 32), each written to standard output */
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WINDOW 1024

static void die_reply(amqp_rpc_reply_t r, const char *what)
{
	if (r.reply_type != AMQP_RESPONSE_NORMAL) {
		fprintf(stderr, "amqpref: %s failed (%d)\n", what, (int)r.reply_type);
		exit(1);
	}
}

static amqp_connection_state_t connect_to(const char *host, int port)
{
	amqp_connection_state_t c = amqp_new_connection();
	amqp_socket_t *s = amqp_tcp_socket_new(c);
	if (!s || amqp_socket_open(s, host, port) != AMQP_STATUS_OK) {
		fprintf(stderr, "amqpref: cannot connect to %s:%d\n", host, port);
		exit(1);
	}
	die_reply(amqp_login(c, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest"), "login");
	amqp_channel_open(c, 1);
	die_reply(amqp_get_rpc_reply(c), "channel.open");
	return c;
}

/* Read confirms until at most LEFT are outstanding. */
static void confirms(amqp_connection_state_t c, unsigned long long *acked, unsigned long long sent,
	unsigned long long left)
{
	while (sent - *acked > left) {
		amqp_frame_t f;
		if (amqp_simple_wait_frame(c, &f) != AMQP_STATUS_OK)
			exit(1);
		if (f.frame_type == AMQP_FRAME_METHOD && f.payload.method.id == AMQP_BASIC_ACK_METHOD) {
			amqp_basic_ack_t *a = f.payload.method.decoded;
			*acked = a->multiple ? a->delivery_tag : *acked + 1;
		} else if (f.frame_type == AMQP_FRAME_METHOD && f.payload.method.id == AMQP_BASIC_NACK_METHOD) {
			fprintf(stderr, "amqpref: nack\n");
			exit(1);
		}
		amqp_maybe_release_buffers(c);
	}
}

static int send_all(amqp_connection_state_t c, const char *queue, unsigned long long n, size_t size)
{
	char *body = malloc(size + 1);
	unsigned long long acked = 0;
	amqp_basic_properties_t props = { ._flags = AMQP_BASIC_DELIVERY_MODE_FLAG,
		.delivery_mode = AMQP_DELIVERY_PERSISTENT };

	memset(body, 'x', size);
	amqp_confirm_select(c, 1);
	die_reply(amqp_get_rpc_reply(c), "confirm.select");
	for (unsigned long long i = 0; i < n; i++) {
		if (amqp_basic_publish(c, 1, amqp_cstring_bytes(""), amqp_cstring_bytes(queue), 1, 0, &props,
			    (amqp_bytes_t){ size, body }) != AMQP_STATUS_OK)
			return 1;
		if (i + 1 - acked >= WINDOW)
			confirms(c, &acked, i + 1, WINDOW / 2);
	}
	confirms(c, &acked, n, 0);
	free(body);
	return 0;
}

static int recv_all(amqp_connection_state_t c, const char *queue, unsigned long long n)
{
	static char out[65536];
	size_t used = 0;
	uint64_t last = 0, acked = 0;

	amqp_basic_qos(c, 1, 0, 64, 0);
	die_reply(amqp_get_rpc_reply(c), "basic.qos");
	amqp_basic_consume(c, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
	die_reply(amqp_get_rpc_reply(c), "basic.consume");
	for (unsigned long long i = 0; i < n; i++) {
		amqp_envelope_t e;
		amqp_maybe_release_buffers(c);
		die_reply(amqp_consume_message(c, &e, NULL, 0), "consume");
		if (used + e.message.body.len + 1 > sizeof(out)) {
			if (write(1, out, used) != (ssize_t)used)
				return 1;
			used = 0;
			/* what was written may be acked */
			if (last > acked && amqp_basic_ack(c, 1, last, 1) == AMQP_STATUS_OK)
				acked = last;
		}
		memcpy(out + used, e.message.body.bytes, e.message.body.len);
		used += e.message.body.len;
		out[used++] = '\n';
		last = e.delivery_tag;
		amqp_destroy_envelope(&e);
		if (last - acked >= 32) {
			if (write(1, out, used) != (ssize_t)used)
				return 1;
			used = 0;
			if (amqp_basic_ack(c, 1, last, 1) == AMQP_STATUS_OK)
				acked = last;
		}
	}
	if (used && write(1, out, used) != (ssize_t)used)
		return 1;
	if (last > acked)
		amqp_basic_ack(c, 1, last, 1);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv")) ||
		(!strcmp(argv[1], "send") && argc < 7)) {
		fprintf(stderr, "usage: amqpref send HOST PORT QUEUE N SIZE | recv HOST PORT QUEUE N\n");
		return 2;
	}
	amqp_connection_state_t c = connect_to(argv[2], atoi(argv[3]));
	unsigned long long n = strtoull(argv[5], NULL, 10);
	int r = !strcmp(argv[1], "send") ? send_all(c, argv[4], n, strtoull(argv[6], NULL, 10)) :
					   recv_all(c, argv[4], n);
	amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
	amqp_connection_close(c, AMQP_REPLY_SUCCESS);
	amqp_destroy_connection(c);
	return r;
}
