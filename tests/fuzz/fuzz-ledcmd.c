/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: led/protocol.c lib/parse.c
 * fuzz-ledcmd.c - mqled's command parser (led/protocol.c): whatever bytes
 * arrive on the controller's queue reach it. It must either refuse with a
 * message, or give a command whose values are inside their bounds; any
 * reply address it gives is one of the two forms a controller may write to,
 * refused command or not. */
#include "config.h"
#include "led/protocol.h"
#include "fuzz.h"

static void check_reply(const struct ledcmd *cmd)
{
	size_t len = strnlen(cmd->reply, sizeof(cmd->reply));
	CHECK(len < sizeof(cmd->reply));
	if (len)
		CHECK(strncmp(cmd->reply, LEDCMD_REPLY_PREFIX, strlen(LEDCMD_REPLY_PREFIX)) == 0 ||
		      strncmp(cmd->reply, "key:", 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ledcmd cmd;
	struct parse_error e;

	e.msg[0] = '\0';
	/* not NUL-terminated, as a message off a queue is not */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (ledcmd_parse(copy, size, &cmd, &e) == 0) {
		CHECK(cmd.verb <= LEDCMD_VERB_LAST);
		CHECK(ledcmd_verb_name(cmd.verb) != NULL);
		if (cmd.verb == LEDCMD_BLINK) {
			CHECK(cmd.on_ms >= 1 && cmd.on_ms <= LEDCMD_BLINK_MAX_MS);
			CHECK(cmd.off_ms >= 1 && cmd.off_ms <= LEDCMD_BLINK_MAX_MS);
			CHECK(cmd.count <= LEDCMD_BLINK_MAX_COUNT);
		}
		if (cmd.verb == LEDCMD_PULSE)
			CHECK(cmd.on_ms >= 1 && cmd.on_ms <= LEDCMD_BLINK_MAX_MS);
		if (cmd.verb == LEDCMD_PATTERN) {
			/* on/off pairs, each in bounds: what the controller indexes */
			CHECK(cmd.n_ms >= 2 && cmd.n_ms <= LEDCMD_PATTERN_MAX && cmd.n_ms % 2 == 0);
			for (unsigned i = 0; i < cmd.n_ms; i++)
				CHECK(cmd.ms[i] >= 1 && cmd.ms[i] <= LEDCMD_BLINK_MAX_MS);
			CHECK(cmd.count <= LEDCMD_BLINK_MAX_COUNT);
		}
		/* an LED's name is a name, never a verb, and never with stop */
		if (cmd.led[0])
			CHECK(ledcmd_valid_name(cmd.led, strlen(cmd.led)) && cmd.verb != LEDCMD_STOP);
		if (cmd.verb == LEDCMD_BRIGHTNESS)
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
