/* SPDX-License-Identifier: GPL-2.0-or-later */
/* format.c - sizes, times and owners as mqstat and mqrm write them. */
#include "config.h"
#include "lib/format.h"

#include <grp.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

char *format_size_human(unsigned long long bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	int u = 0;
	unsigned long long whole = bytes, rest = 0;

	while (whole >= 1024 && units[u + 1]) {
		rest = whole % 1024;
		whole /= 1024;
		u++;
	}
	/* one decimal, rounded, dropped when it is 0 */
	unsigned tenth = (unsigned)((rest * 10 + 512) / 1024);
	if (tenth == 10) {
		whole++;
		tenth = 0;
	}
	if (u && tenth)
		snprintf(buf, len, "%llu.%u%c", whole, tenth, units[u]);
	else
		snprintf(buf, len, "%llu%c", whole, units[u]);
	return buf;
}

char *format_duration(int64_t s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lldh%lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
	return buf;
}

char *format_time_iso(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char zone[8];

	if (!localtime_r(&tt, &tm) || len < 32) {
		snprintf(buf, len, "%lld", (long long)t);
		return buf;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm); /* +hhmm: ISO 8601 wants +hh:mm */
	snprintf(buf + strlen(buf), len - strlen(buf), "%.3s:%.2s", zone, zone + 3);
	return buf;
}

char *format_time_short(int64_t t, int64_t now, char *buf, size_t len)
{
	time_t tt = (time_t)t, tn = (time_t)now;
	struct tm tm, today;

	if (!localtime_r(&tt, &tm) || !localtime_r(&tn, &today)) {
		snprintf(buf, len, "%lld", (long long)t);
		return buf;
	}
	if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday)
		strftime(buf, len, "%H:%M:%S", &tm);
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

char *format_time_full(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(buf, len, "%lld", (long long)t);
	return buf;
}

char *format_time_relative(int64_t t, int64_t now, char *buf, size_t len)
{
	char d[32];
	if (t > now)
		snprintf(buf, len, "in %s", format_duration(t - now, d, sizeof(d)));
	else
		snprintf(buf, len, "%s ago", format_duration(now - t, d, sizeof(d)));
	return buf;
}

char *format_mode_octal(mode_t mode, char *buf, size_t len)
{
	snprintf(buf, len, "%04o", (unsigned)(mode & 07777));
	return buf;
}

char *format_perms(mode_t mode, char *buf, size_t len)
{
	static const char rwx[] = "rwx";
	char s[10];
	for (int i = 0; i < 9; i++)
		s[i] = (mode & (0400 >> i)) ? rwx[i % 3] : '-';
	s[9] = '\0';
	snprintf(buf, len, "%s", s);
	return buf;
}

/* getpwuid for every row of 10,000 is slow: remember the last answers. */
#define NAME_CACHE 64
struct name_cache {
	unsigned id[NAME_CACHE];
	char name[NAME_CACHE][64];
	int used, next;
};

static const char *cached_name(struct name_cache *c, unsigned id, bool group)
{
	for (int i = 0; i < c->used; i++)
		if (c->id[i] == id)
			return c->name[i];
	int slot = c->next;
	c->next = (c->next + 1) % NAME_CACHE;
	if (c->used < NAME_CACHE)
		c->used++;
	c->id[slot] = id;
	const char *name = NULL;
	if (group) {
		struct group *g = getgrgid((gid_t)id);
		name = g ? g->gr_name : NULL;
	} else {
		struct passwd *p = getpwuid((uid_t)id);
		name = p ? p->pw_name : NULL;
	}
	if (name)
		snprintf(c->name[slot], sizeof(c->name[slot]), "%s", name);
	else
		snprintf(c->name[slot], sizeof(c->name[slot]), "%u", id);
	return c->name[slot];
}

char *format_user(uid_t uid, char *buf, size_t len)
{
	static struct name_cache users;
	snprintf(buf, len, "%s", cached_name(&users, (unsigned)uid, false));
	return buf;
}

char *format_group(gid_t gid, char *buf, size_t len)
{
	static struct name_cache groups;
	snprintf(buf, len, "%s", cached_name(&groups, (unsigned)gid, true));
	return buf;
}
