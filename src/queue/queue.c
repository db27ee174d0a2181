/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue.c - the kind-independent half of queue.h: dispatch to the backend,
 * requeueing, kernel limits, and the one wording of queue errors. */
#include "config.h"
#include "lib/clock.h"
#include "queue/backend.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const struct queue_backend *backend_of(enum queue_kind kind)
{
	switch (kind) {
	case QUEUE_POSIX: return &queue_posix_backend;
	case QUEUE_SYSV: return &queue_sysv_backend;
	case QUEUE_AMQP:
#ifdef HAVE_AMQP
		return &queue_amqp_backend;
#else
		return &queue_unbuilt_amqp_backend;
#endif
	case QUEUE_MQTT:
#ifdef HAVE_MQTT
		return &queue_mqtt_backend;
#else
		return &queue_unbuilt_mqtt_backend;
#endif
	}
	return &queue_posix_backend; /* not reached: every kind is above */
}

int queue_kind_built(enum queue_kind kind, struct queue_detail *why)
{
	const struct queue_backend *b = backend_of(kind);
	if (b == &queue_unbuilt_amqp_backend || b == &queue_unbuilt_mqtt_backend)
		return queue_unbuilt_why(kind, why);
	return 0;
}

const struct queue_caps *queue_kind_caps(enum queue_kind kind)
{
	return &backend_of(kind)->caps;
}

uid_t queue_info_other_creator(const struct queue_info *in)
{
	if (!(in->known & QI_OWNER) || in->addr.kind != QUEUE_SYSV || in->cuid == in->uid)
		return (uid_t)-1;
	return in->cuid;
}

int queue_open(const struct queue_address *addr, const struct queue_open_options *opt, struct queue **out,
	struct queue_detail *why)
{
	const struct queue_backend *ops = backend_of(addr->kind);
	struct queue *q = calloc(1, ops->size);
	int r;

	if (!q)
		return -ENOMEM;
	q->ops = ops;
	q->addr = *addr;
	q->access = opt->access;
	address_format(addr, q->name, sizeof(q->name));
	r = q->ops->open(q, opt, why);
	if (r < 0) {
		free(q);
		return r;
	}
	*out = q;
	return 0;
}

void queue_close(struct queue *q)
{
	if (!q)
		return;
	q->ops->close(q);
	free(q->buf);
	free(q);
}

enum queue_kind queue_kind(const struct queue *q)
{
	return q->addr.kind;
}
const struct queue_address *queue_address(const struct queue *q)
{
	return &q->addr;
}
const char *queue_name(const struct queue *q)
{
	return q->name;
}
bool queue_was_created(const struct queue *q)
{
	return q->created;
}
const struct queue_detail *queue_last_detail(const struct queue *q)
{
	return &q->last;
}
bool queue_writable(const struct queue *q)
{
	return q->access & QUEUE_WRITE;
}
size_t queue_max_message(const struct queue *q)
{
	return q->max_message;
}

int queue_reserve_buffer(struct queue *q, size_t size)
{
	if (q->buf_size >= size)
		return 0;
	char *p = realloc(q->buf, size);
	if (!p)
		return -ENOMEM;
	q->buf = p;
	q->buf_size = size;
	return 0;
}

int queue_check_removed(struct queue *q)
{
	return q->ops->removed && q->ops->removed(q) ? -EIDRM : 0;
}

int queue_check_stranded(struct queue *q, unsigned long *left)
{
	long n = q->ops->stranded ? q->ops->stranded(q) : 0;
	*left = n > 0 ? (unsigned long)n : 0;
	return n > 0 ? -EIDRM : 0;
}

/* A POSIX send into an unlinked queue succeeds, into nothing: look now and
 * then (the clock is read without a syscall, at tick resolution: the check
 * comes within a tick of QUEUE_REMOVAL_CHECK_NS after the last). */
static int removal_due(struct queue *q)
{
	if (!q->ops->removed)
		return 0;
	int64_t now = monotonic_coarse_ns();
	if (now < q->next_removal_check)
		return 0;
	q->next_removal_check = now + QUEUE_REMOVAL_CHECK_NS;
	return q->ops->removed(q) ? -EIDRM : 0;
}

int queue_send(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w)
{
	int r = removal_due(q);
	return r < 0 ? r : q->ops->send(q, data, len, priority, w);
}

int queue_send_headroom(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w)
{
	int r = removal_due(q);
	return r < 0 ? r : q->ops->send_headroom(q, data, len, priority, w);
}

int queue_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel, const struct queue_wait *w)
{
	static const struct queue_select any;
	m->topic = NULL; /* a kind with topics sets it */
	return q->ops->receive(q, m, sel ? sel : &any, w);
}

int queue_peek(struct queue *q, size_t index, struct queue_message *m)
{
	m->topic = NULL;
	return q->ops->peek(q, index, m);
}

int queue_wait_message(struct queue *q, const struct queue_wait *w)
{
	return q->ops->wait_message ? q->ops->wait_message(q, w) : -EOPNOTSUPP;
}

int queue_flush(struct queue *q, const struct queue_wait *w)
{
	return q->ops->flush ? q->ops->flush(q, w) : 0;
}

unsigned long long queue_unconfirmed(struct queue *q)
{
	return q->ops->unconfirmed ? q->ops->unconfirmed(q) : 0;
}

void queue_settle(struct queue *q, size_t unwritten)
{
	if (q->ops->settle)
		q->ops->settle(q, unwritten);
}

int queue_delete(struct queue *q, bool force)
{
	return q->ops->delete_open ? q->ops->delete_open(q, force) : -EOPNOTSUPP;
}

int queue_broker_stat(struct queue *q, struct queue_broker_info *info)
{
	memset(info, 0, sizeof(*info));
	info->durable = -1;
	return q->ops->broker_stat ? q->ops->broker_stat(q, info) : -EOPNOTSUPP;
}

int queue_stat_address(const struct queue_address *addr, struct queue_info *info)
{
	memset(info, 0, sizeof(*info));
	info->addr = *addr;
	return backend_of(addr->kind)->stat_address(addr, info);
}

int queue_enumerate(enum queue_kind kind, unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	return backend_of(kind)->enumerate(want, fn, arg);
}

int queue_remove(const struct queue_address *addr, struct queue_detail *why)
{
	return backend_of(addr->kind)->remove(addr, why);
}

int queue_may_remove(const struct queue_info *in, struct queue_detail *why)
{
	const struct queue_backend *ops = backend_of(in->addr.kind);
	if (!ops->may_remove || !(in->known & QI_OWNER))
		return 0;
	return ops->may_remove(in, why);
}

/* One message back: first without waiting, then, unless a stop signal
 * came, waiting for room until DEADLINE. */
static int put_back_one(struct queue *q, const struct queue_message *m, int64_t deadline)
{
	static const struct queue_wait nowait = { .how = QUEUE_WAIT_NONE };
	int r = queue_send(q, m->data, m->len, m->priority, &nowait);
	if (r != -EAGAIN || signals_stop_requested())
		return r;
	int64_t left = deadline - monotonic_ns();
	if (left <= 0)
		return -ETIMEDOUT;
	struct queue_wait bounded = { .how = QUEUE_WAIT_TIMEOUT, .timeout_ns = left };
	return queue_send(q, m->data, m->len, m->priority, &bounded);
}

/* Only what this process took goes back, by plain sends: taking other
 * messages off to reorder the queue would put them at risk too, and a live
 * producer could refill the room they left. */
size_t queue_put_back(struct queue *q, const struct queue_message *msgs, size_t n, int64_t bound_ns, int *err)
{
	int64_t deadline = monotonic_ns() + bound_ns;
	size_t i;

	if (q->ops->put_back)
		return q->ops->put_back(q, msgs, n, bound_ns, err);
	*err = 0;
	if (!queue_writable(q)) {
		*err = -EACCES;
		return 0;
	}
	for (i = 0; i < n; i++) {
		int r = put_back_one(q, &msgs[i], deadline);
		if (r < 0) {
			*err = r;
			break;
		}
	}
	return i;
}

long queue_limit(const char *proc_file)
{
	char buf[32];
	long v = -1;
	int fd = open(proc_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		v = strtol(buf, NULL, 10);
	}
	return v;
}

/* The kernel honours CAP_SYS_RESOURCE and its kin for queue limits only in
 * the initial user namespace, whose uid_map is the whole identity map. */
static bool in_initial_user_namespace(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	bool initial = false;
	if (!f)
		return true;
	if (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		initial = inside == 0 && outside == 0 && count == 4294967295UL;
	fclose(f);
	return initial;
}

bool have_effective_capability(int cap)
{
	char line[256];
	bool have = false;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long mask;
		if (sscanf(line, "CapEff: %llx", &mask) == 1) {
			have = (mask >> cap) & 1;
			break;
		}
	}
	fclose(f);
	return have;
}

bool have_capability(int cap)
{
	return have_effective_capability(cap) && in_initial_user_namespace();
}

void queue_detail_set(struct queue_detail *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(why->text, sizeof(why->text), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(why->text))
		return;
	/* too long even for QUEUE_DETAIL_SIZE: cut at a word (one of the last
	 * 64 bytes kept, else at the limit), and show the cut */
	size_t limit = sizeof(why->text) - sizeof("..."), at = limit;
	while (at > limit - 64 && why->text[at] != ' ')
		at--;
	memcpy(why->text + (why->text[at] == ' ' ? at : limit), "...", sizeof("..."));
}

static void word_error(char *buf, size_t len, bool posix, int err, const char *action)
{
	bool sending = !strcmp(action, "send");
	struct rlimit rl;

	switch (err) {
	case ENOENT:
		snprintf(buf, len, QUEUE_NO_SUCH_QUEUE " (create it with --create; list queues with mqstat)");
		break;
	case EIDRM: snprintf(buf, len, "the queue was removed"); break;
	case EACCES:
	case EPERM:
		snprintf(buf, len, "permission denied: its owner and mode do not let you %s it (see mqstat)", action);
		break;
	case EEXIST: snprintf(buf, len, "the queue already exists (--exclusive)"); break;
	case EAGAIN: snprintf(buf, len, "the queue is %s (--nonblock)", sending ? "full" : "empty"); break;
	case ETIMEDOUT:
		snprintf(buf, len, "timed out waiting for %s", sending ? "room in the queue" : "a message");
		break;
	case EINTR: snprintf(buf, len, "interrupted"); break;
	case EPIPE: snprintf(buf, len, "the reader of standard output has gone"); break;
	case EMFILE:
		if (posix && getrlimit(RLIMIT_MSGQUEUE, &rl) == 0)
			snprintf(buf, len,
				"RLIMIT_MSGQUEUE (%llu bytes, ulimit -q) is used up by your queues, "
				"or too many open files; remove unused queues (mqstat, mqrm) or raise the limit",
				(unsigned long long)rl.rlim_cur);
		else
			snprintf(buf, len, "too many open files");
		break;
	case ENOSPC: {
		const char *limit = posix ? PROC_MQ_QUEUES_MAX : PROC_MSGMNI;
		snprintf(buf, len,
			"the system's limit of %ld %s queues is reached (%s); remove unused queues or raise it",
			queue_limit(limit), posix ? "POSIX" : "System V", limit);
		break;
	}
	case ENOSYS:
	case ENODEV: snprintf(buf, len, "this kernel has no %s message queues", posix ? "POSIX" : "System V"); break;
	case EMSGSIZE: snprintf(buf, len, "message too large for the queue"); break;
	default: snprintf(buf, len, "cannot %s it: %s", action, strerror(err)); break;
	}
}

const char *queue_strerror(char *buf, size_t len, int err, enum queue_kind kind, const char *action,
	const struct queue_detail *why)
{
	if (why && why->text[0])
		snprintf(buf, len, "%s", why->text);
	else if (kind == QUEUE_MQTT && (err == -EOPNOTSUPP || err == EOPNOTSUPP))
		snprintf(buf, len,
			"an MQTT topic is not a queue: the broker keeps no count, owner or mode of it "
			"to %s (subscribe with mqrecv to see its messages)",
			action);
	else
		word_error(buf, len, kind == QUEUE_POSIX, err < 0 ? -err : err, action);
	return buf;
}

int queue_change(struct queue *q, const struct queue_change *c, struct queue_detail *why)
{
	return q->ops->change(q, &q->addr, c, why);
}

int queue_change_address(const struct queue_address *addr, const struct queue_change *c, struct queue_detail *why)
{
	return backend_of(addr->kind)->change(NULL, addr, c, why);
}

int queue_id(const struct queue *q)
{
	return q->ops->id ? q->ops->id(q) : -1;
}
