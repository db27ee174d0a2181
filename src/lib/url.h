/* SPDX-License-Identifier: GPL-2.0-or-later */
/* url.h - the network queue addresses of mqtools(7), split into their parts:
 *   amqp[s]://[user@]host[:port][,host[:port]...]/[vhost/]queue
 *   mqtt[s]://[user@]host[:port][,host[:port]...]/topic/levels[?qos=N]
 * A comma-separated list of hosts is tried in order (failover). An IPv6
 * address is written in brackets, [::1]:5672. The path and the query are
 * kept as written: each backend decodes its own parts with url_decode(),
 * because a '/' means something else in each (a vhost separator in amqp://,
 * a topic level in mqtt://). A password in the URL is refused: ps(1) shows
 * the command line to every user. */
#ifndef MQTOOLS_URL_H
#define MQTOOLS_URL_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/parse.h"

enum url_scheme { URL_AMQP, URL_AMQPS, URL_MQTT, URL_MQTTS };

#define URL_MAX_HOSTS 8
#define URL_HOST_MAX 255 /* a DNS name's limit */
#define URL_PATH_MAX 2047
#define URL_QUERY_MAX 511
#define URL_USER_MAX 255

struct url_host {
	char name[URL_HOST_MAX + 1]; /* without IPv6's brackets */
	unsigned short port;         /* the scheme's default when not given */
};

struct net_url {
	enum url_scheme scheme;
	bool tls; /* amqps, mqtts */
	bool has_user;
	char user[URL_USER_MAX + 1]; /* decoded */
	size_t nhosts;
	struct url_host hosts[URL_MAX_HOSTS];
	char path[URL_PATH_MAX + 1]; /* after the '/' that ends the hosts; raw */
	bool has_query;
	char query[URL_QUERY_MAX + 1]; /* after '?'; raw */
};

/* Whether TEXT starts with a network scheme (amqp://, mqtts://, ...). */
bool url_is_network(const char *text);
/* Split TEXT. Errors name the part that is wrong. */
int url_parse(const char *text, struct net_url *u, struct parse_error *e);
/* Percent-decode LEN bytes of IN into OUT (SIZE bytes, NUL-terminated).
 * WHAT names the part for errors ("queue name", "topic"). %00, a bad
 * escape and an empty result are refused. Returns the decoded length. */
int url_decode(const char *in, size_t len, char *out, size_t size, const char *what, struct parse_error *e);
/* Walk a query "k=v&k=v": the next pair, decoded, into KEY and VAL;
 * *CURSOR starts at the query and moves on. 1: a pair, 0: the end, -1: bad. */
int url_query_next(const char **cursor, char *key, size_t ksize, char *val, size_t vsize, struct parse_error *e);
/* "amqp", "mqtts", ... */
const char *url_scheme_name(enum url_scheme s);

#endif
