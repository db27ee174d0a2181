/* mqstat - show the machine's message queues, POSIX and System V, in one
 * table; find the ones nobody uses any more. */
#include "config.h"
#include "cli.h"
#include "qformat.h"
#include "qlist.h"
#include "signals.h"
#include "termesc.h"
#include "json.h"

#include <errno.h>
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
	COL_PERMS, COL_MSGS, COL_USED, COL_CAPACITY, COL_FILL, COL_MAXMSGS, COL_MSGSIZE,
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
	[COL_PERMS] = { "PERMS", 9, 0, V_STRING, true, "permissions" },
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

struct options {
	int cols[NCOLS * 2];
	size_t ncols;
	unsigned kinds;
	bool json, raw, noheadings, bytes, limits;
	bool watch;
	int64_t watch_ns;
	int64_t idle_after;
	int64_t now;
};

static noreturn void usage(void)
{
	printf("Usage:\n %s [options] [QUEUE...]\n\n", cli_program);
	fputs("Show every POSIX and System V message queue, or the QUEUEs given in detail.\n\nOptions:\n", stdout);
	fputs(" -P, --posix              POSIX queues only\n"
	      " -S, --sysv               System V queues only\n"
	      " -J, --json               JSON output\n"
	      " -r, --raw                raw output: no alignment\n"
	      " -n, --noheadings         no header line\n"
	      " -o, --output COLUMNS     the columns to show (+COL adds to the default set)\n"
	      "     --output-all         every column\n"
	      " -b, --bytes              sizes in bytes, not human-readable\n"
	      " -H, --list-columns       list the columns and exit\n"
	      " -l, --limits             system limits and what uses them\n"
	      " -w, --watch [SECONDS]    redraw on the terminal every SECONDS (default 2)\n"
	      "     --idle-after DURATION  a queue unused this long is idle (default 10m)\n", stdout);
	fputs(CLI_USAGE_HELP_VERSION, stdout);
	fputs("\nColumns:\n", stdout);
	for (int i = 0; i < NCOLS; i++)
		printf(" %11s  %s\n", columns[i].name, columns[i].help);
	cli_usage_footer("mqstat(1)");
	exit(MQ_EXIT_OK);
}

static int column_by_name(const char *name, size_t len)
{
	for (int i = 0; i < NCOLS; i++)
		if (strlen(columns[i].name) == len && !strncasecmp(columns[i].name, name, len))
			return i;
	return -1;
}

static void add_default_columns(struct options *o)
{
	for (int i = 0; i < NCOLS; i++)
		if (columns[i].in_default)
			o->cols[o->ncols++] = i;
}

/* -o LIST: comma-separated names; "+LIST" adds to the default set. */
static void parse_columns(struct options *o, const char *list)
{
	o->ncols = 0;
	if (list[0] == '+') {
		add_default_columns(o);
		list++;
	}
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		int c = column_by_name(p, len);
		if (c < 0)
			cli_usage_error("unknown column '%.*s' for --output (see --list-columns)", (int)len, p);
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
	case COL_OWNER: case COL_GROUP: case COL_CUSER: case COL_CGROUP: case COL_PERMS:
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
	/* qlist_judge: holders, times, and whether messages wait */
	case COL_STATE: return QI_PIDS | QI_TIMES | QI_CTIME | QI_COUNTS | QI_POSIX_ATTR;
	case COL_INACTIVE: return QI_PIDS | QI_TIMES | QI_CTIME;
	default: return 0; /* NAME, KIND, KEY, ID: the listing itself */
	}
}

static char *holders_text(const struct qentry *e)
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
 * terminal in print_json), escaped for the terminal everywhere else. */
static char *outside_text(const struct options *o, const char *s)
{
	return o->json || o->raw ? strdup(s) : termesc_dup(s, 0);
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
static char *cell(const struct options *o, const struct qentry *e, int col)
{
	const struct queue_info *in = &e->info;
	bool posix = in->addr.kind == QUEUE_POSIX;
	char buf[128];
	unsigned long long n = 0;
	int64_t t = 0;
	pid_t pid = 0;

	switch (col) {
	case COL_NAME: return outside_text(o, e->name);
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
			return outside_text(o, format_user(col == COL_OWNER ? in->uid : in->cuid, buf, sizeof(buf)));
		return outside_text(o, format_group(col == COL_GROUP ? in->gid : in->cgid, buf, sizeof(buf)));
	case COL_PERMS:
		return (in->known & QI_OWNER) ? strdup(format_perms(in->mode, buf, sizeof(buf))) : NULL;
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
		if (!(n = qentry_capacity(e)))
			return NULL;
		break;
	case COL_FILL: {
		int pct = qentry_fill(e);
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
		if (e->state == QSTATE_UNKNOWN && !e->nusers)
			return NULL;
		char *text = holders_text(e), *shown = text ? outside_text(o, text) : NULL;
		free(text);
		return shown;
	}
	case COL_STATE:
		return strdup(qstate_name(e->state));
	case COL_INACTIVE: {
		int64_t s = qentry_inactive(e, o->now);
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
		if (o->json || o->raw)
			return strdup(format_time_iso(t, buf, sizeof(buf)));
		return strdup(format_time_short(t, o->now, buf, sizeof(buf)));
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

static struct libscols_table *new_table(const struct options *o, const char *name)
{
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	return tb;
}

/* The table on stdout. JSON goes through json_escape_controls: libsmartcols
 * quotes C0 controls only, and passes C1 and bidirectional controls (and
 * bytes that are not UTF-8) to the terminal as they are. */
static void print_table(const struct options *o, struct libscols_table *tb)
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

static void fill_table(struct libscols_table *tb, const struct options *o, const struct qlist *l)
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
			if (!text && !o->json)
				text = strdup("-");
			if (text && scols_line_refer_data(ln, i, text) != 0)
				cli_die(MQ_EXIT_FAILURE, "out of memory");
		}
	}
}

/* With QUEUE arguments and no -J/-r: each queue as "FIELD: value" lines. */
static void print_detail(const struct options *o, const struct qlist *l)
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
static void report_enumeration(const struct qlist *l, unsigned kinds)
{
	if ((kinds & QLIST_POSIX) && l->posix_err == -ENODEV)
		cli_warn("POSIX queues are not listed: no mqueue file system is mounted on %s "
			"(mount it: mkdir -p %s && mount -t mqueue none %s)", MQUEUE_MOUNT, MQUEUE_MOUNT, MQUEUE_MOUNT);
	else if ((kinds & QLIST_POSIX) && l->posix_err < 0)
		cli_warn("POSIX queues are not listed: %s: %s", MQUEUE_MOUNT, strerror(-l->posix_err));
	if ((kinds & QLIST_SYSV) && l->sysv_err < 0)
		cli_warn("System V queues are not listed: %s", strerror(-l->sysv_err));
}

/* When holders could not all be seen, STATE says unknown, not a guess:
 * say why, and who can judge. */
static void report_unjudged(const struct options *o, const struct qlist *l)
{
	bool judged = false;
	for (size_t i = 0; i < o->ncols; i++)
		judged |= o->cols[i] == COL_STATE;
	size_t n = judged ? qlist_unjudged(l) : 0;
	if (n)
		cli_warn("the STATE of %zu queue%s is unknown: only root can see every process that could hold "
			"or wait on %s (run mqstat as root to judge)", n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

static int64_t now_seconds(void)
{
	return (int64_t)time(NULL);
}

static int collect(struct qlist *l, struct options *o)
{
	memset(l, 0, sizeof(*l));
	unsigned want = 0;
	for (size_t i = 0; i < o->ncols; i++)
		want |= column_needs(o->cols[i]);
	o->now = now_seconds();
	if (qlist_collect(l, o->kinds, want) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	qlist_judge(l, o->now, o->idle_after);
	return 0;
}

static int list_all(struct options *o)
{
	struct qlist l;
	collect(&l, o);
	report_enumeration(&l, o->kinds);
	report_unjudged(o, &l);
	struct libscols_table *tb = new_table(o, "queues");
	fill_table(tb, o, &l);
	print_table(o, tb);
	scols_unref_table(tb);
	/* an unmounted mqueue is how the system is, not a failure: said, and
	 * the System V queues are listed all the same */
	bool failed = ((o->kinds & QLIST_POSIX) && l.posix_err < 0 && l.posix_err != -ENODEV)
		|| ((o->kinds & QLIST_SYSV) && l.sysv_err < 0);
	qlist_free(&l);
	return failed ? MQ_EXIT_FAILURE : MQ_EXIT_OK;
}

static int show_queues(struct options *o, char **args, int nargs)
{
	struct qlist l = { 0 };
	int status = MQ_EXIT_OK;

	o->now = now_seconds();
	for (int i = 0; i < nargs; i++) {
		struct queue_address addr;
		cli_address(args[i], &addr);
		int r = qlist_add(&l, &addr);
		if (r == -ENOMEM)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		if (r == -ENOENT || r == -EIDRM) {
			cli_warn("%s: no such queue (mqstat with no QUEUE lists them all)", args[i]);
			if (status == MQ_EXIT_OK)
				status = MQ_EXIT_NOQUEUE;
		} else if (r < 0) {
			queue_error(args[i], r, "stat");
			status = MQ_EXIT_FAILURE;
		}
	}
	qlist_judge(&l, o->now, o->idle_after);
	report_unjudged(o, &l);
	if (o->json || o->raw) {
		struct libscols_table *tb = new_table(o, "queues");
		fill_table(tb, o, &l);
		print_table(o, tb);
		scols_unref_table(tb);
	} else {
		print_detail(o, &l);
	}
	qlist_free(&l);
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

static void limit_row(struct libscols_table *tb, const struct options *o, const char *res, const char *desc,
	long long limit, long long used, bool bytes)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char buf[64];
	const long long values[2] = { limit, used };

	if (!ln)
		cli_die(MQ_EXIT_FAILURE, "out of memory");
	scols_line_set_data(ln, 0, res);
	scols_line_set_data(ln, 1, desc);
	for (int i = 0; i < 2; i++) {
		if (values[i] < 0) {
			scols_line_set_data(ln, 2 + i, o->json ? NULL : "-");
			continue;
		}
		if (bytes && !o->bytes && !o->json)
			format_size_human((unsigned long long)values[i], buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%lld", values[i]);
		scols_line_set_data(ln, 2 + i, buf);
	}
}

static int show_limits(struct options *o)
{
	struct qlist l;
	struct rlimit rl;
	long long nposix = 0, nsysv = 0, max_maxmsg = 0, max_msgsize = 0, max_qbytes = 0, charge = 0;
	bool posix_listed, attrs_known = true, own_known = true;
	uid_t me = getuid();

	o->kinds = QLIST_POSIX | QLIST_SYSV;
	memset(&l, 0, sizeof(l));
	if (qlist_collect(&l, o->kinds, QI_ALL) < 0)
		cli_die(MQ_EXIT_FAILURE, "out of memory listing the queues");
	report_enumeration(&l, o->kinds);
	posix_listed = l.posix_err == 0;
	for (size_t i = 0; i < l.n; i++) {
		const struct queue_info *in = &l.v[i].info;
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
	qlist_free(&l);

	struct libscols_table *tb = new_table(o, "limits");
	static const char *const heads[] = { "RESOURCE", "DESCRIPTION", "LIMIT", "USED" };
	for (int i = 0; i < 4; i++) {
		struct libscols_column *c = scols_table_new_column(tb, heads[i], i == 1 ? 0.5 : 0, i >= 2 ? SCOLS_FL_RIGHT : 0);
		if (!c)
			cli_die(MQ_EXIT_FAILURE, "out of memory");
		if (o->json)
			scols_column_set_json_type(c, i >= 2 ? SCOLS_JSON_NUMBER : SCOLS_JSON_STRING);
	}
	limit_row(tb, o, "queues_max", "POSIX queues (fs.mqueue.queues_max)", queue_limit(PROC_MQ_QUEUES_MAX),
		posix_listed ? nposix : -1, false);
	limit_row(tb, o, "msg_max", "POSIX: most messages in a queue; used: the largest queue",
		queue_limit(PROC_MQ_MSG_MAX), posix_listed && attrs_known ? max_maxmsg : -1, false);
	limit_row(tb, o, "msgsize_max", "POSIX: largest message; used: the largest queue's",
		queue_limit(PROC_MQ_MSGSIZE_MAX), posix_listed && attrs_known ? max_msgsize : -1, true);
	limit_row(tb, o, "msg_default", "POSIX: messages of a queue made without attributes",
		queue_limit(PROC_MQ_MSG_DEFAULT), -1, false);
	limit_row(tb, o, "msgsize_default", "POSIX: message size of a queue made without attributes",
		queue_limit(PROC_MQ_MSGSIZE_DEFAULT), -1, true);
	limit_row(tb, o, "msgmni", "System V queues (kernel.msgmni)", queue_limit(PROC_MSGMNI),
		l.sysv_err == 0 ? nsysv : -1, false);
	limit_row(tb, o, "msgmax", "System V: largest message", queue_limit(PROC_MSGMAX), -1, true);
	limit_row(tb, o, "msgmnb", "System V: default capacity of a queue; used: the largest queue's",
		queue_limit(PROC_MSGMNB), l.sysv_err == 0 ? max_qbytes : -1, true);
	if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0) {
		char desc[160];
		if (rl.rlim_max == RLIM_INFINITY)
			snprintf(desc, sizeof(desc), "your POSIX queues' memory (ulimit -q; hard: unlimited)");
		else
			snprintf(desc, sizeof(desc), "your POSIX queues' memory (ulimit -q; hard: %llu)",
				(unsigned long long)rl.rlim_max);
		limit_row(tb, o, "RLIMIT_MSGQUEUE", desc,
			rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur,
			posix_listed && own_known ? charge : -1, true);
	}
	print_table(o, tb);
	scols_unref_table(tb);
	return MQ_EXIT_OK;
}

/* --- --watch ---------------------------------------------------------- */

/* FILL as a bar for the live view: [#####-----] 50% */
static void fill_bars(struct libscols_table *tb, const struct options *o, const struct qlist *l)
{
	for (size_t i = 0; i < o->ncols; i++) {
		if (o->cols[i] != COL_FILL)
			continue;
		for (size_t r = 0; r < l->n; r++) {
			struct libscols_line *ln = scols_table_get_line(tb, r);
			const struct qentry *e = &l->v[r];
			unsigned long long cap = qentry_capacity(e);
			char bar[32];
			int fill = qentry_fill(e); /* the table's rule: never 0% when not empty */
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

static int watch(struct options *o)
{
	struct timespec pause = { o->watch_ns / 1000000000, o->watch_ns % 1000000000 };
	char when[64];

	if (!isatty(STDOUT_FILENO))
		cli_usage_error("--watch draws on a terminal; to log, run mqstat -J in a loop instead");
	signals_install();
	while (!signals_stop_requested()) {
		struct qlist l;
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
		qlist_free(&l);
		nanosleep(&pause, NULL); /* a stop signal cuts it short */
	}
	return MQ_EXIT_OK;
}

int main(int argc, char **argv)
{
	enum { OPT_OUTPUT_ALL = 0x100, OPT_IDLE_AFTER };
	static const struct option longopts[] = {
		{ "posix", no_argument, NULL, 'P' },
		{ "sysv", no_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "bytes", no_argument, NULL, 'b' },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "limits", no_argument, NULL, 'l' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "idle-after", required_argument, NULL, OPT_IDLE_AFTER },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .idle_after = QLIST_DEFAULT_IDLE_AFTER };
	const char *output = NULL;
	bool output_all = false, list_columns = false;
	int c;

	cli_init(argc, argv);
	/* names in the terminal's character set; termesc guards the rest */
	setlocale(LC_CTYPE, "");
	while ((c = getopt_long(argc, argv, "PSJrno:bHlw::hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'P': o.kinds |= QLIST_POSIX; break;
		case 'S': o.kinds |= QLIST_SYSV; break;
		case 'J': o.json = true; break;
		case 'r': o.raw = true; break;
		case 'n': o.noheadings = true; break;
		case 'o': output = optarg; break;
		case OPT_OUTPUT_ALL: output_all = true; break;
		case 'b': o.bytes = true; break;
		case 'H': list_columns = true; break;
		case 'l': o.limits = true; break;
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
		case 'h': usage();
		case 'V': cli_print_version();
		default: cli_try_help(); /* getopt named the option */
		}
	}
	if (list_columns) {
		for (int i = 0; i < NCOLS; i++)
			printf("%-10s %s\n", columns[i].name, columns[i].help);
		return MQ_EXIT_OK;
	}
	if (o.json && o.raw)
		cli_usage_error("--json and --raw are exclusive: choose one output format");
	if (output && output_all)
		cli_usage_error("--output and --output-all are exclusive");
	if (o.limits && (optind < argc || o.watch || output || output_all))
		cli_usage_error("--limits shows the system limits alone: no QUEUE, --watch or --output with it");
	if (o.watch && (optind < argc || o.json || o.raw))
		cli_usage_error("--watch shows every queue as a table: no QUEUE, --json or --raw with it");
	if (optind < argc && o.kinds)
		cli_usage_error("--posix and --sysv choose among all queues: not with QUEUE arguments");
	if (!o.kinds)
		o.kinds = QLIST_POSIX | QLIST_SYSV;

	if (o.limits)
		return show_limits(&o);
	if (output)
		parse_columns(&o, output);
	else if (output_all || optind < argc)
		for (int i = 0; i < NCOLS; i++)
			o.cols[o.ncols++] = i;
	else
		add_default_columns(&o);
	if (o.watch)
		return watch(&o);
	if (optind < argc)
		return show_queues(&o, argv + optind, argc - optind);
	return list_all(&o);
}
