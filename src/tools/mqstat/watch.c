/* SPDX-License-Identifier: GPL-2.0-or-later */
/* watch.c - mqstat --watch: the table of every queue redrawn in place on
 * the terminal until a stop signal, FILL drawn as a bar, and each queue's
 * trend: the change of MSGS per second and a sparkline of its last counts
 * (trend.c). Colours unless NO_COLOR; nothing but text for TERM=dumb. */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"
#include "lib/clock.h"
#include "lib/format.h"
#include "lib/signals.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What the terminal takes: https://no-color.org (NO_COLOR set and not
 * empty: no colour), and a dumb terminal, which cannot move its cursor
 * either (each redraw then follows the last). */
struct terminal {
	bool dumb, colors, utf8;
};

static struct terminal terminal_caps(void)
{
	const char *term = getenv("TERM"), *no_color = getenv("NO_COLOR");
	struct terminal t;
	t.dumb = term && !strcmp(term, "dumb");
	t.colors = !t.dumb && !(no_color && *no_color);
	t.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	return t;
}

/* A fill that wants a look: red from 90%, yellow from 75%. */
static const char *fill_color(int fill)
{
	return fill >= 90 ? "red" : fill >= 75 ? "yellow" : NULL;
}

static void set_cell(struct libscols_line *ln, size_t col, char *text, const char *color, bool colors)
{
	if (!text)
		text = strdup("-");
	if (!text || scols_line_refer_data(ln, col, text) != 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	if (color && colors)
		scols_cell_set_color(scols_line_get_cell(ln, col), color);
}

/* FILL as a bar for the live view: [#####-----] 50% */
static void fill_bars(struct libscols_table *tb, const struct mqstat_control *ctl, const struct queue_list *l,
	const struct terminal *term)
{
	for (size_t i = 0; i < ctl->ncols; i++) {
		if (ctl->cols[i] != COL_FILL)
			continue;
		for (size_t r = 0; r < l->n; r++) {
			char bar[32];
			/* the table's FILL: never 0% when not empty, 100% only when full */
			int fill = queue_entry_fill(&l->v[r]);
			if (fill < 0)
				continue;
			unsigned pct = fill > 100 ? 100 : (unsigned)fill;
			unsigned full = (pct + 9) / 10; /* a tenth or less: one mark */
			if (full == 10 && pct < 100)
				full = 9; /* the last mark, as 100%, for a queue that takes no more */
			snprintf(bar, sizeof(bar), "[%.*s%.*s] %3u%%", (int)full, "##########", (int)(10 - full),
				"..........", pct);
			set_cell(scols_table_get_line(tb, r), i, strdup(bar), fill_color(fill), term->colors);
		}
	}
}

/* The two columns of the live view only: RATE, the change of MSGS per
 * second since the last redraw, and TREND, the last counts as a sparkline. */
static void trend_columns(struct libscols_table *tb, const struct queue_list *l, const struct trends *tr,
	const struct terminal *term)
{
	size_t rate_col = scols_table_get_ncols(tb);
	if (!scols_table_new_column(tb, "RATE", 7, SCOLS_FL_RIGHT) ||
		!scols_table_new_column(tb, "TREND", TREND_SAMPLES, 0))
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	for (size_t r = 0; r < l->n; r++) {
		struct libscols_line *ln = scols_table_get_line(tb, r);
		const char *color = fill_color(queue_entry_fill(&l->v[r]));
		set_cell(ln, rate_col, trend_rate_text(tr, r), NULL, term->colors);
		set_cell(ln, rate_col + 1, trend_sparkline(tr, r, term->utf8), color, term->colors);
	}
}

int watch(struct mqstat_control *ctl)
{
	struct timespec pause = { ctl->watch_ns / 1000000000, ctl->watch_ns % 1000000000 };
	struct terminal term = terminal_caps();
	struct trends tr = { 0 };
	char when[64];

	if (!isatty(STDOUT_FILENO))
		cli_usage_error("--watch draws on a terminal; to log, run mqstat -J in a loop instead");
	signals_install();
	while (!signals_stop_requested()) {
		struct queue_list l;
		char *text = NULL;
		collect(&l, ctl);
		if (trends_update(&tr, &l, monotonic_ns()) < 0)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		struct libscols_table *tb = new_table(ctl, "queues");
		scols_table_enable_colors(tb, term.colors);
		fill_table(tb, ctl, &l);
		fill_bars(tb, ctl, &l, &term);
		trend_columns(tb, &l, &tr, &term);
		scols_table_enable_maxout(tb, 0);
		scols_print_table_to_string(tb, &text);
		/* home, clear to the end: redraw in place; a dumb terminal gets
		 * a blank line between redraws instead */
		printf("%s%s  every %.1fs, %zu queue%s  (Ctrl-C to quit)\n%s\n", term.dumb ? "\n" : "\033[H\033[2J",
			format_time_iso(ctl->now, when, sizeof(when)), ctl->watch_ns / 1e9, l.n, l.n == 1 ? "" : "s",
			text ? text : "");
		report_enumeration(&l, ctl->kinds);
		fflush(stdout);
		free(text);
		scols_unref_table(tb);
		queue_list_free(&l);
		nanosleep(&pause, NULL); /* a stop signal cuts it short */
	}
	trends_free(&tr);
	return MQ_EXIT_OK;
}
