/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkqueues - create N message queues, each with one message, for the
 * listing benchmark: System V (keys BASE, BASE+1, ...) or, with -p, POSIX
 * (/mkqBASE, /mkqBASE+1, ..., each of one 16-byte message: the least that
 * RLIMIT_MSGQUEUE is charged for).
 *
 *   mkqueues [-p] N [BASE] */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

static int make_sysv(long key)
{
	struct {
		long mtype;
		char mtext[16];
	} m = { 1, "queued message" };
	int id = msgget((key_t)key, IPC_CREAT | 0600);
	return id < 0 || msgsnd(id, &m, sizeof(m.mtext), IPC_NOWAIT) < 0 ? -1 : 0;
}

static int make_posix(long n)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	char name[32];
	snprintf(name, sizeof(name), "/mkq%ld", n);
	mqd_t q = mq_open(name, O_WRONLY | O_CREAT, 0600, &attr);
	if (q == (mqd_t)-1)
		return -1;
	int r = mq_send(q, "queued message", 14, 0);
	mq_close(q);
	return r;
}

int main(int argc, char **argv)
{
	int posix = argc > 1 && !strcmp(argv[1], "-p");
	long n = argc > 1 + posix ? atol(argv[1 + posix]) : 0;
	long base = argc > 2 + posix ? strtol(argv[2 + posix], NULL, 0) : 0x10000;

	if (n <= 0) {
		fprintf(stderr, "usage: mkqueues [-p] N [BASE]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		if ((posix ? make_posix(base + i) : make_sysv(base + i)) < 0) {
			perror("mkqueues");
			return 1;
		}
	}
	return 0;
}
