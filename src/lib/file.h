/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - replacing a file whole: the new content goes into a temporary
 * file beside it, which is then renamed over it, so that a reader sees the
 * old file or the new one, never a part. */
#ifndef MQTOOLS_FILE_H
#define MQTOOLS_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* The end of such a write: R is how writing the temporary file TMP (open
 * on FD) went, 0 or -errno. Closes FD; renames TMP over PATH when all went
 * well, else removes TMP. Returns R, or the error of close or rename. */
int file_replace_finish(int fd, const char *tmp, const char *path, int r);

/* write(2) all LEN bytes of S to FD, again after a short write or EINTR:
 * 0 or -errno. */
int file_write_all(int fd, const void *s, size_t len);

/* Why file_replace_trusted refused, in words ("its directory /x belongs
 * to eve"); empty when the error is the system's alone. */
struct file_error {
	char msg[256];
};

/* Replace PATH with the LEN bytes of DATA, mode MODE whatever the umask,
 * for a privileged writer in a place others may reach. Refused (-EPERM,
 * with the reason in ERR) unless PATH's directory belongs to the effective
 * user or root and no other user may write into it (unless it is sticky),
 * and unless an existing PATH is a regular file of the effective user or
 * root. The directory is opened once and everything after is done in it:
 * the temporary file ".NAME.XXXXXX" (hidden from a glob such as *.prom)
 * made with O_EXCL and O_NOFOLLOW, then renamed over NAME; a directory
 * renamed or replaced by a symbolic link meanwhile cannot lead the write
 * elsewhere. The data reach the disk (fsync) before the rename. -errno. */
int file_replace_trusted(const char *path, const void *data, size_t len, mode_t mode, struct file_error *err);

#endif
