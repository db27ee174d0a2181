/* SPDX-License-Identifier: GPL-2.0-or-later */
/* columns.c - mqstat's columns, what each needs from the listing, and the
 * text of a cell (see mqstat.h). */
#include "config.h"
#include "tools/mqstat/mqstat.h"
#include "lib/format.h"
#include "lib/termesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct column mqstat_columns[NCOLS] = {
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
	[COL_CAPACITY] = { "CAPACITY", 5, SCOLS_FL_RIGHT, V_SIZE, true,
		"capacity in bytes (System V msg_qbytes, POSIX maxmsg x msgsize)" },
	[COL_FILL] = { "FILL", 4, SCOLS_FL_RIGHT, V_NUMBER, true,
		"how full, by the kernel's rule: 100% when a send must wait" },
	[COL_MAXMSGS] = { "MAXMSGS", 4, SCOLS_FL_RIGHT, V_NUMBER, false, "capacity in messages (POSIX)" },
	[COL_MSGSIZE] = { "MSGSIZE", 5, SCOLS_FL_RIGHT, V_SIZE, false, "largest message accepted" },
	[COL_SEND] = { "SEND", 8, 0, V_TIME, false, "time of the last send (System V)" },
	[COL_RECV] = { "RECV", 8, 0, V_TIME, false, "time of the last receive (System V)" },
	[COL_CHANGE] = { "CHANGE", 8, 0, V_TIME, false, "time of the last change (POSIX: last send or receive)" },
	[COL_LSPID] = { "LSPID", 5, SCOLS_FL_RIGHT, V_NUMBER, false, "process of the last send (System V)" },
	[COL_LRPID] = { "LRPID", 5, SCOLS_FL_RIGHT, V_NUMBER, false, "process of the last receive (System V)" },
	[COL_NOTIFYPID] = { "NOTIFYPID", 5, SCOLS_FL_RIGHT, V_NUMBER, false,
		"process registered for notification (POSIX)" },
	[COL_HOLDERS] = { "HOLDERS", 0.1, SCOLS_FL_WRAP, V_STRING, false,
		"processes that hold it (POSIX: open; System V: waiting on it, open in a tool, or its last sender or receiver)" },
	[COL_STATE] = { "STATE", 8, 0, V_STRING, true, "in-use, recent, idle, stale, orphaned or unknown" },
	[COL_INACTIVE] = { "INACTIVE", 6, SCOLS_FL_RIGHT, V_NUMBER, true,
		"time since the last activity (JSON: seconds)" },
};

const struct column mqstat_limit_columns[NLCOLS] = {
	[LCOL_RESOURCE] = { "RESOURCE", 0, 0, V_STRING, true, "resource name" },
	[LCOL_DESCRIPTION] = { "DESCRIPTION", 0.5, 0, V_STRING, true, "what it limits, and what USED is" },
	[LCOL_LIMIT] = { "LIMIT", 0, SCOLS_FL_RIGHT, V_NUMBER, true, "the system's or your limit" },
	[LCOL_USED] = { "USED", 0, SCOLS_FL_RIGHT, V_NUMBER, true, "currently used" },
	[LCOL_USE] = { "USE%", 0, SCOLS_FL_RIGHT, V_NUMBER, true, "USED as a percentage of LIMIT" },
};

void print_column_list(bool limits)
{
	const struct column *set = limits ? mqstat_limit_columns : mqstat_columns;
	for (int i = 0; i < (limits ? NLCOLS : NCOLS); i++)
		printf("%-11s %s\n", set[i].name, set[i].help);
}

/* The QI_* fields column COL is made from: what the listing must read. */
static unsigned column_needs(int col)
{
	switch (col) {
	case COL_OWNER:
	case COL_GROUP:
	case COL_CUSER:
	case COL_CGROUP:
	case COL_PERMS:
	case COL_MODE: return QI_OWNER;
	case COL_MSGS: return QI_COUNTS | QI_POSIX_ATTR; /* POSIX: mq_curmsgs */
	case COL_USED: return QI_COUNTS | QI_NOTIFY;
	case COL_CAPACITY: return QI_QBYTES | QI_POSIX_ATTR;
	case COL_FILL: return QI_QBYTES | QI_POSIX_ATTR | QI_COUNTS | QI_NOTIFY;
	case COL_MAXMSGS: return QI_POSIX_ATTR;
	case COL_MSGSIZE: return QI_QBYTES | QI_POSIX_ATTR;
	case COL_SEND:
	case COL_RECV: return QI_TIMES;
	case COL_CHANGE: return QI_CTIME;
	case COL_LSPID:
	case COL_LRPID: return QI_PIDS;
	case COL_NOTIFYPID: return QI_NOTIFY;
	case COL_HOLDERS: return QI_PIDS;
	/* queue_list_judge: holders, times, and whether messages wait */
	case COL_STATE: return QI_PIDS | QI_TIMES | QI_CTIME | QI_COUNTS | QI_POSIX_ATTR;
	case COL_INACTIVE: return QI_PIDS | QI_TIMES | QI_CTIME;
	default: return 0; /* NAME, KIND, KEY, ID: the listing itself */
	}
}

unsigned columns_want(const struct mqstat_control *ctl)
{
	unsigned want = 0;
	for (size_t i = 0; i < ctl->ncols; i++)
		want |= column_needs(ctl->cols[i]);
	return want;
}

bool columns_chosen(const struct mqstat_control *ctl, int col)
{
	for (size_t i = 0; i < ctl->ncols; i++)
		if (ctl->cols[i] == col)
			return true;
	return false;
}

/* Whether a chosen column needs queue_list_judge (a walk of every
 * process's descriptors): without STATE, INACTIVE or HOLDERS the listing
 * is the kernel's facts alone. */
bool columns_need_judging(const struct mqstat_control *ctl)
{
	return columns_chosen(ctl, COL_STATE) || columns_chosen(ctl, COL_INACTIVE) || columns_chosen(ctl, COL_HOLDERS);
}

/* "PID(name),..." of the processes that hold E; the names are the
 * process's own text, not yet escaped. */
static char *holders_text(const struct queue_entry *e)
{
	size_t cap = e->nusers * 40 + 1, len = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < e->nusers; i++) {
		char comm[32];
		if (queue_list_process_name(e->users[i], comm, sizeof(comm)) < 0)
			strcpy(comm, "?");
		len += (size_t)snprintf(s + len, cap - len, "%s%d(%s)", i ? "," : "", (int)e->users[i], comm);
	}
	return s;
}

/* Text from outside (a queue name, a process or user name) for a cell: as
 * it is in JSON (libsmartcols quotes it, and the whole is escaped for a
 * terminal in print_table), with -r and -e (libsmartcols writes every byte
 * that is not printable, and with -e every " \\ ` $, as \\xHH), escaped
 * for the terminal everywhere else. */
static char *outside_text(const struct mqstat_control *ctl, const char *s)
{
	return ctl->json || ctl->raw || ctl->export ? strdup(s) : termesc_dup(s, 0);
}

/* The same few owners, modes, sizes and ages come back in every row of a
 * long listing: each column keeps the text of its last cell, and a cell
 * of the same KEY (an id, a mode, a size) is a copy of it instead of made
 * again (bench/RESULTS.md). The kept text, or NULL when KEY is another. */
static const char *kept_text(const struct mqstat_control *ctl, int col, unsigned long long key)
{
	return ctl->last_text[col].text && ctl->last_text[col].key == key ? ctl->last_text[col].text : NULL;
}

/* Keep TEXT (new memory, or NULL) as column COL's text for KEY; returns it. */
static const char *keep_text(struct mqstat_control *ctl, int col, unsigned long long key, char *text)
{
	free(ctl->last_text[col].text);
	ctl->last_text[col].text = text;
	ctl->last_text[col].key = key;
	return text;
}

static char *copy_of(const char *text)
{
	return text ? strdup(text) : NULL;
}

/* The text of user (or group, GROUP) ID for cell COL, escaped. */
static char *owner_text(struct mqstat_control *ctl, int col, unsigned id, bool group)
{
	const char *text = kept_text(ctl, col, id);
	if (!text) {
		char buf[128];
		text = keep_text(ctl, col, id,
			outside_text(ctl,
				group ? format_group((gid_t)id, buf, sizeof(buf)) :
					format_user((uid_t)id, buf, sizeof(buf))));
	}
	return copy_of(text);
}

void columns_free(struct mqstat_control *ctl)
{
	for (int col = 0; col < NCOLS; col++)
		keep_text(ctl, col, 0, NULL);
}

/* A time as --time-format says; by default short in a table, ISO 8601 for
 * a program (-J, -r, -e). */
static char *time_text(const struct mqstat_control *ctl, int64_t t)
{
	char buf[64];
	enum time_format tf = ctl->time_format;
	if (tf == TF_DEFAULT)
		tf = ctl->json || ctl->raw || ctl->export ? TF_ISO : TF_SHORT;
	switch (tf) {
	case TF_FULL: return strdup(format_time_full(t, buf, sizeof(buf)));
	case TF_RELATIVE: return strdup(format_time_relative(t, ctl->now, buf, sizeof(buf)));
	case TF_SHORT: return strdup(format_time_short(t, ctl->now, buf, sizeof(buf)));
	default: return strdup(format_time_iso(t, buf, sizeof(buf)));
	}
}

/* N in decimal then SUFFIX, in memory of its own: the commonest cell of a
 * long listing, made without snprintf's format parsing (bench/RESULTS.md,
 * commit 12934de). */
char *number_text(unsigned long long n, const char *suffix)
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

/* The cells made of text: the name, the kind, the key, the owners and the
 * permissions, the holders, the state. */
static char *text_cell(struct mqstat_control *ctl, const struct queue_entry *e, int col)
{
	const struct queue_info *in = &e->info;
	bool posix = in->addr.kind == QUEUE_POSIX;
	char buf[128];

	switch (col) {
	case COL_NAME: /* a System V name is made here ("key:0x...", "id:N"): nothing to escape */
		return posix ? outside_text(ctl, e->info.addr.name) : strdup(e->sysv_name);
	case COL_KIND: return strdup(posix ? "posix" : "sysv");
	case COL_KEY:
		if (posix)
			return NULL;
		snprintf(buf, sizeof(buf), "0x%08x", (unsigned)in->addr.key);
		return strdup(buf);
	case COL_OWNER:
	case COL_GROUP:
	case COL_CUSER:
	case COL_CGROUP:
		if (!(in->known & QI_OWNER) || (posix && (col == COL_CUSER || col == COL_CGROUP)))
			return NULL;
		if (col == COL_OWNER || col == COL_CUSER)
			return owner_text(ctl, col, col == COL_OWNER ? in->uid : in->cuid, false);
		return owner_text(ctl, col, col == COL_GROUP ? in->gid : in->cgid, true);
	case COL_PERMS: {
		if (!(in->known & QI_OWNER))
			return NULL;
		const char *text = kept_text(ctl, col, in->mode);
		if (!text)
			text = keep_text(ctl, col, in->mode,
				strdup(ctl->numeric_perms ? format_mode_octal(in->mode, buf, sizeof(buf)) :
							    format_perms(in->mode, buf, sizeof(buf))));
		return copy_of(text);
	}
	case COL_MODE: return (in->known & QI_OWNER) ? strdup(format_mode_octal(in->mode, buf, sizeof(buf))) : NULL;
	case COL_HOLDERS: {
		if (e->state == QUEUE_STATE_UNKNOWN && !e->nusers)
			return NULL;
		char *text = holders_text(e), *shown = text ? outside_text(ctl, text) : NULL;
		free(text);
		return shown;
	}
	default: /* COL_STATE */ return strdup(queue_state_name(e->state));
	}
}

/* The number column COL holds for E (a count, a size, a pid, a time in
 * seconds since the epoch) into *N or *T; false when it is unknown or does
 * not apply. */
static bool number_of(const struct queue_entry *e, int col, unsigned long long *n, int64_t *t)
{
	const struct queue_info *in = &e->info;
	bool posix = in->addr.kind == QUEUE_POSIX;
	int fill;

	switch (col) {
	case COL_ID: *n = (unsigned long long)in->addr.id; return !posix;
	case COL_MSGS: *n = in->messages; return in->known & (QI_COUNTS | QI_POSIX_ATTR);
	case COL_USED: *n = in->used_bytes; return in->known & (QI_COUNTS | QI_NOTIFY);
	case COL_CAPACITY: return queue_entry_capacity(e, n);
	case COL_FILL:
		fill = queue_entry_fill(e);
		*n = (unsigned long long)fill;
		return fill >= 0;
	case COL_MAXMSGS: *n = (unsigned long long)in->maxmsg; return posix && (in->known & QI_POSIX_ATTR);
	case COL_MSGSIZE: {
		if (posix ? !(in->known & QI_POSIX_ATTR) : !(in->known & QI_QBYTES))
			return false;
		long msgmax = posix ? 0 : queue_limit(PROC_MSGMAX);
		if (posix)
			*n = (unsigned long long)in->msgsize;
		else /* System V: the queue's capacity, or msgmax if smaller */
			*n = msgmax > 0 && (unsigned long)msgmax < in->qbytes ? (unsigned long long)msgmax : in->qbytes;
		return true;
	}
	case COL_SEND: *t = in->stime; return in->known & QI_TIMES;
	case COL_RECV: *t = in->rtime; return in->known & QI_TIMES;
	case COL_CHANGE: *t = in->ctime; return in->known & QI_CTIME;
	case COL_LSPID: *n = (unsigned long long)in->lspid; return in->known & QI_PIDS;
	case COL_LRPID: *n = (unsigned long long)in->lrpid; return in->known & QI_PIDS;
	case COL_NOTIFYPID: *n = (unsigned long long)in->notify_pid; return in->known & QI_NOTIFY;
	default: return false;
	}
}

char *cell(struct mqstat_control *ctl, const struct queue_entry *e, int col)
{
	char buf[128];
	unsigned long long n = 0;
	int64_t t = 0;

	switch (col) {
	case COL_NAME:
	case COL_KIND:
	case COL_KEY:
	case COL_OWNER:
	case COL_GROUP:
	case COL_CUSER:
	case COL_CGROUP:
	case COL_PERMS:
	case COL_MODE:
	case COL_HOLDERS:
	case COL_STATE: return text_cell(ctl, e, col);
	case COL_INACTIVE: {
		int64_t s = queue_entry_inactive(e, ctl->now);
		if (s < 0)
			return NULL;
		if (ctl->json)
			return number_text((unsigned long long)s, "");
		const char *text = kept_text(ctl, col, (unsigned long long)s);
		if (!text)
			text = keep_text(ctl, col, (unsigned long long)s, strdup(format_duration(s, buf, sizeof(buf))));
		return copy_of(text);
	}
	}
	if (!number_of(e, col, &n, &t))
		return NULL;
	switch (mqstat_columns[col].type) {
	case V_TIME:
		if (t == 0) /* never: null in JSON, words elsewhere */
			return ctl->json ? NULL : strdup("never");
		return time_text(ctl, t);
	case V_SIZE:
		if (!ctl->bytes && !ctl->json) {
			const char *text = kept_text(ctl, col, n);
			if (!text)
				text = keep_text(ctl, col, n, strdup(format_size_human(n, buf, sizeof(buf))));
			return copy_of(text);
		}
		break;
	default:
		if (col == COL_FILL && !ctl->json)
			return number_text(n, "%");
		break;
	}
	return number_text(n, "");
}
