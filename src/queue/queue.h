/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue.h - one interface over every kind of queue mqtools speaks: the
 * kernel's POSIX (mq_*, posix.c) and System V (msg*, sysv.c) message
 * queues, queues on an AMQP 0-9-1 broker (amqp://, amqp/) and topics on an
 * MQTT broker (mqtt://, mqtt/); a network kind this build has no client
 * for answers from unbuilt.c. This header is all a tool needs: what a kind
 * can do is queue_kind_caps(), what it takes to open one is struct
 * queue_open_options, common fields first and then one sub-struct per kind
 * that needs more. Functions return 0 (or a count) on success and -errno
 * on failure; queue_strerror() words the failure. Nothing here prints,
 * exits or keeps error state: what more than the errno there is to say
 * comes back in a struct queue_detail.
 *
 * Signals: a System V wait with QUEUE_WAIT_TIMEOUT, one that watches a
 * reader, and a send that waits for room, are cut short by a POSIX timer
 * that raises SIGALRM (lib/signals.h, deadline_arm()); its handler is
 * installed at the first such wait if signals_install() has not been
 * called. A caller must leave SIGALRM to this layer. Waits return -EINTR
 * when a stop signal arrived (signals_stop_on(); the command line's policy
 * is in cli/stop.h). */
#ifndef MQTOOLS_QUEUE_H
#define MQTOOLS_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "lib/address.h"

struct queue;

enum { QUEUE_READ = 1, QUEUE_WRITE = 2 };

/* The network kinds (amqp://, mqtt://): what the command-line layer found
 * in MQTOOLS_PASSWORD or --password-file, and MQTOOLS_CAFILE, MQTOOLS_CERT,
 * MQTOOLS_KEY; NULL when not given (the system CAs). */
struct queue_credentials {
	const char *password;
	const char *tls_cafile, *tls_cert, *tls_key;
};

/* amqp:// only */
struct queue_amqp_options {
	int max_priority;  /* create: x-max-priority (0: none) */
	bool replicated;   /* create: a quorum queue */
	unsigned prefetch; /* a consumer: messages the broker may send ahead, unacked (0: the default) */
};

/* mqtt:// only: for a reader (mqrecv), the shared subscription's group
 * (NULL: QUEUE_MQTT_GROUP), or every message to every subscriber (fanout);
 * a persistent session's name, the broker's client identifier (NULL: a
 * clean session of a random identifier) */
struct queue_mqtt_options {
	const char *group;
	bool fanout;
	const char *session;
};

struct queue_open_options {
	int access;     /* QUEUE_READ and/or QUEUE_WRITE */
	bool create;    /* create if missing */
	bool exclusive; /* with create: fail if it exists */
	mode_t mode;    /* for create; QUEUE_DEFAULT_MODE unless asked */
	/* create, the kinds with QUEUE_CAN_MAXMSG, _MSGSIZE, _QBYTES: capacity
	 * in messages, largest message, capacity in bytes; 0 = the default
	 * (System V qbytes: leave as is) */
	long maxmsg;
	long msgsize;
	unsigned long qbytes;
	/* what one kind, or the network kinds, take beside these; a kind
	 * reads its own and no other */
	struct queue_credentials cred; /* QUEUE_CAN_LOGIN */
	struct queue_amqp_options amqp;
	struct queue_mqtt_options mqtt;
};
#define QUEUE_MQTT_GROUP "mqtools"
/* mqtt://: a received message's priority is its QoS (0..2), with
 * QUEUE_MQTT_RETAINED added when the broker gave it as the topic's
 * retained message; a send's priority is ignored */
#define QUEUE_MQTT_RETAINED 0x100
#define QUEUE_DEFAULT_MODE 0600

/* How long an operation may wait for room or for a message. */
enum queue_wait_how { QUEUE_WAIT_BLOCK, QUEUE_WAIT_NONE, QUEUE_WAIT_TIMEOUT };
struct queue_wait {
	enum queue_wait_how how;
	int64_t timeout_ns; /* QUEUE_WAIT_TIMEOUT: bound on each wait */
	/* A receive that waits also watches READER_FD (with WATCH_READER):
	 * once its reader is gone (POLLERR or POLLHUP: the read end of a pipe
	 * closed) the wait ends with -EPIPE, and no message is taken. POSIX
	 * polls it beside the queue; System V looks at it every
	 * QUEUE_READER_CHECK_NS while blocked in msgrcv. */
	bool watch_reader;
	int reader_fd;
	/* QUEUE_WAIT_NONE on a network queue, whose deliveries arrive in their
	 * own time: -EAGAIN only once the broker says the queue is empty
	 * (--drain, --nonblock; a round trip), not as soon as nothing more has
	 * arrived (the look before a wait, which must be cheap) */
	bool broker_empty;
};
#define QUEUE_READER_CHECK_NS 50000000LL /* 50 ms */

/* System V message selection for receive (QUEUE_CAN_TYPE; the other
 * kinds ignore it). */
struct queue_select {
	long type;   /* 0 any, N exactly N, -N the lowest type <= N */
	bool except; /* MSG_EXCEPT: any type but N */
};

/* A received message. data points into the queue's own buffer and stays
 * valid until the next receive or peek on that queue. */
struct queue_message {
	const char *data;
	size_t len;
	long priority; /* POSIX or amqp:// priority, System V type, mqtt:// QoS */
	/* mqtt://: the topic it was published to, NUL-terminated (a reader's
	 * address may be a filter of many); NULL for the other kinds. A
	 * received one lives as DATA does. queue_put_back publishes a message
	 * to its own topic. */
	const char *topic;
};

/* Room for a whole detail: a broker's address (up to 300 bytes) and its
 * reply text (up to 255), with the words around them; queue_detail_set
 * cuts a longer one at a word, with "...". */
#define QUEUE_DETAIL_SIZE 1024
/* More than an errno can tell about a failure: which limit an attribute
 * broke, who may change or remove the queue. The calls that take one fill
 * it when they have something to say; text[0] is NUL when they have not.
 * NULL when the caller does not want it. */
struct queue_detail {
	char text[QUEUE_DETAIL_SIZE];
};

/* What a kind of queue can do, as its backend declares it (whether or not
 * this build has its client): a tool refuses an option the queue's kind
 * cannot honour by these bits, not by naming kinds. */
enum {
	QUEUE_CAN_PRIORITY = 1 << 0,       /* a send's priority orders delivery, 0..max_priority */
	QUEUE_CAN_TYPE = 1 << 1,           /* a message has a type, and a receive selects by it */
	QUEUE_CAN_PEEK = 1 << 2,           /* queue_peek: copy a message without taking it */
	QUEUE_CAN_WAIT = 1 << 3,           /* queue_wait_message: wait for one without taking it */
	QUEUE_CAN_SAY_EMPTY = 1 << 4,      /* a receive learns that nothing more is queued */
	QUEUE_CAN_NOWAIT = 1 << 5,         /* full or empty to a client: QUEUE_WAIT_NONE has a meaning */
	QUEUE_CAN_CREATE = 1 << 6,         /* queue_open creates it (create, exclusive) */
	QUEUE_CAN_MODE = 1 << 7,           /* permission bits: a created queue's mode, queue_change */
	QUEUE_CAN_MAXMSG = 1 << 8,         /* a created queue's capacity in messages */
	QUEUE_CAN_MSGSIZE = 1 << 9,        /* a created queue's largest message */
	QUEUE_CAN_QBYTES = 1 << 10,        /* a created queue's capacity in bytes */
	QUEUE_CAN_MAX_PRIORITY = 1 << 11,  /* a created queue's number of priorities (amqp.max_priority) */
	QUEUE_CAN_REPLICATE = 1 << 12,     /* a created queue replicated across hosts (amqp.replicated) */
	QUEUE_CAN_LOGIN = 1 << 13,         /* reached with credentials (struct queue_credentials) */
	QUEUE_CAN_SUBSCRIBE = 1 << 14,     /* readers subscribe: a group, fanout, a session (mqtt) */
	QUEUE_CAN_PUT_BACK_ANY = 1 << 15,  /* queue_put_back takes any message taken, in any order */
	QUEUE_CAN_BROKER_DELETE = 1 << 16, /* queue_delete, on the broker's terms; not queue_remove */
	QUEUE_CAN_ID = 1 << 17,            /* an identifier beside the address (queue_id) */
	QUEUE_CAN_STAT = 1 << 18,          /* queue_stat_address: a count and more to show (not a topic) */
	QUEUE_CAN_RETAIN = 1 << 19,        /* the broker keeps a message for later subscribers (mqtt retain) */
};
struct queue_caps {
	unsigned can;      /* QUEUE_CAN_* */
	long max_priority; /* with QUEUE_CAN_PRIORITY: the highest a send takes */
	/* for messages that name the kinds that can do something: "POSIX",
	 * "queues" ("amqp://", "topics"), and what the kind is part of with
	 * others ("kernel"; NULL) */
	const char *name, *noun, *family;
};
#define QUEUE_KIND_COUNT (QUEUE_MQTT + 1) /* one past the last enum queue_kind */
const struct queue_caps *queue_kind_caps(enum queue_kind kind);
/* 0 when this build has KIND's client; else -EPROTONOSUPPORT, WHY saying
 * which package and configure run would bring it (for callers that serve
 * a kind without opening it through queue_open, as mqled does). */
int queue_kind_built(enum queue_kind kind, struct queue_detail *why);

/* Open (and maybe create) the queue at ADDR. */
int queue_open(const struct queue_address *addr, const struct queue_open_options *opt, struct queue **out,
	struct queue_detail *why);
void queue_close(struct queue *q);

enum queue_kind queue_kind(const struct queue *q);
const struct queue_address *queue_address(const struct queue *q);
/* Canonical address text, for messages ("/jobs", "key:0x00001234"). */
const char *queue_name(const struct queue *q);
/* What more than the errno there is to say about the latest failed call
 * on Q (a network backend: which broker refused what); text[0] is NUL when
 * there is nothing. Kernel backends leave it empty. */
const struct queue_detail *queue_last_detail(const struct queue *q);
/* Whether queue_open created it. */
bool queue_was_created(const struct queue *q);
/* The largest message the queue accepts now (POSIX mq_msgsize; System V
 * the smaller of msgmax and the queue's msg_qbytes). */
size_t queue_max_message(const struct queue *q);

/* Send one message. -EAGAIN when QUEUE_WAIT_NONE finds it full, -ETIMEDOUT when
 * the wait expires, -EINTR when a stop signal arrived, -EIDRM if removed,
 * -EMSGSIZE when it is larger than the queue accepts (System V: checked
 * again while a send waits, see QUEUE_CAPACITY_CHECK_NS).
 * A POSIX queue is checked for removal (queue_check_removed) before a send
 * that comes QUEUE_REMOVAL_CHECK_NS or more after the last check: a sender
 * with pauses in its input notices at its first message after a pause; a
 * sender in full flow costs one fstat per interval, not per message. */
int queue_send(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w);
/* The same, for a caller whose DATA has QUEUE_SEND_HEADROOM bytes of its own
 * memory before it, which this may overwrite: System V writes the mtype
 * there, in place, instead of copying the message behind one. */
#define QUEUE_SEND_HEADROOM sizeof(long)
int queue_send_headroom(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w);
#define QUEUE_REMOVAL_CHECK_NS 10000000LL /* 10 ms */
/* A System V send that waits for room looks this often whether the queue's
 * capacity (msg_qbytes, which its owner may lower) still holds the message:
 * -EMSGSIZE when it can never fit, instead of waiting for ever. */
#define QUEUE_CAPACITY_CHECK_NS 100000000LL /* 100 ms */
/* Receive one message into the queue's buffer; same errors as queue_send,
 * -ENOMSG never (an empty queue is -EAGAIN or -ETIMEDOUT). */
int queue_receive(struct queue *q, struct queue_message *m, const struct queue_select *sel, const struct queue_wait *w);
/* QUEUE_CAN_PEEK (System V): copy message INDEX (0 = oldest) without
 * removing it (MSG_COPY). -ENOMSG past the last, -ENOSYS without kernel
 * support, -EOPNOTSUPP for a kind that cannot. */
int queue_peek(struct queue *q, size_t index, struct queue_message *m);
/* Wait until a message is queued, without taking it: 0 then, -EAGAIN for
 * QUEUE_WAIT_NONE on an empty queue, -ETIMEDOUT, -EINTR on a stop signal, -EIDRM
 * if removed. QUEUE_CAN_WAIT (POSIX: poll(2) on the descriptor);
 * -EOPNOTSUPP for a kind that cannot wait for a message without taking it. */
int queue_wait_message(struct queue *q, const struct queue_wait *w);

/* Put back MSGS, messages this process took, each with its priority or
 * type; nothing else on the queue is touched. They land where a send puts
 * them: POSIX by priority, behind the messages of the same priority already
 * queued; System V at the tail. The wait for room is bounded by BOUND_NS in
 * all, and ends at once on a stop signal (after which nothing waits: each
 * message gets one try). Returns how many were put back, in order from the
 * first; *ERR is why the next one was not (0 when all were). */
size_t queue_put_back(struct queue *q, const struct queue_message *msgs, size_t n, int64_t bound_ns, int *err);
#define QUEUE_PUT_BACK_BOUND_NS 1000000000LL /* 1 s */

/* A network kind: wait until the broker has confirmed every message sent
 * (amqp:// publisher confirms), W bounding the wait for room in a full
 * queue; 0, or -errno as for queue_send. A kernel queue: 0 at once. */
int queue_flush(struct queue *q, const struct queue_wait *w);
/* Of the sends on Q that returned 0, how many, counted back from the
 * latest, the queue may not hold: amqp://, those from the first message
 * the broker has not confirmed on (queue_flush waits for them). The sends
 * before them are in the queue for sure, so a sender that fails counts
 * sent its sends less this: a caller that sends again from the next one
 * on loses none and may repeat some. 0 for a kind whose send returns once
 * the queue has the message (a kernel queue, mqtt://). */
unsigned long long queue_unconfirmed(struct queue *q);
/* A network kind: every message received so far but the last UNWRITTEN was
 * written whole, so the broker may forget it (amqp:// acks). The others
 * stay unacked: put back (queue_put_back), or redelivered once this
 * process is gone. A kernel queue took them already: nothing to do. */
void queue_settle(struct queue *q, size_t unwritten);

/* QUEUE_CAN_BROKER_DELETE (amqp://), an open queue: delete it, only if no consumer uses it
 * and it holds no message unless FORCE (-EBUSY, -ENOTEMPTY otherwise, the
 * broker's words in queue_last_detail). -EOPNOTSUPP for the other kinds. */
int queue_delete(struct queue *q, bool force);
/* What a broker says of an open queue without the management plugin: its
 * ready messages and consumers (a passive declare), whether it is durable
 * and its type ("classic", "quorum"; found by declares the broker refuses
 * when they differ). -EOPNOTSUPP for a kernel queue. */
struct queue_broker_info {
	unsigned long ready, consumers;
	int durable;   /* 1, 0, or -1 unknown */
	char type[16]; /* "" unknown */
};
int queue_broker_stat(struct queue *q, struct queue_broker_info *info);

/* Whether Q was opened for writing (mqrecv may fall back to read-only). */
bool queue_writable(const struct queue *q);
/* -EIDRM if the queue is known to have been removed since it was opened
 * (POSIX: its inode has no link left; System V says so at the next call
 * anyway), else 0. One fstat(2) for POSIX, nothing for System V. */
int queue_check_removed(struct queue *q);
/* -EIDRM if the queue was removed while it still held messages, with their
 * number in *LEFT: what a sender's last messages went into. A queue removed
 * after someone received all it held lost nothing: 0. */
int queue_check_stranded(struct queue *q, unsigned long *left);

/* What the kernel tells about a queue; unknown fields are flagged, never guessed. */
enum {
	QI_OWNER = 1 << 0,      /* uid, gid, cuid, cgid, mode */
	QI_COUNTS = 1 << 1,     /* messages, used_bytes */
	QI_POSIX_ATTR = 1 << 2, /* maxmsg, msgsize */
	QI_QBYTES = 1 << 3,     /* qbytes */
	QI_TIMES = 1 << 4,      /* stime, rtime, ctime */
	QI_PIDS = 1 << 5,       /* lspid, lrpid */
	QI_NOTIFY = 1 << 6,     /* notify_pid */
	QI_CTIME = 1 << 7,      /* ctime alone (POSIX: inode change time) */
	QI_ALL = (1 << 8) - 1,
};
struct queue_info {
	struct queue_address addr;
	unsigned known; /* QI_* */
	uid_t uid, cuid;
	gid_t gid, cgid;
	mode_t mode;
	unsigned long messages;
	unsigned long used_bytes;
	long maxmsg, msgsize;
	unsigned long qbytes;
	int64_t stime, rtime, ctime; /* seconds since the epoch, 0 = never */
	pid_t lspid, lrpid;
	pid_t notify_pid;
};
/* Stat by address without opening for reading or writing. */
int queue_stat_address(const struct queue_address *addr, struct queue_info *info);
/* The creator of the queue IN when it is not its owner: the kernel lets a
 * System V queue's creator (cuid) change the queue's owner, group and mode
 * (open it to anyone) and remove it for the queue's whole life, whoever
 * owns it since. Whoever judges whether a queue is someone else's asks this
 * as well as the owner. (uid_t)-1 when there is no such user: a POSIX
 * queue (its owner alone), creator and owner one, QI_OWNER unknown. */
uid_t queue_info_other_creator(const struct queue_info *in);
/* Call FN for every queue of KIND on the machine (in this IPC namespace).
 * WANT (QI_*) is what the caller needs: a field that costs a call per queue
 * is read only when asked for (System V msg_qbytes, absent from
 * /proc/sysvipc/msg; POSIX maxmsg, msgsize and messages, which need an
 * mq_open). The rest comes with the listing and is filled in any case. */
int queue_enumerate(enum queue_kind kind, unsigned want, int (*fn)(const struct queue_info *info, void *arg),
	void *arg);
/* Remove the queue at ADDR. */
int queue_remove(const struct queue_address *addr, struct queue_detail *why);
/* Whether queue_remove would be refused this process for the queue IN
 * describes, by the kernel's rule and without trying (for mqrm -n):
 * -EPERM, WHY worded as queue_remove's refusal; 0 when it would be
 * allowed, or when the owner is unknown or the kind's broker decides. */
int queue_may_remove(const struct queue_info *in, struct queue_detail *why);

/* Error wording, once for all tools: "what went wrong; what to do" for ERR
 * (negative errno from the calls above) during ACTION ("open", "send", ...)
 * on a queue of KIND, into BUF; WHY's text instead when it has one (WHY
 * may be NULL). Returns BUF. */
const char *queue_strerror(char *buf, size_t len, int err, enum queue_kind kind, const char *action,
	const struct queue_detail *why);
/* The start of the wording of -ENOENT, for a tool that words it its own way. */
#define QUEUE_NO_SUCH_QUEUE "no such queue"

/* A process that has a System V queue open holds a memfd of this name and
 * the queue's id ("mqtools-msq:32768"): its /proc/PID/fd link shows it, so
 * that mqstat and mqrm --orphaned see every user of the queue, not only one
 * caught sleeping in msgrcv at the moment they look. */
#define QUEUE_SYSV_MARKER "mqtools-msq:"

/* Kernel limits, read from /proc/sys; -1 when unreadable. */
long queue_limit(const char *proc_file);
#define PROC_MQ_MSG_MAX "/proc/sys/fs/mqueue/msg_max"
#define PROC_MQ_MSGSIZE_MAX "/proc/sys/fs/mqueue/msgsize_max"
#define PROC_MQ_QUEUES_MAX "/proc/sys/fs/mqueue/queues_max"
#define PROC_MQ_MSG_DEFAULT "/proc/sys/fs/mqueue/msg_default"
#define PROC_MQ_MSGSIZE_DEFAULT "/proc/sys/fs/mqueue/msgsize_default"
#define PROC_MSGMAX "/proc/sys/kernel/msgmax"
#define PROC_MSGMNB "/proc/sys/kernel/msgmnb"
#define PROC_MSGMNI "/proc/sys/kernel/msgmni"
#define MQUEUE_MOUNT "/dev/mqueue"

/* RLIMIT_MSGQUEUE (charge.c). The kernel charges each POSIX queue, from its
 * creation to its removal, to the real uid of the process that created it
 * (in that process's user namespace, whatever IPC namespace the queue is
 * in, and whoever owns it later), this many bytes: */
unsigned long long queue_posix_charge(long maxmsg, long msgsize);
/* What the kernel counts now against the caller's real uid, measured: the
 * kernel tells no one, but refuses a queue that does not fit, so probes
 * made in new IPC namespaces of their own, seen by no one, under lowered
 * soft limits find it. Into *USED; *AT_LEAST when it is past what the hard
 * limit lets the probes tell (the account is full). 0, or -errno when it
 * cannot be measured (no new IPC namespace allowed: then only estimated,
 * see queue_list_usage). Some 30 child processes. */
int queue_posix_charged(unsigned long long *used, bool *at_least);

/* Changing an existing queue: owner, group, mode and (System V) capacity,
 * as chown(2)/chmod(2) and IPC_SET do. Only the fields flagged in SET change. */
enum { QC_OWNER = 1 << 0, QC_GROUP = 1 << 1, QC_MODE = 1 << 2, QC_QBYTES = 1 << 3 };
struct queue_change {
	unsigned set; /* QC_* */
	uid_t uid;
	gid_t gid;
	mode_t mode;          /* permission bits, 0..0777 */
	unsigned long qbytes; /* System V: capacity in bytes */
};
/* Change the open queue Q: POSIX by fchown/fchmod on its descriptor,
 * System V by IPC_SET on its identifier. QC_QBYTES on POSIX is -EINVAL
 * (its capacity is fixed at creation). -EPERM leaves who may do it in the
 * wording of queue_strerror(). */
int queue_change(struct queue *q, const struct queue_change *c, struct queue_detail *why);
/* The same by address, without access to the queue's messages: its owner
 * may change a queue whose mode lets no one read or write it. */
int queue_change_address(const struct queue_address *addr, const struct queue_change *c, struct queue_detail *why);
/* System V: the queue's identifier (what id:ID names); -1 for POSIX. */
int queue_id(const struct queue *q);

#endif
