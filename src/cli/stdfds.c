/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stdfds.c - closed standard descriptors filled at start (see stdfds.h). */
#include "config.h"
#include "cli/stdfds.h"
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool was_closed[3];

void cli_stdfds_fill(void)
{
	/* the access that makes the descriptor fail as a closed one would */
	static const int access[3] = { O_WRONLY, O_RDONLY, O_RDONLY };

	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		was_closed[fd] = true;
		/* the lowest free number: FD itself, those below it being open */
		int got = open("/dev/null", access[fd] | O_NOCTTY);
		if (got == fd)
			continue;
		if (got >= 0)
			close(got);
		if (fd != 2 && fcntl(2, F_GETFD) >= 0)
			dprintf(2, "%s: descriptor %d is closed, and /dev/null cannot take its place: %s\n",
				cli_program, fd, strerror(got < 0 ? errno : EBADF));
		_exit(MQ_EXIT_FAILURE);
	}
}

bool cli_stdfd_was_closed(int fd)
{
	return fd >= 0 && fd < 3 && was_closed[fd];
}
