/* SPDX-License-Identifier: GPL-2.0-or-later */
/* percall - per-call cost of two commands, measured side by side: runs
 * command A and command B alternately (A B A B ...) N times each, so that
 * whatever else the machine does falls on both alike, and prints the
 * median wall time of one run of each, in nanoseconds: "A_ns B_ns".
 *
 *   percall N A [ARGS...] -- B [ARGS...]
 *
 * posix_spawn and waitpid: the launcher costs the same for both. A run that
 * fails stops the measurement (exit 1). */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long run(char **argv)
{
	pid_t pid;
	int status;
	long long t0 = now_ns();
	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0) {
		perror(argv[0]);
		exit(1);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "percall: %s failed (status 0x%x)\n", argv[0], status);
		exit(1);
	}
	return now_ns() - t0;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int sep = 0;
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	long n = argc > 1 ? atol(argv[1]) : 0;
	if (n <= 0 || sep < 3 || sep == argc - 1) {
		fprintf(stderr, "usage: percall N A [ARGS...] -- B [ARGS...]\n");
		return 2;
	}
	argv[sep] = NULL;
	char **a = argv + 2, **b = argv + sep + 1;
	long long *ta = malloc((size_t)n * sizeof(*ta)), *tb = malloc((size_t)n * sizeof(*tb));
	if (!ta || !tb)
		return 1;
	for (long i = 0; i < n; i++) {
		ta[i] = run(a);
		tb[i] = run(b);
	}
	qsort(ta, (size_t)n, sizeof(*ta), cmp);
	qsort(tb, (size_t)n, sizeof(*tb), cmp);
	printf("%lld %lld\n", ta[n / 2], tb[n / 2]);
	return 0;
}
