/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pattern.c - POSIX queues chosen by a pattern of their names, as
 * systemctl takes unit patterns: "/acme-*" is every queue of the mqueue
 * mount whose name fnmatch(3) matches (see list.h). */
#include "config.h"
#include "queue/list.h"
#include "lib/grow.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

bool queue_name_is_pattern(const char *text)
{
	return text[0] == '/' && strpbrk(text + 1, "*?[") != NULL;
}

struct names {
	const char *pattern;
	char **v;
	size_t n, cap;
};

static int add_if_matching(const struct queue_info *info, void *arg)
{
	struct names *m = arg;
	if (fnmatch(m->pattern, info->addr.name, 0) != 0)
		return 0;
	char **v = grow_array(m->v, &m->cap, m->n, sizeof(*v), 16);
	if (!v)
		return -ENOMEM;
	m->v = v;
	if (!(m->v[m->n] = strdup(info->addr.name)))
		return -ENOMEM;
	m->n++;
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int queue_list_add_matching(struct queue_list *l, const char *pattern)
{
	struct names m = { .pattern = pattern };
	/* the names alone first (no call per queue), then each match in full */
	int r = queue_enumerate(QUEUE_POSIX, 0, add_if_matching, &m);
	int added = 0;

	if (m.n)
		qsort(m.v, m.n, sizeof(*m.v), by_text);
	for (size_t i = 0; r >= 0 && i < m.n; i++) {
		struct queue_address addr = { .kind = QUEUE_POSIX, .form = ADDR_POSIX_NAME };
		memcpy(addr.name, m.v[i], strlen(m.v[i]) + 1);
		int err = queue_list_add(l, &addr);
		if (err == 0)
			added++;
		else if (err != -ENOENT)
			r = err; /* gone since it was listed (-ENOENT): as if it had not matched */
	}
	for (size_t i = 0; i < m.n; i++)
		free(m.v[i]);
	free(m.v);
	return r < 0 ? r : added;
}
