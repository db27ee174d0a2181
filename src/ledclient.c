/* ledclient.c - the mqled client (see ledclient.h).
 *
 * The client makes a reply queue of its own, of the same kind as the
 * controller's: POSIX /mqled-reply-PID, or System V key 0x6d000000 + PID.
 * It is made exclusively, mode 0622 (the controller may run as another
 * user), and removed when the client exits. A queue of that name left by
 * an earlier process with the same pid cannot be anyone's but a dead
 * client's: it is removed and made again. */
#include "config.h"
#include "clock.h"
#include "ledclient.h"
#include "cli.h"
#include "ledcmd.h"
#include "ledctl.h"
#include "ledlock.h"
#include "queue.h"
#include "signals.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPLY_MODE 0622

static struct queue *reply_queue;

static void remove_reply_queue(void)
{
	if (!reply_queue)
		return;
	queue_remove(queue_address(reply_queue));
	queue_close(reply_queue);
	reply_queue = NULL;
}

static void make_reply_queue(enum queue_kind kind, char *text, size_t len)
{
	struct queue_open_options opt = {
		.access = QUEUE_READ, .create = true, .exclusive = true, .mode = REPLY_MODE,
		.maxmsg = kind == QUEUE_POSIX ? 1 : 0, .msgsize = kind == QUEUE_POSIX ? LEDCMD_ANSWER_MAX : 0,
	};
	struct queue_address addr;
	struct parse_error e;
	int r;

	if (kind == QUEUE_POSIX)
		snprintf(text, len, "%s%ld", LEDCMD_REPLY_PREFIX, (long)getpid());
	else
		snprintf(text, len, "key:0x%08lx", LEDCMD_REPLY_KEY_MIN + (unsigned long)getpid());
	if (address_parse(text, &addr, &e) < 0)
		cli_die(MQ_EXIT_FAILURE, "reply queue %s: %s", text, e.msg);
	r = queue_open(&addr, &opt, &reply_queue);
	if (r == -EEXIST) {
		queue_remove(&addr);
		r = queue_open(&addr, &opt, &reply_queue);
	}
	if (r < 0)
		exit(queue_error(text, r, "create"));
	atexit(remove_reply_queue);
}

/* The command that starts a controller on QUEUE_TEXT. */
static const char *start_hint(const char *queue_text, char *buf, size_t len)
{
	if (!strcmp(queue_text, LEDCTL_DEFAULT_QUEUE))
		snprintf(buf, len, "'mqled run' (or 'systemctl start mqled')");
	else
		snprintf(buf, len, "'mqled -q %s run'", queue_text);
	return buf;
}

static void say_timeout(const char *name, int64_t timeout_ns, const char *what)
{
	cli_warn("%s: no answer from the controller within %.3g s (--timeout): %s", name,
		(double)timeout_ns / 1e9, what);
}

int ledclient_run(const struct queue_address *addr, const char *queue_text, const char *command, bool show_answer,
	int64_t timeout_ns)
{
	const struct queue_open_options wronly = { .access = QUEUE_WRITE };
	struct queue_wait w = { .how = WAIT_TIMEOUT, .timeout_ns = timeout_ns };
	char name[NAME_MAX + 16], lock[4096], reply_text[64], message[LEDCMD_MAX_LEN + 80], hint[NAME_MAX + 64];
	struct queue_message m;
	struct queue *q;
	pid_t holder;
	int r;

	address_format(addr, name, sizeof(name));
	r = queue_open(addr, &wronly, &q);
	if (r == -ENOENT)
		cli_die(MQ_EXIT_NOQUEUE, "%s: no controller: the queue does not exist; start one with %s",
			queue_text, start_hint(queue_text, hint, sizeof(hint)));
	if (r < 0)
		exit(queue_error(queue_text, r, "write to"));
	/* a queue left by a controller that was killed: nobody would answer */
	ledctl_lock_path(name, lock, sizeof(lock));
	if (ledlock_held(lock, &holder) == 0)
		cli_die(MQ_EXIT_NOQUEUE, "%s: no controller is running on this queue (it was left by one that "
			"ended); start one with %s", queue_text, start_hint(queue_text, hint, sizeof(hint)));

	signals_install();
	make_reply_queue(addr->kind, reply_text, sizeof(reply_text));
	snprintf(message, sizeof(message), "%s reply=%s", command, reply_text);

	int64_t deadline = monotonic_ns() + timeout_ns;
	r = queue_send(q, message, strlen(message), 1, &w);
	queue_close(q);
	if (r == -ETIMEDOUT) {
		say_timeout(queue_text, timeout_ns, "its queue stayed full; is it stuck?");
		return MQ_EXIT_TIMEOUT;
	}
	if (r < 0)
		return queue_error(queue_text, r, "send");

	int64_t left = deadline - monotonic_ns();
	w.timeout_ns = left > 0 ? left : 0;
	r = queue_receive(reply_queue, &m, NULL, &w);
	if (r == -ETIMEDOUT) {
		char why[128];
		if (ledlock_held(lock, &holder) == 1)
			snprintf(why, sizeof(why), "controller pid %ld is busy or stuck; see its log", (long)holder);
		else
			snprintf(why, sizeof(why), "the controller ended before answering");
		say_timeout(queue_text, timeout_ns, why);
		return MQ_EXIT_TIMEOUT;
	}
	if (r < 0)
		return queue_error(reply_text, r, "receive from");

	if (m.len >= 2 && !memcmp(m.data, "ok", 2)) {
		/* only status has something to show; the others succeed quietly */
		if (show_answer && m.len > 3)
			printf("%.*s\n", (int)(m.len - 3), m.data + 3);
		return MQ_EXIT_OK;
	}
	if (m.len >= 6 && !memcmp(m.data, "error ", 6))
		cli_warn("%s: the controller refused '%s': %.*s", queue_text, command, (int)(m.len - 6), m.data + 6);
	else
		cli_warn("%s: the controller answered something unexpected: %.*s", queue_text, (int)(m.len > 200 ? 200 : m.len), m.data);
	return MQ_EXIT_FAILURE;
}
