/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrecv - receive messages from a queue of any kind: a POSIX or System V
 * message queue, an amqp:// queue, an mqtt:// topic. main() is parse ->
 * check -> run: parse_args() fills struct mqrecv_control, check_args()
 * refuses what the line or the queue's kind cannot do, and run() opens the
 * queue and gives its messages to standard output (run_output: receive or
 * --peek), to commands (--exec, run_commands), or only waits for one
 * (--wait). Messages that output did not take whole go back on the queue,
 * or to the dead letter (give_back). */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/caps-cli.h"
#include "cli/cli.h"
#include "cli/cli-file.h"
#include "cli/cli-parse.h"
#include "cli/excl.h"
#include "cli/mqtt-cli.h"
#include "cli/progress.h"
#include "cli/queue-cli.h"
#include "lib/signals.h"
#include "cli/stdfds.h"
#include "tools/deadletter.h"
#include "tools/forward.h"
#include "tools/mqrecv-exec.h"
#include "tools/msgout.h"
#include "tools/queued.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_DRAIN = QUEUE_OPT_FIRST_FREE,
	OPT_PEEK,
	OPT_BATCH,
	OPT_DEAD_LETTER,
	OPT_EXEC,
	OPT_RETRIES,
	OPT_KILL_AFTER,
	OPT_WAIT,
	OPT_TO,
	OPT_IDLE,
};

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE\n %s [options] QUEUE --to DEST\n"
	       " %s [options] QUEUE --exec COMMAND [ARGUMENT...]\n\n",
		cli_program, cli_program, cli_program);
	fputs("Receive messages from QUEUE and write them to standard output, move them\n"
	      "to the queue DEST, or give each to a COMMAND of its own on its standard input.\n\nOptions:\n",
		stdout);
	fputs(" -n, --count N            receive N messages (default 1)\n"
	      " -f, --follow             receive until interrupted or the queue is removed\n"
	      "     --drain              receive what is queued now, then exit\n"
	      "     --idle DURATION      with -f: end with status 0 once no message came for\n"
	      "                          DURATION (500ms, 2s, 1m)\n"
	      " -t, --type N             System V: 0 any, N type N, -N lowest type <= N\n"
	      " -e, --except             System V: any type but the one given with -t\n"
	      "     --peek               System V: show messages without taking them\n"
	      " -0, --null               end each message with NUL, not newline\n"
	      " -r, --raw                write message bytes only, no separator\n"
	      " -d, --delimiter C        end each message with byte C (\\n \\t \\0 \\xHH allowed)\n"
	      " -J, --json               one JSON object per message (-j the same)\n"
	      " -v, --verbose            PRIORITY or TYPE, a tab, then each message\n"
	      "     --wait               POSIX: wait until a message is there; take none\n"
	      "     --batch N            hold at most N messages not yet written (default 64;\n"
	      "                          with --to, not yet taken by DEST: default 1024)\n"
	      "     --dead-letter FILE   where messages that cannot be put back go (default stderr)\n"
	      "     --to DEST            send each message to the queue DEST (any kind); it leaves\n"
	      "                          QUEUE once DEST has it; with -f, store-and-forward\n"
	      "     --exec COMMAND...    run COMMAND per message; all words after it are its own\n"
	      " -P, --workers N          --exec: run N commands at once (default 1)\n"
	      "     --retries K          --exec: put a failed message back K times (default 3)\n"
	      "     --kill-after DURATION  --exec: after SIGTERM, SIGKILL commands still running\n"
	      "                          this long (default 10s)\n"
	      " -q, --quiet              no progress line on a terminal (--drain or -n with --exec\n"
	      "                          or --to)\n",
		stdout);
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
	enum queue_kind kind;
	bool follow;
	bool idle; /* --idle: a wait that times out ends --follow */
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
		snprintf(buf, len,
			"no write permission: a consumer that cannot write to its queue holds one "
			"message at a time, and that one is at risk when output fails");
		break;
	case ETIMEDOUT:
		snprintf(buf, len, "no room in the queue within %lld s", QUEUE_PUT_BACK_BOUND_NS / 1000000000LL);
		break;
	case EAGAIN:
	case EINTR: snprintf(buf, len, "the queue was full, and a stop signal forbids waiting for room"); break;
	case EIDRM:
	case ENOENT: snprintf(buf, len, "the queue was removed"); break;
	default: snprintf(buf, len, "%s", strerror(-err));
	}
}

/* What could not be put back goes to the dead letter. REASON says why they
 * cannot stay on the queue; when NULL, ERR says why they could not be put
 * back. */
static int dead_letter_why(struct receiver *rc, const struct queue_message *msgs, size_t n, int err, const char *reason)
{
	char why[256];

	if (reason) {
		int status = dead_letter_write(&rc->dead, msgs, n, "%zu message%s taken off %s, %s", n, plural(n),
			rc->name, reason);
		if (status == MQ_EXIT_FAILURE) {
			/* written nowhere, still in hand: back on the queue, and
			 * the caller stops (the next one would fare no better) */
			int perr = 0;
			size_t back = queue_put_back(rc->q, msgs, n, QUEUE_PUT_BACK_BOUND_NS, &perr);
			cli_warn("the dead letter cannot be written: %zu of %zu message%s put back on %s", back, n,
				plural(n), rc->name);
		}
		return status;
	}
	word_put_back_error(why, sizeof(why), err);
	return dead_letter_write(&rc->dead, msgs, n, "%zu message%s could not be put back on %s (%s)", n, plural(n),
		rc->name, why);
}

static int dead_letter(struct receiver *rc, const struct queue_message *msgs, size_t n, int err)
{
	return dead_letter_why(rc, msgs, n, err, NULL);
}

/* The dead letter of --to. */
static int forward_dead_letter(void *ctx, const struct queue_message *msgs, size_t n, int err, const char *why)
{
	return dead_letter_why(ctx, msgs, n, err, why);
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
	char sig[32];
	if (err == -EINTR)
		snprintf(what, sizeof(what), "stopped by %s while standard output was blocked",
			signals_stop_name(sig, sizeof(sig)));
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
		cli_die(MQ_EXIT_FAILURE,
			"%s: --peek needs MSG_COPY, which this kernel lacks "
			"(CONFIG_CHECKPOINT_RESTORE)",
			rc->name);
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
	cli_warn("writing output: %s; --peek takes nothing, so every message stays on %s", msgout_strerror(w),
		rc->name);
	return MQ_EXIT_FAILURE;
}

static int receive_messages(struct receiver *rc, const struct queue_select *sel, const struct queue_wait *wait,
	unsigned long long count, bool drain)
{
	const struct queue_wait nowait = { .how = QUEUE_WAIT_NONE,
		.broker_empty = drain || wait->how == QUEUE_WAIT_NONE };
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
			if (rc->follow && (r == -EINTR || r == -EIDRM || (r == -ETIMEDOUT && rc->idle)))
				break; /* the ends of --follow */
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

struct mqrecv_control {
	struct queue_cli qc;
	const char *queue_text;
	const char *extra; /* a second queue argument: an error */
	struct queue_address addr;
	struct queue_select sel;
	const char *type_opt;
	enum msgout_format format;
	int delim; /* --delimiter, or -1: the format's own */
	unsigned long long count;
	size_t batch;
	bool follow, drain, peek, verbose, wait_only, quiet;
	int64_t idle_ns;       /* --idle */
	const char *exec_only; /* an option that needs --exec */
	struct exec_options xo;
	const char *dead_path; /* --dead-letter */
	const char *to;        /* --to DEST */
	struct queue_address to_addr;
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "follow", no_argument, NULL, 'f' },
	{ "drain", no_argument, NULL, OPT_DRAIN },
	{ "type", required_argument, NULL, 't' },
	{ "except", no_argument, NULL, 'e' },
	{ "peek", no_argument, NULL, OPT_PEEK },
	{ "null", no_argument, NULL, '0' },
	{ "raw", no_argument, NULL, 'r' },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'J' },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "dead-letter", required_argument, NULL, OPT_DEAD_LETTER },
	{ "verbose", no_argument, NULL, 'v' },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "exec", no_argument, NULL, OPT_EXEC }, /* found before getopt, by exec_find */
	{ "workers", required_argument, NULL, 'P' },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "kill-after", required_argument, NULL, OPT_KILL_AFTER },
	{ "to", required_argument, NULL, OPT_TO },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "quiet", no_argument, NULL, 'q' },
	QUEUE_CLI_LONGOPTS,
	AMQP_CLI_LONGOPTS,
	MQTT_CLI_RECV_LONGOPTS,
	CLI_LONGOPTS_HELP_VERSION,
};
static const char shortopts[] = "n:ft:e0rd:JjvqP:" QUEUE_CLI_SHORTOPTS "hV";

static const struct cli_excl conflicts[] = {
	{ { '0', 'r', 'd', 'J' }, { 0 }, CLI_EXCL_REPEAT,
		"--null, --raw, --delimiter and --json are exclusive: choose one output "
		"format" },
	{ { 'f' }, { OPT_DRAIN, 'n' }, CLI_EXCL_TOGETHER,
		"--follow receives until stopped: it takes neither --drain nor --count" },
	{ { 'f' }, { OPT_PEEK }, CLI_EXCL_TOGETHER, "--peek shows what is queued now: it cannot --follow" },
	{ { OPT_IDLE }, { 'T', QUEUE_OPT_NONBLOCK, OPT_WAIT }, CLI_EXCL_TOGETHER,
		"--idle is how long --follow waits for a message "
		"before it ends: it takes neither --timeout, --nonblock nor --wait" },
	{ { 'v' }, { 'r' }, CLI_EXCL_TOGETHER,
		"--verbose is for lines (or --null): --raw has no separator to tell the priority "
		"from the message" },
	{ { 'v' }, { 'J' }, CLI_EXCL_TOGETHER,
		"--verbose is for lines (or --null): --json shows the priority or type already" },
	{ { OPT_EXEC }, { '0', 'r', 'd', 'J', 'v', OPT_BATCH, OPT_PEEK, OPT_WAIT }, CLI_EXCL_TOGETHER,
		"--exec gives each message to "
		"its command: it takes no output option (--null, --raw, --delimiter, --json, --verbose, --batch), --peek "
		"or --wait" },
	{ { OPT_WAIT }, { 'f', OPT_DRAIN, 'n', OPT_PEEK, '0', 'r', 'd', 'J', 'v' }, CLI_EXCL_TOGETHER,
		"--wait takes no message: it "
		"takes neither --count, --follow, --drain, --peek nor an output option" },
	{ { OPT_TO }, { '0', 'r', 'd', 'J', 'v', OPT_EXEC, OPT_PEEK, OPT_WAIT }, CLI_EXCL_TOGETHER,
		"--to gives each message to "
		"the queue DEST, not to standard output: it takes no output option (--null, --raw, --delimiter, --json, "
		"--verbose), --exec, --peek or --wait" },
	QUEUE_CLI_EXCL,
	AMQP_CLI_EXCL,
	MQTT_CLI_EXCL,
	{ .message = NULL },
};

/* What mqrecv's own options need of the queue's kind (queue_cli_check
 * the shared ones). */
static const struct cli_need needs[] = {
	{ 't', QUEUE_CAN_TYPE, "--type and --except" },
	{ 'e', QUEUE_CAN_TYPE, "--type and --except" },
	{ OPT_PEEK, QUEUE_CAN_PEEK, "--peek" },
	{ OPT_DRAIN, QUEUE_CAN_SAY_EMPTY, "--drain" },
	{ OPT_WAIT, QUEUE_CAN_WAIT, "--wait" },
	{ 'v', QUEUE_CAN_PRIORITY | QUEUE_CAN_TYPE, "--verbose" },
	{ OPT_EXEC, QUEUE_CAN_PUT_BACK_ANY, "--exec" },
	{ 0, 0, NULL },
};

/* Everything after --exec is the command's: getopt must not see it. */
static int split_exec(struct mqrecv_control *ctl, int argc, char **argv)
{
	int exec_at = exec_find(argc, argv, shortopts, longopts);

	if (exec_at == argc)
		return argc;
	ctl->xo.argv = argv + exec_at + 1;
	if (!ctl->xo.argv[0])
		cli_usage_error("--exec needs a command: --exec COMMAND [ARGUMENT...], after the queue");
	cli_given_note(&ctl->qc.given, OPT_EXEC);
	return exec_at;
}

static void parse_args(struct mqrecv_control *ctl, int argc, char **argv)
{
	int c;

	*ctl = (struct mqrecv_control){ .format = MSGOUT_NEWLINE,
		.delim = -1,
		.count = 1,
		.batch = MSGOUT_DEFAULT_BATCH,
		.xo = { .workers = 1, .retries = EXEC_DEFAULT_RETRIES, .kill_after_ns = EXEC_DEFAULT_KILL_AFTER_NS } };
	queue_cli_init(&ctl->qc, QUEUE_READ | QUEUE_WRITE);
	ctl->qc.write_optional = true;
	argc = split_exec(ctl, argc, argv);
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'j')
			c = 'J'; /* -J, lsipc's letter, in every tool; -j as before */
		if (queue_cli_option(&ctl->qc, c, optarg) || amqp_cli_option(&ctl->qc, c, optarg) ||
			mqtt_cli_option(&ctl->qc, c, optarg))
			continue;
		switch (c) {
		case 'n':
			ctl->count = (unsigned long long)cli_integer("--count", optarg, 1, 0x7fffffffffffffffLL);
			break;
		case 'f': ctl->follow = true; break;
		case OPT_DRAIN: ctl->drain = true; break;
		case 't': ctl->type_opt = optarg; break;
		case 'e': ctl->sel.except = true; break;
		case OPT_PEEK: ctl->peek = true; break;
		case OPT_BATCH: ctl->batch = (size_t)cli_integer("--batch", optarg, 1, MSGOUT_MAX_BATCH); break;
		case 'v': ctl->verbose = true; break;
		case 'q': ctl->quiet = true; break;
		case OPT_WAIT: ctl->wait_only = true; break;
		case OPT_EXEC: cli_usage_error("write --exec in full: every word after it is the command's");
		case 'P':
			ctl->xo.workers = (size_t)cli_integer("--workers", optarg, 1, EXEC_MAX_WORKERS);
			ctl->exec_only = "--workers";
			break;
		case OPT_RETRIES:
			ctl->xo.retries = (unsigned)cli_integer("--retries", optarg, 0, 1000000);
			ctl->exec_only = "--retries";
			break;
		case OPT_KILL_AFTER:
			ctl->xo.kill_after_ns = cli_duration("--kill-after", optarg);
			ctl->exec_only = "--kill-after";
			break;
		case OPT_DEAD_LETTER: ctl->dead_path = optarg; break;
		case OPT_TO: ctl->to = optarg; break;
		case OPT_IDLE:
			ctl->idle_ns = cli_duration("--idle", optarg);
			if (ctl->idle_ns <= 0)
				cli_usage_error("invalid --idle value: must be more than 0");
			break;
		case '0': ctl->format = MSGOUT_NUL; break;
		case 'r': ctl->format = MSGOUT_RAW; break;
		case 'd': ctl->delim = cli_byte("--delimiter", optarg); break;
		case 'J': ctl->format = MSGOUT_JSON; break;
		default: cli_common_option(c, usage);
		}
	}
	ctl->queue_text = optind < argc ? argv[optind] : NULL;
	ctl->extra = optind + 1 < argc ? argv[optind + 1] : NULL;
}

static void check_args(struct mqrecv_control *ctl)
{
	const struct cli_given *given = &ctl->qc.given;

	if (!ctl->queue_text)
		cli_usage_error(ctl->xo.argv ? "no queue given: the queue comes before --exec, whose words are all the "
					       "command's" :
					       "no queue given");
	if (ctl->extra)
		cli_usage_error("one queue at a time: unexpected '%s'", ctl->extra);
	cli_excl_check(conflicts, given);
	if (ctl->exec_only && !ctl->xo.argv)
		cli_usage_error("%s is for --exec COMMAND", ctl->exec_only);
	if (ctl->idle_ns && !ctl->follow)
		cli_usage_error("--idle ends --follow once no message came for a while: add -f (--drain ends once the "
				"queue is empty)");
	cli_address_subscription(ctl->queue_text, &ctl->addr);
	cli_need_check(needs, given, ctl->addr.kind);
	if (ctl->to)
		cli_address(ctl->to, &ctl->to_addr);
	struct queue_cli source = ctl->qc;
	/* the password is for whichever end is on a broker */
	if (ctl->to && (queue_kind_caps(ctl->to_addr.kind)->can & QUEUE_CAN_LOGIN))
		cli_given_forget(&source.given, QUEUE_OPT_PASSWORD_FILE);
	queue_cli_check(&source, &ctl->addr);
	if (ctl->type_opt) /* refused above without QUEUE_CAN_TYPE */
		ctl->sel.type = (long)cli_integer("--type", ctl->type_opt, -0x7fffffffffffffffLL, 0x7fffffffffffffffLL);
	if (ctl->sel.except && ctl->sel.type <= 0)
		cli_usage_error("--except needs a type to leave out: give -t N with N > 0");
	if (ctl->drain && !cli_given(given, 'n'))
		ctl->count = (unsigned long long)-1;
	if (ctl->idle_ns) /* every wait for a message is bounded by it; its end is no failure */
		ctl->qc.wait = (struct queue_wait){ .how = QUEUE_WAIT_TIMEOUT, .timeout_ns = ctl->idle_ns };
	ctl->xo.idle = ctl->idle_ns != 0;
	if (ctl->to) {
		if (ctl->to_addr.kind == ctl->addr.kind && !strcmp(ctl->to, ctl->queue_text))
			cli_usage_error("--to %s names the queue it would take the messages from", ctl->to);
	}
	if (ctl->to && !cli_given(given, OPT_BATCH))
		ctl->batch = FORWARD_DEFAULT_WINDOW;
	/* amqp://: twice the output's window: while a batch waits to be
	 * written (and so unacked), as many more are on their way */
	ctl->qc.open.amqp.prefetch = 2 * (unsigned)ctl->batch;
}

/* Messages to standard output: received, or copied (--peek). */
static int run_output(struct receiver *rc, const struct mqrecv_control *ctl)
{
	bool tty = isatty(STDOUT_FILENO);

	if (tty)
		setlocale(LC_CTYPE, ""); /* escape by the terminal's character set */
	rc->out = msgout_new(STDOUT_FILENO, ctl->format, tty, queue_name(rc->q), ctl->addr.kind);
	if (!rc->out)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	/* what cannot be put back is at risk: a read-only consumer holds one */
	msgout_set_batch(rc->out, queue_writable(rc->q) ? ctl->batch : 1);
	msgout_show_priority(rc->out, ctl->verbose);
	if (ctl->delim >= 0)
		msgout_set_delimiter(rc->out, ctl->delim);
	if (msgout_reader_gone(rc->out))
		cli_die(MQ_EXIT_FAILURE, "standard output is a pipe whose reader has gone: nothing was taken from %s",
			rc->name);
	int status = ctl->peek ? peek_messages(rc, &ctl->sel, ctl->count, ctl->drain) :
				 receive_messages(rc, &ctl->sel, &ctl->qc.wait, ctl->count, ctl->drain);
	msgout_free(rc->out);
	return status;
}

/* Long work, --drain or -n with --to or --exec, shown on a terminal: how
 * far through the count, or what was queued at the start. */
static struct progress *work_progress(struct receiver *rc, const struct mqrecv_control *ctl)
{
	if (ctl->follow || !(ctl->drain || cli_given(&ctl->qc.given, 'n')) || ctl->quiet || !isatty(STDERR_FILENO))
		return NULL;
	unsigned long long total = ctl->count;
	if (ctl->drain) {
		unsigned long long queued = queued_now(rc->q);
		total = queued && queued < total ? queued : cli_given(&ctl->qc.given, 'n') ? total : queued;
	}
	return progress_new(total, false, ctl->quiet);
}

/* --to: the messages to another queue. */
static int run_forward(struct receiver *rc, const struct mqrecv_control *ctl)
{
	struct forward_options fo = { .src_name = rc->name,
		.src_qc = &ctl->qc,
		.src_addr = &ctl->addr,
		.sel = &ctl->sel,
		.wait = &ctl->qc.wait,
		.count = ctl->count,
		.follow = ctl->follow,
		.drain = ctl->drain,
		/* what cannot be put back is at risk: a read-only consumer holds one */
		.window = queue_writable(rc->q) ? ctl->batch : 1,
		.idle_ns = ctl->idle_ns,
		.dst_name = ctl->to,
		.dst_addr = &ctl->to_addr,
		.password_file = ctl->qc.password_file,
		.dead_letter = forward_dead_letter,
		.ctx = rc,
		.progress = work_progress(rc, ctl) };
	int status = forward_run(&rc->q, &fo);
	progress_end(fo.progress);
	return status;
}

static int run(struct mqrecv_control *ctl)
{
	struct receiver rc = { .name = ctl->queue_text,
		.kind = ctl->addr.kind,
		.follow = ctl->follow,
		.idle = ctl->idle_ns != 0,
		.dead_path = ctl->dead_path };
	int status;

	if (!ctl->to && !ctl->xo.argv && !ctl->wait_only && cli_stdfd_was_closed(STDOUT_FILENO))
		cli_die(MQ_EXIT_FAILURE, "standard output is closed: nothing was taken from %s", rc.name);
	dead_letter_open(&rc.dead, rc.dead_path);
	if (!ctl->peek && !ctl->wait_only)
		dead_letter_require(&rc.dead, "nothing was taken");
	rc.q = queue_cli_open(&ctl->qc, &ctl->addr, rc.name);
	rc.dead.queue = queue_name(rc.q);
	rc.dead.kind = ctl->addr.kind;
	/* standard output is the commands' (or unused): no msgout */
	if (ctl->to)
		status = run_forward(&rc, ctl);
	else if (ctl->xo.argv) {
		ctl->xo.progress = work_progress(&rc, ctl);
		status = run_commands(&rc, &ctl->xo, &ctl->sel, &ctl->qc.wait, ctl->count, ctl->drain);
		progress_end(ctl->xo.progress);
	} else if (ctl->wait_only)
		status = wait_for_message(&rc, &ctl->qc.wait);
	else
		status = run_output(&rc, ctl);
	/* every way out of main frees what it holds: sanitizers and valgrind
	 * then see a leak as the bug it is */
	dead_letter_close(&rc.dead);
	queue_close(rc.q);
	return status;
}

int main(int argc, char **argv)
{
	struct mqrecv_control ctl;

	cli_init(argc, argv);
	parse_args(&ctl, argc, argv);
	check_args(&ctl);
	return run(&ctl);
}
