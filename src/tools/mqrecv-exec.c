/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrecv-exec.c - mqrecv --exec, the job runner (see mqrecv-exec.h).
 *
 * Each running command holds one message: a copy of its bytes stays here
 * until the command ends, so that a failure can put it back. The command
 * reads it from a memfd on its standard input (a file: no pipe to feed, no
 * command that stalls mqrecv by not reading). Commands run in process
 * groups of their own, so that the end of --kill-after reaches whatever
 * they started, and a terminal's ^C reaches mqrecv only, which then lets
 * them finish.
 *
 * Waiting for a message and for a command at once: SIGCHLD closes the write
 * end of a "wake" pipe, whose read end the receive watches as the reader
 * of its output (struct queue_wait's watch_reader): the wait then ends with
 * -EPIPE and takes nothing. POSIX polls it beside the queue; System V looks
 * at it whenever msgrcv is interrupted, by that SIGCHLD or within
 * QUEUE_READER_CHECK_NS. With no command running nothing is watched, and
 * an idle runner sleeps in the kernel. */
#include "config.h"
#include "tools/mqrecv-exec.h"
#include "tools/mqrecv-failures.h"
#include "tools/msgout.h"
#include "cli/cli.h"
#include "cli/queue-cli.h"
#include "cli/stop.h"
#include "lib/clock.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct job {
	pid_t pid;  /* 0: a free slot */
	char *data; /* the message, as taken */
	size_t len;
	long priority;
	const char *topic; /* mqtt://: its topic, in data after it; or NULL */
	uint64_t key;      /* failures_key() */
	bool killed;       /* by us, at the end of --kill-after */
};

struct runner {
	const struct exec_options *opt;
	struct queue *q;
	struct job *jobs;
	size_t running;
	struct failures *failures;
	char **envp;     /* environ without MQ_* and secrets, then ours, then NULL */
	size_t env_ours; /* where ours start */
	char env_buf[4][64];
	unsigned long long taken, done;
	size_t put_back, dead, killed;
	int status;          /* from the receive side, or a failed spawn */
	bool dead_unwritten; /* the dead letter took a message nowhere */
	bool stopped;        /* taking ended by a stop signal */
	int wake_r;
};

static const char *const env_names[] = { "MQ_QUEUE=", "MQ_PRIORITY=", "MQ_TYPE=", "MQ_SIZE=", "MQ_ATTEMPT=" };

/* --- finding --exec among the options ------------------------------------ */

/* Whether long option TEXT (without "--", maybe abbreviated) takes an
 * argument that follows as the next word. */
static bool long_takes_next(const char *text, const struct option *longopts)
{
	size_t len = strlen(text);
	int has_arg = -1;

	if (memchr(text, '=', len))
		return false;
	for (const struct option *o = longopts; o->name; o++) {
		if (strncmp(o->name, text, len) != 0)
			continue;
		if (o->name[len] == '\0')
			return o->has_arg == required_argument;
		has_arg = has_arg < 0 || has_arg == o->has_arg ? o->has_arg : no_argument;
	}
	return has_arg == required_argument;
}

int exec_find(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--exec") == 0)
			return i;
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		if (a[1] == '-') {
			if (long_takes_next(a + 2, longopts))
				i++;
			continue;
		}
		/* a cluster of short options: the first that takes an argument
		 * takes the rest of the word, or the next word */
		for (const char *c = a + 1; *c; c++) {
			const char *s = strchr(shortopts, *c);
			if (s && s[1] == ':') {
				if (c[1] == '\0')
					i++;
				break;
			}
		}
	}
	return argc;
}

/* --- the commands' environment ------------------------------------------- */

static bool ours(const char *entry)
{
	for (size_t i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		if (strncmp(entry, env_names[i], strlen(env_names[i])) == 0)
			return true;
	return false;
}

/* environ without any MQ_* of ours (a caller's MQ_TYPE must not reach a
 * command of a POSIX queue), without the secrets mqrecv read
 * ($MQTOOLS_PASSWORD: the broker's password is not the command's), and
 * four slots for this message's. */
static int env_init(struct runner *x)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	x->envp = calloc(n + 5, sizeof(*x->envp));
	if (!x->envp)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!ours(environ[i]) && !queue_cli_secret_env(environ[i]))
			x->envp[k++] = environ[i];
	x->env_ours = k;
	return 0;
}

static void env_fill(struct runner *x, const struct job *j, unsigned attempt)
{
	char **e = x->envp + x->env_ours;
	bool posix = queue_kind(x->q) == QUEUE_POSIX;
	static char queue_var[NAME_MAX + 32];

	snprintf(queue_var, sizeof(queue_var), "MQ_QUEUE=%s", queue_name(x->q));
	snprintf(x->env_buf[0], sizeof(x->env_buf[0]), "%s=%ld", posix ? "MQ_PRIORITY" : "MQ_TYPE", j->priority);
	snprintf(x->env_buf[1], sizeof(x->env_buf[1]), "MQ_SIZE=%zu", j->len);
	snprintf(x->env_buf[2], sizeof(x->env_buf[2]), "MQ_ATTEMPT=%u", attempt);
	e[0] = queue_var;
	e[1] = x->env_buf[0];
	e[2] = x->env_buf[1];
	e[3] = x->env_buf[2];
	e[4] = NULL;
}

/* --- starting and ending commands ---------------------------------------- */

/* A memfd holding the message, at offset 0, at 3 or above (dup2 onto 0 must
 * not meet itself). -errno on failure. */
static int message_file(const struct job *j)
{
	int fd = memfd_create("mqrecv-message", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fd < 3) {
		int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		close(fd);
		if ((fd = high) < 0)
			return -errno;
	}
	for (size_t done = 0; done < j->len;) {
		ssize_t n = write(fd, j->data + done, j->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close(fd);
			return -err;
		}
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

/* Start J's command: its own process group, the signals mqrecv handles or
 * ignores back at their defaults, only descriptors 0, 1 and 2 open.
 * 0 or -errno (posix_spawnp reports a command it cannot run). */
static int spawn(struct runner *x, struct job *j)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	int fd = message_file(j), r;

	if (fd < 0)
		return fd;
	sigemptyset(&none);
	sigemptyset(&defaults);
	cli_stop_signals(&defaults); /* PIPE and XFSZ: ignored here, not there */
	sigaddset(&defaults, SIGCHLD);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, STDIN_FILENO);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	env_fill(x, j, failures_count(x->failures, j->key) + 1);
	r = posix_spawnp(&j->pid, x->opt->argv[0], &fa, &attr, x->opt->argv, x->envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	if (r != 0) {
		j->pid = 0;
		return -r;
	}
	return 0;
}

static void free_job(struct runner *x, struct job *j)
{
	free(j->data);
	memset(j, 0, sizeof(*j));
	x->running--;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* "exit status 3", "killed by SIGSEGV" */
static void word_status(char *buf, size_t len, int status)
{
	if (WIFEXITED(status)) {
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(status));
		if (abbrev)
			snprintf(buf, len, "killed by SIG%s", abbrev);
		else
			snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(buf, len, "wait status %#x", (unsigned)status);
	}
}

static void to_dead_letter(struct runner *x, const struct queue_message *m, int err, const char *why)
{
	int s = x->opt->dead_letter(x->opt->ctx, m, err, why);
	if (s == MQ_EXIT_FAILURE) { /* written nowhere: take no more */
		x->status = MQ_EXIT_FAILURE;
		x->dead_unwritten = true;
	} else if (s != MQ_EXIT_OK)
		x->dead++;
	progress_update(x->opt->progress, x->done + x->dead);
}

static struct queue_message message_of(const struct job *j)
{
	return (struct queue_message){ .data = j->data, .len = j->len, .priority = j->priority, .topic = j->topic };
}

/* J's message goes back on the queue, or when that fails to the dead letter. */
static bool put_back(struct runner *x, const struct job *j)
{
	struct queue_message m = message_of(j);
	int err = 0;

	if (queue_put_back(x->q, &m, 1, QUEUE_PUT_BACK_BOUND_NS, &err) == 1)
		return true;
	to_dead_letter(x, &m, err, NULL);
	return false;
}

/* A command ended with wait status STATUS: its message is done, put back,
 * or, after too many failures, dead. */
static void job_ended(struct runner *x, struct job *j, int status)
{
	const char *kind = queue_kind(x->q) == QUEUE_POSIX ? "priority" : "type";
	char how[64], why[256];

	/* one that exited 0 just before the kill still did its work */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		failures_forget(x->failures, j->key);
		free_job(x, j);
		progress_update(x->opt->progress, ++x->done + x->dead);
		return;
	}
	word_status(how, sizeof(how), status);
	if (j->killed) { /* not the message's fault: no failure counted */
		x->killed++;
		if (put_back(x, j))
			x->put_back++;
		free_job(x, j);
		return;
	}
	unsigned failed = failures_add(x->failures, j->key);
	if (failed > x->opt->retries) {
		failures_forget(x->failures, j->key);
		snprintf(why, sizeof(why), "its command failed %u time%s, the last with %s (--retries %u)", failed,
			plural(failed), how, x->opt->retries);
		struct queue_message m = message_of(j);
		to_dead_letter(x, &m, 0, why);
	} else if (put_back(x, j)) {
		x->put_back++;
		cli_warn("%s: %s failed (%s) on a message of %s %ld, %zu byte%s: put back (failure %u; "
			 "--retries %u)",
			x->opt->name, x->opt->argv[0], how, kind, j->priority, j->len, plural(j->len), failed,
			x->opt->retries);
	} else {
		failures_forget(x->failures, j->key);
	}
	free_job(x, j);
}

static struct job *job_of(struct runner *x, pid_t pid)
{
	for (size_t i = 0; i < x->opt->workers; i++)
		if (x->jobs[i].pid == pid)
			return &x->jobs[i];
	return NULL;
}

/* Reap one command: with BLOCK, wait for it (a signal ends the wait);
 * true when one ended. */
static bool reap_one(struct runner *x, bool block)
{
	int status;
	pid_t pid = waitpid(-1, &status, block ? 0 : WNOHANG);
	struct job *j;

	if (pid <= 0 || !(j = job_of(x, pid)))
		return false;
	job_ended(x, j, status);
	return true;
}

static size_t reap_all(struct runner *x)
{
	size_t n = 0;
	while (x->running && reap_one(x, false))
		n++;
	return n;
}

/* --- waking a receive when a command ends -------------------------------- */

static volatile sig_atomic_t wake_w = -1;

static void on_child(int sig)
{
	int fd = wake_w;
	(void)sig;
	if (fd >= 0) {
		wake_w = -1;
		close(fd);
	}
}

static void install_child_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP; /* no SA_RESTART: a blocked call returns */
	sigaction(SIGCHLD, &sa, NULL);
}

/* A fresh wake pipe unless the one there has not fired. Its write end is
 * set with SIGCHLD blocked, so that the handler never closes a number that
 * has been given to another file. */
static int arm_wake(struct runner *x)
{
	sigset_t chld, old;
	int fds[2];

	if (wake_w >= 0)
		return 0;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	if (x->wake_r >= 0)
		close(x->wake_r);
	x->wake_r = -1;
	int r = pipe2(fds, O_CLOEXEC) < 0 ? -errno : 0;
	if (r == 0) {
		x->wake_r = fds[0];
		wake_w = fds[1];
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* --- taking messages ------------------------------------------------------ */

/* Take one message, waiting as --nonblock and --timeout say (the timeout
 * counts from IDLE_SINCE, the last message taken), and while commands run
 * only until one ends (-EPIPE, nothing taken). */
static int take(struct runner *x, struct queue_message *m, int64_t idle_since)
{
	static const struct queue_wait nowait = { .how = QUEUE_WAIT_NONE };
	struct queue_wait w = *x->opt->wait;
	int r = queue_receive(x->q, m, x->opt->sel, &nowait);

	/* --drain takes what is queued now: it never waits for a message */
	if (r != -EAGAIN || w.how == QUEUE_WAIT_NONE || x->opt->drain)
		return r;
	if (w.how == QUEUE_WAIT_TIMEOUT) {
		w.timeout_ns -= monotonic_ns() - idle_since;
		if (w.timeout_ns <= 0)
			return -ETIMEDOUT;
	}
	if (x->running) {
		if ((r = arm_wake(x)) < 0)
			return r;
		if (reap_all(x))
			return -EPIPE; /* one ended before the pipe was there */
		w.watch_reader = true;
		w.reader_fd = x->wake_r;
	}
	return queue_receive(x->q, m, x->opt->sel, &w);
}

static struct job *free_slot(struct runner *x)
{
	for (size_t i = 0; i < x->opt->workers; i++)
		if (!x->jobs[i].pid)
			return &x->jobs[i];
	return NULL;
}

/* Give M to a command. A command that cannot be started at all (not found,
 * not executable) would fail every message alike: its message goes back
 * uncounted, and taking ends with exit status 1. */
static bool start(struct runner *x, const struct queue_message *m)
{
	struct job *j = free_slot(x);
	int r = -ENOMEM;

	j->len = m->len;
	j->priority = m->priority;
	j->key = failures_key(m->data, m->len, m->priority);
	size_t topic_size = m->topic ? strlen(m->topic) + 1 : 0;
	if ((j->data = malloc(m->len + 1 + topic_size))) {
		memcpy(j->data, m->data, m->len);
		j->topic = m->topic ? memcpy(j->data + m->len + 1, m->topic, topic_size) : NULL;
		r = spawn(x, j);
	}
	if (r == 0) {
		x->running++;
		return true;
	}
	if (r == -EFBIG) /* the message's file, past ulimit -f */
		cli_warn("%s: cannot write the message for %s: %s", x->opt->name, x->opt->argv[0], msgout_strerror(r));
	else
		cli_warn("%s: cannot run %s: %s", x->opt->name, x->opt->argv[0], strerror(-r));
	if (j->data) {
		if (put_back(x, j))
			cli_warn("%s: the message was put back; no more are taken", x->opt->name);
	} else {
		to_dead_letter(x, m, -ENOMEM, NULL);
	}
	free(j->data);
	memset(j, 0, sizeof(*j));
	x->status = MQ_EXIT_FAILURE;
	return false;
}

/* Whether to take no more messages. */
static bool done_taking(const struct runner *x)
{
	return signals_stop_requested() || x->status || (!x->opt->follow && x->taken >= x->opt->count);
}

static void take_messages(struct runner *x)
{
	int64_t idle_since = monotonic_ns();

	while (!done_taking(x)) {
		struct queue_message m;
		reap_all(x);
		if (x->running == x->opt->workers) {
			reap_one(x, true); /* a stop signal ends this wait too */
			continue;
		}
		int r = take(x, &m, idle_since);
		if (r == 0) {
			x->taken++;
			idle_since = monotonic_ns();
			start(x, &m);
			continue;
		}
		if (r == -EPIPE)
			continue; /* a command ended */
		if (r == -EAGAIN && x->opt->drain) {
			if (!x->running)
				break; /* empty, and nothing running that could put one back */
			reap_one(x, true);
			continue;
		}
		if (r == -EINTR && signals_stop_requested())
			break;
		if ((r == -EIDRM || (r == -ETIMEDOUT && x->opt->idle)) && x->opt->follow)
			break; /* an end of --follow */
		x->status = queue_cli_error_on(x->q, r, "receive");
	}
	x->stopped = signals_stop_requested() != 0;
}

/* Wait for the running commands; after a stop signal, for --kill-after at
 * most, then SIGKILL their process groups (their messages go back). */
static void wait_for_commands(struct runner *x)
{
	int64_t kill_at = 0;
	bool killed = false;

	while (x->running) {
		if (signals_stop_requested() && !kill_at)
			kill_at = monotonic_after_ns(x->opt->kill_after_ns);
		if (kill_at && !killed) {
			int64_t left = kill_at - monotonic_ns();
			if (left <= 0) {
				for (size_t i = 0; i < x->opt->workers; i++) {
					if (x->jobs[i].pid) {
						x->jobs[i].killed = true;
						kill(-x->jobs[i].pid, SIGKILL);
					}
				}
				killed = true;
			} else {
				deadline_arm(left); /* its SIGALRM ends the wait below */
			}
		}
		reap_one(x, true);
		if (kill_at && !killed)
			deadline_disarm();
	}
}

static void report(const struct runner *x)
{
	if (x->killed)
		cli_warn(
			"%s: %zu command%s still running after --kill-after killed (SIGKILL); their messages were put back",
			x->opt->name, x->killed, plural(x->killed));
	size_t left = failures_size(x->failures);
	if (!x->opt->follow && left)
		cli_warn("%s: %zu message%s put back after %s command failed", x->opt->name, left, plural(left),
			left == 1 ? "its" : "their");
	if (x->dead)
		cli_warn("%s: %zu message%s went to the dead letter", x->opt->name, x->dead, plural(x->dead));
}

static int exit_status(const struct runner *x)
{
	if (x->dead_unwritten)
		return MQ_EXIT_FAILURE;
	if (x->dead)
		return MQ_EXIT_DEADLETTER;
	if (x->status)
		return x->status;
	if (x->stopped)
		return x->opt->follow ? MQ_EXIT_OK : MQ_EXIT_FAILURE;
	if (!x->opt->follow && failures_size(x->failures))
		return MQ_EXIT_FAILURE;
	return MQ_EXIT_OK;
}

int exec_run(struct queue *q, const struct exec_options *opt)
{
	struct runner x = { .opt = opt, .q = q, .wake_r = -1 };
	int status;

	x.jobs = calloc(opt->workers, sizeof(*x.jobs));
	x.failures = failures_new(FAILURES_MAX);
	if (!x.jobs || !x.failures || env_init(&x) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	install_child_handler();
	take_messages(&x);
	wait_for_commands(&x);
	x.stopped = x.stopped || signals_stop_requested();
	report(&x);
	status = exit_status(&x);
	if (x.wake_r >= 0)
		close(x.wake_r);
	if (wake_w >= 0) {
		close(wake_w);
		wake_w = -1;
	}
	free(x.envp);
	free(x.jobs);
	failures_free(x.failures);
	return status;
}
