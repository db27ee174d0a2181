/* SPDX-License-Identifier: GPL-2.0-or-later */
/* forward.c - mqrecv --to: queue to queue, store-and-forward (forward.h).
 *
 * One window at a time: take up to WINDOW messages off SRC (waiting only
 * for the first: the rest are what is there already), copy them into an
 * arena of our own (a receive's bytes live only until the next), send them
 * all to DST and wait until DST has them (queue_flush: a broker's
 * confirms), then tell SRC they are done (queue_settle: an amqp:// ack).
 * DST's sends are cheap until the flush, so a window costs one wait for
 * the broker, not one per message.
 *
 * What cannot go on is never dropped: a window that DST did not take goes
 * back on SRC when forwarding ends (queue_put_back; an amqp:// SRC gets it
 * back from the broker), a message DST can never take (too large) goes to
 * the dead letter, and so does what cannot be put back. */
#include "config.h"
#include "tools/forward.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "lib/signals.h"
#include "queue/priority-map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The pauses between tries to reach a broker again: from the first to the
 * longest, doubling. */
#define RETRY_FIRST_NS 500000000LL     /* 0.5 s */
#define RETRY_LONGEST_NS 30000000000LL /* 30 s */

/* A message held: its bytes in the arena at OFF, after QUEUE_SEND_HEADROOM
 * bytes of room that DST's send may overwrite (a System V mtype). */
struct held {
	size_t off, len;
	long priority; /* DST's */
	long src_priority;
	size_t topic_off; /* mqtt://: its topic, NUL-ended, after its bytes; 0 none */
	bool dead;        /* DST can never take it: gone to the dead letter */
};

struct forwarder {
	const struct forward_options *o;
	struct queue *src, *dst;
	enum queue_kind src_kind, dst_kind;
	long dst_default; /* the priority or type of a message that has none */
	char *arena;
	size_t used, cap;
	struct held *held;
	size_t n, held_cap;
	size_t sent; /* of the window: sent to DST (the first SENT) */
	unsigned long long moved, dead;
	size_t dead_in_window; /* of the window: gone to the dead letter */
	int dead_status;
	bool dst_down; /* said that DST cannot be reached; not yet that it can */
};

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Whether ERR from a queue of KIND means its broker cannot be reached now,
 * and another try later may do better. */
static bool unreachable(enum queue_kind kind, int err)
{
	if (!(queue_kind_caps(kind)->can & QUEUE_CAN_LOGIN))
		return false;
	switch (-err) {
	case ECONNREFUSED:
	case ECONNRESET:
	case ECONNABORTED:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ENETDOWN:
	case ESHUTDOWN:
	case ENOTCONN:
	case ETIMEDOUT:
	case EPIPE:
	case EPROTO: /* a TLS connection cut off in its handshake */ return true;
	default: return false;
	}
}

/* Sleep NS, or less when a stop signal comes. */
static void pause_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };
	if (!signals_stop_requested())
		nanosleep(&ts, NULL);
}

static int open_once(const struct queue_address *addr, const struct queue_cli *qc, int access,
	const char *password_file, struct queue **q, struct queue_detail *why)
{
	struct queue_open_options opt = qc ? qc->open : (struct queue_open_options){ .mode = QUEUE_DEFAULT_MODE };
	opt.access = access;
	if (queue_kind_caps(addr->kind)->can & QUEUE_CAN_LOGIN)
		queue_cli_credentials(&opt.cred, password_file);
	why->text[0] = '\0';
	return queue_open(addr, &opt, q, why);
}

/* Open a queue, and with FOLLOW try again while its broker cannot be
 * reached, with a growing pause; *WARNED: said so already. 0, or the exit
 * status, said. */
static int open_patiently(struct forwarder *f, const struct queue_address *addr, const char *name,
	const struct queue_cli *qc, int access, struct queue **q, bool *warned)
{
	int64_t pause = RETRY_FIRST_NS;
	struct queue_detail why;

	for (;;) {
		int r = open_once(addr, qc, access, f->o->password_file, q, &why);
		if (r == -EACCES && qc && qc->write_optional) /* as queue_cli_open: read-only will do */
			r = open_once(addr, qc, QUEUE_READ, f->o->password_file, q, &why);
		if (r == 0)
			return 0;
		if (r == -ENOENT && !qc) /* DST is not created here */
			snprintf(why.text, sizeof(why.text),
				QUEUE_NO_SUCH_QUEUE " (--to does not create it: create it "
						    "first, with mqsend -c QUEUE </dev/null)");
		if (!f->o->follow || !unreachable(addr->kind, r) || signals_stop_requested())
			return queue_cli_error(name, addr->kind, signals_stop_requested() ? -EINTR : r,
				access & QUEUE_READ ? "read from" : "write to", &why);
		if (!*warned) {
			char what[512];
			cli_warn("%s: %s; trying again until it answers, the messages waiting in %s", name,
				queue_strerror(what, sizeof(what), r, addr->kind, "reach", &why), f->o->src_name);
			*warned = true;
		}
		pause_ns(pause);
		pause = pause * 2 > RETRY_LONGEST_NS ? RETRY_LONGEST_NS : pause * 2;
	}
}

/* Keep a copy of M, with headroom, aligned for an mtype before it. */
static int hold(struct forwarder *f, const struct queue_message *m)
{
	size_t at = (f->used + sizeof(long) - 1) / sizeof(long) * sizeof(long) + QUEUE_SEND_HEADROOM;
	size_t topic_size = m->topic ? strlen(m->topic) + 1 : 0, end = at + m->len + topic_size;
	if (end > f->cap) {
		size_t cap = f->cap ? f->cap : 65536;
		while (cap < end)
			cap *= 2;
		char *a = realloc(f->arena, cap);
		if (!a)
			return -ENOMEM;
		f->arena = a;
		f->cap = cap;
	}
	if (f->n == f->held_cap) {
		size_t cap = f->held_cap ? f->held_cap * 2 : 64;
		struct held *h = realloc(f->held, cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		f->held = h;
		f->held_cap = cap;
	}
	memcpy(f->arena + at, m->data, m->len);
	if (topic_size) /* to go back to its own topic */
		memcpy(f->arena + at + m->len, m->topic, topic_size);
	f->held[f->n++] = (struct held){ .off = at,
		.len = m->len,
		.src_priority = m->priority,
		.priority = queue_priority_map(f->src_kind, m->priority, f->dst_kind, f->dst_default),
		.topic_off = topic_size ? at + m->len : 0 };
	f->used = end;
	return 0;
}

static struct queue_message message_of(const struct forwarder *f, size_t i)
{
	const struct held *h = &f->held[i];
	return (struct queue_message){ .data = f->arena + h->off,
		.len = h->len,
		.priority = h->src_priority,
		.topic = h->topic_off ? f->arena + h->topic_off : NULL };
}

/* The window is done with. */
static void release(struct forwarder *f)
{
	f->n = f->sent = f->used = f->dead_in_window = 0;
}

/* Take up to a window of messages: waiting for the first as W says, the
 * rest only if they are there. 0 (some or none held, more may come) or
 * -errno from the receive that ended it with nothing held. */
static int fill(struct forwarder *f)
{
	const struct forward_options *o = f->o;
	const struct queue_wait there = { .how = QUEUE_WAIT_NONE };
	struct queue_wait first = *o->wait;
	int r;

	if (o->drain)
		first = (struct queue_wait){ .how = QUEUE_WAIT_NONE, .broker_empty = true };
	else if (o->idle_ns)
		first = (struct queue_wait){ .how = QUEUE_WAIT_TIMEOUT, .timeout_ns = o->idle_ns };
	while (f->n < o->window && (o->follow || f->moved + f->dead + f->n < o->count)) {
		struct queue_message m;
		if (signals_stop_requested())
			return f->n ? 0 : -EINTR;
		r = queue_receive(f->src, &m, o->sel, f->n ? &there : &first);
		if (r == -EAGAIN && f->n)
			return 0; /* nothing more there now: what is held goes */
		if (r < 0)
			return f->n ? 0 : r;
		if ((r = hold(f, &m)) < 0) {
			/* not held: it goes back at once, or to the dead letter */
			int err = 0;
			if (queue_put_back(f->src, &m, 1, QUEUE_PUT_BACK_BOUND_NS, &err) < 1)
				f->dead_status = o->dead_letter(o->ctx, &m, 1, err, NULL);
			return r;
		}
	}
	return 0;
}

/* A message DST can never take (over its largest): to the dead letter,
 * and forwarding goes on. */
static void never_fits(struct forwarder *f, size_t i)
{
	struct queue_message m = message_of(f, i);
	char why[160];
	snprintf(why, sizeof(why), "%zu bytes, over the limit of %s (%zu bytes)", m.len, f->o->dst_name,
		queue_max_message(f->dst));
	f->dead_status = f->o->dead_letter(f->o->ctx, &m, 1, 0, why);
	f->held[i].dead = true;
	f->dead++;
	f->dead_in_window++;
}

/* Send what of the window DST has not taken, and wait until it has all of
 * it. 0, or -errno; f->sent says how many it took. */
static int send_window(struct forwarder *f)
{
	static const struct queue_wait block = { .how = QUEUE_WAIT_BLOCK };
	int r = 0;

	while (f->sent < f->n) {
		struct held *h = &f->held[f->sent];
		r = h->dead ? 0 : queue_send_headroom(f->dst, f->arena + h->off, h->len, h->priority, &block);
		if (r == -EMSGSIZE)
			never_fits(f, f->sent);
		else if (r < 0)
			break;
		f->sent++;
	}
	/* a broker's confirms: until they came, the sends may be lost */
	int flushed = queue_flush(f->dst, &block);
	if (flushed < 0) {
		f->sent = 0;
		return flushed;
	}
	return r;
}

/* What of the window DST did not take goes back on SRC, and what cannot,
 * to the dead letter (whose exit status this returns; else 0). */
static int put_back_window(struct forwarder *f)
{
	size_t n = f->n - f->sent, back = 0;
	int perr = 0, status = 0;

	queue_settle(f->src, n); /* what DST took is done with */
	struct queue_message *msgs = calloc(n ? n : 1, sizeof(*msgs));
	if (!msgs)
		cli_die(MQ_EXIT_FAILURE, "out of memory while putting messages back on %s", f->o->src_name);
	/* one in the dead letter already stays out, where any message can go
	 * back; an amqp:// SRC takes back the last N it gave, that one too */
	bool any = queue_kind_caps(f->src_kind)->can & QUEUE_CAN_PUT_BACK_ANY;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!any || !f->held[f->sent + i].dead)
			msgs[k++] = message_of(f, f->sent + i);
	n = k;
	if (n)
		back = queue_put_back(f->src, msgs, n, QUEUE_PUT_BACK_BOUND_NS, &perr);
	if (back)
		cli_warn("%zu message%s not taken by %s %s put back on %s", back, plural(back), f->o->dst_name,
			back == 1 ? "was" : "were", f->o->src_name);
	if (back < n)
		status = f->o->dead_letter(f->o->ctx, msgs + back, n - back, perr, NULL);
	free(msgs);
	release(f);
	return status;
}

/* Forwarding ends with the window not delivered: ERR (-EINTR: a stop
 * signal) from DST, or STATUS already said (when not 0). */
static int give_up(struct forwarder *f, int err, int status)
{
	bool stopped = signals_stop_requested();
	if (!status)
		status = stopped ? (f->o->follow ? MQ_EXIT_OK : MQ_EXIT_FAILURE) :
				   queue_cli_error_on(f->dst, err, "send");
	if (stopped && f->n > f->sent)
		cli_warn("stopped by a signal while forwarding to %s", f->o->dst_name);
	int dead = put_back_window(f);
	return dead ? dead : status;
}

/* Deliver the window; with follow, through any outage of DST's broker.
 * -1 when done, or the exit status to end with. */
static int deliver(struct forwarder *f)
{
	for (;;) {
		int r = send_window(f);
		if (r == 0) {
			queue_settle(f->src, 0);
			f->moved += f->n - f->dead_in_window;
			if (f->o->progress)
				progress_update(f->o->progress, f->moved + f->dead);
			release(f);
			if (f->dst_down) {
				cli_warn("%s answers again: forwarding goes on", f->o->dst_name);
				f->dst_down = false;
			}
			return -1;
		}
		if (!f->o->follow || !unreachable(f->dst_kind, r) || signals_stop_requested())
			return give_up(f, r, 0);
		/* store-and-forward: the window waits here, the rest in SRC */
		if (!f->dst_down) {
			char what[512];
			cli_warn(
				"%s: %s; holding %zu message%s and trying again until it answers, the rest waiting in %s",
				f->o->dst_name,
				queue_strerror(what, sizeof(what), r, f->dst_kind, "send", queue_last_detail(f->dst)),
				f->n - f->sent, plural(f->n - f->sent), f->o->src_name);
			f->dst_down = true;
		}
		queue_close(f->dst);
		f->dst = NULL;
		bool warned = true;
		int status = open_patiently(f, f->o->dst_addr, f->o->dst_name, NULL, QUEUE_WRITE, &f->dst, &warned);
		if (status)
			return give_up(f, -EINTR, status);
	}
}

/* SRC's broker cannot be reached (ERR): with follow, open SRC again; what
 * it had given and we had not acked, it gives again. 0 or exit status. */
static int reopen_source(struct forwarder *f, int err)
{
	char what[512];
	bool warned = true;
	cli_warn("%s: %s; trying again until it answers", f->o->src_name,
		queue_strerror(what, sizeof(what), err, f->src_kind, "receive from", queue_last_detail(f->src)));
	queue_close(f->src);
	f->src = NULL;
	int status = open_patiently(f, f->o->src_addr, f->o->src_name, f->o->src_qc, f->o->src_qc->open.access, &f->src,
		&warned);
	if (status == 0)
		cli_warn("%s answers again: forwarding goes on", f->o->src_name);
	return status;
}

/* Why taking from SRC ended (ERR, nothing held): the exit status, or -1
 * to go on. */
static int source_ended(struct forwarder *f, int err)
{
	const struct forward_options *o = f->o;
	if ((err == -EAGAIN && o->drain) || (err == -ETIMEDOUT && o->idle_ns))
		return MQ_EXIT_OK;
	if (err == -EINTR && signals_stop_requested())
		return o->follow ? MQ_EXIT_OK : MQ_EXIT_FAILURE;
	if (err == -EIDRM || err == -ENOENT) {
		cli_warn("%s was removed: %llu message%s forwarded to %s before", o->src_name, f->moved,
			f->moved == 1 ? "" : "s", o->dst_name);
		return MQ_EXIT_NOQUEUE;
	}
	/* a timeout is --timeout's: the backend says a lost broker otherwise */
	if (o->follow && err != -ETIMEDOUT && unreachable(f->src_kind, err)) {
		int status = reopen_source(f, err);
		return status ? status : -1;
	}
	return queue_cli_error_on(f->src, err, "receive from");
}

/* At the end, as mqsend's: a POSIX DST removed with what we sent still in
 * it lost that (exit 3). */
static int check_destination(struct forwarder *f)
{
	unsigned long left;
	if (queue_check_stranded(f->dst, &left) == 0)
		return MQ_EXIT_OK;
	int status = queue_cli_error_on(f->dst, -EIDRM, "send");
	cli_warn("%llu message%s forwarded before it was removed, %lu of them still in it, unreceived", f->moved,
		f->moved == 1 ? " was" : "s were", left);
	return status;
}

int forward_run(struct queue **src, const struct forward_options *o)
{
	struct forwarder f = { .o = o, .src = *src, .src_kind = queue_kind(*src), .dst_kind = o->dst_addr->kind };
	bool warned = false;
	int status;

	f.dst_default = queue_kind_caps(f.dst_kind)->can & QUEUE_CAN_TYPE ? 1 : 0;
	status = open_patiently(&f, o->dst_addr, o->dst_name, NULL, QUEUE_WRITE, &f.dst, &warned);
	if (status)
		goto out;
	if (warned)
		cli_warn("%s answers: forwarding starts", o->dst_name);
	for (;;) {
		if (!o->follow && f.moved + f.dead >= o->count)
			break;
		if (f.dead_status == MQ_EXIT_FAILURE) /* the dead letter is written nowhere */
			break;
		int r = fill(&f);
		if (f.n && (status = deliver(&f)) >= 0)
			break;
		status = MQ_EXIT_OK;
		if (r == 0)
			continue;
		if (r == -ENOMEM) {
			status = f.dead_status ? f.dead_status : MQ_EXIT_FAILURE;
			cli_warn("out of memory for a window of messages from %s", o->src_name);
			break;
		}
		if ((status = source_ended(&f, r)) >= 0)
			break;
	}
	if (status == MQ_EXIT_OK)
		status = check_destination(&f);
out:
	if (status == MQ_EXIT_OK && f.dead_status)
		status = f.dead_status;
	queue_close(f.dst);
	free(f.arena);
	free(f.held);
	*src = f.src;
	return status;
}
