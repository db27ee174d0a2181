/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue-cli.h - the options every tool that opens a queue shares:
 * --create, --exclusive, --mode, --maxmsg, --msgsize, --qbytes, --nonblock,
 * --timeout, and --password-file for the network kinds; with those of
 * amqp-cli.h and mqtt-cli.h, their checks against what the queue's kind
 * can do (caps-cli.h), and the open itself. */
#ifndef MQTOOLS_QUEUE_CLI_H
#define MQTOOLS_QUEUE_CLI_H

#include <getopt.h>
#include "cli/excl.h"
#include "queue/queue.h"

enum {
	QUEUE_OPT_MAXMSG = 0x1000,
	QUEUE_OPT_MSGSIZE,
	QUEUE_OPT_QBYTES,
	QUEUE_OPT_NONBLOCK,
	QUEUE_OPT_PASSWORD_FILE,
	QUEUE_OPT_FIRST_FREE, /* tools number their own long-only options from here */
};

#define QUEUE_CLI_SHORTOPTS "cxm:T:"
/* clang-format off */
#define QUEUE_CLI_LONGOPTS \
	{ "create", no_argument, NULL, 'c' }, \
	{ "exclusive", no_argument, NULL, 'x' }, \
	{ "mode", required_argument, NULL, 'm' }, \
	{ "maxmsg", required_argument, NULL, QUEUE_OPT_MAXMSG }, \
	{ "msgsize", required_argument, NULL, QUEUE_OPT_MSGSIZE }, \
	{ "qbytes", required_argument, NULL, QUEUE_OPT_QBYTES }, \
	{ "nonblock", no_argument, NULL, QUEUE_OPT_NONBLOCK }, \
	{ "timeout", required_argument, NULL, 'T' }, \
	QUEUE_CLI_NETWORK_LONGOPTS
/* clang-format on */

/* For a tool that opens no queue but may reach a broker (mqrm, mqstat). */
/* clang-format off */
#define QUEUE_CLI_NETWORK_LONGOPTS \
	{ "password-file", required_argument, NULL, QUEUE_OPT_PASSWORD_FILE }
/* clang-format on */
/* clang-format off */
#define QUEUE_CLI_NETWORK_USAGE \
	"     --password-file FILE amqp://, mqtt://: the password, on FILE's first line\n" \
	"                          (mode 0600; or in MQTOOLS_PASSWORD, never in the URL)\n"
/* clang-format on */

/* clang-format off */
#define QUEUE_CLI_USAGE \
	" -c, --create             create the queue if it does not exist\n" \
	" -x, --exclusive          create it, failing if it exists\n" \
	" -m, --mode MODE          permissions of a created queue (octal, default 0600)\n" \
	"     --maxmsg N           POSIX: capacity in messages of a created queue\n" \
	"     --msgsize SIZE       POSIX: largest message of a created queue\n" \
	"     --qbytes SIZE        System V: capacity in bytes of a created queue\n" \
	"     --nonblock           do not wait: exit 4 at once if the queue is %s\n" \
	" -T, --timeout DURATION   exit 4 when a wait lasts longer (500ms, 2s, 1m)\n" \
	QUEUE_CLI_NETWORK_USAGE
/* clang-format on */

/* The conflicts among these options, a row of a tool's cli_excl table. */
/* clang-format off */
#define QUEUE_CLI_EXCL \
	{ { QUEUE_OPT_NONBLOCK }, { 'T' }, false, "--nonblock and --timeout cannot be combined" }
/* clang-format on */

struct queue_cli {
	struct queue_open_options open;
	struct queue_wait wait;
	struct cli_given given;    /* every option the tool's getopt loop saw */
	bool write_optional;       /* mqrecv: write access, wanted only to requeue */
	const char *password_file; /* --password-file, read by queue_cli_open */
};

void queue_cli_init(struct queue_cli *qc, int access);
/* Note OPT in QC->given, and handle it if it is one of the shared options;
 * true if it was. A tool's getopt loop passes every option here first. */
bool queue_cli_option(struct queue_cli *qc, int opt, const char *arg);
/* Usage errors: an option of these, amqp-cli.h's or mqtt-cli.h's that the
 * queue's kind cannot honour, one that applies to a queue being created
 * without --create, a creation by id:ID. */
void queue_cli_check(const struct queue_cli *qc, const struct queue_address *addr);
/* Only the first: the options the queue's kind cannot honour. */
void queue_cli_check_kind(const struct queue_cli *qc, const struct queue_address *addr);
/* "PROG: TEXT: what went wrong; what to do" (queue_strerror) for ERR during
 * ACTION on a queue of KIND, WHY's detail if any (may be NULL); returns the
 * exit status it deserves: 3 no such queue, 4 would block or timed out, else 1. */
int queue_cli_error(const char *text, enum queue_kind kind, int err, const char *action,
	const struct queue_detail *why);
/* The same for an open queue, by its name. */
int queue_cli_error_on(const struct queue *q, int err, const char *action);

/* Why POSIX queues cannot be listed when MQUEUE_MOUNT is not the mqueue
 * file system, and the fix. */
/* clang-format off */
#define QUEUE_CLI_MOUNT_HINT "no mqueue file system is mounted on " MQUEUE_MOUNT \
	" (mount it: mkdir -p " MQUEUE_MOUNT " && mount -t mqueue none " MQUEUE_MOUNT ")"
/* clang-format on */

/* The password (PASSWORD_FILE's first line, else $MQTOOLS_PASSWORD) and
 * $MQTOOLS_CAFILE, $MQTOOLS_CERT, $MQTOOLS_KEY into C, for a network queue.
 * A password file that other users may read is refused (exit 1), as ssh
 * refuses such a key; so is one that is not a regular file (a FIFO would
 * block) or is a symbolic link (lib/file.h). */
void queue_cli_credentials(struct queue_credentials *c, const char *password_file);
/* Whether the environment entry ENTRY ("NAME=value") holds a secret that
 * queue_cli_credentials() reads ($MQTOOLS_PASSWORD): no child a tool
 * starts may inherit it. */
bool queue_cli_secret_env(const char *entry);

/* Open the queue, or report why not and exit with the right status. For a
 * kind with QUEUE_CAN_LOGIN, with the credentials of queue_cli_credentials(). */
struct queue *queue_cli_open(const struct queue_cli *qc, const struct queue_address *addr, const char *text);

#endif
