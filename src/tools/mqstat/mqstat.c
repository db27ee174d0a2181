/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqstat - show the machine's message queues, POSIX and System V, in one
 * table; find the ones nobody uses any more. main reads the command line
 * (options.c), checks it, and runs the mode it chose: the files of this
 * directory are one each (see mqstat.h). */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "cli/cli.h"

#include <locale.h>
#include <stdlib.h>

static int run(struct mqstat_control *ctl)
{
	switch (ctl->mode) {
	case MODE_LIST_COLUMNS: print_column_list(ctl->limits); return MQ_EXIT_OK;
	case MODE_NETWORK: return stat_network(ctl);
	case MODE_LIMITS: return show_limits(ctl);
	case MODE_PROMETHEUS: return run_prometheus(ctl);
	case MODE_CHECK: return run_check(ctl);
	case MODE_BASELINE: return save_baseline(ctl);
	case MODE_WATCH: return watch(ctl);
	case MODE_NEW_SINCE: return list_new_since(ctl);
	case MODE_SHOW: return show_queues(ctl);
	default: return list_all(ctl);
	}
}

int main(int argc, char **argv)
{
	struct mqstat_control ctl;

	cli_init(argc, argv);
	/* names in the terminal's character set; termesc guards the rest */
	setlocale(LC_CTYPE, "");
	parse_args(&ctl, argc, argv);
	check_args(&ctl);
	int status = run(&ctl);
	columns_free(&ctl);
	/* exit(), not return: CTL lives on through the exit handlers, which
	 * read it (--check's) or leave its table to the exit (output.c) */
	exit(status);
}
