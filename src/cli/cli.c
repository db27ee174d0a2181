/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.c - error reporting, --version and the checked close of stdout that
 * every mqtools command shares. */
#include "config.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "cli/stdfds.h"
#include "cli/stop.h"
#include "lib/termesc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h> /* __fpending */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_program = PACKAGE;

/* A diagnostic quotes what it was given (a queue name, an option's value,
 * a process name), any bytes at all: escaped for the terminal, always (a
 * log is read on one too). Its own lines stay lines. */
__attribute__((format(printf, 1, 0))) static void vreport(const char *fmt, va_list ap)
{
	char small[1024], *text = small, *shown;
	va_list again;

	fflush(stdout);
	progress_clear(); /* the message gets a line of its own */
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small) && (text = malloc((size_t)n + 1)))
		vsnprintf(text, (size_t)n + 1, fmt, again);
	va_end(again);
	if (n < 0 || !text)
		text = small; /* cut short, still said */
	shown = termesc_dup(text, TERMESC_KEEP_NEWLINE | TERMESC_KEEP_BACKSLASH);
	fprintf(stderr, "%s: %s\n", cli_program, shown ? shown : "(out of memory)");
	free(shown);
	if (text != small)
		free(text);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

void cli_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	exit(status);
}

void cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	cli_try_help();
}

void cli_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", cli_program);
	exit(MQ_EXIT_USAGE);
}

void cli_print_version(void)
{
	printf("%s from %s %s\n", cli_program, PACKAGE_NAME, PACKAGE_VERSION);
	exit(MQ_EXIT_OK);
}

void cli_common_option(int opt, void (*usage)(void))
{
	if (opt == 'h')
		usage();
	if (opt == 'V')
		cli_print_version();
	cli_try_help();
}

void cli_usage_footer(const char *manpage)
{
	fputs("\nQueue addresses: /name (POSIX), key:KEY, id:ID, ftok:PATH[:PROJ] (System V).\n", stdout);
	fputs("Exit status: 0 ok, 1 failure, 2 usage error, 3 no such queue, 4 timed out or would block.\n", stdout);
	printf("\nFor more details see %s and mqtools(7).\n", manpage);
}

/* Whether closing STREAM lost output, as util-linux's close_stream()
 * judges it: an earlier write failed, or the last one did. A stream that
 * was closed from the start (`>&-`) fails with EBADF, which loses nothing
 * when nothing was written to it: the work is done, and a script that
 * retries on failure would do it twice. */
static bool close_lost_output(FILE *stream)
{
	bool pending = __fpending(stream) != 0;
	bool failed = ferror(stream);
	errno = 0;
	bool close_failed = fclose(stream) != 0;
	return failed || (close_failed && (pending || errno != EBADF));
}

/* Output that was never written is a failure even when every printf
 * "succeeded" into a buffer: check it once at exit, as util-linux does. */
static void close_stdout(void)
{
	if (close_lost_output(stdout)) {
		/* EPIPE on stdout means our reader left: not worth a message */
		if (errno != EPIPE)
			fprintf(stderr, "%s: write error: %s\n", cli_program, errno ? strerror(errno) : "stdout");
		_exit(MQ_EXIT_FAILURE);
	}
	/* a standard error closed by the caller lost its diagnostics by
	 * choice: the status of the work stands (a dead letter's 5) */
	if (close_lost_output(stderr) && !cli_stdfd_was_closed(STDERR_FILENO))
		_exit(MQ_EXIT_FAILURE);
}

void cli_init(int argc, char **argv)
{
	(void)argc;
	if (argv && argv[0]) {
		const char *slash = strrchr(argv[0], '/');
		cli_program = slash ? slash + 1 : argv[0];
	}
	cli_stdfds_fill(); /* before anything is opened */
	cli_stop_install();
	atexit(close_stdout);
}
