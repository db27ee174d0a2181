/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrecv - receive messages from a POSIX or System V message queue. */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "cli/stdfds.h"
#include "tools/deadletter.h"
#include "tools/msgout.h"
#include "tools/mqrecv-exec.h"
#include "cli/queue-cli.h"
#include "cli/mqtt-cli.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_DRAIN = QUEUE_OPT_FIRST_FREE, OPT_PEEK, OPT_BATCH, OPT_DEAD_LETTER,
	OPT_EXEC, OPT_RETRIES, OPT_KILL_AFTER, OPT_WAIT,
};

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE\n %s [options] QUEUE --exec COMMAND [ARGUMENT...]\n\n", cli_program,
		cli_program);
	fputs("Receive messages from QUEUE and write them to standard output,\n"
	      "or give each to a COMMAND of its own on its standard input.\n\nOptions:\n", stdout);
	fputs(" -n, --count N            receive N messages (default 1)\n"
	      " -f, --follow             receive until interrupted or the queue is removed\n"
	      "     --drain              receive what is queued now, then exit\n"
	      " -t, --type N             System V: 0 any, N type N, -N lowest type <= N\n"
	      " -e, --except             System V: any type but the one given with -t\n"
	      "     --peek               System V: show messages without taking them\n"
	      " -0, --null               end each message with NUL, not newline\n"
	      " -r, --raw                write message bytes only, no separator\n"
	      " -j, --json               one JSON object per message\n"
	      " -v, --verbose            PRIORITY or TYPE, a tab, then each message\n"
	      "     --wait               POSIX: wait until a message is there; take none\n"
	      "     --batch N            hold at most N messages not yet written (default 64)\n"
	      "     --dead-letter FILE   where messages that cannot be put back go (default stderr)\n"
	      "     --exec COMMAND...    run COMMAND per message; all words after it are its own\n"
	      " -P, --workers N          --exec: run N commands at once (default 1)\n"
	      "     --retries K          --exec: put a failed message back K times (default 3)\n"
	      "     --kill-after DURATION  --exec: after SIGTERM, SIGKILL commands still running\n"
	      "                          this long (default 10s)\n", stdout);
	fputs(MQTT_CLI_RECV_USAGE, stdout);
	printf(QUEUE_CLI_USAGE, "empty");
	fputs(AMQP_CLI_USAGE, stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqrecv(1)");
	exit(MQ_EXIT_OK);
}

struct receiver {
	struct queue *q;
	struct msgout *out;
	const char *name;
	bool follow;
	struct dead_letter dead;
	const char *dead_path; /* --dead-letter FILE, or NULL */
};

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Why a message could not be put back, for the dead-letter warning. */
static void word_put_back_error(char *buf, size_t len, int err)
{
	switch (-err) {
	case EACCES:
	case EPERM:
		snprintf(buf, len, "no write permission: a consumer that cannot write to its queue holds one "
			"message at a time, and that one is at risk when output fails");
		break;
	case ETIMEDOUT:
		snprintf(buf, len, "no room in the queue within %lld s", QUEUE_PUT_BACK_BOUND_NS / 1000000000LL);
		break;
	case EAGAIN:
	case EINTR:
		snprintf(buf, len, "the queue was full, and a stop signal forbids waiting for room");
		break;
	case EIDRM:
	case ENOENT:
		snprintf(buf, len, "the queue was removed");
		break;
	default:
		snprintf(buf, len, "%s", strerror(-err));
	}
}

/* What could not be put back goes to the dead letter. REASON says why they
 * cannot stay on the queue; when NULL, ERR says why they could not be put
 * back. */
static int dead_letter_why(struct receiver *rc, const struct queue_message *msgs, size_t n, int err,
	const char *reason)
{
	char why[256];

	if (reason)
		return dead_letter_write(&rc->dead, msgs, n, "%zu message%s taken off %s, %s", n, plural(n), rc->name,
			reason);
	word_put_back_error(why, sizeof(why), err);
	return dead_letter_write(&rc->dead, msgs, n, "%zu message%s could not be put back on %s (%s)", n, plural(n),
		rc->name, why);
}

static int dead_letter(struct receiver *rc, const struct queue_message *msgs, size_t n, int err)
{
	return dead_letter_why(rc, msgs, n, err, NULL);
}

/* The dead letter of --exec, one message at a time. */
static int exec_dead_letter(void *ctx, const struct queue_message *m, int err, const char *why)
{
	return dead_letter_why(ctx, m, 1, err, why);
}

/* Output failed (ERR), or a stop signal (-EINTR) ended a write that the
 * reader held up: every message not written whole, and EXTRA, goes back
 * on the queue (or to the dead letter); then exit. */
static noreturn void give_back(struct receiver *rc, int err, const struct queue_message *extra)
{
	int partial = msgout_cut_partial(rc->out);
	const struct queue_message *pending;
	size_t n = msgout_pending(rc->out, &pending);
	struct queue_message *all = calloc(n + 1, sizeof(*all));
	int status = err == -EINTR && rc->follow ? MQ_EXIT_OK : MQ_EXIT_FAILURE;
	int perr = 0;

	if (!all)
		cli_die(MQ_EXIT_FAILURE, "out of memory while putting messages back on %s", rc->name);
	memcpy(all, pending, n * sizeof(*all));
	if (extra)
		all[n++] = *extra;
	size_t back = n ? queue_put_back(rc->q, all, n, QUEUE_PUT_BACK_BOUND_NS, &perr) : 0;
	char what[128], done[160];
	if (err == -EINTR)
		snprintf(what, sizeof(what), "stopped by a signal while standard output was blocked");
	else
		snprintf(what, sizeof(what), "writing output: %s", msgout_strerror(err));
	if (back == n)
		snprintf(done, sizeof(done), "; %zu message%s put back on %s", back, plural(back), rc->name);
	else if (back)
		snprintf(done, sizeof(done), "; %zu of %zu messages put back on %s", back, n, rc->name);
	else
		done[0] = '\0';
	cli_warn("%s%s", what, done);
	if (partial > 0 && back > 0)
		cli_warn("the output holds the start of the first of them, without its separator");
	if (back < n)
		status = dead_letter(rc, all + back, n - back, perr);
	free(all);
	exit(status);
}

static void flush_or_give_back(struct receiver *rc)
{
	int r = msgout_flush(rc->out);
	if (r < 0)
		give_back(rc, r, NULL);
	queue_settle(rc->q, 0); /* a broker may forget what output took */
}

static void add_or_give_back(struct receiver *rc, const struct queue_message *m)
{
	int r = msgout_add(rc->out, m);
	if (r == -ENOMEM)
		give_back(rc, r, m); /* not buffered: it goes back too */
	if (r < 0)
		give_back(rc, r, NULL);
}

static bool selected(const struct queue_select *sel, long type)
{
	if (sel->except)
		return type != sel->type;
	return sel->type == 0 || (sel->type > 0 ? type == sel->type : type <= -sel->type);
}

/* --peek copies: nothing leaves the queue, so nothing ever goes back. It
 * never waits (MSG_COPY cannot): fewer than asked for is exit 4, as for a
 * receive with --nonblock. */
static int peek_messages(struct receiver *rc, const struct queue_select *sel, unsigned long long count, bool drain)
{
	unsigned long long shown = 0;
	struct queue_message m;
	int r = 0, w;

	msgout_set_batch(rc->out, MSGOUT_MAX_BATCH);
	for (size_t i = 0; shown < count && !signals_stop_requested(); i++) {
		if ((r = queue_peek(rc->q, i, &m)) < 0)
			break;
		if (!selected(sel, m.priority))
			continue;
		if ((w = msgout_add(rc->out, &m)) < 0)
			goto output_failed;
		shown++;
	}
	if (r == -ENOSYS)
		cli_die(MQ_EXIT_FAILURE, "%s: --peek needs MSG_COPY, which this kernel lacks "
			"(CONFIG_CHECKPOINT_RESTORE)", rc->name);
	if ((w = msgout_flush(rc->out)) < 0)
		goto output_failed;
	if (r < 0 && r != -ENOMSG) /* -ENOMSG: past the last message */
		return queue_cli_error_on(rc->q, r, "peek at");
	if (signals_stop_requested())
		return queue_cli_error_on(rc->q, -EINTR, "peek at");
	if (shown < count && !drain) {
		cli_warn("%s: %llu message%s shown of %llu asked for, no more %squeued (--peek does not wait)",
			rc->name, shown, plural(shown), count, sel->type ? "of the selected types " : "");
		return MQ_EXIT_TIMEOUT;
	}
	return MQ_EXIT_OK;
output_failed:
	cli_warn("writing output: %s; --peek takes nothing, so every message stays on %s", msgout_strerror(w), rc->name);
	return MQ_EXIT_FAILURE;
}

static int receive_messages(struct receiver *rc, const struct queue_select *sel, const struct queue_wait *wait,
	unsigned long long count, bool drain)
{
	const struct queue_wait nowait = { .how = QUEUE_WAIT_NONE, .broker_empty = drain || wait->how == QUEUE_WAIT_NONE };
	struct queue_wait w = *wait;

	/* while waiting, a reader that leaves ends mqrecv before it takes another */
	w.watch_reader = true;
	w.reader_fd = STDOUT_FILENO;
	for (unsigned long long received = 0; rc->follow || received < count; received++) {
		struct queue_message m;
		int r = -EINTR;
		/* a queue that is never empty must not outlast a stop signal */
		if (!signals_stop_requested()) {
			queue_settle(rc->q, msgout_unwritten(rc->out));
			/* the common case is one syscall; only an empty queue costs a flush and a wait */
			r = queue_receive(rc->q, &m, sel, &nowait);
			if (r == -EAGAIN) {
				flush_or_give_back(rc);
				if (drain)
					break;
				if (w.how == QUEUE_WAIT_NONE)
					return queue_cli_error_on(rc->q, r, "receive");
				r = queue_receive(rc->q, &m, sel, &w);
			}
		}
		if (r < 0) {
			flush_or_give_back(rc);
			if (rc->follow && (r == -EINTR || r == -EIDRM))
				break; /* the two ends of --follow */
			return queue_cli_error_on(rc->q, r, "receive");
		}
		add_or_give_back(rc, &m);
	}
	flush_or_give_back(rc);
	return MQ_EXIT_OK;
}

/* --wait: a message is there, or the wait ended; nothing is taken. */
static int wait_for_message(struct receiver *rc, const struct queue_wait *wait)
{
	int r = queue_wait_message(rc->q, wait);
	return r < 0 ? queue_cli_error_on(rc->q, r, "wait on") : MQ_EXIT_OK;
}

static int run_commands(struct receiver *rc, struct exec_options *xo, const struct queue_select *sel,
	const struct queue_wait *wait, unsigned long long count, bool drain)
{
	/* what cannot be put back is at risk: a read-only consumer holds one */
	if (!queue_writable(rc->q))
		xo->workers = 1;
	xo->name = rc->name;
	xo->sel = sel;
	xo->wait = wait;
	xo->count = count;
	xo->follow = rc->follow;
	xo->drain = drain;
	xo->dead_letter = exec_dead_letter;
	xo->ctx = rc;
	return exec_run(rc->q, xo);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "follow", no_argument, NULL, 'f' },
		{ "drain", no_argument, NULL, OPT_DRAIN },
		{ "type", required_argument, NULL, 't' },
		{ "except", no_argument, NULL, 'e' },
		{ "peek", no_argument, NULL, OPT_PEEK },
		{ "null", no_argument, NULL, '0' },
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "dead-letter", required_argument, NULL, OPT_DEAD_LETTER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "exec", no_argument, NULL, OPT_EXEC }, /* found before getopt, by exec_find */
		{ "workers", required_argument, NULL, 'P' },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "kill-after", required_argument, NULL, OPT_KILL_AFTER },
		QUEUE_CLI_LONGOPTS,
		AMQP_CLI_LONGOPTS,
		MQTT_CLI_RECV_LONGOPTS,
		CLI_LONGOPTS_HELP_VERSION,
	};
	struct queue_cli qc;
	struct mqtt_cli mc = { 0 };
	struct queue_address addr;
	struct queue_select sel = { 0 };
	struct receiver rc = { 0 };
	enum msgout_format format = MSGOUT_NEWLINE;
	unsigned long long count = 1;
	size_t batch = MSGOUT_DEFAULT_BATCH;
	bool follow = false, drain = false, peek = false, count_given = false, verbose = false, wait_only = false;
	bool batch_given = false, mode_given = false;
	struct exec_options xo = {
		.workers = 1, .retries = EXEC_DEFAULT_RETRIES, .kill_after_ns = EXEC_DEFAULT_KILL_AFTER_NS,
	};
	const char *type_opt = NULL, *exec_only = NULL;
	static const char shortopts[] = "n:ft:e0rjvP:" QUEUE_CLI_SHORTOPTS "hV";
	int c, formats = 0;

	cli_init(argc, argv);
	/* everything after --exec is the command's: getopt must not see it */
	int exec_at = exec_find(argc, argv, shortopts, longopts);
	if (exec_at < argc) {
		xo.argv = argv + exec_at + 1;
		if (!xo.argv[0])
			cli_usage_error("--exec needs a command: --exec COMMAND [ARGUMENT...], after the queue");
		argc = exec_at;
	}
	queue_cli_init(&qc, QUEUE_READ | QUEUE_WRITE);
	qc.write_optional = true;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		mode_given |= c == 'm';
		if (queue_cli_option(&qc, c, optarg) || amqp_cli_option(&qc, c, optarg) || mqtt_cli_option(&mc, c, optarg))
			continue;
		switch (c) {
		case 'n':
			count = (unsigned long long)cli_integer("--count", optarg, 1, 0x7fffffffffffffffLL);
			count_given = true;
			break;
		case 'f':
			follow = true;
			break;
		case OPT_DRAIN:
			drain = true;
			break;
		case 't':
			type_opt = optarg;
			break;
		case 'e':
			sel.except = true;
			break;
		case OPT_PEEK:
			peek = true;
			break;
		case OPT_BATCH:
			batch = (size_t)cli_integer("--batch", optarg, 1, MSGOUT_MAX_BATCH);
			batch_given = true;
			break;
		case 'v':
			verbose = true;
			break;
		case OPT_WAIT:
			wait_only = true;
			break;
		case OPT_EXEC:
			cli_usage_error("write --exec in full: every word after it is the command's");
		case 'P':
			xo.workers = (size_t)cli_integer("--workers", optarg, 1, EXEC_MAX_WORKERS);
			exec_only = "--workers";
			break;
		case OPT_RETRIES:
			xo.retries = (unsigned)cli_integer("--retries", optarg, 0, 1000000);
			exec_only = "--retries";
			break;
		case OPT_KILL_AFTER:
			xo.kill_after_ns = cli_duration("--kill-after", optarg);
			exec_only = "--kill-after";
			break;
		case OPT_DEAD_LETTER:
			rc.dead_path = optarg;
			break;
		case '0':
			format = MSGOUT_NUL;
			formats++;
			break;
		case 'r':
			format = MSGOUT_RAW;
			formats++;
			break;
		case 'j':
			format = MSGOUT_JSON;
			formats++;
			break;
		default:
			cli_common_option(c, usage);
		}
	}
	if (optind >= argc)
		cli_usage_error(xo.argv ? "no queue given: the queue comes before --exec, whose words are all the command's"
					: "no queue given");
	if (optind + 1 < argc)
		cli_usage_error("one queue at a time: unexpected '%s'", argv[optind + 1]);
	if (formats > 1)
		cli_usage_error("--null, --raw and --json are exclusive: choose one output format");
	if (follow && (drain || count_given))
		cli_usage_error("--follow receives until stopped: it takes neither --drain nor --count");
	if (follow && peek)
		cli_usage_error("--peek shows what is queued now: it cannot --follow");
	if (exec_only && !xo.argv)
		cli_usage_error("%s is for --exec COMMAND", exec_only);
	if (verbose && (format == MSGOUT_RAW || format == MSGOUT_JSON))
		cli_usage_error("--verbose is for lines (or --null): %s",
			format == MSGOUT_JSON ? "--json shows the priority or type already"
					       : "--raw has no separator to tell the priority from the message");
	if (xo.argv && (formats || verbose || batch_given || peek || wait_only))
		cli_usage_error("--exec gives each message to its command: it takes no output option (--null, --raw, "
			"--json, --verbose, --batch), --peek or --wait");
	if (wait_only && (follow || drain || count_given || peek || formats || verbose))
		cli_usage_error("--wait takes no message: it takes neither --count, --follow, --drain, --peek "
			"nor an output option");
	rc.name = argv[optind];
	cli_address(rc.name, &addr);
	mqtt_cli_check_recv(&qc, &mc, &(struct mqtt_cli_recv){ .type = type_opt, .except = sel.except, .peek = peek,
		.drain = drain, .wait = wait_only, .verbose = verbose }, &addr);
	queue_cli_check(&qc, &addr);
	amqp_cli_check(&qc, &addr, mode_given);
	if (addr.kind == QUEUE_AMQP) {
		if (type_opt || sel.except)
			cli_usage_error("--type and --except are for System V queues; an amqp:// queue delivers in order, "
				"by priority if it has --max-priority");
		if (peek)
			cli_usage_error("--peek is for System V queues: a broker cannot show a message without delivering it");
		if (wait_only)
			cli_usage_error("--wait is for POSIX queues: a broker cannot wait for a message without delivering it");
		if (xo.argv)
			cli_usage_error("--exec is for kernel queues: on amqp://, pipe mqrecv -f into a worker, or run "
				"several consumers");
		/* twice the output's window: while a batch waits to be written
		 * (and so unacked), as many more are on their way */
		qc.open.prefetch = 2 * (unsigned)batch;
	} else if (addr.kind == QUEUE_MQTT) {
		/* mqtt_cli_check_recv refused what MQTT cannot do */
	} else if (addr.kind == QUEUE_POSIX) {
		if (type_opt || sel.except)
			cli_usage_error("--type and --except are for System V queues; POSIX queues deliver by priority");
		if (peek)
			cli_usage_error("--peek is for System V queues: a POSIX message cannot be read without taking it");
	} else if (wait_only) {
		cli_usage_error("--wait is for POSIX queues: System V cannot wait for a message without taking it "
			"(use --peek to look, or a plain receive to take one)");
	} else if (type_opt) {
		sel.type = (long)cli_integer("--type", type_opt, -0x7fffffffffffffffLL, 0x7fffffffffffffffLL);
	}
	if (sel.except && sel.type <= 0)
		cli_usage_error("--except needs a type to leave out: give -t N with N > 0");
	if (drain && !count_given)
		count = (unsigned long long)-1;

	rc.follow = follow;
	if (!xo.argv && !wait_only && cli_stdfd_was_closed(STDOUT_FILENO))
		cli_die(MQ_EXIT_FAILURE, "standard output is closed: nothing was taken from %s", rc.name);
	dead_letter_open(&rc.dead, rc.dead_path);
	if (!peek && !wait_only)
		dead_letter_require(&rc.dead, "nothing was taken");
	rc.q = queue_cli_open(&qc, &addr, rc.name);
	rc.dead.queue = queue_name(rc.q);
	rc.dead.kind = addr.kind;
	if (xo.argv || wait_only) {
		/* standard output is the commands' (or unused): no msgout */
		int status = wait_only ? wait_for_message(&rc, &qc.wait)
				       : run_commands(&rc, &xo, &sel, &qc.wait, count, drain);
		dead_letter_close(&rc.dead);
		queue_close(rc.q);
		return status;
	}
	bool tty = isatty(STDOUT_FILENO);
	if (tty)
		setlocale(LC_CTYPE, ""); /* escape by the terminal's character set */
	rc.out = msgout_new(STDOUT_FILENO, format, tty, queue_name(rc.q), addr.kind);
	if (!rc.out)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	/* what cannot be put back is at risk: a read-only consumer holds one */
	msgout_set_batch(rc.out, queue_writable(rc.q) ? batch : 1);
	msgout_show_priority(rc.out, verbose);
	if (msgout_reader_gone(rc.out))
		cli_die(MQ_EXIT_FAILURE, "standard output is a pipe whose reader has gone: nothing was taken from %s", rc.name);
	/* every way out of main frees what it holds: sanitizers and valgrind
	 * then see a leak as the bug it is */
	int status = peek ? peek_messages(&rc, &sel, count, drain) : receive_messages(&rc, &sel, &qc.wait, count, drain);
	msgout_free(rc.out);
	dead_letter_close(&rc.dead);
	queue_close(rc.q);
	return status;
}
