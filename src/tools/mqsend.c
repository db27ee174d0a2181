/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqsend - send messages to a queue of any kind: a POSIX or System V
 * message queue, an amqp:// queue, an mqtt:// topic. main() is parse ->
 * check -> run: parse_args() fills struct mqsend_control, check_args()
 * refuses what the line or the queue's kind cannot do, run() sends the
 * MESSAGE arguments (send_arguments) or the records of standard input
 * (send_stream), and makes sure they arrived (check_still_there). */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/caps-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "cli/excl.h"
#include "cli/progress.h"
#include "cli/queue-cli.h"
#include "lib/signals.h"
#include "tools/deadletter.h"
#include "tools/framing.h"
#include "tools/jsonlines.h"
#include "tools/mqsend-unsent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE [MESSAGE...]\n\n", cli_program);
	fputs("Send each MESSAGE, or the lines of standard input, to QUEUE.\n\nOptions:\n", stdout);
	fputs(" -p, --priority N         POSIX: message priority 0..32767; amqp:// 0..255 (default 0)\n"
	      " -t, --type N             System V: message type, 1 or more (default 1)\n"
	      " -0, --null               input messages end with NUL, not newline\n"
	      " -d, --delimiter C        input messages end with byte C (\\n \\t \\0 \\xHH allowed)\n"
	      " -w, --whole              all of standard input is one message\n"
	      " -J, --json               input lines are JSON objects, as mqrecv --json writes\n"
	      "                          them: each its message's data, priority or type\n"
	      " -q, --quiet              no progress line on a terminal (from a regular file)\n"
	      "     --dead-letter FILE   where records read but not sent go (default stderr)\n",
		stdout);
	printf(QUEUE_CLI_USAGE, "full");
	fputs(AMQP_CLI_USAGE, stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqsend(1)");
	exit(MQ_EXIT_OK);
}

struct sender {
	struct queue *q;
	long priority;
	struct queue_wait wait;
	unsigned long long sent;
	bool removed;                 /* seen removed, though empty, before a read of input */
	struct progress *progress;    /* a regular file read, on a terminal */
	struct framing_reader *input; /* standard input, or NULL: arguments */
	bool json;                    /* INPUT's records are JSON lines */
	struct dead_letter dead;      /* where records read and not sent go */
	/* a record over the queue's limit, not held whole: written to the
	 * dead letter as it is read (long_status: how that went, once ended) */
	struct dead_letter_stream long_record;
	int long_status;
};

/* After a failure: how many were sent. A broker's (amqp://) are counted
 * up to the first it has not confirmed; those from there on may or may not
 * be queued, so that a caller who sends again from the next one on loses
 * none, and may repeat some. */
static void say_sent(struct sender *s)
{
	unsigned long long open = queue_unconfirmed(s->q), sure = s->sent - open;
	if (open)
		cli_warn("%llu message%s sent before it, confirmed by the broker; the %llu after %s published "
			 "but not confirmed, and may or may not be queued: sending again from message %llu on loses "
			 "none, and may repeat some",
			sure, sure == 1 ? " was" : "s were", open, open == 1 ? "it was" : "them were", sure + 1);
	else if (s->sent)
		cli_warn("%llu message%s sent before it", s->sent, s->sent == 1 ? " was" : "s were");
}

/* End early with STATUS, the cause said: the records read and not sent
 * (FAILED, LEN: the one whose send failed, if any) go to the dead letter. */
static noreturn void end_early(struct sender *s, const char *failed, size_t len, int status)
{
	if (s->long_status == MQ_EXIT_FAILURE) { /* the long record was lost: say so by the status */
		if (s->json)
			unsent_json_to_dead_letter(s->input, &s->dead, failed, len, s->priority, status);
		else
			unsent_to_dead_letter(s->input, &s->dead, failed, len, s->priority, status);
		exit(MQ_EXIT_FAILURE);
	}
	if (s->long_status == MQ_EXIT_DEADLETTER)
		status = MQ_EXIT_DEADLETTER;
	if (s->json)
		exit(unsent_json_to_dead_letter(s->input, &s->dead, failed, len, s->priority, status));
	exit(unsent_to_dead_letter(s->input, &s->dead, failed, len, s->priority, status));
}

/* A record that fitted when it was read, whose queue's capacity was then
 * lowered (System V msg_qbytes, by IPC_SET) under it: it can never be
 * sent, and would wait forever. */
static void warn_never_fits(const struct sender *s, size_t len)
{
	cli_warn("%s: %s %llu is %zu bytes, over the queue's limit of %zu bytes now (its capacity was lowered "
		 "while mqsend held it): it can never fit; %llu message%s sent before it",
		queue_name(s->q), s->input ? "input record" : "message argument", s->sent + 1, len,
		queue_max_message(s->q), s->sent, s->sent == 1 ? " was" : "s were");
}

/* HEADROOM: DATA has QUEUE_SEND_HEADROOM bytes before it to overwrite. */
static void send_one(struct sender *s, char *data, size_t len, bool headroom)
{
	int r = s->removed ? -EIDRM :
		headroom   ? queue_send_headroom(s->q, data, len, s->priority, &s->wait) :
			     queue_send(s->q, data, len, s->priority, &s->wait);
	if (r == -EMSGSIZE) { /* checked at the read: the queue's capacity fell since */
		warn_never_fits(s, len);
		end_early(s, data, len, MQ_EXIT_FAILURE);
	}
	if (r == -EINTR) { /* a stop signal ended a wait to send */
		char stop[64];
		cli_warn("%s: %s while sending; %llu message%s sent before it", queue_name(s->q),
			unsent_stop_text(stop, sizeof(stop)), s->sent, s->sent == 1 ? " was" : "s were");
		end_early(s, data, len, MQ_EXIT_FAILURE);
	}
	if (r < 0) {
		int status = queue_cli_error_on(s->q, r, "send");
		say_sent(s);
		end_early(s, data, len, status);
	}
	s->sent++;
}

/* A network queue: what was sent counts once the broker confirmed it. */
static void confirm_sent(struct sender *s)
{
	int r = queue_flush(s->q, &s->wait);
	if (r < 0) {
		int status = queue_cli_error_on(s->q, r, "send");
		say_sent(s);
		end_early(s, NULL, 0, status);
	}
}

/* At the end: a queue removed while it still held messages lost them, which
 * the caller must hear of (exit 3, as for a send into it). One removed by a
 * consumer that took everything first (mqled's stop) lost nothing. */
static void check_still_there(struct sender *s)
{
	unsigned long left;
	confirm_sent(s);
	int r = queue_check_stranded(s->q, &left);
	if (r < 0) {
		int status = queue_cli_error_on(s->q, r, "send");
		cli_warn("%llu message%s sent before it was removed, %lu of them still in it, unreceived", s->sent,
			s->sent == 1 ? " was" : "s were", left);
		end_early(s, NULL, 0, status);
	}
}

/* framing's on_long: a record over the queue's limit, passing by. */
static void keep_long_record(void *arg, const char *data, size_t n, bool last)
{
	struct sender *s = arg;
	if (!s->long_record.d)
		dead_letter_stream_begin(&s->long_record, &s->dead, s->priority);
	dead_letter_stream_add(&s->long_record, data, n);
	if (last)
		s->long_status = dead_letter_stream_end(&s->long_record);
}

/* WHAT N is LEN bytes, over the queue's limit: DATA, when it is held whole
 * (else it went to the dead letter as it was read, or is an argument),
 * goes to the dead letter first, then what was read after it. */
static noreturn void too_large(struct sender *s, const char *what, unsigned long long n, const char *data, size_t len)
{
	char stop[64];

	confirm_sent(s); /* so that the count is of messages the queue has */
	if (s->input && framing_reader_interrupted(s->input))
		cli_warn("%s: %s %llu is over the queue's limit of %zu bytes (%zu bytes of it read when %s); "
			 "nothing was truncated, %llu message%s sent before it",
			queue_name(s->q), what, n, queue_max_message(s->q), len, unsent_stop_text(stop, sizeof(stop)),
			s->sent, s->sent == 1 ? " was" : "s were");
	else
		cli_warn("%s: %s %llu is %zu bytes, over the queue's limit of %zu bytes; "
			 "nothing was truncated, %llu message%s sent before it",
			queue_name(s->q), what, n, len, queue_max_message(s->q), s->sent,
			s->sent == 1 ? " was" : "s were");
	if (s->long_status == MQ_EXIT_DEADLETTER)
		cli_warn("%s %llu was written to %s as it was read: one JSON line, its data in base64%s", what, n,
			s->dead.fd >= 0 ? s->dead.path : "standard error",
			s->input && framing_reader_interrupted(s->input) ?
				", the start of the record: its end was never read" :
				"");
	end_early(s, s->long_status ? NULL : data, len, MQ_EXIT_FAILURE);
}

/* Before a read of input, which may block for long: a queue removed with our
 * messages still in it has lost them, and is reported now, not after the
 * next line. One removed but emptied (all received) lost nothing: only more
 * input would go into nothing, which send_one then refuses. */
static int removed_before_read(void *arg)
{
	struct sender *s = arg;
	unsigned long left;
	confirm_sent(s); /* a broker's confirms before input, which may take long */
	if (queue_check_removed(s->q) == 0)
		return 0; /* the common case: one fstat(2) a read */
	s->removed = true;
	return queue_check_stranded(s->q, &left) < 0;
}

/* Reading standard input failed (FRAMING_ERROR) or a stop signal ended it
 * (FRAMING_INTERRUPTED): said, and what was read and not sent to the dead
 * letter. */
static noreturn void input_ended_early(struct sender *s, int st)
{
	int err = errno;
	char stop[64];

	confirm_sent(s); /* so that the count is of messages the queue has */
	if (st == FRAMING_INTERRUPTED)
		cli_warn("%s: %s while reading standard input; %llu message%s sent", queue_name(s->q),
			unsent_stop_text(stop, sizeof(stop)), s->sent, s->sent == 1 ? " was" : "s were");
	else
		cli_warn("reading standard input: %s; %llu messages were sent", strerror(err), s->sent);
	end_early(s, NULL, 0, MQ_EXIT_FAILURE);
}

/* --json: each line a message with its own priority or type (NONE when it
 * gives none). A line that is not one ends mqsend there, having sent
 * (and had confirmed) every one before it. */
static void send_json_lines(struct sender *s, long none)
{
	struct jsonlines *j =
		jsonlines_new(STDIN_FILENO, queue_kind(s->q), none, queue_max_message(s->q), QUEUE_SEND_HEADROOM);
	char *data;
	size_t len;
	int st;

	if (!j)
		cli_die(MQ_EXIT_FAILURE, "out of memory for a %zu-byte message", queue_max_message(s->q));
	jsonlines_before_read(j, removed_before_read, s);
	s->input = jsonlines_reader(j);
	s->json = true;
	while ((st = jsonlines_next(j, &data, &len, &s->priority)) == FRAMING_OK) {
		send_one(s, data, len, true);
		progress_update_reading(s->progress);
	}
	if (st == FRAMING_STOPPED)
		check_still_there(s);
	if (st == FRAMING_ERROR || st == FRAMING_INTERRUPTED)
		input_ended_early(s, st);
	if (st == FRAMING_TOO_LONG)
		too_large(s, "the message of line", jsonlines_line(j), data, len);
	if (st == JSONLINES_BAD || st == JSONLINES_LINE_TOO_LONG) {
		const struct jsonin_error *e = jsonlines_error(j);
		confirm_sent(s);
		if (st == JSONLINES_LINE_TOO_LONG)
			cli_die(MQ_EXIT_FAILURE,
				"standard input, line %llu: the line is %zu bytes long, over the limit of "
				"%zu bytes for a message of at most %zu; nothing after it was sent, %llu message%s before it",
				jsonlines_line(j), len, jsonlines_max_line(j), queue_max_message(s->q), s->sent,
				s->sent == 1 ? " was sent" : "s were sent");
		cli_die(MQ_EXIT_FAILURE,
			"standard input, line %llu, column %zu: %s; nothing after it was sent, %llu "
			"message%s before it",
			jsonlines_line(j), e->column, e->what, s->sent, s->sent == 1 ? " was sent" : "s were sent");
	}
	s->input = NULL;
	jsonlines_free(j);
}

static void send_stream(struct sender *s, enum framing framing, int delim)
{
	/* the records come with room for a System V mtype in front: sent in place */
	struct framing_reader *r =
		framing_reader_new(STDIN_FILENO, framing, delim, queue_max_message(s->q), QUEUE_SEND_HEADROOM);
	char *data = NULL;
	size_t len;
	enum framing_status st;

	if (!r)
		cli_die(MQ_EXIT_FAILURE, "out of memory for a %zu-byte message", queue_max_message(s->q));
	/* not called for a regular file, whose reads never wait: the send's
	 * own check (every QUEUE_REMOVAL_CHECK_NS) sees a removal there */
	framing_reader_before_read(r, removed_before_read, s);
	framing_reader_on_long(r, keep_long_record, s);
	s->input = r;
	while ((st = framing_reader_next(r, &data, &len)) == FRAMING_OK) {
		send_one(s, data, len, true);
		progress_update_reading(s->progress);
	}
	if (st == FRAMING_STOPPED)
		check_still_there(s);
	if (st == FRAMING_TOO_LONG)
		too_large(s, "input record", framing_reader_index(r), data, len);
	if (st == FRAMING_ERROR || st == FRAMING_INTERRUPTED)
		input_ended_early(s, st);
	if (s->long_status) /* the start of a long record, kept, and reading stopped in it */
		end_early(s, NULL, 0, MQ_EXIT_FAILURE);
	s->input = NULL;
	framing_reader_free(r);
}

struct mqsend_control {
	struct queue_cli qc;
	const char *queue_text;
	struct queue_address addr;
	char **messages; /* the MESSAGE arguments; none: standard input */
	int nmessages;
	const char *priority_opt, *type_opt;
	long priority; /* each message's priority, or System V type */
	enum framing framing;
	int delim;
	bool json;               /* --json: a JSON object a line */
	bool quiet;              /* --quiet: no progress line */
	const char *dead_letter; /* --dead-letter FILE; NULL: standard error */
};

enum { OPT_DEAD_LETTER = QUEUE_OPT_FIRST_FREE };

static const struct option longopts[] = {
	{ "priority", required_argument, NULL, 'p' },
	{ "type", required_argument, NULL, 't' },
	{ "null", no_argument, NULL, '0' },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "whole", no_argument, NULL, 'w' },
	{ "json", no_argument, NULL, 'J' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "dead-letter", required_argument, NULL, OPT_DEAD_LETTER },
	QUEUE_CLI_LONGOPTS,
	AMQP_CLI_LONGOPTS,
	CLI_LONGOPTS_HELP_VERSION,
};

static const struct cli_excl conflicts[] = {
	{ { '0', 'd', 'w' }, { 0 }, CLI_EXCL_REPEAT,
		"--null, --delimiter and --whole are exclusive: choose one way to cut "
		"the input" },
	{ { 'J' }, { '0', 'd', 'w' }, CLI_EXCL_TOGETHER,
		"--json reads one JSON object a line: it takes no --null, --delimiter "
		"or --whole" },
	QUEUE_CLI_EXCL,
	AMQP_CLI_EXCL,
	{ .message = NULL },
};

/* What mqsend's own options need of the queue's kind (queue_cli_check
 * the shared ones). */
static const struct cli_need needs[] = {
	{ 'p', QUEUE_CAN_PRIORITY, "--priority" },
	{ 't', QUEUE_CAN_TYPE, "--type" },
	{ 0, 0, NULL },
};

static void parse_args(struct mqsend_control *ctl, int argc, char **argv)
{
	int c;

	*ctl = (struct mqsend_control){ .framing = FRAME_DELIMITED, .delim = '\n' };
	queue_cli_init(&ctl->qc, QUEUE_WRITE);
	while ((c = getopt_long(argc, argv, "p:t:0d:wJq" QUEUE_CLI_SHORTOPTS "hV", longopts, NULL)) != -1) {
		if (queue_cli_option(&ctl->qc, c, optarg) || amqp_cli_option(&ctl->qc, c, optarg))
			continue;
		switch (c) {
		case 'p': ctl->priority_opt = optarg; break;
		case 't': ctl->type_opt = optarg; break;
		case '0': ctl->delim = '\0'; break;
		case 'd': ctl->delim = cli_byte("--delimiter", optarg); break;
		case 'w': ctl->framing = FRAME_WHOLE; break;
		case 'J': ctl->json = true; break;
		case 'q': ctl->quiet = true; break;
		case OPT_DEAD_LETTER: ctl->dead_letter = optarg; break;
		default: cli_common_option(c, usage);
		}
	}
	if (optind < argc)
		ctl->queue_text = argv[optind++];
	ctl->messages = argv + optind;
	ctl->nmessages = argc - optind;
}

static void check_args(struct mqsend_control *ctl)
{
	const struct cli_given *given = &ctl->qc.given;

	if (!ctl->queue_text)
		cli_usage_error("no queue given");
	cli_excl_check(conflicts, given);
	cli_address(ctl->queue_text, &ctl->addr);
	cli_need_check(needs, given, ctl->addr.kind);
	queue_cli_check(&ctl->qc, &ctl->addr);
	if (ctl->nmessages && (cli_given(given, '0') || cli_given(given, 'd') || cli_given(given, 'w') || ctl->json))
		cli_usage_error("%s applies to standard input, but messages were given as arguments",
			ctl->json                           ? "--json" :
				ctl->framing == FRAME_WHOLE ? "--whole" :
				ctl->delim == '\0'          ? "--null" :
							      "--delimiter");
	const struct queue_caps *caps = queue_kind_caps(ctl->addr.kind);
	if (caps->can & QUEUE_CAN_TYPE)
		ctl->priority = ctl->type_opt ? (long)cli_integer("--type", ctl->type_opt, 1, 0x7fffffffffffffffLL) : 1;
	else if (ctl->priority_opt) /* refused above without QUEUE_CAN_PRIORITY */
		ctl->priority = (long)cli_integer("--priority", ctl->priority_opt, 0, caps->max_priority);
}

/* Every argument is checked before the first is sent. */
static void send_arguments(struct sender *s, char **messages, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(messages[i]);
		if (len > queue_max_message(s->q))
			too_large(s, "message argument", (unsigned long long)i + 1, NULL, len);
	}
	for (int i = 0; i < n; i++)
		send_one(s, messages[i], strlen(messages[i]), false);
}

static int run(const struct mqsend_control *ctl)
{
	struct sender s = { .priority = ctl->priority, .wait = ctl->qc.wait };

	dead_letter_open(&s.dead, ctl->dead_letter);
	if (!ctl->nmessages)
		dead_letter_require(&s.dead, "nothing was read");
	s.q = queue_cli_open(&ctl->qc, &ctl->addr, ctl->queue_text);
	s.dead.queue = queue_name(s.q);
	s.dead.kind = ctl->addr.kind;
	if (ctl->nmessages)
		send_arguments(&s, ctl->messages, ctl->nmessages);
	else {
		s.progress = progress_new_reading(STDIN_FILENO, ctl->quiet);
		if (ctl->json)
			send_json_lines(&s, ctl->priority);
		else
			send_stream(&s, ctl->framing, ctl->delim);
		progress_end(s.progress);
	}
	check_still_there(&s);
	queue_close(s.q);
	dead_letter_close(&s.dead);
	return MQ_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct mqsend_control ctl;

	cli_init(argc, argv);
	parse_args(&ctl, argc, argv);
	check_args(&ctl);
	return run(&ctl);
}
