/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pidfile.h - mqled run's --pidfile: a file holding the controller's pid,
 * locked (an OFD write lock, lock.h) for as long as the controller runs,
 * so that a second controller on the same file refuses to start.
 *
 * The file may be in a directory other users can write (/tmp), so it is
 * judged before anything in it is believed: another user's file is
 * refused, whoever holds a lock on it and whatever pid it names, and is
 * never written into; so is a symbolic link, a FIFO or a device
 * (lib/file.h). The pid is written into a new file (mode 0600) beside it,
 * locked before it is renamed over the old one (or linked in, when there
 * was none): a reader sees a whole pid or none, and no second controller
 * finds the file unlocked in between. */
#ifndef MQTOOLS_LED_PIDFILE_H
#define MQTOOLS_LED_PIDFILE_H

#include <sys/types.h>
#include "lib/file.h"

struct pidfile {
	char *path; /* absolute: --daemon changes the directory to / */
	int fd;     /* the locked file, or -1 */
};

/* Take the pidfile at PATH for this process. 0; -EBUSY when a controller
 * holds it, its pid in *HOLDER (0 unknown); -EPERM when it is another
 * user's (D->owner), -ELOOP, -EINVAL (D->type) as lib/file.h refuses. */
int pidfile_take(struct pidfile *p, const char *path, pid_t *holder, struct file_detail *d);
/* Write this process's pid again, after --daemon's fork. The pid is for
 * people and scripts: when this fails the old one stays, and the lock
 * still holds. */
void pidfile_update(struct pidfile *p);
/* Remove the file (while still holding its lock) and release it. */
void pidfile_release(struct pidfile *p);

#endif
