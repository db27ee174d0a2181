/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rusage - run a command and write to FILE its peak resident set size in
 * KiB (ru_maxrss) and the CPU time it used in microseconds (user + system):
 * "KIB CPU_US". Exits with the command's status. SIGTERM and SIGINT are
 * passed on to the command, so that a driver can end an endless one
 * (mqrecv -f) through us.
 *
 *   rusage FILE COMMAND [ARGS...] */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: rusage FILE COMMAND [ARGS...]\n");
		return 2;
	}
	signal(SIGTERM, forward);
	signal(SIGINT, forward);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(child, &status, 0, &ru) < 0)
		;
	FILE *f = fopen(argv[1], "w");
	long long cpu_us =
		(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	if (!f || fprintf(f, "%ld %lld\n", ru.ru_maxrss, cpu_us) < 0 || fclose(f) != 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
