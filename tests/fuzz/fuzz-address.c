/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/lib/address.c src/lib/url.c src/lib/amqp-url.c src/lib/mqtt-url.c src/lib/parse.c
 * fuzz-address.c - queue addresses (lib/address.c). A parsed address must
 * be well formed, and its canonical text must parse back to the same queue. */
#include "config.h"
#include "lib/address.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_address a, b;
	struct parse_error e;
	char text[NAME_MAX + 32];
	char *s = fuzz_string(data, size);

	e.msg[0] = '\0';
	if (address_parse(s, &a, &e) == 0) {
		if (a.form == ADDR_URL) {
			/* a network URL is kept as given, for its backend to split */
			CHECK((a.kind == QUEUE_AMQP || a.kind == QUEUE_MQTT) && a.url == s);
			free(s);
			return 0;
		}
		address_format(&a, text, sizeof(text));
		if (a.kind == QUEUE_POSIX) {
			size_t len = strlen(a.name);
			CHECK(a.name[0] == '/' && len >= 2 && len - 1 <= NAME_MAX);
			CHECK(!strchr(a.name + 1, '/'));
			CHECK(!strcmp(text, s));
		} else if (a.form == ADDR_SYSV_ID) {
			CHECK(a.id >= 0);
		}
		CHECK(address_parse(text, &b, &e) == 0);
		CHECK(b.kind == a.kind);
		if (a.kind == QUEUE_POSIX)
			CHECK(!strcmp(a.name, b.name));
		else if (a.form == ADDR_SYSV_ID)
			CHECK(b.form == ADDR_SYSV_ID && b.id == a.id);
		else
			CHECK(b.form == ADDR_SYSV_KEY && b.key == a.key);
	} else {
		CHECK(e.msg[0]);
	}
	free(s);
	return 0;
}
