/* SPDX-License-Identifier: GPL-2.0-or-later */
/* excl.c - options given, and their conflicts from a table (excl.h). */
#include "config.h"
#include "cli/excl.h"
#include "cli/cli.h"

void cli_given_forget(struct cli_given *g, int opt)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->opt[i] == opt)
			g->count[i] = 0;
}

void cli_given_note(struct cli_given *g, int opt)
{
	for (size_t i = 0; i < g->n; i++) {
		if (g->opt[i] == opt) {
			g->count[i]++;
			return;
		}
	}
	if (g->n < CLI_GIVEN_MAX) {
		g->opt[g->n] = opt;
		g->count[g->n++] = 1;
	}
}

unsigned cli_given(const struct cli_given *g, int opt)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->opt[i] == opt)
			return g->count[i];
	return 0;
}

/* How many different options of LIST were given, and how often in all. */
static size_t given_of(const int *list, const struct cli_given *g, unsigned *times)
{
	size_t kinds = 0;
	*times = 0;
	for (size_t i = 0; i < CLI_EXCL_MAX && list[i]; i++) {
		unsigned n = cli_given(g, list[i]);
		kinds += n > 0;
		*times += n;
	}
	return kinds;
}

void cli_excl_check(const struct cli_excl *table, const struct cli_given *g)
{
	for (const struct cli_excl *e = table; e->message; e++) {
		unsigned times, other_times;
		size_t one = given_of(e->one, g, &times);
		bool met;
		if (e->rule == CLI_EXCL_WITHOUT)
			met = one && !given_of(e->other, g, &other_times);
		else if (e->other[0])
			met = one && given_of(e->other, g, &other_times);
		else
			met = one > 1 || (e->rule == CLI_EXCL_REPEAT && times > 1);
		if (met)
			cli_usage_error("%s", e->message);
	}
}
