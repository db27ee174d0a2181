/* ledcmd.c - the pure parser of mqled's commands (see ledcmd.h). */
#include "config.h"
#include "ledcmd.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define FAIL(e, ...) (snprintf((e)->msg, sizeof((e)->msg), __VA_ARGS__), -1)
#define MAX_WORDS 8

static const char *const verb_names[] = {
	[LEDCMD_ON] = "on", [LEDCMD_OFF] = "off", [LEDCMD_TOGGLE] = "toggle",
	[LEDCMD_BLINK] = "blink", [LEDCMD_STATUS] = "status", [LEDCMD_STOP] = "stop",
};

const char *ledcmd_verb_name(enum ledcmd_verb verb)
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
				return FAIL(e, "byte 0x%02x at position %zu is not text", c, i + 1);
			i++;
		}
		if (*n == MAX_WORDS)
			return FAIL(e, "too many words (at most %d)", MAX_WORDS);
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
	enum ledcmd_verb verb;
} verb_aliases[] = {
	{ "exit", LEDCMD_STOP },
};

static bool find_verb(const struct word *w, enum ledcmd_verb *out)
{
	for (size_t v = 0; v < sizeof(verb_names) / sizeof(verb_names[0]); v++) {
		if (word_is(w, verb_names[v])) {
			*out = (enum ledcmd_verb)v;
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
	const size_t plen = strlen(LEDCMD_REPLY_PREFIX);

	if (len != plen + LEDCMD_HASH_LEN || len >= outlen || strncmp(addr, LEDCMD_REPLY_PREFIX, plen) != 0 ||
	    !lower_hex(addr + plen, LEDCMD_HASH_LEN))
		return FAIL(e, "reply address '%.*s' is not a reply queue (%s and %d hex digits, made by the mqled client)",
			(int)(len > 60 ? 60 : len), addr, LEDCMD_REPLY_PREFIX, LEDCMD_HASH_LEN);
	memcpy(out, addr, len);
	out[len] = '\0';
	return 0;
}

/* nonce=NONCE: LEDCMD_HASH_LEN lowercase hex digits. Never quoted in an
 * error: it is the client's secret. */
static int parse_nonce(const char *p, size_t len, char *out, struct parse_error *e)
{
	if (len != LEDCMD_HASH_LEN || !lower_hex(p, len))
		return FAIL(e, "nonce= must be %d hex digits", LEDCMD_HASH_LEN);
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/* A decimal number word in [min, max], for blink's arguments. */
static int number(const struct word *w, const char *what, long long min, long long max, unsigned *out,
	struct parse_error *e)
{
	char text[24];
	long long v;

	if (w->len >= sizeof(text))
		return FAIL(e, "blink %s '%.*s' is too long a number", what, (int)(w->len > 30 ? 30 : w->len), w->p);
	memcpy(text, w->p, w->len);
	text[w->len] = '\0';
	if (parse_integer(text, min, max, &v, e) < 0) {
		struct parse_error inner = *e;
		return FAIL(e, "blink %s: %.400s", what, inner.msg);
	}
	*out = (unsigned)v;
	return 0;
}

int ledcmd_parse(const char *data, size_t len, struct ledcmd *out, struct parse_error *e)
{
	static const char *const arg_names[] = { "ON_MS", "OFF_MS", "COUNT" };
	struct word w[MAX_WORDS], args[MAX_WORDS];
	size_t n, nargs = 0;

	memset(out, 0, sizeof(*out));
	if (len > LEDCMD_MAX_LEN)
		return FAIL(e, "command is %zu bytes, over the limit of %d", len, LEDCMD_MAX_LEN);
	if (split(data, len, w, &n, e) < 0)
		return -1;
	/* reply= and nonce= first: a refusal of the rest can still be answered */
	for (size_t i = 0; i < n; i++) {
		if (w[i].len >= 6 && strncmp(w[i].p, "reply=", 6) == 0) {
			if (out->reply[0])
				return FAIL(e, "reply= given twice");
			if (parse_reply(w[i].p + 6, w[i].len - 6, out->reply, sizeof(out->reply), e) < 0)
				return -1;
		} else if (w[i].len >= 6 && strncmp(w[i].p, "nonce=", 6) == 0) {
			if (out->nonce[0])
				return FAIL(e, "nonce= given twice");
			if (parse_nonce(w[i].p + 6, w[i].len - 6, out->nonce, e) < 0)
				return -1;
		} else {
			args[nargs++] = w[i];
		}
	}
	if (!out->reply[0] != !out->nonce[0]) {
		bool had_reply = out->reply[0];
		out->reply[0] = out->nonce[0] = '\0';
		return FAIL(e, "%s= without %s=: a reply queue and its nonce go together", had_reply ? "reply" : "nonce",
			had_reply ? "nonce" : "reply");
	}
	if (nargs == 0)
		return FAIL(e, "empty command (on, off, toggle, blink, status or stop)");
	if (!find_verb(&args[0], &out->verb))
		return FAIL(e, "unknown command '%.*s' (on, off, toggle, blink, status or stop)",
			(int)(args[0].len > 40 ? 40 : args[0].len), args[0].p);
	if (out->verb != LEDCMD_BLINK) {
		if (nargs > 1)
			return FAIL(e, "'%s' takes no argument, but '%.*s' followed", verb_names[out->verb],
				(int)(args[1].len > 40 ? 40 : args[1].len), args[1].p);
		return 0;
	}
	if (nargs > 4)
		return FAIL(e, "blink takes at most ON_MS OFF_MS COUNT, but '%.*s' followed",
			(int)(args[4].len > 40 ? 40 : args[4].len), args[4].p);
	out->on_ms = LEDCMD_BLINK_DEFAULT_MS;
	if (nargs > 1 && number(&args[1], arg_names[0], 1, LEDCMD_BLINK_MAX_MS, &out->on_ms, e) < 0)
		return -1;
	out->off_ms = out->on_ms;
	if (nargs > 2 && number(&args[2], arg_names[1], 1, LEDCMD_BLINK_MAX_MS, &out->off_ms, e) < 0)
		return -1;
	if (nargs > 3 && number(&args[3], arg_names[2], 0, LEDCMD_BLINK_MAX_COUNT, &out->count, e) < 0)
		return -1;
	return 0;
}
