/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/mqled/protocol.c src/lib/parse.c
 * fuzz-protocol.c - mqled's command parser (led/protocol.c): whatever bytes
 * arrive on the controller's queue reach it. It must either refuse with a
 * message, or give a command whose values are inside their bounds; any
 * reply address it gives is one of the two forms a controller may write to,
 * refused command or not. */
#include "config.h"
#include "mqled/protocol.h"
#include "fuzz.h"

static void check_reply(const struct protocol_command *cmd)
{
	size_t len = strnlen(cmd->reply, sizeof(cmd->reply));
	CHECK(len < sizeof(cmd->reply));
	if (len)
		CHECK(strncmp(cmd->reply, PROTOCOL_REPLY_PREFIX, strlen(PROTOCOL_REPLY_PREFIX)) == 0 ||
			strncmp(cmd->reply, "key:", 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct protocol_command cmd;
	struct parse_error e;

	e.msg[0] = '\0';
	/* not NUL-terminated, as a message off a queue is not */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (protocol_parse(copy, size, &cmd, &e) == 0) {
		CHECK(cmd.verb <= PROTOCOL_VERB_LAST);
		CHECK(protocol_verb_name(cmd.verb) != NULL);
		if (cmd.verb == PROTOCOL_BLINK) {
			CHECK(cmd.on_ms >= 1 && cmd.on_ms <= PROTOCOL_BLINK_MAX_MS);
			CHECK(cmd.off_ms >= 1 && cmd.off_ms <= PROTOCOL_BLINK_MAX_MS);
			CHECK(cmd.count <= PROTOCOL_BLINK_MAX_COUNT);
		}
		if (cmd.verb == PROTOCOL_PULSE)
			CHECK(cmd.on_ms >= 1 && cmd.on_ms <= PROTOCOL_BLINK_MAX_MS);
		if (cmd.verb == PROTOCOL_PATTERN) {
			/* on/off pairs, each in bounds: what the controller indexes */
			CHECK(cmd.n_ms >= 2 && cmd.n_ms <= PROTOCOL_PATTERN_MAX && cmd.n_ms % 2 == 0);
			for (unsigned i = 0; i < cmd.n_ms; i++)
				CHECK(cmd.ms[i] >= 1 && cmd.ms[i] <= PROTOCOL_BLINK_MAX_MS);
			CHECK(cmd.count <= PROTOCOL_BLINK_MAX_COUNT);
		}
		/* an LED's name is a name, never a verb, and never with stop */
		if (cmd.led[0])
			CHECK(protocol_valid_name(cmd.led, strlen(cmd.led)) && cmd.verb != PROTOCOL_STOP);
		if (cmd.verb == PROTOCOL_BRIGHTNESS)
			CHECK(!cmd.percent || cmd.level <= 100);
	} else {
		CHECK(e.msg[0]);
		/* the reason is logged and sent to the client: printable ASCII only */
		for (const char *p = e.msg; *p; p++)
			CHECK(*p >= 0x20 && *p < 0x7f);
	}
	check_reply(&cmd);
	free(copy);
	return 0;
}
