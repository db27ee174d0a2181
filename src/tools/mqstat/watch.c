/* SPDX-License-Identifier: GPL-2.0-or-later */
/* watch.c - mqstat --watch: the table of every queue redrawn in place on
 * the terminal until a stop signal, FILL drawn as a bar. */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"
#include "lib/format.h"
#include "lib/signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* FILL as a bar for the live view: [#####-----] 50% */
static void fill_bars(struct libscols_table *tb, const struct mqstat_control *ctl, const struct queue_list *l)
{
	for (size_t i = 0; i < ctl->ncols; i++) {
		if (ctl->cols[i] != COL_FILL)
			continue;
		for (size_t r = 0; r < l->n; r++) {
			struct libscols_line *ln = scols_table_get_line(tb, r);
			const struct queue_entry *e = &l->v[r];
			unsigned long long cap = queue_entry_capacity(e);
			char bar[32];
			int fill = queue_entry_fill(e); /* the table's rule: never 0% when not empty */
			if (fill < 0)
				continue;
			unsigned pct = fill > 100 ? 100 : (unsigned)fill;
			unsigned full = (unsigned)((e->info.used_bytes * 10 + cap - 1) / cap);
			if (full > 10)
				full = 10;
			snprintf(bar, sizeof(bar), "[%.*s%.*s] %3u%%", (int)full, "##########",
				(int)(10 - full), "..........", pct);
			scols_line_set_data(ln, i, bar);
		}
	}
}

int watch(struct mqstat_control *ctl)
{
	struct timespec pause = { ctl->watch_ns / 1000000000, ctl->watch_ns % 1000000000 };
	char when[64];

	if (!isatty(STDOUT_FILENO))
		cli_usage_error("--watch draws on a terminal; to log, run mqstat -J in a loop instead");
	signals_install();
	while (!signals_stop_requested()) {
		struct queue_list l;
		char *text = NULL;
		collect(&l, ctl);
		struct libscols_table *tb = new_table(ctl, "queues");
		fill_table(tb, ctl, &l);
		fill_bars(tb, ctl, &l);
		scols_table_enable_maxout(tb, 0);
		scols_print_table_to_string(tb, &text);
		/* home, clear to the end: redraw in place */
		printf("\033[H\033[2J%s  every %.1fs, %zu queue%s  (Ctrl-C to quit)\n%s\n",
			format_time_iso(ctl->now, when, sizeof(when)), ctl->watch_ns / 1e9, l.n, l.n == 1 ? "" : "s",
			text ? text : "");
		report_enumeration(&l, ctl->kinds);
		fflush(stdout);
		free(text);
		scols_unref_table(tb);
		queue_list_free(&l);
		nanosleep(&pause, NULL); /* a stop signal cuts it short */
	}
	return MQ_EXIT_OK;
}
