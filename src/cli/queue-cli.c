/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue-cli.c - shared queue options (see queue-cli.h). */
#include "config.h"
#include "cli/queue-cli.h"
#include "cli/amqp-cli.h"
#include "cli/caps-cli.h"
#include "cli/cli.h"
#include "cli/cli-file.h"
#include "cli/cli-parse.h"
#include "cli/mqtt-cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void queue_cli_init(struct queue_cli *qc, int access)
{
	*qc = (struct queue_cli){ .open = { .access = access, .mode = QUEUE_DEFAULT_MODE },
		.wait = { .how = QUEUE_WAIT_BLOCK } };
}

bool queue_cli_option(struct queue_cli *qc, int opt, const char *arg)
{
	cli_given_note(&qc->given, opt);
	switch (opt) {
	case 'c': qc->open.create = true; break;
	case 'x': qc->open.create = qc->open.exclusive = true; break;
	case 'm': qc->open.mode = cli_mode("--mode", arg); break;
	case QUEUE_OPT_MAXMSG: qc->open.maxmsg = (long)cli_integer("--maxmsg", arg, 1, 1L << 20); break;
	case QUEUE_OPT_MSGSIZE:
		qc->open.msgsize = (long)cli_size("--msgsize", arg, 1UL << 30);
		if (qc->open.msgsize == 0)
			cli_usage_error("invalid --msgsize value: must be at least 1 byte");
		break;
	case QUEUE_OPT_QBYTES:
		qc->open.qbytes = (unsigned long)cli_size("--qbytes", arg, 0x7fffffffUL);
		if (qc->open.qbytes == 0)
			cli_usage_error("invalid --qbytes value: must be at least 1 byte");
		break;
	case QUEUE_OPT_NONBLOCK:
		qc->wait.how = QUEUE_WAIT_NONE; /* not with -T: QUEUE_CLI_EXCL */
		break;
	case QUEUE_OPT_PASSWORD_FILE: qc->password_file = arg; break;
	case 'T':
		qc->wait.how = QUEUE_WAIT_TIMEOUT;
		qc->wait.timeout_ns = cli_duration("--timeout", arg);
		break;
	default: return false;
	}
	return true;
}

/* The secrets read from the environment: a child a tool starts gets none
 * of them (queue_cli_secret_env). */
static const char *const secret_env[] = { "MQTOOLS_PASSWORD" };

bool queue_cli_secret_env(const char *entry)
{
	for (size_t i = 0; i < sizeof(secret_env) / sizeof(secret_env[0]); i++) {
		size_t len = strlen(secret_env[i]);
		if (strncmp(entry, secret_env[i], len) == 0 && entry[len] == '=')
			return true;
	}
	return false;
}

/* The first line of FILE, which only its owner may read. Opened as
 * lib/file.h opens what a user names: a FIFO, a device or a symbolic link
 * is refused at once. */
static char *read_password_file(const char *file)
{
	static char password[1024];
	struct file_detail d;
	struct stat st;
	char why[PATH_MAX + 160];
	int fd = file_open_read(file, &d);

	if (fd < 0)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s", cli_file_error(why, sizeof(why), file, fd, &d));
	if (fstat(fd, &st) < 0)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: %s", file, strerror(errno));
	if (st.st_mode & 077)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: other users may read it (mode %04o): chmod 600 %s", file,
			(unsigned)(st.st_mode & 07777), file);
	ssize_t n = read(fd, password, sizeof(password));
	close(fd);
	if (n < 0)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: %s", file, strerror(errno));
	/* the first line of the N bytes read: no string function here, which
	 * would stop at a NUL in the password or run past the N bytes */
	size_t len = 0;
	while (len < (size_t)n && password[len] != '\r' && password[len] != '\n')
		len++;
	if (len == sizeof(password))
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: the first line is over the limit of %zu bytes", file,
			sizeof(password) - 1);
	if (memchr(password, '\0', len))
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: the password holds a NUL byte", file);
	password[len] = '\0';
	return password;
}

void queue_cli_credentials(struct queue_credentials *c, const char *password_file)
{
	const char *env = getenv(secret_env[0]);

	c->password = password_file ? read_password_file(password_file) : (env && *env ? env : NULL);
	c->tls_cafile = getenv("MQTOOLS_CAFILE");
	c->tls_cert = getenv("MQTOOLS_CERT");
	c->tls_key = getenv("MQTOOLS_KEY");
}

/* What the shared options need of the queue's kind, in the order they are
 * checked. */
static const struct cli_need needs[] = {
	{ 'c', QUEUE_CAN_CREATE, "--create and --exclusive" },
	{ 'x', QUEUE_CAN_CREATE, "--create and --exclusive" },
	{ 'm', QUEUE_CAN_MODE, "--mode" },
	{ QUEUE_OPT_MAXMSG, QUEUE_CAN_MAXMSG, "--maxmsg" },
	{ QUEUE_OPT_MSGSIZE, QUEUE_CAN_MSGSIZE, "--msgsize" },
	{ QUEUE_OPT_QBYTES, QUEUE_CAN_QBYTES, "--qbytes" },
	{ QUEUE_OPT_NONBLOCK, QUEUE_CAN_NOWAIT, "--nonblock" },
	{ QUEUE_OPT_PASSWORD_FILE, QUEUE_CAN_LOGIN, "--password-file" },
	{ AMQP_OPT_MAX_PRIORITY, QUEUE_CAN_MAX_PRIORITY, "--max-priority" },
	{ AMQP_OPT_REPLICATED, QUEUE_CAN_REPLICATE, "--replicated" },
	{ MQTT_OPT_GROUP, QUEUE_CAN_SUBSCRIBE, "--group" },
	{ MQTT_OPT_FANOUT, QUEUE_CAN_SUBSCRIBE, "--fanout" },
	{ MQTT_OPT_SESSION, QUEUE_CAN_SUBSCRIBE, "--session" },
	{ 0, 0, NULL },
};

/* The attributes of a queue being created. */
static const int create_only[] = {
	'm',
	QUEUE_OPT_MAXMSG,
	QUEUE_OPT_MSGSIZE,
	QUEUE_OPT_QBYTES,
	AMQP_OPT_MAX_PRIORITY,
	AMQP_OPT_REPLICATED,
	0,
};

void queue_cli_check_kind(const struct queue_cli *qc, const struct queue_address *addr)
{
	cli_need_check(needs, &qc->given, addr->kind);
}

void queue_cli_check(const struct queue_cli *qc, const struct queue_address *addr)
{
	queue_cli_check_kind(qc, addr);
	for (const int *o = create_only; *o && !qc->open.create; o++)
		if (cli_given(&qc->given, *o))
			cli_usage_error("%s applies to a queue being created: add --create", cli_need_name(needs, *o));
	if (qc->open.create && addr->form == ADDR_SYSV_ID)
		cli_usage_error("--create needs a key: an id:ID names a queue that exists (use key:KEY or ftok:PATH)");
}

static int exit_status(int err)
{
	switch (-err) {
	case ENOENT:
	case EIDRM: return MQ_EXIT_NOQUEUE;
	case EAGAIN:
	case ETIMEDOUT: return MQ_EXIT_TIMEOUT;
	default: return MQ_EXIT_FAILURE;
	}
}

int queue_cli_error(const char *text, enum queue_kind kind, int err, const char *action, const struct queue_detail *why)
{
	char what[QUEUE_DETAIL_SIZE];

	if (err > 0)
		err = -err;
	cli_warn("%s: %s", text ? text : "", queue_strerror(what, sizeof(what), err, kind, action, why));
	return exit_status(err);
}

int queue_cli_error_on(const struct queue *q, int err, const char *action)
{
	return queue_cli_error(queue_name(q), queue_kind(q), err, action, queue_last_detail(q));
}

struct queue *queue_cli_open(const struct queue_cli *qc, const struct queue_address *addr, const char *text)
{
	struct queue_detail why = { "" };
	struct queue_open_options opt = qc->open;
	struct queue *q;

	if (queue_kind_caps(addr->kind)->can & QUEUE_CAN_LOGIN)
		queue_cli_credentials(&opt.cred, qc->password_file);
	int r = queue_open(addr, &opt, &q, &why);
	if (r == -EACCES && qc->write_optional) {
		struct queue_open_options read_only = opt;
		read_only.access = QUEUE_READ;
		r = queue_open(addr, &read_only, &q, &why);
	}
	if (r < 0)
		exit(queue_cli_error(text, addr->kind, r, (qc->open.access & QUEUE_READ) ? "read from" : "write to",
			&why));
	return q;
}
