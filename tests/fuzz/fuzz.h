/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz.h - what every mqtools libFuzzer target shares: the entry point's
 * prototype, a NUL-terminated copy of the input, and a check that aborts
 * (so libFuzzer records the input) when a property of the code under test
 * does not hold. */
#ifndef MQTOOLS_FUZZ_H
#define MQTOOLS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* clang-format off */
#define CHECK(cond)                                                                         \
	do {                                                                                    \
		if (!(cond)) {                                                                      \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);      \
			abort();                                                                        \
		}                                                                                   \
	} while (0)
/* clang-format on */

/* The input as a C string (the parsers take argv strings, which cannot
 * hold a NUL: the string ends at the first one). Free it after use. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
