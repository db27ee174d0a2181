/* SPDX-License-Identifier: GPL-2.0-or-later */
/* charge.c - what POSIX queues cost their creator's RLIMIT_MSGQUEUE: the
 * kernel's formula for one queue, and the caller's whole account measured
 * against the kernel itself (see queue.h). */
#include "config.h"
#include "queue/queue.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* ipc/mqueue.c, mqueue_get_inode: a queue is charged
 *     mq_maxmsg * sizeof(struct msg_msg)
 *   + min(mq_maxmsg, MQ_PRIO_MAX) * sizeof(struct posix_msg_tree_node)
 *   + mq_maxmsg * mq_msgsize.
 * struct msg_msg is a list_head, a long, a size_t and two pointers, and
 * struct posix_msg_tree_node an rb_node (three words), a list_head and an
 * int: six words each, 48 bytes on a 64-bit kernel, 24 on a 32-bit one. */
#define KERNEL_WORDS_PER_MESSAGE 6
#define KERNEL_MQ_PRIO_MAX 32768ULL

unsigned long long queue_posix_charge(long maxmsg, long msgsize)
{
	unsigned long long m = maxmsg > 0 ? (unsigned long long)maxmsg : 0;
	unsigned long long word = sizeof(long), nodes = m < KERNEL_MQ_PRIO_MAX ? m : KERNEL_MQ_PRIO_MAX;
	return m * KERNEL_WORDS_PER_MESSAGE * word + nodes * KERNEL_WORDS_PER_MESSAGE * word +
		m * (msgsize > 0 ? (unsigned long long)msgsize : 0);
}

/* What a probe child tells by its exit status. */
enum { PROBE_FITS = 0, PROBE_FULL = 1, PROBE_FAILED = 2 };

static bool write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text);
}

/* In a new user namespace, the caller's own uid and gid mapped to
 * themselves, so that a queue made there can have an owner. */
static bool map_self(uid_t uid, gid_t gid)
{
	char map[64];
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (!write_text("/proc/self/uid_map", map))
		return false;
	write_text("/proc/self/setgroups", "deny"); /* absent before Linux 3.19 */
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	return write_text("/proc/self/gid_map", map);
}

/* The child of one probe (ARG: the soft limit): with its soft
 * RLIMIT_MSGQUEUE there, make the smallest queue, in a new IPC namespace
 * of its own, which no one else sees. The kernel charges it to the same
 * account (the real uid's, in the caller's user namespace). Without
 * CAP_SYS_ADMIN the new IPC namespace needs a new user namespace: the
 * kernel then checks the charge against the limit there and at every level
 * above it, the caller's level against the soft limit as it was when the
 * namespace was made: the one set here. Returns its answer, which is the
 * child's exit status (clone). */
static int probe_child(void *arg)
{
	rlim_t soft = *(const rlim_t *)arg;
	struct rlimit rl;
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (getrlimit(RLIMIT_MSGQUEUE, &rl) < 0)
		return PROBE_FAILED;
	rl.rlim_cur = soft;
	if (setrlimit(RLIMIT_MSGQUEUE, &rl) < 0)
		return PROBE_FAILED;
	if (unshare(CLONE_NEWIPC) < 0 && (unshare(CLONE_NEWUSER | CLONE_NEWIPC) < 0 || !map_self(uid, gid)))
		return PROBE_FAILED;
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 1 };
	mqd_t q = mq_open("/mqtools-charge-probe", O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		return errno == EMFILE ? PROBE_FULL : PROBE_FAILED;
	/* given back before the end: the namespace itself is freed later, by
	 * a kernel worker, and the next probe must not count this one */
	mq_unlink("/mqtools-charge-probe");
	mq_close(q);
	return PROBE_FITS;
}

/* Whether the smallest queue fits under a soft limit of SOFT: 1 yes, 0 no,
 * -errno if the probe could not be made. The probe runs in a child (as
 * after fork: memory of its own) that ends when probe_child returns. It
 * sends no SIGCHLD at its end (waited for with __WCLONE): a caller that
 * ignores SIGCHLD, which survives exec, would have the kernel reap it
 * before its status could be read. */
static int fits_under(rlim_t soft)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	int st;
	pid_t pid = clone(probe_child, stack + sizeof(stack), 0, &soft);

	if (pid < 0)
		return -errno;
	while (waitpid(pid, &st, __WCLONE) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(st) || WEXITSTATUS(st) == PROBE_FAILED)
		return -EPERM;
	return WEXITSTATUS(st) == PROBE_FITS;
}

int queue_posix_charged(unsigned long long *used, bool *at_least)
{
	struct rlimit rl;
	const rlim_t probe = (rlim_t)queue_posix_charge(1, 1);

	*at_least = false;
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) < 0)
		return -errno;
	/* as high as the soft limit may be set: the hard limit */
	rlim_t top = rl.rlim_max == RLIM_INFINITY ? (rlim_t)1 << 62 : rl.rlim_max;
	if (top < probe)
		return -ERANGE;
	/* The smallest soft limit the probe fits under is what is used, plus
	 * the probe: found by doubling, then halving the gap (some 2 log2 of
	 * the use over the probe's 97 bytes, 26 probes for 800 KiB). */
	rlim_t fails = 0, fits = probe;
	int r;
	while ((r = fits_under(fits)) == 0) {
		fails = fits;
		if (fits == top) {
			*used = (unsigned long long)(top - probe + 1);
			*at_least = true;
			return 0;
		}
		fits = fits > top / 2 ? top : fits * 2;
	}
	if (r < 0)
		return r;
	while (fits - fails > 1) {
		rlim_t mid = fails + (fits - fails) / 2;
		if ((r = fits_under(mid)) < 0)
			return r;
		if (r)
			fits = mid;
		else
			fails = mid;
	}
	*used = (unsigned long long)(fits - probe);
	return 0;
}
