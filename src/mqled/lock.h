/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lock.h - "one controller per queue, one per LED", with locks no other
 * user can take first or fake (mqled(1), SECURITY):
 * - a POSIX queue: an OFD write lock on the queue itself, through a
 *   descriptor opened for writing (so only those who may write to the
 *   queue could take it, and the lock is the queue's whatever name or
 *   descriptor reaches it);
 * - a System V queue, an LED: an OFD lock on a small file holding the
 *   controller's pid, in a directory only the controller's user (or root)
 *   may write: $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=), else
 *   /run/mqled for root, else $XDG_RUNTIME_DIR/mqled. A System V queue's
 *   file is named by its identifier, so key:K and id:N of one queue are one
 *   lock.
 * The lock goes with the process (or its last descriptor: lib/lockfile.h),
 * so a controller that was killed never leaves a lock behind, and a client
 * can tell a live controller from a queue left over by a dead one. This
 * file says where the locks are; lib/lockfile.h takes and tests them. */
#ifndef MQTOOLS_LED_LOCK_H
#define MQTOOLS_LED_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/address.h"

#define LOCK_ROOT_DIR "/run/mqled"

/* This user's lock directory into DIR, made when CREATE; -EPERM when it is
 * not a directory of this user's (or root's) that only they may write,
 * -ENOENT when there is none (not root, no XDG_RUNTIME_DIR). */
int lock_dir(char *dir, size_t len, bool create);
/* The System V queue's identifier (resolving a key), or -errno. */
int lock_sysv_id(const struct queue_address *addr);
/* The lock file of a controller of System V queue ID in lock directory DIR,
 * in this IPC namespace (queues are per namespace, the directory is not). */
int lock_sysv_path(const char *dir, int id, char *path, size_t len);
/* The lock file's path for the LED at PATH (a directory); makes the lock
 * directory. */
int lock_led_path(const char *led_path, char *path, size_t len);

#endif
