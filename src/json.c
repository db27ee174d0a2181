/* json.c - UTF-8 validation, JSON string quoting and base64 for mqrecv --json. */
#include "config.h"
#include "json.h"

#include <stdint.h>
#include <stdio.h>

bool utf8_valid(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data, *end = s + len;

	while (s < end) {
		unsigned c = *s;
		size_t n;
		uint32_t cp;
		if (c < 0x80) { s++; continue; }
		else if ((c & 0xe0) == 0xc0) { n = 1; cp = c & 0x1f; }
		else if ((c & 0xf0) == 0xe0) { n = 2; cp = c & 0x0f; }
		else if ((c & 0xf8) == 0xf0) { n = 3; cp = c & 0x07; }
		else return false;
		if ((size_t)(end - s) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		/* overlong forms, surrogates, past U+10FFFF */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		s += n + 1;
	}
	return true;
}

size_t json_string_size(size_t len)
{
	return len * 6 + 2; /* worst case: every byte as \u00XX */
}

size_t json_string(char *dst, const char *data, size_t len)
{
	char *p = dst;
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		switch (c) {
		case '"': *p++ = '\\'; *p++ = '"'; break;
		case '\\': *p++ = '\\'; *p++ = '\\'; break;
		case '\n': *p++ = '\\'; *p++ = 'n'; break;
		case '\r': *p++ = '\\'; *p++ = 'r'; break;
		case '\t': *p++ = '\\'; *p++ = 't'; break;
		case '\b': *p++ = '\\'; *p++ = 'b'; break;
		case '\f': *p++ = '\\'; *p++ = 'f'; break;
		default:
			if (c < 0x20 || c == 0x7f)
				p += sprintf(p, "\\u%04x", c);
			else
				*p++ = (char)c;
		}
	}
	*p++ = '"';
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
