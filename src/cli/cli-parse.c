/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli-parse.c - option values and queue addresses for the command line:
 * the pure parsers of lib/, and a usage error naming the option on failure. */
#include "config.h"
#include "cli/cli-parse.h"
#include "cli/cli.h"

#include <errno.h>
#include <string.h>

long long cli_integer(const char *option, const char *text, long long min, long long max)
{
	struct parse_error e;
	long long v;
	if (parse_integer(text, min, max, &v, &e) < 0)
		cli_usage_error("invalid %s value: %s", option, e.msg);
	return v;
}

unsigned long long cli_size(const char *option, const char *text, unsigned long long max)
{
	struct parse_error e;
	unsigned long long v;
	if (parse_size(text, max, &v, &e) < 0)
		cli_usage_error("invalid %s value: %s", option, e.msg);
	return v;
}

int64_t cli_duration(const char *option, const char *text)
{
	struct parse_error e;
	int64_t v;
	if (parse_duration(text, &v, &e) < 0)
		cli_usage_error("invalid %s value: %s", option, e.msg);
	return v;
}

mode_t cli_mode(const char *option, const char *text)
{
	struct parse_error e;
	mode_t v;
	if (parse_mode(text, &v, &e) < 0)
		cli_usage_error("invalid %s value: %s", option, e.msg);
	return v;
}

int cli_byte(const char *option, const char *text)
{
	struct parse_error e;
	int v;
	if (parse_byte(text, &v, &e) < 0)
		cli_usage_error("invalid %s value: %s", option, e.msg);
	return v;
}

static void address_or_exit(const char *text, struct queue_address *a,
	int (*parse)(const char *text, struct queue_address *a, struct parse_error *e))
{
	struct parse_error e;

	if (parse(text, a, &e) == 0)
		return;
	if (!strncmp(text, "ftok:", 5) && errno == ENOENT)
		cli_die(MQ_EXIT_NOQUEUE, "%s", e.msg);
	cli_usage_error("%s; use one of:\n%s", e.msg, address_forms_help);
}

void cli_address(const char *text, struct queue_address *a)
{
	address_or_exit(text, a, address_parse);
}

void cli_address_subscription(const char *text, struct queue_address *a)
{
	address_or_exit(text, a, address_parse_subscription);
}
