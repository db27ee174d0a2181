/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list.c - collect the machine's queues and judge who still uses them
 * (see list.h). The users are found in one walk of /proc, whatever the
 * number of queues: a process's descriptors for POSIX queues, its blocked
 * system call for System V queues. */
#include "config.h"
#include "queue/list.h"
#include "lib/grow.h"
#include "queue/kernel-text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <unistd.h>

static int add_info(const struct queue_info *info, void *arg)
{
	struct queue_list *l = arg;

	struct queue_entry *v = grow_array(l->v, &l->cap, l->n, sizeof(*v), 64);
	if (!v)
		return -ENOMEM;
	l->v = v;
	struct queue_entry *e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->info = *info;
	/* a POSIX queue is named by info.addr.name */
	if (info->addr.kind == QUEUE_SYSV && info->addr.key != 0) {
		/* "key:0x%08x" by hand, not snprintf: this runs for every System V
		 * queue of a listing (bench/RESULTS.md, commit 12934de) */
		static const char hex[] = "0123456789abcdef";
		unsigned key = (unsigned)info->addr.key;
		memcpy(e->sysv_name, "key:0x", 6);
		for (int i = 0; i < 8; i++)
			e->sysv_name[6 + i] = hex[(key >> (28 - 4 * i)) & 0xf];
		e->sysv_name[14] = '\0';
	} else if (info->addr.kind == QUEUE_SYSV) { /* IPC_PRIVATE: only its id reaches it */
		snprintf(e->sysv_name, sizeof(e->sysv_name), "id:%d", info->addr.id);
	}
	/* System V entries are reached by id from here on: a key can be
	 * reused by a new queue, an id far less soon. */
	if (info->addr.kind == QUEUE_SYSV)
		e->info.addr.form = ADDR_SYSV_ID;
	return 0;
}

/* POSIX first, by name; then System V, by id. */
static int compare_entries(const void *a, const void *b)
{
	const struct queue_entry *x = a, *y = b;
	if (x->info.addr.kind != y->info.addr.kind)
		return x->info.addr.kind == QUEUE_POSIX ? -1 : 1;
	if (x->info.addr.kind == QUEUE_POSIX)
		return strcmp(queue_entry_name(x), queue_entry_name(y));
	return (x->info.addr.id > y->info.addr.id) - (x->info.addr.id < y->info.addr.id);
}

/* Sorted, and each queue once: /proc/sysvipc/msg is read in pieces, and a
 * queue moving in the table between two of them can show twice. */
static void sort_unique(struct queue_list *l)
{
	size_t out = 0;

	if (!l->n)
		return; /* and l->v may be NULL, which qsort must not see */
	size_t in_order = 1;
	while (in_order < l->n && compare_entries(&l->v[in_order - 1], &l->v[in_order]) < 0)
		in_order++;
	if (in_order == l->n)
		return; /* as the kernel listed them, mostly: no sort (bench/RESULTS.md) */
	qsort(l->v, l->n, sizeof(*l->v), compare_entries);
	for (size_t i = 0; i < l->n; i++) {
		if (out && compare_entries(&l->v[out - 1], &l->v[i]) == 0)
			continue;
		l->v[out++] = l->v[i];
	}
	l->n = out;
}

int queue_list_collect(struct queue_list *l, unsigned kinds, unsigned want)
{
	if (kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) {
		l->posix_err = queue_enumerate(QUEUE_POSIX, want, add_info, l);
		if (l->posix_err == -ENOMEM)
			return -ENOMEM;
	}
	if (kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) {
		l->sysv_err = queue_enumerate(QUEUE_SYSV, want, add_info, l);
		if (l->sysv_err == -ENOMEM)
			return -ENOMEM;
	}
	sort_unique(l);
	l->sorted = true;
	return 0;
}

int queue_list_add(struct queue_list *l, const struct queue_address *addr)
{
	struct queue_info info;
	int r = queue_stat_address(addr, &info);
	if (r < 0)
		return r;
	info.addr.kind = addr->kind;
	if (addr->kind == QUEUE_POSIX)
		memcpy(info.addr.name, addr->name, sizeof(info.addr.name));
	l->sorted = false;
	return add_info(&info, l);
}

void queue_list_free(struct queue_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].users);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Whether process PID exists (in our PID namespace). */
static bool process_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static void add_user(struct queue_entry *e, pid_t pid)
{
	for (size_t i = e->nusers; i-- > 0;)
		if (e->users[i] == pid)
			return; /* several descriptors of one process, or its last send too */
	pid_t *u = grow_array(e->users, &e->users_cap, e->nusers, sizeof(*u), 4);
	if (!u)
		return;
	e->users = u;
	e->users[e->nusers++] = pid;
}

static int by_name(const void *key, const void *elem)
{
	const struct queue_entry *e = elem;
	return e->info.addr.kind != QUEUE_POSIX ? -1 : strcmp(key, e->info.addr.name);
}

static int by_id(const void *key, const void *elem)
{
	const struct queue_entry *e = elem;
	int id = *(const int *)key, other = e->info.addr.id;
	if (e->info.addr.kind != QUEUE_SYSV)
		return 1;
	return (id > other) - (id < other);
}

/* The entry KEY matches: a binary search in a collected (sorted) list, a
 * linear one among the few queues named on a command line. */
static struct queue_entry *find(const struct queue_list *l, const void *key, int (*cmp)(const void *, const void *))
{
	if (l->sorted)
		return bsearch(key, l->v, l->n, sizeof(*l->v), cmp);
	for (size_t i = 0; i < l->n; i++)
		if (cmp(key, &l->v[i]) == 0)
			return &l->v[i];
	return NULL;
}

/* Whether process PIDDIR lives in the IPC namespace IPC_NS: 1 yes, 0 no,
 * -1 not to be seen (errno set). */
static int same_ipc_ns(int piddir, const struct stat *ipc_ns)
{
	struct stat ns;
	if (fstatat(piddir, "ns/ipc", &ns, 0) < 0)
		return -1;
	return ns.st_ino == ipc_ns->st_ino && ns.st_dev == ipc_ns->st_dev;
}

/* A link "/memfd:mqtools-msq:ID (deleted)": the System V queue ID is used
 * by this process (QUEUE_SYSV_MARKER). */
static bool sysv_marker(const char *target, int *id)
{
	static const char prefix[] = "/memfd:" QUEUE_SYSV_MARKER;
	if (strncmp(target, prefix, sizeof(prefix) - 1) != 0)
		return false;
	char *end;
	errno = 0;
	long v = strtol(target + sizeof(prefix) - 1, &end, 10);
	if (errno || v < 0 || v > INT_MAX || (*end && strcmp(end, " (deleted)") != 0))
		return false;
	*id = (int)v;
	return true;
}

/* Whether the caller may look into every process of its own user
 * namespace (CAP_SYS_PTRACE there: root, as a rule). */
static bool sees_own_namespace(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[CAP_SYS_PTRACE / 32].effective & (1u << (CAP_SYS_PTRACE % 32));
}

/* A process we were not let look into hides whether it uses a queue. For
 * a caller that sees its whole user namespace, such a process is outside
 * it (a container's host, whose supervisors are not users of the
 * container's queues): not counted. For anyone else it is another user's
 * process, which may well be. */
static bool hidden(int err, bool sees_all)
{
	return (err == EACCES || err == EPERM) && !sees_all;
}

/* The descriptors of process PID (its fd directory open as FDDIR) that
 * are POSIX queues of ours: a link text "/name" narrows it down cheaply,
 * the inode makes it exact (a file /name, another namespace's queue). With
 * SYSV_NS (the process is in our IPC namespace), also the markers of the
 * System V queues it has open. Returns false when the links could not be
 * read (SEES_ALL: see hidden()): a caller with CAP_DAC_READ_SEARCH but not
 * CAP_SYS_PTRACE may list another user's descriptors, not follow them. */
static bool scan_descriptors(struct queue_list *l, int fddir, pid_t pid, bool sysv_ns, bool sees_all)
{
	DIR *d = fdopendir(fddir);
	struct dirent *de;
	bool seen = true;

	if (!d) {
		close(fddir);
		return true;
	}
	while ((de = readdir(d))) {
		char target[NAME_MAX + 8];
		struct stat st;
		ssize_t n = readlinkat(fddir, de->d_name, target, sizeof(target) - 1);
		if (n < 0 && hidden(errno, sees_all)) {
			seen = false;
			break;
		}
		if (n < 2 || target[0] != '/')
			continue;
		target[n] = '\0';
		int id;
		if (sysv_ns && sysv_marker(target, &id)) {
			struct queue_entry *e = find(l, &id, by_id);
			if (e)
				add_user(e, pid);
			continue;
		}
		if (strchr(target + 1, '/'))
			continue;
		struct queue_entry *e = find(l, target, by_name);
		if (!e || !e->ino || fstatat(fddir, de->d_name, &st, 0) < 0)
			continue;
		if (st.st_dev == e->dev && st.st_ino == e->ino)
			add_user(e, pid);
	}
	closedir(d);
	return seen;
}

/* A process sleeping in msgsnd/msgrcv uses that queue even before it has
 * sent or received anything (so before msg_lspid/msg_lrpid name it). Its
 * identifier means our queue only in our IPC namespace: the caller looks
 * only at a process of it. Returns false when the process could not be
 * looked at (another user's, for a caller that is not root). */
static bool scan_blocked_call(struct queue_list *l, int piddir, pid_t pid, bool sees_all)
{
#if defined(SYS_msgsnd) && defined(SYS_msgrcv)
	char buf[256];
	long nr;
	unsigned long long arg;
	int fd = openat(piddir, "syscall", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return !hidden(errno, sees_all);
	ssize_t n = read(fd, buf, sizeof(buf));
	int err = n < 0 ? errno : 0;
	close(fd);
	if (n < 0)
		return !hidden(err, sees_all);
	if (n == 0 || ktext_proc_syscall(buf, (size_t)n, &nr, &arg) < 0)
		return true;
	if (nr != SYS_msgsnd && nr != SYS_msgrcv)
		return true;
	int id = (int)arg;
	struct queue_entry *e = find(l, &id, by_id);
	if (e)
		add_user(e, pid);
	return true;
#else
	(void)l;
	(void)piddir;
	(void)pid;
	(void)sees_all;
	return false; /* no way to see waiters */
#endif
}

void queue_list_find_inodes(struct queue_list *l)
{
	int mq = open(MQUEUE_MOUNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	for (size_t i = 0; mq >= 0 && i < l->n; i++) {
		struct stat st;
		if (l->v[i].info.addr.kind == QUEUE_POSIX &&
			fstatat(mq, l->v[i].info.addr.name + 1, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			l->v[i].dev = st.st_dev;
			l->v[i].ino = st.st_ino;
		}
	}
	if (mq >= 0)
		close(mq);
}

static void find_users(struct queue_list *l)
{
	size_t nposix = 0, nsysv = 0;
	struct stat ipc_ns;
	DIR *proc;
	struct dirent *de;
	bool sees_all = sees_own_namespace();

	queue_list_find_inodes(l);
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].info.addr.kind == QUEUE_SYSV)
			nsysv++;
		else
			nposix++;
	}
	l->users_complete = l->sysv_users_complete = true;
	if (nsysv && stat("/proc/self/ns/ipc", &ipc_ns) < 0) {
		nsysv = 0; /* no way to tell whose identifiers are ours */
		l->sysv_users_complete = false;
	}
	proc = opendir("/proc");
	/* hidepid=2 hides other users' processes from the listing itself:
	 * pid 1, there in every PID namespace, is missing then */
	if (!proc || faccessat(dirfd(proc), "1", F_OK, 0) < 0) {
		l->users_complete = l->sysv_users_complete = false;
		if (proc)
			closedir(proc);
		return;
	}
	while ((de = readdir(proc))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		int piddir = openat(dirfd(proc), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (piddir < 0) {
			if (hidden(errno, sees_all))
				l->users_complete = l->sysv_users_complete = false;
			continue; /* else gone */
		}
		/* A process of another IPC namespace holds none of our System V
		 * queues, by marker or by call: its descriptors are read only
		 * for POSIX queues (which one may hold across namespaces) */
		int sysv_ns = nsysv ? same_ipc_ns(piddir, &ipc_ns) : 0;
		if (sysv_ns < 0 && hidden(errno, sees_all))
			l->sysv_users_complete = false;
		if (nposix || sysv_ns == 1) {
			int fddir = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fddir >= 0 ? !scan_descriptors(l, fddir, (pid_t)pid, sysv_ns == 1, sees_all) :
					 hidden(errno, sees_all))
				l->users_complete = l->sysv_users_complete = false;
		}
		if (sysv_ns == 1 && !scan_blocked_call(l, piddir, (pid_t)pid, sees_all))
			l->sysv_users_complete = false;
		close(piddir);
	}
	closedir(proc);
}

static int64_t last_activity(const struct queue_info *i)
{
	int64_t t = 0;
	if (i->known & QI_TIMES)
		t = i->stime > i->rtime ? i->stime : i->rtime;
	if ((i->known & QI_CTIME) && i->ctime > t)
		t = i->ctime;
	return t;
}

/* process_alive, remembered: the queues of a listing name the same few
 * processes over and over (thousands of queues, one dead sender), and a
 * kill() each would be most of the judging (bench/RESULTS.md, commit
 * 12934de). A pid's answer may be evicted, never wrong within one judging. */
struct alive_cache {
	pid_t pid[256];
	bool alive[256];
};

static bool alive_cached(struct alive_cache *c, pid_t pid)
{
	if (pid <= 0)
		return false;
	unsigned slot = (unsigned)pid % 256;
	if (c->pid[slot] != pid) {
		c->pid[slot] = pid;
		c->alive[slot] = process_alive(pid);
	}
	return c->alive[slot];
}

/* Whether a message in E may be waiting for the queue's first consumer;
 * true also when the count is unknown. */
static bool may_await_consumer(const struct queue_entry *e)
{
	const struct queue_info *in = &e->info;
	if (!(in->known & (QI_COUNTS | QI_POSIX_ATTR)))
		return true;
	if (in->addr.kind == QUEUE_POSIX)
		return in->messages > 0;           /* receives leave no trace */
	return in->messages > 0 && in->lrpid == 0; /* never received from */
}

static enum queue_state judge_one(const struct queue_list *l, struct queue_entry *e, struct alive_cache *alive,
	int64_t now, int64_t idle_after)
{
	const struct queue_info *in = &e->info;
	bool complete;

	if (in->addr.kind == QUEUE_POSIX) {
		if (!e->nusers && !e->ino)
			return QUEUE_STATE_UNKNOWN; /* not found in the mount: no way to know its holders */
		complete = l->users_complete;
	} else {
		if (!(in->known & QI_PIDS))
			return QUEUE_STATE_UNKNOWN;
		/* its last sender and receiver hold it while they run: shown
		 * among the holders, so that "in-use" always names one */
		if (alive_cached(alive, in->lspid))
			add_user(e, in->lspid);
		if (alive_cached(alive, in->lrpid))
			add_user(e, in->lrpid);
		complete = l->sysv_users_complete;
	}
	bool inactive = e->last_activity && now - e->last_activity >= idle_after;
	if (e->nusers)
		return inactive ? QUEUE_STATE_IDLE : QUEUE_STATE_IN_USE;
	if (!complete)
		return QUEUE_STATE_UNKNOWN; /* a holder we could not see may be there */
	if (!e->last_activity)
		return QUEUE_STATE_UNKNOWN;
	if (!inactive)
		return QUEUE_STATE_RECENT;
	return may_await_consumer(e) ? QUEUE_STATE_STALE : QUEUE_STATE_ORPHANED;
}

void queue_list_judge(struct queue_list *l, int64_t now, int64_t idle_after)
{
	struct alive_cache alive = { 0 };

	find_users(l);
	for (size_t i = 0; i < l->n; i++) {
		struct queue_entry *e = &l->v[i];
		e->last_activity = last_activity(&e->info);
		e->state = judge_one(l, e, &alive, now, idle_after);
	}
}

size_t queue_list_unjudged(const struct queue_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct queue_entry *e = &l->v[i];
		bool complete = e->info.addr.kind == QUEUE_POSIX ? l->users_complete : l->sysv_users_complete;
		if (e->state == QUEUE_STATE_UNKNOWN && !complete)
			n++;
	}
	return n;
}

static const char *const state_names[QUEUE_STATE_COUNT] = {
	[QUEUE_STATE_UNKNOWN] = "unknown",
	[QUEUE_STATE_IN_USE] = "in-use",
	[QUEUE_STATE_RECENT] = "recent",
	[QUEUE_STATE_IDLE] = "idle",
	[QUEUE_STATE_STALE] = "stale",
	[QUEUE_STATE_ORPHANED] = "orphaned",
};

const char *queue_state_name(enum queue_state s)
{
	return (unsigned)s < QUEUE_STATE_COUNT ? state_names[s] : "unknown";
}

int queue_state_from_name(const char *word, size_t len)
{
	for (int s = 0; s < QUEUE_STATE_COUNT; s++)
		if (strlen(state_names[s]) == len && !strncmp(state_names[s], word, len))
			return s;
	return -1;
}

int64_t queue_entry_inactive(const struct queue_entry *e, int64_t now)
{
	if (!e->last_activity)
		return -1;
	return now > e->last_activity ? now - e->last_activity : 0;
}

bool queue_entry_capacity(const struct queue_entry *e, unsigned long long *bytes)
{
	const struct queue_info *i = &e->info;
	if (i->addr.kind == QUEUE_SYSV) {
		*bytes = i->qbytes;
		return i->known & QI_QBYTES;
	}
	*bytes = (unsigned long long)i->maxmsg * (unsigned long long)i->msgsize;
	return i->known & QI_POSIX_ATTR;
}

/* How full E is by the kernel's own rule for refusing a send, as the
 * fraction *NUM / *DEN; false if unknown.
 * - POSIX (ipc/mqueue.c): a send waits when mq_curmsgs reaches mq_maxmsg,
 *   whatever the bytes. The larger of used / (maxmsg x msgsize) and
 *   msgs / maxmsg is always the second, since no message is longer than
 *   msgsize: the messages alone tell.
 * - System V (ipc/msg.c, do_msgsnd): a send waits when q_cbytes + its size
 *   passes q_qbytes, or when q_qnum + 1 does: each message takes at least
 *   one byte of msg_qbytes, so ten empty messages fill a queue of ten. A
 *   msg_qbytes of 0 (IPC_SET allows it) takes nothing: full, 1/1. */
static bool fill_fraction(const struct queue_entry *e, unsigned long long *num, unsigned long long *den)
{
	const struct queue_info *i = &e->info;

	if (i->addr.kind == QUEUE_POSIX) {
		if (!(i->known & QI_POSIX_ATTR) || i->maxmsg <= 0)
			return false;
		*num = i->messages;
		*den = (unsigned long long)i->maxmsg;
		return true;
	}
	if (!(i->known & QI_COUNTS) || !(i->known & QI_QBYTES))
		return false;
	*num = i->used_bytes > i->messages ? i->used_bytes : i->messages;
	*den = i->qbytes;
	if (!*den)
		*num = *den = 1;
	return true;
}

double queue_entry_fill_ratio(const struct queue_entry *e)
{
	unsigned long long num, den;
	return fill_fraction(e, &num, &den) ? (double)num / (double)den : -1;
}

int queue_entry_fill(const struct queue_entry *e)
{
	unsigned long long num, den;
	if (!fill_fraction(e, &num, &den))
		return -1;
	unsigned long long pct = (num * 100 + den / 2) / den;
	if (pct == 0 && num)
		pct = 1; /* not empty: never shown as 0% */
	if (pct >= 100 && num < den)
		pct = 99;                    /* not full: 100% says that senders wait */
	return pct > 1000 ? 1000 : (int)pct; /* over 100 when msg_qbytes was lowered */
}

int queue_list_process_name(pid_t pid, char *buf, size_t len)
{
	char path[32];

	if (len < 2)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int err = n < 0 ? errno : 0;
	close(fd);
	if (n < 0)
		return -err;
	if (n == 0)
		return -ENODATA;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

void queue_list_usage(const struct queue_list *l, uid_t uid, struct queue_list_usage *u)
{
	bool attrs_known = true, own_known = true;

	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < l->n; i++) {
		const struct queue_info *in = &l->v[i].info;
		if (in->addr.kind == QUEUE_SYSV) {
			u->sysv_queues++;
			if ((in->known & QI_QBYTES) && (long long)in->qbytes > u->largest_qbytes)
				u->largest_qbytes = (long long)in->qbytes;
			continue;
		}
		u->posix_queues++;
		if (!(in->known & QI_POSIX_ATTR)) {
			attrs_known = false;
			if (in->uid == uid)
				own_known = false;
			continue;
		}
		if (in->maxmsg > u->largest_maxmsg)
			u->largest_maxmsg = in->maxmsg;
		if (in->msgsize > u->largest_msgsize)
			u->largest_msgsize = in->msgsize;
		if (in->uid == uid)
			u->charged += (long long)queue_posix_charge(in->maxmsg, in->msgsize);
	}
	/* a kind is known only if it was listed whole */
	if (l->posix_err != 0)
		u->posix_queues = u->charged = -1;
	if (l->posix_err != 0 || !attrs_known)
		u->largest_maxmsg = u->largest_msgsize = -1;
	if (!own_known)
		u->charged = -1;
	if (l->sysv_err != 0)
		u->sysv_queues = u->largest_qbytes = -1;
}
