/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lockfile.c - locks that go with their process (see lockfile.h). */
#include "config.h"
#include "lib/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int lockfile_take_fd(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	return errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
}

int lockfile_held_fd(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return -errno;
	return fl.l_type != F_UNLCK;
}

pid_t lockfile_read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

void lockfile_write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) != n)
		return; /* the pid is for messages only: the lock is what counts */
}

int lockfile_take(const char *path, int *fdp, pid_t *holder)
{
	*holder = 0;
	/* A file removed by its last holder between our open and our lock
	 * would give us a lock nobody else sees: retry on a stale inode. */
	for (int tries = 0; tries < 8; tries++) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		struct stat a, b;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0 && errno == EACCES && lockfile_held(path, holder) == 1)
			return -EBUSY; /* another user's process holds it */
		if (fd < 0)
			return -errno;
		if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
			int err = errno;
			if (err == EAGAIN || err == EACCES) {
				*holder = lockfile_read_pid(fd);
				err = EBUSY;
			}
			close(fd);
			return -err;
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			lockfile_write_pid(fd);
			*fdp = fd;
			return 0;
		}
		close(fd);
	}
	return -EAGAIN;
}

void lockfile_release(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path); /* while still holding it: no one can take the old inode */
	close(fd);
}

int lockfile_held(const char *path, pid_t *holder)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	*holder = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	if (fl.l_type != F_UNLCK)
		*holder = lockfile_read_pid(fd);
	close(fd);
	return fl.l_type != F_UNLCK;
}
