/* ledlock.h - "one controller per queue, one per LED": an OFD lock on a
 * small file in /dev/shm that holds the controller's pid. The lock goes
 * with the process (or its last descriptor), so a controller that was
 * killed never leaves a lock behind, and a client can tell a live
 * controller from a queue left over by a dead one. */
#ifndef MQTOOLS_LEDLOCK_H
#define MQTOOLS_LEDLOCK_H

#include <stddef.h>
#include <sys/types.h>

#define LEDLOCK_DIR "/dev/shm"

/* The lock file's path for a controller of queue QUEUE_NAME, in this IPC
 * namespace (queues are per namespace, the lock directory is not). */
int ledlock_queue_path(const char *queue_name, char *path, size_t len);
/* The lock file's path for the LED at PATH (a directory). */
int ledlock_led_path(const char *led_path, char *path, size_t len);

/* Take the lock at PATH for this process; the descriptor in *FD.
 * -EBUSY when another process holds it, its pid in *HOLDER (0 unknown). */
int ledlock_take(const char *path, int *fd, pid_t *holder);
/* Write this process's pid into the lock (again, after a fork). */
void ledlock_write_pid(int fd);
/* Release and remove. */
void ledlock_release(const char *path, int fd);
/* Whether someone holds the lock at PATH: 1 (pid in *HOLDER, 0 unknown),
 * 0 no one, -errno when it cannot be told. */
int ledlock_held(const char *path, pid_t *holder);

#endif
