/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h - parsing of option values: numbers, sizes, durations, modes.
 * Every parser is pure: it reports what was wrong in a parse_error (the
 * fuzzers call them as they are); tools/cli-parse.h turns a failure into a
 * usage error naming the option. */
#ifndef MQTOOLS_PARSE_H
#define MQTOOLS_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct parse_error {
	char msg[512];
};

/* Decimal integer in [min, max]. */
int parse_integer(const char *text, long long min, long long max, long long *out, struct parse_error *e);
/* Unsigned integer in any C base (decimal, 0x hex, 0 octal) up to max. */
int parse_unsigned_any_base(const char *text, unsigned long long max, unsigned long long *out, struct parse_error *e);
/* Byte count: 4096, 4k/4K/4KiB, 1M/1MiB, 1G/1GiB (powers of 1024), up to max. */
int parse_size(const char *text, unsigned long long max, unsigned long long *out, struct parse_error *e);
/* Duration: numbers (decimals allowed) each with its unit, w, d, h, m, s
 * or ms, largest first and each once: 500ms, 2s, 1.5m, 1h30m, 3d4h, 1w
 * (format_duration's "3d4h" reads back); a bare number is seconds. Stored
 * in nanoseconds, up to duration_max_ns(). */
int parse_duration(const char *text, int64_t *ns, struct parse_error *e);
/* The longest duration: as long as the kernel's clocks and timers count,
 * signed 64-bit nanoseconds (ktime_t, about 292 years), or where time_t
 * is 32 bits the seconds a timespec holds (about 68 years). A wait this
 * long is taken as given, never cut short: a deadline computed from it
 * saturates (monotonic_after_ns in lib/clock.h). */
int64_t duration_max_ns(void);
/* One byte: a character, or a C escape for one (\n \t \0 \r \\ \xHH). */
int parse_byte(const char *text, int *out, struct parse_error *e);
/* Octal permission bits, 0..0777 (leading 0 optional). */
int parse_mode(const char *text, mode_t *out, struct parse_error *e);

/* Whether C is in POSIX's portable file name character set, [A-Za-z0-9._-],
 * whatever the locale. */
static inline bool portable_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		c == '-';
}

/* Word E's message (printf FMT) and return -1: every parser's failure. */
int parse_fail(struct parse_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
