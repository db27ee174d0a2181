/* SPDX-License-Identifier: GPL-2.0-or-later */
/* transport-kernel.c - the controller's commands on a kernel queue (see
 * transport.h): its own POSIX or System V queue, made if missing, locked
 * against a second controller (lock.h), served only while no one else may
 * read it; answers on each client's private POSIX reply queue, written only
 * when the command carried that queue's nonce (auth.h). */
#include "config.h"
#include "mqled/transport-backend.h"
#include "lib/format.h"
#include "mqled/auth.h"
#include "mqled/lock.h"
#include "lib/lockfile.h"
#include "mqled/log.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct kernel_transport {
	struct transport base;
	struct queue *q;
	char lock_path[4096]; /* System V: this queue's lock file; POSIX: "" */
	int lock_fd;          /* the lock: that file, or the queue itself */
};

static struct kernel_transport *of(struct transport *t)
{
	return TRANSPORT_BACKEND_OF(t, struct kernel_transport);
}

static int kernel_receive(struct transport *t, struct transport_message *out, const struct queue_wait *w)
{
	struct kernel_transport *k = of(t);
	struct queue_message m;
	int r = queue_receive(k->q, &m, NULL, w);

	if (r == -EINTR || r == -ETIMEDOUT)
		return r;
	if (r < 0) {
		ledlog(LOG_ERR, "%s: %s; stopping", queue_name(k->q),
			r == -EIDRM ? "the queue was removed" : strerror(-r));
		return r;
	}
	*out = (struct transport_message){
		.data = m.data,
		.len = m.len,
		.stop = queue_kind(k->q) == QUEUE_SYSV && m.priority == TRANSPORT_SYSV_STOP_TYPE,
		.led = "",
	};
	return 0;
}

/* Write TEXT to the client's reply queue, if it gave one. Never waits: a
 * client that left or stopped reading must not stall the LED. */
static void kernel_answer(struct transport *t, const struct transport_message *m, const struct protocol_command *cmd,
	const char *answer_text)
{
	static const struct queue_wait nowait = { .how = QUEUE_WAIT_NONE };
	const struct queue_open_options wronly = { .access = QUEUE_WRITE };
	struct queue_address addr;
	struct parse_error e;
	struct queue *rq;
	int r;

	(void)t;
	(void)m;
	if (!cmd->reply[0])
		return;
	/* only into the queue its sender made for it (auth.h): a name seen
	 * in /dev/mqueue is not enough to be answered there */
	if (!ledauth_reply_matches(cmd->reply, cmd->nonce)) {
		ledlog(LOG_WARNING,
			"no answer sent to %s: the nonce is not that reply queue's; "
			"the command was not sent by the queue's maker",
			cmd->reply);
		return;
	}
	if (address_parse(cmd->reply, &addr, &e) < 0) {
		ledlog(LOG_WARNING, "no answer sent to %s: %s", cmd->reply, e.msg);
		return;
	}
	char text[PROTOCOL_ANSWER_MAX + 64];
	int n = snprintf(text, sizeof(text), "nonce=%s %s", cmd->nonce, answer_text);
	r = queue_open(&addr, &wronly, &rq, NULL);
	if (r == 0) {
		r = queue_send(rq, text, n > 0 && (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1, 1, &nowait);
		queue_close(rq);
	}
	if (r < 0)
		ledlog(LOG_WARNING, "no answer sent to %s: %s", cmd->reply,
			r == -ENOENT ? "it is gone (the client gave up waiting)" : strerror(-r));
}

static void kernel_shutdown(struct transport *t)
{
	struct kernel_transport *k = of(t);
	if (k->q) {
		if (queue_was_created(k->q))
			queue_remove(queue_address(k->q), NULL);
		queue_close(k->q);
		k->q = NULL;
	}
	if (k->lock_path[0])
		lockfile_release(k->lock_path, k->lock_fd);
	else if (k->lock_fd >= 0)
		close(k->lock_fd); /* a descriptor of the queue: the lock goes with it */
	k->lock_fd = -1;
	k->lock_path[0] = '\0';
}

static void kernel_daemonized(struct transport *t)
{
	struct kernel_transport *k = of(t);
	if (k->lock_path[0])
		lockfile_write_pid(k->lock_fd);
}

/* An existing queue is served only if it is the controller's own and no
 * one else may read it: commands carry their client's secret nonce. */
static int check_queue_owner(struct kernel_transport *k, struct mqled_error *e)
{
	const struct transport_options *opt = &k->base.opt;
	struct queue_info info;
	int r = queue_stat_address(queue_address(k->q), &info);

	if (r < 0)
		return mqled_queue_fail(e, r, "inspect", NULL);
	if (!(info.known & QI_OWNER))
		return 0;
	/* a System V queue another user made, even if handed over since: its
	 * creator may still open it to all (queue_info_other_creator) */
	uid_t creator = queue_info_other_creator(&info);
	if (creator != (uid_t)-1 && creator != geteuid() && creator != 0) {
		char name[64];
		return mqled_fail(e, EPERM,
			"%s: the queue was created by %s (uid %ld), who may still change its mode "
			"and remove it though uid %ld owns it; a controller serves only a queue no one else controls, "
			"since commands carry their client's secret; remove it (mqrm %s) or give another with -q",
			opt->queue_text, format_user(creator, name, sizeof(name)), (long)creator, (long)info.uid,
			opt->queue_text);
	}
	if (info.uid != geteuid() || (info.mode & 044))
		return mqled_fail(e, EPERM,
			"%s: the queue belongs to uid %ld with mode %04o; a controller serves only "
			"a queue of its own user (uid %ld) that no one else may read, since commands carry their "
			"client's secret; remove it (mqrm %s) or give another with -q",
			opt->queue_text, (long)info.uid, (unsigned)(info.mode & 07777), (long)geteuid(),
			opt->queue_text);
	return 0;
}

/* Why the controller's lock (in DIR for System V) could not be taken. */
static int lock_failed(struct kernel_transport *k, int r, pid_t holder, bool sysv, const char *dir,
	struct mqled_error *e)
{
	const char *text = k->base.opt.queue_text;

	if (r == -EBUSY && holder > 0)
		return mqled_fail(e, EBUSY,
			"%s: another mqled controller (pid %ld) already serves this queue; "
			"stop it first with 'mqled -q %s stop'",
			text, (long)holder, text);
	if (r == -EBUSY)
		return mqled_fail(e, EBUSY,
			"%s: another mqled controller already serves this queue; "
			"stop it first with 'mqled -q %s stop'",
			text, text);
	return mqled_fail(e, -r, "%s: cannot take the controller's lock%s%s: %s%s", text, sysv ? " in " : "",
		sysv ? dir : "", strerror(-r),
		r == -EPERM ? " (the lock directory must be this user's own, writable by no one else)" :
			r == -ENOENT && sysv ? " (no lock directory: set XDG_RUNTIME_DIR, or run from "
					       "systemd with RuntimeDirectory=)" :
					       "");
}

/* The controller's lock, on the queue's identity (lock.h). */
static int take_queue_lock(struct kernel_transport *k, struct mqled_error *e)
{
	const struct queue_address *a = queue_address(k->q);
	pid_t holder = 0;
	char dir[4096] = "";
	int r;

	if (a->kind == QUEUE_POSIX) {
		k->lock_fd = mq_open(a->name, O_WRONLY | O_CLOEXEC);
		r = k->lock_fd < 0 ? -errno : lockfile_take_fd(k->lock_fd);
	} else {
		int id = lock_sysv_id(a);
		r = id < 0 ? id : lock_dir(dir, sizeof(dir), true);
		if (r >= 0)
			r = lock_sysv_path(dir, id, k->lock_path, sizeof(k->lock_path));
		if (r >= 0)
			r = lockfile_take(k->lock_path, &k->lock_fd, &holder);
		if (r < 0)
			k->lock_path[0] = '\0';
	}
	if (r == 0)
		return 0;
	/* A points into the queue, which is closed below */
	bool sysv = a->kind == QUEUE_SYSV;
	if (k->lock_fd >= 0 && !k->lock_path[0])
		close(k->lock_fd);
	k->lock_fd = -1;
	/* the queue is the other controller's now, whoever made it */
	queue_close(k->q);
	k->q = NULL;
	return lock_failed(k, r, holder, sysv, dir, e);
}

static int kernel_open(struct transport *t, struct mqled_error *e)
{
	struct kernel_transport *k = of(t);
	const struct transport_options *opt = &t->opt;
	struct queue_open_options qopt = {
		.access = QUEUE_READ,
		.create = opt->addr.form != ADDR_SYSV_ID, /* an id names a queue that exists */
		.mode = opt->mode,
		/* room for the longest command, not the system's default 8 KiB:
		 * the queue counts against its creator's RLIMIT_MSGQUEUE */
		.msgsize = opt->addr.kind == QUEUE_POSIX ? PROTOCOL_MAX_LEN : 0,
	};
	struct queue_detail why = { "" };
	int r;

	k->lock_fd = -1;
	/* The lock is the queue's own (or named by its identifier), so the
	 * queue comes first; a second controller leaves it as it found it. */
	if ((r = queue_open(&opt->addr, &qopt, &k->q, &why)) < 0)
		return mqled_queue_fail(e, r, "create", &why);
	if ((r = take_queue_lock(k, e)) < 0 || (r = check_queue_owner(k, e)) < 0) {
		kernel_shutdown(t);
		return r;
	}
	snprintf(t->name, sizeof(t->name), "queue %s", queue_name(k->q));
	snprintf(t->started, sizeof(t->started), "queue %s (%s)", queue_name(k->q),
		queue_was_created(k->q) ? "created" : "existing");
	return 0;
}

const struct transport_backend transport_kernel_backend = {
	.size = sizeof(struct kernel_transport),
	.open = kernel_open,
	.receive = kernel_receive,
	.answer = kernel_answer,
	.shutdown = kernel_shutdown,
	.daemonized = kernel_daemonized,
};
