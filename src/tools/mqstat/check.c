/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check.c - mqstat --check: one status line and perfdata for a monitor
 * (Nagios, Icinga), judged against the --warn-* and --crit-* thresholds. */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"
#include "lib/format.h"
#include "lib/termesc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The monitoring-plugins statuses: not the project's usual ones, on purpose
 * (Nagios and Icinga read 1 as WARNING, 2 as CRITICAL). */
enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };
static const char *const check_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Until the check has printed its own status line (ctl->check_reported),
 * any exit (a usage error, out of memory) is UNKNOWN, never read as a
 * WARNING or CRITICAL. */
static void check_exit(int status, void *arg)
{
	const struct mqstat_control *ctl = arg;
	if (ctl->check_reported || status == 0) /* status 0: --help or --version */
		return;
	printf("MQSTAT UNKNOWN - mqstat could not check (exit %d): see its standard error\n", status);
	fflush(stdout);
	fflush(stderr);
	_exit(CHECK_UNKNOWN);
}

void check_guard_exit(struct mqstat_control *ctl)
{
	/* registered after cli_init's checked close of stdout: runs before it */
	on_exit(check_exit, ctl);
}

/* What one kind of finding collects: how many, and the first few names. */
#define CHECK_NAMES 3
struct finding {
	size_t n;
	const struct queue_entry *first[CHECK_NAMES];
	long long value[CHECK_NAMES];
};

static void found(struct finding *f, const struct queue_entry *e, long long value)
{
	if (f->n < CHECK_NAMES) {
		f->first[f->n] = e;
		f->value[f->n] = value;
	}
	f->n++;
}

/* A name for the status line: one line, escaped for whatever shows it, and
 * no "|", which starts the perfdata. */
static void put_status_name(FILE *out, const char *name)
{
	char *safe = termesc_dup(name, 0);
	for (const char *p = safe ? safe : "?"; *p; p++)
		*p == '|' ? fputs("\\174", out) : putc(*p, out);
	free(safe);
}

/* A perfdata label, always quoted: bytes other than letters, digits and
 * "/._:-" as %XX (a label may hold neither "'" nor "="). */
static void put_perf_label(FILE *out, const char *prefix, const char *name)
{
	putc('\'', out);
	fputs(prefix, out);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			strchr("/._:-", *p))
			putc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	putc('\'', out);
}

static void put_threshold(FILE *out, long long v)
{
	if (v >= 0)
		fprintf(out, "%lld", v);
}

struct check_result {
	struct finding crit_fill, warn_fill, idle, unknown_fill, unknown_idle;
	size_t orphaned, unjudged, missing, failed;
	const struct queue_entry *fullest;
	int fullest_fill;
	char problem[256]; /* the first queue that could not be looked at */
};

/* When a queue's messages were last taken: System V its last receive (its
 * creation when there was none); POSIX, which keeps no receive time, its
 * last send or receive. -1 if unknown. */
static int64_t last_taken(const struct queue_entry *e)
{
	const struct queue_info *in = &e->info;
	if (in->addr.kind == QUEUE_SYSV) {
		if (!(in->known & QI_TIMES))
			return -1;
		return in->rtime ? in->rtime : (in->known & QI_CTIME) ? in->ctime : -1;
	}
	return e->last_activity ? e->last_activity : -1;
}

static void check_one(const struct mqstat_control *ctl, const struct queue_entry *e, struct check_result *r)
{
	const struct thresholds *th = &ctl->th;
	int fill = queue_entry_fill(e);

	if (fill < 0 && (th->warn_fill >= 0 || th->crit_fill >= 0))
		found(&r->unknown_fill, e, 0);
	if (fill >= 0 && (!r->fullest || fill > r->fullest_fill)) {
		r->fullest = e;
		r->fullest_fill = fill;
	}
	if (fill >= 0 && th->crit_fill >= 0 && fill > th->crit_fill)
		found(&r->crit_fill, e, fill);
	else if (fill >= 0 && th->warn_fill >= 0 && fill > th->warn_fill)
		found(&r->warn_fill, e, fill);
	if (e->state == QUEUE_STATE_ORPHANED)
		r->orphaned++;
	if (e->state == QUEUE_STATE_UNKNOWN)
		r->unjudged++;
	if (th->warn_idle > 0) {
		bool counted = e->info.known & (QI_COUNTS | QI_POSIX_ATTR);
		int64_t taken = last_taken(e);
		if (!counted || (e->info.messages && taken < 0))
			found(&r->unknown_idle, e, 0);
		else if (e->info.messages && ctl->now - taken >= th->warn_idle)
			found(&r->idle, e, ctl->now - taken);
	}
}

static void say_list(FILE *out, const char *sep, const struct finding *f, const char *what, const char *unit)
{
	fputs(sep, out);
	for (size_t i = 0; i < f->n && i < CHECK_NAMES; i++) {
		if (i)
			fputs(", ", out);
		put_status_name(out, queue_entry_name(f->first[i]));
		if (unit && !strcmp(unit, "%"))
			fprintf(out, " %lld%%", f->value[i]);
		else if (unit) {
			char d[32];
			fprintf(out, " %s", format_duration(f->value[i], d, sizeof(d)));
		}
	}
	if (f->n > CHECK_NAMES)
		fprintf(out, " and %zu more", f->n - CHECK_NAMES);
	fprintf(out, " %s", what);
}

static int check_status(const struct mqstat_control *ctl, const struct check_result *r)
{
	if (r->crit_fill.n || r->missing)
		return CHECK_CRITICAL;
	if (r->warn_fill.n || r->idle.n ||
		(ctl->th.warn_orphaned >= 0 && (long long)r->orphaned > ctl->th.warn_orphaned))
		return CHECK_WARNING;
	if (r->failed || r->unknown_fill.n || r->unknown_idle.n || (ctl->th.warn_orphaned >= 0 && r->unjudged))
		return CHECK_UNKNOWN;
	return CHECK_OK;
}

static void print_check(const struct mqstat_control *ctl, const struct queue_list *l, const struct check_result *r,
	int status, bool per_queue)
{
	const struct thresholds *th = &ctl->th;
	const char *sep = " - ";
	char word[64];

	printf("MQSTAT %s", check_words[status]);
	if (r->missing) {
		printf("%s%zu queue%s missing", sep, r->missing, r->missing == 1 ? "" : "s");
		sep = "; ";
	}
	if (r->crit_fill.n) {
		snprintf(word, sizeof(word), "over %lld%% full (critical)", th->crit_fill);
		say_list(stdout, sep, &r->crit_fill, word, "%");
		sep = "; ";
	}
	if (r->warn_fill.n) {
		snprintf(word, sizeof(word), "over %lld%% full (warning)", th->warn_fill);
		say_list(stdout, sep, &r->warn_fill, word, "%");
		sep = "; ";
	}
	if (th->warn_orphaned >= 0 && (long long)r->orphaned > th->warn_orphaned) {
		printf("%s%zu orphaned queue%s (warning over %lld)", sep, r->orphaned, r->orphaned == 1 ? "" : "s",
			th->warn_orphaned);
		sep = "; ";
	}
	if (r->idle.n) {
		say_list(stdout, sep, &r->idle, "holding messages nobody took", "s");
		sep = "; ";
	}
	if (r->failed) {
		printf("%s", sep);
		put_status_name(stdout, r->problem);
		sep = "; ";
	}
	if (r->unknown_fill.n) {
		say_list(stdout, sep, &r->unknown_fill, "of unknown fill (not readable: run as root or the owner)",
			NULL);
		sep = "; ";
	}
	if (r->unknown_idle.n) {
		say_list(stdout, sep, &r->unknown_idle, "of unknown message count or receive time", NULL);
		sep = "; ";
	}
	if (th->warn_orphaned >= 0 && r->unjudged) {
		printf("%s%zu queue%s of unknown state (only root can judge)", sep, r->unjudged,
			r->unjudged == 1 ? "" : "s");
		sep = "; ";
	}
	if (status == CHECK_OK) {
		printf("%s%zu queue%s", sep, l->n, l->n == 1 ? "" : "s");
		if (r->fullest) {
			fputs(", fullest ", stdout);
			put_status_name(stdout, queue_entry_name(r->fullest));
			printf(" %d%%", r->fullest_fill);
		}
	}
	/* perfdata: label=value[UOM];warn;crit;min;max */
	printf(" | queues=%zu;;;0; orphaned=%zu;", l->n, r->orphaned);
	put_threshold(stdout, th->warn_orphaned);
	printf(";;0; fill_max=%d%%;", r->fullest ? r->fullest_fill : 0);
	put_threshold(stdout, th->warn_fill);
	putchar(';');
	put_threshold(stdout, th->crit_fill);
	printf(";0;100 untaken=%zu;;;0;", r->idle.n);
	/* per queue when queues were named: every queue of a machine would
	 * drown a monitoring database */
	for (size_t i = 0; per_queue && i < l->n; i++) {
		const struct queue_entry *e = &l->v[i];
		int fill = queue_entry_fill(e);
		if (fill < 0)
			continue;
		putchar(' ');
		put_perf_label(stdout, "fill ", queue_entry_name(e));
		printf("=%d%%;", fill);
		put_threshold(stdout, th->warn_fill);
		putchar(';');
		put_threshold(stdout, th->crit_fill);
		printf(";0;100 ");
		put_perf_label(stdout, "msgs ", queue_entry_name(e));
		printf("=%lu;;;0;", e->info.messages);
	}
	putchar('\n');
}

int run_check(struct mqstat_control *ctl)
{
	struct queue_list l;
	struct check_result r;
	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));

	ctl->now = now_seconds();
	if (!ctl->nargs) {
		if (queue_list_collect(&l, ctl->kinds, QI_ALL) < 0)
			cli_die(CHECK_UNKNOWN, "out of memory listing the queues");
		if (((ctl->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0 && l.posix_err != -ENODEV) ||
			((ctl->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0)) {
			r.failed++;
			snprintf(r.problem, sizeof(r.problem), "cannot list the %s queues: %s",
				l.sysv_err < 0 ? "System V" : "POSIX",
				strerror(-(l.sysv_err < 0 ? l.sysv_err : l.posix_err)));
		}
	}
	for (int i = 0; i < ctl->nargs; i++) {
		int err = add_named_queue(&l, ctl->args[i], CHECK_UNKNOWN, NULL);
		if (err == -ENOENT) {
			/* the queue watched is gone: what a monitor is for */
			r.missing++;
			warn_missing(ctl->args[i]);
		} else if (err < 0) {
			if (!r.failed++)
				snprintf(r.problem, sizeof(r.problem), "%s: %s", ctl->args[i], strerror(-err));
		}
	}
	queue_list_judge(&l, ctl->now, ctl->idle_after);
	for (size_t i = 0; i < l.n; i++)
		check_one(ctl, &l.v[i], &r);
	int status = check_status(ctl, &r);
	print_check(ctl, &l, &r, status, ctl->nargs > 0);
	queue_list_free(&l);
	fflush(stdout);
	ctl->check_reported = true;
	if (ferror(stdout))
		_exit(CHECK_UNKNOWN); /* nobody can read the status: not a WARNING */
	return status;
}
