/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.h - what every mqtools command shares at its edges: exit statuses,
 * error reporting, --help/--version, and a checked close of stdout.
 * Modelled on util-linux's c.h/closestream.h: one wording for all tools. */
#ifndef MQTOOLS_CLI_H
#define MQTOOLS_CLI_H

#include <stdarg.h>
#include <stdnoreturn.h>

/* Exit statuses: the same in every tool and every man page. */
enum {
	MQ_EXIT_OK = 0,      /* success */
	MQ_EXIT_FAILURE = 1, /* failure */
	MQ_EXIT_USAGE = 2,   /* bad command line */
	MQ_EXIT_NOQUEUE = 3, /* no such queue (or no controller for mqled) */
	MQ_EXIT_TIMEOUT = 4, /* nothing could be done in time: --nonblock or --timeout */
	MQ_EXIT_DEADLETTER =
		5, /* messages that could not be put back (mqrecv) or sent (mqsend) went to the dead letter */
};

/* Call first in main(): records the program name, fills closed standard
 * descriptors (cli/stdfds.h), installs the stop policy (cli/stop.h),
 * registers the checked close of stdout at exit. */
void cli_init(int argc, char **argv);

/* "PROG: message" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PROG: message", then exit with status. */
noreturn void cli_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "PROG: message" and "Try 'PROG --help' for more information.", exit 2. */
noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only "Try 'PROG --help' for more information.", exit 2: for an option
 * getopt has already reported. */
noreturn void cli_try_help(void);
/* "PROG from mqtools VERSION", exit 0. */
noreturn void cli_print_version(void);
/* The default: of every tool's getopt switch: -h calls USAGE (which exits),
 * -V prints the version; anything else getopt has already reported, and
 * gets the pointer to --help. */
noreturn void cli_common_option(int opt, void (*usage)(void));

/* The --help epilogue every tool prints after its own options. */
void cli_usage_footer(const char *manpage);
/* Standard lines for -h and -V in usage(). */
/* clang-format off */
#define CLI_USAGE_HELP_VERSION \
	" -h, --help               display this help\n" \
	" -V, --version            display version\n"
/* clang-format on */

/* The end of every longopts table: --help, --version and the terminator. */
/* clang-format off */
#define CLI_LONGOPTS_HELP_VERSION \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ NULL, 0, NULL, 0 }
/* clang-format on */

extern const char *cli_program;

#endif
