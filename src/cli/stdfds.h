/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stdfds.h - standard descriptors that were closed at start (`>&-`, a
 * cron job or a service without them). The kernel gives the lowest free
 * number to the next open: a queue, a System V marker or a dead-letter
 * file would become the tool's standard output, and messages would be
 * written into it. So a closed 0, 1 or 2 is filled at once, before
 * anything else is opened, and remembered. */
#ifndef MQTOOLS_CLI_STDFDS_H
#define MQTOOLS_CLI_STDFDS_H

#include <stdbool.h>

/* Fill each closed standard descriptor with /dev/null, opened so that it
 * still acts closed: standard input write-only, standard output and error
 * read-only, so that a read or write there fails with EBADF as before.
 * cli_init() calls it first. Exits 1 if /dev/null cannot be opened. */
void cli_stdfds_fill(void);
/* Whether standard descriptor FD (0, 1 or 2) was closed at start. */
bool cli_stdfd_was_closed(int fd);

#endif
