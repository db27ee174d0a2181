/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - replacing a file whole (see file.h). */
#include "config.h"
#include "lib/file.h"

#include <errno.h>
#include <stdio.h>
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
