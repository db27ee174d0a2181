/* SPDX-License-Identifier: GPL-2.0-or-later */
/* leaks.c - mqstat --baseline and --new-since: save the set of queues
 * there are now, and later list the ones made since (the file itself is
 * baseline.c's). */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "tools/mqstat/baseline.h"
#include "cli/cli.h"
#include "cli/cli-file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --new-since's statuses are diff(1)'s, so that a CI job tells the three
 * apart: 0 no new queue, 1 new queues (listed), 2 no comparison could be
 * made (a usage error, as a --new-since FILE that is no baseline is a bad
 * option value; a baseline that cannot be read; queues that could not all
 * be listed; out of memory). */
enum { NEW_SINCE_NONE = 0, NEW_SINCE_FOUND = 1, NEW_SINCE_TROUBLE = 2 };

/* A baseline file that lib/file.h's rules refuse: a symbolic link, not a
 * regular file (a FIFO would have blocked), another user's file. */
static noreturn void baseline_file_refused(int status, const char *option, const char *path, int r,
	const struct file_detail *d)
{
	char why[PATH_MAX + 160];
	cli_die(status, "%s %s", option, cli_file_error(why, sizeof(why), path, r, d));
}

int save_baseline(struct mqstat_control *ctl)
{
	struct queue_list l;
	memset(&l, 0, sizeof(l));
	if (queue_list_collect(&l, ctl->kinds, QI_CTIME) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	/* only the kinds that could be listed: a kind missing from the file
	 * is not compared later, rather than all of it reported new */
	unsigned kinds = ctl->kinds;
	if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0)
		kinds &= ~(unsigned)QUEUE_KIND_BIT(QUEUE_POSIX);
	if ((kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0)
		kinds &= ~(unsigned)QUEUE_KIND_BIT(QUEUE_SYSV);
	report_enumeration(&l, ctl->kinds);
	if (!kinds) {
		queue_list_free(&l);
		cli_die(MQ_EXIT_FAILURE, "%s: not written: no kind of queue could be listed", ctl->baseline);
	}
	queue_list_find_inodes(&l);
	struct file_detail d;
	int r = baseline_save(ctl->baseline, &l, kinds, &d);
	queue_list_free(&l);
	if (r < 0 && cli_file_refused(r, &d))
		baseline_file_refused(MQ_EXIT_FAILURE, "--baseline", ctl->baseline, r, &d);
	if (r < 0)
		cli_die(MQ_EXIT_FAILURE, "%s: cannot write the baseline: %s (it is written beside it, then renamed)",
			ctl->baseline, strerror(-r));
	return MQ_EXIT_OK;
}

/* Until the new queues are listed, whatever ends mqstat (out of memory,
 * a failed write) did not compare: 2, never read as "new queues". */
static void new_since_exit(int status, void *arg)
{
	const struct mqstat_control *ctl = arg;
	if (ctl->new_since_reported || status == NEW_SINCE_NONE)
		return;
	/* _exit: the checked close of stdout that would follow exits 1 */
	fflush(stdout);
	fflush(stderr);
	_exit(NEW_SINCE_TROUBLE);
}

static noreturn void baseline_load_failed(const char *path, int r, const struct baseline_error *err)
{
	if (cli_file_refused(r, &err->file))
		baseline_file_refused(NEW_SINCE_TROUBLE, "--new-since", path, r, &err->file);
	if (r != -EINVAL)
		cli_die(NEW_SINCE_TROUBLE, "%s: cannot read the baseline: %s (make one with mqstat --baseline %s)",
			path, strerror(-r), path);
	if (err->line)
		cli_die(NEW_SINCE_TROUBLE, "%s: line %lu: %s; make a new one with mqstat --baseline", path, err->line,
			err->msg);
	cli_die(NEW_SINCE_TROUBLE, "%s: %s; make a new one with mqstat --baseline", path, err->msg);
}

/* Keep in L only the queues that are not in B, of the kinds B covers. */
static void keep_new(struct queue_list *l, const struct baseline *b)
{
	size_t out = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct queue_entry *e = &l->v[i];
		unsigned kind = QUEUE_KIND_BIT(e->info.addr.kind);
		if ((b->kinds & kind) && !baseline_has(b, e))
			l->v[out++] = *e;
		else
			free(e->users);
	}
	l->n = out;
}

int list_new_since(struct mqstat_control *ctl)
{
	struct baseline b;
	struct baseline_error err;
	/* registered after cli_init's checked close of stdout: runs before it */
	on_exit(new_since_exit, ctl);
	int r = baseline_load(ctl->new_since, &b, &err);
	if (r == -ENOMEM)
		cli_die(NEW_SINCE_TROUBLE, "out of memory reading %s", ctl->new_since);
	if (r < 0)
		baseline_load_failed(ctl->new_since, r, &err);
	unsigned asked = ctl->kinds;
	const char *covered = b.kinds == QUEUE_KIND_BIT(QUEUE_POSIX) ? "POSIX" : "System V";
	ctl->kinds &= b.kinds;
	/* a comparison of nothing is none: never "no new queue" */
	if (!ctl->kinds)
		cli_die(NEW_SINCE_TROUBLE,
			"%s covers %s queues only, and only %s queues were asked for: nothing compared", ctl->new_since,
			covered, asked == QUEUE_KIND_BIT(QUEUE_POSIX) ? "POSIX" : "System V");
	if (asked & ~b.kinds)
		cli_warn("%s covers %s queues only: the others are not compared", ctl->new_since, covered);

	struct queue_list l;
	memset(&l, 0, sizeof(l));
	ctl->now = now_seconds();
	if (queue_list_collect(&l, ctl->kinds, QI_CTIME | columns_want(ctl)) < 0)
		cli_die(NEW_SINCE_TROUBLE, "out of memory listing the queues");
	report_enumeration(&l, ctl->kinds);
	queue_list_find_inodes(&l);
	keep_new(&l, &b);
	baseline_free(&b);
	judge_if_shown(&l, ctl);
	report_unjudged(ctl, &l);
	print_queues(ctl, &l);
	bool failed = ((ctl->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0) ||
		((ctl->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0);
	bool any = l.n > 0;
	queue_list_free(&l);
	if (failed)
		cli_warn("not every queue could be listed: new queues may be missing (exit 2: no comparison)");
	/* the list is of use only if it reached its reader */
	if (fflush(stdout) != 0 || ferror(stdout))
		cli_die(NEW_SINCE_TROUBLE, "write error: the new queues could not be listed: %s", strerror(errno));
	ctl->new_since_reported = true;
	return failed ? NEW_SINCE_TROUBLE : any ? NEW_SINCE_FOUND : NEW_SINCE_NONE;
}
