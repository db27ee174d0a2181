/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqmk - create POSIX and System V message queues, as ipcmk(1) does, or
 * change the owner, group, mode and capacity of existing ones (--change).
 * Creation goes through queue_open() with the options of mqsend -c, so the
 * defaults and the limit errors are the same; standard input is never read. */
#include "config.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "cli/excl.h"
#include "cli/queue-cli.h"
#include "lib/format.h"
#include "lib/termesc.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <unistd.h>

enum { OPT_PRIVATE = QUEUE_OPT_FIRST_FREE };

struct mqmk_control {
	struct queue_cli qc;     /* --mode, --maxmsg, --msgsize, --qbytes: as mqsend -c */
	struct queue_change chg; /* --owner, --group; with --change also mode and qbytes */
	bool exist_ok, change, private_queue;
	char **args; /* the QUEUEs, and their addresses once checked */
	int nargs;
	struct queue_address *addrs;
};

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] QUEUE...\n %s [options] --private\n %s --change [options] QUEUE...\n\n",
		cli_program, cli_program, cli_program);
	fputs("Create each message queue QUEUE, or a System V queue without a key\n"
	      "(--private), and print its address; or change existing queues.\n\nOptions:\n",
		stdout);
	fputs(" -m, --mode MODE          permissions (octal; default 0600, not masked by the umask)\n"
	      " -o, --owner USER         owner (name or uid)\n"
	      " -g, --group GROUP        group (name or gid)\n"
	      "     --maxmsg N           POSIX: capacity in messages\n"
	      "     --msgsize SIZE       POSIX: largest message\n"
	      "     --qbytes SIZE        System V: capacity in bytes\n"
	      "     --private            create a System V queue with key IPC_PRIVATE\n"
	      " -e, --exist-ok           a queue that exists already is fine if it is as asked\n"
	      " -C, --change             change the owner, group, mode or (System V) capacity\n"
	      "                          of existing queues, and create none\n",
		stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	cli_usage_footer("mqmk(1)");
	exit(MQ_EXIT_OK);
}

/* --owner and --group: a name, else a number, as chown(1) takes them. */
static unsigned parse_id(const char *option, const char *text, bool group)
{
	struct parse_error e;
	long long v;

	if (group) {
		struct group *gr = getgrnam(text);
		if (gr)
			return gr->gr_gid;
	} else {
		struct passwd *pw = getpwnam(text);
		if (pw)
			return pw->pw_uid;
	}
	if (parse_integer(text, 0, 0xfffffffeLL, &v, &e) == 0)
		return (unsigned)v;
	cli_usage_error("invalid %s value: no %s '%s' (give a %s name or a number)", option, group ? "group" : "user",
		text, group ? "group" : "user");
}

/* The worst status wins: a failure over a missing queue over success. */
static int rank(int status)
{
	return status == MQ_EXIT_OK ? 0 : status == MQ_EXIT_NOQUEUE ? 1 : 2;
}

static int worse(int status, int other)
{
	return rank(other) > rank(status) ? other : status;
}

/* TEXT as it goes to standard output: escaped on a terminal (a name is
 * anyone's, and may hold a terminal's control sequences), as it is for a
 * script that reads the address back. */
static const char *shown(const char *text, char *buf, size_t len)
{
	static int tty = -1;
	if (tty < 0 && (tty = isatty(STDOUT_FILENO)))
		setlocale(LC_CTYPE, ""); /* escape by the terminal's character set */
	return tty ? termesc_str(buf, len, text, 0) : text;
}

/* One line per queue made, as ipcmk prints its id: the canonical address,
 * and the identifier of a System V queue (only it, for a private one). */
static void print_made(const struct queue_address *addr, int id)
{
	char buf[NAME_MAX + 16], safe[TERMESC_SIZE(sizeof(buf))];

	if (!(queue_kind_caps(addr->kind)->can & QUEUE_CAN_ID))
		printf("%s\n", shown(address_format(addr, buf, sizeof(buf)), safe, sizeof(safe)));
	else if (addr->form != ADDR_SYSV_ID && addr->key == IPC_PRIVATE)
		printf("id:%d\n", id);
	else
		printf("%s id:%d\n", shown(address_format(addr, buf, sizeof(buf)), safe, sizeof(safe)), id);
}

/* A list of differences, "mode 0644, not 0600; owner ...". */
struct wording {
	char text[1024];
	size_t len;
};

__attribute__((format(printf, 2, 3))) static void say(struct wording *w, const char *fmt, ...)
{
	va_list ap;
	if (w->len && w->len < sizeof(w->text))
		w->len += (size_t)snprintf(w->text + w->len, sizeof(w->text) - w->len, "; ");
	if (w->len >= sizeof(w->text))
		return;
	va_start(ap, fmt);
	w->len += (size_t)vsnprintf(w->text + w->len, sizeof(w->text) - w->len, fmt, ap);
	va_end(ap);
}

/* A capacity: asked and different (or unreadable) is a difference; not
 * asked and unlike a new queue's default, a note. */
static void compare_capacity(const char *what, bool known, unsigned long have, bool asked, unsigned long want,
	long dflt, struct wording *diff, struct wording *note)
{
	if (asked && !known)
		say(diff, "%s unknown (you may not read the queue), not %lu", what, want);
	else if (asked && have != want)
		say(diff, "%s %lu, not %lu", what, have, want);
	else if (!asked && known && dflt > 0 && have != (unsigned long)dflt)
		say(note, "%s %lu (a new queue's default: %ld)", what, have, dflt);
}

/* A System V queue that another user made keeps that user's rights to
 * change and remove it, whoever owns it now: not ours, whatever else fits. */
static void compare_creator(const struct queue_info *in, struct wording *diff)
{
	uid_t creator = queue_info_other_creator(in);
	char name[64];

	if (creator != (uid_t)-1 && creator != geteuid() && creator != 0)
		say(diff,
			"created by %s (uid %lu), who may still change its mode and remove it "
			"(remove it and create it again)",
			format_user(creator, name, sizeof(name)), (unsigned long)creator);
}

/* How the existing queue IN differs from what was asked. Mode, owner and
 * group count whether asked or not: a queue of someone else's, or open to
 * more users than asked, must not pass for ours (a squatted name). */
static void compare(const struct mqmk_control *rq, const struct queue_info *in, struct wording *diff,
	struct wording *note)
{
	const struct queue_open_options *o = &rq->qc.open;
	uid_t uid = (rq->chg.set & QC_OWNER) ? rq->chg.uid : geteuid();
	gid_t gid = (rq->chg.set & QC_GROUP) ? rq->chg.gid : getegid();
	char have[64], want[64];

	if (!(in->known & QI_OWNER)) {
		say(diff, "owner, group and mode unknown");
	} else {
		if ((in->mode & 0777) != (o->mode & 0777))
			say(diff, "mode %04o, not %04o", (unsigned)(in->mode & 0777), (unsigned)(o->mode & 0777));
		if (in->uid != uid)
			say(diff, "owner %s, not %s%s", format_user(in->uid, have, sizeof(have)),
				format_user(uid, want, sizeof(want)),
				(rq->chg.set & QC_OWNER) ? "" : " (give --owner to accept another)");
		if (in->gid != gid)
			say(diff, "group %s, not %s%s", format_group(in->gid, have, sizeof(have)),
				format_group(gid, want, sizeof(want)),
				(rq->chg.set & QC_GROUP) ? "" : " (give --group to accept another)");
		compare_creator(in, diff);
	}
	unsigned can = queue_kind_caps(in->addr.kind)->can;
	bool known = in->known & QI_POSIX_ATTR;
	if (can & QUEUE_CAN_MAXMSG)
		compare_capacity("maxmsg", known, (unsigned long)in->maxmsg, o->maxmsg != 0, (unsigned long)o->maxmsg,
			queue_limit(PROC_MQ_MSG_DEFAULT), diff, note);
	if (can & QUEUE_CAN_MSGSIZE)
		compare_capacity("msgsize", known, (unsigned long)in->msgsize, o->msgsize != 0,
			(unsigned long)o->msgsize, queue_limit(PROC_MQ_MSGSIZE_DEFAULT), diff, note);
	if (can & QUEUE_CAN_QBYTES)
		compare_capacity("qbytes", in->known & QI_QBYTES, in->qbytes, o->qbytes != 0, o->qbytes,
			queue_limit(PROC_MSGMNB), diff, note);
}

static int no_such_queue(const char *text)
{
	cli_warn("%s: " QUEUE_NO_SUCH_QUEUE " (create it with mqmk; list queues with mqstat)", text);
	return MQ_EXIT_NOQUEUE;
}

/* The queue ADDR exists: an error, or with --exist-ok fine if it is as asked. */
static int found_existing(const struct mqmk_control *rq, const struct queue_address *addr, const char *text)
{
	struct queue_info in;
	struct wording diff = { 0 }, note = { 0 };

	if (!rq->exist_ok) {
		cli_warn("%s: the queue already exists (--exist-ok accepts it if it is as asked; --change changes it)",
			text);
		return MQ_EXIT_FAILURE;
	}
	int r = queue_stat_address(addr, &in);
	if (r < 0)
		return r == -ENOENT ? no_such_queue(text) : queue_cli_error(text, addr->kind, r, "stat", NULL);
	compare(rq, &in, &diff, &note);
	if (diff.len) {
		cli_warn("%s: exists, but not as asked: %s; left as it is (mqmk --change changes it)", text, diff.text);
		return MQ_EXIT_FAILURE;
	}
	if (note.len)
		cli_warn("%s: exists as asked (--exist-ok), but unlike a new queue: %s", text, note.text);
	print_made(addr, in.addr.id);
	return MQ_EXIT_OK;
}

/* Give the queue just made its owner and group, then its mode. It was made
 * with the owner's bits only, so that no one else gets in before. A queue
 * left with the wrong owner would be worse than none: it is removed. */
static int finish_made(const struct mqmk_control *rq, struct queue *q, const char *text)
{
	struct queue_change c = rq->chg;

	c.set |= QC_MODE;
	c.mode = rq->qc.open.mode;
	struct queue_detail why = { "" };
	int r = queue_change(q, &c, &why);
	if (r == 0)
		return MQ_EXIT_OK;
	int status = queue_cli_error(text, queue_kind(q), r, "change", &why);
	struct queue_address made = *queue_address(q);
	if (queue_id(q) >= 0) /* by its identifier: the key may name another by now */
		made = (struct queue_address){ .kind = made.kind, .form = ADDR_SYSV_ID, .id = queue_id(q) };
	if (queue_remove(&made, NULL) == 0)
		cli_warn("%s: removed again, not created", text);
	else
		cli_warn("%s: created, with the wrong owner or group, and could not be removed", text);
	return status;
}

static int create_one(const struct mqmk_control *rq, const struct queue_address *addr, const char *text)
{
	struct queue_open_options opt = rq->qc.open;
	bool give_away = rq->chg.set & (QC_OWNER | QC_GROUP);
	struct queue_detail why = { "" };
	struct queue *q;
	int r;

	if (give_away)
		opt.mode &= 0700;
	/* it may go between our finding it and our looking at it: try again */
	for (int tries = 0; tries < 3; tries++) {
		r = queue_open(addr, &opt, &q, &why);
		if (r != -EEXIST)
			break;
		r = found_existing(rq, addr, text);
		if (r != MQ_EXIT_NOQUEUE)
			return r;
	}
	if (r == MQ_EXIT_NOQUEUE)
		return r;
	if (r < 0)
		return queue_cli_error(text, addr->kind, r, "create", &why);
	int status = give_away ? finish_made(rq, q, text) : MQ_EXIT_OK;
	if (status == MQ_EXIT_OK)
		print_made(addr, queue_id(q));
	queue_close(q);
	return status;
}

static int change_one(const struct mqmk_control *rq, const struct queue_address *addr, const char *text)
{
	struct queue_detail why = { "" };
	int r = queue_change_address(addr, &rq->chg, &why);
	if (r == -ENOENT)
		return no_such_queue(text);
	return r < 0 ? queue_cli_error(text, addr->kind, r, "change", &why) : MQ_EXIT_OK;
}

static const struct option longopts[] = {
	{ "mode", required_argument, NULL, 'm' },
	{ "owner", required_argument, NULL, 'o' },
	{ "group", required_argument, NULL, 'g' },
	{ "maxmsg", required_argument, NULL, QUEUE_OPT_MAXMSG },
	{ "msgsize", required_argument, NULL, QUEUE_OPT_MSGSIZE },
	{ "qbytes", required_argument, NULL, QUEUE_OPT_QBYTES },
	{ "private", no_argument, NULL, OPT_PRIVATE },
	{ "exist-ok", no_argument, NULL, 'e' },
	{ "change", no_argument, NULL, 'C' },
	CLI_LONGOPTS_HELP_VERSION,
};

#define FIXED_CAPACITY "a POSIX queue's capacity is fixed when it is created (make a new queue and move the messages)"
static const struct cli_excl conflicts[] = {
	{ { OPT_PRIVATE }, { 'C' }, CLI_EXCL_TOGETHER, "--private makes a new queue: not with --change" },
	{ { OPT_PRIVATE }, { 'e' }, CLI_EXCL_TOGETHER, "--private makes a new queue: not with --exist-ok" },
	{ { 'C' }, { 'e' }, CLI_EXCL_TOGETHER, "--change and --exist-ok are exclusive: --change creates nothing" },
	{ { 'C' }, { QUEUE_OPT_MAXMSG }, CLI_EXCL_TOGETHER, "--maxmsg cannot be changed: " FIXED_CAPACITY },
	{ { 'C' }, { QUEUE_OPT_MSGSIZE }, CLI_EXCL_TOGETHER, "--msgsize cannot be changed: " FIXED_CAPACITY },
	{ .message = NULL },
};

static void parse_args(struct mqmk_control *ctl, int argc, char **argv)
{
	int c;

	*ctl = (struct mqmk_control){ 0 };
	queue_cli_init(&ctl->qc, QUEUE_WRITE);
	ctl->qc.open.create = ctl->qc.open.exclusive = true;
	while ((c = getopt_long(argc, argv, "m:o:g:eChV", longopts, NULL)) != -1) {
		if (queue_cli_option(&ctl->qc, c, optarg))
			continue;
		switch (c) {
		case 'o':
			ctl->chg.set |= QC_OWNER;
			ctl->chg.uid = (uid_t)parse_id("--owner", optarg, false);
			break;
		case 'g':
			ctl->chg.set |= QC_GROUP;
			ctl->chg.gid = (gid_t)parse_id("--group", optarg, true);
			break;
		case OPT_PRIVATE: ctl->private_queue = true; break;
		case 'e': ctl->exist_ok = true; break;
		case 'C': ctl->change = true; break;
		default: cli_common_option(c, usage);
		}
	}
	ctl->args = argv + optind;
	ctl->nargs = argc - optind;
}

/* Usage errors, for every address before any queue is made or changed. */
static void check_address(const struct mqmk_control *ctl, const struct queue_address *addr, const char *text)
{
	if (ctl->change) {
		queue_cli_check_kind(&ctl->qc, addr); /* nothing is created */
		return;
	}
	if (addr->form == ADDR_SYSV_ID)
		cli_usage_error("%s names a queue that exists: mqmk creates a System V queue by key "
				"(key:KEY, ftok:PATH) or with --private, and changes it with --change",
			text);
	queue_cli_check(&ctl->qc, addr);
}

/* What --change changes: besides --owner and --group, the attributes given. */
static void check_change(struct mqmk_control *ctl)
{
	if (cli_given(&ctl->qc.given, 'm')) {
		ctl->chg.set |= QC_MODE;
		ctl->chg.mode = ctl->qc.open.mode;
	}
	if (ctl->qc.open.qbytes) {
		ctl->chg.set |= QC_QBYTES;
		ctl->chg.qbytes = ctl->qc.open.qbytes;
	}
	if (!ctl->chg.set)
		cli_usage_error("--change needs something to change: --mode, --owner, --group or --qbytes");
}

static void check_args(struct mqmk_control *ctl)
{
	if (ctl->private_queue && ctl->nargs)
		cli_usage_error("--private creates one queue that has no address: not with QUEUE arguments");
	if (!ctl->private_queue && !ctl->nargs)
		cli_usage_error("no queue given: name the QUEUEs to %s",
			ctl->change ? "change" : "create, or give --private");
	cli_excl_check(conflicts, &ctl->qc.given);
	if (ctl->change)
		check_change(ctl);
	if (ctl->private_queue) {
		ctl->addrs = calloc(1, sizeof(*ctl->addrs));
		if (!ctl->addrs)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		ctl->addrs[0] = (struct queue_address){ .kind = QUEUE_SYSV, .form = ADDR_SYSV_KEY, .key = IPC_PRIVATE };
		queue_cli_check(&ctl->qc, &ctl->addrs[0]);
		return;
	}
	ctl->addrs = calloc((size_t)ctl->nargs, sizeof(*ctl->addrs));
	if (!ctl->addrs)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	for (int i = 0; i < ctl->nargs; i++) {
		cli_address(ctl->args[i], &ctl->addrs[i]);
		check_address(ctl, &ctl->addrs[i], ctl->args[i]);
	}
}

static int run(const struct mqmk_control *ctl)
{
	int status = MQ_EXIT_OK;

	if (ctl->private_queue)
		return create_one(ctl, &ctl->addrs[0], "private queue");
	for (int i = 0; i < ctl->nargs; i++) {
		const char *text = ctl->args[i];
		status = worse(status,
			ctl->change ? change_one(ctl, &ctl->addrs[i], text) : create_one(ctl, &ctl->addrs[i], text));
	}
	return status;
}

int main(int argc, char **argv)
{
	struct mqmk_control ctl;

	cli_init(argc, argv);
	parse_args(&ctl, argc, argv);
	check_args(&ctl);
	int status = run(&ctl);
	free(ctl.addrs);
	return status;
}
