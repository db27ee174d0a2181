/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lock.c - where mqled's locks are (see lock.h). */
#include "config.h"
#include "mqled/lock.h"
#include "lib/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <unistd.h>

/* NAME with every byte outside [A-Za-z0-9._-] as %XX: one file name. */
static void escape(const char *name, char *out, size_t len)
{
	size_t o = 0;
	for (; *name && o + 4 < len; name++) {
		unsigned char c = (unsigned char)*name;
		if (portable_name_char(c))
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, len - o, "%%%02X", c);
	}
	out[o] = '\0';
}

/* DIR is fit for locks: a directory (not a symlink) of this user's or
 * root's that no one else may write. */
static int check_dir(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if ((st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & 022))
		return -EPERM;
	return 0;
}

int lock_dir(char *dir, size_t len, bool create)
{
	const char *rt = getenv("RUNTIME_DIRECTORY"), *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (rt && *rt)
		n = snprintf(dir, len, "%.*s", (int)strcspn(rt, ":"), rt); /* systemd's, the first of a list */
	else if (geteuid() == 0)
		n = snprintf(dir, len, "%s", LOCK_ROOT_DIR);
	else if (xdg && *xdg == '/')
		n = snprintf(dir, len, "%s/mqled", xdg);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (create && mkdir(dir, geteuid() == 0 ? 0755 : 0700) < 0 && errno != EEXIST)
		return -errno;
	return check_dir(dir);
}

int lock_sysv_id(const struct queue_address *addr)
{
	if (addr->form == ADDR_SYSV_ID)
		return addr->id;
	int id = msgget(addr->key, 0);
	return id < 0 ? -errno : id;
}

int lock_sysv_path(const char *dir, int id, char *path, size_t len)
{
	struct stat st;

	if (stat("/proc/self/ns/ipc", &st) < 0)
		return -errno;
	if ((size_t)snprintf(path, len, "%s/ipc%lu-sysv-id%d.lock", dir, (unsigned long)st.st_ino, id) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int lock_led_path(const char *led_path, char *path, size_t len)
{
	char real[4096], esc[1024], dir[4096];
	int r;

	if (!realpath(led_path, real))
		return -errno;
	if ((r = lock_dir(dir, sizeof(dir), true)) < 0)
		return r;
	escape(real, esc, sizeof(esc));
	if ((size_t)snprintf(path, len, "%s/led-%s.lock", dir, esc) >= len)
		return -ENAMETOOLONG;
	return 0;
}
