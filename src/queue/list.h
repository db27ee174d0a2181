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

/* What a listing can tell of whether anyone still uses a queue. A holder is
 * a process seen to hold it: POSIX, one that has it open; System V, one
 * blocked in msgsnd/msgrcv on it, an mqtools tool that has it open, or its
 * last sender or receiver while it runs. A queue is orphaned only when
 * both hold: no holder, and nothing happened on it for the idle time. One
 * holding messages for a consumer yet to come is never orphaned but
 * stale: System V, when nothing was ever received; POSIX, whenever it
 * holds messages (it keeps no trace of receives). Nor is one whose
 * holders could not all be seen: a caller that cannot read every
 * process's descriptors (POSIX) or blocked call (System V) gets unknown.
 * Each state's name (queue_state_name) is one word, for scripts. */
enum queue_state {
	QUEUE_STATE_UNKNOWN,  /* not enough could be read to tell */
	QUEUE_STATE_IN_USE,   /* a holder was seen, and it was active within the idle time */
	QUEUE_STATE_RECENT,   /* no holder, but active within the idle time */
	QUEUE_STATE_IDLE,     /* a holder was seen, but nothing happened for the idle time */
	QUEUE_STATE_STALE,    /* no holder, nothing happened for the idle time, messages wait for a first consumer */
	QUEUE_STATE_ORPHANED, /* no holder, nothing happened for the idle time, no message waits for a first consumer */
	QUEUE_STATE_COUNT
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
	/* Its holders (see enum queue_state), once each. */
	pid_t *users;
	size_t nusers, users_cap;
	dev_t dev; /* POSIX: the inode, to know its descriptors */
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

/* Name patterns (pattern.c), as systemctl takes unit patterns: a queue
 * argument "/" NAME that holds "*", "?" or "[" is a pattern of POSIX
 * queue names, matched by fnmatch(3) against each queue of the mqueue
 * mount ("\" makes the next character literal). */
bool queue_name_is_pattern(const char *text);
/* Add every POSIX queue whose name matches PATTERN, in name order: how
 * many (0: none matches), or -errno (-ENODEV: no mqueue mount to list). */
int queue_list_add_matching(struct queue_list *l, const char *pattern);
/* Find the users of every queue, then judge its state: idle when nothing
 * happened for IDLE_AFTER seconds, as of NOW. */
void queue_list_judge(struct queue_list *l, int64_t now, int64_t idle_after);
void queue_list_free(struct queue_list *l);
/* Fill in dev and ino of the POSIX queues from the mqueue mount (what
 * queue_list_judge does first); a queue not found there keeps ino 0. */
void queue_list_find_inodes(struct queue_list *l);

/* The state's word: "in-use", "recent", "idle", "stale", "orphaned" or
 * "unknown"; and back, -1 for a word that is none of them. */
const char *queue_state_name(enum queue_state s);
int queue_state_from_name(const char *word, size_t len);
/* The queue's name as listed: "/name", "key:0x...", or "id:N". */
static inline const char *queue_entry_name(const struct queue_entry *e)
{
	return e->info.addr.kind == QUEUE_POSIX ? e->info.addr.name : e->sysv_name;
}
/* Seconds since the last activity, or -1 if unknown. */
int64_t queue_entry_inactive(const struct queue_entry *e, int64_t now);
/* The queue's capacity in bytes (System V msg_qbytes, which may be 0;
 * POSIX maxmsg x msgsize) into *BYTES; false if unknown. */
bool queue_entry_capacity(const struct queue_entry *e, unsigned long long *bytes);
/* How full the queue is by the kernel's rule for refusing a send: POSIX
 * the larger of used bytes / capacity and messages / mq_maxmsg (always
 * the second); System V
 * the larger of used bytes and messages (each takes at least a byte of
 * msg_qbytes) over msg_qbytes. As a fraction, 1 full (more when a System
 * V capacity was lowered below what it holds), -1 if unknown: */
double queue_entry_fill_ratio(const struct queue_entry *e);
/* ... and as FILL shows it: a rounded percentage, never 0 for a queue that
 * holds something and never 100 for one that takes more; -1 if unknown. */
int queue_entry_fill(const struct queue_entry *e);
/* How many queues are of unknown state only because some process could not
 * be seen: root is needed to judge them. */
size_t queue_list_unjudged(const struct queue_list *l);

/* The name of process PID (what /proc/PID/comm says: as the process set
 * it, so escape it before a terminal sees it), for the users of a queue,
 * into BUF; -errno if it cannot be read (gone, or hidden from the caller). */
int queue_list_process_name(pid_t pid, char *buf, size_t len);

/* What the queues of a listing use of the system's limits: how many there
 * are of each kind, the largest, and an estimate of the kernel memory one
 * user's POSIX queues are charged against its RLIMIT_MSGQUEUE: the
 * queues of the listing it owns. The kernel charges the creator instead
 * (a queue given away with chown is still its creator's), in every IPC
 * namespace: queue_posix_charged measures that. -1 for what is not known:
 * a kind that could not be listed, or a POSIX queue whose attributes could
 * not be read. */
struct queue_list_usage {
	long long posix_queues, sysv_queues;
	long long largest_maxmsg, largest_msgsize; /* POSIX; msgsize in bytes */
	long long largest_qbytes;                  /* System V, of the queues whose msg_qbytes was read */
	long long charged;                         /* bytes, estimated */
};
/* The usage of L, collected with both kinds and QI_POSIX_ATTR and
 * QI_QBYTES; CHARGED for the POSIX queues UID owns. */
void queue_list_usage(const struct queue_list *l, uid_t uid, struct queue_list_usage *u);

#endif
