/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonin.c - one JSON line of mqrecv --json, read back (jsonin.h).
 *
 * Two passes over the line: the first checks all of it and notes where the
 * members that matter are; the second decodes "data" over the line's own
 * bytes from its start. A JSON escape or a base64 quad never decodes to
 * more bytes than it takes, so the writing never overtakes the reading,
 * and the first pass has read everything else before the line is
 * overwritten. */
#include "config.h"
#include "lib/jsonin.h"
#include "lib/json.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct cursor {
	const char *s;
	size_t len, pos;
	struct jsonin_error *err;
};

static int fail_at(struct cursor *c, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(struct cursor *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	c->err->column = at + 1;
	va_start(ap, fmt);
	vsnprintf(c->err->what, sizeof(c->err->what), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool at_end(const struct cursor *c)
{
	return c->pos >= c->len;
}

static void skip_space(struct cursor *c)
{
	while (!at_end(c) &&
		(c->s[c->pos] == ' ' || c->s[c->pos] == '\t' || c->s[c->pos] == '\r' || c->s[c->pos] == '\n'))
		c->pos++;
}

/* What is at the cursor, for "expected X, found Y". */
static const char *found(const struct cursor *c, char *buf, size_t len)
{
	unsigned char b = at_end(c) ? 0 : (unsigned char)c->s[c->pos];
	if (at_end(c))
		snprintf(buf, len, "the end of the line");
	else if (b > 0x20 && b < 0x7f)
		snprintf(buf, len, "'%c'", b);
	else
		snprintf(buf, len, "byte 0x%02x", b);
	return buf;
}

static int expect(struct cursor *c, char want, const char *what)
{
	char f[32];
	skip_space(c);
	if (!at_end(c) && c->s[c->pos] == want) {
		c->pos++;
		return 0;
	}
	return fail_at(c, c->pos, "expected %s, found %s", what, found(c, f, sizeof(f)));
}

static int hex4(struct cursor *c, size_t at, unsigned *v)
{
	*v = 0;
	if (c->len - at < 4)
		return fail_at(c, at, "a \\u escape needs four hex digits");
	for (size_t i = 0; i < 4; i++) {
		char h = c->s[at + i];
		unsigned d = h >= '0' && h <= '9' ? (unsigned)(h - '0') :
			h >= 'a' && h <= 'f'      ? (unsigned)(h - 'a' + 10) :
			h >= 'A' && h <= 'F'      ? (unsigned)(h - 'A' + 10) :
						    16;
		if (d == 16)
			return fail_at(c, at + i, "a \\u escape needs four hex digits");
		*v = *v << 4 | d;
	}
	return 0;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The escape after the backslash at the cursor: its code point in *CP,
 * the cursor past it. */
static int escape(struct cursor *c, uint32_t *cp)
{
	size_t at = c->pos - 1;
	unsigned hi, lo;
	if (at_end(c))
		return fail_at(c, at, "a backslash at the end of the line");
	char e = c->s[c->pos++];
	switch (e) {
	case '"': *cp = '"'; return 0;
	case '\\': *cp = '\\'; return 0;
	case '/': *cp = '/'; return 0;
	case 'b': *cp = '\b'; return 0;
	case 'f': *cp = '\f'; return 0;
	case 'n': *cp = '\n'; return 0;
	case 'r': *cp = '\r'; return 0;
	case 't': *cp = '\t'; return 0;
	case 'u': break;
	default:
		return fail_at(c, at, "\\%c is no JSON escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
			e > 0x20 && e < 0x7f ? e : '?');
	}
	if (hex4(c, c->pos, &hi) < 0)
		return -EINVAL;
	c->pos += 4;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return fail_at(c, at, "\\u%04x is the second half of a surrogate pair, without the first", hi);
	if (hi < 0xd800 || hi > 0xdbff) {
		*cp = hi;
		return 0;
	}
	if (c->len - c->pos < 2 || c->s[c->pos] != '\\' || c->s[c->pos + 1] != 'u' || hex4(c, c->pos + 2, &lo) < 0 ||
		lo < 0xdc00 || lo > 0xdfff)
		return fail_at(c, at, "\\u%04x is the first half of a surrogate pair, without the second", hi);
	c->pos += 6;
	*cp = 0x10000 + ((uint32_t)(hi - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* The length of the UTF-8 character whose first byte is B, by that byte. */
static size_t utf8_length(unsigned char b)
{
	return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
}

/* The string at the cursor (its opening quote), checked; decoded into OUT
 * when OUT is not NULL, up to CAP bytes (*LEN counts them all, and may pass
 * CAP: then OUT holds the first CAP; 0 on a fault, so that it is never
 * read unset). OUT may be the line itself, before the string: decoding
 * writes no faster than it reads. */
static int string(struct cursor *c, char *out, size_t cap, size_t *len)
{
	char buf[4];
	size_t n = 0;

	if (len)
		*len = 0;
	if (expect(c, '"', "a string") < 0)
		return -EINVAL;
	for (;;) {
		if (at_end(c))
			return fail_at(c, c->pos, "the string has no closing quote");
		size_t at = c->pos;
		unsigned char b = (unsigned char)c->s[c->pos++];
		size_t k = 1;
		if (b == '"')
			break;
		if (b < 0x20)
			return fail_at(c, at, "a raw control character (0x%02x) in a string: JSON writes it \\u%04x", b,
				b);
		if (b == '\\') {
			uint32_t cp = 0;
			if (escape(c, &cp) < 0)
				return -EINVAL;
			k = put_utf8(buf, cp);
		} else if (b >= 0x80) {
			k = utf8_length(b);
			if (k == 1 || c->len - at < k || !utf8_valid(c->s + at, k))
				return fail_at(c, at,
					"a string holds bytes that are not UTF-8 (binary data is "
					"\"encoding\":\"base64\")");
			memcpy(buf, c->s + at, k);
			c->pos = at + k;
		} else {
			buf[0] = (char)b;
		}
		for (size_t i = 0; out && i < k; i++)
			if (n + i < cap)
				out[n + i] = buf[i];
		n += k;
	}
	if (len)
		*len = n;
	return 0;
}

/* A JSON number at the cursor, checked. *WHOLE: an integer without sign,
 * fraction or exponent, in *VALUE (clamped at ULLONG_MAX, *HUGE set). */
struct number {
	bool whole, huge;
	unsigned long long value;
};

static int number(struct cursor *c, struct number *num)
{
	bool sign = false, frac = false, exp = false;
	*num = (struct number){ .whole = true };

	if (!at_end(c) && c->s[c->pos] == '-') {
		sign = true;
		c->pos++;
	}
	if (at_end(c) || c->s[c->pos] < '0' || c->s[c->pos] > '9')
		return fail_at(c, c->pos, "a number needs a digit here");
	if (c->s[c->pos] == '0' && c->len - c->pos > 1 && c->s[c->pos + 1] >= '0' && c->s[c->pos + 1] <= '9')
		return fail_at(c, c->pos, "a number may not start with 0 (JSON has no octal)");
	while (!at_end(c) && c->s[c->pos] >= '0' && c->s[c->pos] <= '9') {
		unsigned d = (unsigned)(c->s[c->pos++] - '0');
		if (num->value > (ULLONG_MAX - d) / 10)
			num->huge = true;
		else
			num->value = num->value * 10 + d;
	}
	if (!at_end(c) && c->s[c->pos] == '.') {
		frac = true;
		c->pos++;
		if (at_end(c) || c->s[c->pos] < '0' || c->s[c->pos] > '9')
			return fail_at(c, c->pos, "a number needs a digit after its decimal point");
		while (!at_end(c) && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	}
	if (!at_end(c) && (c->s[c->pos] == 'e' || c->s[c->pos] == 'E')) {
		exp = true;
		c->pos++;
		if (!at_end(c) && (c->s[c->pos] == '+' || c->s[c->pos] == '-'))
			c->pos++;
		if (at_end(c) || c->s[c->pos] < '0' || c->s[c->pos] > '9')
			return fail_at(c, c->pos, "a number needs a digit in its exponent");
		while (!at_end(c) && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	}
	num->whole = !sign && !frac && !exp;
	return 0;
}

static int literal(struct cursor *c, const char *word)
{
	size_t n = strlen(word);
	if (c->len - c->pos < n || memcmp(c->s + c->pos, word, n) != 0)
		return fail_at(c, c->pos, "not a JSON value (did you mean %s?)", word);
	c->pos += n;
	return 0;
}

/* Any JSON value, checked and passed over. */
static int skip_value(struct cursor *c, int depth)
{
	skip_space(c);
	if (at_end(c))
		return fail_at(c, c->pos, "a value is missing at the end of the line");
	char b = c->s[c->pos];
	struct number num;
	switch (b) {
	case '"': return string(c, NULL, 0, NULL);
	case 't': return literal(c, "true");
	case 'f': return literal(c, "false");
	case 'n': return literal(c, "null");
	case '{':
	case '[': break;
	default:
		if (b == '-' || (b >= '0' && b <= '9'))
			return number(c, &num);
		return fail_at(c, c->pos, "not a JSON value (a string, number, object, array, true, false or null)");
	}
	if (depth >= JSONIN_MAX_DEPTH)
		return fail_at(c, c->pos, "nested deeper than %d arrays and objects", JSONIN_MAX_DEPTH);
	char close = b == '{' ? '}' : ']';
	c->pos++;
	skip_space(c);
	if (!at_end(c) && c->s[c->pos] == close) {
		c->pos++;
		return 0;
	}
	for (;;) {
		if (close == '}' && (string(c, NULL, 0, NULL) < 0 || expect(c, ':', "':' after a member's name") < 0))
			return -EINVAL;
		if (skip_value(c, depth + 1) < 0)
			return -EINVAL;
		skip_space(c);
		if (!at_end(c) && c->s[c->pos] == ',') {
			c->pos++;
			if (close == '}')
				skip_space(c);
			continue;
		}
		return expect(c, close, close == '}' ? "',' or '}'" : "',' or ']'");
	}
}

/* The members that matter. */
enum member { M_DATA, M_ENCODING, M_PRIORITY, M_TYPE, M_SIZE, M_QOS, M_RETAINED, M_COUNT, M_OTHER = M_COUNT };
static const char *const member_names[M_COUNT] = { "data", "encoding", "priority", "type", "size", "qos", "retained" };

struct members {
	size_t at[M_COUNT]; /* where each value starts */
	bool seen[M_COUNT];
	bool base64;
	unsigned long long size;
};

static enum member member_of(const char *name, size_t len)
{
	for (int m = 0; m < M_COUNT; m++)
		if (strlen(member_names[m]) == len && !memcmp(member_names[m], name, len))
			return (enum member)m;
	return M_OTHER;
}

/* A whole number of member M in [MIN, MAX]. */
static int whole(struct cursor *c, enum member m, unsigned long long min, unsigned long long max,
	unsigned long long *out)
{
	size_t at = c->pos;
	struct number num;
	if (at_end(c) || !(c->s[c->pos] == '-' || (c->s[c->pos] >= '0' && c->s[c->pos] <= '9')))
		return fail_at(c, at, "\"%s\" must be a number", member_names[m]);
	if (number(c, &num) < 0)
		return -EINVAL;
	if (!num.whole || num.huge || num.value < min || num.value > max)
		return fail_at(c, at, "\"%s\" must be a whole number from %llu to %llu", member_names[m], min, max);
	*out = num.value;
	return 0;
}

static int member_value(struct cursor *c, enum member m, struct members *ms, struct jsonin_record *rec)
{
	unsigned long long v;
	char text[8];
	size_t n;

	skip_space(c);
	if (m != M_OTHER)
		ms->at[m] = c->pos;
	switch (m) {
	case M_DATA:
		if (at_end(c) || c->s[c->pos] != '"')
			return fail_at(c, c->pos, "\"data\" must be a string");
		return string(c, NULL, 0, NULL);
	case M_ENCODING:
		if (at_end(c) || c->s[c->pos] != '"')
			return fail_at(c, c->pos, "\"encoding\" must be a string: \"text\" or \"base64\"");
		if (string(c, text, sizeof(text), &n) < 0)
			return -EINVAL;
		if (n == 6 && !memcmp(text, "base64", 6))
			ms->base64 = true;
		else if (!(n == 4 && !memcmp(text, "text", 4)))
			return fail_at(c, ms->at[m], "\"encoding\" is \"text\" or \"base64\", nothing else");
		return 0;
	case M_PRIORITY:
		if (whole(c, m, 0, LONG_MAX, &v) < 0)
			return -EINVAL;
		rec->priority = (long)v;
		return 0;
	case M_TYPE:
		if (whole(c, m, 1, LONG_MAX, &v) < 0)
			return -EINVAL;
		rec->type = (long)v;
		return 0;
	case M_SIZE: return whole(c, m, 0, ULLONG_MAX - 1, &ms->size);
	case M_QOS:
		if (whole(c, m, 0, 2, &v) < 0)
			return -EINVAL;
		rec->qos = (int)v;
		return 0;
	case M_RETAINED:
		if (c->len - c->pos >= 4 && !memcmp(c->s + c->pos, "true", 4))
			rec->retained = true;
		else if (!(c->len - c->pos >= 5 && !memcmp(c->s + c->pos, "false", 5)))
			return fail_at(c, c->pos, "\"retained\" must be true or false");
		c->pos += rec->retained ? 4 : 5;
		return 0;
	default: return skip_value(c, 1);
	}
}

/* First pass: the whole line is one object; its members noted. */
static int check_object(struct cursor *c, struct members *ms, struct jsonin_record *rec)
{
	char name[16];
	size_t n;

	skip_space(c);
	if (at_end(c))
		return fail_at(c, c->pos, "an empty line, not a JSON object");
	if (expect(c, '{', "'{' (a JSON object a line)") < 0)
		return -EINVAL;
	skip_space(c);
	if (!at_end(c) && c->s[c->pos] == '}') {
		c->pos++;
	} else {
		for (;;) {
			skip_space(c);
			size_t at = c->pos;
			if (at_end(c) || c->s[at] != '"')
				return expect(c, '"', "a member's name in double quotes");
			if (string(c, name, sizeof(name), &n) < 0)
				return -EINVAL;
			enum member m = n <= sizeof(name) ? member_of(name, n) : M_OTHER;
			if (m != M_OTHER && ms->seen[m])
				return fail_at(c, at, "\"%s\" comes twice", member_names[m]);
			if (expect(c, ':', "':' after a member's name") < 0 || member_value(c, m, ms, rec) < 0)
				return -EINVAL;
			if (m != M_OTHER)
				ms->seen[m] = true;
			skip_space(c);
			if (!at_end(c) && c->s[c->pos] == ',') {
				c->pos++;
				continue;
			}
			if (expect(c, '}', "',' or '}'") < 0)
				return -EINVAL;
			break;
		}
	}
	skip_space(c);
	if (!at_end(c))
		return fail_at(c, c->pos, "more after the object's closing '}': one object a line");
	if (!ms->seen[M_DATA])
		return fail_at(c, 0, "no \"data\": the message is its \"data\" member");
	return 0;
}

static int base64_value(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* Decode the N base64 characters at BUF over themselves (RFC 4648,
 * padded, canonical): *LEN the bytes. Else NULL, or what is wrong with
 * the character at offset *LEN. */
static const char *base64_decode_inplace(char *buf, size_t n, size_t *len)
{
	size_t out = 0;
	if (n % 4) {
		*len = n;
		return "its length is no multiple of 4 (padded with '=')";
	}
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			v[k] = base64_value(buf[i + k]);
			if (buf[i + k] == '=' && i + 4 == n && k >= 2 && (k == 3 || buf[i + 3] == '=')) {
				v[k] = 0;
				pad++;
			} else if (v[k] < 0) {
				*len = i + (size_t)k;
				return "no base64 character";
			}
		}
		uint32_t q = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		/* the bits the padding leaves over are zero in canonical base64 */
		if ((pad == 1 && (q & 0xff)) || (pad == 2 && (q & 0xffff))) {
			*len = i + 3 - (size_t)pad;
			return "bits left over before the padding (not as base64 encodes)";
		}
		buf[out++] = (char)(q >> 16);
		if (pad < 2)
			buf[out++] = (char)(q >> 8);
		if (pad < 1)
			buf[out++] = (char)q;
	}
	*len = out;
	return NULL;
}

int jsonin_parse(char *line, size_t len, struct jsonin_record *rec, struct jsonin_error *err)
{
	struct cursor c = { .s = line, .len = len, .err = err };
	struct members ms = { .size = 0 };

	*rec = (struct jsonin_record){ .data = line };
	err->column = 0;
	err->what[0] = '\0';
	if (check_object(&c, &ms, rec) < 0)
		return -EINVAL;
	rec->has_priority = ms.seen[M_PRIORITY];
	rec->has_type = ms.seen[M_TYPE];
	rec->has_qos = ms.seen[M_QOS];
	/* second pass: the data over the line, from its start */
	c.pos = ms.at[M_DATA];
	if (string(&c, line, SIZE_MAX, &rec->len) < 0)
		return -EINVAL; /* checked already: cannot happen */
	size_t n = rec->len;
	const char *bad = ms.base64 ? base64_decode_inplace(line, n, &rec->len) : NULL;
	if (bad && rec->len == n)
		return fail_at(&c, ms.at[M_DATA], "\"data\" is not base64 as \"encoding\" says: %s", bad);
	if (bad)
		return fail_at(&c, ms.at[M_DATA], "\"data\" is not base64 as \"encoding\" says: its character %zu: %s",
			rec->len + 1, bad);
	if (ms.seen[M_SIZE] && ms.size != rec->len)
		return fail_at(&c, ms.at[M_SIZE], "\"size\" is %llu, but \"data\" holds %zu byte%s", ms.size, rec->len,
			rec->len == 1 ? "" : "s");
	return 0;
}
