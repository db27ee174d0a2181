/* SPDX-License-Identifier: GPL-2.0-or-later */
/* auth.c - nonces and reply names of mqled (see auth.h); SHA-256 is
 * libmd's. */
#include "config.h"
#include "mqled/auth.h"
#include "mqled/protocol.h"

#include <errno.h>
#include <sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static void to_hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

int ledauth_new_nonce(char hex[LEDAUTH_HEX + 1])
{
	uint8_t b[LEDAUTH_BYTES];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		got += (size_t)r;
	}
	to_hex(b, sizeof(b), hex);
	return 0;
}

void ledauth_reply_name(const char *nonce, char *name, size_t len)
{
	char hex[SHA256_DIGEST_STRING_LENGTH];

	/* the hash's first LEDAUTH_BYTES, in lowercase hex */
	SHA256Data((const uint8_t *)nonce, strlen(nonce), hex);
	snprintf(name, len, "%s%.*s", PROTOCOL_REPLY_PREFIX, LEDAUTH_HEX, hex);
}

bool ledauth_reply_matches(const char *name, const char *nonce)
{
	char want[sizeof(PROTOCOL_REPLY_PREFIX) + LEDAUTH_HEX];
	ledauth_reply_name(nonce, want, sizeof(want));
	return strcmp(name, want) == 0;
}
