/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqstat.h - what the files of mqstat share, and no other tool sees: the
 * control struct parse_args() fills and every mode reads, the column
 * model, and each file's entry points. The queues themselves come from
 * the queue layer's listing (queue/list.h); mqstat only formats them. */
#ifndef MQTOOLS_MQSTAT_H
#define MQTOOLS_MQSTAT_H

#include <libsmartcols.h>
#include <stdbool.h>
#include <stdint.h>
#include "queue/list.h"

/* --- columns.c: the column model and the text of a cell ---------------- */

/* Every column of the queue table: its name (also its JSON key,
 * lowercased), how it is shown, and its help, used by --help,
 * --list-columns and the detailed view. */
enum {
	COL_NAME,
	COL_KIND,
	COL_KEY,
	COL_ID,
	COL_OWNER,
	COL_GROUP,
	COL_CUSER,
	COL_CGROUP,
	COL_PERMS,
	COL_MODE,
	COL_MSGS,
	COL_USED,
	COL_CAPACITY,
	COL_FILL,
	COL_MAXMSGS,
	COL_MSGSIZE,
	COL_SEND,
	COL_RECV,
	COL_CHANGE,
	COL_LSPID,
	COL_LRPID,
	COL_NOTIFYPID,
	COL_HOLDERS,
	COL_STATE,
	COL_INACTIVE,
	NCOLS
};
/* The columns of --limits, chosen with -o as well. */
enum { LCOL_RESOURCE, LCOL_DESCRIPTION, LCOL_LIMIT, LCOL_USED, LCOL_USE, NLCOLS };

enum value_type { V_STRING, V_NUMBER, V_SIZE, V_TIME };
struct column {
	const char *name;
	double width;
	int flags;
	enum value_type type;
	bool in_default;
	const char *help;
};
extern const struct column mqstat_columns[NCOLS];
extern const struct column mqstat_limit_columns[NLCOLS];

/* --- the control struct ------------------------------------------------ */

/* What mqstat does, one thing a run: the options choose it (check_args). */
enum mqstat_mode {
	MODE_LIST,         /* every queue, as a table */
	MODE_SHOW,         /* the QUEUEs given, in detail or as a table */
	MODE_LIST_COLUMNS, /* -H */
	MODE_NETWORK,      /* amqp:// QUEUEs */
	MODE_LIMITS,       /* -g */
	MODE_WATCH,        /* --watch */
	MODE_CHECK,        /* --check */
	MODE_BASELINE,     /* --baseline */
	MODE_NEW_SINCE,    /* --new-since */
	MODE_PROMETHEUS,   /* --prometheus */
};

enum time_format { TF_DEFAULT, TF_SHORT, TF_FULL, TF_ISO, TF_RELATIVE };

/* --check thresholds; -1 (or 0 for warn_idle) when not given. */
struct thresholds {
	long long warn_fill, crit_fill, warn_orphaned;
	int64_t warn_idle;
};

struct mqstat_control {
	/* the command line, as parse_args() read it */
	char **args; /* the QUEUE arguments */
	int nargs;
	const char *output, *password_file, *baseline, *new_since;
	bool output_all, list_columns;
	unsigned kinds; /* QUEUE_KIND_BIT()s of -Q and -q; both once checked */
	bool json, raw, export, shellvar, noheadings, bytes, limits, newline, list, numeric_perms;
	bool watch, check;
	bool prometheus;
	const char *prometheus_file; /* --prometheus=FILE; NULL: standard output */
	enum time_format time_format;
	struct thresholds th;
	int64_t watch_ns;
	int64_t idle_after;

	/* what check_args() made of it */
	enum mqstat_mode mode;
	int cols[NCOLS * 2]; /* indexes into mqstat_columns, or with -g mqstat_limit_columns */
	size_t ncols;

	/* the state of the run */
	int64_t now; /* seconds since the epoch, as of the listing */
	/* each column's last cell text, and what it was made of: the same few
	 * owners, modes and sizes come back in every row of a long listing
	 * (columns.c) */
	struct {
		unsigned long long key;
		char *text;
	} last_text[NCOLS];
	/* a one-shot listing's table, left to the exit (output.c) */
	struct libscols_table *left_to_exit;
	/* whether --check printed its status line (check.c), --new-since its
	 * list (leaks.c) */
	bool check_reported, new_since_reported;
};

/* --- options.c ---------------------------------------------------------- */

/* Read the command line into CTL (usage errors exit 2). */
void parse_args(struct mqstat_control *ctl, int argc, char **argv);
/* Refuse what does not go together, and choose the mode and columns. */
void check_args(struct mqstat_control *ctl);

/* --- columns.c ---------------------------------------------------------- */

/* The QI_* fields the chosen columns need: what the listing must read. */
unsigned columns_want(const struct mqstat_control *ctl);
/* Whether a chosen column needs queue_list_judge. */
bool columns_need_judging(const struct mqstat_control *ctl);
bool columns_chosen(const struct mqstat_control *ctl, int col);
/* The text of column COL for E, in new memory; NULL when it is unknown or
 * does not apply (shown "-", JSON null), or memory ran out. */
char *cell(struct mqstat_control *ctl, const struct queue_entry *e, int col);
/* N in decimal then SUFFIX, in new memory. */
char *number_text(unsigned long long n, const char *suffix);
/* -H: the columns (of --limits with LIMITS) and their help, on stdout. */
void print_column_list(bool limits);
void columns_free(struct mqstat_control *ctl);

/* --- output.c: tables, detail lines, and the listings ------------------- */

struct libscols_table *new_table(const struct mqstat_control *ctl, const char *name);
/* Columns SET's chosen ones as TB's columns. */
void add_table_columns(struct libscols_table *tb, const struct mqstat_control *ctl, const struct column *set);
/* A new line of TB, with the text of each chosen column (TEXT's, which
 * gives it in new memory, or NULL for unknown). */
void add_table_line(struct libscols_table *tb, struct mqstat_control *ctl,
	char *(*text_of)(struct mqstat_control *ctl, const void *row, int col), const void *row);
void fill_table(struct libscols_table *tb, struct mqstat_control *ctl, const struct queue_list *l);
void print_table(const struct mqstat_control *ctl, struct libscols_table *tb);
/* The list as a table, or with -n as FIELD value lines. */
void print_queues(struct mqstat_control *ctl, const struct queue_list *l);
/* Collect every queue of ctl->kinds with what the columns need, judged if
 * shown. */
void collect(struct queue_list *l, struct mqstat_control *ctl);
void judge_if_shown(struct queue_list *l, const struct mqstat_control *ctl);
void report_enumeration(const struct queue_list *l, unsigned kinds);
void report_unjudged(const struct mqstat_control *ctl, const struct queue_list *l);
int64_t now_seconds(void);
/* Add the queue TEXT names to L, or with a pattern of POSIX names every
 * queue it matches (queue_name_is_pattern), its kind into *KIND (KIND may
 * be NULL): 0, -ENOENT when there is no such queue (or it went meanwhile;
 * an ftok: path that is not there; a pattern that matches none), or
 * another -errno; out of memory, exit with OOM_STATUS. */
int add_named_queue(struct queue_list *l, const char *text, int oom_status, enum queue_kind *kind);
/* Say that TEXT (its -ENOENT from add_named_queue) names no queue. */
void warn_missing(const char *text);
int list_all(struct mqstat_control *ctl);
int show_queues(struct mqstat_control *ctl);

/* --- trend.c: what --watch remembers from one redraw to the next -------- */

#define TREND_SAMPLES 8 /* FILLs kept per queue: the sparkline's width */
struct trend;
struct trends {
	struct trend *v; /* one per queue of the last list given, in its order */
	size_t n;
};
/* Take the message counts and FILLs of L (a collected, sorted list) as of
 * NOW_NS (monotonic); the histories of queues no longer there are dropped.
 * -1 out of memory. */
int trends_update(struct trends *tr, const struct queue_list *l, int64_t now_ns);
void trends_free(struct trends *tr);
/* Of the Ith queue of the last list: the change of MSGS per second since
 * the redraw before, as "+2.5/s" (NULL before there are two counts), and
 * its last FILLs as a sparkline from empty to full (UTF8: block
 * characters, else ASCII), in new memory. */
char *trend_rate_text(const struct trends *tr, size_t i);
char *trend_sparkline(const struct trends *tr, size_t i, bool utf8);

/* --- the other modes, a file each --------------------------------------- */

int show_limits(struct mqstat_control *ctl);    /* limits.c */
int run_prometheus(struct mqstat_control *ctl); /* limits.c: with the rows of -g */
int watch(struct mqstat_control *ctl);          /* watch.c */
int save_baseline(struct mqstat_control *ctl);  /* leaks.c */
int list_new_since(struct mqstat_control *ctl); /* leaks.c */
int run_check(struct mqstat_control *ctl);      /* check.c */
/* check.c: from now on, an exit before the status line is UNKNOWN. */
void check_guard_exit(struct mqstat_control *ctl);
void network_check(const struct mqstat_control *ctl); /* network.c */
int stat_network(const struct mqstat_control *ctl);   /* network.c */

#endif
