/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-url.h - what an amqp[s]:// URL's path means (mqtools(7)):
 *   /queue          the queue, in the default vhost "/"
 *   /vhost/queue    the queue in VHOST; "/" itself is written %2F
 * Both parts are percent-decoded: a '/' inside a name is %2F. A query is
 * refused (amqp:// takes none). Pure: called from address.c so that a bad
 * path is a usage error naming its part, and by the amqp backend. */
#ifndef MQTOOLS_AMQP_URL_H
#define MQTOOLS_AMQP_URL_H

#include "lib/parse.h"
#include "lib/url.h"

#define AMQP_NAME_MAX 255 /* AMQP 0-9-1 shortstr: queue and vhost names */

struct amqp_target {
	char vhost[AMQP_NAME_MAX + 1];
	char queue[AMQP_NAME_MAX + 1];
};

int amqp_url_target(const struct net_url *u, struct amqp_target *t, struct parse_error *e);

#endif
