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
/* Progress of reading FD, from its offset now to its end, in bytes: NULL
 * unless FD is a regular file (a pipe has no end to count to). */
struct progress *progress_new_reading(int fd, bool quiet);
/* DONE units so far; draws when the last drawing is old enough. */
void progress_update(struct progress *p, unsigned long long done);
/* progress_new_reading's: how far the file's offset went (looked up only
 * when a drawing is due: no system call a message). */
void progress_update_reading(struct progress *p);
/* Draw the last state, end the line, free P. */
void progress_end(struct progress *p);
/* Take a progress line off the terminal, for a message (cli_warn): the
 * next update draws it again. */
void progress_clear(void);

#endif
