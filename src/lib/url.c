/* SPDX-License-Identifier: GPL-2.0-or-later */
/* url.c - network queue addresses split into scheme, user, hosts, path and
 * query (url.h). Pure: every failure is worded in a parse_error. */
#include "config.h"
#include "lib/url.h"

#include <errno.h>
#include <string.h>

static const struct {
	const char *name;
	enum url_scheme scheme;
	bool tls;
	unsigned short port;
} schemes[] = {
	{ "amqp", URL_AMQP, false, 5672 },
	{ "amqps", URL_AMQPS, true, 5671 },
	{ "mqtt", URL_MQTT, false, 1883 },
	{ "mqtts", URL_MQTTS, true, 8883 },
};
#define NSCHEMES (sizeof(schemes) / sizeof(schemes[0]))

const char *url_scheme_name(enum url_scheme s)
{
	for (size_t i = 0; i < NSCHEMES; i++)
		if (schemes[i].scheme == s)
			return schemes[i].name;
	return "?";
}

/* The scheme TEXT starts with, and the length of "scheme://"; -1 if none. */
static int match_scheme(const char *text, size_t *skip)
{
	for (size_t i = 0; i < NSCHEMES; i++) {
		size_t n = strlen(schemes[i].name);
		if (!strncmp(text, schemes[i].name, n) && !strncmp(text + n, "://", 3)) {
			*skip = n + 3;
			return (int)i;
		}
	}
	return -1;
}

bool url_is_network(const char *text)
{
	size_t skip;
	return text && match_scheme(text, &skip) >= 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(const char *in, size_t len, char *out, size_t size, const char *what, struct parse_error *e)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i];
		if (c == '%') {
			if (len - i < 3 || hexval(in[i + 1]) < 0 || hexval(in[i + 2]) < 0)
				return parse_fail(e, "%s: '%%' must be followed by two hex digits (%%2F for '/')",
					what);
			c = hexval(in[i + 1]) * 16 + hexval(in[i + 2]);
			if (c == 0)
				return parse_fail(e, "%s: %%00 (a NUL byte) is not allowed", what);
			i += 2;
		}
		if (o + 1 >= size)
			return parse_fail(e, "%s is over the limit of %zu bytes", what, size - 1);
		out[o++] = (char)c;
	}
	if (o == 0)
		return parse_fail(e, "%s is empty", what);
	out[o] = '\0';
	return (int)o;
}

/* One "host[:port]" or "[v6]:port" of LEN bytes at TEXT into H. */
static int parse_host(const char *text, size_t len, unsigned short defport, struct url_host *h, struct parse_error *e)
{
	const char *end = text + len, *port = NULL;
	const char *name = text;
	size_t nlen;

	if (len && text[0] == '[') {
		const char *close = memchr(text, ']', len);
		if (!close)
			return parse_fail(e, "host '%.*s': an IPv6 address needs its closing ']'",
				(int)(len > 60 ? 60 : len), text);
		name = text + 1;
		nlen = (size_t)(close - name);
		if (close + 1 < end) {
			if (close[1] != ':')
				return parse_fail(e, "host '%.*s': only ':PORT' may follow ']'",
					(int)(len > 60 ? 60 : len), text);
			port = close + 2;
		}
	} else {
		const char *colon = memchr(text, ':', len);
		nlen = colon ? (size_t)(colon - text) : len;
		if (colon)
			port = colon + 1;
	}
	if (nlen == 0)
		return parse_fail(e, "a host is missing: give amqp://HOST/... (a comma-separated list for failover)");
	if (nlen > URL_HOST_MAX)
		return parse_fail(e, "host name is %zu bytes long, over the limit of %d", nlen, URL_HOST_MAX);
	for (size_t i = 0; i < nlen; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c <= ' ' || c >= 0x7f || strchr("/?#@%", c))
			return parse_fail(e, "host '%.*s': byte 0x%02x is not allowed in a host name",
				(int)(nlen > 60 ? 60 : nlen), name, c);
	}
	memcpy(h->name, name, nlen);
	h->name[nlen] = '\0';
	h->port = defport;
	if (port) {
		unsigned long v = 0;
		if (port == end)
			return parse_fail(e, "host '%s': ':' without a port number", h->name);
		for (const char *p = port; p < end; p++) {
			if (*p < '0' || *p > '9' || v > 65535)
				return parse_fail(e, "port '%.*s' of host '%s' is not a number 1..65535",
					(int)(end - port > 20 ? 20 : end - port), port, h->name);
			v = v * 10 + (unsigned long)(*p - '0');
		}
		if (v < 1 || v > 65535)
			return parse_fail(e, "port %lu of host '%s' is not in 1..65535", v, h->name);
		h->port = (unsigned short)v;
	}
	return 0;
}

int url_parse(const char *text, struct net_url *u, struct parse_error *e)
{
	size_t skip;
	int si;

	memset(u, 0, sizeof(*u));
	errno = EINVAL;
	if (!text || (si = match_scheme(text, &skip)) < 0)
		return parse_fail(e, "'%.60s' is not amqp://, amqps://, mqtt:// or mqtts://", text ? text : "");
	u->scheme = schemes[si].scheme;
	u->tls = schemes[si].tls;

	const char *p = text + skip;
	const char *auth_end = p + strcspn(p, "/?#");
	if (*auth_end == '#')
		return parse_fail(e, "'#' is not allowed here (a fragment has no meaning in a queue address)");

	/* user@ */
	const char *at = memchr(p, '@', (size_t)(auth_end - p));
	if (at) {
		if (memchr(p, ':', (size_t)(at - p)))
			return parse_fail(e,
				"a password does not go in the URL, where ps(1) shows it: give only user@, "
				"and the password in MQTOOLS_PASSWORD or with --password-file FILE");
		if (url_decode(p, (size_t)(at - p), u->user, sizeof(u->user), "user name", e) < 0)
			return -1;
		u->has_user = true;
		p = at + 1;
	}

	/* host[:port][,host[:port]...] */
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(auth_end - p));
		const char *hend = comma ? comma : auth_end;
		if (u->nhosts == URL_MAX_HOSTS)
			return parse_fail(e, "more than %d hosts in the URL", URL_MAX_HOSTS);
		if (parse_host(p, (size_t)(hend - p), schemes[si].port, &u->hosts[u->nhosts], e) < 0)
			return -1;
		u->nhosts++;
		if (!comma)
			break;
		p = comma + 1;
	}

	/* /path?query */
	p = auth_end;
	if (*p == '/')
		p++;
	else if (*p != '?' && *p != '\0')
		return parse_fail(e, "the hosts must be followed by '/'");
	size_t plen = strcspn(p, "?#");
	if (p[plen] == '#')
		return parse_fail(e, "'#' must be written %%23 in a URL");
	if (plen > URL_PATH_MAX)
		return parse_fail(e, "the URL's path is %zu bytes long, over the limit of %d", plen, URL_PATH_MAX);
	memcpy(u->path, p, plen);
	u->path[plen] = '\0';
	p += plen;
	if (*p == '?') {
		size_t qlen = strlen(p + 1);
		if (qlen > URL_QUERY_MAX)
			return parse_fail(e, "the URL's query is %zu bytes long, over the limit of %d", qlen,
				URL_QUERY_MAX);
		if (strchr(p + 1, '#'))
			return parse_fail(e, "'#' must be written %%23 in a URL");
		memcpy(u->query, p + 1, qlen + 1);
		u->has_query = true;
	}
	return 0;
}

int url_query_next(const char **cursor, char *key, size_t ksize, char *val, size_t vsize, struct parse_error *e)
{
	const char *p = *cursor;

	while (*p == '&')
		p++;
	if (!*p) {
		*cursor = p;
		return 0;
	}
	size_t len = strcspn(p, "&");
	const char *eq = memchr(p, '=', len);
	if (!eq)
		return parse_fail(e, "query '%.*s': needs NAME=VALUE", (int)(len > 40 ? 40 : len), p);
	if (url_decode(p, (size_t)(eq - p), key, ksize, "query parameter name", e) < 0)
		return -1;
	if (url_decode(eq + 1, (size_t)(p + len - eq - 1), val, vsize, key, e) < 0)
		return -1;
	*cursor = p + len;
	return 1;
}
