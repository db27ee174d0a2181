/* SPDX-License-Identifier: GPL-2.0-or-later */
/* json.h - the small JSON pieces mqrecv needs (mqstat uses libsmartcols). */
#ifndef MQTOOLS_JSON_H
#define MQTOOLS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of the well-formed UTF-8 character at S (at most LEN bytes,
 * LEN >= 1), with its code point in *CP; 0 if there is none (no overlongs,
 * no surrogates, nothing past U+10FFFF). */
size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp);
/* Whether DATA is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *data, size_t len);
/* Append to DST (room for json_string_size bytes) a quoted JSON string of
 * DATA, which must be valid UTF-8; returns bytes written. Controls, DEL,
 * and the C1 and bidirectional controls are written as \u escapes. */
size_t json_string(char *dst, const char *data, size_t len);
size_t json_string_size(size_t len);
/* JSON text JSON (LEN bytes, from a writer that leaves UTF-8 as it is) made
 * safe for a terminal without changing what it means: DEL, C1 and
 * bidirectional controls inside strings become \u escapes, and so does a
 * byte that is not UTF-8 (read as U+0080-U+00FF, the only meaning JSON can
 * give it). DST has room for 6 * LEN + 1 bytes; NUL-terminated; returns
 * the length. */
size_t json_escape_controls(char *dst, const char *json, size_t len);
/* Append base64 (RFC 4648, padded) of DATA; returns bytes written. */
size_t base64_encode(char *dst, const char *data, size_t len);
size_t base64_size(size_t len);

#endif
