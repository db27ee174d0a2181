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
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{ "", 0 }, { "b", 0 }, { "B", 0 },
		{ "k", 10 }, { "K", 10 }, { "KiB", 10 },
		{ "m", 20 }, { "M", 20 }, { "MiB", 20 },
		{ "g", 30 }, { "G", 30 }, { "GiB", 30 },
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

int parse_duration(const char *text, int64_t *ns, struct parse_error *e)
{
	static const struct { const char *suffix; int64_t ns; } units[] = {
		{ "", 1000000000LL }, { "s", 1000000000LL }, { "ms", 1000000LL },
		{ "m", 60000000000LL }, { "h", 3600000000000LL },
	};
	const int64_t day = 86400LL * 1000000000LL;
	const char *p = text;
	int64_t whole = 0, frac = 0, frac_scale = 1;

	if (!text || !isdigit((unsigned char)*p))
		return parse_fail(e, "'%.40s' is not a duration (e.g. 500ms, 2s, 1.5s, 1m)", text ? text : "");
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 86400000) /* past a day in any unit: stop before overflow */
			return parse_fail(e, "'%.40s' is longer than the longest wait, a day", text);
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return parse_fail(e, "'%.40s' is not a duration (e.g. 500ms, 2s, 1.5s, 1m)", text);
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_scale < 1000000000LL) {
				frac = frac * 10 + (*p - '0');
				frac_scale *= 10;
			}
		}
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].suffix) != 0)
			continue;
		if (whole > day / units[i].ns)
			return parse_fail(e, "'%.40s' is longer than the longest wait, a day", text);
		int64_t v = whole * units[i].ns + frac * (units[i].ns / frac_scale);
		if (v > day)
			return parse_fail(e, "'%.40s' is longer than the longest wait, a day", text);
		*ns = v;
		return 0;
	}
	return parse_fail(e, "'%.40s' has an unknown unit (use ms, s, m or h)", text);
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
