/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pidfile.c - mqled run's --pidfile (see pidfile.h). */
#include "config.h"
#include "mqled/pidfile.h"
#include "lib/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether PATH still names the file open on FD (not removed or replaced
 * between our open and our lock). */
static bool still_there(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* A new file beside PATH holding this process's pid, locked; its
 * descriptor, its name in *TMP. */
static int locked_new_file(const char *path, char **tmp, struct file_detail *d)
{
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	int fd = file_replace_start(path, tmp, d);
	if (fd < 0)
		return fd;
	int r = file_write_all(fd, pid, (size_t)n);
	if (r == 0)
		r = lockfile_take_fd(fd);
	if (r < 0) {
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return r;
	}
	return fd;
}

/* Put the new file TMP in place of PATH: over the old file, which we hold
 * locked (OLD >= 0), or where there was none, failing with -EEXIST when
 * another came first. */
static int put_in_place(const char *tmp, const char *path, int old)
{
	int r = old >= 0 ? rename(tmp, path) : link(tmp, path);
	r = r < 0 ? -errno : 0;
	if (old < 0 || r < 0)
		unlink(tmp);
	return r;
}

static int absolute(const char *path, char **out)
{
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		*out = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		if (asprintf(out, "%s/%s", cwd, path) < 0)
			*out = NULL;
	}
	return *out ? 0 : -ENOMEM;
}

static int take(const char *path, int *fdp, pid_t *holder, struct file_detail *d)
{
	/* A file removed or replaced between our open and our lock would give
	 * us a lock nobody else sees: go round again. */
	for (int tries = 0; tries < 8; tries++) {
		/* judged first: another user's file is neither believed nor written */
		int old = file_open_own(path, O_RDWR, d), r;
		if (old < 0 && old != -ENOENT)
			return old;
		if (old >= 0 && (r = lockfile_take_fd(old)) < 0) {
			if (r == -EBUSY)
				*holder = lockfile_read_pid(old);
			close(old);
			return r;
		}
		if (old >= 0 && !still_there(old, path)) {
			close(old);
			continue;
		}
		char *tmp = NULL;
		int fd = locked_new_file(path, &tmp, d);
		if (fd >= 0 && (r = put_in_place(tmp, path, old)) < 0) {
			close(fd);
			fd = r;
		}
		free(tmp);
		if (old >= 0)
			close(old); /* the old file, gone from the directory */
		if (fd >= 0) {
			*fdp = fd;
			return 0;
		}
		if (fd != -EEXIST)
			return fd;
	}
	return -EAGAIN;
}

int pidfile_take(struct pidfile *p, const char *path, pid_t *holder, struct file_detail *d)
{
	*holder = 0;
	p->fd = -1;
	memset(d, 0, sizeof(*d));
	int r = absolute(path, &p->path);
	if (r == 0 && (r = take(p->path, &p->fd, holder, d)) < 0) {
		free(p->path);
		p->path = NULL;
	}
	return r;
}

void pidfile_update(struct pidfile *p)
{
	struct file_detail d;
	char *tmp;

	if (p->fd < 0)
		return;
	int fd = locked_new_file(p->path, &tmp, &d);
	if (fd < 0)
		return;
	if (put_in_place(tmp, p->path, p->fd) < 0) {
		close(fd);
	} else {
		close(p->fd);
		p->fd = fd;
	}
	free(tmp);
}

void pidfile_release(struct pidfile *p)
{
	if (p->fd >= 0) {
		/* while still holding it: no one can take the old inode; and
		 * only our own file, should the name have been taken meanwhile */
		if (still_there(p->fd, p->path))
			unlink(p->path);
		close(p->fd);
	}
	p->fd = -1;
	free(p->path);
	p->path = NULL;
}
