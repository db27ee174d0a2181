/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-link.h - one connection and channel to a RabbitMQ broker for an
 * amqp:// address: the hosts of its URL tried in order (failover), login,
 * and the wording of what the broker or the network said, as -errno plus a
 * queue_detail that names the broker and what to do. Private to the amqp
 * backend (amqp.c, amqp-publish.c, amqp-consume.c). */
#ifndef MQTOOLS_QUEUE_AMQP_LINK_H
#define MQTOOLS_QUEUE_AMQP_LINK_H

#include "lib/amqp-url.h"
#include "queue/amqp/amqp-dl.h"

#define AMQP_CHANNEL 1
#define AMQP_CONNECT_TIMEOUT_S 5
#define AMQP_RPC_TIMEOUT_S 15
/* After a lost connection, how long the tools try the URL's hosts again */
#define AMQP_RECONNECT_NS (30 * 1000000000LL)
/* RabbitMQ's own limit (max_message_size) is 128 MiB; a message is held
 * whole in memory at each end, so the tools stop lower. */
#define AMQP_MAX_MESSAGE (16u << 20)

struct amqp_link {
	const struct amqp_dl *dl;
	struct net_url url;
	struct amqp_target target;
	const char *password, *cafile, *cert, *key;
	amqp_connection_state_t conn;
	size_t host;         /* index in url.hosts of the broker connected */
	char where[300];     /* "amqp://127.0.0.1:5672", for messages */
	unsigned generation; /* connections made so far: a new one lost the old channel's state */
};

/* Split ADDR and connect (the hosts in order, the first that answers). */
int amqp_link_open(struct amqp_link *l, const struct queue_address *addr, const struct queue_open_options *opt,
	struct queue_detail *why);
/* Drop the connection and connect again, trying every host in turn for up
 * to AMQP_RECONNECT_NS; a stop signal ends the tries (-EINTR). */
int amqp_link_reconnect(struct amqp_link *l, struct queue_detail *why);
void amqp_link_close(struct amqp_link *l);
/* What an RPC reply R (during DOING: "declare", "consume") means: 0 for
 * a normal reply, else -errno, with words in WHY. */
int amqp_link_error(struct amqp_link *l, amqp_rpc_reply_t r, const char *doing, struct queue_detail *why);
/* The same for a library status (AMQP_STATUS_*). */
int amqp_link_status(struct amqp_link *l, int status, const char *doing, struct queue_detail *why);
/* Whether ERR (from the two above) means the connection is gone, and
 * another may do better. */
bool amqp_link_lost(int err);

#endif
