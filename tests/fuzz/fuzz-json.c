/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/lib/json.c src/lib/termesc.c
 * fuzz-json.c - mqrecv --json's pieces (lib/json.c): the UTF-8 check
 * against an independent decoder, JSON strings decoded back to the input
 * and free of raw C1 and bidirectional controls, base64 decoded back to
 * the input, all within their size bounds; and json_escape_controls (for
 * mqstat -J) leaving valid UTF-8 with no such control, ASCII unchanged. */
#include "config.h"
#include "lib/json.h"
#include "lib/termesc.h"
#include "fuzz.h"

/* Independent UTF-8 check: decode code points by their ranges (RFC 3629). */
static bool reference_utf8(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		size_t k;
		uint8_t lo = 0x80, hi = 0xbf;
		if (c <= 0x7f) {
			i++;
			continue;
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
			return false;
		if (n - i <= k)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t j = 2; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k + 1;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the JSON string at J (J[0] is '"', length JLEN) into OUT; returns
 * the decoded length. Only the escapes json_string may produce are taken. */
static size_t json_decode(const char *j, size_t jlen, uint8_t *out)
{
	size_t o = 0;
	CHECK(jlen >= 2 && j[0] == '"' && j[jlen - 1] == '"');
	for (size_t i = 1; i < jlen - 1; i++) {
		unsigned char c = (unsigned char)j[i];
		CHECK(c >= 0x20 && c != 0x7f && c != '"'); /* raw controls are not JSON */
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		CHECK(i + 1 < jlen - 1);
		switch (j[++i]) {
		case '"': out[o++] = '"'; break;
		case '\\': out[o++] = '\\'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'u': {
			CHECK(i + 4 < jlen - 1);
			int v = 0;
			for (int k = 1; k <= 4; k++) {
				int h = hexval(j[i + k]);
				CHECK(h >= 0);
				v = v * 16 + h;
			}
			/* single bytes, and the C1 and bidirectional controls */
			CHECK(v < 0x80 || termesc_unsafe_codepoint((uint32_t)v));
			if (v < 0x80)
				out[o++] = (uint8_t)v;
			else if (v < 0x800) {
				out[o++] = (uint8_t)(0xc0 | v >> 6);
				out[o++] = (uint8_t)(0x80 | (v & 0x3f));
			} else {
				out[o++] = (uint8_t)(0xe0 | v >> 12);
				out[o++] = (uint8_t)(0x80 | ((v >> 6) & 0x3f));
				out[o++] = (uint8_t)(0x80 | (v & 0x3f));
			}
			i += 4;
			break;
		}
		default: CHECK(!"unknown escape");
		}
	}
	return o;
}

static size_t base64_decode(const char *s, size_t n, uint8_t *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	CHECK(n % 4 == 0);
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			const char *p = s[i + k] == '=' ? NULL : strchr(alphabet, s[i + k]);
			CHECK(p || (s[i + k] == '=' && i + 4 == n && k >= 2));
			if (!p)
				pad++;
			else
				CHECK(pad == 0);
			v = v << 6 | (p ? (uint32_t)(p - alphabet) : 0);
		}
		out[o++] = (uint8_t)(v >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(v >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)v;
	}
	return o;
}

/* Whether valid UTF-8 S holds a C1 or bidirectional control, or DEL. */
static bool has_unsafe_raw(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp = s[i];
		size_t k = 1;
		if (cp >= 0xf0) {
			cp &= 0x07;
			k = 4;
		} else if (cp >= 0xe0) {
			cp &= 0x0f;
			k = 3;
		} else if (cp >= 0xc0) {
			cp &= 0x1f;
			k = 2;
		}
		for (size_t j = 1; j < k; j++)
			cp = cp << 6 | (s[i + j] & 0x3f);
		if (cp >= 0x7f && termesc_unsafe_codepoint(cp))
			return true;
		i += k;
	}
	return false;
}

static void check_escape_controls(const uint8_t *data, size_t size)
{
	char *out = malloc(6 * size + 1);
	CHECK(out);
	size_t n = json_escape_controls(out, (const char *)data, size);
	CHECK(n <= 6 * size && out[n] == '\0');
	CHECK(reference_utf8((const uint8_t *)out, n));
	CHECK(!has_unsafe_raw((const uint8_t *)out, n));
	bool ascii = true;
	for (size_t i = 0; i < size; i++)
		ascii &= data[i] < 0x7f;
	CHECK(!ascii || (n == size && (size == 0 || !memcmp(out, data, size))));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_escape_controls(data, size);
	const char *s = (const char *)data;
	bool valid = utf8_valid(s, size);
	CHECK(valid == reference_utf8(data, size));

	uint8_t *back = malloc(size + 1);
	CHECK(back);
	if (valid) {
		size_t cap = json_string_size(size);
		char *j = malloc(cap);
		CHECK(j);
		size_t jlen = json_string(j, s, size);
		CHECK(jlen <= cap);
		CHECK(!has_unsafe_raw((const uint8_t *)j, jlen));
		size_t blen = json_decode(j, jlen, back);
		CHECK(blen == size && (size == 0 || !memcmp(back, data, size)));
		free(j);
	}
	size_t cap = base64_size(size);
	char *b = malloc(cap + 1);
	CHECK(b);
	size_t blen = base64_encode(b, s, size);
	CHECK(blen == cap);
	CHECK(base64_decode(b, blen, back) == size && (size == 0 || !memcmp(back, data, size)));
	free(b);
	free(back);
	return 0;
}
