/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqrecv-failures.c - the bounded failure counts of mqrecv --exec (see
 * mqrecv-failures.h). A plain array searched from end to end: it is
 * consulted once per finished command, which costs a fork and an exec, so
 * a scan of a few thousand entries is noise, and eviction needs no list. */
#include "config.h"
#include "tools/mqrecv-failures.h"

#include <stdlib.h>
#include <string.h>

struct failure {
	uint64_t key;
	unsigned count;
	uint64_t last; /* when it last failed, in failures_add calls */
};

struct failures {
	struct failure *v;
	size_t n, cap;
	uint64_t clock;
};

struct failures *failures_new(size_t capacity)
{
	struct failures *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->cap = capacity ? capacity : 1;
	f->v = calloc(f->cap, sizeof(*f->v));
	if (!f->v) {
		free(f);
		return NULL;
	}
	return f;
}

void failures_free(struct failures *f)
{
	if (!f)
		return;
	free(f->v);
	free(f);
}

/* FNV-1a, 64 bits, over the priority then the bytes: not a defence against
 * a sender who crafts collisions (that one can only share a counter with
 * its own messages or make one of them reach --retries early), but spread
 * well enough that unrelated messages do not meet. */
uint64_t failures_key(const char *data, size_t len, long priority)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned char p[sizeof(priority)];

	memcpy(p, &priority, sizeof(p));
	for (size_t i = 0; i < sizeof(p); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 0x100000001b3ULL;
	return h;
}

static struct failure *find(const struct failures *f, uint64_t key)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].key == key)
			return &f->v[i];
	return NULL;
}

unsigned failures_count(const struct failures *f, uint64_t key)
{
	const struct failure *e = find(f, key);
	return e ? e->count : 0;
}

unsigned failures_add(struct failures *f, uint64_t key)
{
	struct failure *e = find(f, key);

	if (!e) {
		if (f->n < f->cap) {
			e = &f->v[f->n++];
		} else { /* full: the entry that failed longest ago gives way */
			e = &f->v[0];
			for (size_t i = 1; i < f->n; i++)
				if (f->v[i].last < e->last)
					e = &f->v[i];
		}
		e->key = key;
		e->count = 0;
	}
	e->last = ++f->clock;
	if (e->count < ~0u)
		e->count++;
	return e->count;
}

void failures_forget(struct failures *f, uint64_t key)
{
	struct failure *e = find(f, key);
	if (e)
		*e = f->v[--f->n];
}

size_t failures_size(const struct failures *f)
{
	return f->n;
}
