/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqstat - show the machine's message queues, POSIX and System V, in one
 * table; find the ones nobody uses any more. */
#include "config.h"
#include "cli/amqp-cli.h"
#include "cli/cli.h"
#include "cli/cli-parse.h"
#include "cli/queue-cli.h"
#include "tools/mqstat/baseline.h"
#include "tools/mqstat/prometheus.h"
#include "lib/clock.h"
#include "lib/format.h"
#include "queue/list.h"
#include "lib/signals.h"
#include "lib/termesc.h"
#include "lib/json.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Every column: its name (also its JSON key, lowercased), how it is shown,
 * and its help, used by --help, --list-columns and the detailed view. */
enum {
	COL_NAME, COL_KIND, COL_KEY, COL_ID, COL_OWNER, COL_GROUP, COL_CUSER, COL_CGROUP,
	COL_PERMS, COL_MODE, COL_MSGS, COL_USED, COL_CAPACITY, COL_FILL, COL_MAXMSGS, COL_MSGSIZE,
	COL_SEND, COL_RECV, COL_CHANGE, COL_LSPID, COL_LRPID, COL_NOTIFYPID, COL_HOLDERS,
	COL_STATE, COL_INACTIVE, NCOLS
};
enum value_type { V_STRING, V_NUMBER, V_SIZE, V_TIME };
struct column {
	const char *name;
	double width;
	int flags;
	enum value_type type;
	bool in_default;
	const char *help;
};
static const struct column columns[NCOLS] = {
	[COL_NAME] = { "NAME", 0.2, 0, V_STRING, true, "queue address: /name, key:0x..., id:N when private" },
	[COL_KIND] = { "KIND", 5, 0, V_STRING, true, "posix or sysv" },
	[COL_KEY] = { "KEY", 10, SCOLS_FL_RIGHT, V_STRING, false, "System V key" },
	[COL_ID] = { "ID", 5, SCOLS_FL_RIGHT, V_NUMBER, false, "System V identifier" },
	[COL_OWNER] = { "OWNER", 8, 0, V_STRING, true, "owner" },
	[COL_GROUP] = { "GROUP", 8, 0, V_STRING, false, "group" },
	[COL_CUSER] = { "CUSER", 8, 0, V_STRING, false, "creator (System V)" },
	[COL_CGROUP] = { "CGROUP", 8, 0, V_STRING, false, "creator's group (System V)" },
	[COL_PERMS] = { "PERMS", 9, 0, V_STRING, true, "permissions (octal with --numeric-perms)" },
	[COL_MODE] = { "MODE", 4, SCOLS_FL_RIGHT, V_STRING, false, "permissions in octal" },
	[COL_MSGS] = { "MSGS", 4, SCOLS_FL_RIGHT, V_NUMBER, true, "messages queued" },
	[COL_USED] = { "USED", 5, SCOLS_FL_RIGHT, V_SIZE, true, "bytes queued" },
	[COL_CAPACITY] = { "CAPACITY", 5, SCOLS_FL_RIGHT, V_SIZE, true, "capacity in bytes (System V msg_qbytes, POSIX maxmsg x msgsize)" },
	[COL_FILL] = { "FILL", 4, SCOLS_FL_RIGHT, V_NUMBER, true, "used bytes as a percentage of the capacity" },
	[COL_MAXMSGS] = { "MAXMSGS", 4, SCOLS_FL_RIGHT, V_NUMBER, false, "capacity in messages (POSIX)" },
	[COL_MSGSIZE] = { "MSGSIZE", 5, SCOLS_FL_RIGHT, V_SIZE, false, "largest message accepted" },
	[COL_SEND] = { "SEND", 8, 0, V_TIME, false, "time of the last send (System V)" },
	[COL_RECV] = { "RECV", 8, 0, V_TIME, false, "time of the last receive (System V)" },
	[COL_CHANGE] = { "CHANGE", 8, 0, V_TIME, false, "time of the last change (POSIX: last send or receive)" },
	[COL_LSPID] = { "LSPID", 5, SCOLS_FL_RIGHT, V_NUMBER, false, "process of the last send (System V)" },
	[COL_LRPID] = { "LRPID", 5, SCOLS_FL_RIGHT, V_NUMBER, false, "process of the last receive (System V)" },
	[COL_NOTIFYPID] = { "NOTIFYPID", 5, SCOLS_FL_RIGHT, V_NUMBER, false, "process registered for notification (POSIX)" },
	[COL_HOLDERS] = { "HOLDERS", 0.1, SCOLS_FL_WRAP, V_STRING, false, "processes holding it open (POSIX) or waiting on it (System V)" },
	[COL_STATE] = { "STATE", 8, 0, V_STRING, true, "in use, idle, orphaned or unknown" },
	[COL_INACTIVE] = { "INACTIVE", 6, SCOLS_FL_RIGHT, V_NUMBER, true, "time since the last activity (JSON: seconds)" },
};

/* The columns of --limits, chosen with -o as well. */
enum { LCOL_RESOURCE, LCOL_DESCRIPTION, LCOL_LIMIT, LCOL_USED, LCOL_USE, NLCOLS };
static const struct column limit_columns[NLCOLS] = {
	[LCOL_RESOURCE] = { "RESOURCE", 0, 0, V_STRING, true, "resource name" },
	[LCOL_DESCRIPTION] = { "DESCRIPTION", 0.5, 0, V_STRING, true, "what it limits, and what USED is" },
	[LCOL_LIMIT] = { "LIMIT", 0, SCOLS_FL_RIGHT, V_NUMBER, true, "the system's or your limit" },
	[LCOL_USED] = { "USED", 0, SCOLS_FL_RIGHT, V_NUMBER, true, "currently used" },
	[LCOL_USE] = { "USE%", 0, SCOLS_FL_RIGHT, V_NUMBER, true, "USED as a percentage of LIMIT" },
};

enum time_format { TF_DEFAULT, TF_SHORT, TF_FULL, TF_ISO, TF_RELATIVE };

/* --check thresholds; -1 (or 0 for warn_idle) when not given. */
struct thresholds {
	long long warn_fill, crit_fill, warn_orphaned;
	int64_t warn_idle;
};

struct mqstat_control {
	int cols[NCOLS * 2];
	size_t ncols;
	unsigned kinds;
	bool json, raw, export, shellvar, noheadings, bytes, limits, newline, list, numeric_perms;
	bool watch, check;
	enum time_format time_format;
	struct thresholds th;
	const char *baseline, *new_since;
	bool prometheus;
	const char *prometheus_file; /* NULL: stdout */
	int64_t watch_ns;
	int64_t idle_after;
	int64_t now;
};

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] [QUEUE...]\n\n", cli_program);
	fputs("Show every POSIX and System V message queue, or the QUEUEs given in detail.\n\nOptions:\n", stdout);
	fputs(" -Q, --posix              POSIX queues only\n"
	      " -q, --sysv               System V queues only\n"
	      " -J, --json               JSON output\n"
	      " -r, --raw                raw output: no alignment\n"
	      " -e, --export             KEY=\"value\" pairs, one queue a line, safe to eval\n"
	      " -y, --shell              column names usable as shell variable names\n"
	      " -n, --newline            every queue as FIELD value lines, as for QUEUE arguments\n"
	      " -l, --list               QUEUE arguments as a table, not FIELD value lines\n"
	      "     --noheadings         no header line\n"
	      " -o, --output COLUMNS     the columns to show (+COL adds to the default set)\n"
	      "     --output-all         every column\n"
	      " -b, --bytes              sizes in bytes, not human-readable\n"
	      " -P, --numeric-perms      PERMS in octal (0640)\n"
	      "     --time-format FORMAT short, full, iso or relative\n"
	      " -H, --list-columns       list the columns and exit (with -g: the limits' columns)\n"
	      " -g, --limits, --global   system limits and what uses them\n"
	      " -w, --watch [SECONDS]    redraw on the terminal every SECONDS (default 2)\n"
	      "     --idle-after DURATION  a queue unused this long is idle (default 10m)\n"
	      "\nMonitoring (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN):\n"
	      "     --check              one status line and perfdata, for Nagios or Icinga\n"
	      "     --warn-fill PERCENT  WARNING when a queue is fuller than this\n"
	      "     --crit-fill PERCENT  CRITICAL when a queue is fuller than this\n"
	      "     --warn-orphaned N    WARNING when more than N queues are orphaned\n"
	      "     --warn-idle DURATION WARNING when a queue holds messages nobody took for this long\n"
	      "     --prometheus[=FILE]  metrics for Prometheus (node_exporter's textfile collector)\n"
	      "\nLeaks:\n"
	      "     --baseline FILE      save the set of queues there are now\n"
	      "     --new-since FILE     list the queues made since; exit 1 when there are any\n", stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	fputs("\nColumns:\n", stdout);
	for (int i = 0; i < NCOLS; i++)
		printf(" %11s  %s\n", columns[i].name, columns[i].help);
	cli_usage_footer("mqstat(1)");
	exit(MQ_EXIT_OK);
}

static int column_by_name(const struct column *set, int nset, const char *name, size_t len)
{
	for (int i = 0; i < nset; i++)
		if (strlen(set[i].name) == len && !strncasecmp(set[i].name, name, len))
			return i;
	return -1;
}

static void add_default_columns(struct mqstat_control *o, const struct column *set, int nset)
{
	for (int i = 0; i < nset; i++)
		if (set[i].in_default)
			o->cols[o->ncols++] = i;
}

/* -o LIST: comma-separated names of SET; "+LIST" adds to the default set. */
static void parse_columns(struct mqstat_control *o, const struct column *set, int nset, const char *list)
{
	o->ncols = 0;
	if (list[0] == '+') {
		add_default_columns(o, set, nset);
		list++;
	}
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		int c = column_by_name(set, nset, p, len);
		if (c < 0)
			cli_usage_error("unknown column '%.*s' for --output (see --list-columns%s)", (int)len, p,
				set == limit_columns ? " --limits" : "");
		if (o->ncols < sizeof(o->cols) / sizeof(o->cols[0]))
			o->cols[o->ncols++] = c;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!o->ncols)
		cli_usage_error("--output needs at least one column (see --list-columns)");
}

/* The QI_* fields column COL is made from: what the listing must read. */
static unsigned column_needs(int col)
{
	switch (col) {
	case COL_OWNER: case COL_GROUP: case COL_CUSER: case COL_CGROUP: case COL_PERMS: case COL_MODE:
		return QI_OWNER;
	case COL_MSGS: return QI_COUNTS | QI_POSIX_ATTR; /* POSIX: mq_curmsgs */
	case COL_USED: return QI_COUNTS | QI_NOTIFY;
	case COL_CAPACITY: return QI_QBYTES | QI_POSIX_ATTR;
	case COL_FILL: return QI_QBYTES | QI_POSIX_ATTR | QI_COUNTS | QI_NOTIFY;
	case COL_MAXMSGS: return QI_POSIX_ATTR;
	case COL_MSGSIZE: return QI_QBYTES | QI_POSIX_ATTR;
	case COL_SEND: case COL_RECV: return QI_TIMES;
	case COL_CHANGE: return QI_CTIME;
	case COL_LSPID: case COL_LRPID: return QI_PIDS;
	case COL_NOTIFYPID: return QI_NOTIFY;
	case COL_HOLDERS: return QI_PIDS;
	/* queue_list_judge: holders, times, and whether messages wait */
	case COL_STATE: return QI_PIDS | QI_TIMES | QI_CTIME | QI_COUNTS | QI_POSIX_ATTR;
	case COL_INACTIVE: return QI_PIDS | QI_TIMES | QI_CTIME;
	default: return 0; /* NAME, KIND, KEY, ID: the listing itself */
	}
}

static char *holders_text(const struct queue_entry *e)
{
	size_t cap = e->nusers * 40 + 1, len = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < e->nusers; i++) {
		char path[64], comm[32] = "?";
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)e->users[i]);
		FILE *f = fopen(path, "re");
		if (f) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%d(%s)", i ? "," : "", (int)e->users[i], comm);
	}
	return s;
}

/* Text from outside (a queue name, a process or user name) for a cell: as
 * it is in JSON (libsmartcols quotes it, and the whole is escaped for a
 * terminal in print_table), with -r and -e (libsmartcols writes every byte
 * that is not printable, and with -e every " \\ ` $, as \\xHH), escaped
 * for the terminal everywhere else. */
static char *outside_text(const struct mqstat_control *o, const char *s)
{
	return o->json || o->raw || o->export ? strdup(s) : termesc_dup(s, 0);
}

/* The text of user (or group, GROUP) ID for a cell: the same few owners
 * come back in every row of a long listing, so the last one's text is
 * kept instead of formatted and escaped again. */
static char *owner_text(const struct mqstat_control *o, unsigned id, bool group)
{
	static struct { bool group; unsigned id; char *text; } last;
	if (!last.text || last.id != id || last.group != group) {
		char buf[128];
		free(last.text);
		last.text = outside_text(o, group ? format_group((gid_t)id, buf, sizeof(buf))
			: format_user((uid_t)id, buf, sizeof(buf)));
		last.id = id;
		last.group = group;
	}
	return last.text ? strdup(last.text) : NULL;
}

/* A time as --time-format says; by default short in a table, ISO 8601 for
 * a program (-J, -r, -e). */
static char *time_text(const struct mqstat_control *o, int64_t t)
{
	char buf[64];
	enum time_format tf = o->time_format;
	if (tf == TF_DEFAULT)
		tf = o->json || o->raw || o->export ? TF_ISO : TF_SHORT;
	switch (tf) {
	case TF_FULL: return strdup(format_time_full(t, buf, sizeof(buf)));
	case TF_RELATIVE: return strdup(format_time_relative(t, o->now, buf, sizeof(buf)));
	case TF_SHORT: return strdup(format_time_short(t, o->now, buf, sizeof(buf)));
	default: return strdup(format_time_iso(t, buf, sizeof(buf)));
	}
}

/* N in decimal then SUFFIX, in memory of its own: the commonest cell of
 * 10,000 rows, without snprintf's format parsing. */
static char *number_text(unsigned long long n, const char *suffix)
{
	char digits[24], *p = digits + sizeof(digits);
	size_t slen = strlen(suffix);
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10));
	size_t dlen = (size_t)(digits + sizeof(digits) - p);
	char *s = malloc(dlen + slen + 1);
	if (s) {
		memcpy(s, p, dlen);
		memcpy(s + dlen, suffix, slen + 1);
	}
	return s;
}

/* The text of column COL for E, or NULL when it is unknown or does not
 * apply (shown "-", JSON null). */
static char *cell(const struct mqstat_control *o, const struct queue_entry *e, int col)
{
	const struct queue_info *in = &e->info;
	bool posix = in->addr.kind == QUEUE_POSIX;
	char buf[128];
	unsigned long long n = 0;
	int64_t t = 0;
	pid_t pid = 0;

	switch (col) {
	case COL_NAME: /* a System V name is made here ("key:0x...", "id:N"): nothing to escape */
		return posix ? outside_text(o, e->info.addr.name) : strdup(e->sysv_name);
	case COL_KIND: return strdup(posix ? "posix" : "sysv");
	case COL_KEY:
		if (posix)
			return NULL;
		snprintf(buf, sizeof(buf), "0x%08x", (unsigned)in->addr.key);
		return strdup(buf);
	case COL_ID:
		n = (unsigned long long)in->addr.id;
		if (posix)
			return NULL;
		break;
	case COL_OWNER:
	case COL_GROUP:
	case COL_CUSER:
	case COL_CGROUP:
		if (!(in->known & QI_OWNER) || (posix && (col == COL_CUSER || col == COL_CGROUP)))
			return NULL;
		if (col == COL_OWNER || col == COL_CUSER)
			return owner_text(o, col == COL_OWNER ? in->uid : in->cuid, false);
		return owner_text(o, col == COL_GROUP ? in->gid : in->cgid, true);
	case COL_PERMS:
		if (!(in->known & QI_OWNER))
			return NULL;
		return strdup(o->numeric_perms ? format_mode_octal(in->mode, buf, sizeof(buf))
			: format_perms(in->mode, buf, sizeof(buf)));
	case COL_MODE:
		return (in->known & QI_OWNER) ? strdup(format_mode_octal(in->mode, buf, sizeof(buf))) : NULL;
	case COL_MSGS:
		if (!(in->known & (QI_COUNTS | QI_POSIX_ATTR)))
			return NULL;
		n = in->messages;
		break;
	case COL_USED:
		if (!(in->known & (QI_COUNTS | QI_NOTIFY)))
			return NULL;
		n = in->used_bytes;
		break;
	case COL_CAPACITY:
		if (!(n = queue_entry_capacity(e)))
			return NULL;
		break;
	case COL_FILL: {
		int pct = queue_entry_fill(e);
		if (pct < 0)
			return NULL;
		n = (unsigned long long)pct;
		break;
	}
	case COL_MAXMSGS:
		if (!posix || !(in->known & QI_POSIX_ATTR))
			return NULL;
		n = (unsigned long long)in->maxmsg;
		break;
	case COL_MSGSIZE:
		if (posix ? !(in->known & QI_POSIX_ATTR) : !(in->known & QI_QBYTES))
			return NULL;
		if (posix)
			n = (unsigned long long)in->msgsize;
		else {
			long msgmax = queue_limit(PROC_MSGMAX);
			n = msgmax > 0 && (unsigned long)msgmax < in->qbytes ? (unsigned long long)msgmax : in->qbytes;
		}
		break;
	case COL_SEND:
	case COL_RECV:
		if (!(in->known & QI_TIMES))
			return NULL;
		t = col == COL_SEND ? in->stime : in->rtime;
		break;
	case COL_CHANGE:
		if (!(in->known & QI_CTIME))
			return NULL;
		t = in->ctime;
		break;
	case COL_LSPID:
	case COL_LRPID:
		if (!(in->known & QI_PIDS))
			return NULL;
		pid = col == COL_LSPID ? in->lspid : in->lrpid;
		break;
	case COL_NOTIFYPID:
		if (!(in->known & QI_NOTIFY))
			return NULL;
		pid = in->notify_pid;
		break;
	case COL_HOLDERS: {
		if (e->state == QUEUE_STATE_UNKNOWN && !e->nusers)
			return NULL;
		char *text = holders_text(e), *shown = text ? outside_text(o, text) : NULL;
		free(text);
		return shown;
	}
	case COL_STATE:
		return strdup(queue_state_name(e->state));
	case COL_INACTIVE: {
		int64_t s = queue_entry_inactive(e, o->now);
		if (s < 0)
			return NULL;
		if (o->json)
			return number_text((unsigned long long)s, "");
		return strdup(format_duration(s, buf, sizeof(buf)));
	}
	}
	switch (columns[col].type) {
	case V_TIME:
		if (t == 0) /* never: null in JSON, words elsewhere */
			return o->json ? NULL : strdup("never");
		return time_text(o, t);
	case V_SIZE:
		if (!o->bytes && !o->json)
			return strdup(format_size_human(n, buf, sizeof(buf)));
		break;
	default:
		if (col == COL_FILL && !o->json)
			return number_text(n, "%");
		if (col == COL_LSPID || col == COL_LRPID || col == COL_NOTIFYPID)
			n = (unsigned long long)pid;
		break;
	}
	return number_text(n, "");
}

static struct libscols_table *new_table(const struct mqstat_control *o, const char *name)
{
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_export(tb, o->export);
	scols_table_enable_shellvar(tb, o->shellvar);
	scols_table_enable_noheadings(tb, o->noheadings);
	return tb;
}

/* The table on stdout. JSON goes through json_escape_controls: libsmartcols
 * quotes C0 controls only, and passes C1 and bidirectional controls (and
 * bytes that are not UTF-8) to the terminal as they are. */
static void print_table(const struct mqstat_control *o, struct libscols_table *tb)
{
	char *text = NULL, *safe;

	if (!o->json) {
		scols_print_table(tb);
		return;
	}
	if (scols_print_table_to_string(tb, &text) != 0 || !text)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	size_t len = strlen(text);
	if (!(safe = malloc(6 * len + 1)))
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	json_escape_controls(safe, text, len);
	fputs(safe, stdout);
	if (len && text[len - 1] != '\n')
		putchar('\n');
	free(safe);
	free(text);
}

static void fill_table(struct libscols_table *tb, const struct mqstat_control *o, const struct queue_list *l)
{
	for (size_t i = 0; i < o->ncols; i++) {
		const struct column *c = &columns[o->cols[i]];
		struct libscols_column *sc = scols_table_new_column(tb, c->name, c->width, c->flags);
		if (!sc)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		if (o->json)
			scols_column_set_json_type(sc, c->type == V_STRING || c->type == V_TIME
				? SCOLS_JSON_STRING : SCOLS_JSON_NUMBER);
	}
	for (size_t r = 0; r < l->n; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		for (size_t i = 0; i < o->ncols; i++) {
			char *text = cell(o, &l->v[r], o->cols[i]);
			/* unknown: "-" to read, null in JSON, "" to a script */
			if (!text && !o->json && !o->export)
				text = strdup("-");
			if (text && scols_line_refer_data(ln, i, text) != 0)
				cli_die(MQ_EXIT_FAILURE, "out of memory");
		}
	}
}

/* With QUEUE arguments and no -J/-r: each queue as "FIELD: value" lines. */
static void print_detail(const struct mqstat_control *o, const struct queue_list *l)
{
	for (size_t r = 0; r < l->n; r++) {
		if (r)
			putchar('\n');
		for (size_t i = 0; i < o->ncols; i++) {
			char *text = cell(o, &l->v[r], o->cols[i]);
			printf("%-10s %s\n", columns[o->cols[i]].name, text ? text : "-");
			free(text);
		}
	}
}

/* Why a kind could not be listed, with what to do about it. */
static void report_enumeration(const struct queue_list *l, unsigned kinds)
{
	if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l->posix_err == -ENODEV)
		cli_warn("POSIX queues are not listed: " QUEUE_CLI_MOUNT_HINT);
	else if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l->posix_err < 0)
		cli_warn("POSIX queues are not listed: %s: %s", MQUEUE_MOUNT, strerror(-l->posix_err));
	if ((kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l->sysv_err < 0)
		cli_warn("System V queues are not listed: %s", strerror(-l->sysv_err));
}

/* When holders could not all be seen, STATE says unknown, not a guess:
 * say why, and who can judge. */
static void report_unjudged(const struct mqstat_control *o, const struct queue_list *l)
{
	bool judged = false;
	for (size_t i = 0; i < o->ncols; i++)
		judged |= o->cols[i] == COL_STATE;
	size_t n = judged ? queue_list_unjudged(l) : 0;
	if (n)
		cli_warn("the STATE of %zu queue%s is unknown: only root can see every process that could hold "
			"or wait on %s (run mqstat as root to judge)", n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

/* The list as a table, or with -n as FIELD value lines. */
static void print_queues(const struct mqstat_control *o, const struct queue_list *l)
{
	if (o->newline) {
		print_detail(o, l);
		return;
	}
	struct libscols_table *tb = new_table(o, "queues");
	fill_table(tb, o, l);
	print_table(o, tb);
	/* A listing that ends the process leaves its table to the exit: freeing
	 * 10,000 rows one cell at a time was a twentieth of listing them
	 * (bench/RESULTS.md). Kept reachable, so that no leak checker takes it
	 * for lost; --watch frees each round's. */
	static struct libscols_table *left_to_exit;
	if (o->watch) {
		scols_unref_table(tb);
	} else {
		scols_unref_table(left_to_exit);
		left_to_exit = tb;
	}
}

static int64_t now_seconds(void)
{
	return (int64_t)time(NULL);
}

/* Whether a chosen column needs queue_list_judge (a walk of every
 * process's descriptors): without STATE, INACTIVE or HOLDERS the listing
 * is the kernel's facts alone, as cheap as lsipc's. */
static bool columns_need_judging(const struct mqstat_control *o)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == COL_STATE || o->cols[i] == COL_INACTIVE || o->cols[i] == COL_HOLDERS)
			return true;
	return false;
}

static void judge_if_shown(struct queue_list *l, const struct mqstat_control *o)
{
	if (columns_need_judging(o))
		queue_list_judge(l, o->now, o->idle_after);
}

static int collect(struct queue_list *l, struct mqstat_control *o)
{
	memset(l, 0, sizeof(*l));
	unsigned want = 0;
	for (size_t i = 0; i < o->ncols; i++)
		want |= column_needs(o->cols[i]);
	o->now = now_seconds();
	if (queue_list_collect(l, o->kinds, want) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	judge_if_shown(l, o);
	return 0;
}

static int list_all(struct mqstat_control *o)
{
	struct queue_list l;
	collect(&l, o);
	report_enumeration(&l, o->kinds);
	report_unjudged(o, &l);
	print_queues(o, &l);
	/* an unmounted mqueue is how the system is, not a failure: said, and
	 * the System V queues are listed all the same */
	bool failed = ((o->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0 && l.posix_err != -ENODEV)
		|| ((o->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0);
	queue_list_free(&l);
	return failed ? MQ_EXIT_FAILURE : MQ_EXIT_OK;
}

static int show_queues(struct mqstat_control *o, char **args, int nargs)
{
	struct queue_list l = { 0 };
	int status = MQ_EXIT_OK;

	o->now = now_seconds();
	for (int i = 0; i < nargs; i++) {
		struct queue_address addr;
		cli_address(args[i], &addr);
		int r = queue_list_add(&l, &addr);
		if (r == -ENOMEM)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		if (r == -ENOENT || r == -EIDRM) {
			cli_warn("%s: " QUEUE_NO_SUCH_QUEUE " (mqstat with no QUEUE lists them all)", args[i]);
			if (status == MQ_EXIT_OK)
				status = MQ_EXIT_NOQUEUE;
		} else if (r < 0) {
			queue_cli_error(args[i], addr.kind, r, "stat", NULL);
			status = MQ_EXIT_FAILURE;
		}
	}
	judge_if_shown(&l, o);
	report_unjudged(o, &l);
	if (o->json || o->raw || o->export || o->list) {
		struct libscols_table *tb = new_table(o, "queues");
		fill_table(tb, o, &l);
		print_table(o, tb);
		scols_unref_table(tb);
	} else {
		print_detail(o, &l);
	}
	queue_list_free(&l);
	return status;
}

/* --- --limits --------------------------------------------------------- */

/* What one POSIX queue charges against its creator's RLIMIT_MSGQUEUE
 * (ipc/mqueue.c: the messages, a struct msg_msg per message, and a
 * priority tree node per possible priority level in use). */
static unsigned long long rlimit_charge(long maxmsg, long msgsize)
{
	const unsigned long long msg_msg = 48, tree_node = 48, prio_max = 32768;
	unsigned long long m = (unsigned long long)maxmsg;
	return m * msg_msg + (m < prio_max ? m : prio_max) * tree_node + m * (unsigned long long)msgsize;
}

/* One row of --limits: -1 for what is not known. */
struct limit_row {
	const char *resource;
	char desc[160];
	long long limit, used;
	bool bytes;
};

static char *limit_cell(const struct mqstat_control *o, const struct limit_row *r, int col)
{
	char buf[64];
	long long v = col == LCOL_LIMIT ? r->limit : r->used;

	switch (col) {
	case LCOL_RESOURCE: return strdup(r->resource);
	case LCOL_DESCRIPTION: return strdup(r->desc);
	case LCOL_USE:
		/* lsipc -g's form: two decimals */
		if (r->limit <= 0 || r->used < 0)
			return NULL;
		snprintf(buf, sizeof(buf), o->json ? "%.2f" : "%.2f%%", 100.0 * (double)r->used / (double)r->limit);
		return strdup(buf);
	default:
		if (v < 0)
			return NULL;
		if (r->bytes && !o->bytes && !o->json)
			return strdup(format_size_human((unsigned long long)v, buf, sizeof(buf)));
		return number_text((unsigned long long)v, "");
	}
}

static void print_limits(const struct mqstat_control *o, const struct limit_row *rows, size_t nrows)
{
	struct libscols_table *tb = new_table(o, "limits");
	for (size_t i = 0; i < o->ncols; i++) {
		const struct column *c = &limit_columns[o->cols[i]];
		struct libscols_column *sc = scols_table_new_column(tb, c->name, c->width, c->flags);
		if (!sc)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		if (o->json)
			scols_column_set_json_type(sc, c->type == V_NUMBER ? SCOLS_JSON_NUMBER : SCOLS_JSON_STRING);
	}
	for (size_t r = 0; r < nrows; r++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		for (size_t i = 0; i < o->ncols; i++) {
			char *text = limit_cell(o, &rows[r], o->cols[i]);
			if (!text && !o->json && !o->export)
				text = strdup("-");
			if (text && scols_line_refer_data(ln, i, text) != 0)
				cli_die(MQ_EXIT_FAILURE, "out of memory");
		}
	}
	print_table(o, tb);
	scols_unref_table(tb);
}

/* The rows of --limits for L, a listing of both kinds with QI_ALL:
 * returns how many (at most NLIMIT_ROWS). */
#define NLIMIT_ROWS 9
static size_t limit_rows(const struct queue_list *l, struct limit_row *out)
{
	struct rlimit rl;
	long long nposix = 0, nsysv = 0, max_maxmsg = 0, max_msgsize = 0, max_qbytes = 0, charge = 0;
	bool posix_listed, attrs_known = true, own_known = true;
	uid_t me = getuid();

	posix_listed = l->posix_err == 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct queue_info *in = &l->v[i].info;
		if (in->addr.kind == QUEUE_SYSV) {
			nsysv++;
			if ((in->known & QI_QBYTES) && (long long)in->qbytes > max_qbytes)
				max_qbytes = (long long)in->qbytes;
			continue;
		}
		nposix++;
		if (!(in->known & QI_POSIX_ATTR)) {
			attrs_known = false;
			if (in->uid == me)
				own_known = false;
			continue;
		}
		if (in->maxmsg > max_maxmsg)
			max_maxmsg = in->maxmsg;
		if (in->msgsize > max_msgsize)
			max_msgsize = in->msgsize;
		if (in->uid == me)
			charge += (long long)rlimit_charge(in->maxmsg, in->msgsize);
	}
	bool sysv_listed = l->sysv_err == 0;

	struct limit_row rows[NLIMIT_ROWS] = {
		{ "queues_max", "POSIX queues (fs.mqueue.queues_max)", queue_limit(PROC_MQ_QUEUES_MAX),
			posix_listed ? nposix : -1, false },
		{ "msg_max", "POSIX: most messages in a queue; used: the largest queue",
			queue_limit(PROC_MQ_MSG_MAX), posix_listed && attrs_known ? max_maxmsg : -1, false },
		{ "msgsize_max", "POSIX: largest message; used: the largest queue's",
			queue_limit(PROC_MQ_MSGSIZE_MAX), posix_listed && attrs_known ? max_msgsize : -1, true },
		{ "msg_default", "POSIX: messages of a queue made without attributes",
			queue_limit(PROC_MQ_MSG_DEFAULT), -1, false },
		{ "msgsize_default", "POSIX: message size of a queue made without attributes",
			queue_limit(PROC_MQ_MSGSIZE_DEFAULT), -1, true },
		{ "msgmni", "System V queues (kernel.msgmni)", queue_limit(PROC_MSGMNI), sysv_listed ? nsysv : -1, false },
		{ "msgmax", "System V: largest message", queue_limit(PROC_MSGMAX), -1, true },
		{ "msgmnb", "System V: default capacity of a queue; used: the largest queue's",
			queue_limit(PROC_MSGMNB), sysv_listed ? max_qbytes : -1, true },
		{ "RLIMIT_MSGQUEUE", "", -1, -1, true },
	};
	size_t nrows = sizeof(rows) / sizeof(rows[0]);
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0) {
		struct limit_row *r = &rows[nrows - 1];
		if (rl.rlim_max == RLIM_INFINITY)
			snprintf(r->desc, sizeof(r->desc), "your POSIX queues' memory (ulimit -q; hard: unlimited)");
		else
			snprintf(r->desc, sizeof(r->desc), "your POSIX queues' memory (ulimit -q; hard: %llu)",
				(unsigned long long)rl.rlim_max);
		r->limit = rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur;
		r->used = posix_listed && own_known ? charge : -1;
	} else {
		nrows--;
	}
	memcpy(out, rows, nrows * sizeof(rows[0]));
	return nrows;
}

static int show_limits(struct mqstat_control *o)
{
	struct queue_list l;
	struct limit_row rows[NLIMIT_ROWS];

	o->kinds = QUEUE_KIND_BIT(QUEUE_POSIX) | QUEUE_KIND_BIT(QUEUE_SYSV);
	memset(&l, 0, sizeof(l));
	if (queue_list_collect(&l, o->kinds, QI_ALL) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	report_enumeration(&l, o->kinds);
	size_t nrows = limit_rows(&l, rows);
	queue_list_free(&l);
	print_limits(o, rows, nrows);
	return MQ_EXIT_OK;
}

/* --prometheus[=FILE]: every queue, judged, and the limits of -g, as
 * metrics (tools/mqstat/prometheus.h) on stdout or replacing FILE. */
static int run_prometheus(struct mqstat_control *o)
{
	struct queue_list l;
	struct limit_row rows[NLIMIT_ROWS];
	struct prometheus_limit limits[NLIMIT_ROWS];
	int64_t start = monotonic_ns();

	memset(&l, 0, sizeof(l));
	o->now = now_seconds();
	if (queue_list_collect(&l, o->kinds, QI_ALL) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	queue_list_judge(&l, o->now, o->idle_after);
	size_t n = limit_rows(&l, rows);
	for (size_t i = 0; i < n; i++)
		limits[i] = (struct prometheus_limit){ rows[i].resource, rows[i].limit, rows[i].used };
	struct prometheus_collection c = { &l, o->kinds, o->now, limits, n, (double)(monotonic_ns() - start) / 1e9 };
	report_enumeration(&l, o->kinds);
	int status = prometheus_output(o->prometheus_file, &c);
	if (status == MQ_EXIT_OK && ((l.posix_err < 0 && l.posix_err != -ENODEV) || l.sysv_err < 0))
		status = MQ_EXIT_FAILURE; /* written, mqtools_collect_success 0: said above too */
	queue_list_free(&l);
	return status;
}

/* --- --watch ---------------------------------------------------------- */

/* FILL as a bar for the live view: [#####-----] 50% */
static void fill_bars(struct libscols_table *tb, const struct mqstat_control *o, const struct queue_list *l)
{
	for (size_t i = 0; i < o->ncols; i++) {
		if (o->cols[i] != COL_FILL)
			continue;
		for (size_t r = 0; r < l->n; r++) {
			struct libscols_line *ln = scols_table_get_line(tb, r);
			const struct queue_entry *e = &l->v[r];
			unsigned long long cap = queue_entry_capacity(e);
			char bar[32];
			int fill = queue_entry_fill(e); /* the table's rule: never 0% when not empty */
			if (fill < 0)
				continue;
			unsigned pct = fill > 100 ? 100 : (unsigned)fill;
			unsigned full = (unsigned)((e->info.used_bytes * 10 + cap - 1) / cap);
			if (full > 10)
				full = 10;
			snprintf(bar, sizeof(bar), "[%.*s%.*s] %3u%%", (int)full, "##########",
				(int)(10 - full), "..........", pct);
			scols_line_set_data(ln, i, bar);
		}
	}
}

static int watch(struct mqstat_control *o)
{
	struct timespec pause = { o->watch_ns / 1000000000, o->watch_ns % 1000000000 };
	char when[64];

	if (!isatty(STDOUT_FILENO))
		cli_usage_error("--watch draws on a terminal; to log, run mqstat -J in a loop instead");
	signals_install();
	while (!signals_stop_requested()) {
		struct queue_list l;
		char *text = NULL;
		collect(&l, o);
		struct libscols_table *tb = new_table(o, "queues");
		fill_table(tb, o, &l);
		fill_bars(tb, o, &l);
		scols_table_enable_maxout(tb, 0);
		scols_print_table_to_string(tb, &text);
		/* home, clear to the end: redraw in place */
		printf("\033[H\033[2J%s  every %.1fs, %zu queue%s  (Ctrl-C to quit)\n%s\n",
			format_time_iso(o->now, when, sizeof(when)), o->watch_ns / 1e9, l.n, l.n == 1 ? "" : "s",
			text ? text : "");
		report_enumeration(&l, o->kinds);
		fflush(stdout);
		free(text);
		scols_unref_table(tb);
		queue_list_free(&l);
		nanosleep(&pause, NULL); /* a stop signal cuts it short */
	}
	return MQ_EXIT_OK;
}

/* --- --baseline and --new-since -------------------------------------- */

static int save_baseline(struct mqstat_control *o)
{
	struct queue_list l;
	memset(&l, 0, sizeof(l));
	if (queue_list_collect(&l, o->kinds, QI_CTIME) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	/* only the kinds that could be listed: a kind missing from the file
	 * is not compared later, rather than all of it reported new */
	unsigned kinds = o->kinds;
	if ((kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0)
		kinds &= ~(unsigned)QUEUE_KIND_BIT(QUEUE_POSIX);
	if ((kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0)
		kinds &= ~(unsigned)QUEUE_KIND_BIT(QUEUE_SYSV);
	report_enumeration(&l, o->kinds);
	if (!kinds) {
		queue_list_free(&l);
		cli_die(MQ_EXIT_FAILURE, "%s: not written: no kind of queue could be listed", o->baseline);
	}
	queue_list_find_inodes(&l);
	int r = baseline_save(o->baseline, &l, kinds);
	queue_list_free(&l);
	if (r == -EISDIR)
		cli_die(MQ_EXIT_FAILURE, "%s: is a directory: give --baseline a file name", o->baseline);
	if (r < 0)
		cli_die(MQ_EXIT_FAILURE, "%s: cannot write the baseline: %s (it is written beside it, then renamed)",
			o->baseline, strerror(-r));
	return MQ_EXIT_OK;
}

static noreturn void baseline_load_failed(const char *path, int r, const struct baseline_error *err)
{
	if (r == -ELOOP)
		cli_die(MQ_EXIT_FAILURE, "%s: is a symbolic link: give --new-since the file itself", path);
	if (r != -EINVAL)
		cli_die(MQ_EXIT_FAILURE, "%s: cannot read the baseline: %s (make one with mqstat --baseline %s)",
			path, strerror(-r), path);
	if (err->line)
		cli_die(MQ_EXIT_FAILURE, "%s: line %lu: %s; make a new one with mqstat --baseline", path, err->line, err->msg);
	cli_die(MQ_EXIT_FAILURE, "%s: %s; make a new one with mqstat --baseline", path, err->msg);
}

/* Keep in L only the queues that are not in B, of the kinds B covers. */
static void keep_new(struct queue_list *l, const struct baseline *b)
{
	size_t out = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct queue_entry *e = &l->v[i];
		unsigned kind = QUEUE_KIND_BIT(e->info.addr.kind);
		if ((b->kinds & kind) && !baseline_has(b, e))
			l->v[out++] = *e;
		else
			free(e->users);
	}
	l->n = out;
}

static int list_new_since(struct mqstat_control *o)
{
	struct baseline b;
	struct baseline_error err;
	int r = baseline_load(o->new_since, &b, &err);
	if (r == -ENOMEM)
		cli_die(MQ_EXIT_FAILURE, "out of memory reading %s", o->new_since);
	if (r < 0)
		baseline_load_failed(o->new_since, r, &err);
	unsigned asked = o->kinds;
	o->kinds &= b.kinds;
	if (asked & ~b.kinds)
		cli_warn("%s covers %s queues only: the others are not compared", o->new_since,
			b.kinds == QUEUE_KIND_BIT(QUEUE_POSIX) ? "POSIX" : "System V");

	struct queue_list l;
	memset(&l, 0, sizeof(l));
	unsigned want = QI_CTIME;
	for (size_t i = 0; i < o->ncols; i++)
		want |= column_needs(o->cols[i]);
	o->now = now_seconds();
	if (o->kinds && queue_list_collect(&l, o->kinds, want) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	report_enumeration(&l, o->kinds);
	queue_list_find_inodes(&l);
	keep_new(&l, &b);
	baseline_free(&b);
	judge_if_shown(&l, o);
	report_unjudged(o, &l);
	print_queues(o, &l);
	bool failed = ((o->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0) || ((o->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0);
	bool any = l.n > 0;
	queue_list_free(&l);
	if (failed)
		cli_warn("not every queue could be listed: new queues may be missing");
	return any || failed ? MQ_EXIT_FAILURE : MQ_EXIT_OK;
}

/* --- --check ---------------------------------------------------------- */

/* The monitoring-plugins statuses: not the project's usual ones, on purpose
 * (Nagios and Icinga read 1 as WARNING, 2 as CRITICAL). */
enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };
static const char *const check_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Whether the check printed its own status line; until then, any exit
 * (a usage error, out of memory) is UNKNOWN, never read as a WARNING or
 * CRITICAL. */
static bool check_reported;

static void check_exit(int status, void *arg)
{
	(void)arg;
	if (check_reported || status == 0) /* status 0: --help or --version */
		return;
	printf("MQSTAT UNKNOWN - mqstat could not check (exit %d): see its standard error\n", status);
	fflush(stdout);
	fflush(stderr);
	_exit(CHECK_UNKNOWN);
}

/* What one kind of finding collects: how many, and the first few names. */
#define CHECK_NAMES 3
struct finding {
	size_t n;
	const struct queue_entry *first[CHECK_NAMES];
	long long value[CHECK_NAMES];
};

static void found(struct finding *f, const struct queue_entry *e, long long value)
{
	if (f->n < CHECK_NAMES) {
		f->first[f->n] = e;
		f->value[f->n] = value;
	}
	f->n++;
}

/* A name for the status line: one line, escaped for whatever shows it, and
 * no "|", which starts the perfdata. */
static void put_status_name(FILE *out, const char *name)
{
	char *safe = termesc_dup(name, 0);
	for (const char *p = safe ? safe : "?"; *p; p++)
		*p == '|' ? fputs("\\174", out) : putc(*p, out);
	free(safe);
}

/* A perfdata label, always quoted: bytes other than letters, digits and
 * "/._:-" as %XX (a label may hold neither "'" nor "="). */
static void put_perf_label(FILE *out, const char *prefix, const char *name)
{
	putc('\'', out);
	fputs(prefix, out);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/._:-", *p))
			putc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	putc('\'', out);
}

static void put_threshold(FILE *out, long long v)
{
	if (v >= 0)
		fprintf(out, "%lld", v);
}

struct check_result {
	struct finding crit_fill, warn_fill, idle, unknown_fill, unknown_idle;
	size_t orphaned, unjudged, missing, failed;
	const struct queue_entry *fullest;
	int fullest_fill;
	char problem[256]; /* the first queue that could not be looked at */
};

/* When a queue's messages were last taken: System V its last receive (its
 * creation when there was none); POSIX, which keeps no receive time, its
 * last send or receive. -1 if unknown. */
static int64_t last_taken(const struct queue_entry *e)
{
	const struct queue_info *in = &e->info;
	if (in->addr.kind == QUEUE_SYSV) {
		if (!(in->known & QI_TIMES))
			return -1;
		return in->rtime ? in->rtime : (in->known & QI_CTIME) ? in->ctime : -1;
	}
	return e->last_activity ? e->last_activity : -1;
}

static void check_one(const struct mqstat_control *o, const struct queue_entry *e, struct check_result *r)
{
	const struct thresholds *th = &o->th;
	int fill = queue_entry_fill(e);

	if (fill < 0 && (th->warn_fill >= 0 || th->crit_fill >= 0))
		found(&r->unknown_fill, e, 0);
	if (fill >= 0 && (!r->fullest || fill > r->fullest_fill)) {
		r->fullest = e;
		r->fullest_fill = fill;
	}
	if (fill >= 0 && th->crit_fill >= 0 && fill > th->crit_fill)
		found(&r->crit_fill, e, fill);
	else if (fill >= 0 && th->warn_fill >= 0 && fill > th->warn_fill)
		found(&r->warn_fill, e, fill);
	if (e->state == QUEUE_STATE_ORPHANED)
		r->orphaned++;
	if (e->state == QUEUE_STATE_UNKNOWN)
		r->unjudged++;
	if (th->warn_idle > 0) {
		bool counted = e->info.known & (QI_COUNTS | QI_POSIX_ATTR);
		int64_t taken = last_taken(e);
		if (!counted || (e->info.messages && taken < 0))
			found(&r->unknown_idle, e, 0);
		else if (e->info.messages && o->now - taken >= th->warn_idle)
			found(&r->idle, e, o->now - taken);
	}
}

static void say_list(FILE *out, const char *sep, const struct finding *f, const char *what, const char *unit)
{
	fputs(sep, out);
	for (size_t i = 0; i < f->n && i < CHECK_NAMES; i++) {
		if (i)
			fputs(", ", out);
		put_status_name(out, queue_entry_name(f->first[i]));
		if (unit && !strcmp(unit, "%"))
			fprintf(out, " %lld%%", f->value[i]);
		else if (unit) {
			char d[32];
			fprintf(out, " %s", format_duration(f->value[i], d, sizeof(d)));
		}
	}
	if (f->n > CHECK_NAMES)
		fprintf(out, " and %zu more", f->n - CHECK_NAMES);
	fprintf(out, " %s", what);
}

static int check_status(const struct mqstat_control *o, const struct check_result *r)
{
	if (r->crit_fill.n || r->missing)
		return CHECK_CRITICAL;
	if (r->warn_fill.n || r->idle.n || (o->th.warn_orphaned >= 0 && (long long)r->orphaned > o->th.warn_orphaned))
		return CHECK_WARNING;
	if (r->failed || r->unknown_fill.n || r->unknown_idle.n || (o->th.warn_orphaned >= 0 && r->unjudged))
		return CHECK_UNKNOWN;
	return CHECK_OK;
}

static void print_check(const struct mqstat_control *o, const struct queue_list *l, const struct check_result *r, int status,
	bool per_queue)
{
	const struct thresholds *th = &o->th;
	const char *sep = " - ";
	char word[64];

	printf("MQSTAT %s", check_words[status]);
	if (r->missing) {
		printf("%s%zu queue%s missing", sep, r->missing, r->missing == 1 ? "" : "s");
		sep = "; ";
	}
	if (r->crit_fill.n) {
		snprintf(word, sizeof(word), "over %lld%% full (critical)", th->crit_fill);
		say_list(stdout, sep, &r->crit_fill, word, "%");
		sep = "; ";
	}
	if (r->warn_fill.n) {
		snprintf(word, sizeof(word), "over %lld%% full (warning)", th->warn_fill);
		say_list(stdout, sep, &r->warn_fill, word, "%");
		sep = "; ";
	}
	if (th->warn_orphaned >= 0 && (long long)r->orphaned > th->warn_orphaned) {
		printf("%s%zu orphaned queue%s (warning over %lld)", sep, r->orphaned, r->orphaned == 1 ? "" : "s",
			th->warn_orphaned);
		sep = "; ";
	}
	if (r->idle.n) {
		say_list(stdout, sep, &r->idle, "holding messages nobody took", "s");
		sep = "; ";
	}
	if (r->failed) {
		printf("%s", sep);
		put_status_name(stdout, r->problem);
		sep = "; ";
	}
	if (r->unknown_fill.n) {
		say_list(stdout, sep, &r->unknown_fill, "of unknown fill (not readable: run as root or the owner)", NULL);
		sep = "; ";
	}
	if (r->unknown_idle.n) {
		say_list(stdout, sep, &r->unknown_idle, "of unknown message count or receive time", NULL);
		sep = "; ";
	}
	if (th->warn_orphaned >= 0 && r->unjudged) {
		printf("%s%zu queue%s of unknown state (only root can judge)", sep, r->unjudged, r->unjudged == 1 ? "" : "s");
		sep = "; ";
	}
	if (status == CHECK_OK) {
		printf("%s%zu queue%s", sep, l->n, l->n == 1 ? "" : "s");
		if (r->fullest) {
			fputs(", fullest ", stdout);
			put_status_name(stdout, queue_entry_name(r->fullest));
			printf(" %d%%", r->fullest_fill);
		}
	}
	/* perfdata: label=value[UOM];warn;crit;min;max */
	printf(" | queues=%zu;;;0; orphaned=%zu;", l->n, r->orphaned);
	put_threshold(stdout, th->warn_orphaned);
	printf(";;0; fill_max=%d%%;", r->fullest ? r->fullest_fill : 0);
	put_threshold(stdout, th->warn_fill);
	putchar(';');
	put_threshold(stdout, th->crit_fill);
	printf(";0;100 untaken=%zu;;;0;", r->idle.n);
	/* per queue when queues were named: 10,000 of them would drown a
	 * monitoring database */
	for (size_t i = 0; per_queue && i < l->n; i++) {
		const struct queue_entry *e = &l->v[i];
		int fill = queue_entry_fill(e);
		if (fill < 0)
			continue;
		putchar(' ');
		put_perf_label(stdout, "fill ", queue_entry_name(e));
		printf("=%d%%;", fill);
		put_threshold(stdout, th->warn_fill);
		putchar(';');
		put_threshold(stdout, th->crit_fill);
		printf(";0;100 ");
		put_perf_label(stdout, "msgs ", queue_entry_name(e));
		printf("=%lu;;;0;", e->info.messages);
	}
	putchar('\n');
}

static int run_check(struct mqstat_control *o, char **args, int nargs)
{
	struct queue_list l;
	struct check_result r;
	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));

	o->now = now_seconds();
	if (!nargs) {
		if (queue_list_collect(&l, o->kinds, QI_ALL) < 0)
			cli_die(CHECK_UNKNOWN, "out of memory listing the queues");
		if (((o->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) && l.posix_err < 0 && l.posix_err != -ENODEV)
			|| ((o->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && l.sysv_err < 0)) {
			r.failed++;
			snprintf(r.problem, sizeof(r.problem), "cannot list the %s queues: %s",
				l.sysv_err < 0 ? "System V" : "POSIX", strerror(-(l.sysv_err < 0 ? l.sysv_err : l.posix_err)));
		}
	}
	for (int i = 0; i < nargs; i++) {
		struct queue_address addr;
		cli_address(args[i], &addr);
		int err = queue_list_add(&l, &addr);
		if (err == -ENOMEM)
			cli_die(CHECK_UNKNOWN, "out of memory");
		if (err == -ENOENT || err == -EIDRM) {
			/* the queue watched is gone: what a monitor is for */
			r.missing++;
			cli_warn("%s: " QUEUE_NO_SUCH_QUEUE, args[i]);
		} else if (err < 0) {
			if (!r.failed++)
				snprintf(r.problem, sizeof(r.problem), "%s: %s", args[i], strerror(-err));
		}
	}
	queue_list_judge(&l, o->now, o->idle_after);
	for (size_t i = 0; i < l.n; i++)
		check_one(o, &l.v[i], &r);
	int status = check_status(o, &r);
	print_check(o, &l, &r, status, nargs > 0);
	queue_list_free(&l);
	fflush(stdout);
	check_reported = true;
	if (ferror(stdout))
		_exit(CHECK_UNKNOWN); /* nobody can read the status: not a WARNING */
	return status;
}

/* --check given anywhere (getopt_long takes any unambiguous prefix, and
 * "--ch" is one): known before the options are parsed, so that a usage
 * error is already UNKNOWN. */
static bool check_requested(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		size_t len = strcspn(argv[i], "=");
		if (len >= 4 && !strncmp(argv[i], "--check", len))
			return true;
	}
	return false;
}

static enum time_format parse_time_format(const char *arg)
{
	static const char *const names[] = { [TF_SHORT] = "short", [TF_FULL] = "full", [TF_ISO] = "iso",
		[TF_RELATIVE] = "relative" };
	for (int i = TF_SHORT; i <= TF_RELATIVE; i++)
		if (!strcmp(arg, names[i]))
			return (enum time_format)i;
	cli_usage_error("--time-format %s: unknown format (short, full, iso or relative)", arg);
}

/* The combinations that make no sense, each said with what to do. */
static void check_combinations(const struct mqstat_control *o, int nargs, bool output, bool output_all)
{
	int formats = o->json + o->raw + o->export + o->newline;
	bool thresholds = o->th.warn_fill >= 0 || o->th.crit_fill >= 0 || o->th.warn_orphaned >= 0 || o->th.warn_idle;

	if (formats > 1)
		cli_usage_error("--json, --raw, --export and --newline are exclusive: choose one output format");
	if (output && output_all)
		cli_usage_error("--output and --output-all are exclusive");
	if (o->limits + o->watch + o->check + !!o->baseline + !!o->new_since > 1)
		cli_usage_error("--limits, --watch, --check, --baseline and --new-since are exclusive: one at a time");
	if (o->limits && (nargs || output_all || o->newline))
		cli_usage_error("--limits shows the system limits alone: no QUEUE, --output-all or --newline with it");
	if (o->watch && (nargs || formats))
		cli_usage_error("--watch shows every queue as a table: no QUEUE, --json, --raw, --export or --newline with it");
	if (thresholds && !o->check)
		cli_usage_error("--warn-fill, --crit-fill, --warn-orphaned and --warn-idle are thresholds of --check");
	if (o->check && (formats || output || output_all || o->shellvar || o->list))
		cli_usage_error("--check prints one status line for a monitor: no output format or columns with it");
	if (o->th.warn_fill >= 0 && o->th.crit_fill >= 0 && o->th.warn_fill > o->th.crit_fill)
		cli_usage_error("--warn-fill %lld is above --crit-fill %lld: a warning comes first", o->th.warn_fill,
			o->th.crit_fill);
	if ((o->baseline || o->new_since) && nargs)
		cli_usage_error("--baseline and --new-since look at every queue: no QUEUE with them");
	if (o->baseline && (formats || output || output_all))
		cli_usage_error("--baseline writes its file and prints nothing: no output format or columns with it");
	if (nargs && o->kinds)
		cli_usage_error("--posix and --sysv choose among all queues: not with QUEUE arguments");
	if (o->list && !nargs)
		cli_usage_error("--list is for QUEUE arguments: without them every queue is a table already");
	if (o->prometheus && (o->limits || o->watch || o->check || o->baseline || o->new_since || formats || output
		|| output_all || o->shellvar || o->list || o->noheadings || o->bytes || o->numeric_perms || o->time_format
		|| o->kinds))
		cli_usage_error("--prometheus writes every queue of both kinds as metrics: no other mode, -Q, -q, "
			"output format or columns with it");
}

/* amqp:// queues: what the broker tells of each, without the kernel's
 * columns. Listing a broker's every queue needs its management plugin's
 * HTTP API, which mqstat does not speak: the queues are named. */
static int stat_network(const struct mqstat_control *o, char **args, int nargs, const char *password_file,
	bool chose_columns)
{
	int status = MQ_EXIT_OK;
	if (o->check || o->watch || o->limits || o->baseline || o->new_since || chose_columns || o->kinds)
		cli_usage_error("amqp:// queues take only --json and --password-file: --check, --watch, --output, "
			"--limits, --baseline, -P and -S are for kernel queues");
	for (int i = 0; i < nargs; i++) {
		struct queue_address addr;
		cli_address(args[i], &addr);
		if (addr.kind != QUEUE_AMQP)
			cli_usage_error("%s: amqp:// and other queues cannot be shown together", args[i]);
	}
	for (int i = 0; i < nargs; i++) {
		struct queue_address addr;
		cli_address(args[i], &addr);
		int st = amqp_cli_stat(args[i], &addr, password_file, o->json);
		if (st > status)
			status = st;
	}
	return status;
}

int main(int argc, char **argv)
{
	enum {
		OPT_OUTPUT_ALL = 0x100, OPT_IDLE_AFTER, OPT_NOHEADINGS, OPT_TIME_FORMAT, OPT_CHECK, OPT_WARN_FILL,
		OPT_CRIT_FILL, OPT_WARN_ORPHANED, OPT_WARN_IDLE, OPT_BASELINE, OPT_NEW_SINCE, OPT_PROMETHEUS
	};
	static const struct option longopts[] = {
		{ "posix", no_argument, NULL, 'Q' },
		{ "sysv", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "export", no_argument, NULL, 'e' },
		{ "shell", no_argument, NULL, 'y' },
		{ "newline", no_argument, NULL, 'n' },
		{ "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, OPT_NOHEADINGS },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "bytes", no_argument, NULL, 'b' },
		{ "numeric-perms", no_argument, NULL, 'P' },
		{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "limits", no_argument, NULL, 'g' },
		{ "global", no_argument, NULL, 'g' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "idle-after", required_argument, NULL, OPT_IDLE_AFTER },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "warn-fill", required_argument, NULL, OPT_WARN_FILL },
		{ "crit-fill", required_argument, NULL, OPT_CRIT_FILL },
		{ "warn-orphaned", required_argument, NULL, OPT_WARN_ORPHANED },
		{ "warn-idle", required_argument, NULL, OPT_WARN_IDLE },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "new-since", required_argument, NULL, OPT_NEW_SINCE },
		{ "prometheus", optional_argument, NULL, OPT_PROMETHEUS },
		QUEUE_CLI_NETWORK_LONGOPTS,
		CLI_LONGOPTS_HELP_VERSION,
	};
	struct mqstat_control o = {
		.idle_after = QUEUE_LIST_DEFAULT_IDLE_AFTER,
		.th = { .warn_fill = -1, .crit_fill = -1, .warn_orphaned = -1 },
	};
	const char *output = NULL, *password_file = NULL;
	bool output_all = false, list_columns = false;
	int c;

	cli_init(argc, argv);
	if (check_requested(argc, argv))
		on_exit(check_exit, NULL); /* after cli_init's: runs before it */
	/* names in the terminal's character set; termesc guards the rest */
	setlocale(LC_CTYPE, "");
	while ((c = getopt_long(argc, argv, "QqJreynlo:bPHgw::hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'Q': o.kinds |= QUEUE_KIND_BIT(QUEUE_POSIX); break;
		case 'q': o.kinds |= QUEUE_KIND_BIT(QUEUE_SYSV); break;
		case 'J': o.json = true; break;
		case 'r': o.raw = true; break;
		case 'e': o.export = true; break;
		case 'y': o.shellvar = true; break;
		case 'n': o.newline = true; break;
		case 'l': o.list = true; break;
		case OPT_NOHEADINGS: o.noheadings = true; break;
		case 'o': output = optarg; break;
		case OPT_OUTPUT_ALL: output_all = true; break;
		case 'b': o.bytes = true; break;
		case 'P': o.numeric_perms = true; break;
		case OPT_TIME_FORMAT: o.time_format = parse_time_format(optarg); break;
		case 'H': list_columns = true; break;
		case 'g': o.limits = true; break;
		case 'w': {
			/* "-w 5" as well as "-w5" and "--watch=5" */
			const char *arg = optarg;
			if (!arg && optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9')
				arg = argv[optind++];
			o.watch = true;
			o.watch_ns = arg ? cli_duration("--watch", arg) : 2000000000LL;
			if (o.watch_ns < 100000000LL)
				cli_usage_error("--watch %s is too short: redraw at most every 0.1 seconds", arg);
			break;
		}
		case OPT_IDLE_AFTER:
			o.idle_after = cli_duration("--idle-after", optarg) / 1000000000LL;
			break;
		case OPT_CHECK: o.check = true; break;
		case OPT_WARN_FILL: o.th.warn_fill = cli_integer("--warn-fill", optarg, 0, 1000); break;
		case OPT_CRIT_FILL: o.th.crit_fill = cli_integer("--crit-fill", optarg, 0, 1000); break;
		case OPT_WARN_ORPHANED: o.th.warn_orphaned = cli_integer("--warn-orphaned", optarg, 0, 1000000000); break;
		case OPT_WARN_IDLE:
			o.th.warn_idle = cli_duration("--warn-idle", optarg) / 1000000000LL;
			if (o.th.warn_idle < 1)
				cli_usage_error("--warn-idle %s: at least a second", optarg);
			break;
		case OPT_BASELINE: o.baseline = optarg; break;
		case OPT_NEW_SINCE: o.new_since = optarg; break;
		case OPT_PROMETHEUS:
			o.prometheus = true;
			o.prometheus_file = optarg; /* NULL: stdout */
			break;
		case QUEUE_OPT_PASSWORD_FILE: password_file = optarg; break;
		default:
			cli_common_option(c, usage);
		}
	}
	if (list_columns) {
		const struct column *set = o.limits ? limit_columns : columns;
		for (int i = 0; i < (o.limits ? NLCOLS : NCOLS); i++)
			printf("%-11s %s\n", set[i].name, set[i].help);
		return MQ_EXIT_OK;
	}
	int nargs = argc - optind;
	if (o.prometheus_file && !*o.prometheus_file)
		cli_usage_error("--prometheus= names no file: give one, or no = for standard output");
	if (o.prometheus && nargs)
		cli_usage_error("--prometheus writes every kernel queue: no QUEUE with it (a broker's queues "
			"have its own exporter, such as RabbitMQ's rabbitmq_prometheus)");
	if (nargs > 0 && url_is_network(argv[optind]))
		return stat_network(&o, argv + optind, nargs, password_file, output || output_all);
	if (password_file)
		cli_usage_error("--password-file is for amqp:// queues; a kernel queue has no password");
	check_combinations(&o, nargs, output, output_all);
	if (!o.kinds)
		o.kinds = QUEUE_KIND_BIT(QUEUE_POSIX) | QUEUE_KIND_BIT(QUEUE_SYSV);

	if (o.limits) {
		if (output)
			parse_columns(&o, limit_columns, NLCOLS, output);
		else
			add_default_columns(&o, limit_columns, NLCOLS);
		return show_limits(&o);
	}
	if (o.check)
		return run_check(&o, argv + optind, nargs);
	if (o.prometheus)
		return run_prometheus(&o);
	if (o.baseline)
		return save_baseline(&o);
	if (output)
		parse_columns(&o, columns, NCOLS, output);
	else if (output_all || (nargs && !o.list))
		for (int i = 0; i < NCOLS; i++)
			o.cols[o.ncols++] = i;
	else
		add_default_columns(&o, columns, NCOLS);
	if (o.watch)
		return watch(&o);
	if (o.new_since)
		return list_new_since(&o);
	if (nargs)
		return show_queues(&o, argv + optind, nargs);
	return list_all(&o);
}
