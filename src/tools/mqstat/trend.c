/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trend.c - what --watch remembers of each queue from one redraw to the
 * next: its message count, for the change per second, and its last FILLs,
 * for a sparkline, so that a queue filling up is seen before it is full. */
#include "config.h"
#include "tools/mqstat/mqstat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One queue's history: its identity (a POSIX name, a System V identifier:
 * a new queue under an old key starts afresh), its last FILLs, its count. */
struct trend {
	enum queue_kind kind;
	int id;
	char *name;
	int fill[TREND_SAMPLES]; /* oldest first, as queue_entry_fill */
	size_t n;
	unsigned long msgs;
	bool msgs_known;
	int64_t at_ns; /* when MSGS was taken */
	double rate;   /* messages per second between the last two counts */
	bool rate_known;
};

/* The order of a collected list (queue_list_collect): POSIX by name, then
 * System V by identifier. */
static int compare(enum queue_kind kind, int id, const char *name, const struct trend *t)
{
	if (kind != t->kind)
		return kind == QUEUE_POSIX ? -1 : 1;
	if (kind == QUEUE_POSIX)
		return strcmp(name, t->name);
	return (id > t->id) - (id < t->id);
}

static void free_all(struct trend *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int trends_update(struct trends *tr, const struct queue_list *l, int64_t now_ns)
{
	struct trend *next = l->n ? calloc(l->n, sizeof(*next)) : NULL;
	size_t old = 0;

	if (l->n && !next)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct queue_entry *e = &l->v[i];
		const struct queue_info *in = &e->info;
		struct trend *t = &next[i];
		const char *name = in->addr.kind == QUEUE_POSIX ? in->addr.name : "";
		/* both lists in the same order: one walk finds every old history */
		while (old < tr->n && compare(in->addr.kind, in->addr.id, name, &tr->v[old]) > 0)
			old++;
		if (old < tr->n && compare(in->addr.kind, in->addr.id, name, &tr->v[old]) == 0) {
			*t = tr->v[old];
			tr->v[old++].name = NULL; /* moved */
		} else {
			t->kind = in->addr.kind;
			t->id = in->addr.id;
			if (!(t->name = strdup(name))) {
				free_all(next, l->n);
				return -1;
			}
		}
		t->rate_known = false;
		int fill = queue_entry_fill(e);
		if (fill >= 0) {
			if (t->n == TREND_SAMPLES) {
				memmove(t->fill, t->fill + 1, sizeof(t->fill) - sizeof(t->fill[0]));
				t->n--;
			}
			t->fill[t->n++] = fill;
		}
		if (!(in->known & (QI_COUNTS | QI_POSIX_ATTR))) {
			t->msgs_known = false; /* not to be read: no count */
			continue;
		}
		if (t->msgs_known && now_ns > t->at_ns) {
			t->rate = ((double)in->messages - (double)t->msgs) / ((double)(now_ns - t->at_ns) / 1e9);
			t->rate_known = true;
		}
		t->msgs = in->messages;
		t->msgs_known = true;
		t->at_ns = now_ns;
	}
	free_all(tr->v, tr->n);
	tr->v = next;
	tr->n = l->n;
	return 0;
}

void trends_free(struct trends *tr)
{
	free_all(tr->v, tr->n);
	tr->v = NULL;
	tr->n = 0;
}

char *trend_rate_text(const struct trends *tr, size_t i)
{
	char buf[32];
	if (i >= tr->n || !tr->v[i].rate_known)
		return NULL;
	double r = tr->v[i].rate, size = r < 0 ? -r : r;
	if (size < 0.05)
		return strdup("0/s");
	snprintf(buf, sizeof(buf), size < 10 ? "%+.1f/s" : "%+.0f/s", r);
	return strdup(buf);
}

char *trend_sparkline(const struct trends *tr, size_t i, bool utf8)
{
	static const char *const blocks[8] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
		"\u2588" };
	static const char ascii[8] = { '_', '.', ':', '-', '=', '+', '*', '#' };
	if (i >= tr->n || !tr->v[i].n)
		return NULL;
	const struct trend *t = &tr->v[i];
	char *s = malloc(t->n * 3 + 1), *p = s;
	if (!s)
		return NULL;
	for (size_t k = 0; k < t->n; k++) {
		/* the lowest mark for empty only, the highest for full only */
		int fill = t->fill[k] > 100 ? 100 : t->fill[k];
		unsigned level = fill ? 1 + (unsigned)((fill - 1) * 6 / 99) : 0;
		if (utf8) {
			memcpy(p, blocks[level], 3);
			p += 3;
		} else {
			*p++ = ascii[level];
		}
	}
	*p = '\0';
	return s;
}
