/* cli.c - error reporting, --version and the checked close of stdout that
 * every mqtools command shares. */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_program = PACKAGE;

__attribute__((format(printf, 1, 0))) static void vreport(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", cli_program);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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

void cli_usage_footer(const char *manpage)
{
	fputs("\nQueue addresses: /name (POSIX), key:KEY, id:ID, ftok:PATH[:PROJ] (System V).\n", stdout);
	fputs("Exit status: 0 ok, 1 failure, 2 usage error, 3 no such queue, 4 timed out or would block.\n", stdout);
	printf("\nFor more details see %s and mqtools(7).\n", manpage);
}

/* Output that was never written is a failure even when every printf
 * "succeeded" into a buffer: check it once at exit, as util-linux does. */
static void close_stdout(void)
{
	int failed = ferror(stdout);
	errno = 0;
	if (fclose(stdout) != 0 || failed) {
		/* EPIPE on stdout means our reader left: not worth a message */
		if (errno != EPIPE)
			fprintf(stderr, "%s: write error: %s\n", cli_program, errno ? strerror(errno) : "stdout");
		_exit(MQ_EXIT_FAILURE);
	}
	if (fclose(stderr) != 0)
		_exit(MQ_EXIT_FAILURE);
}

void cli_init(int argc, char **argv)
{
	(void)argc;
	if (argv && argv[0]) {
		const char *slash = strrchr(argv[0], '/');
		cli_program = slash ? slash + 1 : argv[0];
	}
	atexit(close_stdout);
}
