/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kernel-text.h - parsers (ktext_*) of what the kernel shows about queues in text.
 *
 * FUZZ TARGETS: every function here is pure (a buffer in, a struct out, no
 * I/O, no global state) and must accept any bytes of any length without
 * reading past LEN or trusting a NUL: the text comes from outside (procfs,
 * the mqueue file system, or whatever a fuzzer makes up). */
#ifndef MQTOOLS_KERNEL_TEXT_H
#define MQTOOLS_KERNEL_TEXT_H

#include <stddef.h>
#include "queue/queue.h"

/* One line of /proc/sysvipc/msg (without or with its newline):
 *   key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime
 * key is signed decimal, perms octal. Fills INFO (kind System V, form id,
 * key, id, owner, counts, times, pids; QI_QBYTES is not there) and returns
 * 0, or -1 for the header line or anything malformed, INFO then untouched. */
int ktext_sysvipc_msg_line(const char *line, size_t len, struct queue_info *info);

/* The text of /dev/mqueue/NAME:
 *   "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d" (fields padded with blanks).
 * 0 with the fields stored, or -1 if malformed. */
struct mqueue_file {
	unsigned long qsize; /* bytes of message data queued */
	int notify;          /* sigev_notify of the registration */
	int signo;           /* its signal */
	int notify_pid;      /* the registered process, 0 = none */
};
int ktext_mqueue_file(const char *buf, size_t len, struct mqueue_file *out);

/* The text of /proc/PID/syscall while the process sleeps in a system call:
 *   "NR 0xARG1 0xARG2 ... 0xSP 0xPC"
 * 0 with NR and the first argument stored; -1 for "running", "-1 ..." (not
 * in a call) or anything malformed. */
int ktext_proc_syscall(const char *buf, size_t len, long *nr, unsigned long long *arg1);

#endif
