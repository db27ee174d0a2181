/* SPDX-License-Identifier: GPL-2.0-or-later */
/* progress.h - long work shown as it goes, as pv and parallel --bar show
 * it: done/total, percent, rate and ETA on one line of standard error,
 * redrawn a few times a second. Only when standard error is a terminal
 * and the tool was not told --quiet: scripts, logs and pipes see nothing. */
#ifndef MQTOOLS_PROGRESS_H
#define MQTOOLS_PROGRESS_H

#include <stdbool.h>

struct progress;

/* Progress of TOTAL units (0: not known), messages or, with BYTES, bytes;
 * NULL (which the calls below take, doing nothing) when standard error is
 * no terminal or QUIET. */
struct progress *progress_new(unsigned long long total, bool bytes, bool quiet);
/* DONE units so far; draws when the last drawing is old enough. */
void progress_update(struct progress *p, unsigned long long done);
/* Draw the last state, end the line, free P. */
void progress_end(struct progress *p);

#endif
