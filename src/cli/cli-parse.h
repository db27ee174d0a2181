/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli-parse.h - the parsers of lib/parse.h and lib/address.h for the
 * command line: the value, or a usage error naming the option and exit 2. */
#ifndef MQTOOLS_CLI_PARSE_H
#define MQTOOLS_CLI_PARSE_H

#include <stdint.h>
#include <sys/types.h>
#include "lib/address.h"
#include "lib/parse.h"

long long cli_integer(const char *option, const char *text, long long min, long long max);
unsigned long long cli_size(const char *option, const char *text, unsigned long long max);
int64_t cli_duration(const char *option, const char *text);
mode_t cli_mode(const char *option, const char *text);
int cli_byte(const char *option, const char *text);
/* Parse an address, or exit with a usage error (2), or 3 when an ftok PATH
 * is missing. */
void cli_address(const char *text, struct queue_address *out);
/* The same for a reader: an mqtt:// topic may be a filter (address.h). */
void cli_address_subscription(const char *text, struct queue_address *out);

#endif
