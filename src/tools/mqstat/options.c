/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.c - mqstat's command line: --help, the options read into the
 * control struct, what does not go together (a table, as util-linux's
 * ul_excl_t, each conflict with its own message), and the choice of the
 * mode and the columns. */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"
#include "cli/excl.h"
#include "cli/cli-parse.h"
#include "cli/queue-cli.h"
#include "lib/url.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] [QUEUE...]\n\n", cli_program);
	fputs("Show every POSIX and System V message queue, or the QUEUEs given in detail\n"
	      "(a /name with *, ? or [ is a pattern of POSIX queue names).\n\nOptions:\n",
		stdout);
	fputs(" -Q, --posix              POSIX queues only\n"
	      " -q, --sysv               System V queues only\n"
	      " -J, --json               JSON output\n"
	      " -r, --raw                raw output: no alignment\n"
	      " -e, --export             KEY=\"value\" pairs, one queue a line, safe to eval\n"
	      " -y, --shell              column names usable as shell variable names\n"
	      " -n, --newline            every queue as FIELD value lines, as for QUEUE arguments\n"
	      " -l, --list               QUEUE arguments as a table, not FIELD value lines\n"
	      "     --noheadings         no header line\n"
	      " -o, --output COLUMNS     the columns to show (+COL adds to the default set)\n"
	      "     --output-all         every column\n"
	      " -b, --bytes              sizes in bytes, not human-readable\n"
	      " -P, --numeric-perms      PERMS in octal (0640)\n"
	      "     --time-format FORMAT short, full, iso or relative\n"
	      " -H, --list-columns       list the columns and exit (with -g: the limits' columns)\n"
	      " -g, --limits, --global   system limits and what uses them\n"
	      " -w, --watch [SECONDS]    redraw on the terminal every SECONDS (default 2)\n"
	      "     --idle-after DURATION  a queue unused this long is idle (default 10m)\n"
	      "\nMonitoring (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN):\n"
	      "     --check              one status line and perfdata, for Nagios or Icinga\n"
	      "     --warn-fill PERCENT  WARNING when a queue is fuller than this (0..100)\n"
	      "     --crit-fill PERCENT  CRITICAL when a queue is fuller than this (0..100)\n"
	      "     --warn-orphaned N    WARNING when more than N queues are orphaned\n"
	      "     --warn-idle DURATION WARNING when a queue holds messages nobody took for this long\n"
	      "     --prometheus[=FILE]  metrics for Prometheus (node_exporter's textfile collector)\n"
	      "\nLeaks:\n"
	      "     --baseline FILE      save the set of queues there are now\n"
	      "     --new-since FILE     list the queues made since: exit 0 none, 1 some,\n"
	      "                          2 no comparison (a missing or damaged FILE)\n",
		stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	fputs("\nColumns:\n", stdout);
	for (int i = 0; i < NCOLS; i++)
		printf(" %11s  %s\n", mqstat_columns[i].name, mqstat_columns[i].help);
	cli_usage_footer("mqstat(1)");
	exit(MQ_EXIT_OK);
}

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_IDLE_AFTER,
	OPT_NOHEADINGS,
	OPT_TIME_FORMAT,
	OPT_CHECK,
	OPT_WARN_FILL,
	OPT_CRIT_FILL,
	OPT_WARN_ORPHANED,
	OPT_WARN_IDLE,
	OPT_BASELINE,
	OPT_NEW_SINCE,
	OPT_PROMETHEUS
};
static const struct option longopts[] = {
	{ "posix", no_argument, NULL, 'Q' },
	{ "sysv", no_argument, NULL, 'q' },
	{ "json", no_argument, NULL, 'J' },
	{ "raw", no_argument, NULL, 'r' },
	{ "export", no_argument, NULL, 'e' },
	{ "shell", no_argument, NULL, 'y' },
	{ "newline", no_argument, NULL, 'n' },
	{ "list", no_argument, NULL, 'l' },
	{ "noheadings", no_argument, NULL, OPT_NOHEADINGS },
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "bytes", no_argument, NULL, 'b' },
	{ "numeric-perms", no_argument, NULL, 'P' },
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "limits", no_argument, NULL, 'g' },
	{ "global", no_argument, NULL, 'g' },
	{ "watch", optional_argument, NULL, 'w' },
	{ "idle-after", required_argument, NULL, OPT_IDLE_AFTER },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "warn-fill", required_argument, NULL, OPT_WARN_FILL },
	{ "crit-fill", required_argument, NULL, OPT_CRIT_FILL },
	{ "warn-orphaned", required_argument, NULL, OPT_WARN_ORPHANED },
	{ "warn-idle", required_argument, NULL, OPT_WARN_IDLE },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "new-since", required_argument, NULL, OPT_NEW_SINCE },
	{ "prometheus", optional_argument, NULL, OPT_PROMETHEUS },
	QUEUE_CLI_NETWORK_LONGOPTS,
	CLI_LONGOPTS_HELP_VERSION,
};

/* --check given anywhere (getopt_long takes any unambiguous prefix, and
 * "--ch" is one): known before the options are parsed, so that a usage
 * error is already UNKNOWN. */
static bool check_requested(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		size_t len = strcspn(argv[i], "=");
		if (len >= 4 && !strncmp(argv[i], "--check", len))
			return true;
	}
	return false;
}

static enum time_format parse_time_format(const char *arg)
{
	static const char *const
		names[] = { [TF_SHORT] = "short", [TF_FULL] = "full", [TF_ISO] = "iso", [TF_RELATIVE] = "relative" };
	for (int i = TF_SHORT; i <= TF_RELATIVE; i++)
		if (!strcmp(arg, names[i]))
			return (enum time_format)i;
	cli_usage_error("--time-format %s: unknown format (short, full, iso or relative)", arg);
}

/* -w's optional SECONDS: "-w 5" as well as "-w5" and "--watch=5". */
static void parse_watch(struct mqstat_control *ctl, int argc, char **argv)
{
	const char *arg = optarg;
	if (!arg && optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9')
		arg = argv[optind++];
	ctl->watch = true;
	ctl->watch_ns = arg ? cli_duration("--watch", arg) : 2000000000LL;
	if (ctl->watch_ns < 100000000LL)
		cli_usage_error("--watch %s is too short: redraw at most every 0.1 seconds", arg);
}

/* A FILL threshold: 0 to 100, a "%" after it allowed. FILL is 100 when a
 * send must wait: a threshold above it could never be passed but by a
 * System V queue whose capacity was lowered below what it holds. */
static long long parse_percent(const char *option, const char *arg)
{
	char number[16];
	size_t len = strlen(arg);
	if (len && arg[len - 1] == '%')
		len--;
	if (len >= sizeof(number))
		len = sizeof(number) - 1;
	memcpy(number, arg, len);
	number[len] = '\0';
	struct parse_error e;
	long long v;
	if (parse_integer(number, 0, 100, &v, &e) < 0)
		cli_usage_error("invalid %s value: '%s': a percentage of FILL, 0 to 100 (100%% is a queue whose "
				"senders wait)",
			option, arg);
	return v;
}

/* The options that take a value, other than -w; false if OPT is none. */
static bool parse_valued(struct mqstat_control *ctl, int opt, const char *arg)
{
	switch (opt) {
	case 'o': ctl->output = arg; break;
	case OPT_TIME_FORMAT: ctl->time_format = parse_time_format(arg); break;
	case OPT_IDLE_AFTER: ctl->idle_after = cli_duration("--idle-after", arg) / 1000000000LL; break;
	case OPT_WARN_FILL: ctl->th.warn_fill = parse_percent("--warn-fill", arg); break;
	case OPT_CRIT_FILL: ctl->th.crit_fill = parse_percent("--crit-fill", arg); break;
	case OPT_WARN_ORPHANED: ctl->th.warn_orphaned = cli_integer("--warn-orphaned", arg, 0, 1000000000); break;
	case OPT_WARN_IDLE:
		ctl->th.warn_idle = cli_duration("--warn-idle", arg) / 1000000000LL;
		if (ctl->th.warn_idle < 1)
			cli_usage_error("--warn-idle %s: at least a second", arg);
		break;
	case OPT_BASELINE: ctl->baseline = arg; break;
	case OPT_NEW_SINCE: ctl->new_since = arg; break;
	case QUEUE_OPT_PASSWORD_FILE: ctl->password_file = arg; break;
	default: return false;
	}
	return true;
}

void parse_args(struct mqstat_control *ctl, int argc, char **argv)
{
	int c;

	*ctl = (struct mqstat_control){
		.idle_after = QUEUE_LIST_DEFAULT_IDLE_AFTER,
		.th = { .warn_fill = -1, .crit_fill = -1, .warn_orphaned = -1 },
	};
	if (check_requested(argc, argv))
		check_guard_exit(ctl);
	while ((c = getopt_long(argc, argv, "QqJreynlo:bPHgw::hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'Q': ctl->kinds |= QUEUE_KIND_BIT(QUEUE_POSIX); break;
		case 'q': ctl->kinds |= QUEUE_KIND_BIT(QUEUE_SYSV); break;
		case 'J': ctl->json = true; break;
		case 'r': ctl->raw = true; break;
		case 'e': ctl->export = true; break;
		case 'y': ctl->shellvar = true; break;
		case 'n': ctl->newline = true; break;
		case 'l': ctl->list = true; break;
		case OPT_NOHEADINGS: ctl->noheadings = true; break;
		case OPT_OUTPUT_ALL: ctl->output_all = true; break;
		case 'b': ctl->bytes = true; break;
		case 'P': ctl->numeric_perms = true; break;
		case 'H': ctl->list_columns = true; break;
		case 'g': ctl->limits = true; break;
		case 'w': parse_watch(ctl, argc, argv); break;
		case OPT_CHECK: ctl->check = true; break;
		case OPT_PROMETHEUS:
			ctl->prometheus = true;
			ctl->prometheus_file = optarg; /* NULL: standard output */
			break;
		default:
			if (!parse_valued(ctl, c, optarg))
				cli_common_option(c, usage);
		}
	}
	ctl->args = argv + optind;
	ctl->nargs = argc - optind;
}

/* --- what does not go together ------------------------------------------ */

/* What was given, for the table of conflicts: options, and what several
 * of them or the arguments amount to (thresholds, QUEUE, the table's look). */
enum given_what {
	G_JSON = 1,
	G_RAW,
	G_EXPORT,
	G_NEWLINE,
	G_OUTPUT,
	G_OUTPUT_ALL,
	G_SHELL,
	G_LIST,
	G_LIMITS,
	G_WATCH,
	G_CHECK,
	G_BASELINE,
	G_NEW_SINCE,
	G_THRESHOLDS,
	G_KINDS,
	G_QUEUES,
	G_PROMETHEUS,
	G_TABLE_LOOK,
};
#define G_FORMATS G_JSON, G_RAW, G_EXPORT, G_NEWLINE
#define G_MODES G_LIMITS, G_WATCH, G_CHECK, G_BASELINE, G_NEW_SINCE

static void note_given(const struct mqstat_control *ctl, struct cli_given *g)
{
	const struct thresholds *th = &ctl->th;
	bool thresholds = th->warn_fill >= 0 || th->crit_fill >= 0 || th->warn_orphaned >= 0 || th->warn_idle;
	const struct {
		bool on;
		enum given_what what;
	} given[] = {
		{ ctl->json, G_JSON },
		{ ctl->raw, G_RAW },
		{ ctl->export, G_EXPORT },
		{ ctl->newline, G_NEWLINE },
		{ ctl->output, G_OUTPUT },
		{ ctl->output_all, G_OUTPUT_ALL },
		{ ctl->shellvar, G_SHELL },
		{ ctl->list, G_LIST },
		{ ctl->limits, G_LIMITS },
		{ ctl->watch, G_WATCH },
		{ ctl->check, G_CHECK },
		{ ctl->baseline, G_BASELINE },
		{ ctl->new_since, G_NEW_SINCE },
		{ thresholds, G_THRESHOLDS },
		{ ctl->kinds, G_KINDS },
		{ ctl->nargs > 0, G_QUEUES },
		{ ctl->prometheus, G_PROMETHEUS },
		{ ctl->noheadings || ctl->bytes || ctl->numeric_perms || ctl->time_format, G_TABLE_LOOK },
	};
	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++)
		if (given[i].on)
			cli_given_note(g, given[i].what);
}

/* The combinations that make no sense, each said with what to do; the
 * first that applies is said. */
static const struct cli_excl conflicts[] = {
	{ .one = { G_FORMATS },
		.message = "--json, --raw, --export and --newline are exclusive: choose one output format" },
	{ .one = { G_OUTPUT, G_OUTPUT_ALL }, .message = "--output and --output-all are exclusive" },
	{ .one = { G_MODES },
		.message = "--limits, --watch, --check, --baseline and --new-since are exclusive: one at a time" },
	{ .one = { G_LIMITS },
		.other = { G_QUEUES, G_OUTPUT_ALL, G_NEWLINE },
		.message = "--limits shows the system limits alone: no QUEUE, --output-all or --newline with it" },
	{ .one = { G_WATCH },
		.other = { G_QUEUES, G_FORMATS },
		.message =
			"--watch shows every queue as a table: no QUEUE, --json, --raw, --export or --newline with it" },
	{ .one = { G_THRESHOLDS },
		.other = { G_CHECK },
		.rule = CLI_EXCL_WITHOUT,
		.message = "--warn-fill, --crit-fill, --warn-orphaned and --warn-idle are thresholds of --check" },
	{ .one = { G_CHECK },
		.other = { G_FORMATS, G_OUTPUT, G_OUTPUT_ALL, G_SHELL, G_LIST },
		.message = "--check prints one status line for a monitor: no output format or columns with it" },
	{ .one = { G_BASELINE, G_NEW_SINCE },
		.other = { G_QUEUES },
		.message = "--baseline and --new-since look at every queue: no QUEUE with them" },
	{ .one = { G_BASELINE },
		.other = { G_FORMATS, G_OUTPUT, G_OUTPUT_ALL },
		.message = "--baseline writes its file and prints nothing: no output format or columns with it" },
	{ .one = { G_PROMETHEUS },
		.other = { G_MODES, G_FORMATS, G_OUTPUT, G_OUTPUT_ALL, G_SHELL, G_LIST, G_TABLE_LOOK, G_KINDS },
		.message = "--prometheus writes every queue of both kinds as metrics: no other mode, -Q, -q, output "
			   "format or columns with it" },
	{ .one = { G_KINDS },
		.other = { G_QUEUES },
		.message = "--posix and --sysv choose among all queues: not with QUEUE arguments" },
	{ .one = { G_LIST },
		.other = { G_QUEUES },
		.rule = CLI_EXCL_WITHOUT,
		.message = "--list is for QUEUE arguments: without them every queue is a table already" },
	{ .message = NULL },
};

static void check_conflicts(const struct mqstat_control *ctl)
{
	const struct thresholds *th = &ctl->th;
	struct cli_given g = { .n = 0 };

	note_given(ctl, &g);
	cli_excl_check(conflicts, &g);
	if (th->warn_fill >= 0 && th->crit_fill >= 0 && th->warn_fill > th->crit_fill)
		cli_usage_error("--warn-fill %lld is above --crit-fill %lld: a warning comes first", th->warn_fill,
			th->crit_fill);
}

/* --- the mode and the columns ------------------------------------------- */

static int column_by_name(const struct column *set, int nset, const char *name, size_t len)
{
	for (int i = 0; i < nset; i++)
		if (strlen(set[i].name) == len && !strncasecmp(set[i].name, name, len))
			return i;
	return -1;
}

static void add_default_columns(struct mqstat_control *ctl, const struct column *set, int nset)
{
	for (int i = 0; i < nset; i++)
		if (set[i].in_default)
			ctl->cols[ctl->ncols++] = i;
}

/* -o LIST: comma-separated names of SET; "+LIST" adds to the default set. */
static void parse_columns(struct mqstat_control *ctl, const struct column *set, int nset, const char *list)
{
	ctl->ncols = 0;
	if (list[0] == '+') {
		add_default_columns(ctl, set, nset);
		list++;
	}
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		int c = column_by_name(set, nset, p, len);
		if (c < 0)
			cli_usage_error("unknown column '%.*s' for --output (see --list-columns%s)", (int)len, p,
				set == mqstat_limit_columns ? " --limits" : "");
		if (ctl->ncols < sizeof(ctl->cols) / sizeof(ctl->cols[0]))
			ctl->cols[ctl->ncols++] = c;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!ctl->ncols)
		cli_usage_error("--output needs at least one column (see --list-columns)");
}

/* The columns of a mode that shows some: -o's, every one, or the default. */
static void choose_columns(struct mqstat_control *ctl)
{
	if (ctl->mode == MODE_LIMITS) {
		if (ctl->output)
			parse_columns(ctl, mqstat_limit_columns, NLCOLS, ctl->output);
		else
			add_default_columns(ctl, mqstat_limit_columns, NLCOLS);
	} else if (ctl->mode == MODE_CHECK || ctl->mode == MODE_BASELINE || ctl->mode == MODE_PROMETHEUS) {
		return; /* a status line, a file: no columns */
	} else if (ctl->output) {
		parse_columns(ctl, mqstat_columns, NCOLS, ctl->output);
	} else if (ctl->output_all || (ctl->nargs && !ctl->list)) {
		for (int i = 0; i < NCOLS; i++)
			ctl->cols[ctl->ncols++] = i;
	} else {
		add_default_columns(ctl, mqstat_columns, NCOLS);
	}
}

static enum mqstat_mode choose_mode(const struct mqstat_control *ctl)
{
	if (ctl->limits)
		return MODE_LIMITS;
	if (ctl->check)
		return MODE_CHECK;
	if (ctl->baseline)
		return MODE_BASELINE;
	if (ctl->watch)
		return MODE_WATCH;
	if (ctl->new_since)
		return MODE_NEW_SINCE;
	if (ctl->prometheus)
		return MODE_PROMETHEUS;
	return ctl->nargs ? MODE_SHOW : MODE_LIST;
}

void check_args(struct mqstat_control *ctl)
{
	if (ctl->list_columns) {
		ctl->mode = MODE_LIST_COLUMNS;
		return;
	}
	/* before a network QUEUE is looked at: any QUEUE is wrong here */
	if (ctl->prometheus && ctl->nargs)
		cli_usage_error("--prometheus writes every kernel queue: no QUEUE with it (a broker's queues have "
				"its own exporter, such as RabbitMQ's rabbitmq_prometheus)");
	if (ctl->nargs > 0 && url_is_network(ctl->args[0])) {
		network_check(ctl);
		ctl->mode = MODE_NETWORK;
		return;
	}
	if (ctl->password_file)
		cli_usage_error("--password-file is for amqp:// queues; a kernel queue has no password");
	if (ctl->prometheus_file && !*ctl->prometheus_file)
		cli_usage_error("--prometheus= names no file: give one, or no = for standard output");
	check_conflicts(ctl);
	if (!ctl->kinds)
		ctl->kinds = QUEUE_KIND_BIT(QUEUE_POSIX) | QUEUE_KIND_BIT(QUEUE_SYSV);
	ctl->mode = choose_mode(ctl);
	choose_columns(ctl);
}
