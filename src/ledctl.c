/* ledctl.c - the mqled controller (see ledctl.h and mqled(1)).
 *
 * One loop: receive a command, execute it, answer it. Blinking is a
 * schedule, not a sleep: while the LED blinks, each receive waits at most
 * until the next on/off transition (WAIT_TIMEOUT, for POSIX and System V
 * queues alike), so a command is taken as soon as it arrives and a blink
 * never delays one. */
#include "config.h"
#include "clock.h"
#include "ledctl.h"
#include "cli.h"
#include "ledcmd.h"
#include "ledlock.h"
#include "ledlog.h"
#include "signals.h"

#include <errno.h>
#include <libutil.h> /* pidfile_*, from libbsd's overlay */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS 1 /* as msgout.c: the NetBSD signatures */
#include <vis.h>

#define MS 1000000LL

struct blink {
	bool active;
	unsigned on_ms, off_ms;
	unsigned count, done; /* cycles asked (0 = until told otherwise) and done */
	int64_t next_ns;      /* monotonic time of the next transition */
};

struct controller {
	const struct ledctl_options *opt;
	struct queue *q;
	struct led *led;
	struct blink blink;
	char lock_path[4096]; /* this queue's controller lock */
	int lock_fd;
	struct pidfh *pidfile;
	bool stop;
	int status; /* exit status */
};

void ledctl_lock_path(const char *queue_name, char *path, size_t len)
{
	int r = ledlock_queue_path(queue_name, path, len);
	if (r < 0)
		cli_die(MQ_EXIT_FAILURE, "cannot name the controller's lock file: %s", strerror(-r));
}

/* Set the LED, logging a failure; false if it failed. */
static bool set_led(struct controller *c, bool on, char *why, size_t len)
{
	struct parse_error e;
	if (led_set(c->led, on, &e) == 0)
		return true;
	ledlog(LOG_ERR, "%s", e.msg);
	snprintf(why, len, "%s", e.msg);
	return false;
}

/* --- blinking ------------------------------------------------------------- */

static void blink_start(struct controller *c, const struct ledcmd *cmd, char *why, size_t len)
{
	c->blink = (struct blink){ .active = true, .on_ms = cmd->on_ms, .off_ms = cmd->off_ms, .count = cmd->count };
	c->blink.next_ns = monotonic_ns() + cmd->on_ms * MS;
	if (!set_led(c, true, why, len))
		c->blink.active = false;
}

/* Make the transitions that are due. The next one is scheduled from when
 * this one was due, not from now, so that a late wakeup does not stretch
 * every later period; after a long stall (over a period) it restarts from
 * now instead of catching up with a burst. */
static void blink_step(struct controller *c)
{
	struct blink *b = &c->blink;
	int64_t now = monotonic_ns();
	char why[512];

	while (b->active && now >= b->next_ns) {
		bool on = !c->led->on;
		if (!set_led(c, on, why, sizeof(why))) {
			b->active = false;
			return;
		}
		if (!on && b->count && ++b->done == b->count) {
			/* the last cycle ends with the LED off */
			b->active = false;
			ledlog(LOG_INFO, "blinking done: %u cycle%s", b->count, b->count == 1 ? "" : "s");
			return;
		}
		b->next_ns += (on ? b->on_ms : b->off_ms) * MS;
		if (now - b->next_ns > (int64_t)(b->on_ms + b->off_ms) * MS)
			b->next_ns = now + (on ? b->on_ms : b->off_ms) * MS;
	}
}

/* --- answers ---------------------------------------------------------------- */

/* Write ANSWER to the client's reply queue, if it gave one. Never waits: a
 * client that left or stopped reading must not stall the LED. */
static void answer(const struct ledcmd *cmd, const char *answer_text)
{
	static const struct queue_wait nowait = { .how = WAIT_NONE };
	const struct queue_open_options wronly = { .access = QUEUE_WRITE };
	struct queue_address addr;
	struct parse_error e;
	struct queue *rq;
	int r;

	if (!cmd->reply[0])
		return;
	if (address_parse(cmd->reply, &addr, &e) < 0) {
		ledlog(LOG_WARNING, "no answer sent to %s: %s", cmd->reply, e.msg);
		return;
	}
	r = queue_open(&addr, &wronly, &rq);
	if (r == 0) {
		r = queue_send(rq, answer_text, strlen(answer_text), 1, &nowait);
		queue_close(rq);
	}
	if (r < 0)
		ledlog(LOG_WARNING, "no answer sent to %s: %s", cmd->reply,
			r == -ENOENT ? "it is gone (the client gave up waiting)" : strerror(-r));
}

static void describe_state(const struct controller *c, char *buf, size_t len)
{
	const struct blink *b = &c->blink;
	int n;

	if (b->active && b->count)
		n = snprintf(buf, len, "LED: blinking, %u ms on, %u ms off, %u of %u cycles done (now %s)\n",
			b->on_ms, b->off_ms, b->done, b->count, c->led->on ? "on" : "off");
	else if (b->active)
		n = snprintf(buf, len, "LED: blinking, %u ms on, %u ms off, until told otherwise (now %s)\n",
			b->on_ms, b->off_ms, c->led->on ? "on" : "off");
	else
		n = snprintf(buf, len, "LED: %s\n", c->led->on ? "on" : "off");
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "backend: %s\ncontroller: pid %ld, queue %s",
			c->led->description, (long)getpid(), queue_name(c->q));
}

/* --- commands ------------------------------------------------------------- */

static void cleanup(struct controller *c);

static void execute(struct controller *c, const struct ledcmd *cmd)
{
	char why[512] = "", reply[LEDCMD_ANSWER_MAX];
	bool ok = true;

	switch (cmd->verb) {
	case LEDCMD_ON:
	case LEDCMD_OFF:
	case LEDCMD_TOGGLE:
		c->blink.active = false;
		ok = set_led(c, cmd->verb == LEDCMD_TOGGLE ? !c->led->on : cmd->verb == LEDCMD_ON, why, sizeof(why));
		if (ok)
			ledlog(LOG_INFO, "%s: LED %s", ledcmd_verb_name(cmd->verb), c->led->on ? "on" : "off");
		break;
	case LEDCMD_BLINK:
		blink_start(c, cmd, why, sizeof(why));
		ok = c->blink.active;
		if (ok && cmd->count)
			ledlog(LOG_INFO, "blink: %u ms on, %u ms off, %u cycle%s", cmd->on_ms, cmd->off_ms,
				cmd->count, cmd->count == 1 ? "" : "s");
		else if (ok)
			ledlog(LOG_INFO, "blink: %u ms on, %u ms off, until told otherwise", cmd->on_ms, cmd->off_ms);
		break;
	case LEDCMD_STATUS:
		break;
	case LEDCMD_STOP:
		/* answered once all is released: the client's "stopped" is true */
		ledlog(LOG_INFO, "stop: told to stop");
		cleanup(c);
		c->stop = true;
		answer(cmd, "ok stopped");
		return;
	}
	if (!ok) {
		snprintf(reply, sizeof(reply), "error %s", why);
	} else {
		memcpy(reply, "ok ", 3);
		describe_state(c, reply + 3, sizeof(reply) - 3);
	}
	answer(cmd, reply);
}

static void handle_message(struct controller *c, const struct queue_message *m)
{
	struct ledcmd cmd;
	struct parse_error e;

	if (ledcmd_parse(m->data, m->len, &cmd, &e) == 0) {
		execute(c, &cmd);
		return;
	}
	/* the LED stays as it was; say why, quoting the message safely */
	char shown[4 * 80 + 1], reply[600];
	size_t n = m->len < 80 ? m->len : 80;
	strvisx(shown, m->data, n, VIS_CSTYLE | VIS_TAB | VIS_NL | VIS_OCTAL);
	ledlog(LOG_WARNING, "rejected '%s%s': %s", shown, m->len > n ? "..." : "", e.msg);
	snprintf(reply, sizeof(reply), "error %s", e.msg);
	answer(&cmd, reply);
}

/* --- start and end ---------------------------------------------------------- */

static void cleanup(struct controller *c)
{
	if (c->led) {
		ledlog(LOG_INFO, "LED released, %s", c->opt->keep && c->led->on ? "left on (--keep)" : "off");
		led_close(c->led, c->opt->keep);
		c->led = NULL;
	}
	if (c->q) {
		if (queue_was_created(c->q))
			queue_remove(queue_address(c->q));
		queue_close(c->q);
		c->q = NULL;
	}
	ledlock_release(c->lock_path, c->lock_fd);
	c->lock_fd = -1;
	if (c->pidfile) {
		pidfile_remove(c->pidfile);
		c->pidfile = NULL;
	}
}

static void take_pidfile(struct controller *c)
{
	const struct ledctl_options *opt = c->opt;
	pid_t other = 0;
	c->pidfile = pidfile_open(opt->pidfile, 0644, &other);
	if (c->pidfile)
		return;
	int err = errno;
	cleanup(c);
	if (err == EEXIST)
		cli_die(MQ_EXIT_FAILURE, "%s: another mqled controller (pid %ld) holds this pidfile; "
			"stop it first, or give this one another --pidfile", opt->pidfile, (long)other);
	cli_die(MQ_EXIT_FAILURE, "%s: cannot create the pidfile: %s (choose another with --pidfile)",
		opt->pidfile, strerror(err));
}

static void start(struct controller *c)
{
	const struct ledctl_options *opt = c->opt;
	struct queue_open_options qopt = {
		.access = QUEUE_READ,
		.create = opt->addr.form != ADDR_SYSV_ID, /* an id names a queue that exists */
		.mode = opt->mode,
		/* room for the longest command, not the system's default 8 KiB:
		 * the queue counts against its creator's RLIMIT_MSGQUEUE */
		.msgsize = opt->addr.kind == QUEUE_POSIX ? LEDCMD_MAX_LEN : 0,
	};
	struct parse_error e;
	char name[NAME_MAX + 16];
	pid_t holder;
	int r;

	/* the lock first: a second controller must not touch the first one's
	 * queue or LED, even to find out that they are taken */
	address_format(&opt->addr, name, sizeof(name));
	ledctl_lock_path(name, c->lock_path, sizeof(c->lock_path));
	r = ledlock_take(c->lock_path, &c->lock_fd, &holder);
	if (r == -EBUSY)
		cli_die(MQ_EXIT_FAILURE, "%s: another mqled controller (pid %ld) already serves this queue; "
			"stop it first with 'mqled -q %s stop'", name, (long)holder, opt->queue_text);
	if (r < 0)
		cli_die(MQ_EXIT_FAILURE, "%s: cannot take the controller's lock %s: %s", name, c->lock_path, strerror(-r));
	if (opt->pidfile)
		take_pidfile(c);
	if ((r = led_open(&opt->led, &c->led, &e)) < 0) {
		cleanup(c);
		cli_die(MQ_EXIT_FAILURE, "%s", e.msg);
	}
	if ((r = queue_open(&opt->addr, &qopt, &c->q)) < 0) {
		cleanup(c);
		exit(queue_error(opt->queue_text, r, "create"));
	}
	if (opt->daemon) {
		if (daemon(0, 0) < 0) {
			int err = errno;
			cleanup(c);
			cli_die(MQ_EXIT_FAILURE, "cannot detach: %s", strerror(err));
		}
		ledlog_use_syslog();
		pidfile_write(c->pidfile);
		ledlock_write_pid(c->lock_fd);
	}
	ledlog(LOG_INFO, "controller started: queue %s (%s), %s; LED off", queue_name(c->q),
		queue_was_created(c->q) ? "created" : "existing", c->led->description);
}

int ledctl_run(const struct ledctl_options *opt)
{
	struct controller c = { .opt = opt, .lock_fd = -1, .status = MQ_EXIT_OK };

	start(&c);
	signals_install(); /* after daemon(): timers are not inherited */
	while (!c.stop) {
		struct queue_wait w = { .how = WAIT_BLOCK };
		struct queue_message m;
		if (c.blink.active) {
			int64_t left = c.blink.next_ns - monotonic_ns();
			w = (struct queue_wait){ .how = WAIT_TIMEOUT, .timeout_ns = left > 0 ? left : 0 };
		}
		int r = queue_receive(c.q, &m, NULL, &w);
		if (r == 0)
			handle_message(&c, &m);
		else if (r == -EINTR) {
			ledlog(LOG_INFO, "stopping on %s", strsignal(signals_stop_requested()));
			break;
		} else if (r != -ETIMEDOUT) {
			ledlog(LOG_ERR, "%s: %s; stopping", queue_name(c.q),
				r == -EIDRM ? "the queue was removed" : strerror(-r));
			c.status = MQ_EXIT_FAILURE;
			break;
		}
		if (c.blink.active)
			blink_step(&c);
	}
	cleanup(&c);
	ledlog(LOG_INFO, "controller stopped");
	return c.status;
}
