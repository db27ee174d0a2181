/* mkqueues - create N System V queues (keys BASE, BASE+1, ...), each with
 * one message, for the listing benchmark.
 *
 *   mkqueues N [BASE] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/msg.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	long base = argc > 2 ? strtol(argv[2], NULL, 0) : 0x10000;
	struct { long mtype; char mtext[16]; } m = { 1, "queued message" };

	if (n <= 0) {
		fprintf(stderr, "usage: mkqueues N [BASE]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		int id = msgget((key_t)(base + i), IPC_CREAT | 0600);
		if (id < 0 || msgsnd(id, &m, sizeof(m.mtext), IPC_NOWAIT) < 0) {
			perror("mkqueues");
			return 1;
		}
	}
	return 0;
}
