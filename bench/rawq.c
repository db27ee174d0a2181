/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rawq - the kernel's own limit: COUNT messages of SIZE bytes moved with
 * bare mq_send/mq_receive or msgsnd/msgrcv in a loop, nothing else. The
 * benchmark runs "rawq send" and "rawq recv" as two processes, exactly as it
 * runs mqsend and mqrecv, on the same queue.
 *
 * "rawq sendlines" is the least a sender can do that takes its messages
 * from standard input as mqsend does: read(2) into a buffer, memchr for each
 * newline, one send per line. It shows what reading the input costs.
 *
 *   rawq send|recv|sendlines /NAME|key:KEY COUNT SIZE
 *
 * Linked to libc only. The queue must exist (the driver creates it). */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static mqd_t posix_q = (mqd_t)-1;
static int sysv_id = -1;

/* DATA must have room for a long before it (the System V mtype). */
static void send_one(char *data, size_t len)
{
	if (posix_q != (mqd_t)-1) {
		if (mq_send(posix_q, data, len, 0) < 0)
			die("mq_send");
	} else {
		long *mtype = (long *)(void *)(data - sizeof(long));
		*mtype = 1;
		if (msgsnd(sysv_id, mtype, len, 0) < 0)
			die("msgsnd");
	}
}

/* Each line of standard input is one message (without its newline). */
static void send_lines(void)
{
	enum { CHUNK = 65536, MAX_LINE = 65536 };
	static char buf[sizeof(long) + MAX_LINE + CHUNK];
	char *start = buf + sizeof(long), *p = start, *end = start;

	for (;;) {
		char *nl;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			/* System V: the mtype goes in the bytes just before the line
			 * (the end of the one before it): keep them */
			long save;
			memcpy(&save, p - sizeof(long), sizeof(long));
			send_one(p, (size_t)(nl - p));
			memcpy(p - sizeof(long), &save, sizeof(long));
			p = nl + 1;
		}
		if (end - p > MAX_LINE) {
			fprintf(stderr, "rawq: a line is over %d bytes\n", MAX_LINE);
			exit(1);
		}
		memmove(start, p, (size_t)(end - p));
		end = start + (end - p);
		p = start;
		ssize_t n = read(0, end, CHUNK);
		if (n < 0)
			die("read");
		if (n == 0)
			return;
		end += n;
	}
}

int main(int argc, char **argv)
{
	if (argc != 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv") && strcmp(argv[1], "sendlines"))) {
		fprintf(stderr, "usage: rawq send|recv|sendlines /NAME|key:KEY COUNT SIZE\n");
		return 2;
	}
	const char *mode = argv[1], *queue = argv[2];
	long count = atol(argv[3]);
	size_t size = (size_t)atol(argv[4]);
	int sending = strcmp(mode, "recv") != 0;
	/* the System V mtype header, then room for the largest message */
	size_t cap = size > 65536 ? size : 65536;
	char *buf = malloc(sizeof(long) + cap), *data = buf + sizeof(long);
	size_t msgsize = cap;

	if (!buf)
		die("malloc");
	memset(buf, 'x', sizeof(long) + cap);
	if (queue[0] == '/') {
		struct mq_attr attr;
		posix_q = mq_open(queue, sending ? O_WRONLY : O_RDONLY);
		if (posix_q == (mqd_t)-1)
			die(queue);
		if (mq_getattr(posix_q, &attr) < 0 || (size_t)attr.mq_msgsize > cap)
			die("mq_getattr");
		msgsize = (size_t)attr.mq_msgsize;
	} else if (!strncmp(queue, "key:", 4)) {
		sysv_id = msgget((key_t)strtol(queue + 4, NULL, 0), 0);
		if (sysv_id < 0)
			die(queue);
	} else {
		fprintf(stderr, "rawq: %s: give /NAME or key:KEY\n", queue);
		return 2;
	}

	if (!strcmp(mode, "sendlines")) {
		send_lines();
	} else if (sending) {
		for (long i = 0; i < count; i++)
			send_one(data, size);
	} else if (posix_q != (mqd_t)-1) {
		for (long i = 0; i < count; i++)
			if (mq_receive(posix_q, data, msgsize, NULL) < 0)
				die("mq_receive");
	} else {
		for (long i = 0; i < count; i++)
			if (msgrcv(sysv_id, buf, cap, 0, 0) < 0)
				die("msgrcv");
	}
	return 0;
}
