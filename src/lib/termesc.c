/* SPDX-License-Identifier: GPL-2.0-or-later */
/* termesc.c - escaping for the terminal (see termesc.h). Written here
 * rather than with strnvisx: libbsd 0.11's garbles a whole string once one
 * byte of it is not a character of the locale (a code point is then written
 * truncated to a byte, so U+1B5B comes out as ESC '['), completes a
 * character cut at the end of the buffer from the bytes after it, and lets
 * the bidirectional controls through as printable. */
#include "config.h"
#include "lib/termesc.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

bool termesc_unsafe_codepoint(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c /* ARABIC LETTER MARK */
		|| cp == 0x200e || cp == 0x200f                        /* LRM, RLM */
		|| (cp >= 0x202a && cp <= 0x202e)                      /* LRE RLE PDF LRO RLO */
		|| (cp >= 0x2066 && cp <= 0x2069);                     /* LRI RLI FSI PDI */
}

static char *octal(char *p, unsigned char c)
{
	*p++ = '\\';
	*p++ = (char)('0' + (c >> 6));
	*p++ = (char)('0' + ((c >> 3) & 7));
	*p++ = (char)('0' + (c & 7));
	return p;
}

/* One ASCII byte C, escaped or not. */
static char *ascii(char *p, unsigned char c, unsigned flags)
{
	static const char cstyle[][2] = {
		{ '\n', 'n' },
		{ '\t', 't' },
		{ '\r', 'r' },
		{ '\b', 'b' },
		{ '\a', 'a' },
		{ '\v', 'v' },
		{ '\f', 'f' },
	};
	if (c == '\n' && (flags & TERMESC_KEEP_NEWLINE)) {
		*p++ = '\n';
		return p;
	}
	if (c == '\\') {
		*p++ = '\\';
		if (!(flags & TERMESC_KEEP_BACKSLASH))
			*p++ = '\\';
		return p;
	}
	if (c >= 0x20 && c < 0x7f) {
		*p++ = (char)c;
		return p;
	}
	for (size_t i = 0; i < sizeof(cstyle) / sizeof(cstyle[0]); i++) {
		if (cstyle[i][0] == (char)c) {
			*p++ = '\\';
			*p++ = cstyle[i][1];
			return p;
		}
	}
	return octal(p, c);
}

/* The length of the printable, safe multibyte character at S (of at most
 * LEN bytes) in the current locale, or 0 when its first byte is to be
 * escaped. */
static size_t safe_character(const char *s, size_t len)
{
	mbstate_t state;
	wchar_t wc;

	if (MB_CUR_MAX == 1)
		return 0; /* C and single-byte locales: 0x80-0xff may be C1 */
	memset(&state, 0, sizeof(state));
	size_t k = mbrtowc(&wc, s, len, &state);
	if (k == 0 || k > len) /* a NUL, (size_t)-1 invalid, -2 cut short */
		return 0;
	if (!iswprint((wint_t)wc) || termesc_unsafe_codepoint((uint32_t)wc))
		return 0;
	return k;
}

/* Escape S into DST, stopping before the first piece (a byte's escape, a
 * whole character) that would not fit in CAP bytes with the NUL. */
static size_t escape(char *dst, size_t cap, const char *s, size_t len, unsigned flags)
{
	char *p = dst, *end = dst + cap - 1, piece[4];
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 0 : safe_character(s + i, len - i), n;
		if (k) {
			if ((size_t)(end - p) < k)
				break;
			memcpy(p, s + i, k);
			p += k;
			i += k;
			continue;
		}
		n = (size_t)((c < 0x80 ? ascii(piece, c, flags) : octal(piece, c)) - piece);
		if ((size_t)(end - p) < n)
			break;
		memcpy(p, piece, n);
		p += n;
		i++;
	}
	*p = '\0';
	return (size_t)(p - dst);
}

size_t termesc(char *dst, const char *s, size_t len, unsigned flags)
{
	return escape(dst, TERMESC_SIZE(len), s, len, flags);
}

char *termesc_dup(const char *s, unsigned flags)
{
	size_t len = strlen(s);
	char *d = malloc(TERMESC_SIZE(len));
	if (d)
		termesc(d, s, len, flags);
	return d;
}

const char *termesc_str(char *buf, size_t size, const char *s, unsigned flags)
{
	escape(buf, size, s, strlen(s), flags);
	return buf;
}
