/* SPDX-License-Identifier: GPL-2.0-or-later */
/* controller.c - the mqled controller (see controller.h and mqled(1)).
 *
 * One loop: receive a command, execute it, answer it. Blinking is the
 * LED's own when it can (the kernel's timer and pattern triggers of an LED
 * class device): then the controller only waits for the end of a counted
 * blink. Otherwise it is a schedule, not a sleep: while the LED blinks,
 * each receive waits at most until the next on/off transition
 * (QUEUE_WAIT_TIMEOUT, for POSIX and System V queues alike), so a command is
 * taken as soon as it arrives and a blink never delays one. */
#include "config.h"
#include "lib/clock.h"
#include "mqled/controller.h"
#include "mqled/protocol.h"
#include "mqled/lock.h"
#include "lib/lockfile.h"
#include "mqled/log.h"
#include "mqled/pidfile.h"
#include "mqled/transport.h"
#include "lib/sdnotify.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS 1 /* as msgout.c: the NetBSD signatures */
#include <vis.h>

#define MS 1000000LL

/* A blink, a pulse or a pattern: phases ms[0] on, ms[1] off, ms[2] on...,
 * the whole COUNT times (0 = until told otherwise). */
enum blink_kind { BLINK, PULSE, PATTERN };
struct blink {
	bool active;
	bool kernel; /* the LED blinks by itself (led_blink) */
	enum blink_kind kind;
	unsigned ms[PROTOCOL_PATTERN_MAX];
	unsigned n, phase;    /* phases, and the one now */
	unsigned count, done; /* cycles asked (0 = until told otherwise) and done */
	int64_t period_ns;    /* of one cycle */
	int64_t start_ns;     /* monotonic time it started */
	int64_t next_ns;      /* of the next transition; in the kernel, of the end */
};

/* A blink as the command that starts it, "pattern 100,150,100,650 3":
 * the word, a number of up to 10 digits and a separator for each phase,
 * the count. */
#define BLINK_COMMAND_MAX (PROTOCOL_PATTERN_MAX * 11 + 32)

/* One of the controller's LEDs: named with -L NAME=SPEC, "" alone. */
struct slot {
	const char *name;
	char tag[PROTOCOL_NAME_MAX + 3]; /* "NAME: " for the log, or "" */
	struct led *led;
	struct blink blink;
	/* as last told to the transport; lit -1: not yet */
	struct {
		int lit;
		unsigned level;
		char blink[BLINK_COMMAND_MAX];
	} reported;
};

struct controller {
	const struct controller_options *opt;
	struct transport *t;
	struct slot slots[CONTROLLER_MAX_LEDS];
	size_t n_slots;
	const char *names[CONTROLLER_MAX_LEDS]; /* the slots', for the transport */
	struct pidfile pidfile;                 /* fd -1: none */
	bool stop;
	bool ready;    /* READY=1 was sent to the service manager */
	bool stopping; /* and then STOPPING=1 */
	int ready_fd;  /* --daemon: the parent waits for a byte here, or -1 */
};

/* Set the LED, logging a failure; false if it failed. */
static bool set_led(struct slot *s, bool on, char *why, size_t len)
{
	struct led_error e;
	if (led_set(s->led, on, &e) == 0)
		return true;
	ledlog(LOG_ERR, "%s%s", s->tag, e.msg);
	snprintf(why, len, "%s", e.msg);
	return false;
}

/* --- blinking ------------------------------------------------------------- */

static const char *const blink_words[] = { [BLINK] = "blink", [PULSE] = "pulse", [PATTERN] = "pattern" };

/* Start the blink, pulse or pattern of CMD: in the LED when it can, else
 * on the controller's schedule. A pulse is one cycle of MS on and a 1 ms
 * off, which ends it (a cycle is done when its last off phase begins). */
static void blink_start(struct slot *s, const struct protocol_command *cmd, char *why, size_t len)
{
	struct blink *b = &s->blink;
	struct led_error e;
	int64_t now = monotonic_ns();

	*b = (struct blink){ .active = true, .count = cmd->count, .start_ns = now };
	if (cmd->verb == PROTOCOL_PATTERN) {
		b->kind = PATTERN;
		b->n = cmd->n_ms;
		memcpy(b->ms, cmd->ms, cmd->n_ms * sizeof(cmd->ms[0]));
	} else {
		b->kind = cmd->verb == PROTOCOL_PULSE ? PULSE : BLINK;
		b->n = 2;
		b->ms[0] = cmd->on_ms;
		b->ms[1] = b->kind == PULSE ? 1 : cmd->off_ms;
		if (b->kind == PULSE)
			b->count = 1;
	}
	for (unsigned i = 0; i < b->n; i++)
		b->period_ns += b->ms[i] * MS;
	const struct led_sequence seq = { .ms = b->ms, .n = b->n, .repeat = b->count };
	int r = led_blink(s->led, &seq, &e);
	if (r == 0) {
		b->kernel = true;
		b->next_ns = now + (int64_t)b->count * b->period_ns;
		return;
	}
	if (r != -ENOTSUP) {
		ledlog(LOG_ERR, "%s%s", s->tag, e.msg);
		snprintf(why, len, "%s", e.msg);
		b->active = false;
		return;
	}
	b->next_ns = now + b->ms[0] * MS;
	if (!set_led(s, true, why, len))
		b->active = false;
}

/* Whether the loop must wake up for the blink: not for one the LED runs
 * by itself for ever. */
static bool blink_wakes(const struct blink *b)
{
	return b->active && !(b->kernel && !b->count);
}

/* Cycles done so far of a blink in the kernel, counted from its start. */
static unsigned kernel_cycles_done(const struct blink *b)
{
	int64_t done = (monotonic_ns() - b->start_ns) / b->period_ns;
	return b->count && done > b->count ? b->count : (unsigned)done;
}

static void blink_done(const struct slot *s)
{
	const struct blink *b = &s->blink;
	if (b->kind == PULSE)
		ledlog(LOG_INFO, "%spulse done", s->tag);
	else
		ledlog(LOG_INFO, "%s%s done: %u cycle%s", s->tag, b->kind == BLINK ? "blinking" : "pattern", b->count,
			b->count == 1 ? "" : "s");
}

/* A counted blink in the kernel has ended: the trigger left the LED off;
 * it is given back to the controller (trigger none). */
static void kernel_blink_end(struct slot *s)
{
	char why[512];
	s->blink.active = false;
	if (set_led(s, false, why, sizeof(why)))
		blink_done(s);
}

/* Make the transitions that are due. The next one is scheduled from when
 * this one was due, not from now, so that a late wakeup does not stretch
 * every later period; after a long stall (over a cycle) it restarts from
 * now instead of catching up with a burst. */
static void blink_step(struct slot *s)
{
	struct blink *b = &s->blink;
	int64_t now = monotonic_ns();
	char why[512];

	if (b->kernel) {
		if (b->count && now >= b->next_ns)
			kernel_blink_end(s);
		return;
	}
	while (b->active && now >= b->next_ns) {
		b->phase = (b->phase + 1) % b->n;
		bool on = b->phase % 2 == 0;
		if (!set_led(s, on, why, sizeof(why))) {
			b->active = false;
			return;
		}
		if (b->phase == b->n - 1 && b->count && ++b->done == b->count) {
			/* the last cycle ends with the LED off */
			b->active = false;
			blink_done(s);
			return;
		}
		b->next_ns += b->ms[b->phase] * MS;
		if (now - b->next_ns > b->period_ns)
			b->next_ns = now + b->ms[b->phase] * MS;
	}
}

/* "100,100,100,700" */
static void pattern_words(const struct blink *b, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < b->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "", b->ms[i]);
}

static int describe_blink(const struct slot *s, char *buf, size_t len)
{
	const struct blink *b = &s->blink;
	const char *now = led_lit(s->led) ? "on" : "off", *by = b->kernel ? "in the kernel, " : "";
	unsigned done = b->kernel ? kernel_cycles_done(b) : b->done;
	char what[PROTOCOL_PATTERN_MAX * 9], cycles[64];

	if (b->kind == PULSE)
		return snprintf(buf, len, "LED%s%s: pulse, %u ms on (%snow %s)\n", *s->name ? " " : "", s->name,
			b->ms[0], by, now);
	if (b->kind == BLINK)
		snprintf(what, sizeof(what), "blinking, %u ms on, %u ms off", b->ms[0], b->ms[1]);
	else {
		memcpy(what, "pattern ", 8);
		pattern_words(b, what + 8, sizeof(what) - 8);
	}
	if (b->count)
		snprintf(cycles, sizeof(cycles), "%u of %u cycles done", done, b->count);
	else
		snprintf(cycles, sizeof(cycles), "until told otherwise");
	return snprintf(buf, len, "LED%s%s: %s, %s (%snow %s)\n", *s->name ? " " : "", s->name, what, cycles, by, now);
}

/* One LED's lines of a status answer, at BUF; their length. */
static size_t describe_slot(const struct slot *s, char *buf, size_t len)
{
	const char *sp = *s->name ? " " : "";
	int n;

	if (s->blink.active)
		n = describe_blink(s, buf, len);
	else if (led_is_on(s->led) && led_get_level(s->led))
		n = snprintf(buf, len, "LED%s%s: on, brightness %u of %u\n", sp, s->name, led_get_level(s->led),
			led_max_level(s->led));
	else
		n = snprintf(buf, len, "LED%s%s: %s\n", sp, s->name, led_is_on(s->led) ? "on" : "off");
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "backend%s%s: %s\n", sp, s->name, led_description(s->led));
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* The state of the LEDs ONLY (NULL: all), and the controller. */
static void describe_state(const struct controller *c, const struct slot *only, char *buf, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < c->n_slots; i++)
		if (!only || only == &c->slots[i])
			o += describe_slot(&c->slots[i], buf + o, len - o);
	snprintf(buf + o, len - o, "controller: pid %ld, %s", (long)getpid(), transport_name(c->t));
}

/* --- commands ------------------------------------------------------------- */

/* The durations of a blink or a pattern: "100,150,100,650", or a blink's
 * as words, "500 ms on, 500 ms off", or as its command has them, "500 500". */
static void blink_timing(const struct blink *b, bool words, char *buf, size_t len)
{
	if (b->kind == BLINK)
		snprintf(buf, len, words ? "%u ms on, %u ms off" : "%u %u", b->ms[0], b->ms[1]);
	else
		pattern_words(b, buf, len);
}

static void log_blink(const struct slot *s)
{
	const struct blink *b = &s->blink;
	const char *by = !b->kernel    ? "" :
		b->n == 2 && !b->count ? ", by the kernel's timer trigger" :
					 ", by the kernel's pattern trigger";
	char what[PROTOCOL_PATTERN_MAX * 9];

	if (b->kind == PULSE) {
		ledlog(LOG_INFO, "%spulse: %u ms on%s", s->tag, b->ms[0], by);
		return;
	}
	blink_timing(b, true, what, sizeof(what));
	if (b->count)
		ledlog(LOG_INFO, "%s%s: %s, %u cycle%s%s", s->tag, blink_words[b->kind], what, b->count,
			b->count == 1 ? "" : "s", by);
	else
		ledlog(LOG_INFO, "%s%s: %s, until told otherwise%s", s->tag, blink_words[b->kind], what, by);
}

static bool set_level(struct slot *s, const struct protocol_command *cmd, char *why, size_t len)
{
	struct led_error e;
	if (led_level(s->led, cmd->level, cmd->percent, &e) < 0) {
		ledlog(LOG_ERR, "%s%s", s->tag, e.msg);
		snprintf(why, len, "%s", e.msg);
		return false;
	}
	ledlog(LOG_INFO, "%sbrightness: LED at %u of %u", s->tag, led_get_level(s->led), led_max_level(s->led));
	return true;
}

static void cleanup(struct controller *c);

/* CMD for one LED; false with the reason in WHY if it failed. */
static bool execute_on(struct slot *s, const struct protocol_command *cmd, char *why, size_t len)
{
	bool ok = true;

	switch (cmd->verb) {
	case PROTOCOL_ON:
	case PROTOCOL_OFF:
	case PROTOCOL_TOGGLE:
		s->blink.active = false;
		ok = set_led(s, cmd->verb == PROTOCOL_TOGGLE ? !led_lit(s->led) : cmd->verb == PROTOCOL_ON, why, len);
		if (ok)
			ledlog(LOG_INFO, "%s%s: LED %s", s->tag, protocol_verb_name(cmd->verb),
				led_is_on(s->led) ? "on" : "off");
		break;
	case PROTOCOL_BLINK:
	case PROTOCOL_PULSE:
	case PROTOCOL_PATTERN:
		blink_start(s, cmd, why, len);
		ok = s->blink.active;
		if (ok)
			log_blink(s);
		break;
	case PROTOCOL_BRIGHTNESS:
		s->blink.active = false;
		ok = set_level(s, cmd, why, len);
		break;
	case PROTOCOL_STATUS:
	case PROTOCOL_STOP: break;
	}
	return ok;
}

/* The LED a command names, or NULL with the reason in WHY. */
static struct slot *find_slot(struct controller *c, const char *name, char *why, size_t len)
{
	size_t o;
	for (size_t i = 0; i < c->n_slots; i++)
		if (!strcmp(c->slots[i].name, name))
			return &c->slots[i];
	o = (size_t)snprintf(why, len, "no LED named '%s' here", name);
	for (size_t i = 0; i < c->n_slots && o < len; i++)
		o += (size_t)snprintf(why + o, len - o, "%s%s",
			i                           ? ", " :
				c->slots[0].name[0] ? "; there are: " :
						      " (it drives one LED, unnamed: give no name)",
			c->slots[i].name);
	return NULL;
}

static void execute(struct controller *c, const struct transport_message *m, const struct protocol_command *cmd)
{
	char why[512] = "", reply[PROTOCOL_ANSWER_MAX];
	struct slot *only = NULL;
	bool ok = true;

	if (cmd->verb == PROTOCOL_STOP) {
		/* answered once all is released: the client's "stopped" is true */
		ledlog(LOG_INFO, "stop: told to stop");
		cleanup(c);
		c->stop = true;
		transport_answer(c->t, m, cmd, "ok stopped");
		return;
	}
	if (cmd->led[0] && !(only = find_slot(c, cmd->led, why, sizeof(why)))) {
		ledlog(LOG_WARNING, "refused '%s' for LED %s: %s", protocol_verb_name(cmd->verb), cmd->led, why);
		ok = false;
	}
	/* without a name, for every LED: the first failure is the answer */
	for (size_t i = 0; ok && i < c->n_slots; i++)
		if (!only || only == &c->slots[i])
			ok = execute_on(&c->slots[i], cmd, why, sizeof(why));
	if (!ok) {
		snprintf(reply, sizeof(reply), "error %s", why);
	} else {
		memcpy(reply, "ok ", 3);
		describe_state(c, only, reply + 3, sizeof(reply) - 3);
	}
	transport_answer(c->t, m, cmd, reply);
}

static void handle_message(struct controller *c, const struct transport_message *m)
{
	struct protocol_command cmd;
	struct parse_error e;

	int r = protocol_parse(m->data, m->len, &cmd, &e);

	/* The seeds' protocol: type 2 is stop, whatever it says. Its text is
	 * still parsed for reply= and nonce=, which the parser keeps even when
	 * it refuses the rest, so that the stop is answered when it can be. */
	if (m->stop) {
		if (r == 0 && cmd.verb != PROTOCOL_STOP)
			ledlog(LOG_INFO, "a message of type %d means stop; its command '%s' is not executed",
				TRANSPORT_SYSV_STOP_TYPE, protocol_verb_name(cmd.verb));
		else if (r < 0)
			ledlog(LOG_INFO, "a message of type %d means stop, whatever its text",
				TRANSPORT_SYSV_STOP_TYPE);
		cmd.verb = PROTOCOL_STOP;
		execute(c, m, &cmd);
		return;
	}
	/* a command on an LED's own topic (MQTT <topic>/NAME) is for it */
	if (r == 0 && m->led[0]) {
		if (cmd.verb == PROTOCOL_STOP)
			r = parse_fail(&e,
				"'stop' is for the whole controller: send it to its command topic, not an LED's");
		else if (cmd.led[0] && strcmp(cmd.led, m->led) != 0)
			r = parse_fail(&e, "'%s' on the topic of LED %s names another LED", cmd.led, m->led);
		else
			snprintf(cmd.led, sizeof(cmd.led), "%s", m->led);
	}
	if (r == 0) {
		execute(c, m, &cmd);
		return;
	}
	/* the LED stays as it was; say why, quoting the message safely */
	char shown[4 * 80 + 1], reply[600];
	size_t n = m->len < 80 ? m->len : 80;
	strvisx(shown, m->data, n, VIS_CSTYLE | VIS_TAB | VIS_NL | VIS_OCTAL);
	ledlog(LOG_WARNING, "rejected '%s%s': %s", shown, m->len > n ? "..." : "", e.msg);
	snprintf(reply, sizeof(reply), "error %s", e.msg);
	transport_answer(c->t, m, &cmd, reply);
}

/* The running blink of S as the command that starts it, into BUF. */
static void blink_command(const struct slot *s, char *buf, size_t len)
{
	const struct blink *b = &s->blink;
	char what[PROTOCOL_PATTERN_MAX * 11];
	if (b->kind == PULSE) {
		snprintf(buf, len, "pulse %u", b->ms[0]);
		return;
	}
	blink_timing(b, false, what, sizeof(what));
	if (b->count)
		snprintf(buf, len, "%s %s %u", blink_words[b->kind], what, b->count);
	else
		snprintf(buf, len, "%s %s", blink_words[b->kind], what);
}

/* Tell the transport (the MQTT state topics) what changed: an LED is
 * reported lit while it blinks, as Home Assistant sees a light, at its
 * full brightness, which a blink uses. */
static void report_states(struct controller *c)
{
	if (!c->t)
		return;
	for (size_t i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		char blink[BLINK_COMMAND_MAX] = "";
		if (!s->led)
			continue;
		struct transport_led_state st = {
			.lit = s->blink.active || led_is_on(s->led),
			.max_level = led_max_level(s->led),
		};
		if (s->blink.active) {
			blink_command(s, blink, sizeof(blink));
			st.blink = blink;
		}
		st.level = !st.lit                                ? 0 :
			!s->blink.active && led_get_level(s->led) ? led_get_level(s->led) :
								    st.max_level;
		if (s->reported.lit == (int)st.lit && s->reported.level == st.level &&
			!strcmp(s->reported.blink, blink))
			continue;
		transport_state(c->t, s->name, &st);
		s->reported.lit = st.lit;
		s->reported.level = st.level;
		memcpy(s->reported.blink, blink, sizeof(blink));
	}
}

/* --- start and end ---------------------------------------------------------- */

/* Tell the service manager (systemd's Type=notify: sdnotify.h) STATE;
 * without one, nothing. */
static void notify(const char *state)
{
	int r = sdnotify(state);
	if (r < 0)
		ledlog(LOG_WARNING, "cannot tell the service manager (NOTIFY_SOCKET) the controller's state: %s",
			strerror(-r));
}

static void cleanup(struct controller *c)
{
	if (c->ready && !c->stopping) {
		c->stopping = true;
		notify("STOPPING=1");
	}
	for (size_t i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		if (!s->led)
			continue;
		ledlog(LOG_INFO, "%sLED released, %s", s->tag,
			!c->opt->keep                   ? "off" :
				led_is_blinking(s->led) ? "left blinking (--keep)" :
				led_is_on(s->led)       ? "left on (--keep)" :
							  "off");
		if (!c->opt->keep && c->t && s->reported.lit != 0) {
			const struct transport_led_state off = { .max_level = led_max_level(s->led) };
			transport_state(c->t, s->name, &off);
		}
		led_close(s->led, c->opt->keep);
		s->led = NULL;
	}
	transport_shutdown(c->t);
	pidfile_release(&c->pidfile);
}

/* The pidfile: written at once (and again after --daemon's fork), locked
 * as long as the controller runs; another user's file, a symbolic link or
 * a FIFO is refused before its lock or its pid is believed (pidfile.h). */
static int take_pidfile(struct controller *c, struct mqled_error *e)
{
	const struct controller_options *opt = c->opt;
	pid_t other = 0;
	int r = pidfile_take(&c->pidfile, opt->pidfile, &other, &e->file);
	if (r == 0)
		return 0;
	if (r == -EBUSY)
		return mqled_fail(e, EBUSY,
			"%s: another mqled controller (pid %ld) holds this pidfile; "
			"stop it first, or give this one another --pidfile",
			opt->pidfile, (long)other);
	if (r == -EPERM || r == -ELOOP || r == -EINVAL) {
		/* a refusal of lib/file.h's rules, which main words */
		e->err = r;
		e->file_option = "--pidfile";
		e->file_path = opt->pidfile;
		return r;
	}
	return mqled_fail(e, -r, "%s: cannot create the pidfile: %s (choose another with --pidfile)", opt->pidfile,
		strerror(-r));
}

/* The LED, or the LEDs of -L, each off; a kernel LED's lock in the
 * controller's lock directory (lock.h). The log steps around a console
 * LED's line on the terminal. */
static int open_leds(struct controller *c, struct mqled_error *e)
{
	const struct controller_options *opt = c->opt;
	struct led_error le;

	ledlog_set_redraw(led_console_redraw);
	for (size_t i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		struct led_options lo = opt->n_leds ? opt->leds[i].led : opt->led;
		lo.lock_path = lock_led_path;
		int r = led_open(&lo, &s->led, &le);
		if (r < 0)
			return mqled_fail(e, -r, "%s%s", s->tag, le.msg);
	}
	return 0;
}

/* The transport (the queue or the broker) first: a second controller fails
 * before it takes anything else. */
static int open_transport(struct controller *c, struct mqled_error *e)
{
	const struct controller_options *opt = c->opt;
	const struct transport_options to = {
		.addr = opt->addr,
		.queue_text = opt->queue_text,
		.mode = opt->mode,
		.leds = c->names,
		.n_leds = opt->n_leds,
		.credentials = opt->credentials,
		.ha_discovery = opt->ha_discovery,
	};

	c->n_slots = opt->n_leds ? opt->n_leds : 1;
	for (size_t i = 0; i < c->n_slots; i++) {
		struct slot *s = &c->slots[i];
		s->name = c->names[i] = opt->n_leds ? opt->leds[i].name : "";
		if (*s->name)
			snprintf(s->tag, sizeof(s->tag), "%s: ", s->name);
	}
	return transport_open(&to, &c->t, e);
}

/* --daemon: detach as daemon(3) does (a new session, "/" as the current
 * directory, the standard descriptors on /dev/null), except that the
 * parent stays until the child serves (controller_run writes a byte to
 * c->ready_fd then): whoever ran mqled run --daemon finds the controller
 * serving and the daemon's own pid in the pidfile when it returns. 0 in the
 * child; CONTROLLER_DETACHED in the parent, once the child serves; -errno. */
static int detach(struct controller *c, struct mqled_error *e)
{
	int p[2], err;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return mqled_fail(e, errno, "cannot detach: %s", strerror(errno));
	fflush(NULL); /* the parent leaves by _exit, the child's stdio is /dev/null */
	if ((pid = fork()) < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		return mqled_fail(e, err, "cannot detach: %s", strerror(err));
	}
	if (pid > 0) {
		char byte;
		ssize_t n;
		close(p[1]);
		do
			n = read(p[0], &byte, 1);
		while (n < 0 && errno == EINTR);
		close(p[0]);
		if (n == 1)
			return CONTROLLER_DETACHED;
		return mqled_fail(e, ECHILD,
			"the detached controller (pid %ld) stopped before it served: its "
			"reason is in the system log (journalctl -t mqled)",
			(long)pid);
	}
	close(p[0]);
	c->ready_fd = p[1];
	if (setsid() < 0 || chdir("/") < 0)
		return mqled_fail(e, errno, "cannot detach: %s", strerror(errno));
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return mqled_fail(e, errno, "cannot detach: /dev/null: %s", strerror(errno));
	for (int fd = 0; fd <= 2; fd++)
		if (fd != null && dup2(null, fd) < 0)
			return mqled_fail(e, errno, "cannot detach: %s", strerror(errno));
	if (null > 2)
		close(null);
	return 0;
}

/* Take the transport, the pidfile and the LEDs, and detach with --daemon;
 * on failure, release what was taken. */
static int start(struct controller *c, struct mqled_error *e)
{
	const struct controller_options *opt = c->opt;
	int r;

	if ((r = open_transport(c, e)) < 0)
		return r;
	if ((opt->pidfile && (r = take_pidfile(c, e)) < 0) || (r = open_leds(c, e)) < 0) {
		cleanup(c);
		return r;
	}
	if (opt->daemon) {
		if ((r = detach(c, e)) == CONTROLLER_DETACHED)
			return r; /* the parent: what it holds is the daemon's now */
		if (r < 0) {
			cleanup(c);
			return r;
		}
		ledlog_use_syslog();
		pidfile_update(&c->pidfile);
		transport_daemonized(c->t);
	}
	char leds[1024];
	size_t o = 0;
	for (size_t i = 0; i < c->n_slots && o < sizeof(leds); i++)
		o += (size_t)snprintf(leds + o, sizeof(leds) - o, "%s%s%s%s", i ? "; " : "", c->slots[i].tag,
			led_description(c->slots[i].led), "");
	ledlog(LOG_INFO, "controller started: %s, %s; %s off", transport_started(c->t), leds,
		c->n_slots > 1 ? "LEDs" : "LED");
	return 0;
}

/* When the loop must wake up for a blink: the earliest of the LEDs', or 0. */
static int64_t next_wakeup(const struct controller *c)
{
	int64_t next = 0;
	for (size_t i = 0; i < c->n_slots; i++) {
		const struct blink *b = &c->slots[i].blink;
		if (blink_wakes(b) && (!next || b->next_ns < next))
			next = b->next_ns;
	}
	return next;
}

/* Commands until told to stop or a stop signal: 0, or the -errno of a
 * transport that cannot go on (it logged why). */
static int serve(struct controller *c)
{
	while (!c->stop) {
		struct queue_wait w = { .how = QUEUE_WAIT_BLOCK };
		struct transport_message m;
		int64_t next = next_wakeup(c);
		if (next) {
			int64_t left = next - monotonic_ns();
			w = (struct queue_wait){ .how = QUEUE_WAIT_TIMEOUT, .timeout_ns = left > 0 ? left : 0 };
		}
		int r = transport_receive(c->t, &m, &w);
		if (r == 0) {
			handle_message(c, &m);
		} else if (r == -EINTR) {
			ledlog(LOG_INFO, "stopping on %s", strsignal(signals_stop_requested()));
			return 0;
		} else if (r != -ETIMEDOUT) {
			return r;
		}
		for (size_t i = 0; i < c->n_slots; i++)
			if (c->slots[i].blink.active)
				blink_step(&c->slots[i]);
		if (!c->stop)
			report_states(c);
	}
	return 0;
}

int controller_run(const struct controller_options *opt, struct mqled_error *e)
{
	struct controller c = { .opt = opt, .pidfile = { .fd = -1 }, .ready_fd = -1 };
	int r = start(&c, e);

	if (r == CONTROLLER_DETACHED)
		return r; /* nothing released: the daemon goes on with it */
	if (r < 0) {
		transport_close(c.t);
		return r;
	}
	signals_install(); /* after the detach: timers are not inherited */
	for (size_t i = 0; i < c.n_slots; i++)
		c.slots[i].reported.lit = -1;
	report_states(&c);
	/* only now may "systemctl start mqled && mqled on" go on: the queue
	 * is locked, or the broker has the subscriptions and "online" */
	char status[sizeof("READY=1\nSTATUS=") + 2800];
	bool confirmed = transport_ready(c.t);
	snprintf(status, sizeof(status), "READY=1\nSTATUS=%s %s",
		confirmed ? "serving" : "not connected yet, trying:", transport_name(c.t));
	notify(status);
	c.ready = true;
	if (c.ready_fd >= 0) { /* --daemon's parent may go */
		if (write(c.ready_fd, "", 1) != 1)
			ledlog(LOG_WARNING, "could not tell the starting process that the controller serves: %s",
				strerror(errno));
		close(c.ready_fd);
		c.ready_fd = -1;
	}
	r = serve(&c);
	cleanup(&c);
	transport_close(c.t);
	ledlog(LOG_INFO, "controller stopped");
	return r < 0 ? mqled_logged(e, -r) : 0; /* by the transport */
}
