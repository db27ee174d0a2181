/* SPDX-License-Identifier: GPL-2.0-or-later */
/* prometheus.c - the text exposition format of a collection (see
 * prometheus.h). */
#include "config.h"
#include "tools/mqstat/prometheus.h"
#include "cli/cli.h"
#include "lib/file.h"
#include "lib/format.h"
#include "lib/json.h"
#include "lib/termesc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* S (LEN bytes, UTF-8) as a label value between its quotes: the format's
 * three escapes. */
static void put_escaped(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\')
			fputs("\\\\", out);
		else if (s[i] == '"')
			fputs("\\\"", out);
		else if (s[i] == '\n')
			fputs("\\n", out);
		else
			putc(s[i], out);
	}
}

/* The length of the character at S (LEN bytes left) that a label may carry
 * as it is: well-formed UTF-8, and no control but a newline (which the
 * format escapes). 0 for a byte that must be written escaped. */
static size_t carried_character(const char *s, size_t len)
{
	uint32_t cp;
	size_t n = utf8_char((const unsigned char *)s, len, &cp);
	if (n && cp != '\n' && termesc_unsafe_codepoint(cp))
		return 0;
	return n;
}

/* Text from outside as a label value: as it is when it can be (see
 * prometheus.h), else MARK and the escaped form. */
static void put_outside_text(FILE *out, const char *s, const char *mark)
{
	size_t len = strlen(s), i = 0, n;

	while (i < len && (n = carried_character(s + i, len - i)))
		i += n;
	if (i == len) {
		put_escaped(out, s, len);
		return;
	}
	fputs(mark, out);
	for (i = 0; i < len; i += n) {
		n = carried_character(s + i, len - i);
		if (n && s[i] != '\\' && s[i] != '\n') {
			put_escaped(out, s + i, n);
		} else {
			/* \xNN and \\ in the value: each written with its backslash escaped */
			n = 1;
			if (s[i] == '\\')
				fputs("\\\\\\\\", out);
			else
				fprintf(out, "\\\\x%02x", (unsigned char)s[i]);
		}
	}
}

/* A sample's value: integers as they are, others in the fewest digits
 * that read back as the same double. */
static void put_value(FILE *out, double v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	fputs(buf, out);
}

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* The owner's text, kept for the next queue: a listing names the same
 * few owners over and over. */
struct owner_cache {
	bool known;
	uid_t uid;
	char text[128];
};

static const char *owner_of(struct owner_cache *c, const struct queue_entry *e)
{
	if (!(e->info.known & QI_OWNER))
		return "";
	if (!c->known || c->uid != e->info.uid) {
		format_user(e->info.uid, c->text, sizeof(c->text));
		c->uid = e->info.uid;
		c->known = true;
	}
	return c->text;
}

/* NAME{queue="...",kind="...",owner="..."[,state="..."]} */
static void queue_sample_start(FILE *out, const char *name, const struct queue_entry *e, struct owner_cache *owners)
{
	bool posix = e->info.addr.kind == QUEUE_POSIX;
	fprintf(out, "%s{queue=\"", name);
	put_outside_text(out, queue_entry_name(e), posix ? "/" : "");
	fprintf(out, "\",kind=\"%s\",owner=\"", posix ? "posix" : "sysv");
	put_outside_text(out, owner_of(owners, e), "");
	putc('"', out);
}

static void queue_sample(FILE *out, const char *name, const struct queue_entry *e, struct owner_cache *owners, double v)
{
	queue_sample_start(out, name, e, owners);
	fputs("} ", out);
	put_value(out, v);
	putc('\n', out);
}

/* The per-queue families: each a value of E, or false when it is unknown. */
enum queue_metric { QM_MESSAGES, QM_BYTES, QM_CAPACITY, QM_MAXMSG, QM_FILL, QM_INACTIVE, QM_HOLDERS, NQM };
static const struct {
	const char *name, *help;
} queue_metrics[NQM] = {
	[QM_MESSAGES] = { "mqtools_queue_messages", "Messages in the queue (mqstat MSGS)." },
	[QM_BYTES] = { "mqtools_queue_bytes", "Bytes of the messages in the queue (mqstat USED)." },
	[QM_CAPACITY] = { "mqtools_queue_capacity_bytes",
		"The queue's capacity in bytes: System V msg_qbytes, POSIX maxmsg times msgsize (mqstat CAPACITY)." },
	[QM_MAXMSG] = { "mqtools_queue_capacity_messages",
		"POSIX: the most messages the queue holds, mq_maxmsg (mqstat MAXMSGS)." },
	[QM_FILL] = { "mqtools_queue_fill_ratio",
		"How full the queue is by the kernel's rule, 1 when a send waits: POSIX the larger of bytes over capacity "
		"and messages over maxmsg, System V the larger of bytes and messages over msg_qbytes (over 1 only when "
		"msg_qbytes was lowered below what the queue holds)." },
	[QM_INACTIVE] = { "mqtools_queue_inactive_seconds",
		"Seconds since the queue's last activity (mqstat INACTIVE)." },
	[QM_HOLDERS] = { "mqtools_queue_holders",
		"Processes holding the queue open (POSIX) or waiting on it (System V) (mqstat HOLDERS)." },
};

static bool queue_value(const struct prometheus_collection *c, const struct queue_entry *e, enum queue_metric m,
	double *v)
{
	const struct queue_info *in = &e->info;
	bool posix = in->addr.kind == QUEUE_POSIX;
	unsigned long long cap;
	int64_t inactive;

	switch (m) {
	case QM_MESSAGES: *v = (double)in->messages; return in->known & (QI_COUNTS | QI_POSIX_ATTR);
	case QM_BYTES: *v = (double)in->used_bytes; return in->known & (QI_COUNTS | QI_NOTIFY);
	case QM_CAPACITY:
		if (!queue_entry_capacity(e, &cap))
			return false;
		*v = (double)cap;
		return true;
	case QM_MAXMSG: *v = (double)in->maxmsg; return posix && (in->known & QI_POSIX_ATTR);
	case QM_FILL: return (*v = queue_entry_fill_ratio(e)) >= 0;
	case QM_INACTIVE: *v = (double)(inactive = queue_entry_inactive(e, c->now)); return inactive >= 0;
	case QM_HOLDERS:
		/* as HOLDERS: unknown when some could not be seen and none was */
		*v = (double)e->nusers;
		return !(e->state == QUEUE_STATE_UNKNOWN && !e->nusers);
	default: return false;
	}
}

static void write_queues(FILE *out, const struct prometheus_collection *c)
{
	struct owner_cache owners = { 0 };
	const struct queue_list *l = c->list;
	double v;

	for (int m = 0; m < NQM; m++) {
		family(out, queue_metrics[m].name, queue_metrics[m].help);
		for (size_t i = 0; i < l->n; i++)
			if (queue_value(c, &l->v[i], (enum queue_metric)m, &v))
				queue_sample(out, queue_metrics[m].name, &l->v[i], &owners, v);
	}
	family(out, "mqtools_queue_state",
		"The queue's state as mqstat judges it (STATE), in the label state: 1 for the state it is in.");
	for (size_t i = 0; i < l->n; i++) {
		queue_sample_start(out, "mqtools_queue_state", &l->v[i], &owners);
		fprintf(out, ",state=\"%s\"} 1\n", queue_state_name(l->v[i].state));
	}
}

static void write_limits(FILE *out, const struct prometheus_collection *c)
{
	family(out, "mqtools_limit",
		"A system limit on message queues, as mqstat -g shows it (RESOURCE; "
		"RLIMIT_MSGQUEUE the collecting user's); a count, or bytes for a size.");
	for (size_t i = 0; i < c->nlimits; i++)
		if (c->limits[i].limit >= 0)
			fprintf(out, "mqtools_limit{resource=\"%s\"} %lld\n", c->limits[i].resource,
				c->limits[i].limit);
	family(out, "mqtools_limit_used", "What the queues use of the limit, as mqstat -g shows it (USED).");
	for (size_t i = 0; i < c->nlimits; i++)
		if (c->limits[i].used >= 0)
			fprintf(out, "mqtools_limit_used{resource=\"%s\"} %lld\n", c->limits[i].resource,
				c->limits[i].used);
}

static void write_collection(FILE *out, const struct prometheus_collection *c)
{
	family(out, "mqtools_collect_success",
		"1 when every queue of the kind could be listed, 0 when not (mqstat's warning says why; "
		"for POSIX, no mqueue file system mounted is 0 too).");
	if (c->kinds & QUEUE_KIND_BIT(QUEUE_POSIX))
		fprintf(out, "mqtools_collect_success{kind=\"posix\"} %d\n", c->list->posix_err == 0);
	if (c->kinds & QUEUE_KIND_BIT(QUEUE_SYSV))
		fprintf(out, "mqtools_collect_success{kind=\"sysv\"} %d\n", c->list->sysv_err == 0);
	family(out, "mqtools_collect_duration_seconds", "How long mqstat took to list and judge the queues.");
	fputs("mqtools_collect_duration_seconds ", out);
	put_value(out, c->seconds);
	putc('\n', out);
}

int prometheus_write(FILE *out, const struct prometheus_collection *c)
{
	write_queues(out, c);
	write_limits(out, c);
	write_collection(out, c);
	/* not flushed here: for standard output, the checked close at exit
	 * (cli_init) flushes, and says why a write failed with its errno */
	return ferror(out) ? -EIO : 0;
}

int prometheus_output(const char *path, const struct prometheus_collection *c)
{
	char shown[256], *text = NULL;
	size_t len = 0, plen;
	struct file_error err;

	/* a failed write: cli_init's checked close at exit says why, exit 1 */
	if (!path)
		return prometheus_write(stdout, c) < 0 ? MQ_EXIT_FAILURE : MQ_EXIT_OK;
	termesc_str(shown, sizeof(shown), path, 0);
	plen = strlen(path);
	if (plen < 5 || strcmp(path + plen - 5, ".prom") != 0)
		cli_warn("%s: node_exporter's textfile collector reads only files named *.prom", shown);
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	int r = prometheus_write(mem, c);
	if (fclose(mem) != 0 || r < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	r = file_replace_trusted(path, text, len, 0644, &err);
	free(text);
	if (r < 0) {
		cli_warn("cannot write %s: %s", shown, err.msg[0] ? err.msg : strerror(-r));
		return MQ_EXIT_FAILURE;
	}
	return MQ_EXIT_OK;
}
