/* rawq - the kernel's own limit: COUNT messages of SIZE bytes moved with
 * bare mq_send/mq_receive or msgsnd/msgrcv in a loop, nothing else. The
 * benchmark runs "rawq send" and "rawq recv" as two processes, exactly as it
 * runs mqsend and mqrecv, on the same queue.
 *
 *   rawq send|recv /NAME|key:KEY COUNT SIZE
 *
 * Linked to libc only. The queue must exist (the driver creates it). */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc != 5 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv"))) {
		fprintf(stderr, "usage: rawq send|recv /NAME|key:KEY COUNT SIZE\n");
		return 2;
	}
	int sending = !strcmp(argv[1], "send");
	const char *queue = argv[2];
	long count = atol(argv[3]);
	size_t size = (size_t)atol(argv[4]);
	/* room for the System V mtype header and for the largest POSIX message */
	size_t cap = sizeof(long) + (size > 65536 ? size : 65536);
	char *buf = malloc(cap);

	if (!buf)
		die("malloc");
	memset(buf, 'x', cap);
	if (queue[0] == '/') {
		mqd_t q = mq_open(queue, sending ? O_WRONLY : O_RDONLY);
		struct mq_attr attr;
		if (q == (mqd_t)-1)
			die(queue);
		if (mq_getattr(q, &attr) < 0 || (size_t)attr.mq_msgsize > cap)
			die("mq_getattr");
		for (long i = 0; i < count; i++) {
			if (sending ? mq_send(q, buf, size, 0) : mq_receive(q, buf, (size_t)attr.mq_msgsize, NULL) < 0)
				die(sending ? "mq_send" : "mq_receive");
		}
	} else if (!strncmp(queue, "key:", 4)) {
		int id = msgget((key_t)strtol(queue + 4, NULL, 0), 0);
		if (id < 0)
			die(queue);
		*(long *)buf = 1; /* mtype */
		for (long i = 0; i < count; i++) {
			if (sending ? msgsnd(id, buf, size, 0) : msgrcv(id, buf, cap - sizeof(long), 0, 0) < 0)
				die(sending ? "msgsnd" : "msgrcv");
		}
	} else {
		fprintf(stderr, "rawq: %s: give /NAME or key:KEY\n", queue);
		return 2;
	}
	return 0;
}
