/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/tools/msgout.c src/lib/grow.c src/lib/json.c src/lib/termesc.c src/lib/signals.c src/lib/mqtt-url.c src/lib/url.c src/lib/parse.c
 * fuzz-msgout.c - mqrecv's output (tools/msgout.c), in the C locale and in
 * C.UTF-8 (mqrecv takes the terminal's locale on a tty).
 *
 * Input: one byte of options (format, escape, closed reader, kind,
 * locale), then messages, each a length byte and that many bytes. Checked:
 * - plain output is the messages and separators, byte for byte;
 * - escaped output holds no byte a terminal would act on (C0 controls,
 *   DEL, C1 controls raw or UTF-8 encoded) but the separators; in the C
 *   locale it unescapes to the messages; in C.UTF-8 it depends on the
 *   messages' bytes only, not on what follows them in memory;
 * - JSON output is one line per message with no raw control bytes;
 * - when the reader is gone, every message is pending, bytes intact, to go
 *   back on the queue. */
#include "config.h"
#include "tools/msgout.h"
#include "lib/json.h"
#include "fuzz.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS 1
#include <vis.h>

#define MAX_MSGS 64

static locale_t utf8_locale, c_locale;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	c_locale = newlocale(LC_CTYPE_MASK, "C", (locale_t)0);
	if (!utf8_locale || !c_locale)
		abort();
	return 0;
}

/* No byte a terminal acts on but the separators: C0 controls, DEL, and C1
 * controls U+0080..U+009F (CSI is U+009B), raw or UTF-8 encoded. A byte
 * that is not UTF-8 and not C1 (0xa0..0xff) shows as a replacement. */
static bool terminal_safe(const uint8_t *s, size_t n, uint8_t sep, bool has_sep)
{
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 || c == 0x7f) && !(has_sep && c == sep))
				return false;
			i++;
			continue;
		}
		size_t k = 2;
		while (k <= 4 && (i + k > n || !utf8_valid((const char *)s + i, k)))
			k++;
		if (k > 4) {
			if (c <= 0x9f)
				return false;
			k = 1;
		} else if (c == 0xc2 && s[i + 1] <= 0x9f) {
			return false;
		}
		i += k;
	}
	return true;
}

struct options {
	enum msgout_format format;
	bool escape, posix;
};

/* The output of MSGS written through a msgout to a memfd; its length in *LEN. */
static uint8_t *render(const struct options *opt, const struct queue_message *msgs, size_t n, size_t *len)
{
	int fd = memfd_create("msgout", 0);
	CHECK(fd >= 0);
	struct msgout *o = msgout_new(fd, opt->format, opt->escape, opt->posix ? "/q\x1b[2J" : "key:0x00000001",
		opt->posix ? QUEUE_POSIX : QUEUE_SYSV);
	CHECK(o);
	for (size_t i = 0; i < n; i++)
		CHECK(msgout_add(o, &msgs[i]) == 0);
	CHECK(msgout_flush(o) == 0);
	msgout_free(o);
	off_t end = lseek(fd, 0, SEEK_CUR);
	CHECK(end >= 0);
	uint8_t *out = malloc((size_t)end + 1);
	CHECK(out);
	CHECK(pread(fd, out, (size_t)end, 0) == end);
	close(fd);
	*len = (size_t)end;
	return out;
}

/* With the reader gone, the flush fails and every message stays pending,
 * its bytes and priority intact, to go back on the queue. */
static void check_reader_gone(const struct options *opt, const struct queue_message *msgs, size_t n)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	struct msgout *o = msgout_new(fds[1], opt->format, opt->escape, "/q", QUEUE_POSIX);
	CHECK(o);
	/* every message added before the one flush below (--batch is larger
	 * than the messages an input holds): what they all become is checked */
	msgout_set_batch(o, MAX_MSGS + 1);
	for (size_t i = 0; i < n; i++)
		CHECK(msgout_add(o, &msgs[i]) == 0);
	int r = msgout_flush(o);
	CHECK(msgout_reader_gone(o));
	/* raw output gives an empty message no bytes at all: those before the
	 * first byte written count as delivered */
	size_t first = 0;
	while (first < n && opt->format == MSGOUT_RAW && msgs[first].len == 0)
		first++;
	const struct queue_message *pending;
	size_t np = msgout_pending(o, &pending);
	CHECK(r == (first == n ? 0 : -EPIPE));
	CHECK(np == n - first);
	for (size_t i = 0; i < np; i++) {
		const struct queue_message *m = &msgs[first + i];
		CHECK(pending[i].len == m->len && pending[i].priority == m->priority);
		CHECK(m->len == 0 || !memcmp(pending[i].data, m->data, m->len));
	}
	msgout_free(o);
	close(fds[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct options opt = { .format = (enum msgout_format)(data[0] & 3),
		.escape = data[0] & 4,
		.posix = data[0] & 16 };
	bool reader_gone = data[0] & 8, utf8 = !(data[0] & 32);
	struct queue_message msgs[MAX_MSGS];
	size_t n = 0, total = 0;
	for (size_t i = 1; i < size && n < MAX_MSGS;) {
		size_t len = data[i++];
		if (len > size - i)
			len = size - i;
		msgs[n++] =
			(struct queue_message){ .data = (const char *)data + i, .len = len, .priority = (long)len - 7 };
		i += len;
		total += len;
	}
	uselocale(utf8 ? utf8_locale : c_locale);
	if (reader_gone) {
		check_reader_gone(&opt, msgs, n);
		return 0;
	}

	size_t out_len;
	uint8_t *out = render(&opt, msgs, n, &out_len);
	uint8_t sep = opt.format == MSGOUT_NUL ? 0 : '\n';
	bool has_sep = opt.format == MSGOUT_NEWLINE || opt.format == MSGOUT_NUL;
	if (opt.format == MSGOUT_JSON) {
		size_t lines = 0;
		for (size_t i = 0; i < out_len; i++) {
			CHECK(out[i] >= 0x20 || out[i] == '\n');
			if (out[i] == '\n') {
				CHECK(i > 0 && out[i - 1] == '}');
				lines++;
			}
		}
		CHECK(lines == n);
	} else if (!opt.escape) {
		size_t o2 = 0;
		for (size_t i = 0; i < n; i++) {
			CHECK(msgs[i].len == 0 || !memcmp(out + o2, msgs[i].data, msgs[i].len));
			o2 += msgs[i].len;
			if (has_sep)
				CHECK(out[o2++] == sep);
		}
		CHECK(o2 == out_len);
	} else if (utf8) {
		CHECK(terminal_safe(out, out_len, sep, has_sep));
		/* the same messages followed in memory by UTF-8 continuation bytes
		 * must give the same output */
		struct queue_message copies[MAX_MSGS];
		for (size_t i = 0; i < n; i++) {
			char *c = malloc(msgs[i].len + 4);
			CHECK(c);
			memcpy(c, msgs[i].data, msgs[i].len);
			memset(c + msgs[i].len, 0xa9, 4);
			copies[i] = msgs[i];
			copies[i].data = c;
		}
		size_t len2;
		uint8_t *out2 = render(&opt, copies, n, &len2);
		CHECK(len2 == out_len && (out_len == 0 || !memcmp(out, out2, out_len)));
		free(out2);
		for (size_t i = 0; i < n; i++)
			free((char *)copies[i].data);
	} else {
		CHECK(terminal_safe(out, out_len, sep, has_sep));
		/* in the C locale each message unescapes back to its bytes */
		uint8_t *p = out, *end = out + out_len;
		char *dec = malloc(total + 1);
		CHECK(dec);
		for (size_t i = 0; i < n && has_sep; i++) {
			uint8_t *e = memchr(p, sep, (size_t)(end - p));
			CHECK(e);
			*e = '\0';
			int dl = strunvis(dec, (const char *)p);
			CHECK(dl >= 0 && (size_t)dl == msgs[i].len);
			CHECK(dl == 0 || !memcmp(dec, msgs[i].data, (size_t)dl));
			p = e + 1;
		}
		CHECK(!has_sep || p == end);
		free(dec);
	}
	free(out);
	return 0;
}
