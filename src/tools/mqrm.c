/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrm - remove message queues: POSIX and System V ones by name, or
 * chosen by filters among all the machine's (the leaked ones:
 * --orphaned); a broker's queue (amqp://) by name, on the broker's terms.
 * main() is parse -> check -> run: parse_args() fills struct
 * mqrm_control, check_args() refuses what the line cannot do, and
 * remove_named() or remove_chosen() remove. */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "cli/excl.h"
#include "cli/queue-cli.h"
#include "lib/format.h"
#include "lib/termesc.h"
#include "queue/list.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct filters {
	unsigned kinds;  /* QUEUE_KIND_BIT()s; 0 = both */
	unsigned states; /* 1 << enum queue_state, of --state; 0 = any */
	bool all, orphaned, empty;
	int64_t idle;       /* seconds; -1 = not asked */
	int64_t idle_after; /* seconds without activity before a queue can be orphaned */
	bool by_user;
	uid_t user;
	const char *described; /* the filters in words, for "nothing matched" */
};

struct mqrm_control {
	struct filters f;
	char described[256]; /* f.described */
	char **args;         /* the QUEUEs, and their addresses once checked */
	int nargs;
	struct queue_address *addrs;
	bool dry_run, interactive, verbose, force;
	const char *password_file; /* amqp:// */
	struct cli_given given;
	/* what the run keeps */
	bool stdin_done; /* -i: standard input ended, answer no from now on */
	char *answer;    /* -i: the last answer line, any length */
	size_t answer_cap;
	int status;
	unsigned long removed;
};

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE...\n %s [options] FILTER...\n\n", cli_program, cli_program);
	fputs("Remove message queues: the QUEUEs given (a /name with *, ? or [ is a\n"
	      "pattern of POSIX queue names), or those the filters choose among all of\n"
	      "them (filters combine with AND).\n\nFilters:\n",
		stdout);
	fputs(" -a, --all                every queue\n"
	      "     --orphaned           queues no process uses, inactive for --idle-after, with\n"
	      "                          no message awaiting a first consumer (see mqstat STATE)\n"
	      "     --idle-after DURATION  how long --orphaned wants a queue inactive (default 10m)\n"
	      "     --empty              queues holding no message\n"
	      "     --idle DURATION      queues with no activity for DURATION (30s, 2h, 7d, 3d4h)\n"
	      "     --state STATES       queues of these STATEs of mqstat, separated by commas\n"
	      "                          (in-use, recent, idle, stale, orphaned, unknown)\n"
	      " -u, --user USER          queues owned by USER (name or uid)\n"
	      " -Q, --posix              POSIX queues only (-P too)\n"
	      " -q, --sysv               System V queues only (-S too)\n"
	      "\nOptions:\n"
	      " -n, --dry-run            list what would be removed, remove nothing\n"
	      " -i, --interactive        ask before each removal (a line of stdin each: y or yes\n"
	      "                          removes, anything else keeps)\n"
	      " -v, --verbose            report each removal\n"
	      " -f, --force              a missing queue, or none chosen, is not an error;\n"
	      "                          amqp://: delete even a queue in use or holding messages\n" QUEUE_CLI_NETWORK_USAGE,
		stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqrm(1)");
	exit(MQ_EXIT_OK);
}

static uid_t parse_user(const char *text)
{
	struct passwd *pw = getpwnam(text);
	if (pw)
		return pw->pw_uid;
	struct parse_error e;
	long long v;
	if (parse_integer(text, 0, 0xfffffffeLL, &v, &e) == 0)
		return (uid_t)v;
	cli_usage_error("invalid --user value: no user '%s' (give a user name or a uid)", text);
}

/* --state: STATE words of mqstat, separated by commas, as a set. */
static unsigned parse_states(const char *text)
{
	unsigned set = 0;
	for (const char *p = text;; p++) {
		size_t len = strcspn(p, ",");
		int s = queue_state_from_name(p, len);
		if (s < 0)
			cli_usage_error("invalid --state value: '%.*s' is not a state (in-use, recent, idle, stale, "
					"orphaned or unknown, separated by commas)",
				(int)len, p);
		set |= 1u << s;
		p += len;
		if (!*p)
			return set;
	}
}

/* The worst status wins: a failure over a missing queue over success. */
static void note_status(struct mqrm_control *r, int status)
{
	if (r->status == MQ_EXIT_FAILURE)
		return;
	if (status == MQ_EXIT_FAILURE || r->status == MQ_EXIT_OK)
		r->status = status;
}

/* "(posix, 3 messages, orphaned, inactive 2h5m, owner alice)" */
static void describe(const struct queue_entry *e, int64_t now, char *buf, size_t len)
{
	const struct queue_info *in = &e->info;
	char user[64], ago[32];
	size_t n = (size_t)snprintf(buf, len, "(%s", in->addr.kind == QUEUE_POSIX ? "posix" : "sysv");

	if (n < len && (in->known & (QI_COUNTS | QI_POSIX_ATTR)))
		n += (size_t)snprintf(buf + n, len - n, ", %lu message%s", in->messages, in->messages == 1 ? "" : "s");
	if (n < len && e->state != QUEUE_STATE_UNKNOWN)
		n += (size_t)snprintf(buf + n, len - n, ", %s", queue_state_name(e->state));
	int64_t idle = queue_entry_inactive(e, now);
	if (n < len && idle >= 0)
		n += (size_t)snprintf(buf + n, len - n, ", inactive %s", format_duration(idle, ago, sizeof(ago)));
	if (n < len && (in->known & QI_OWNER))
		n += (size_t)snprintf(buf + n, len - n, ", owner %s", format_user(in->uid, user, sizeof(user)));
	if (n < len)
		snprintf(buf + n, len - n, ")");
}

/* The answer is a whole line, however long (a short read would leave the
 * rest to answer the next question); only y or yes, in any case and with
 * blanks around, means yes. */
static bool answer_is_yes(const char *line)
{
	size_t len = strlen(line);
	while (*line == ' ' || *line == '\t')
		line++, len--;
	while (len && (line[len - 1] == '\n' || line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	return (len == 1 && !strncasecmp(line, "y", 1)) || (len == 3 && !strncasecmp(line, "yes", 3));
}

static bool ask(struct mqrm_control *r, const char *name, const char *what)
{
	if (r->stdin_done)
		return false;
	fprintf(stderr, "%s: remove %s %s? ", cli_program, name, what);
	fflush(stderr);
	if (getline(&r->answer, &r->answer_cap, stdin) < 0) {
		r->stdin_done = true;
		fputc('\n', stderr);
		return false;
	}
	return answer_is_yes(r->answer);
}

/* Remove ADDR, shown as NAME; E (may be NULL) describes it for -n and -i. */
static void remove_one(struct mqrm_control *r, const struct queue_address *addr, const char *text,
	const struct queue_entry *e, int64_t now)
{
	char described[256] = "", what[TERMESC_SIZE(sizeof(described))], name[TERMESC_SIZE(NAME_MAX + 16)];

	/* names are anyone's: shown escaped (queue_cli_error escapes its own) */
	termesc_str(name, sizeof(name), text, 0);
	if (e)
		describe(e, now, described, sizeof(described));
	termesc_str(what, sizeof(what), described, TERMESC_KEEP_BACKSLASH);
	struct queue_detail why = { "" };
	int err;
	if (r->dry_run || r->interactive) {
		/* what the real run would do: a refusal said as it would say
		 * it, rather than a question that cannot come true */
		if (e && (err = queue_may_remove(&e->info, &why)) < 0) {
			note_status(r, queue_cli_error(text, addr->kind, err, "remove", &why));
			return;
		}
		if (r->dry_run) {
			printf("would remove %s %s\n", name, what);
			return;
		}
		if (!ask(r, name, what))
			return;
	}
	err = queue_remove(addr, &why);
	if (err == 0) {
		r->removed++;
		if (r->verbose)
			printf("removed %s\n", name);
		return;
	}
	if ((err == -ENOENT || err == -EIDRM) && r->force)
		return;
	if (err == -ENOENT || err == -EIDRM) {
		cli_warn("%s: " QUEUE_NO_SUCH_QUEUE " (already gone?); see mqstat for the queues there are", name);
		note_status(r, MQ_EXIT_NOQUEUE);
		return;
	}
	note_status(r, queue_cli_error(text, addr->kind, err, "remove", &why));
}

static bool have_filter(const struct filters *f)
{
	return f->all || f->orphaned || f->empty || f->idle >= 0 || f->by_user || f->kinds || f->states;
}

/* Whether the queues must be judged (queue_list_judge): for a filter on
 * their state or inactivity, and for -n and -i, which show both. */
static bool needs_judging(const struct mqrm_control *r, const struct filters *f)
{
	return f->orphaned || f->states || f->idle >= 0 || r->dry_run || r->interactive;
}

static bool matches(const struct filters *f, const struct queue_entry *e, int64_t now)
{
	const struct queue_info *in = &e->info;

	if (f->kinds && !(f->kinds & QUEUE_KIND_BIT(in->addr.kind)))
		return false;
	if (f->orphaned && e->state != QUEUE_STATE_ORPHANED)
		return false;
	if (f->states && !(f->states & (1u << e->state)))
		return false;
	/* a count or time we cannot read never selects a queue */
	if (f->empty && (!(in->known & (QI_COUNTS | QI_POSIX_ATTR)) || in->messages != 0))
		return false;
	if (f->idle >= 0) {
		int64_t idle = queue_entry_inactive(e, now);
		if (idle < 0 || idle < f->idle)
			return false;
	}
	if (f->by_user && (!(in->known & QI_OWNER) || in->uid != f->user))
		return false;
	return true;
}

/* Whether a queue of KIND is removed by the broker, on its terms (unused
 * and empty unless --force), rather than looked at and removed here. */
static bool broker_deletes(enum queue_kind kind)
{
	return queue_kind_caps(kind)->can & QUEUE_CAN_BROKER_DELETE;
}

/* E, named TEXT, if the filters choose it; else said with -v and -n. */
static void consider(struct mqrm_control *r, const struct queue_entry *e, const char *text, int64_t now)
{
	if (!matches(&r->f, e, now)) {
		char name[TERMESC_SIZE(NAME_MAX + 16)], by[TERMESC_SIZE(256)];
		if (r->verbose || r->dry_run)
			printf("kept %s: not chosen by %s\n", termesc_str(name, sizeof(name), text, 0),
				termesc_str(by, sizeof(by), r->f.described, TERMESC_KEEP_BACKSLASH));
		return;
	}
	remove_one(r, &e->info.addr, text, e, now);
}

/* A pattern of POSIX queue names: every queue it matches, as if named. */
static void remove_matching(struct mqrm_control *r, const char *pattern, int64_t now)
{
	struct queue_list l = { 0 };
	int n = queue_list_add_matching(&l, pattern);

	if (n == -ENOMEM)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	if (n == -ENODEV) {
		cli_warn("%s: a pattern needs the POSIX queues listed: " QUEUE_CLI_MOUNT_HINT, pattern);
		note_status(r, MQ_EXIT_FAILURE);
	} else if (n < 0) {
		note_status(r, queue_cli_error(pattern, QUEUE_POSIX, n, "list", NULL));
	} else if (n == 0 && !r->force) {
		cli_warn("%s: " QUEUE_NO_SUCH_QUEUE ": the pattern matches none; see mqstat for the queues there are",
			pattern);
		note_status(r, MQ_EXIT_NOQUEUE);
	}
	if (n > 0 && needs_judging(r, &r->f))
		queue_list_judge(&l, now, r->f.idle_after);
	for (size_t i = 0; n > 0 && i < l.n; i++)
		consider(r, &l.v[i], queue_entry_name(&l.v[i]), now);
	queue_list_free(&l);
}

/* The named queue I: gone, kept, or removed. With filters or -n/-i it is
 * looked at first, and kept unless the filters choose it. */
static void remove_named_one(struct mqrm_control *r, int i, bool look, int64_t now)
{
	const struct queue_address *addr = &r->addrs[i];
	const char *text = r->args[i];
	struct queue_list l = { 0 };

	if (broker_deletes(addr->kind)) {
		int st = amqp_cli_remove(text, addr, r->force, r->password_file, r->verbose);
		if (st == MQ_EXIT_OK)
			r->removed++;
		else
			note_status(r, st);
		return;
	}
	if (queue_name_is_pattern(text)) {
		remove_matching(r, text, now);
		return;
	}
	int err = look ? queue_list_add(&l, addr) : 0;
	if (err == -ENOENT || err == -EIDRM) {
		if (!r->force) {
			cli_warn("%s: " QUEUE_NO_SUCH_QUEUE "; see mqstat for the queues there are", text);
			note_status(r, MQ_EXIT_NOQUEUE);
		}
		return;
	}
	if (err < 0) {
		note_status(r, queue_cli_error(text, addr->kind, err, "stat", NULL));
		return;
	}
	if (!look) {
		remove_one(r, addr, text, NULL, now);
		return;
	}
	if (needs_judging(r, &r->f))
		queue_list_judge(&l, now, r->f.idle_after);
	/* by the address given: a System V key is removed by key */
	l.v[0].info.addr = *addr;
	consider(r, &l.v[0], text, now);
	queue_list_free(&l);
}

static void remove_named(struct mqrm_control *r)
{
	int64_t now = (int64_t)time(NULL);
	bool look = have_filter(&r->f) || r->dry_run || r->interactive;

	for (int i = 0; i < r->nargs; i++)
		remove_named_one(r, i, look, now);
}

static void remove_chosen(struct mqrm_control *r, const struct filters *f)
{
	struct queue_list l = { 0 };
	int64_t now = (int64_t)time(NULL);
	unsigned long chosen = 0;
	unsigned kinds = f->kinds ? f->kinds : QUEUE_KIND_BIT(QUEUE_POSIX) | QUEUE_KIND_BIT(QUEUE_SYSV);

	if (queue_list_collect(&l, kinds, QI_ALL & ~QI_QBYTES) < 0) /* no filter needs msg_qbytes */
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err == -ENODEV && f->kinds == QUEUE_KIND_BIT(QUEUE_POSIX))
		cli_die(MQ_EXIT_FAILURE, "POSIX queues cannot be listed: " QUEUE_CLI_MOUNT_HINT);
	if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0) {
		cli_warn("POSIX queues are not considered: %s: %s", MQUEUE_MOUNT,
			l.posix_err == -ENODEV ? "no mqueue file system mounted there" : strerror(-l.posix_err));
		note_status(r, MQ_EXIT_FAILURE);
	}
	if ((kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0) {
		cli_warn("System V queues are not considered: %s", strerror(-l.sysv_err));
		note_status(r, MQ_EXIT_FAILURE);
	}
	if (needs_judging(r, f))
		queue_list_judge(&l, now, f->idle_after);
	for (size_t i = 0; i < l.n; i++) {
		if (!matches(f, &l.v[i], now))
			continue;
		chosen++;
		remove_one(r, &l.v[i].info.addr, queue_entry_name(&l.v[i]), &l.v[i], now);
	}
	bool unknown_left = f->orphaned || (f->states && !(f->states & (1u << QUEUE_STATE_UNKNOWN)));
	size_t unjudged = unknown_left ? queue_list_unjudged(&l) : 0;
	if (unjudged)
		cli_warn("%zu queue%s of unknown state %s not considered: only root can see every process that could "
			 "hold or wait on a queue (run mqrm as root to judge)",
			unjudged, unjudged == 1 ? "" : "s", unjudged == 1 ? "is" : "are");
	if (!chosen && !r->force) {
		cli_warn("no queue is chosen by %s: nothing removed (see mqstat)", f->described);
		note_status(r, MQ_EXIT_NOQUEUE);
	}
	queue_list_free(&l);
}

enum { OPT_ORPHANED = 0x100, OPT_EMPTY, OPT_IDLE, OPT_IDLE_AFTER, OPT_STATE };
static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "orphaned", no_argument, NULL, OPT_ORPHANED },
	{ "empty", no_argument, NULL, OPT_EMPTY },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "idle-after", required_argument, NULL, OPT_IDLE_AFTER },
	{ "user", required_argument, NULL, 'u' },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "posix", no_argument, NULL, 'Q' },
	{ "sysv", no_argument, NULL, 'q' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "force", no_argument, NULL, 'f' },
	QUEUE_CLI_NETWORK_LONGOPTS,
	CLI_LONGOPTS_HELP_VERSION,
};

static const struct cli_excl conflicts[] = {
	{ { 'n' }, { 'i' }, CLI_EXCL_TOGETHER, "--dry-run and --interactive are exclusive" },
	{ .message = NULL },
};

/* A filter, in the words of "nothing matched": the option, and its value. */
static void describe_filter(struct mqrm_control *r, const char *option, const char *value)
{
	size_t used = strlen(r->described);
	snprintf(r->described + used, sizeof(r->described) - used, "%s%s%s%s", used ? " " : "", option,
		value ? " " : "", value ? value : "");
}

static void parse_args(struct mqrm_control *r, int argc, char **argv)
{
	int c;

	*r = (struct mqrm_control){ .f = { .idle = -1, .idle_after = QUEUE_LIST_DEFAULT_IDLE_AFTER },
		.status = MQ_EXIT_OK };
	while ((c = getopt_long(argc, argv, "au:QqPSnivfhV", longopts, NULL)) != -1) {
		cli_given_note(&r->given, c);
		switch (c) {
		case 'a':
			r->f.all = true;
			describe_filter(r, "--all", NULL);
			break;
		case OPT_ORPHANED:
			r->f.orphaned = true;
			describe_filter(r, "--orphaned", NULL);
			break;
		case OPT_EMPTY:
			r->f.empty = true;
			describe_filter(r, "--empty", NULL);
			break;
		case OPT_IDLE:
			r->f.idle = cli_duration("--idle", optarg) / 1000000000LL;
			describe_filter(r, "--idle", optarg);
			break;
		case OPT_IDLE_AFTER: r->f.idle_after = cli_duration("--idle-after", optarg) / 1000000000LL; break;
		case 'u':
			r->f.by_user = true;
			r->f.user = parse_user(optarg);
			describe_filter(r, "--user", optarg);
			break;
		case OPT_STATE:
			r->f.states |= parse_states(optarg);
			describe_filter(r, "--state", optarg);
			break;
		case 'Q': /* lsipc's and mqstat's letters; -P and -S as before */
		case 'P':
			r->f.kinds |= QUEUE_KIND_BIT(QUEUE_POSIX);
			describe_filter(r, "--posix", NULL);
			break;
		case 'q':
		case 'S':
			r->f.kinds |= QUEUE_KIND_BIT(QUEUE_SYSV);
			describe_filter(r, "--sysv", NULL);
			break;
		case 'n': r->dry_run = true; break;
		case 'i': r->interactive = true; break;
		case 'v': r->verbose = true; break;
		case 'f': r->force = true; break;
		case QUEUE_OPT_PASSWORD_FILE: r->password_file = optarg; break;
		default: cli_common_option(c, usage);
		}
	}
	r->f.described = r->described;
	r->args = argv + optind;
	r->nargs = argc - optind;
}

/* Every address is checked before the first removal. */
static void check_args(struct mqrm_control *r)
{
	bool look = have_filter(&r->f) || r->dry_run || r->interactive;

	if (r->f.all && r->nargs)
		cli_usage_error("--all chooses among all queues: not with QUEUE arguments");
	cli_excl_check(conflicts, &r->given);
	if (!r->nargs && !have_filter(&r->f))
		cli_usage_error("nothing to remove: give QUEUEs, or choose with --all, --orphaned, --state, --empty, "
				"--idle, --user, -Q or -q");
	r->addrs = calloc(r->nargs ? (size_t)r->nargs : 1, sizeof(*r->addrs));
	if (!r->addrs)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	for (int i = 0; i < r->nargs; i++) {
		cli_address(r->args[i], &r->addrs[i]);
		if (broker_deletes(r->addrs[i].kind) && look)
			cli_usage_error(
				"%s: filters, --dry-run and --interactive look at kernel queues; an amqp:// queue is "
				"deleted only if unused and empty, or with --force",
				r->args[i]);
	}
}

int main(int argc, char **argv)
{
	struct mqrm_control r;

	cli_init(argc, argv);
	setlocale(LC_CTYPE, ""); /* names in the terminal's character set; termesc guards the rest */
	parse_args(&r, argc, argv);
	check_args(&r);
	if (r.nargs)
		remove_named(&r);
	else
		remove_chosen(&r, &r.f);
	free(r.addrs);
	free(r.answer);
	return r.status;
}
