/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client.c - the mqled client (see client.h).
 *
 * For each command the client draws a secret nonce and makes a POSIX reply
 * queue named after its hash (auth.h), for a System V controller too:
 * a fresh, unpredictable name, made exclusively (a name someone took is
 * simply drawn again), and removed when the client exits. Its mode lets
 * only the controller write (mqled(1), SECURITY):
 * - 0600 when the controller's queue is root's or this user's own;
 * - 0620 with the controller queue's group when this user is in it (the
 *   usual way to be allowed to send: group write on that queue);
 * - else 0622, and then only the nonce tells the answer from a forgery.
 * An answer is taken only when it starts with "nonce=NONCE ". */
#include "config.h"
#include "lib/clock.h"
#include "mqled/client.h"
#include "cli/cli.h"
#include "cli/queue-cli.h"
#include "mqled/auth.h"
#include "mqled/protocol.h"
#include "mqled/lock.h"
#include "lib/lockfile.h"
#include "queue/queue.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lib/termesc.h"

/* Room for a few messages: one written by someone allowed to write it
 * (0622) does not keep the controller's answer out. */
#define REPLY_MAXMSG 8
#define REPLY_MSGSIZE (PROTOCOL_ANSWER_MAX + 64)
/* How often a client looks for a controller that is not there yet: soon
 * at first (one starting at the same moment), then less often. */
#define WAIT_STEP_FIRST_NS 2000000L
#define WAIT_STEP_MAX_NS 50000000L

static struct queue *reply_queue;

static void remove_reply_queue(void)
{
	if (!reply_queue)
		return;
	queue_remove(queue_address(reply_queue), NULL);
	queue_close(reply_queue);
	reply_queue = NULL;
}

static bool in_group(gid_t gid)
{
	gid_t groups[256];
	int n = getgroups(256, groups);
	if (getegid() == gid)
		return true;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* Make the reply queue for NONCE; its name into TEXT. The controller
 * queue's owner and group (INFO) decide who else may write to it. */
static void make_reply_queue(const char *nonce, const struct queue_info *info, char *text, size_t len)
{
	struct mq_attr attr = { .mq_maxmsg = REPLY_MAXMSG, .mq_msgsize = REPLY_MSGSIZE };
	const struct queue_open_options ropt = { .access = QUEUE_READ };
	struct queue_address addr;
	struct parse_error e;
	mode_t mode = 0600;
	gid_t gid = (gid_t)-1;
	int r;

	if (info->uid != 0 && info->uid != geteuid()) {
		if (in_group(info->gid)) {
			mode = 0620;
			gid = info->gid;
		} else {
			mode = 0622;
		}
	}
	ledauth_reply_name(nonce, text, len);
	/* made 0600, then given its group, then its mode: never more open */
	mqd_t fd = mq_open(text, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
	if (fd == (mqd_t)-1)
		exit(queue_cli_error(text, QUEUE_POSIX, -errno, "create", NULL));
	if ((gid != (gid_t)-1 && fchown(fd, (uid_t)-1, gid) < 0) || fchmod(fd, mode) < 0) {
		int err = errno;
		mq_close(fd);
		mq_unlink(text);
		cli_die(MQ_EXIT_FAILURE, "reply queue %s: cannot give it mode %04o: %s", text, (unsigned)mode,
			strerror(err));
	}
	if (address_parse(text, &addr, &e) < 0 || (r = queue_open(&addr, &ropt, &reply_queue, NULL)) < 0) {
		mq_close(fd);
		mq_unlink(text);
		cli_die(MQ_EXIT_FAILURE, "reply queue %s: cannot open it again", text);
	}
	mq_close(fd);
	atexit(remove_reply_queue);
}

/* A controller's queue is trusted with a nonce only when its owner is
 * root, the mqled service user or this user, and no one else may read it. */
static void check_controller_queue(const char *queue_text, const struct queue_info *info)
{
	const struct passwd *pw = getpwnam(PROTOCOL_SERVICE_USER);

	if (!(info->known & QI_OWNER))
		return;
	if (info->uid != 0 && info->uid != geteuid() && !(pw && pw->pw_uid == info->uid))
		cli_die(MQ_EXIT_FAILURE,
			"%s: the queue belongs to uid %ld, which is neither root, the '%s' user nor "
			"you: not a controller's queue; refusing to send to it",
			queue_text, (long)info->uid, PROTOCOL_SERVICE_USER);
	/* its creator may still make it readable (queue_info_other_creator) */
	uid_t creator = queue_info_other_creator(info);
	if (creator != (uid_t)-1 && creator != 0 && creator != geteuid() && !(pw && pw->pw_uid == creator))
		cli_die(MQ_EXIT_FAILURE,
			"%s: the queue was created by uid %ld, which is neither root, the '%s' user "
			"nor you, and may still make it readable: not a controller's queue; refusing to send to it",
			queue_text, (long)creator, PROTOCOL_SERVICE_USER);
	if (info->mode & 044)
		cli_die(MQ_EXIT_FAILURE,
			"%s: the queue is readable by others (mode %04o): not a controller's queue; "
			"refusing to send to it",
			queue_text, (unsigned)(info->mode & 07777));
}

/* Whether a controller holds the queue's lock: 1, 0, -1 cannot tell. */
static int controller_alive(const struct queue_address *addr)
{
	if (addr->kind == QUEUE_POSIX) {
		mqd_t fd = mq_open(addr->name, O_WRONLY | O_CLOEXEC);
		if (fd == (mqd_t)-1)
			return -1;
		int r = lockfile_held_fd(fd);
		mq_close(fd);
		return r < 0 ? -1 : r;
	}
	/* System V: root's directory, then this user's own */
	int id = lock_sysv_id(addr);
	char dirs[2][4096], path[4096];
	pid_t holder;
	size_t n = 0;
	if (id < 0)
		return -1;
	snprintf(dirs[n++], sizeof(dirs[0]), "%s", LOCK_ROOT_DIR);
	if (lock_dir(dirs[n], sizeof(dirs[0]), false) == 0)
		n++;
	for (size_t i = 0; i < n; i++)
		if (lock_sysv_path(dirs[i], id, path, sizeof(path)) == 0 && lockfile_held(path, &holder) == 1)
			return 1;
	return -1;
}

/* The command that starts a controller on QUEUE_TEXT. */
static const char *start_hint(const char *queue_text, char *buf, size_t len)
{
	if (!strcmp(queue_text, PROTOCOL_DEFAULT_QUEUE))
		snprintf(buf, len, "'mqled run' (or 'systemctl start mqled')");
	else
		snprintf(buf, len, "'mqled -q %s run'", queue_text);
	return buf;
}

static void say_timeout(const char *name, int64_t timeout_ns, const char *what)
{
	cli_warn("%s: no answer from the controller within %.3g s (--timeout): %s", name, (double)timeout_ns / 1e9,
		what);
}

/* What the controller answered, shown on a terminal with every control
 * byte escaped (the controller is another user: its bytes are outside). */
static void show(FILE *f, const char *data, size_t len)
{
	char buf[TERMESC_SIZE(PROTOCOL_ANSWER_MAX)];
	if (len > PROTOCOL_ANSWER_MAX)
		len = PROTOCOL_ANSWER_MAX;
	if (isatty(fileno(f))) {
		termesc(buf, data, len, f == stdout ? TERMESC_KEEP_NEWLINE : 0);
		fputs(buf, f);
	} else {
		fwrite(data, 1, len, f);
	}
}

/* Nanoseconds from now to DEADLINE, at least 0. */
static int64_t ns_until(int64_t deadline)
{
	int64_t left = deadline - monotonic_ns();
	return left > 0 ? left : 0;
}

/* The controller's queue, opened for writing, once a controller serves it:
 * a controller starting at the same time as this client (mqled run &
 * mqled on, or systemd starting the service) makes its queue and then
 * takes its lock, and is waited for until DEADLINE. A queue that is not a
 * controller's (check_controller_queue) is refused at once. */
static struct queue *wait_for_controller(const struct queue_address *addr, const char *queue_text, int64_t deadline,
	struct queue_info *info)
{
	const struct queue_open_options wronly = { .access = QUEUE_WRITE };
	struct timespec pause = { 0, 0 };
	char hint[NAME_MAX + 64];
	long step_ns = WAIT_STEP_FIRST_NS;
	struct queue *q;

	for (;;) {
		int r = queue_open(addr, &wronly, &q, NULL);
		if (r < 0 && r != -ENOENT)
			exit(queue_cli_error(queue_text, addr->kind, r, "write to", NULL));
		if (r == 0) {
			if ((r = queue_stat_address(queue_address(q), info)) < 0)
				exit(queue_cli_error(queue_text, addr->kind, r, "inspect", NULL));
			check_controller_queue(queue_text, info);
			/* a queue left by a controller that ended, or one a
			 * controller has made but not locked yet */
			if (controller_alive(addr) != 0)
				return q;
			queue_close(q);
		}
		int64_t left = ns_until(deadline);
		if (left <= 0 && r == -ENOENT)
			cli_die(MQ_EXIT_NOQUEUE, "%s: no controller: the queue does not exist; start one with %s",
				queue_text, start_hint(queue_text, hint, sizeof(hint)));
		if (left <= 0)
			cli_die(MQ_EXIT_NOQUEUE,
				"%s: no controller is running on this queue (it was left by one that "
				"ended); start one with %s",
				queue_text, start_hint(queue_text, hint, sizeof(hint)));
		pause.tv_nsec = left < step_ns ? (long)left : step_ns;
		nanosleep(&pause, NULL);
		if (step_ns < WAIT_STEP_MAX_NS)
			step_ns *= 2;
	}
}

int ledclient_run(const struct queue_address *addr, const char *queue_text, const char *command, bool show_answer,
	int64_t timeout_ns)
{
	struct queue_wait w = { .how = QUEUE_WAIT_TIMEOUT, .timeout_ns = timeout_ns };
	char reply_text[64], nonce[LEDAUTH_HEX + 1], message[PROTOCOL_MAX_LEN + 160], prefix[80];
	int64_t deadline = monotonic_after_ns(timeout_ns);
	struct queue_info info;
	struct queue_message m;
	unsigned ignored = 0;
	int r;

	struct queue *q = wait_for_controller(addr, queue_text, deadline, &info);

	/* refused before anything is made or sent: the limit is the smaller
	 * of the language's and the queue's */
	size_t limit = queue_max_message(q),
	       added = strlen(" reply=") + strlen(PROTOCOL_REPLY_PREFIX) + LEDAUTH_HEX + strlen(" nonce=") +
		LEDAUTH_HEX;
	if (limit == 0 || limit > PROTOCOL_MAX_LEN)
		limit = PROTOCOL_MAX_LEN;
	if (strlen(command) + added > limit)
		cli_usage_error(
			"the command is %zu bytes; with the %zu bytes mqled adds (reply= and nonce=) it is over "
			"the limit of %zu bytes of %s's commands, so at most %zu of your own",
			strlen(command), added, limit, queue_text, limit > added ? limit - added : 0);

	if ((r = ledauth_new_nonce(nonce)) < 0)
		cli_die(MQ_EXIT_FAILURE, "cannot draw a nonce: %s", strerror(-r));
	signals_install();
	make_reply_queue(nonce, &info, reply_text, sizeof(reply_text));
	snprintf(message, sizeof(message), "%s reply=%s nonce=%s", command, reply_text, nonce);
	int plen = snprintf(prefix, sizeof(prefix), "nonce=%s ", nonce);

	w.timeout_ns = ns_until(deadline);
	r = queue_send(q, message, strlen(message), 1, &w);
	queue_close(q);
	if (r == -ETIMEDOUT) {
		say_timeout(queue_text, timeout_ns, "its queue stayed full; is it stuck?");
		return MQ_EXIT_TIMEOUT;
	}
	if (r < 0)
		return queue_cli_error(queue_text, addr->kind, r, "send", NULL);

	/* anything without our nonce was not written by the controller */
	for (;;) {
		w.timeout_ns = ns_until(deadline);
		r = queue_receive(reply_queue, &m, NULL, &w);
		if (r < 0 || (m.len >= (size_t)plen && !memcmp(m.data, prefix, (size_t)plen)))
			break;
		ignored++;
	}
	if (ignored)
		cli_warn("%s: ignored %u message%s on the reply queue without this command's nonce: not from the "
			 "controller",
			queue_text, ignored, ignored == 1 ? "" : "s");
	if (r == -ETIMEDOUT) {
		say_timeout(queue_text, timeout_ns,
			controller_alive(addr) == 0 ? "the controller ended before answering" :
						      "the controller is busy or stuck; see its log");
		return MQ_EXIT_TIMEOUT;
	}
	if (r < 0)
		return queue_cli_error_on(reply_queue, r, "receive from");
	return ledclient_answer(queue_text, command, m.data + plen, m.len - (size_t)plen, show_answer);
}

int ledclient_answer(const char *queue_text, const char *command, const char *data, size_t len, bool show_answer)
{
	if (len >= 2 && !memcmp(data, "ok", 2)) {
		/* only status has something to show; the others succeed quietly */
		if (show_answer && len > 3) {
			show(stdout, data + 3, len - 3);
			putchar('\n');
		}
		return MQ_EXIT_OK;
	}
	fprintf(stderr, "%s: %s: ", cli_program, queue_text);
	if (len >= 6 && !memcmp(data, "error ", 6)) {
		fprintf(stderr, "the controller refused '%s': ", command);
		show(stderr, data + 6, len - 6);
	} else {
		fputs("the controller answered something unexpected: ", stderr);
		show(stderr, data, len > 200 ? 200 : len);
	}
	fputc('\n', stderr);
	return MQ_EXIT_FAILURE;
}
