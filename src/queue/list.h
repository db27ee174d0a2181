/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list.h - every queue of the machine (of this IPC namespace) with what
 * mqstat shows and mqrm selects by: the kernel's facts, the processes that
 * use each queue, and a verdict on whether anyone still does. */
#ifndef MQTOOLS_QUEUE_LIST_H
#define MQTOOLS_QUEUE_LIST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "queue/queue.h"

/* A queue is orphaned only when both hold: no process holds it (POSIX:
 * has it open; System V: sent or received last and lives, or is blocked
 * on it), and nothing happened on it for the idle time. One holding
 * messages for a consumer yet to come is never orphaned: System V, when
 * nothing was ever received; POSIX, whenever it holds messages (it keeps
 * no trace of receives). Nor is one whose holders could not all be seen:
 * a caller that cannot read every process's descriptors (POSIX) or
 * blocked call (System V) gets unknown. */
enum queue_state {
	QUEUE_STATE_UNKNOWN,  /* not enough could be read to tell */
	QUEUE_STATE_IN_USE,   /* used, or active within the idle time */
	QUEUE_STATE_IDLE,     /* not orphaned, but nothing happened for the idle time */
	QUEUE_STATE_ORPHANED, /* nobody holds it, idle, no message waits for a first consumer */
};

/* The idle time mqstat and mqrm judge by unless told otherwise. */
#define QUEUE_LIST_DEFAULT_IDLE_AFTER (10 * 60)

struct queue_entry {
	struct queue_info info;
	/* System V: its name, "key:0x..." or "id:N" for a private key (a POSIX
	 * queue's is info.addr.name): see queue_entry_name. Not NAME_MAX long:
	 * a listing walks every entry, and a small one touches fewer pages
	 * (bench/RESULTS.md, commit 18c4918). */
	char sysv_name[24];
	/* POSIX: the processes that hold it open; System V: the processes
	 * blocked in msgsnd/msgrcv on it. */
	pid_t *users;
	size_t nusers, users_cap;
	dev_t dev;           /* POSIX: the inode, to know its descriptors */
	ino_t ino;
	enum queue_state state;
	int64_t last_activity; /* seconds since the epoch; 0 unknown */
};

struct queue_list {
	struct queue_entry *v;
	size_t n, cap;
	/* enumeration failures per kind (-errno; -ENODEV: mqueue not mounted) */
	int posix_err, sysv_err;
	/* whether every process's descriptors (POSIX) and blocked call
	 * (System V) could be read; else a queue without a holder found is of
	 * unknown state. Only root can, as a rule. */
	bool users_complete, sysv_users_complete;
	bool sorted; /* as queue_list_collect leaves it: POSIX by name, System V by id */
};

/* A set of kinds, for queue_list_collect and the like: one bit per enum queue_kind. */
#define QUEUE_KIND_BIT(kind) (1u << (kind))

/* Add every queue of KINDS, with at least the QI_* fields in WANT where
 * they can be known (see queue_enumerate: some cost a call per queue).
 * Failures are kept in posix_err/sysv_err; the return is -ENOMEM or 0. */
int queue_list_collect(struct queue_list *l, unsigned kinds, unsigned want);
/* Add the queue at ADDR; -errno if it cannot be found. */
int queue_list_add(struct queue_list *l, const struct queue_address *addr);
/* Find the users of every queue, then judge its state: idle when nothing
 * happened for IDLE_AFTER seconds, as of NOW. */
void queue_list_judge(struct queue_list *l, int64_t now, int64_t idle_after);
void queue_list_free(struct queue_list *l);
/* Fill in dev and ino of the POSIX queues from the mqueue mount (what
 * queue_list_judge does first); a queue not found there keeps ino 0. */
void queue_list_find_inodes(struct queue_list *l);

const char *queue_state_name(enum queue_state s);
/* The queue's name as listed: "/name", "key:0x...", or "id:N". */
static inline const char *queue_entry_name(const struct queue_entry *e)
{
	return e->info.addr.kind == QUEUE_POSIX ? e->info.addr.name : e->sysv_name;
}
/* Seconds since the last activity, or -1 if unknown. */
int64_t queue_entry_inactive(const struct queue_entry *e, int64_t now);
/* The queue's capacity in bytes (System V msg_qbytes; POSIX maxmsg x
 * msgsize), or 0 if unknown. */
unsigned long long queue_entry_capacity(const struct queue_entry *e);
/* Used bytes as a percentage of the capacity, rounded, but never 0 for a
 * queue that holds something (over 100 when a System V capacity was
 * lowered below what it holds); -1 if unknown. */
int queue_entry_fill(const struct queue_entry *e);
/* How many queues are of unknown state only because some process could not
 * be seen: root is needed to judge them. */
size_t queue_list_unjudged(const struct queue_list *l);

/* The name of process PID (what /proc/PID/comm says: as the process set
 * it, so escape it before a terminal sees it), for the users of a queue,
 * into BUF; -errno if it cannot be read (gone, or hidden from the caller). */
int queue_list_process_name(pid_t pid, char *buf, size_t len);

/* What the queues of a listing use of the system's limits: how many there
 * are of each kind, the largest, and the kernel memory the POSIX queues of
 * one user are charged against its RLIMIT_MSGQUEUE. -1 for what is not
 * known: a kind that could not be listed, or a POSIX queue whose
 * attributes could not be read. */
struct queue_list_usage {
	long long posix_queues, sysv_queues;
	long long largest_maxmsg, largest_msgsize; /* POSIX; msgsize in bytes */
	long long largest_qbytes;                  /* System V, of the queues whose msg_qbytes was read */
	long long charged;                         /* bytes */
};
/* The usage of L, collected with both kinds and QI_POSIX_ATTR and
 * QI_QBYTES; CHARGED for the POSIX queues UID owns. */
void queue_list_usage(const struct queue_list *l, uid_t uid, struct queue_list_usage *u);

#endif
