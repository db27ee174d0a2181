/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.c - option values: numbers, sizes, durations, modes. */
#include "config.h"
#include "lib/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h> /* strtonum, from libbsd's overlay */
#include <string.h>
#include <time.h>

int parse_fail(struct parse_error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* E is written, not read: callers rightly pass it uninitialised */
	// cppcheck-suppress ctuuninitvar
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int parse_integer(const char *text, long long min, long long max, long long *out, struct parse_error *e)
{
	const char *why = NULL;
	long long v;

	if (!text || !*text)
		return parse_fail(e, "an empty value is not a number");
	v = strtonum(text, min, max, &why);
	if (why) {
		if (errno == ERANGE || strcmp(why, "invalid") != 0) /* libbsd 0.11 leaves errno alone */
			return parse_fail(e, "'%.40s' is out of range %lld..%lld", text, min, max);
		return parse_fail(e, "'%.40s' is not a decimal number", text);
	}
	*out = v;
	return 0;
}

int parse_unsigned_any_base(const char *text, unsigned long long max, unsigned long long *out, struct parse_error *e)
{
	char *end;
	unsigned long long v;

	/* strtoull would accept leading space and a minus sign: refuse both */
	if (!text || !isdigit((unsigned char)*text))
		return parse_fail(e, "'%.40s' is not a number (decimal, 0x hex or 0 octal)", text ? text : "");
	errno = 0;
	v = strtoull(text, &end, 0);
	if (*end)
		return parse_fail(e, "'%.40s' is not a number (decimal, 0x hex or 0 octal)", text);
	if (errno == ERANGE || v > max)
		return parse_fail(e, "'%.40s' is out of range 0..%llu", text, max);
	*out = v;
	return 0;
}

int parse_size(const char *text, unsigned long long max, unsigned long long *out, struct parse_error *e)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {
		{ "", 0 },
		{ "b", 0 },
		{ "B", 0 },
		{ "k", 10 },
		{ "K", 10 },
		{ "KiB", 10 },
		{ "m", 20 },
		{ "M", 20 },
		{ "MiB", 20 },
		{ "g", 30 },
		{ "G", 30 },
		{ "GiB", 30 },
	};
	char *end;
	unsigned long long v;

	if (!text || !isdigit((unsigned char)*text))
		return parse_fail(e, "'%.40s' is not a size (a number with optional K, M or G)", text ? text : "");
	errno = 0;
	v = strtoull(text, &end, 10);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (errno == ERANGE || v > (max >> units[i].shift))
			return parse_fail(e, "'%.40s' is over the largest size, %llu bytes", text, max);
		*out = v << units[i].shift;
		return 0;
	}
	return parse_fail(e, "'%.40s' has an unknown unit (use K, M or G, powers of 1024)", text);
}

int64_t duration_max_ns(void)
{
	/* ktime_t's limit, KTIME_MAX; a 32-bit time_t's, where that is less */
	return sizeof(time_t) >= sizeof(int64_t) ? INT64_MAX : 2147483647LL * 1000000000LL + 999999999LL;
}

/* The longest duration in the units the parser takes, every unit shown:
 * "106751d23h47m16s", which can be typed back. */
static void duration_max_text(char *buf, size_t len)
{
	int64_t s = duration_max_ns() / 1000000000LL;
	snprintf(buf, len, "%lldd%lldh%lldm%llds", (long long)(s / 86400), (long long)(s % 86400 / 3600),
		(long long)(s % 3600 / 60), (long long)(s % 60));
}

static int duration_too_long(const char *text, struct parse_error *e)
{
	char max[48];
	duration_max_text(max, sizeof(max));
	return parse_fail(e, "'%.40s' is longer than the longest duration, %s (%s)", text, max,
		sizeof(time_t) >= sizeof(int64_t) ?
			"about 292 years: the kernel's clocks count signed 64-bit nanoseconds" :
			"about 68 years: this system's time_t counts signed 32-bit seconds");
}

static int not_a_duration(const char *text, struct parse_error *e)
{
	return parse_fail(e, "'%.40s' is not a duration (e.g. 500ms, 2s, 1.5m, 1h30m, 3d4h, 1w)", text);
}

int parse_duration(const char *text, int64_t *ns, struct parse_error *e)
{
	/* largest first: a compound value names each unit once, in this order */
	enum { SECONDS = 4 }; /* the unit of a bare number */
	static const struct {
		const char *suffix;
		int64_t ns;
	} units[] = {
		{ "w", 7 * 86400000000000LL },
		{ "d", 86400000000000LL },
		{ "h", 3600000000000LL },
		{ "m", 60000000000LL },
		[SECONDS] = { "s", 1000000000LL },
		{ "ms", 1000000LL },
	};
	const size_t nunits = sizeof(units) / sizeof(units[0]);
	const char *p = text;
	size_t next_unit = 0; /* the largest unit still allowed */
	int64_t total = 0;

	if (!text || !isdigit((unsigned char)*p))
		return not_a_duration(text ? text : "", e);
	while (*p) {
		int64_t whole = 0, part;
		long frac = 0, frac_scale = 1; /* the decimals, at most 9 of them */
		size_t u;

		if (!isdigit((unsigned char)*p))
			return not_a_duration(text, e);
		for (; isdigit((unsigned char)*p); p++)
			if (__builtin_mul_overflow(whole, 10, &whole) ||
				__builtin_add_overflow(whole, *p - '0', &whole))
				return duration_too_long(text, e);
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return not_a_duration(text, e);
			for (; isdigit((unsigned char)*p); p++) {
				if (frac_scale < 1000000000L) {
					frac = frac * 10 + (*p - '0');
					frac_scale *= 10;
				}
			}
		}
		if (!*p && next_unit == 0) {
			u = SECONDS; /* a bare number */
		} else {
			/* the whole word: "ms" is not "m" then "s" */
			size_t len = 0;
			while (isalpha((unsigned char)p[len]))
				len++;
			for (u = 0; u < nunits; u++)
				if (strlen(units[u].suffix) == len && !strncmp(p, units[u].suffix, len))
					break;
			if (!len && !*p)
				return parse_fail(e, "'%.40s' needs a unit after each number (e.g. 1h30m, not 1h30)",
					text);
			if (!len)
				return not_a_duration(text, e);
			if (u == nunits)
				return parse_fail(e, "'%.40s' has an unknown unit '%.*s' (use ms, s, m, h, d or w)",
					text, (int)(len > 8 ? 8 : len), p);
			if (u < next_unit)
				return parse_fail(e,
					"'%.40s' names units out of order or twice: largest first, "
					"each once (e.g. 1w2d, 3d4h, 1h30m)",
					text);
			p += len;
		}
		next_unit = u + 1;
		/* the decimals, in nanoseconds: FRAC/FRAC_SCALE of the unit */
		int64_t nanos_of_unit = frac * (1000000000L / frac_scale);
		int64_t frac_ns = units[u].ns % 1000000000LL == 0 ? nanos_of_unit * (units[u].ns / 1000000000LL) :
								    nanos_of_unit * units[u].ns / 1000000000LL;
		if (__builtin_mul_overflow(whole, units[u].ns, &part) || __builtin_add_overflow(part, frac_ns, &part) ||
			__builtin_add_overflow(total, part, &total) || total > duration_max_ns())
			return duration_too_long(text, e);
	}
	*ns = total;
	return 0;
}

int parse_mode(const char *text, mode_t *out, struct parse_error *e)
{
	unsigned v = 0;
	const char *p = text;

	if (!text || !*text || strlen(text) > 4)
		return parse_fail(e, "'%.40s' is not an octal mode (0000..0777, e.g. 0600)", text ? text : "");
	for (; *p; p++) {
		if (*p < '0' || *p > '7')
			return parse_fail(e, "'%.40s' is not an octal mode (0000..0777, e.g. 0600)", text);
		v = v * 8 + (unsigned)(*p - '0');
	}
	if (v > 0777)
		return parse_fail(e, "'%.40s' has bits beyond 0777: queues take read and write permissions only", text);
	*out = (mode_t)v;
	return 0;
}

int parse_byte(const char *text, int *out, struct parse_error *e)
{
	if (text[0] && !text[1]) {
		*out = (unsigned char)text[0];
		return 0;
	}
	if (text[0] == '\\' && text[1] && !text[2]) {
		switch (text[1]) {
		case 'n': *out = '\n'; return 0;
		case 't': *out = '\t'; return 0;
		case '0': *out = '\0'; return 0;
		case 'r': *out = '\r'; return 0;
		case '\\': *out = '\\'; return 0;
		}
	}
	/* exactly two hex digits: strtol would take "\\x-1" and "\\x 1" */
	if (text[0] == '\\' && text[1] == 'x' && isxdigit((unsigned char)text[2]) && isxdigit((unsigned char)text[3]) &&
		!text[4]) {
		*out = (int)strtol(text + 2, NULL, 16);
		return 0;
	}
	return parse_fail(e, "'%.40s' is not one byte (give a character, or \\n \\t \\0 \\xHH)", text);
}
