/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue-cli.c - shared queue options (see queue-cli.h). */
#include "config.h"
#include "cli/queue-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void queue_cli_init(struct queue_cli *qc, int access)
{
	*qc = (struct queue_cli){ .open = { .access = access, .mode = QUEUE_DEFAULT_MODE }, .wait = { .how = QUEUE_WAIT_BLOCK } };
}

bool queue_cli_option(struct queue_cli *qc, int opt, const char *arg)
{
	switch (opt) {
	case 'c':
		qc->open.create = true;
		break;
	case 'x':
		qc->open.create = qc->open.exclusive = true;
		break;
	case 'm':
		qc->open.mode = cli_mode("--mode", arg);
		qc->create_only = "--mode";
		break;
	case QUEUE_OPT_MAXMSG:
		qc->open.maxmsg = (long)cli_integer("--maxmsg", arg, 1, 1L << 20);
		qc->posix_only = qc->create_only = "--maxmsg";
		break;
	case QUEUE_OPT_MSGSIZE:
		qc->open.msgsize = (long)cli_size("--msgsize", arg, 1UL << 30);
		if (qc->open.msgsize == 0)
			cli_usage_error("invalid --msgsize value: must be at least 1 byte");
		qc->posix_only = qc->create_only = "--msgsize";
		break;
	case QUEUE_OPT_QBYTES:
		qc->open.qbytes = (unsigned long)cli_size("--qbytes", arg, 0x7fffffffUL);
		if (qc->open.qbytes == 0)
			cli_usage_error("invalid --qbytes value: must be at least 1 byte");
		qc->sysv_only = qc->create_only = "--qbytes";
		break;
	case QUEUE_OPT_NONBLOCK:
		if (qc->wait.how == QUEUE_WAIT_TIMEOUT)
			cli_usage_error("--nonblock and --timeout cannot be combined");
		qc->wait.how = QUEUE_WAIT_NONE;
		break;
	case QUEUE_OPT_PASSWORD_FILE:
		qc->password_file = arg;
		break;
	case 'T':
		if (qc->wait.how == QUEUE_WAIT_NONE)
			cli_usage_error("--nonblock and --timeout cannot be combined");
		qc->wait.how = QUEUE_WAIT_TIMEOUT;
		qc->wait.timeout_ns = cli_duration("--timeout", arg);
		break;
	default:
		return false;
	}
	return true;
}

static bool is_network(enum queue_kind kind)
{
	return kind == QUEUE_AMQP || kind == QUEUE_MQTT;
}

/* The first line of FILE, which only its owner may read. */
static char *read_password_file(const char *file)
{
	static char password[1024];
	struct stat st;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: %s", file, strerror(errno));
	if (fstat(fd, &st) < 0)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: %s", file, strerror(errno));
	if (!S_ISREG(st.st_mode))
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: not a regular file", file);
	if (st.st_mode & 077)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: other users may read it (mode %04o): chmod 600 %s",
			file, (unsigned)(st.st_mode & 07777), file);
	ssize_t n = read(fd, password, sizeof(password));
	close(fd);
	if (n < 0)
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: %s", file, strerror(errno));
	size_t len = strcspn(password, "\r\n");
	if (len == (size_t)n && (size_t)n == sizeof(password))
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: the first line is over the limit of %zu bytes", file,
			sizeof(password) - 1);
	if (len > (size_t)n)
		len = (size_t)n;
	password[len] = '\0';
	if (memchr(password, '\0', len))
		cli_die(MQ_EXIT_FAILURE, "--password-file %s: the password holds a NUL byte", file);
	return password;
}

void queue_cli_credentials(struct queue_open_options *o, const char *password_file)
{
	const char *env = getenv("MQTOOLS_PASSWORD");

	o->password = password_file ? read_password_file(password_file) : (env && *env ? env : NULL);
	o->tls_cafile = getenv("MQTOOLS_CAFILE");
	o->tls_cert = getenv("MQTOOLS_CERT");
	o->tls_key = getenv("MQTOOLS_KEY");
}

void queue_cli_check(const struct queue_cli *qc, const struct queue_address *addr)
{
	if (!is_network(addr->kind) && qc->password_file)
		cli_usage_error("--password-file is for amqp:// and mqtt:// addresses; a kernel queue has no password");
	if (addr->kind == QUEUE_SYSV && qc->posix_only)
		cli_usage_error("%s is for POSIX queues; a System V queue's capacity is set with --qbytes", qc->posix_only);
	if (addr->kind == QUEUE_POSIX && qc->sysv_only)
		cli_usage_error("%s is for System V queues; a POSIX queue's capacity is set with --maxmsg and --msgsize",
			qc->sysv_only);
	if (qc->create_only && !qc->open.create)
		cli_usage_error("%s applies to a queue being created: add --create", qc->create_only);
	if (qc->open.create && addr->form == ADDR_SYSV_ID)
		cli_usage_error("--create needs a key: an id:ID names a queue that exists (use key:KEY or ftok:PATH)");
}

static int exit_status(int err)
{
	switch (-err) {
	case ENOENT:
	case EIDRM:
		return MQ_EXIT_NOQUEUE;
	case EAGAIN:
	case ETIMEDOUT:
		return MQ_EXIT_TIMEOUT;
	default:
		return MQ_EXIT_FAILURE;
	}
}

int queue_cli_error(const char *text, enum queue_kind kind, int err, const char *action,
	const struct queue_detail *why)
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

	if (is_network(addr->kind))
		queue_cli_credentials(&opt, qc->password_file);
	int r = queue_open(addr, &opt, &q, &why);
	if (r == -EACCES && qc->write_optional) {
		struct queue_open_options read_only = opt;
		read_only.access = QUEUE_READ;
		r = queue_open(addr, &read_only, &q, &why);
	}
	if (r < 0)
		exit(queue_cli_error(text, addr->kind, r, (qc->open.access & QUEUE_READ) ? "read from" : "write to", &why));
	return q;
}
