/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli-file.h - the one wording of a file the tools refused or could not
 * open (lib/file.h): a symbolic link, a FIFO, another user's file. */
#ifndef MQTOOLS_CLI_FILE_H
#define MQTOOLS_CLI_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/file.h"

/* PATH and why ERR (-errno of a lib/file.h function, with D) kept it from
 * being used, into BUF: "/tmp/dl is owned by eve (uid 1001), not you:
 * choose a file of your own", "/tmp/p is a FIFO, not a regular file",
 * "/x: No such file or directory". Returns BUF. */
const char *cli_file_error(char *buf, size_t len, const char *path, int err, const struct file_detail *d);
/* Whether ERR (with D) is a refusal of lib/file.h's rules (a symbolic link,
 * not a regular file, another user's file), not an error of the system:
 * a tool may word the latter with a hint of its own. */
bool cli_file_refused(int err, const struct file_detail *d);

#endif
