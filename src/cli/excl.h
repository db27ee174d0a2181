/* SPDX-License-Identifier: GPL-2.0-or-later */
/* excl.h - which options a command line gave, and the conflicts among
 * them from a table, each with its own message: util-linux's ul_excl_t
 * (include/optutils.h), checked once the line is read, so that the first
 * conflict of the table is the one reported whatever the order given. */
#ifndef MQTOOLS_EXCL_H
#define MQTOOLS_EXCL_H

#include <stdbool.h>
#include <stddef.h>

/* The options given, by getopt's value, each with how often. */
#define CLI_GIVEN_MAX 64 /* more than any tool has options */
struct cli_given {
	int opt[CLI_GIVEN_MAX];
	unsigned count[CLI_GIVEN_MAX];
	size_t n;
};
void cli_given_note(struct cli_given *g, int opt);
/* How often OPT was given (0: not). */
unsigned cli_given(const struct cli_given *g, int opt);
/* As if OPT had not been given: for a check that does not concern it. */
void cli_given_forget(struct cli_given *g, int opt);

/* A conflict: an option of ONE given with one of OTHER; or, with OTHER
 * empty, two different options of ONE (CLI_EXCL_REPEAT: or one of them
 * twice); or (CLI_EXCL_WITHOUT) an option of ONE given without any of
 * OTHER. Both lists end at 0. */
#define CLI_EXCL_MAX 16
enum cli_excl_rule { CLI_EXCL_TOGETHER, CLI_EXCL_REPEAT, CLI_EXCL_WITHOUT };
struct cli_excl {
	int one[CLI_EXCL_MAX];
	int other[CLI_EXCL_MAX];
	enum cli_excl_rule rule;
	const char *message; /* the usage error */
};
/* The usage error (exit 2) of the first row of TABLE, which ends at a row
 * without a message, that G's options meet. */
void cli_excl_check(const struct cli_excl *table, const struct cli_given *g);

#endif
