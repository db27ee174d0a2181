/* SPDX-License-Identifier: GPL-2.0-or-later */
/* msgout.c - mqrecv's output. Messages are formatted into one buffer and
 * written with one write(2) per buffer-full (or when the queue runs dry).
 * Each buffered message is remembered with its priority or type and where
 * its bytes end, so that when a write fails, exactly the messages the
 * output did not take whole can be put back on the queue. */
#include "config.h"
#include "tools/msgout.h"
#include "lib/grow.h"
#include "lib/json.h"
#include "lib/mqtt-url.h"
#include "lib/termesc.h"
#include "lib/signals.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLUSH_AT 65536

struct pending_msg {
	size_t out_end; /* where its formatted bytes end in out */
	size_t raw_off; /* its bytes, in raw (or in out, for plain output) */
	size_t raw_len;
	long priority;
	size_t topic_off; /* mqtt://: its topic in topics; NO_TOPIC when none */
};
#define NO_TOPIC ((size_t)-1)

struct msgout {
	int fd;
	enum msgout_format format;
	bool escape;
	bool raw_in_out;    /* plain output: the message bytes are in out as they are */
	bool show_priority; /* plain output: "PRIORITY\t" before each message */
	char delim;         /* MSGOUT_NEWLINE and MSGOUT_NUL: the byte after each message */
	/* {"queue":NAME,"priority": with NAME as \u escapes at worst */
	char json_prefix[(NAME_MAX + 16) * 6 + 96];
	bool mqtt;                          /* JSON: a topic, and the priority is a QoS and a retained flag */
	char url_topic[MQTT_TOPIC_MAX + 1]; /* mqtt://: the address's, for a message without its own */
	char *topics;                       /* mqtt://: the topics of the messages buffered, each NUL-ended */
	size_t topics_len, topics_cap;
	char *out;
	size_t out_len, out_cap, out_done;
	char *raw;
	size_t raw_len, raw_cap;
	struct pending_msg *msgs;
	size_t nmsgs, msgs_cap;
	struct queue_message *failed;
	size_t batch; /* flush once this many messages are buffered */
};

/* Grow *BUF to NEED bytes. It always exists afterwards, even for NEED 0:
 * an empty message's data points into it too. */
static int reserve(char **buf, size_t *cap, size_t need)
{
	if (*buf && need <= *cap)
		return 0;
	size_t n = *cap ? *cap : FLUSH_AT * 2;
	while (n < need)
		n *= 2;
	char *p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}

/* A queue name as a JSON string; names may hold any byte but '/' and NUL,
 * so bytes that are not UTF-8 are given as \u00XX. */
static size_t json_name(char *dst, const char *name)
{
	size_t len = strlen(name);
	if (utf8_valid(name, len))
		return json_string(dst, name, len);
	char *p = dst;
	*p++ = '"';
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if (*s >= 0x80 || *s < 0x20 || *s == '"' || *s == '\\')
			p += sprintf(p, "\\u%04x", *s);
		else
			*p++ = (char)*s;
	}
	*p++ = '"';
	return (size_t)(p - dst);
}

struct msgout *msgout_new(int fd, enum msgout_format format, bool escape, const char *queue_name, enum queue_kind kind)
{
	struct msgout *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->fd = fd;
	o->format = format;
	o->escape = escape && format != MSGOUT_JSON;
	o->raw_in_out = !o->escape && format != MSGOUT_JSON;
	o->batch = MSGOUT_DEFAULT_BATCH;
	o->delim = format == MSGOUT_NUL ? '\0' : '\n';
	char *p = o->json_prefix;
	p += sprintf(p, "{\"queue\":");
	p += json_name(p, queue_name);
	if (kind == QUEUE_MQTT) {
		/* each message has its topic: the address's may be a filter */
		struct mqtt_url u;
		struct parse_error e;
		o->mqtt = true;
		if (mqtt_url_parse(queue_name, MQTT_TOPIC_FILTER, &u, &e) == 0)
			snprintf(o->url_topic, sizeof(o->url_topic), "%s", u.topic);
		return o;
	}
	sprintf(p, ",\"%s\":", kind == QUEUE_SYSV ? "type" : "priority");
	return o;
}

void msgout_set_batch(struct msgout *o, size_t n)
{
	o->batch = n ? n : 1;
}

void msgout_set_delimiter(struct msgout *o, int delim)
{
	o->delim = (char)delim;
}

void msgout_show_priority(struct msgout *o, bool show)
{
	o->show_priority = show && o->format != MSGOUT_JSON;
}

void msgout_free(struct msgout *o)
{
	if (!o)
		return;
	free(o->out);
	free(o->raw);
	free(o->msgs);
	free(o->failed);
	free(o->topics);
	free(o);
}

/* The topic of M, for JSON: its own, else the address's. */
static const char *topic_of(const struct msgout *o, const struct queue_message *m)
{
	return m->topic ? m->topic : o->url_topic;
}

/* M's line up to its size: the queue, and the priority, type or topic. */
static size_t format_json_head(const struct msgout *o, char *p, const struct queue_message *m)
{
	char *start = p;
	if (o->mqtt) {
		p += sprintf(p, "%s", o->json_prefix);
		if (*topic_of(o, m)) {
			p += sprintf(p, ",\"topic\":");
			p += json_name(p, topic_of(o, m));
		}
		p += sprintf(p, ",\"qos\":%ld,\"retained\":%s", m->priority & ~(long)QUEUE_MQTT_RETAINED,
			(m->priority & QUEUE_MQTT_RETAINED) ? "true" : "false");
	} else
		p += sprintf(p, "%s%ld", o->json_prefix, m->priority);
	return (size_t)(p - start);
}

size_t msgout_json_head(const struct msgout *o, char *buf, long priority)
{
	struct queue_message m = { .priority = priority };
	return format_json_head(o, buf, &m);
}

static size_t format_json(struct msgout *o, char *p, const struct queue_message *m)
{
	char *start = p;
	bool text = utf8_valid(m->data, m->len);
	p += format_json_head(o, p, m);
	p += sprintf(p, ",\"size\":%zu,\"encoding\":\"%s\",\"data\":", m->len, text ? "text" : "base64");
	if (text) {
		p += json_string(p, m->data, m->len);
	} else {
		*p++ = '"';
		p += base64_encode(p, m->data, m->len);
		*p++ = '"';
	}
	*p++ = '}';
	*p++ = '\n';
	return (size_t)(p - start);
}

int msgout_add(struct msgout *o, const struct queue_message *m)
{
	size_t worst;
	int r;

	switch (o->format) {
	case MSGOUT_JSON:
		worst = strlen(o->json_prefix) + 128 + json_string_size(m->len) + base64_size(m->len) +
			(o->mqtt ? json_string_size(strlen(topic_of(o, m))) : 0);
		break;
	default: worst = (o->escape ? TERMESC_SIZE(m->len) : m->len) + 1 + (o->show_priority ? 24 : 0);
	}
	/* the message goes in first, whatever happens: a failed flush then
	 * leaves it among the pending ones to requeue */
	if ((r = reserve(&o->out, &o->out_cap, o->out_len + worst)) < 0)
		return r;
	struct pending_msg *msgs = grow_array(o->msgs, &o->msgs_cap, o->nmsgs, sizeof(*msgs), 64);
	if (!msgs)
		return -ENOMEM;
	o->msgs = msgs;
	struct pending_msg *pm = &o->msgs[o->nmsgs];
	pm->priority = m->priority;
	pm->raw_len = m->len;
	pm->topic_off = NO_TOPIC;
	if (m->topic) {
		/* kept, to go back to the topic it came from */
		size_t n = strlen(m->topic) + 1;
		if ((r = reserve(&o->topics, &o->topics_cap, o->topics_len + n)) < 0)
			return r;
		memcpy(o->topics + o->topics_len, m->topic, n);
		pm->topic_off = o->topics_len;
		o->topics_len += n;
	}
	/* the prefix is part of the message's output, not of its bytes */
	if (o->show_priority)
		o->out_len += (size_t)sprintf(o->out + o->out_len, "%ld\t", m->priority);
	if (o->raw_in_out) {
		pm->raw_off = o->out_len;
	} else {
		/* one byte more, for the NUL below */
		if ((r = reserve(&o->raw, &o->raw_cap, o->raw_len + m->len + 1)) < 0)
			return r;
		pm->raw_off = o->raw_len;
		memcpy(o->raw + o->raw_len, m->data, m->len);
		o->raw[o->raw_len + m->len] = '\0'; /* the next message's copy overwrites it */
		o->raw_len += m->len;
	}

	char *p = o->out + o->out_len;
	if (o->format == MSGOUT_JSON) {
		p += format_json(o, p, m);
	} else {
		if (o->escape)
			p += termesc(p, o->raw + pm->raw_off, m->len, 0);
		else {
			memcpy(p, m->data, m->len);
			p += m->len;
		}
		if (o->format != MSGOUT_RAW)
			*p++ = o->delim;
	}
	o->out_len = (size_t)(p - o->out);
	pm->out_end = o->out_len;
	o->nmsgs++;
	return o->out_len >= FLUSH_AT || o->nmsgs >= o->batch ? msgout_flush(o) : 0;
}

int msgout_flush(struct msgout *o)
{
	while (o->out_done < o->out_len) {
		ssize_t n = write(o->fd, o->out + o->out_done, o->out_len - o->out_done);
		if (n < 0) {
			/* a stop signal ends a write that a reader holds up; the
			 * caller puts back what was not written */
			if (errno == EINTR && !signals_stop_requested())
				continue;
			return -errno;
		}
		o->out_done += (size_t)n;
	}
	o->out_len = o->out_done = o->raw_len = o->topics_len = 0;
	o->nmsgs = 0;
	return 0;
}

/* The first message whose bytes were not all written: those before it
 * belong to the reader. */
static size_t first_unwritten(const struct msgout *o)
{
	size_t first = 0;
	while (first < o->nmsgs && o->msgs[first].out_end <= o->out_done)
		first++;
	return first;
}

size_t msgout_unwritten(const struct msgout *o)
{
	return o->nmsgs - first_unwritten(o);
}

size_t msgout_pending(const struct msgout *o, const struct queue_message **msgs)
{
	struct msgout *w = (struct msgout *)o;
	size_t first = first_unwritten(o), n = o->nmsgs - first;
	free(w->failed);
	w->failed = n ? calloc(n, sizeof(*w->failed)) : NULL;
	if (n && !w->failed)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct pending_msg *pm = &o->msgs[first + i];
		w->failed[i].data = (o->raw_in_out ? o->out : o->raw) + pm->raw_off;
		w->failed[i].len = pm->raw_len;
		w->failed[i].priority = pm->priority;
		w->failed[i].topic = pm->topic_off == NO_TOPIC ? NULL : o->topics + pm->topic_off;
	}
	*msgs = w->failed;
	return n;
}

/* Where the oldest message not written whole starts in out. */
static size_t first_pending_start(const struct msgout *o)
{
	size_t first = first_unwritten(o);
	return first ? o->msgs[first - 1].out_end : 0;
}

int msgout_cut_partial(struct msgout *o)
{
	size_t start = first_pending_start(o);
	struct stat st;

	if (o->out_done <= start)
		return 0; /* no byte of it went out */
	off_t cut = (off_t)(o->out_done - start);
	if (fstat(o->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 1; /* a pipe or a device keeps what it took */
	off_t end = lseek(o->fd, 0, SEEK_CUR);
	/* a file another writer appended to since (a shared dead letter)
	 * keeps what it holds: theirs would be cut with ours */
	if (end < cut || st.st_size != end || ftruncate(o->fd, end - cut) < 0 || lseek(o->fd, end - cut, SEEK_SET) < 0)
		return 1;
	o->out_done = start;
	return 0;
}

int msgout_write_json(int fd, const char *queue_name, enum queue_kind kind, const struct queue_message *msgs, size_t n)
{
	struct msgout *o = msgout_new(fd, MSGOUT_JSON, false, queue_name, kind);
	int r = o ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && r == 0; i++)
		r = msgout_add(o, &msgs[i]);
	if (r == 0)
		r = msgout_flush(o);
	if (r < 0 && o)
		msgout_cut_partial(o); /* no half line left in a file (EFBIG, ENOSPC) */
	msgout_free(o);
	return r;
}

const char *msgout_strerror(int err)
{
	if (err == -EFBIG)
		return "File too large: over the file size limit (ulimit -f, or LimitFSIZE= of a unit)";
	return strerror(-err);
}

bool msgout_reader_gone(const struct msgout *o)
{
	struct pollfd p = { .fd = o->fd, .events = 0 };
	/* a pipe whose read end is closed polls as POLLERR */
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}
