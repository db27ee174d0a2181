/* SPDX-License-Identifier: GPL-2.0-or-later */
/* protocol.h - the command language of mqled: one plain-text message is one
 * command, so `mqsend /mqled on` works as well as the mqled client.
 *
 *   on | off | toggle | status | stop | exit (= stop)
 *   blink [ON_MS [OFF_MS [COUNT]]]
 *   pulse MS                        on for MS, then off
 *   pattern MS,MS[,MS,MS...] [COUNT] on, off, on, off... COUNT times (0: for ever)
 *   brightness N | N%               a kernel LED's level (0 = off)
 *
 * Every verb but stop may be preceded by the name of one of the
 * controller's LEDs (-L NAME=SPEC): NAME on, NAME blink 100; without it the
 * command is for every LED.
 *
 * optionally followed by  reply=/mqled-reply-HASH nonce=NONCE , the client's
 * private reply queue and the secret that proves it is the client's (see
 * auth.h and mqled(1), SECURITY). Words are separated by spaces or tabs; one
 * trailing NUL (a C string sent whole) and a trailing newline are allowed;
 * verbs are case-insensitive, so Home Assistant's payloads ON and OFF (an
 * MQTT light's defaults, mqled(1), MQTT) are the verbs on and off.
 *
 * The parser is PURE: no I/O, no allocation, no global state. It is a fuzz
 * target, tests/fuzz/fuzz-protocol.c (whatever bytes arrive on the queue reach
 * it), and the client uses it to check a command before sending it. */
#ifndef MQTOOLS_LED_PROTOCOL_H
#define MQTOOLS_LED_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/parse.h"

enum protocol_verb {
	PROTOCOL_ON,
	PROTOCOL_OFF,
	PROTOCOL_TOGGLE,
	PROTOCOL_BLINK,
	PROTOCOL_STATUS,
	PROTOCOL_STOP,
	PROTOCOL_PULSE,
	PROTOCOL_PATTERN,
	PROTOCOL_BRIGHTNESS,
};
#define PROTOCOL_VERB_LAST PROTOCOL_BRIGHTNESS

/* The controller's queue unless told otherwise, and the system user
 * dist/mqled.service runs it as: what client and controller agree on. */
#define PROTOCOL_DEFAULT_QUEUE "/mqled"
#define PROTOCOL_SERVICE_USER "mqled"

/* Defaults and bounds of blink's arguments. */
#define PROTOCOL_BLINK_DEFAULT_MS 500
#define PROTOCOL_BLINK_MAX_MS 3600000 /* an hour */
#define PROTOCOL_BLINK_MAX_COUNT 1000000
/* pattern: at most this many durations, an even number (on/off pairs) */
#define PROTOCOL_PATTERN_MAX 32
/* brightness N: a kernel LED's max_brightness is an int */
#define PROTOCOL_BRIGHTNESS_MAX 2147483647
/* A command is short; anything longer is refused unread. */
#define PROTOCOL_MAX_LEN 512
/* An LED's name: a letter, then letters, digits, '-' or '_'; not a verb. */
#define PROTOCOL_NAME_MAX 31
/* The longest answer a controller sends ("ok ..." or "error ..."). */
#define PROTOCOL_ANSWER_MAX 1024

/* Reply queues a controller will write to: a POSIX name, this prefix and
 * PROTOCOL_HASH_LEN lowercase hex digits (for a System V controller too), and
 * only with the nonce behind the digits (auth.h). Anything else is
 * refused, so that a command cannot make the controller write into a queue
 * its sender did not make. */
#define PROTOCOL_REPLY_PREFIX "/mqled-reply-"
#define PROTOCOL_HASH_LEN 32

struct protocol_command {
	enum protocol_verb verb;
	unsigned on_ms, off_ms;            /* blink */
	unsigned count;                    /* blink, pattern: number of cycles, 0 = until told otherwise */
	unsigned ms[PROTOCOL_PATTERN_MAX]; /* pattern: on, off, on, off... */
	unsigned n_ms;
	unsigned level;                    /* brightness: N, or a percentage */
	bool percent;                      /* brightness N% */
	char led[PROTOCOL_NAME_MAX + 1];   /* the LED it is for, "" = every one */
	char reply[64];                    /* reply=/mqled-reply-HASH, "" when none */
	char nonce[PROTOCOL_HASH_LEN + 1]; /* nonce=NONCE, "" when none */
};

/* Parse the LEN bytes at DATA (not NUL-terminated). 0, or -1 with the
 * reason in E. Even on failure, OUT->reply and OUT->nonce hold what the
 * message carried of them when well formed, so that the refusal can be
 * answered. The parser checks their form only; whether the nonce is that
 * reply queue's is ledauth_reply_matches(). A reply= without nonce= (or
 * the other way round) is an error. */
int protocol_parse(const char *data, size_t len, struct protocol_command *out, struct parse_error *e);

/* Whether NAME (LEN bytes) is an LED name as above. */
bool protocol_valid_name(const char *name, size_t len);

/* The verb's word, for logs and replies. */
const char *protocol_verb_name(enum protocol_verb verb);

#endif
