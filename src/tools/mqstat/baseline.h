/* SPDX-License-Identifier: GPL-2.0-or-later */
/* baseline.h - a saved set of queues (mqstat --baseline), to tell later
 * which queues were created since (mqstat --new-since).
 *
 * A queue's identity is one line of text: a POSIX queue by its name and
 * the inode number of its file in the mqueue mount, a System V queue by its
 * key and identifier. A queue removed and made again gets a new inode, or
 * a new identifier (the kernel's sequence number): new. msg_ctime is no
 * part of it: a change of the queue's mode, owner or capacity (IPC_SET)
 * moves it. The file keeps it on each System V line, as it always did.
 *
 * The file: "mqstat-baseline 1", then "kinds posix sysv" (the kinds that
 * were listed), then one identity a line:
 *     posix INODE HEXNAME        (the name's bytes in hex, "/" included)
 *     sysv 0xKEY ID CTIME
 * Nothing here prints or exits: errors are -errno, and a bad file's line and
 * fault in a baseline_error. */
#ifndef MQTOOLS_MQSTAT_BASELINE_H
#define MQTOOLS_MQSTAT_BASELINE_H

#include <stddef.h>
#include "lib/file.h"
#include "queue/list.h"

/* Longest identity line, with its NUL. */
#define BASELINE_LINE_MAX (8 + 2 * (NAME_MAX + 16) + 48)

struct baseline {
	char **ids; /* sorted */
	size_t n;
	unsigned kinds; /* QUEUE_KIND_BIT()s: what the file covers */
};

struct baseline_error {
	unsigned long line; /* 0: not about one line */
	char msg[160];      /* "": the file could not be opened (FILE says why) */
	struct file_detail file;
};

/* E's identity into BUF (BASELINE_LINE_MAX bytes); -ENOENT for a POSIX
 * queue whose inode is not known (queue_list_find_inodes), gone meanwhile. */
int baseline_identity(const struct queue_entry *e, char *buf, size_t len);

/* Write the queues of L, of KINDS, to PATH: into a new temporary file in
 * the same directory, then renamed over PATH, so that a reader sees the
 * old file or the new one, never a part. The file is 0600. PATH must be
 * missing or a regular file of this user's (file_replace_start(): a
 * symbolic link, a FIFO or another user's file is refused, D says more).
 * -errno. */
int baseline_save(const char *path, const struct queue_list *l, unsigned kinds, struct file_detail *d);

/* Read PATH into B: a regular file, opened as file_open_read() opens it
 * (a symbolic link, a FIFO or a device is refused at once: -ELOOP, or
 * -EINVAL with ERR->file.type). -EINVAL for a file that is not a baseline
 * or is damaged, with the line and what is wrong in ERR; other -errno
 * from the system. */
int baseline_load(const char *path, struct baseline *b, struct baseline_error *err);
/* Whether E was in the baseline (a queue whose identity cannot be made
 * counts as known: it is gone). */
bool baseline_has(const struct baseline *b, const struct queue_entry *e);
void baseline_free(struct baseline *b);

#endif
