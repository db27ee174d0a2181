/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output.c - mqstat's output modes (a table, raw, JSON, KEY="value" pairs,
 * FIELD value lines), what it says of queues it could not list or judge,
 * and the two plain listings: every queue, and the QUEUEs given. */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "cli/queue-cli.h"
#include "lib/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t now_seconds(void)
{
	return (int64_t)time(NULL);
}

struct libscols_table *new_table(const struct mqstat_control *ctl, const char *name)
{
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, ctl->json);
	scols_table_enable_raw(tb, ctl->raw);
	scols_table_enable_export(tb, ctl->export);
	scols_table_enable_shellvar(tb, ctl->shellvar);
	scols_table_enable_noheadings(tb, ctl->noheadings);
	/* the table's text from outside is escaped already (outside_text in
	 * columns.c): libsmartcols need not encode it again, cell by cell */
	scols_table_enable_noencoding(tb, !ctl->json && !ctl->raw && !ctl->export);
	return tb;
}

/* The table on stdout. JSON goes through json_escape_controls: libsmartcols
 * quotes C0 controls only, and passes C1 and bidirectional controls (and
 * bytes that are not UTF-8) to the terminal as they are. */
void print_table(const struct mqstat_control *ctl, struct libscols_table *tb)
{
	char *text = NULL, *safe;

	if (!ctl->json) {
		scols_print_table(tb);
		return;
	}
	if (scols_print_table_to_string(tb, &text) != 0 || !text)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	size_t len = strlen(text);
	if (!(safe = malloc(6 * len + 1)))
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	json_escape_controls(safe, text, len);
	fputs(safe, stdout);
	if (len && text[len - 1] != '\n')
		putchar('\n');
	free(safe);
	free(text);
}

void add_table_columns(struct libscols_table *tb, const struct mqstat_control *ctl, const struct column *set)
{
	for (size_t i = 0; i < ctl->ncols; i++) {
		const struct column *c = &set[ctl->cols[i]];
		struct libscols_column *sc = scols_table_new_column(tb, c->name, c->width, c->flags);
		if (!sc)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		if (ctl->json)
			scols_column_set_json_type(sc,
				c->type == V_STRING || c->type == V_TIME ? SCOLS_JSON_STRING : SCOLS_JSON_NUMBER);
	}
}

void add_table_line(struct libscols_table *tb, struct mqstat_control *ctl,
	char *(*text_of)(struct mqstat_control *ctl, const void *row, int col), const void *row)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	if (!ln)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	for (size_t i = 0; i < ctl->ncols; i++) {
		char *text = text_of(ctl, row, ctl->cols[i]);
		/* unknown: "-" to read, null in JSON, "" to a script */
		if (!text && !ctl->json && !ctl->export)
			text = strdup("-");
		if (text && scols_line_refer_data(ln, i, text) != 0)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
	}
}

static char *queue_cell(struct mqstat_control *ctl, const void *row, int col)
{
	return cell(ctl, row, col);
}

void fill_table(struct libscols_table *tb, struct mqstat_control *ctl, const struct queue_list *l)
{
	add_table_columns(tb, ctl, mqstat_columns);
	for (size_t r = 0; r < l->n; r++)
		add_table_line(tb, ctl, queue_cell, &l->v[r]);
}

/* With QUEUE arguments and no -J/-r: each queue as "FIELD: value" lines. */
static void print_detail(struct mqstat_control *ctl, const struct queue_list *l)
{
	for (size_t r = 0; r < l->n; r++) {
		if (r)
			putchar('\n');
		for (size_t i = 0; i < ctl->ncols; i++) {
			char *text = cell(ctl, &l->v[r], ctl->cols[i]);
			printf("%-10s %s\n", mqstat_columns[ctl->cols[i]].name, text ? text : "-");
			free(text);
		}
	}
}

/* Why a kind could not be listed, with what to do about it. */
void report_enumeration(const struct queue_list *l, unsigned kinds)
{
	if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l->posix_err == -ENODEV)
		cli_warn("POSIX queues are not listed: " QUEUE_CLI_MOUNT_HINT);
	else if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l->posix_err < 0)
		cli_warn("POSIX queues are not listed: %s: %s", MQUEUE_MOUNT, strerror(-l->posix_err));
	if ((kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l->sysv_err < 0)
		cli_warn("System V queues are not listed: %s", strerror(-l->sysv_err));
}

/* When holders could not all be seen, STATE says unknown, not a guess:
 * say why, and who can judge. */
void report_unjudged(const struct mqstat_control *ctl, const struct queue_list *l)
{
	size_t n = columns_chosen(ctl, COL_STATE) ? queue_list_unjudged(l) : 0;
	if (n)
		cli_warn("the STATE of %zu queue%s is unknown: only root can see every process that could hold "
			 "or wait on %s (run mqstat as root to judge)",
			n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

void print_queues(struct mqstat_control *ctl, const struct queue_list *l)
{
	if (ctl->newline) {
		print_detail(ctl, l);
		return;
	}
	struct libscols_table *tb = new_table(ctl, "queues");
	fill_table(tb, ctl, l);
	print_table(ctl, tb);
	/* A listing that ends the process leaves its table to the exit, not
	 * freed one cell at a time (bench/RESULTS.md, commit 18c4918). Kept
	 * reachable from the control struct, which lives until the exit, so
	 * that no leak checker takes it for lost; --watch frees each round's. */
	if (ctl->watch) {
		scols_unref_table(tb);
	} else {
		scols_unref_table(ctl->left_to_exit);
		ctl->left_to_exit = tb;
	}
}

void judge_if_shown(struct queue_list *l, const struct mqstat_control *ctl)
{
	if (columns_need_judging(ctl))
		queue_list_judge(l, ctl->now, ctl->idle_after);
}

void collect(struct queue_list *l, struct mqstat_control *ctl)
{
	memset(l, 0, sizeof(*l));
	ctl->now = now_seconds();
	if (queue_list_collect(l, ctl->kinds, columns_want(ctl)) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	judge_if_shown(l, ctl);
}

int list_all(struct mqstat_control *ctl)
{
	struct queue_list l;
	collect(&l, ctl);
	report_enumeration(&l, ctl->kinds);
	report_unjudged(ctl, &l);
	print_queues(ctl, &l);
	/* an unmounted mqueue is how the system is, not a failure: said, and
	 * the System V queues are listed all the same */
	bool failed = ((ctl->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0 && l.posix_err != -ENODEV) ||
		((ctl->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0);
	queue_list_free(&l);
	return failed ? MQ_EXIT_FAILURE : MQ_EXIT_OK;
}

int add_named_queue(struct queue_list *l, const char *text, int oom_status, enum queue_kind *kind)
{
	struct queue_address addr;
	struct parse_error e;
	int r;

	if (address_parse(text, &addr, &e) < 0) {
		/* an ftok: path that is not there names no queue: missing, as
		 * any other address of no queue (--check's CRITICAL) */
		if (!strncmp(text, "ftok:", 5) && errno == ENOENT) {
			if (kind)
				*kind = QUEUE_SYSV;
			return -ENOENT;
		}
		cli_address(text, &addr); /* the usage error, worded */
	}
	if (kind)
		*kind = addr.kind;
	if (queue_name_is_pattern(text)) {
		r = queue_list_add_matching(l, text);
		if (r == 0)
			r = -ENOENT; /* nothing matches: as no such queue */
	} else {
		r = queue_list_add(l, &addr);
	}
	if (r == -ENOMEM)
		cli_die(oom_status, "out of memory");
	return r == -EIDRM ? -ENOENT : r < 0 ? r : 0;
}

void warn_missing(const char *text)
{
	if (queue_name_is_pattern(text))
		cli_warn("%s: " QUEUE_NO_SUCH_QUEUE ": the pattern matches none (mqstat with no QUEUE lists them all)",
			text);
	else if (!strncmp(text, "ftok:", 5))
		cli_warn("%s: " QUEUE_NO_SUCH_QUEUE ": its path is not there, or no queue has its key", text);
	else
		cli_warn("%s: " QUEUE_NO_SUCH_QUEUE " (mqstat with no QUEUE lists them all)", text);
}

int show_queues(struct mqstat_control *ctl)
{
	struct queue_list l = { 0 };
	int status = MQ_EXIT_OK;

	ctl->now = now_seconds();
	for (int i = 0; i < ctl->nargs; i++) {
		enum queue_kind kind;
		int r = add_named_queue(&l, ctl->args[i], MQ_EXIT_FAILURE, &kind);
		if (r == -ENOENT) {
			warn_missing(ctl->args[i]);
			if (status == MQ_EXIT_OK)
				status = MQ_EXIT_NOQUEUE;
		} else if (r == -ENODEV) {
			cli_warn("%s: a pattern needs the POSIX queues listed: " QUEUE_CLI_MOUNT_HINT, ctl->args[i]);
			status = MQ_EXIT_FAILURE;
		} else if (r < 0) {
			queue_cli_error(ctl->args[i], kind, r, "stat", NULL);
			status = MQ_EXIT_FAILURE;
		}
	}
	judge_if_shown(&l, ctl);
	report_unjudged(ctl, &l);
	if (ctl->json || ctl->raw || ctl->export || ctl->list) {
		struct libscols_table *tb = new_table(ctl, "queues");
		fill_table(tb, ctl, &l);
		print_table(ctl, tb);
		scols_unref_table(tb);
	} else {
		print_detail(ctl, &l);
	}
	queue_list_free(&l);
	return status;
}
