/* ledlock.c - controller locks in /dev/shm (see ledlock.h). */
#include "config.h"
#include "ledlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* NAME with every byte outside [A-Za-z0-9._-] as %XX: one file name. */
static void escape(const char *name, char *out, size_t len)
{
	size_t o = 0;
	for (; *name && o + 4 < len; name++) {
		unsigned char c = (unsigned char)*name;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, len - o, "%%%02X", c);
	}
	out[o] = '\0';
}

int ledlock_queue_path(const char *queue_name, char *path, size_t len)
{
	struct stat st;
	char esc[1024];

	if (stat("/proc/self/ns/ipc", &st) < 0)
		return -errno;
	escape(queue_name, esc, sizeof(esc));
	if ((size_t)snprintf(path, len, "%s/mqled-ipc%lu-%s.lock", LEDLOCK_DIR, (unsigned long)st.st_ino, esc) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int ledlock_led_path(const char *led_path, char *path, size_t len)
{
	char real[4096], esc[1024];

	if (!realpath(led_path, real))
		return -errno;
	escape(real, esc, sizeof(esc));
	if ((size_t)snprintf(path, len, "%s/mqled-led-%s.lock", LEDLOCK_DIR, esc) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static pid_t read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

void ledlock_write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) != n)
		return; /* the pid is for messages only: the lock is what counts */
}

int ledlock_take(const char *path, int *fdp, pid_t *holder)
{
	*holder = 0;
	/* A file removed by its last holder between our open and our lock
	 * would give us a lock nobody else sees: retry on a stale inode. */
	for (int tries = 0; tries < 8; tries++) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		struct stat a, b;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0 && errno == EACCES && ledlock_held(path, holder) == 1)
			return -EBUSY; /* another user's controller holds it */
		if (fd < 0)
			return -errno;
		if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
			int err = errno;
			if (err == EAGAIN || err == EACCES) {
				*holder = read_pid(fd);
				err = EBUSY;
			}
			close(fd);
			return -err;
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			ledlock_write_pid(fd);
			*fdp = fd;
			return 0;
		}
		close(fd);
	}
	return -EAGAIN;
}

void ledlock_release(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path); /* while still holding it: no one can take the old inode */
	close(fd);
}

int ledlock_held(const char *path, pid_t *holder)
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
		*holder = read_pid(fd);
	close(fd);
	return fl.l_type != F_UNLCK;
}
