/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-sources: src/lib/parse.c
 * fuzz-parse.c - option values (lib/parse.c): integers, any-base unsigned
 * numbers, sizes, durations, modes. Every parser must either fail with a
 * message or return a value inside the bounds it was given. */
#include "config.h"
#include "lib/parse.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error e;
	long long ll;
	unsigned long long ull;
	int64_t ns;
	mode_t mode;
	char *s;

	if (size < 1)
		return 0;
	/* the first byte picks the bounds, so that edges are reached too */
	unsigned sel = data[0];
	s = fuzz_string(data + 1, size - 1);

	static const long long mins[] = { 0, 1, -32768, -0x7fffffffffffffffLL - 1 };
	static const long long maxs[] = { 32767, 0x7fffffffffffffffLL, 255, 1 };
	long long min = mins[sel & 3], max = maxs[(sel >> 2) & 3];
	e.msg[0] = '\0';
	if (min <= max && parse_integer(s, min, max, &ll, &e) == 0)
		CHECK(ll >= min && ll <= max);
	else
		CHECK(min > max || e.msg[0]);

	static const unsigned long long umax[] = { 0xffffffffULL, 0x7fffffffULL, 1ULL << 30, ~0ULL };
	unsigned long long m = umax[(sel >> 4) & 3];
	e.msg[0] = '\0';
	if (parse_unsigned_any_base(s, m, &ull, &e) == 0)
		CHECK(ull <= m);
	else
		CHECK(e.msg[0]);
	e.msg[0] = '\0';
	if (parse_size(s, m, &ull, &e) == 0)
		CHECK(ull <= m);
	else
		CHECK(e.msg[0]);

	e.msg[0] = '\0';
	if (parse_duration(s, &ns, &e) == 0)
		CHECK(ns >= 0 && ns <= duration_max_ns());
	else
		CHECK(e.msg[0]);

	e.msg[0] = '\0';
	if (parse_mode(s, &mode, &e) == 0)
		CHECK(mode <= 0777);
	else
		CHECK(e.msg[0]);

	free(s);
	return 0;
}
