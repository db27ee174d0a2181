/* SPDX-License-Identifier: GPL-2.0-or-later */
/* auth.h - what makes an mqled answer genuine and a reply queue the
 * client's own (mqled(1), SECURITY).
 *
 * The client draws a secret NONCE (128 random bits) for each command and
 * names its reply queue after a one-way function of it:
 *     reply=/mqled-reply-HASH nonce=NONCE     HASH = SHA-256(NONCE), cut to 128 bits
 * (libmd's SHA-256)
 * The command travels on the controller's queue, which only the controller
 * may read, so only the client and the controller know NONCE:
 * - the controller writes only into the queue named HASH(NONCE) for the
 *   NONCE it was given; a queue whose name another user saw in /dev/mqueue
 *   cannot be named by a command, since that needs the NONCE behind it;
 * - every answer starts with "nonce=NONCE ", and the client ignores any
 *   message that does not, so an answer written by anyone else is never
 *   taken for the controller's. */
#ifndef MQTOOLS_LEDAUTH_H
#define MQTOOLS_LEDAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEDAUTH_BYTES 16                /* nonce and name hash */
#define LEDAUTH_HEX (2 * LEDAUTH_BYTES) /* their length in hex */

/* A fresh nonce from getrandom(2), as LEDAUTH_HEX hex digits and a NUL.
 * 0 or -errno. */
int ledauth_new_nonce(char hex[LEDAUTH_HEX + 1]);

/* The reply queue's name for NONCE (LEDAUTH_HEX hex digits): the
 * prefix, then the hash in hex. */
void ledauth_reply_name(const char *nonce, char *name, size_t len);

/* Whether NAME is the reply queue of NONCE. */
bool ledauth_reply_matches(const char *name, const char *nonce);

#endif
