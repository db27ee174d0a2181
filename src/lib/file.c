/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - opening files others may have prepared, and replacing a file
 * whole (see file.h). */
#include "config.h"
#include "lib/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h> /* arc4random_buf, from libbsd's overlay */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPEN_FLAGS (O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)

/* FD (or -errno, passed through) moved above the standard three. With
 * standard output closed (`>&-`), a file opened here would otherwise
 * become descriptor 1, and the tool's output would go into its dead
 * letter or its pidfile. */
static int above_std(int fd)
{
	if (fd < 0 || fd > STDERR_FILENO)
		return fd;
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	int err = errno;
	close(fd);
	return copy < 0 ? -err : copy;
}

/* open(2) as above_std() keeps it: a descriptor above 2, or -errno. */
static int open_above_std(const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags, mode);
	if (fd < 0)
		return -errno;
	return above_std(fd);
}

/* The descriptor PATH names ("/dev/fd/3", "/dev/stdout"), or -1. */
static int named_descriptor(const char *path)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	const char *digits = NULL;

	for (int i = 0; i < 3; i++)
		if (strcmp(path, std[i]) == 0)
			return i;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		digits = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		digits = path + 14;
	if (!digits || !*digits || strlen(digits) > 9 || strspn(digits, "0123456789") != strlen(digits))
		return -1;
	return atoi(digits);
}

/* A copy of the caller's descriptor FD, if it is open for ACCESS (O_RDONLY
 * or O_WRONLY), above the standard three. */
static int duplicate(int fd, int access)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if ((fl & O_ACCMODE) != O_RDWR && (fl & O_ACCMODE) != access)
		return -EBADF;
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	return copy < 0 ? -errno : copy;
}

/* FD's file is a regular file, and when OWN (to be written) this user's,
 * with no other name: a hard link planted in /tmp to a file of the
 * user's elsewhere would have it written there. Closes FD when not; else
 * makes it blocking again (what a reader of a regular file expects). */
static int check_opened(int fd, bool own, struct file_detail *d)
{
	struct stat st;
	int r = 0;

	if (fstat(fd, &st) < 0) {
		r = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		d->type = st.st_mode & S_IFMT;
		r = -EINVAL;
	} else if (own && st.st_uid != geteuid()) {
		d->owner = st.st_uid;
		r = -EPERM;
	} else if (own && st.st_nlink > 1) {
		d->links = (unsigned long)st.st_nlink;
		r = -EMLINK;
	} else {
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
			r = -errno;
	}
	if (r < 0)
		close(fd);
	return r < 0 ? r : fd;
}

int file_open_read(const char *path, struct file_detail *d)
{
	int given = named_descriptor(path);
	int fd = given >= 0 ? duplicate(given, O_RDONLY) : open_above_std(path, O_RDONLY | OPEN_FLAGS, 0);

	memset(d, 0, sizeof(*d));
	if (fd < 0)
		return fd;
	return check_opened(fd, false, d);
}

int file_open_own(const char *path, int flags, struct file_detail *d)
{
	struct stat st;

	memset(d, 0, sizeof(*d));
	int fd = open_above_std(path, flags | OPEN_FLAGS, 0);
	if (fd >= 0)
		return check_opened(fd, true, d);
	int err = -fd;
	/* what could not even be opened, said as check_opened() would say it:
	 * a FIFO without a reader (ENXIO), another user's file (EACCES) */
	if ((err == ENXIO || err == EACCES) && lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			d->type = st.st_mode & S_IFMT;
			return -EINVAL;
		}
		if (S_ISREG(st.st_mode) && st.st_uid != geteuid()) {
			d->owner = st.st_uid;
			return -EPERM;
		}
	}
	return -err;
}

int file_open_append(const char *path, struct file_detail *d)
{
	int given = named_descriptor(path);

	memset(d, 0, sizeof(*d));
	if (given >= 0)
		return duplicate(given, O_WRONLY);
	/* The file is there, or made here: O_EXCL, so nothing planted between
	 * the two opens is taken for ours. Another user's removal and
	 * re-creation in between only sends us round again. */
	for (int tries = 0; tries < 8; tries++) {
		int fd = file_open_own(path, O_WRONLY | O_APPEND, d);
		if (fd != -ENOENT)
			return fd;
		fd = open_above_std(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | OPEN_FLAGS, 0600);
		if (fd >= 0)
			return check_opened(fd, true, d);
		if (fd != -EEXIST)
			return fd;
	}
	return -EAGAIN;
}

int file_replace_start(const char *path, char **tmpp, struct file_detail *d)
{
	static const char pattern[] = ".mqtools-new.XXXXXX";
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	struct stat st;

	memset(d, 0, sizeof(*d));
	*tmpp = NULL;
	/* The rename would not follow a link, nor write into another's file,
	 * but it would take the name from under its owner: refused alike. */
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode)) {
			d->type = st.st_mode & S_IFMT;
			return -EINVAL;
		}
		if (st.st_uid != geteuid()) {
			d->owner = st.st_uid;
			return -EPERM;
		}
	} else if (errno != ENOENT) {
		return -errno;
	}
	char *tmp = malloc(dirlen + sizeof(pattern));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, dirlen);
	memcpy(tmp + dirlen, pattern, sizeof(pattern));
	/* mkostemp: O_EXCL and mode 0600, whatever the umask */
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd >= 0 && (fd = above_std(fd)) < 0)
		unlink(tmp);
	else if (fd < 0)
		fd = -errno;
	if (fd < 0) {
		free(tmp);
		return fd;
	}
	*tmpp = tmp;
	return fd;
}

int file_replace_finish(int fd, const char *tmp, const char *path, int r)
{
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

static int refuse(struct file_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(struct file_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EPERM;
}

static bool trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

int file_write_all(int fd, const void *data, size_t len)
{
	const char *s = data;
	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new file ".NAME.XXXXXX" in DIRFD, made exclusively; its name in TMP. */
static int create_temporary(int dirfd, const char *name, mode_t mode, char *tmp, size_t len)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		char suffix[sizeof(r) + 1];
		arc4random_buf(r, sizeof(r));
		for (size_t i = 0; i < sizeof(r); i++)
			suffix[i] = letters[r[i] % (sizeof(letters) - 1)];
		suffix[sizeof(r)] = '\0';
		if ((size_t)snprintf(tmp, len, ".%s.%s", name, suffix) >= len)
			return -ENAMETOOLONG;
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -errno;
		if ((fd = above_std(fd)) < 0)
			unlinkat(dirfd, tmp, 0);
		return fd;
	}
	return -EEXIST;
}

/* The checks of file_replace_trusted on the directory DIRFD (named DIR)
 * and the entry NAME in it. */
static int check_place(int dirfd, const char *dir, const char *name, struct file_error *err)
{
	struct stat st;

	if (fstat(dirfd, &st) < 0)
		return -errno;
	if (!trusted_owner(st.st_uid))
		return refuse(err, "its directory %s belongs to uid %u, neither root nor the writer", dir,
			(unsigned)st.st_uid);
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return refuse(err, "its directory %s may be written by any user (and is not sticky)", dir);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISREG(st.st_mode))
		return refuse(err,
			"it is not a regular file (a symbolic link, a directory or a device): "
			"only a regular file is replaced");
	if (!trusted_owner(st.st_uid))
		return refuse(err, "it belongs to uid %u, neither root nor the writer", (unsigned)st.st_uid);
	return 0;
}

int file_replace_trusted(const char *path, const void *data, size_t len, mode_t mode, struct file_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	char dir[4096], tmp[512];
	int r;

	err->msg[0] = '\0';
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EISDIR;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);

	int dirfd = open_above_std(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dirfd < 0)
		return dirfd;
	if ((r = check_place(dirfd, dir, name, err)) < 0) {
		close(dirfd);
		return r;
	}
	int fd = create_temporary(dirfd, name, mode, tmp, sizeof(tmp));
	if (fd < 0) {
		close(dirfd);
		return fd;
	}
	/* the mode asked for, not what the umask left of it */
	r = fchmod(fd, mode) < 0 ? -errno : file_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	/* looked at again just before: a file put there since is judged too */
	if (r == 0)
		r = check_place(dirfd, dir, name, err);
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dirfd, tmp, 0);
	close(dirfd);
	return r;
}
