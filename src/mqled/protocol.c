/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protocol.c - the pure parser of mqled's commands (see protocol.h). */
#include "config.h"
#include "mqled/protocol.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 8

static const char *const verb_names[] = {
	[PROTOCOL_ON] = "on",
	[PROTOCOL_OFF] = "off",
	[PROTOCOL_TOGGLE] = "toggle",
	[PROTOCOL_BLINK] = "blink",
	[PROTOCOL_STATUS] = "status",
	[PROTOCOL_STOP] = "stop",
	[PROTOCOL_PULSE] = "pulse",
	[PROTOCOL_PATTERN] = "pattern",
	[PROTOCOL_BRIGHTNESS] = "brightness",
};
#define VERBS "on, off, toggle, blink, pulse, pattern, brightness, status or stop"

const char *protocol_verb_name(enum protocol_verb verb)
{
	return verb_names[verb];
}

struct word {
	const char *p;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split into words; one trailing NUL (a C string sent with strlen + 1, as
 * the seeds' clients do) ends the text, and a trailing newline (mqsend -w,
 * echo) is allowed; any other control byte is not, a NUL inside the text
 * included: it would garble the log. Nor is a byte past
 * ASCII: commands are ASCII words, and an error quotes words as they are,
 * so U+009B (CSI, bytes c2 9b) would reach the log and the client raw. */
static int split(const char *data, size_t len, struct word *w, size_t *n, struct parse_error *e)
{
	size_t i = 0;

	if (len > 0 && data[len - 1] == '\0')
		len--;
	if (len > 0 && data[len - 1] == '\n')
		len--;
	if (len > 0 && data[len - 1] == '\r')
		len--;
	*n = 0;
	while (i < len) {
		if (is_blank(data[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && !is_blank(data[i])) {
			unsigned char c = (unsigned char)data[i];
			if (c < 0x20 || c >= 0x7f)
				return parse_fail(e, "byte 0x%02x at position %zu is not text", c, i + 1);
			i++;
		}
		if (*n == MAX_WORDS)
			return parse_fail(e, "too many words (at most %d)", MAX_WORDS);
		w[(*n)++] = (struct word){ data + start, i - start };
	}
	return 0;
}

static bool word_is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && strncasecmp(w->p, s, w->len) == 0;
}

/* Other words for a verb: "exit" is the seeds' command client's word for
 * stop (mqled(1), COMPATIBLE PROTOCOL). */
static const struct {
	const char *word;
	enum protocol_verb verb;
} verb_aliases[] = {
	{ "exit", PROTOCOL_STOP },
};

static bool find_verb(const struct word *w, enum protocol_verb *out)
{
	for (size_t v = 0; v < sizeof(verb_names) / sizeof(verb_names[0]); v++) {
		if (word_is(w, verb_names[v])) {
			*out = (enum protocol_verb)v;
			return true;
		}
	}
	for (size_t a = 0; a < sizeof(verb_aliases) / sizeof(verb_aliases[0]); a++) {
		if (word_is(w, verb_aliases[a].word)) {
			*out = verb_aliases[a].verb;
			return true;
		}
	}
	return false;
}

static bool lower_hex(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

/* reply=/mqled-reply-HASH: only the form the mqled client makes. */
static int parse_reply(const char *addr, size_t len, char *out, size_t outlen, struct parse_error *e)
{
	const size_t plen = strlen(PROTOCOL_REPLY_PREFIX);

	if (len != plen + PROTOCOL_HASH_LEN || len >= outlen || strncmp(addr, PROTOCOL_REPLY_PREFIX, plen) != 0 ||
		!lower_hex(addr + plen, PROTOCOL_HASH_LEN))
		return parse_fail(e,
			"reply address '%.*s' is not a reply queue (%s and %d hex digits, made by the mqled client)",
			(int)(len > 60 ? 60 : len), addr, PROTOCOL_REPLY_PREFIX, PROTOCOL_HASH_LEN);
	memcpy(out, addr, len);
	out[len] = '\0';
	return 0;
}

/* nonce=NONCE: PROTOCOL_HASH_LEN lowercase hex digits. Never quoted in an
 * error: it is the client's secret. */
static int parse_nonce(const char *p, size_t len, char *out, struct parse_error *e)
{
	if (len != PROTOCOL_HASH_LEN || !lower_hex(p, len))
		return parse_fail(e, "nonce= must be %d hex digits", PROTOCOL_HASH_LEN);
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/* A decimal number word in [min, max], argument WHAT of VERB. */
static int number(const struct word *w, const char *verb, const char *what, long long min, long long max, unsigned *out,
	struct parse_error *e)
{
	char text[24];
	long long v;

	if (w->len >= sizeof(text))
		return parse_fail(e, "%s %s '%.*s' is too long a number", verb, what, (int)(w->len > 30 ? 30 : w->len),
			w->p);
	memcpy(text, w->p, w->len);
	text[w->len] = '\0';
	if (parse_integer(text, min, max, &v, e) < 0) {
		struct parse_error inner = *e;
		return parse_fail(e, "%s %s: %.400s", verb, what, inner.msg);
	}
	*out = (unsigned)v;
	return 0;
}

/* pattern MS,MS,...: on/off pairs of durations. */
static int parse_pattern(const struct word *w, struct protocol_command *out, struct parse_error *e)
{
	struct word d = { w->p, 0 };
	const char *end = w->p + w->len;

	out->n_ms = 0;
	for (const char *p = w->p;; p++) {
		if (p < end && *p != ',')
			continue;
		d.len = (size_t)(p - d.p);
		if (out->n_ms == PROTOCOL_PATTERN_MAX)
			return parse_fail(e, "pattern has more than %d durations", PROTOCOL_PATTERN_MAX);
		if (number(&d, "pattern", "MS", 1, PROTOCOL_BLINK_MAX_MS, &out->ms[out->n_ms], e) < 0)
			return -1;
		out->n_ms++;
		if (p == end)
			break;
		d.p = p + 1;
	}
	if (out->n_ms % 2)
		return parse_fail(e,
			"pattern has %u durations: it needs on/off pairs, an even number (such as 100,100,100,700)",
			out->n_ms);
	return 0;
}

/* brightness N or N% */
static int parse_brightness(const struct word *w, struct protocol_command *out, struct parse_error *e)
{
	struct word n = *w;

	out->percent = n.len > 0 && n.p[n.len - 1] == '%';
	if (out->percent)
		n.len--;
	return number(&n, "brightness", out->percent ? "N%" : "N", 0, out->percent ? 100 : PROTOCOL_BRIGHTNESS_MAX,
		&out->level, e);
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool protocol_valid_name(const char *name, size_t len)
{
	struct word w = { name, len };
	enum protocol_verb v;

	if (find_verb(&w, &v) || (len == 3 && !strncasecmp(name, "run", 3)))
		return false; /* NAME VERB must not read as VERB ... */
	if (len == 0 || len > PROTOCOL_NAME_MAX || !is_letter(name[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!portable_name_char(name[i]) || name[i] == '.')
			return false;
	return true;
}

/* The arguments ARGS[1..NARGS-1] of the verb in OUT. */
static int parse_args(const struct word *args, size_t nargs, struct protocol_command *out, struct parse_error *e)
{
	static const char *const blink_args[] = { "ON_MS", "OFF_MS", "COUNT" };
	static const size_t max_args
		[] = { [PROTOCOL_BLINK] = 3, [PROTOCOL_PULSE] = 1, [PROTOCOL_PATTERN] = 2, [PROTOCOL_BRIGHTNESS] = 1 };
	static const char *const usage[] = { [PROTOCOL_BLINK] = "ON_MS OFF_MS COUNT",
		[PROTOCOL_PULSE] = "MS",
		[PROTOCOL_PATTERN] = "MS,MS,... COUNT",
		[PROTOCOL_BRIGHTNESS] = "N or N%" };
	const char *verb = verb_names[out->verb];
	size_t max = (size_t)out->verb < sizeof(max_args) / sizeof(max_args[0]) ? max_args[out->verb] : 0;

	if (nargs - 1 > max && max == 0)
		return parse_fail(e, "'%s' takes no argument, but '%.*s' followed", verb,
			(int)(args[1].len > 40 ? 40 : args[1].len), args[1].p);
	if (nargs - 1 > max)
		return parse_fail(e, "%s takes at most %s, but '%.*s' followed", verb, usage[out->verb],
			(int)(args[max + 1].len > 40 ? 40 : args[max + 1].len), args[max + 1].p);
	switch (out->verb) {
	case PROTOCOL_BLINK:
		out->on_ms = PROTOCOL_BLINK_DEFAULT_MS;
		if (nargs > 1 && number(&args[1], verb, blink_args[0], 1, PROTOCOL_BLINK_MAX_MS, &out->on_ms, e) < 0)
			return -1;
		out->off_ms = out->on_ms;
		if (nargs > 2 && number(&args[2], verb, blink_args[1], 1, PROTOCOL_BLINK_MAX_MS, &out->off_ms, e) < 0)
			return -1;
		if (nargs > 3 && number(&args[3], verb, blink_args[2], 0, PROTOCOL_BLINK_MAX_COUNT, &out->count, e) < 0)
			return -1;
		return 0;
	case PROTOCOL_PULSE:
	case PROTOCOL_PATTERN:
	case PROTOCOL_BRIGHTNESS:
		if (nargs < 2)
			return parse_fail(e, "%s needs %s", verb, usage[out->verb]);
		if (out->verb == PROTOCOL_PULSE)
			return number(&args[1], verb, "MS", 1, PROTOCOL_BLINK_MAX_MS, &out->on_ms, e);
		if (out->verb == PROTOCOL_BRIGHTNESS)
			return parse_brightness(&args[1], out, e);
		if (parse_pattern(&args[1], out, e) < 0)
			return -1;
		return nargs > 2 ? number(&args[2], verb, "COUNT", 0, PROTOCOL_BLINK_MAX_COUNT, &out->count, e) : 0;
	default: return 0;
	}
}

int protocol_parse(const char *data, size_t len, struct protocol_command *out, struct parse_error *e)
{
	struct word w[MAX_WORDS], args[MAX_WORDS];
	size_t n, nargs = 0;

	memset(out, 0, sizeof(*out));
	if (len > PROTOCOL_MAX_LEN)
		return parse_fail(e, "command is %zu bytes, over the limit of %d", len, PROTOCOL_MAX_LEN);
	if (split(data, len, w, &n, e) < 0)
		return -1;
	/* reply= and nonce= first: a refusal of the rest can still be answered */
	for (size_t i = 0; i < n; i++) {
		if (w[i].len >= 6 && strncmp(w[i].p, "reply=", 6) == 0) {
			if (out->reply[0])
				return parse_fail(e, "reply= given twice");
			if (parse_reply(w[i].p + 6, w[i].len - 6, out->reply, sizeof(out->reply), e) < 0)
				return -1;
		} else if (w[i].len >= 6 && strncmp(w[i].p, "nonce=", 6) == 0) {
			if (out->nonce[0])
				return parse_fail(e, "nonce= given twice");
			if (parse_nonce(w[i].p + 6, w[i].len - 6, out->nonce, e) < 0)
				return -1;
		} else {
			args[nargs++] = w[i];
		}
	}
	if (!out->reply[0] != !out->nonce[0]) {
		bool had_reply = out->reply[0];
		out->reply[0] = out->nonce[0] = '\0';
		return parse_fail(e, "%s= without %s=: a reply queue and its nonce go together",
			had_reply ? "reply" : "nonce", had_reply ? "nonce" : "reply");
	}
	if (nargs == 0)
		return parse_fail(e, "empty command (" VERBS ")");
	/* NAME VERB ...: an LED's name comes first (no name is a verb) */
	if (!find_verb(&args[0], &out->verb) && nargs > 1 && find_verb(&args[1], &out->verb)) {
		if (!protocol_valid_name(args[0].p, args[0].len))
			return parse_fail(e,
				"'%.*s' is not an LED name (a letter, then up to %d letters, digits, - or _)",
				(int)(args[0].len > 40 ? 40 : args[0].len), args[0].p, PROTOCOL_NAME_MAX - 1);
		if (out->verb == PROTOCOL_STOP)
			return parse_fail(e, "'%s' is for the whole controller, not one LED",
				verb_names[PROTOCOL_STOP]);
		memcpy(out->led, args[0].p, args[0].len);
		out->led[args[0].len] = '\0';
		return parse_args(args + 1, nargs - 1, out, e);
	}
	if (!find_verb(&args[0], &out->verb))
		return parse_fail(e, "unknown command '%.*s' (" VERBS ")", (int)(args[0].len > 40 ? 40 : args[0].len),
			args[0].p);
	return parse_args(args, nargs, out, e);
}
