/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/lib/termesc.c
 * fuzz-termesc.c - the one escaping function for terminals (lib/termesc.c),
 * in the C locale and in C.UTF-8, with each set of flags.
 *
 * Input: one byte of options (locale, flags), then the bytes to escape.
 * Checked, on any bytes:
 * - the output holds no C0 control (but a newline, when kept), no DEL, no
 *   C1 control (a raw byte 0x80-0x9f, or U+0080-U+009F in UTF-8), no
 *   bidirectional control (U+061C, U+200E, U+200F, U+202A-U+202E,
 *   U+2066-U+2069), and no byte that is not part of a valid character; in
 *   the C locale it is printable ASCII only;
 * - it stays within TERMESC_SIZE and ends with a NUL, and depends on the
 *   LEN bytes only, not on what follows them in memory;
 * - without TERMESC_KEEP_BACKSLASH, strunvis gives the input back;
 * - text that is already safe (printable characters of the locale, no
 *   control, no bidi control, and no backslash unless backslashes are
 *   kept) passes through unchanged. */
#include "config.h"
#include "lib/termesc.h"
#include "fuzz.h"

#include <locale.h>
#include <wchar.h>
#include <wctype.h>
#define LIBBSD_NETBSD_VIS 1
#include <vis.h>

static locale_t utf8_locale, c_locale;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	c_locale = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
	if (!utf8_locale || !c_locale)
		abort();
	return 0;
}

/* Independent UTF-8 decoding (RFC 3629 ranges): the length of the
 * character at S, its code point in *CP; 0 when there is none. */
static size_t decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint8_t c = s[0], lo = 0x80, hi = 0xbf;
	size_t k;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		k = 1;
	else if (c == 0xe0) {
		k = 2;
		lo = 0xa0;
	} else if (c >= 0xe1 && c <= 0xec)
		k = 2;
	else if (c == 0xed) {
		k = 2;
		hi = 0x9f;
	} else if (c >= 0xee && c <= 0xef)
		k = 2;
	else if (c == 0xf0) {
		k = 3;
		lo = 0x90;
	} else if (c >= 0xf1 && c <= 0xf3)
		k = 3;
	else if (c == 0xf4) {
		k = 3;
		hi = 0x8f;
	} else
		return 0;
	if (n <= k || s[1] < lo || s[1] > hi)
		return 0;
	uint32_t v = c & (0x3f >> k);
	for (size_t j = 1; j <= k; j++) {
		if ((s[j] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[j] & 0x3f);
	}
	*cp = v;
	return k + 1;
}

/* The list of the issue, written out again rather than taken from termesc.h. */
static bool control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
		(cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Whether OUT is safe to show: see the top of the file. */
static void check_safe(const uint8_t *out, size_t n, bool utf8, bool keep_newline)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8 ? decode(out + i, n - i, &cp) : (out[i] < 0x80 ? (cp = out[i], 1) : 0);
		CHECK(k > 0);
		CHECK(!control(cp) || (keep_newline && cp == '\n'));
		i += k;
	}
}

/* Whether IN is text that must pass unchanged. */
static bool already_safe(const uint8_t *in, size_t n, bool utf8, bool keep_backslash)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8 ? decode(in + i, n - i, &cp) : (in[i] < 0x80 ? (cp = in[i], 1) : 0);
		if (!k || control(cp) || (cp == '\\' && !keep_backslash) || !iswprint((wint_t)cp))
			return false;
		i += k;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool utf8 = data[0] & 1;
	unsigned flags = (data[0] & 2 ? TERMESC_KEEP_NEWLINE : 0) | (data[0] & 4 ? TERMESC_KEEP_BACKSLASH : 0);
	const uint8_t *in = data + 1;
	size_t n = size - 1;
	uselocale(utf8 ? utf8_locale : c_locale);

	/* the input followed in memory by bytes that would complete a character */
	uint8_t *copy = malloc(n + 4);
	CHECK(copy);
	if (n)
		memcpy(copy, in, n);
	memset(copy + n, 0x80, 4);
	char *out = malloc(TERMESC_SIZE(n));
	CHECK(out);
	size_t len = termesc(out, (const char *)copy, n, flags);
	CHECK(len < TERMESC_SIZE(n) && out[len] == '\0');
	CHECK(strlen(out) == len); /* no NUL inside */
	check_safe((const uint8_t *)out, len, utf8, flags & TERMESC_KEEP_NEWLINE);

	if (!(flags & (TERMESC_KEEP_BACKSLASH | TERMESC_KEEP_NEWLINE))) {
		char *back = malloc(len + 1);
		CHECK(back);
		int blen = strunvis(back, out);
		CHECK(blen >= 0 && (size_t)blen == n && (n == 0 || !memcmp(back, in, n)));
		free(back);
	}
	if (already_safe(in, n, utf8, flags & TERMESC_KEEP_BACKSLASH))
		CHECK(len == n && (n == 0 || !memcmp(out, in, n)));

	/* termesc_str (of the input as a C string) cuts whole: a prefix of
	 * the full escape, never half of one */
	char small[17], *str = fuzz_string(in, n);
	termesc_str(small, sizeof(small), str, flags);
	CHECK(strlen(small) <= len && !strncmp(small, out, strlen(small)));
	free(str);
	free(out);
	free(copy);
	return 0;
}
