/* SPDX-License-Identifier: GPL-2.0-or-later */
/* clock.h - monotonic time, for deadlines that must not jump with the wall clock. */
#ifndef MQTOOLS_CLOCK_H
#define MQTOOLS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int64_t monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* The monotonic time DELAY_NS from now, for a deadline. A delay longer than
 * the 64 bits hold from here (a duration may be as long as the kernel's
 * clocks count, lib/parse.h) ends at their last nanosecond, INT64_MAX,
 * about 292 years after boot: never, as the kernel's own timers saturate. */
static inline int64_t monotonic_after_ns(int64_t delay_ns)
{
	int64_t at;
	return __builtin_add_overflow(monotonic_ns(), delay_ns, &at) ? INT64_MAX : at;
}

/* The same clock at the resolution of the kernel's tick (a few ms), for a
 * check made once per message that only asks whether some milliseconds have
 * passed: it reads the time the kernel last stored instead of the clock
 * itself, which costs a fraction as much (bench/RESULTS.md, issue 13's hot
 * path). */
static inline int64_t monotonic_coarse_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

#endif
