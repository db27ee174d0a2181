/* ledcmd.h - the command language of mqled: one plain-text message is one
 * command, so `mqsend /mqled on` works as well as the mqled client.
 *
 *   on | off | toggle | status | stop
 *   blink [ON_MS [OFF_MS [COUNT]]]
 *
 * optionally followed by  reply=ADDRESS , the client's private reply queue
 * (see mqled(1)). Words are separated by spaces or tabs; a trailing newline
 * is allowed; verbs are case-insensitive.
 *
 * The parser is PURE: no I/O, no allocation, no global state. It is a fuzz
 * target, tests/fuzz/fuzz-ledcmd.c (whatever bytes arrive on the queue reach
 * it), and the client uses it to check a command before sending it. */
#ifndef MQTOOLS_LEDCMD_H
#define MQTOOLS_LEDCMD_H

#include <stdbool.h>
#include <stddef.h>
#include "parse.h"

enum ledcmd_verb { LEDCMD_ON, LEDCMD_OFF, LEDCMD_TOGGLE, LEDCMD_BLINK, LEDCMD_STATUS, LEDCMD_STOP };

/* Defaults and bounds of blink's arguments. */
#define LEDCMD_BLINK_DEFAULT_MS 500
#define LEDCMD_BLINK_MAX_MS 3600000   /* an hour */
#define LEDCMD_BLINK_MAX_COUNT 1000000
/* A command is short; anything longer is refused unread. */
#define LEDCMD_MAX_LEN 512
/* The longest answer a controller sends ("ok ..." or "error ..."). */
#define LEDCMD_ANSWER_MAX 1024

/* Reply queues a controller will write to: a POSIX name with this prefix, or
 * a System V key in [LEDCMD_REPLY_KEY_MIN, LEDCMD_REPLY_KEY_MAX]. Anything
 * else is refused, so that a command cannot make the controller write into
 * an arbitrary queue. */
#define LEDCMD_REPLY_PREFIX "/mqled-reply-"
#define LEDCMD_REPLY_KEY_MIN 0x6d000000UL
#define LEDCMD_REPLY_KEY_MAX 0x74ffffffUL

struct ledcmd {
	enum ledcmd_verb verb;
	unsigned on_ms, off_ms; /* blink */
	unsigned count;         /* blink: number of on+off cycles, 0 = until told otherwise */
	char reply[64];         /* reply=ADDRESS, "" when none */
};

/* Parse the LEN bytes at DATA (not NUL-terminated). 0, or -1 with the
 * reason in E. Even on failure, OUT->reply holds a valid reply address when
 * the message carried one, so that the refusal can be answered. */
int ledcmd_parse(const char *data, size_t len, struct ledcmd *out, struct parse_error *e);

/* The verb's word, for logs and replies. */
const char *ledcmd_verb_name(enum ledcmd_verb verb);

#endif
