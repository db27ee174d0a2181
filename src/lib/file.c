/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - replacing a file whole (see file.h). */
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
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
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
		return refuse(err, "it is not a regular file (a symbolic link, a directory or a device): "
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

	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
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
