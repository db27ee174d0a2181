/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sendone - the least a program can do to send one message: the reference
 * for the per-call cost of `mqsend QUEUE MESSAGE`. Linked to libc only.
 *
 *   sendone /NAME|key:KEY MESSAGE */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	size_t len = strlen(argv[2]);
	if (argv[1][0] == '/') {
		mqd_t q = mq_open(argv[1], O_WRONLY);
		if (q == (mqd_t)-1 || mq_send(q, argv[2], len, 0) < 0) {
			perror(argv[1]);
			return 1;
		}
		return 0;
	}
	struct {
		long mtype;
		char mtext[8192];
	} m = { .mtype = 1 };
	if (len > sizeof(m.mtext))
		return 1;
	memcpy(m.mtext, argv[2], len);
	int id = msgget((key_t)strtol(argv[1] + 4, NULL, 0), 0);
	if (id < 0 || msgsnd(id, &m, len, 0) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
