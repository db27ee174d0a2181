/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysv.c - System V message queues (sysvipc(7)) behind queue.h.
 *
 * msgsnd and msgrcv have no timeout: a bound is set with the deadline timer
 * of signals.c, whose SIGALRM interrupts the call. A removed queue wakes its
 * waiters with EIDRM (or EINVAL for a call that starts after removal). */
#include "config.h"
#include "lib/clock.h"
#include "queue/backend.h"
#include "queue/kernel-text.h"
#include "lib/signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROC_SYSVIPC_MSG "/proc/sysvipc/msg"

/* A System V queue: its identifier (msqid), and the marker that shows this
 * process as its user (QUEUE_SYSV_MARKER), or -1. */
struct sysv_queue {
	struct queue base;
	int id;
	int marker_fd;
};

static struct sysv_queue *sysv_of(struct queue *q)
{
	return QUEUE_BACKEND_OF(q, struct sysv_queue);
}

struct sysv_buf {
	long mtype;
	char mtext[];
};

static int resolve_id(const struct queue_address *addr, int flags)
{
	if (addr->form == ADDR_SYSV_ID)
		return addr->id;
	int id = msgget(addr->key, flags);
	return id < 0 ? -errno : id;
}

/* The marker of QUEUE_SYSV_MARKER; without it (no memfd_create) only a
 * process sleeping in a queue call is seen as a user, as before. */
static void mark_user(struct queue *q)
{
	char name[sizeof(QUEUE_SYSV_MARKER) + 12];
	snprintf(name, sizeof(name), QUEUE_SYSV_MARKER "%d", sysv_of(q)->id);
	sysv_of(q)->marker_fd = memfd_create(name, MFD_CLOEXEC);
}

static int sysv_open(struct queue *q, const struct queue_open_options *opt, struct queue_detail *why)
{
	/* the permission bits asked of msgget() make it check access up front */
	int want = ((opt->access & QUEUE_READ) ? S_IRUSR : 0) | ((opt->access & QUEUE_WRITE) ? S_IWUSR : 0);
	struct msqid_ds ds;
	int id = -1;

	sysv_of(q)->id = -1;
	sysv_of(q)->marker_fd = -1;

	if (q->addr.form == ADDR_SYSV_ID) {
		if (opt->create)
			return -EINVAL; /* an identifier names an existing queue */
		id = q->addr.id;
		if (msgctl(id, IPC_STAT, &ds) < 0 && errno != EACCES)
			return errno == EINVAL ? -ENOENT : -errno;
	} else {
		for (int tries = 0; tries < 8 && id < 0; tries++) {
			if (opt->create) {
				id = msgget(q->addr.key, IPC_CREAT | IPC_EXCL | (int)opt->mode);
				if (id >= 0) {
					q->created = true;
					break;
				}
				if (errno != EEXIST)
					return -errno;
				if (opt->exclusive)
					return -EEXIST;
			}
			id = msgget(q->addr.key, want);
			if (id < 0 && (errno != ENOENT || !opt->create))
				return -errno;
		}
		if (id < 0)
			return -ENOENT;
	}
	sysv_of(q)->id = id;
	mark_user(q);

	long msgmax = queue_limit(PROC_MSGMAX);
	if (msgmax <= 0)
		msgmax = 8192;
	q->max_message = (size_t)msgmax;
	if (msgctl(id, IPC_STAT, &ds) == 0) {
		if (q->created && opt->qbytes) {
			ds.msg_qbytes = opt->qbytes;
			if (msgctl(id, IPC_SET, &ds) < 0) {
				int err = errno;
				long mnb = queue_limit(PROC_MSGMNB);
				if (err == EPERM)
					queue_detail_set(why,
						"--qbytes %lu is over the system limit of %ld bytes (%s); only a privileged user may go past it",
						opt->qbytes, mnb, PROC_MSGMNB);
				msgctl(id, IPC_RMID, NULL); /* do not leave a half-made queue behind */
				return -err;
			}
		}
		/* a message larger than msg_qbytes would wait forever */
		if (ds.msg_qbytes < q->max_message)
			q->max_message = ds.msg_qbytes;
	}
	return 0;
}

static void sysv_close(struct queue *q)
{
	if (sysv_of(q)->marker_fd >= 0)
		close(sysv_of(q)->marker_fd);
}

/* After a queue call failed with ERR: was it the deadline, a stop signal,
 * or a signal to ignore (0: try again)? */
static int interrupted(int err)
{
	if (err != EINTR)
		return err == EINVAL ? -EIDRM : -err; /* EINVAL: the id went away */
	if (signals_stop_requested())
		return -EINTR;
	if (deadline_expired())
		return -ETIMEDOUT;
	return 0;
}

/* Where the kernel reads a long from any address (get_user on msgp->mtype),
 * the mtype may go in front of a record wherever it lies; elsewhere only at
 * an address aligned for a long. */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__powerpc64__) || defined(__s390x__)
#define MTYPE_ANY_ADDRESS 1
#else
#define MTYPE_ANY_ADDRESS 0
#endif

static int stat_any_by_id(int id, struct msqid_ds *ds);

/* Whether a message of LEN bytes can still fit in the queue: its owner
 * may have lowered msg_qbytes (IPC_SET) below it since it was opened, and
 * msgsnd would then wait for room that never comes. -EMSGSIZE then (the
 * queue's max_message lowered to match), -EIDRM if the queue is gone,
 * else 0 (also when the queue cannot be looked at: no read permission and
 * no MSG_STAT_ANY). */
static int capacity_check(struct queue *q, size_t len)
{
	int id = sysv_of(q)->id;
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds) < 0) {
		if (errno == EINVAL || errno == EIDRM)
			return -EIDRM;
		if (errno != EACCES || stat_any_by_id(id, &ds) < 0)
			return 0;
	}
	if (ds.msg_qbytes < q->max_message)
		q->max_message = ds.msg_qbytes;
	return len > ds.msg_qbytes ? -EMSGSIZE : 0;
}

/* The queue is full: wait in msgsnd for room, in slices of
 * QUEUE_CAPACITY_CHECK_NS (the deadline timer's SIGALRM ends each), and
 * between slices look whether the message can still fit at all. A
 * --timeout bounds the whole wait. */
static int wait_to_send(struct queue *q, char *header, size_t len, const struct queue_wait *w)
{
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_ns() + w->timeout_ns : 0;

	for (;;) {
		int64_t slice = QUEUE_CAPACITY_CHECK_NS;
		if (w->how == QUEUE_WAIT_TIMEOUT) {
			int64_t left = deadline - monotonic_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			if (left < slice)
				slice = left;
		}
		deadline_arm(slice);
		int sent = msgsnd(sysv_of(q)->id, header, len, 0);
		int err = errno;
		deadline_disarm();
		if (sent == 0)
			return 0;
		if (err != EINTR)
			return err == EINVAL ? -EIDRM : -err; /* EINVAL: the id went away */
		if (signals_stop_requested())
			return -EINTR;
		/* the slice ended, or a signal to ignore came */
		int r = capacity_check(q, len);
		if (r < 0)
			return r;
	}
}

/* msgsnd of the LEN bytes at DATA, with the mtype written in the long just
 * before them (the caller's headroom): no copy of the message. The common
 * case, room in the queue, is one msgsnd that does not wait. */
static int sysv_send_in_place(struct queue *q, char *data, size_t len, long type, const struct queue_wait *w)
{
	char *header = data - sizeof(long);

	if (len > q->max_message)
		return -EMSGSIZE;
	memcpy(header, &type, sizeof(type));
	if (w->how != QUEUE_WAIT_NONE && signals_stop_requested())
		return -EINTR;
	for (;;) {
		if (msgsnd(sysv_of(q)->id, header, len, IPC_NOWAIT) == 0)
			return 0;
		if (errno == EAGAIN)
			break;
		int r = interrupted(errno);
		if (r < 0)
			return r;
	}
	return w->how == QUEUE_WAIT_NONE ? -EAGAIN : wait_to_send(q, header, len, w);
}

/* A message without headroom is copied behind an mtype in our buffer. */
static int sysv_send(struct queue *q, const void *data, size_t len, long type, const struct queue_wait *w)
{
	if (len > q->max_message)
		return -EMSGSIZE;
	int r = queue_reserve_buffer(q, sizeof(struct sysv_buf) + len);
	if (r < 0)
		return r;
	struct sysv_buf *b = (struct sysv_buf *)q->buf;
	memcpy(b->mtext, data, len);
	return sysv_send_in_place(q, b->mtext, len, type, w);
}

static int sysv_send_headroom(struct queue *q, char *data, size_t len, long type, const struct queue_wait *w)
{
	if (!MTYPE_ANY_ADDRESS && (uintptr_t)(data - sizeof(long)) % _Alignof(long))
		return sysv_send(q, data, len, type, w);
	return sysv_send_in_place(q, data, len, type, w);
}

/* msgrcv into our buffer, growing it while the message is bigger (E2BIG
 * leaves the message on the queue: nothing is ever truncated). */
static int sysv_msgrcv(struct queue *q, long msgtyp, int flags)
{
	for (;;) {
		size_t cap = q->buf_size > sizeof(struct sysv_buf) ? q->buf_size - sizeof(struct sysv_buf) : 0;
		if (cap < q->max_message) {
			int r = queue_reserve_buffer(q, sizeof(struct sysv_buf) + q->max_message);
			if (r < 0)
				return r;
			continue;
		}
		ssize_t n = msgrcv(sysv_of(q)->id, q->buf, cap, msgtyp, flags);
		if (n >= 0)
			return (int)n;
		if (errno != E2BIG)
			return -errno;
		q->max_message = cap * 2;
	}
}

/* Whether the reader of FD is gone, without waiting. */
static bool reader_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* How long the next msgrcv may block: the whole --timeout, or with a
 * reader to watch a slice of QUEUE_READER_CHECK_NS (the deadline timer's
 * SIGALRM then wakes it to look: no busy polling). 0 to block without a
 * timer, -ETIMEDOUT when the deadline has passed. */
static int64_t next_slice(const struct queue_wait *w, int64_t deadline)
{
	int64_t slice = w->watch_reader ? QUEUE_READER_CHECK_NS : 0;
	if (w->how == QUEUE_WAIT_TIMEOUT) {
		int64_t left = deadline - monotonic_ns();
		if (left <= 0)
			return -ETIMEDOUT;
		if (!slice || left < slice)
			slice = left;
	}
	return slice;
}

static int sysv_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel,
	const struct queue_wait *w)
{
	int flags = (w->how == QUEUE_WAIT_NONE ? IPC_NOWAIT : 0) | (sel->except ? MSG_EXCEPT : 0);
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;
	int n;

	if (w->how != QUEUE_WAIT_NONE && signals_stop_requested())
		return -EINTR;
	for (;;) {
		int64_t slice = 0;
		if (w->how != QUEUE_WAIT_NONE) {
			if (w->watch_reader && reader_gone(w->reader_fd))
				return -EPIPE; /* take nothing for no one */
			if ((slice = next_slice(w, deadline)) < 0)
				return (int)slice;
			if (slice)
				deadline_arm(slice);
		}
		n = sysv_msgrcv(q, sel->type, flags);
		if (slice)
			deadline_disarm();
		if (n >= 0)
			break;
		if (n == -ENOMSG) /* IPC_NOWAIT on an empty queue */
			return -EAGAIN;
		if (n == -EINVAL)
			return -EIDRM;
		if (n != -EINTR)
			return n;
		if (signals_stop_requested())
			return -EINTR;
		/* the slice ended, or a signal to ignore: look again */
	}
	m->data = ((struct sysv_buf *)q->buf)->mtext;
	m->len = (size_t)n;
	m->priority = ((struct sysv_buf *)q->buf)->mtype;
	return 0;
}

static int sysv_peek(struct queue *q, size_t index, struct queue_message *m)
{
	int n = sysv_msgrcv(q, (long)index, IPC_NOWAIT | MSG_COPY);
	if (n < 0)
		return n == -EINVAL ? -EIDRM : n;
	m->data = ((struct sysv_buf *)q->buf)->mtext;
	m->len = (size_t)n;
	m->priority = ((struct sysv_buf *)q->buf)->mtype;
	return 0;
}

static void fill_from_ds(const struct msqid_ds *ds, struct queue_info *info)
{
	info->addr.key = ds->msg_perm.__key;
	info->uid = ds->msg_perm.uid;
	info->gid = ds->msg_perm.gid;
	info->cuid = ds->msg_perm.cuid;
	info->cgid = ds->msg_perm.cgid;
	info->mode = ds->msg_perm.mode & 0777;
	info->messages = ds->msg_qnum;
	info->used_bytes = ds->__msg_cbytes;
	info->qbytes = ds->msg_qbytes;
	info->stime = ds->msg_stime;
	info->rtime = ds->msg_rtime;
	info->ctime = ds->msg_ctime;
	info->lspid = ds->msg_lspid;
	info->lrpid = ds->msg_lrpid;
	info->known |= QI_OWNER | QI_COUNTS | QI_QBYTES | QI_TIMES | QI_PIDS | QI_CTIME;
}

/* The slot of identifier ID for MSG_STAT_ANY: the low bits of the id, 15
 * of them, or 24 when the kernel runs with ipcmni_extend. */
static int stat_any_by_id(int id, struct msqid_ds *ds)
{
	static const int masks[] = { 0x7fff, 0xffffff };
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		if (msgctl(id & masks[i], MSG_STAT_ANY, ds) == id)
			return 0;
	return -1;
}

/* The line of /proc/sysvipc/msg for ID, which every user may read. */
static int proc_stat_id(int id, struct queue_info *info)
{
	FILE *f = fopen(PROC_SYSVIPC_MSG, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = -ENOENT;

	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		struct queue_info row;
		if (ktext_sysvipc_msg_line(line, (size_t)n, &row) == 0 && row.addr.id == id) {
			*info = row;
			r = 0;
			break;
		}
	}
	free(line);
	fclose(f);
	return r;
}

/* Everything about the queue ID that the caller may know: IPC_STAT needs
 * read permission; MSG_STAT_ANY (Linux 4.17) and /proc/sysvipc/msg do not,
 * the latter lacking only msg_qbytes. */
static int sysv_stat_id(int id, struct queue_info *info)
{
	struct msqid_ds ds;
	struct queue_address addr = info->addr;

	if (msgctl(id, IPC_STAT, &ds) == 0 || (errno == EACCES && stat_any_by_id(id, &ds) == 0)) {
		fill_from_ds(&ds, info);
		return 0;
	}
	if (errno == EINVAL || errno == EIDRM)
		return -ENOENT;
	int err = errno;
	if (proc_stat_id(id, info) == 0) {
		info->addr.kind = addr.kind;
		info->addr.form = addr.form;
		return 0;
	}
	return -err;
}

static int sysv_stat_address(const struct queue_address *addr, struct queue_info *info)
{
	int id = resolve_id(addr, 0);
	if (id < 0)
		return id;
	info->addr.id = id;
	return sysv_stat_id(id, info);
}

/* msg_qbytes of the queue in INFO, which /proc/sysvipc/msg lacks: IPC_STAT
 * where the caller may read the queue, MSG_STAT_ANY otherwise; what either
 * gives is newer than the line, so it replaces all of it. -ENOENT if the
 * queue went away since; 0 with qbytes left unknown if neither answers. */
static int add_qbytes(struct queue_info *info)
{
	struct msqid_ds ds;
	if (msgctl(info->addr.id, IPC_STAT, &ds) == 0) {
		fill_from_ds(&ds, info);
		return 0;
	}
	if (errno == EINVAL || errno == EIDRM)
		return -ENOENT;
	/* unreadable (EACCES): the queue is there, whatever MSG_STAT_ANY says
	 * (a kernel without it answers EINVAL) */
	if (errno == EACCES && stat_any_by_id(info->addr.id, &ds) == 0)
		fill_from_ds(&ds, info);
	return 0;
}

/* Every queue from /proc/sysvipc/msg (open as FD), whatever their
 * permissions, read in large pieces and parsed line by line; an msgctl per
 * queue only when WANT asks for msg_qbytes. -errno if reading fails. */
static int enumerate_proc(int fd, unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	/* a line is some 100 bytes: a piece holds about 2,500 of them */
	enum { PIECE = 256 * 1024 };
	char *buf = malloc(PIECE);
	size_t have = 0;
	int r = 0;

	if (!buf)
		return -ENOMEM;
	while (r == 0) {
		ssize_t n = read(fd, buf + have, PIECE - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		have += (size_t)n;
		char *line = buf, *end = buf + have, *nl;
		while (r == 0 && (nl = memchr(line, '\n', (size_t)(end - line)))) {
			struct queue_info info;
			if (ktext_sysvipc_msg_line(line, (size_t)(nl + 1 - line), &info) == 0 &&
				(!(want & QI_QBYTES) || add_qbytes(&info) == 0))
				r = fn(&info, arg);
			/* else the header, or a queue removed since */
			line = nl + 1;
		}
		have = (size_t)(end - line);
		if (n == 0)
			break;
		if (have == PIECE) { /* a line longer than any the kernel writes */
			r = -EIO;
			break;
		}
		memmove(buf, line, have);
	}
	free(buf);
	return r;
}

/* Walk the slots with MSG_STAT_ANY (Linux 4.17): every queue, whatever
 * its permissions, every field of it msg_qbytes included, in one call per
 * queue and no text to parse. -ENOSYS, before FN is called, when the
 * kernel lacks MSG_STAT_ANY (the first queue found answers only MSG_STAT,
 * or EACCES to it), unless STAT_FALLBACK: then MSG_STAT for every slot,
 * which shows only the queues the caller may read. */
static int enumerate_slots(bool stat_fallback, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	struct msginfo mi;
	int maxidx = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
	int r = 0;
	bool stat_any_works = false;

	if (maxidx < 0)
		return -errno;
	for (int i = 0; i <= maxidx && r == 0; i++) {
		/* zeroed: valgrind 3.19 does not know MSG_STAT_ANY fills it */
		struct msqid_ds ds = { 0 };
		struct queue_info info = { 0 };
		int id = msgctl(i, MSG_STAT_ANY, &ds);
		if (id < 0 && errno == EINVAL) {
			/* an empty slot, or no MSG_STAT_ANY: MSG_STAT tells */
			id = msgctl(i, MSG_STAT, &ds);
			/* (once MSG_STAT_ANY has answered, a queue made in between) */
			if (!stat_fallback && !stat_any_works && (id >= 0 || errno != EINVAL))
				return -ENOSYS;
		} else if (id >= 0) {
			stat_any_works = true;
		}
		if (id < 0)
			continue;
		info.addr.kind = QUEUE_SYSV;
		info.addr.form = ADDR_SYSV_ID;
		info.addr.id = id;
		fill_from_ds(&ds, &info);
		r = fn(&info, arg);
	}
	return r;
}

/* Where the queues come from, the fastest first (bench/RESULTS.md,
 * "Scale"): with msg_qbytes wanted, the MSG_STAT_ANY slot walk, one call
 * per queue that gives everything; without it, one read of
 * /proc/sysvipc/msg, which lists every queue to every user. /proc (plus an
 * msgctl per queue for msg_qbytes) where the kernel lacks MSG_STAT_ANY; a
 * MSG_STAT walk only where /proc cannot be read either. */
static int sysv_enumerate(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	if (want & QI_QBYTES) {
		int r = enumerate_slots(false, fn, arg);
		if (r != -ENOSYS)
			return r;
	}
	int fd = open(PROC_SYSVIPC_MSG, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return enumerate_slots(true, fn, arg);
	int r = enumerate_proc(fd, want, fn, arg);
	close(fd);
	return r;
}

static void say_who_may_remove(const struct queue_info *in, struct queue_detail *why)
{
	queue_detail_set(why, "permission denied: only its owner (uid %u), its creator (uid %u) or root may remove it",
		(unsigned)in->uid, (unsigned)in->cuid);
}

/* IPC_RMID is for the queue's owner, its creator, or CAP_SYS_ADMIN. */
static int sysv_remove(const struct queue_address *addr, struct queue_detail *why)
{
	int id = resolve_id(addr, 0);
	if (id < 0)
		return id;
	if (msgctl(id, IPC_RMID, NULL) == 0)
		return 0;
	int err = errno;
	if (err == EINVAL || err == EIDRM)
		return -ENOENT;
	if (err == EPERM) {
		struct queue_info info = { .addr = *addr };
		if (sysv_stat_id(id, &info) == 0)
			say_who_may_remove(&info, why);
	}
	return -err;
}

/* The kernel's rule for IPC_RMID: the queue's owner, its creator, or
 * CAP_SYS_ADMIN. */
static int sysv_may_remove(const struct queue_info *in, struct queue_detail *why)
{
	uid_t me = geteuid();
	if (in->uid == me || in->cuid == me || have_effective_capability(CAP_SYS_ADMIN_BIT))
		return 0;
	say_who_may_remove(in, why);
	return -EPERM;
}

static int sysv_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why);
static int sysv_id(const struct queue *q);

const struct queue_backend queue_sysv_backend = {
	.size = sizeof(struct sysv_queue),
	.caps = {
		.can = QUEUE_CAN_TYPE | QUEUE_CAN_PEEK | QUEUE_CAN_SAY_EMPTY | QUEUE_CAN_NOWAIT | QUEUE_CAN_CREATE |
			QUEUE_CAN_MODE | QUEUE_CAN_QBYTES | QUEUE_CAN_PUT_BACK_ANY | QUEUE_CAN_ID |
			QUEUE_CAN_STAT,
		.name = "System V", .noun = "queues", .family = "kernel",
	},
	.open = sysv_open,
	.send = sysv_send,
	.send_headroom = sysv_send_headroom,
	.receive = sysv_receive,
	.peek = sysv_peek,
	.stat_address = sysv_stat_address,
	.enumerate = sysv_enumerate,
	.remove = sysv_remove,
	.may_remove = sysv_may_remove,
	.close = sysv_close,
	.change = sysv_change,
	.id = sysv_id,
};

/* --- changing owner, group, mode and capacity (queue_change) --- */

/* Why IPC_SET said EPERM: the caller is not the owner or creator, or the
 * capacity is over msgmnb, which only CAP_SYS_RESOURCE may pass. */
static void explain_set_error(const struct msqid_ds *ds, const struct queue_change *c, struct queue_detail *why)
{
	uid_t me = geteuid();
	long mnb = queue_limit(PROC_MSGMNB);

	if (me != ds->msg_perm.uid && me != ds->msg_perm.cuid)
		queue_detail_set(why,
			"permission denied: only its owner (uid %u), its creator (uid %u) or root may change it",
			(unsigned)ds->msg_perm.uid, (unsigned)ds->msg_perm.cuid);
	else if (mnb >= 0 && ds->msg_qbytes > (unsigned long)mnb)
		queue_detail_set(why,
			"%s %lu is over the system limit of %ld bytes (%s); only a privileged user may go past it",
			(c->set & QC_QBYTES) ? "--qbytes" : "its capacity", (unsigned long)ds->msg_qbytes, mnb,
			PROC_MSGMNB);
}

static int change_sysv(const struct queue_address *addr, int id, const struct queue_change *c, struct queue_detail *why)
{
	struct msqid_ds ds = { 0 };

	if (id < 0 && (id = resolve_id(addr, 0)) < 0)
		return id;
	/* IPC_SET sets owner, group, mode and capacity at once: start from
	 * what they are. IPC_STAT needs read permission, which an owner may
	 * have taken from himself; MSG_STAT_ANY does not. */
	if (msgctl(id, IPC_STAT, &ds) < 0) {
		int err = errno;
		if (err != EACCES || stat_any_by_id(id, &ds) < 0)
			return err == EINVAL || err == EIDRM ? -ENOENT : -err;
	}
	if (c->set & QC_OWNER)
		ds.msg_perm.uid = c->uid;
	if (c->set & QC_GROUP)
		ds.msg_perm.gid = c->gid;
	if (c->set & QC_MODE)
		ds.msg_perm.mode = c->mode;
	if (c->set & QC_QBYTES)
		ds.msg_qbytes = c->qbytes;
	if (msgctl(id, IPC_SET, &ds) == 0)
		return 0;
	int err = errno;
	if (err == EINVAL || err == EIDRM)
		return -ENOENT;
	if (err == EPERM)
		explain_set_error(&ds, c, why);
	return -err;
}

static int sysv_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why)
{
	return change_sysv(addr, q ? sysv_of(q)->id : -1, c, why);
}

static int sysv_id(const struct queue *q)
{
	return QUEUE_BACKEND_OF(q, const struct sysv_queue)->id;
}
