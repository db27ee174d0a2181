/* mqrecv - receive messages from a POSIX or System V message queue. */
#include "config.h"
#include "tools/cli.h"
#include "tools/cli-parse.h"
#include "tools/msgout.h"
#include "tools/queue-cli.h"
#include "lib/signals.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_DRAIN = QUEUE_OPT_FIRST_FREE, OPT_PEEK };

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE\n\n", cli_program);
	fputs("Receive messages from QUEUE and write them to standard output.\n\nOptions:\n", stdout);
	fputs(" -n, --count N            receive N messages (default 1)\n"
	      " -f, --follow             receive until interrupted or the queue is removed\n"
	      "     --drain              receive what is queued now, then exit\n"
	      " -t, --type N             System V: 0 any, N type N, -N lowest type <= N\n"
	      " -e, --except             System V: any type but the one given with -t\n"
	      "     --peek               System V: show messages without taking them\n"
	      " -0, --null               end each message with NUL, not newline\n"
	      " -r, --raw                write message bytes only, no separator\n"
	      " -j, --json               one JSON object per message\n", stdout);
	printf(QUEUE_CLI_USAGE, "empty");
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqrecv(1)");
	exit(MQ_EXIT_OK);
}

struct receiver {
	struct queue *q;
	struct msgout *out;
	const char *name;
};

/* Output failed: put back every message it did not take whole, then exit. */
static noreturn void output_failed(struct receiver *rc, int err, const struct queue_message *extra)
{
	const struct queue_message *pending;
	size_t n = msgout_pending(rc->out, &pending);
	struct queue_message *all = calloc(n + 1, sizeof(*all));

	if (!all)
		cli_die(MQ_EXIT_FAILURE, "out of memory while putting messages back on %s", rc->name);
	memcpy(all, pending, n * sizeof(*all));
	if (extra)
		all[n++] = *extra;
	int r = n ? queue_requeue_front(rc->q, all, n) : 0;
	free(all);
	if (r < 0)
		cli_die(MQ_EXIT_FAILURE, "writing output: %s; putting %zu message%s back on %s failed too: %s",
			strerror(-err), n, n == 1 ? "" : "s", rc->name, strerror(-r));
	cli_die(MQ_EXIT_FAILURE, "writing output: %s; %zu message%s put back on %s", strerror(-err), n,
		n == 1 ? "" : "s", rc->name);
}

static void flush_or_requeue(struct receiver *rc)
{
	int r = msgout_flush(rc->out);
	if (r < 0)
		output_failed(rc, r, NULL);
}

static void add_or_requeue(struct receiver *rc, const struct queue_message *m)
{
	int r = msgout_add(rc->out, m);
	if (r == -ENOMEM)
		output_failed(rc, r, m); /* not buffered: it goes back too */
	if (r < 0)
		output_failed(rc, r, NULL);
}

static int peek_messages(struct receiver *rc, const struct queue_select *sel, unsigned long long count)
{
	unsigned long long shown = 0;
	struct queue_message m;

	for (size_t i = 0; shown < count; i++) {
		int r = queue_peek(rc->q, i, &m);
		if (r == -ENOMSG)
			break;
		if (r == -ENOSYS)
			cli_die(MQ_EXIT_FAILURE, "%s: --peek needs MSG_COPY, which this kernel lacks "
				"(CONFIG_CHECKPOINT_RESTORE)", rc->name);
		if (r < 0) {
			flush_or_requeue(rc);
			return queue_cli_error_on(rc->q, r, "receive");
		}
		bool match = sel->type == 0 || (sel->type > 0 ? m.priority == sel->type : m.priority <= -sel->type);
		if (sel->except)
			match = m.priority != sel->type;
		if (!match)
			continue;
		add_or_requeue(rc, &m);
		shown++;
	}
	flush_or_requeue(rc);
	return MQ_EXIT_OK;
}

static int receive_messages(struct receiver *rc, const struct queue_select *sel, const struct queue_wait *wait,
	unsigned long long count, bool follow, bool drain)
{
	static const struct queue_wait nowait = { .how = QUEUE_WAIT_NONE };

	for (unsigned long long received = 0; follow || received < count; received++) {
		struct queue_message m;
		/* the common case is one syscall; only an empty queue costs a flush and a wait */
		int r = queue_receive(rc->q, &m, sel, &nowait);
		if (r == -EAGAIN) {
			flush_or_requeue(rc);
			if (drain)
				break;
			if (wait->how == QUEUE_WAIT_NONE)
				return queue_cli_error_on(rc->q, r, "receive");
			r = queue_receive(rc->q, &m, sel, wait);
		}
		if (r < 0) {
			flush_or_requeue(rc);
			if (follow && (r == -EINTR || r == -EIDRM))
				break; /* the two ends of --follow */
			return queue_cli_error_on(rc->q, r, "receive");
		}
		add_or_requeue(rc, &m);
	}
	flush_or_requeue(rc);
	return MQ_EXIT_OK;
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
		QUEUE_CLI_LONGOPTS,
		CLI_LONGOPTS_HELP_VERSION,
	};
	struct queue_cli qc;
	struct queue_address addr;
	struct queue_select sel = { 0 };
	struct receiver rc;
	enum msgout_format format = MSGOUT_NEWLINE;
	unsigned long long count = 1;
	bool follow = false, drain = false, peek = false, count_given = false;
	const char *type_opt = NULL;
	int c, formats = 0;

	cli_init(argc, argv);
	queue_cli_init(&qc, QUEUE_READ | QUEUE_WRITE);
	qc.write_optional = true;
	while ((c = getopt_long(argc, argv, "n:ft:e0rj" QUEUE_CLI_SHORTOPTS "hV", longopts, NULL)) != -1) {
		if (queue_cli_option(&qc, c, optarg))
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
		case 'h':
			usage();
		case 'V':
			cli_print_version();
		default:
			cli_try_help(); /* getopt named the option */
		}
	}
	if (optind >= argc)
		cli_usage_error("no queue given");
	if (optind + 1 < argc)
		cli_usage_error("one queue at a time: unexpected '%s'", argv[optind + 1]);
	if (formats > 1)
		cli_usage_error("--null, --raw and --json are exclusive: choose one output format");
	if (follow && (drain || count_given))
		cli_usage_error("--follow receives until stopped: it takes neither --drain nor --count");
	if (follow && peek)
		cli_usage_error("--peek shows what is queued now: it cannot --follow");
	rc.name = argv[optind];
	cli_address(rc.name, &addr);
	queue_cli_check(&qc, &addr);
	if (addr.kind == QUEUE_POSIX) {
		if (type_opt || sel.except)
			cli_usage_error("--type and --except are for System V queues; POSIX queues deliver by priority");
		if (peek)
			cli_usage_error("--peek is for System V queues: a POSIX message cannot be read without taking it");
	} else if (type_opt) {
		sel.type = (long)cli_integer("--type", type_opt, -0x7fffffffffffffffLL, 0x7fffffffffffffffLL);
	}
	if (sel.except && sel.type <= 0)
		cli_usage_error("--except needs a type to leave out: give -t N with N > 0");
	if (drain && !count_given)
		count = (unsigned long long)-1;

	signals_install();
	rc.q = queue_cli_open(&qc, &addr, rc.name);
	bool tty = isatty(STDOUT_FILENO);
	if (tty)
		setlocale(LC_CTYPE, ""); /* escape by the terminal's character set */
	rc.out = msgout_new(STDOUT_FILENO, format, tty, queue_name(rc.q), addr.kind);
	if (!rc.out)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	if (msgout_reader_gone(rc.out))
		cli_die(MQ_EXIT_FAILURE, "standard output is a pipe whose reader has gone: nothing was taken from %s", rc.name);
	/* every way out of main frees what it holds: sanitizers and valgrind
	 * then see a leak as the bug it is */
	int status = peek ? peek_messages(&rc, &sel, count) : receive_messages(&rc, &sel, &qc.wait, count, follow, drain);
	msgout_free(rc.out);
	queue_close(rc.q);
	return status;
}
