/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json.c - UTF-8 validation, JSON string quoting and base64 for mqrecv --json. */
#include "config.h"
#include "lib/json.h"
#include "lib/termesc.h"

#include <stdint.h>
#include <string.h>

size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned c = s[0];
	size_t n;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 1;
		v = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		v = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		v = c & 0x07;
	} else
		return 0;
	if (len <= n)
		return 0;
	for (size_t i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 1 && v < 0x80) || (n == 2 && v < 0x800) || (n == 3 && v < 0x10000) || (v >= 0xd800 && v <= 0xdfff) ||
		v > 0x10ffff)
		return 0;
	*cp = v;
	return n + 1;
}

bool utf8_valid(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data, *end = s + len;
	uint32_t cp;

	while (s < end) {
		size_t n = utf8_char(s, (size_t)(end - s), &cp);
		if (!n)
			return false;
		s += n;
	}
	return true;
}

/* \uXXXX for CP, which is in the Basic Multilingual Plane. */
static char *u_escape(char *p, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	*p++ = '\\';
	*p++ = 'u';
	for (int shift = 12; shift >= 0; shift -= 4)
		*p++ = hex[(cp >> shift) & 0xf];
	return p;
}

size_t json_string_size(size_t len)
{
	return len * 6 + 2; /* worst case: every byte as \u00XX */
}

size_t json_string(char *dst, const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	char *p = dst;
	*p++ = '"';
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n = c < 0x80 ? 1 : utf8_char(s + i, len - i, &cp);
		if (c >= 0x80) {
			/* C1 and bidirectional controls as escapes: the same string,
			 * and harmless on a terminal */
			if (n && termesc_unsafe_codepoint(cp))
				p = u_escape(p, cp);
			else {
				n = n ? n : 1; /* not UTF-8: the caller's promise broken, kept as it is */
				memcpy(p, s + i, n);
				p += n;
			}
			i += n;
			continue;
		}
		switch (c) {
		case '"':
			*p++ = '\\';
			*p++ = '"';
			break;
		case '\\':
			*p++ = '\\';
			*p++ = '\\';
			break;
		case '\n':
			*p++ = '\\';
			*p++ = 'n';
			break;
		case '\r':
			*p++ = '\\';
			*p++ = 'r';
			break;
		case '\t':
			*p++ = '\\';
			*p++ = 't';
			break;
		case '\b':
			*p++ = '\\';
			*p++ = 'b';
			break;
		case '\f':
			*p++ = '\\';
			*p++ = 'f';
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				p = u_escape(p, c);
			else
				*p++ = (char)c;
		}
		i++;
	}
	*p++ = '"';
	return (size_t)(p - dst);
}

size_t json_escape_controls(char *dst, const char *json, size_t len)
{
	const unsigned char *s = (const unsigned char *)json;
	char *p = dst;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_char(s + i, len - i, &cp);
		if (!n) /* a byte that is not UTF-8: only inside a string */
			p = u_escape(p, s[i++]);
		else if (cp >= 0x7f && termesc_unsafe_codepoint(cp)) {
			p = u_escape(p, cp);
			i += n;
		} else {
			memcpy(p, s + i, n);
			p += n;
			i += n;
		}
	}
	*p = '\0';
	return (size_t)(p - dst);
}

size_t base64_size(size_t len)
{
	return (len + 2) / 3 * 4;
}

size_t base64_encode(char *dst, const char *data, size_t len)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)data;
	char *p = dst;
	size_t i = 0;

	for (; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		*p++ = alphabet[v >> 18];
		*p++ = alphabet[(v >> 12) & 63];
		*p++ = alphabet[(v >> 6) & 63];
		*p++ = alphabet[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < len ? (uint32_t)s[i + 1] << 8 : 0);
		*p++ = alphabet[v >> 18];
		*p++ = alphabet[(v >> 12) & 63];
		*p++ = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
		*p++ = '=';
	}
	return (size_t)(p - dst);
}
