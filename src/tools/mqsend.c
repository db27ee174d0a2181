/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqsend - send messages to a POSIX or System V message queue. */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "tools/deadletter.h"
#include "tools/framing.h"
#include "tools/mqsend-unsent.h"
#include "cli/queue-cli.h"
#include "cli/mqtt-cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_DEAD_LETTER = QUEUE_OPT_FIRST_FREE };

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE [MESSAGE...]\n\n", cli_program);
	fputs("Send each MESSAGE, or the lines of standard input, to QUEUE.\n\nOptions:\n", stdout);
	fputs(" -p, --priority N         POSIX: message priority 0..32767; amqp:// 0..255 (default 0)\n"
	      " -t, --type N             System V: message type, 1 or more (default 1)\n"
	      " -0, --null               input messages end with NUL, not newline\n"
	      " -d, --delimiter C        input messages end with byte C (\\n \\t \\0 \\xHH allowed)\n"
	      " -w, --whole              all of standard input is one message\n"
	      "     --dead-letter FILE   where records read but not sent go (default stderr)\n", stdout);
	printf(QUEUE_CLI_USAGE, "full");
	fputs(AMQP_CLI_USAGE, stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqsend(1)");
	exit(MQ_EXIT_OK);
}

/* -d's argument: one byte, or a C escape for one. */
static int parse_delimiter(const char *arg)
{
	if (arg[0] && !arg[1])
		return (unsigned char)arg[0];
	if (arg[0] == '\\' && arg[1] && !arg[2]) {
		switch (arg[1]) {
		case 'n': return '\n';
		case 't': return '\t';
		case '0': return '\0';
		case 'r': return '\r';
		case '\\': return '\\';
		}
	}
	/* exactly two hex digits: strtol would take "\\x-1" and "\\x 1" */
	if (arg[0] == '\\' && arg[1] == 'x' && isxdigit((unsigned char)arg[2]) && isxdigit((unsigned char)arg[3]) && !arg[4])
		return (int)strtol(arg + 2, NULL, 16);
	cli_usage_error("invalid --delimiter value: '%s' is not one byte (give a character, or \\n \\t \\0 \\xHH)", arg);
}

struct sender {
	struct queue *q;
	long priority;
	struct queue_wait wait;
	unsigned long long sent;
	bool removed; /* seen removed, though empty, before a read of input */
	struct framing_reader *input; /* standard input, or NULL: arguments */
	struct dead_letter dead;  /* where records read and not sent go */
};

/* End early with STATUS, the cause said: the records read and not sent
 * (FAILED, LEN: the one whose send failed, if any) go to the dead letter. */
static noreturn void end_early(struct sender *s, const char *failed, size_t len, int status)
{
	exit(unsent_to_dead_letter(s->input, &s->dead, failed, len, s->priority, status));
}

/* A record that fitted when it was read, whose queue's capacity was then
 * lowered (System V msg_qbytes, by IPC_SET) under it: it can never be
 * sent, and would wait forever. */
static void warn_never_fits(const struct sender *s, size_t len)
{
	cli_warn("%s: %s %llu is %zu bytes, over the queue's limit of %zu bytes now (its capacity was lowered "
		"while mqsend held it): it can never fit; %llu message%s sent before it", queue_name(s->q),
		s->input ? "input record" : "message argument", s->sent + 1, len, queue_max_message(s->q), s->sent,
		s->sent == 1 ? " was" : "s were");
}

/* HEADROOM: DATA has QUEUE_SEND_HEADROOM bytes before it to overwrite. */
static void send_one(struct sender *s, char *data, size_t len, bool headroom)
{
	int r = s->removed ? -EIDRM : headroom ? queue_send_headroom(s->q, data, len, s->priority, &s->wait)
		: queue_send(s->q, data, len, s->priority, &s->wait);
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
		if (s->sent)
			cli_warn("%llu message%s sent before it", s->sent, s->sent == 1 ? " was" : "s were");
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
		cli_warn("%llu message%s sent before it, not all of them confirmed by the broker", s->sent,
			s->sent == 1 ? " was" : "s were");
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
		cli_warn("%llu message%s sent before it was removed, %lu of them still in it, unreceived",
			s->sent, s->sent == 1 ? " was" : "s were", left);
		end_early(s, NULL, 0, status);
	}
}

static noreturn void too_large(struct sender *s, const char *what, unsigned long long n, size_t len)
{
	char stop[64];

	if (s->input && framing_reader_interrupted(s->input))
		cli_warn("%s: %s %llu is over the queue's limit of %zu bytes (%zu bytes of it read when %s); "
			"nothing was truncated, %llu message%s sent before it", queue_name(s->q), what, n,
			queue_max_message(s->q), len, unsent_stop_text(stop, sizeof(stop)), s->sent,
			s->sent == 1 ? " was" : "s were");
	else
		cli_warn("%s: %s %llu is %zu bytes, over the queue's limit of %zu bytes; "
			"nothing was truncated, %llu message%s sent before it", queue_name(s->q), what, n, len,
			queue_max_message(s->q), s->sent, s->sent == 1 ? " was" : "s were");
	end_early(s, NULL, 0, MQ_EXIT_FAILURE);
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

static void send_stream(struct sender *s, enum framing framing, int delim)
{
	/* the records come with room for a System V mtype in front: sent in place */
	struct framing_reader *r = framing_reader_new(STDIN_FILENO, framing, delim, queue_max_message(s->q),
		QUEUE_SEND_HEADROOM);
	char *data;
	size_t len;
	enum framing_status st;
	char stop[64];

	if (!r)
		cli_die(MQ_EXIT_FAILURE, "out of memory for a %zu-byte message", queue_max_message(s->q));
	s->input = r;
	/* not called for a regular file, whose reads never wait: the send's
	 * own check (every QUEUE_REMOVAL_CHECK_NS) sees a removal there */
	framing_reader_before_read(r, removed_before_read, s);
	while ((st = framing_reader_next(r, &data, &len)) == FRAMING_OK)
		send_one(s, data, len, true);
	if (st == FRAMING_STOPPED)
		check_still_there(s);
	if (st == FRAMING_TOO_LONG)
		too_large(s, "input record", framing_reader_index(r), len);
	if (st == FRAMING_ERROR) {
		cli_warn("reading standard input: %s; %llu messages were sent", strerror(errno), s->sent);
		end_early(s, NULL, 0, MQ_EXIT_FAILURE);
	}
	if (st == FRAMING_INTERRUPTED) {
		cli_warn("%s: %s while reading standard input; %llu message%s sent", queue_name(s->q),
			unsent_stop_text(stop, sizeof(stop)), s->sent, s->sent == 1 ? " was" : "s were");
		end_early(s, NULL, 0, MQ_EXIT_FAILURE);
	}
	s->input = NULL;
	framing_reader_free(r);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "priority", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "null", no_argument, NULL, '0' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "whole", no_argument, NULL, 'w' },
		{ "dead-letter", required_argument, NULL, OPT_DEAD_LETTER },
		QUEUE_CLI_LONGOPTS,
		AMQP_CLI_LONGOPTS,
		CLI_LONGOPTS_HELP_VERSION,
	};
	struct queue_cli qc;
	struct queue_address addr;
	struct sender s = { 0 };
	const char *priority_opt = NULL, *type_opt = NULL, *dead_path = NULL;
	enum framing framing = FRAME_DELIMITED;
	int delim = '\n', c, framings = 0;
	bool mode_given = false;

	cli_init(argc, argv);
	queue_cli_init(&qc, QUEUE_WRITE);
	while ((c = getopt_long(argc, argv, "p:t:0d:w" QUEUE_CLI_SHORTOPTS "hV", longopts, NULL)) != -1) {
		mode_given |= c == 'm';
		if (queue_cli_option(&qc, c, optarg) || amqp_cli_option(&qc, c, optarg))
			continue;
		switch (c) {
		case 'p':
			priority_opt = optarg;
			break;
		case 't':
			type_opt = optarg;
			break;
		case '0':
			delim = '\0';
			framings++;
			break;
		case 'd':
			delim = parse_delimiter(optarg);
			framings++;
			break;
		case 'w':
			framing = FRAME_WHOLE;
			framings++;
			break;
		case OPT_DEAD_LETTER:
			dead_path = optarg;
			break;
		default:
			cli_common_option(c, usage);
		}
	}
	if (optind >= argc)
		cli_usage_error("no queue given");
	if (framings > 1)
		cli_usage_error("--null, --delimiter and --whole are exclusive: choose one way to cut the input");
	const char *queue_text = argv[optind++];
	cli_address(queue_text, &addr);
	mqtt_cli_check_send(&qc, &(struct mqtt_cli_send){ priority_opt, type_opt }, &addr);
	queue_cli_check(&qc, &addr);
	amqp_cli_check(&qc, &addr, mode_given);
	if (framings && optind < argc)
		cli_usage_error("%s applies to standard input, but messages were given as arguments",
			framing == FRAME_WHOLE ? "--whole" : delim == '\0' ? "--null" : "--delimiter");
	if (addr.kind == QUEUE_MQTT) {
		s.priority = 0;
	} else if (addr.kind == QUEUE_POSIX) {
		if (type_opt)
			cli_usage_error("--type is for System V queues; a POSIX queue takes --priority");
		s.priority = priority_opt ? (long)cli_integer("--priority", priority_opt, 0, 32767) : 0;
	} else if (addr.kind == QUEUE_AMQP) {
		if (type_opt)
			cli_usage_error("--type is for System V queues; an amqp:// queue takes --priority");
		s.priority = amqp_cli_priority(priority_opt);
	} else {
		if (priority_opt)
			cli_usage_error("--priority is for POSIX queues; a System V queue takes --type");
		s.priority = type_opt ? (long)cli_integer("--type", type_opt, 1, 0x7fffffffffffffffLL) : 1;
	}

	dead_letter_open(&s.dead, dead_path);
	if (optind == argc)
		dead_letter_require(&s.dead, "nothing was read");
	s.wait = qc.wait;
	s.q = queue_cli_open(&qc, &addr, queue_text);
	s.dead.queue = queue_name(s.q);
	s.dead.kind = addr.kind;

	if (optind < argc) {
		/* every argument is checked before the first is sent */
		for (int i = optind; i < argc; i++) {
			size_t len = strlen(argv[i]);
			if (len > queue_max_message(s.q))
				too_large(&s, "message argument", (unsigned long long)(i - optind + 1), len);
		}
		for (int i = optind; i < argc; i++)
			send_one(&s, argv[i], strlen(argv[i]), false);
	} else {
		send_stream(&s, framing, delim);
	}
	check_still_there(&s);
	queue_close(s.q);
	dead_letter_close(&s.dead);
	return MQ_EXIT_OK;
}
