/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli-file.c - wording a refused file (see cli-file.h). */
#include "config.h"
#include "cli/cli-file.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *type_name(mode_t type)
{
	switch (type) {
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	case S_IFDIR: return "a directory";
	default: return "a file of another kind";
	}
}

const char *cli_file_error(char *buf, size_t len, const char *path, int err, const struct file_detail *d)
{
	if (err > 0)
		err = -err;
	if (err == -EPERM && d) {
		const struct passwd *pw = getpwuid(d->owner);
		if (pw)
			snprintf(buf, len, "%s is owned by %s (uid %lu), not you: choose a file of your own", path,
				pw->pw_name, (unsigned long)d->owner);
		else
			snprintf(buf, len, "%s is owned by uid %lu, not you: choose a file of your own", path,
				(unsigned long)d->owner);
	} else if (err == -EMLINK && d) {
		snprintf(buf, len,
			"%s has %lu hard links, which may name a file elsewhere: only a file with one name "
			"is written; choose another",
			path, d->links);
	} else if (err == -ELOOP) {
		snprintf(buf, len, "%s is a symbolic link, which is never followed: name the file itself", path);
	} else if (err == -EISDIR || (err == -EINVAL && d && d->type)) {
		mode_t type = err == -EISDIR ? S_IFDIR : d->type;
		snprintf(buf, len, "%s is %s, not a regular file", path, type_name(type));
	} else if (err == -EBADF) {
		snprintf(buf, len, "%s: %s (the descriptor is closed, or not open that way)", path, strerror(-err));
	} else {
		snprintf(buf, len, "%s: %s", path, strerror(-err));
	}
	return buf;
}

bool cli_file_refused(int err, const struct file_detail *d)
{
	if (err > 0)
		err = -err;
	return err == -ELOOP || err == -EISDIR || (err == -EPERM && d) || (err == -EMLINK && d) ||
		(err == -EINVAL && d && d->type);
}
