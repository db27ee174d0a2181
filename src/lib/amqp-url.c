/* SPDX-License-Identifier: GPL-2.0-or-later */
/* amqp-url.c - the vhost and queue of an amqp:// URL (see amqp-url.h). */
#include "config.h"
#include "lib/amqp-url.h"

#include <string.h>

int amqp_url_target(const struct net_url *u, struct amqp_target *t, struct parse_error *e)
{
	const char *path = u->path;
	const char *slash = strchr(path, '/');

	if (u->has_query)
		return parse_fail(e, "amqp:// takes no '?%.40s': its options are the tools' own", u->query);
	if (!*path)
		return parse_fail(e,
			"amqp:// needs a queue name after the host: amqp://host/queue or amqp://host/vhost/queue");
	if (slash && strchr(slash + 1, '/'))
		return parse_fail(e,
			"'%.60s': the path is [vhost/]queue, with one '/' at most (a '/' in a name is %%2F)", path);
	if (!slash) {
		strcpy(t->vhost, "/");
		return url_decode(path, strlen(path), t->queue, sizeof(t->queue), "queue name", e) < 0 ? -1 : 0;
	}
	if (slash == path)
		return parse_fail(e,
			"the vhost before '/' is empty: the default vhost is written %%2F (amqp://host/%%2F/queue)");
	if (url_decode(path, (size_t)(slash - path), t->vhost, sizeof(t->vhost), "vhost", e) < 0)
		return -1;
	if (!slash[1])
		return parse_fail(e, "amqp:// needs a queue name after the vhost: amqp://host/%.40s/queue", t->vhost);
	return url_decode(slash + 1, strlen(slash + 1), t->queue, sizeof(t->queue), "queue name", e) < 0 ? -1 : 0;
}
