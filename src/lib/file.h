/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - opening the files a user names (a dead letter, a pidfile, a
 * baseline, a password file) where other users may have been first: in
 * /tmp, in a directory they may write, through a link they planted.
 *
 * The rules, the same for every such file:
 * - a symbolic link is never followed (O_NOFOLLOW): -ELOOP;
 * - the open never blocks: O_NONBLOCK, then fstat, so that a FIFO or a
 *   device is refused at once (-EINVAL, D->type says what it is) instead
 *   of hanging until a writer comes; only a regular file is used;
 * - a file is written only when it is this user's own (the effective uid's):
 *   another user's, even one open to all (mode 0666), is -EPERM, with its
 *   owner in D->owner (root gets no exception: root writing into a file
 *   that another user prepared is what an attacker in /tmp wants); and
 *   only when it has no other name: a hard link, which another user may
 *   make in /tmp to a file of ours elsewhere, is -EMLINK (D->links);
 * - a descriptor returned is never 0, 1 or 2, even when those are closed:
 *   the tool's own output must not go into the file;
 * - a new file is made with O_EXCL and mode 0600;
 * - a file a reader must see whole is written beside itself and renamed
 *   over the old one (file_replace_*).
 * "/dev/fd/N", "/dev/stdin", "/dev/stdout", "/dev/stderr" and
 * "/proc/self/fd/N" name a descriptor the caller opened and handed over:
 * it is duplicated, not opened again, and its owner is not judged (the
 * caller chose it). Nothing here prints: the caller words D. */
#ifndef MQTOOLS_FILE_H
#define MQTOOLS_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* What more a refusal has to say. */
struct file_detail {
	mode_t type;         /* -EINVAL: S_IFMT of what the path is (S_IFIFO, ...) */
	uid_t owner;         /* -EPERM: the user the file belongs to */
	unsigned long links; /* -EMLINK: how many names (hard links) it has */
};

/* Open PATH for reading: a regular file, any owner's. A descriptor
 * (close-on-exec, blocking), or -errno. */
int file_open_read(const char *path, struct file_detail *d);

/* Open PATH, a file that exists and is this user's own, with FLAGS
 * (O_RDWR, or O_WRONLY and O_APPEND, ...). -ENOENT when there is none. */
int file_open_own(const char *path, int flags, struct file_detail *d);

/* Open PATH for appending: this user's own file, or a new one (mode
 * 0600). A descriptor, or -errno. */
int file_open_append(const char *path, struct file_detail *d);

/* Start replacing PATH whole, when PATH is missing or a regular file of
 * this user's: a new temporary file (mode 0600) in the same directory,
 * so that rename() over PATH is atomic; its name into *TMP (free it).
 * Returns its descriptor, or -errno. */
int file_replace_start(const char *path, char **tmp, struct file_detail *d);

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
