/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lockfile.h - a lock that goes with its process: an OFD write lock
 * (fcntl F_OFD_SETLK) on a small file that holds the holder's pid, or on
 * any file open for writing. The kernel drops it when the process (or its
 * last descriptor) ends, so a holder that was killed never leaves a lock
 * behind, and someone else can tell a live holder from a file left over.
 * The files are opened without following a symlink; where they may be
 * made safely is the caller's to choose. */
#ifndef MQTOOLS_LIB_LOCKFILE_H
#define MQTOOLS_LIB_LOCKFILE_H

#include <sys/types.h>

/* An OFD write lock on FD (open for writing): 0, or -EBUSY when another
 * holds it. */
int lockfile_take_fd(int fd);
/* Whether someone holds a lock on FD's file: 1, 0, or -errno. */
int lockfile_held_fd(int fd);

/* Take the lock at PATH (made 0644 if missing) for this process, its
 * descriptor in *FD and this pid written in it. -EBUSY when another
 * process holds it, its pid in *HOLDER (0 unknown). */
int lockfile_take(const char *path, int *fd, pid_t *holder);
/* Write this process's pid into the lock (again, after a fork). */
void lockfile_write_pid(int fd);
/* The pid a lock file on FD names, 0 when none. */
pid_t lockfile_read_pid(int fd);
/* Release and remove (FD < 0: nothing was taken). */
void lockfile_release(const char *path, int fd);
/* Whether someone holds the lock at PATH: 1 (pid in *HOLDER, 0 unknown),
 * 0 no one, -errno when it cannot be told. */
int lockfile_held(const char *path, pid_t *holder);

#endif
