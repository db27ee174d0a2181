/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - replacing a file whole: the new content goes into a temporary
 * file beside it, which is then renamed over it, so that a reader sees the
 * old file or the new one, never a part. */
#ifndef MQTOOLS_FILE_H
#define MQTOOLS_FILE_H

/* The end of such a write: R is how writing the temporary file TMP (open
 * on FD) went, 0 or -errno. Closes FD; renames TMP over PATH when all went
 * well, else removes TMP. Returns R, or the error of close or rename. */
int file_replace_finish(int fd, const char *tmp, const char *path, int r);

#endif
