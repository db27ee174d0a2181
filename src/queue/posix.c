/* SPDX-License-Identifier: GPL-2.0-or-later */
/* posix.c - POSIX message queues (mq_overview(7)) behind queue.h.
 *
 * The descriptor is non-blocking, so sends and receives first try without
 * waiting: the one syscall of the common case, with no timeout for the
 * kernel to copy in and convert (mq_send and mq_receive pass none). Only
 * when the queue is full or empty do we wait, in poll(2) on the queue
 * descriptor together with an inotify watch on its inode: mq_unlink() never
 * wakes a blocked mq_send or mq_receive, but it does change the inode's
 * link count, so a waiter learns that its queue is gone instead of sleeping
 * forever. */
#include "config.h"
#include "lib/clock.h"
#include "queue/backend.h"
#include "queue/kernel-text.h"
#include "lib/signals.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

/* The mqueue file system's statfs f_type (ipc/mqueue.c; not in linux/magic.h). */
#define MQUEUE_MAGIC 0x19800202

/* Linux's hard ceilings, for privileged callers (CAP_SYS_RESOURCE). */
#define HARD_MSG_MAX 65536L
#define HARD_MSGSIZE_MAX (16L * 1024 * 1024)

/* A POSIX queue: its descriptor, and the inotify watch that notices its
 * removal (-1 until a wait needs it). */
struct posix_queue {
	struct queue base;
	int fd;
	int watch_fd;
};

static struct posix_queue *posix_of(struct queue *q)
{
	return QUEUE_BACKEND_OF(q, struct posix_queue);
}

/* Why the kernel refused to create a queue with these attributes. Callers
 * with CAP_SYS_RESOURCE may pass the /proc/sys limits, up to hard ceilings. */
static void explain_attr_error(int err, const struct queue_open_options *opt, long maxmsg, long msgsize,
	struct queue_detail *why)
{
	bool privileged = have_capability(CAP_SYS_RESOURCE_BIT);
	long msg_max = privileged ? HARD_MSG_MAX : queue_limit(PROC_MQ_MSG_MAX);
	long size_max = privileged ? HARD_MSGSIZE_MAX : queue_limit(PROC_MQ_MSGSIZE_MAX);
	const char *msg_src = privileged ? "the kernel's hard limit" : PROC_MQ_MSG_MAX;
	const char *size_src = privileged ? "the kernel's hard limit" : PROC_MQ_MSGSIZE_MAX;

	if (err == EINVAL && opt->maxmsg && maxmsg > msg_max)
		queue_detail_set(why, "--maxmsg %ld is over the system limit of %ld messages (%s)", maxmsg, msg_max,
			msg_src);
	else if (err == EINVAL && opt->msgsize && msgsize > size_max)
		queue_detail_set(why, "--msgsize %ld is over the system limit of %ld bytes (%s)", msgsize, size_max,
			size_src);
	else if (err == EMFILE) {
		struct rlimit rl;
		char limit[64] = "ulimit -q";
		if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			snprintf(limit, sizeof(limit), "%llu bytes, ulimit -q", (unsigned long long)rl.rlim_cur);
		queue_detail_set(why,
			"a queue of %ld messages of %ld bytes, charged %llu bytes, does not fit in what is left of your "
			"RLIMIT_MSGQUEUE (%s; mqstat -g shows what is used); use smaller --maxmsg/--msgsize, remove "
			"unused queues, or raise the limit",
			maxmsg, msgsize, queue_posix_charge(maxmsg, msgsize), limit);
	}
}

static int posix_open(struct queue *q, const struct queue_open_options *opt, struct queue_detail *why)
{
	int access = (opt->access == (QUEUE_READ | QUEUE_WRITE)) ? O_RDWR :
		(opt->access & QUEUE_WRITE)                      ? O_WRONLY :
								   O_RDONLY;
	/* non-blocking: every wait is in posix_wait; close-on-exec: a command
	 * mqrecv runs must not hold the queue */
	int oflag = access | O_NONBLOCK | O_CLOEXEC;
	struct mq_attr attr = { 0 }, *attrp = NULL;
	mqd_t fd = (mqd_t)-1;

	posix_of(q)->fd = -1;
	posix_of(q)->watch_fd = -1;
	if (opt->maxmsg || opt->msgsize) {
		/* the kernel wants both; the one not given takes the system default */
		attr.mq_maxmsg = opt->maxmsg ? opt->maxmsg : queue_limit(PROC_MQ_MSG_DEFAULT);
		attr.mq_msgsize = opt->msgsize ? opt->msgsize : queue_limit(PROC_MQ_MSGSIZE_DEFAULT);
		attrp = &attr;
	}
	/* Create exclusively first, so that we know whether we created it
	 * (mqled removes only a queue it made), then fall back to opening. */
	for (int tries = 0; tries < 8 && fd == (mqd_t)-1; tries++) {
		if (opt->create) {
			fd = mq_open(q->addr.name, oflag | O_CREAT | O_EXCL, opt->mode, attrp);
			if (fd != (mqd_t)-1) {
				q->created = true;
				/* mq_open applies the umask; the mode asked for is the mode given */
				fchmod(fd, opt->mode);
				break;
			}
			if (errno != EEXIST) {
				int err = errno;
				if (!attrp) { /* the kernel's defaults were used: read them only to explain */
					attr.mq_maxmsg = queue_limit(PROC_MQ_MSG_DEFAULT);
					attr.mq_msgsize = queue_limit(PROC_MQ_MSGSIZE_DEFAULT);
				}
				explain_attr_error(err, opt, attr.mq_maxmsg, attr.mq_msgsize, why);
				return -err;
			}
			if (opt->exclusive)
				return -EEXIST;
		}
		fd = mq_open(q->addr.name, oflag);
		if (fd == (mqd_t)-1 && (errno != ENOENT || !opt->create))
			return -errno;
	}
	if (fd == (mqd_t)-1)
		return -ENOENT;
	posix_of(q)->fd = fd;
	if (mq_getattr(fd, &attr) < 0) {
		int err = errno;
		mq_close(fd);
		return -err;
	}
	q->max_message = (size_t)attr.mq_msgsize;
	return 0;
}

static void posix_close(struct queue *q)
{
	if (posix_of(q)->watch_fd >= 0)
		close(posix_of(q)->watch_fd);
	if (posix_of(q)->fd >= 0)
		mq_close(posix_of(q)->fd);
}

/* Set up, once, the watch that tells us the queue was unlinked. */
static void watch_for_removal(struct queue *q)
{
	char path[64];

	if (posix_of(q)->watch_fd >= 0)
		return;
	posix_of(q)->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (posix_of(q)->watch_fd < 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", posix_of(q)->fd);
	if (inotify_add_watch(posix_of(q)->watch_fd, path, IN_ATTRIB | IN_DELETE_SELF) < 0) {
		close(posix_of(q)->watch_fd);
		posix_of(q)->watch_fd = -1;
	}
}

static bool unlinked(struct queue *q)
{
	struct stat st;
	return fstat(posix_of(q)->fd, &st) == 0 && st.st_nlink == 0;
}

static bool posix_removed(struct queue *q)
{
	return unlinked(q);
}

/* Our descriptor keeps an unlinked queue alive, so it still counts what it
 * holds: messages sent into it that no one received before the removal. */
static long posix_stranded(struct queue *q)
{
	struct mq_attr attr;
	if (!unlinked(q) || mq_getattr(posix_of(q)->fd, &attr) < 0)
		return 0;
	return attr.mq_curmsgs;
}

/* Whether the reader of the watched output is gone (events asked of
 * poll(2) for it are none: POLLERR and POLLHUP always come). */
static bool reader_gone(const struct pollfd *p)
{
	return p->fd >= 0 && (p->revents & (POLLERR | POLLHUP));
}

/* Wait until the queue is ready for EVENTS, or say why not. */
static int posix_wait(struct queue *q, short events, const struct queue_wait *w, int64_t deadline)
{
	if (w->how == QUEUE_WAIT_NONE)
		return -EAGAIN;
	/* once the watch is up, an unlink shows in it: the fstat(2) is needed
	 * only for one before it (or with no watch), not at every wait of a
	 * receiver that keeps catching up with its sender */
	bool watched = posix_of(q)->watch_fd >= 0;
	watch_for_removal(q);
	if ((!watched || posix_of(q)->watch_fd < 0) && unlinked(q))
		return -EIDRM;
	for (;;) {
		/* poll(2) skips an entry whose fd is negative */
		struct pollfd fds[3] = {
			{ .fd = posix_of(q)->fd, .events = events },
			{ .fd = posix_of(q)->watch_fd, .events = POLLIN },
			{ .fd = w->watch_reader ? w->reader_fd : -1, .events = 0 },
		};
		int timeout_ms = -1;

		if (signals_stop_requested())
			return -EINTR;
		if (w->how == QUEUE_WAIT_TIMEOUT) {
			int64_t left = deadline - monotonic_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			/* poll(2) counts in an int of ms, about 24.8 days: a
			 * longer wait polls again when that ends */
			int64_t ms = (left + 999999) / 1000000;
			timeout_ms = ms > INT_MAX ? INT_MAX : (int)ms;
		}
		int n = poll(fds, 3, timeout_ms);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0 && reader_gone(&fds[2]))
			return -EPIPE; /* before the queue: take nothing for no one */
		if (n > 0 && fds[1].revents) {
			char drain[4096];
			while (read(posix_of(q)->watch_fd, drain, sizeof(drain)) > 0)
				;
			if (unlinked(q))
				return -EIDRM;
		}
		if (n > 0 && fds[0].revents)
			return 0;
	}
}

static int posix_send(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w)
{
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;

	if (len > q->max_message)
		return -EMSGSIZE;
	for (;;) {
		if (mq_send(posix_of(q)->fd, data, len, (unsigned)priority) == 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return errno == EBADF ? -EACCES : -errno;
		int r = posix_wait(q, POLLOUT, w, deadline);
		if (r < 0)
			return r;
	}
}

/* POSIX sends have no header: the headroom is not needed. */
static int posix_send_headroom(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w)
{
	return posix_send(q, data, len, priority, w);
}

static int posix_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel,
	const struct queue_wait *w)
{
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;
	int r = queue_reserve_buffer(q, q->max_message);

	(void)sel;
	if (r < 0)
		return r;
	for (;;) {
		unsigned prio;
		ssize_t n = mq_receive(posix_of(q)->fd, q->buf, q->buf_size, &prio);
		if (n >= 0) {
			m->data = q->buf;
			m->len = (size_t)n;
			m->priority = prio;
			return 0;
		}
		if (errno == EMSGSIZE) { /* mq_msgsize grew? re-read it and retry */
			struct mq_attr attr;
			if (mq_getattr(posix_of(q)->fd, &attr) < 0 || (size_t)attr.mq_msgsize <= q->buf_size)
				return -EMSGSIZE;
			q->max_message = (size_t)attr.mq_msgsize;
			if ((r = queue_reserve_buffer(q, q->max_message)) < 0)
				return r;
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			return errno == EBADF ? -EACCES : -errno;
		r = posix_wait(q, POLLIN, w, deadline);
		if (r < 0)
			return r;
	}
}

/* An mqueue descriptor polls readable while the queue holds a message. */
static int posix_wait_message(struct queue *q, const struct queue_wait *w)
{
	int64_t deadline = w->how == QUEUE_WAIT_TIMEOUT ? monotonic_after_ns(w->timeout_ns) : 0;
	struct pollfd p = { .fd = posix_of(q)->fd, .events = POLLIN };

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN))
		return 0;
	return posix_wait(q, POLLIN, w, deadline);
}

static int posix_peek(struct queue *q, size_t index, struct queue_message *m)
{
	(void)q;
	(void)index;
	(void)m;
	return -EOPNOTSUPP; /* POSIX queues cannot be read without taking */
}

/* The text of /dev/mqueue/NAME: bytes queued and the notification. */
static void read_mqueue_file(int dirfd, const char *name, struct queue_info *info)
{
	char buf[256];
	struct mqueue_file mf;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0 && ktext_mqueue_file(buf, (size_t)n, &mf) == 0) {
		info->used_bytes = mf.qsize;
		info->notify_pid = mf.notify_pid;
		info->known |= QI_NOTIFY;
	}
}

static void fill_from_stat(const struct stat *st, struct queue_info *info)
{
	info->uid = info->cuid = st->st_uid;
	info->gid = info->cgid = st->st_gid;
	info->mode = st->st_mode & 07777;
	/* mqueue sets all the inode's times at every send and receive, but
	 * also atime and ctime when its file is read (as we do for QSIZE):
	 * mtime alone is the queue's last activity (or its creation). */
	info->ctime = st->st_mtime;
	info->known |= QI_OWNER | QI_CTIME;
}

static void fill_from_attr(const struct mq_attr *attr, struct queue_info *info)
{
	info->messages = (unsigned long)attr->mq_curmsgs;
	info->maxmsg = attr->mq_maxmsg;
	info->msgsize = attr->mq_msgsize;
	info->known |= QI_POSIX_ATTR;
	/* messages and bytes count together, from the two sources */
	if (info->known & QI_NOTIFY)
		info->known |= QI_COUNTS;
}

/* What can be known of the queue ADDR, DIRFD being the mqueue mount or -1.
 * Owner, mode and times come from the mount without any permission; the
 * counts and attributes need the right to open the queue for reading, and
 * are left unknown (not guessed) without it, or unread unless WANT asks for
 * QI_POSIX_ATTR. */
static int posix_stat_at(int dirfd, const struct queue_address *addr, unsigned want, struct queue_info *info)
{
	struct stat st;
	struct mq_attr attr;

	if (dirfd >= 0) {
		if (fstatat(dirfd, addr->name + 1, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		fill_from_stat(&st, info);
		read_mqueue_file(dirfd, addr->name + 1, info);
		if (!(want & QI_POSIX_ATTR))
			return 0; /* the mq_open below is for the attributes */
	}
	mqd_t fd = mq_open(addr->name, O_RDONLY | O_NONBLOCK);
	if (fd == (mqd_t)-1)
		return (info->known & QI_OWNER) && errno != ENOENT ? 0 : -errno;
	if (!(info->known & QI_OWNER) && fstat(fd, &st) == 0)
		fill_from_stat(&st, info);
	if (mq_getattr(fd, &attr) == 0)
		fill_from_attr(&attr, info);
	mq_close(fd);
	return 0;
}

/* The mqueue mount, or -1 (errno ENODEV when something else is there). */
static int open_mqueue_dir(void)
{
	struct statfs sfs;
	int fd = open(MQUEUE_MOUNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errno = ENODEV;
		return -1;
	}
	if (fstatfs(fd, &sfs) == 0 && sfs.f_type != MQUEUE_MAGIC) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

static int posix_stat_address(const struct queue_address *addr, struct queue_info *info)
{
	int dirfd = open_mqueue_dir();
	int r = posix_stat_at(dirfd, addr, QI_ALL, info);
	if (dirfd >= 0)
		close(dirfd);
	return r;
}

/* Every queue is a file in the mqueue mount: without it there is no way to
 * list them (-ENODEV; the caller names the mount command). */
static int posix_enumerate(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg)
{
	int fd = open_mqueue_dir();
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	int r = 0;

	if (!dir) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while ((de = readdir(dir)) && r == 0) {
		struct queue_info info = { 0 };
		size_t len = strlen(de->d_name);
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		if (len > NAME_MAX)
			continue;
		info.addr.kind = QUEUE_POSIX;
		info.addr.form = ADDR_POSIX_NAME;
		info.addr.name[0] = '/';
		memcpy(info.addr.name + 1, de->d_name, len + 1);
		int s = posix_stat_at(dirfd(dir), &info.addr, want, &info);
		if (s == -ENOENT)
			continue; /* removed while we looked */
		r = fn(&info, arg);
	}
	closedir(dir);
	return r;
}

static void say_who_may_remove(const struct queue_info *in, struct queue_detail *why)
{
	queue_detail_set(why, "permission denied: only its owner (uid %u) or root may remove it", (unsigned)in->uid);
}

/* /dev/mqueue is sticky: only the queue's owner (or the mount's) or a
 * privileged user may unlink it, whatever the queue's mode. */
static int posix_remove(const struct queue_address *addr, struct queue_detail *why)
{
	if (mq_unlink(addr->name) == 0)
		return 0;
	int err = errno;
	if (err == EACCES || err == EPERM) {
		struct queue_info info = { 0 };
		if (posix_stat_address(addr, &info) == 0 && (info.known & QI_OWNER))
			say_who_may_remove(&info, why);
	}
	return -err;
}

/* The kernel's rule for mq_unlink (may_delete on the sticky mount):
 * write and search on the mount, and the queue's owner, the mount's owner
 * or CAP_FOWNER. */
static int posix_may_remove(const struct queue_info *in, struct queue_detail *why)
{
	struct stat mount;
	uid_t me = geteuid();
	int dirfd = open_mqueue_dir();

	if (dirfd < 0)
		return 0; /* the removal will say what is wrong */
	bool reach = faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) == 0;
	bool mount_owner = fstat(dirfd, &mount) == 0 && mount.st_uid == me;
	close(dirfd);
	if (reach && (in->uid == me || mount_owner || have_effective_capability(CAP_FOWNER_BIT)))
		return 0;
	say_who_may_remove(in, why);
	return reach ? -EPERM : -EACCES;
}

static int posix_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why);

const struct queue_backend queue_posix_backend = {
	.size = sizeof(struct posix_queue),
	.caps = {
		.can = QUEUE_CAN_PRIORITY | QUEUE_CAN_WAIT | QUEUE_CAN_SAY_EMPTY | QUEUE_CAN_NOWAIT | QUEUE_CAN_CREATE |
			QUEUE_CAN_MODE | QUEUE_CAN_MAXMSG | QUEUE_CAN_MSGSIZE | QUEUE_CAN_PUT_BACK_ANY |
			QUEUE_CAN_STAT,
		.max_priority = 32767, /* MQ_PRIO_MAX - 1 on Linux */
		.name = "POSIX", .noun = "queues", .family = "kernel",
	},
	.open = posix_open,
	.send = posix_send,
	.send_headroom = posix_send_headroom,
	.receive = posix_receive,
	.peek = posix_peek,
	.wait_message = posix_wait_message,
	.stat_address = posix_stat_address,
	.enumerate = posix_enumerate,
	.remove = posix_remove,
	.may_remove = posix_may_remove,
	.close = posix_close,
	.change = posix_change,
	.removed = posix_removed,
	.stranded = posix_stranded,
};

/* --- changing owner, group and mode (queue_change) --- */

/* Who may do what failed with EPERM: chown(2)'s rules, which are not
 * System V's (there an owner may give the queue away). */
static void explain_change_error(int err, bool chown_failed, const struct stat *st, struct queue_detail *why)
{
	if (err != EPERM)
		return;
	if (chown_failed)
		queue_detail_set(why,
			"permission denied: only root (CAP_CHOWN) may give a POSIX queue another owner, "
			"and its owner (uid %u) may give it only a group they belong to",
			(unsigned)st->st_uid);
	else
		queue_detail_set(why, "permission denied: only its owner (uid %u) or root may change its mode",
			(unsigned)st->st_uid);
}

/* Owner and group first, then the mode: the mode asked is the mode left. */
static int change_fd(int fd, const struct queue_change *c, struct queue_detail *why)
{
	struct stat st = { 0 };
	uid_t uid = (c->set & QC_OWNER) ? c->uid : (uid_t)-1;
	gid_t gid = (c->set & QC_GROUP) ? c->gid : (gid_t)-1;

	fstat(fd, &st); /* only to name the owner in an error */
	if ((c->set & (QC_OWNER | QC_GROUP)) && fchown(fd, uid, gid) < 0) {
		int err = errno;
		explain_change_error(err, true, &st, why);
		return -err;
	}
	if ((c->set & QC_MODE) && fchmod(fd, c->mode) < 0) {
		int err = errno;
		explain_change_error(err, false, &st, why);
		return -err;
	}
	return 0;
}

/* A queue whose mode lets its owner neither read nor write it cannot be
 * opened, yet chmod(2) is the owner's right: change it through its file
 * in the mqueue mount (no symbolic links there to follow). */
static int change_in_mount(const struct queue_address *addr, const struct queue_change *c, struct queue_detail *why)
{
	const char *file = addr->name + 1;
	uid_t uid = (c->set & QC_OWNER) ? c->uid : (uid_t)-1;
	gid_t gid = (c->set & QC_GROUP) ? c->gid : (gid_t)-1;
	struct stat st;
	int r = 0;
	int dirfd = open_mqueue_dir();

	if (dirfd < 0)
		return -EACCES; /* what mq_open said; without the mount nothing more can be done */
	if (fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	else if ((c->set & (QC_OWNER | QC_GROUP)) && fchownat(dirfd, file, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
		r = -errno;
		explain_change_error(-r, true, &st, why);
	} else if ((c->set & QC_MODE) && fchmodat(dirfd, file, c->mode, 0) < 0) {
		r = -errno;
		explain_change_error(-r, false, &st, why);
	}
	close(dirfd);
	return r;
}

static int change_posix(const struct queue_address *addr, int fd, const struct queue_change *c,
	struct queue_detail *why)
{
	if (c->set & QC_QBYTES)
		return -EINVAL;
	if (fd >= 0)
		return change_fd(fd, c, why);
	/* any access will do: the descriptor is only for fchown and fchmod */
	mqd_t q = mq_open(addr->name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (q == (mqd_t)-1 && errno == EACCES)
		q = mq_open(addr->name, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (q == (mqd_t)-1)
		return errno == EACCES ? change_in_mount(addr, c, why) : -errno;
	int r = change_fd(q, c, why);
	mq_close(q);
	return r;
}

static int posix_change(struct queue *q, const struct queue_address *addr, const struct queue_change *c,
	struct queue_detail *why)
{
	return change_posix(addr, q ? posix_of(q)->fd : -1, c, why);
}
