/* qlist.h - every queue of the machine (of this IPC namespace) with what
 * mqstat shows and mqrm selects by: the kernel's facts, the processes that
 * use each queue, and a verdict on whether anyone still does. */
#ifndef MQTOOLS_QLIST_H
#define MQTOOLS_QLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "queue.h"

enum qstate {
	QSTATE_UNKNOWN,  /* not enough could be read to tell */
	QSTATE_IN_USE,   /* someone uses it, and did lately */
	QSTATE_IDLE,     /* someone holds it, but nothing happened for a while */
	QSTATE_ORPHANED, /* POSIX: no process holds it open; System V: its last
	                    sender and last receiver are both gone */
};

struct qentry {
	struct queue_info info;
	char name[NAME_MAX + 16]; /* "/name", "key:0x...", or "id:N" for a private key */
	/* POSIX: the processes that hold it open; System V: the processes
	 * blocked in msgsnd/msgrcv on it. */
	pid_t *users;
	size_t nusers;
	dev_t dev;           /* POSIX: the inode, to know its descriptors */
	ino_t ino;
	enum qstate state;
	int64_t last_activity; /* seconds since the epoch; 0 unknown */
};

struct qlist {
	struct qentry *v;
	size_t n, cap;
	/* enumeration failures per kind (-errno; -ENODEV: mqueue not mounted) */
	int posix_err, sysv_err;
	/* whether every process's descriptors could be read (else a POSIX
	 * queue without a holder found is of unknown state) */
	bool users_complete;
	bool sorted; /* as qlist_collect leaves it: POSIX by name, System V by id */
};

enum { QLIST_POSIX = 1, QLIST_SYSV = 2 };

/* Add every queue of KINDS, with at least the QI_* fields in WANT where
 * they can be known (see queue_enumerate: some cost a call per queue).
 * Failures are kept in posix_err/sysv_err; the return is -ENOMEM or 0. */
int qlist_collect(struct qlist *l, unsigned kinds, unsigned want);
/* Add the queue at ADDR; -errno if it cannot be found. */
int qlist_add(struct qlist *l, const struct queue_address *addr);
/* Find the users of every queue, then judge its state: idle when nothing
 * happened for IDLE_AFTER seconds, as of NOW. */
void qlist_judge(struct qlist *l, int64_t now, int64_t idle_after);
void qlist_free(struct qlist *l);

const char *qstate_name(enum qstate s);
/* Seconds since the last activity, or -1 if unknown. */
int64_t qentry_inactive(const struct qentry *e, int64_t now);
/* The queue's capacity in bytes (System V msg_qbytes; POSIX maxmsg x
 * msgsize), or 0 if unknown. */
unsigned long long qentry_capacity(const struct qentry *e);

/* Whether process PID exists (in our PID namespace). */
bool process_alive(pid_t pid);

#endif
