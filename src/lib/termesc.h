/* SPDX-License-Identifier: GPL-2.0-or-later */
/* termesc.h - the one function that makes bytes from outside (queue names,
 * message data, process names, a controller's answers, input quoted in an
 * error) safe to show on a terminal. Every tool uses it; it is fuzzed
 * (tests/fuzz/fuzz-termesc.c).
 *
 * What is escaped: C0 controls, DEL, C1 controls (raw bytes 0x80-0x9f and
 * U+0080-U+009F), bytes that are not a whole printable character of the
 * locale (in a single-byte locale such as C: every byte 0x80-0xff), and the
 * bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069), which reorder what the terminal shows. Printable text,
 * and printable multibyte characters in a multibyte locale, pass unchanged.
 *
 * The form is strvis(3)'s, so strunvis(3) gives the bytes back: \n \t \r
 * \b \a \v \f, \\ for a backslash, and \ooo (three octal digits) for any
 * other byte, each byte of a multibyte character escaped on its own. */
#ifndef MQTOOLS_TERMESC_H
#define MQTOOLS_TERMESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	/* keep newlines as they are (a diagnostic's own lines) */
	TERMESC_KEEP_NEWLINE = 1,
	/* keep backslashes single: prose for people, where the escaped form
	 * need not be reversible */
	TERMESC_KEEP_BACKSLASH = 2,
};

/* Room termesc() needs for LEN bytes of input, with the NUL it adds. */
#define TERMESC_SIZE(len) (4 * (size_t)(len) + 1)

/* Write S (LEN bytes, any bytes) escaped into DST, which has room for
 * TERMESC_SIZE(LEN) bytes, and a NUL after it; returns the length written
 * (without the NUL). Reads exactly LEN bytes of S, never the one after. */
size_t termesc(char *dst, const char *s, size_t len, unsigned flags);

/* The NUL-terminated string S escaped in new memory (free it), or NULL
 * when out of memory. */
char *termesc_dup(const char *s, unsigned flags);

/* S escaped into BUF of SIZE bytes (at least 1), NUL-terminated: as much
 * of it as fits, cut between two escapes or characters, never inside one.
 * Returns BUF, for a printf argument. */
const char *termesc_str(char *buf, size_t size, const char *s, unsigned flags);

/* Whether code point CP must never reach a terminal as it is: a C0 or C1
 * control, DEL, or a bidirectional control. */
bool termesc_unsafe_codepoint(uint32_t cp);

#endif
