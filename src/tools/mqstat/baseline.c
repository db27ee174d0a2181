/* SPDX-License-Identifier: GPL-2.0-or-later */
/* baseline.c - save a set of queues, and read it back defensively: the
 * file may be old, cut short, edited, or someone else's (see baseline.h). */
#include "config.h"
#include "tools/mqstat/baseline.h"
#include "lib/file.h"
#include "lib/grow.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "mqstat-baseline 1"
/* More lines than any IPC namespace holds queues: a file that long is not ours. */
#define MAX_ENTRIES (1UL << 22)

int baseline_identity(const struct queue_entry *e, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const struct queue_info *in = &e->info;

	if (in->addr.kind == QUEUE_SYSV) {
		snprintf(buf, len, "sysv 0x%08x %d", (unsigned)in->addr.key, in->addr.id);
		return 0;
	}
	if (!e->ino)
		return -ENOENT;
	int n = snprintf(buf, len, "posix %llu ", (unsigned long long)e->ino);
	size_t at = n > 0 ? (size_t)n : 0;
	for (const unsigned char *p = (const unsigned char *)queue_entry_name(e); *p && at + 3 <= len; p++) {
		buf[at++] = hex[*p >> 4];
		buf[at++] = hex[*p & 15];
	}
	buf[at < len ? at : len - 1] = '\0';
	return 0;
}

/* The queues of L as the file's text, in new memory. */
static char *baseline_text(const struct queue_list *l, unsigned kinds, size_t *len)
{
	size_t cap = 64 + l->n * BASELINE_LINE_MAX, at;
	char *text = malloc(cap);
	if (!text)
		return NULL;
	at = (size_t)snprintf(text, cap, "%s\nkinds%s%s\n", MAGIC,
		(kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) ? " posix" : "",
		(kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) ? " sysv" : "");
	for (size_t i = 0; i < l->n; i++) {
		const struct queue_entry *e = &l->v[i];
		unsigned kind = QUEUE_KIND_BIT(e->info.addr.kind);
		if (!(kinds & kind) || baseline_identity(e, text + at, BASELINE_LINE_MAX) < 0)
			continue;
		at += strlen(text + at);
		/* the file's format keeps msg_ctime, which no comparison uses */
		if (kind == QUEUE_KIND_BIT(QUEUE_SYSV))
			at += (size_t)snprintf(text + at, cap - at, " %lld", (long long)e->info.ctime);
		text[at++] = '\n';
	}
	*len = at;
	return text;
}

int baseline_save(const char *path, const struct queue_list *l, unsigned kinds, struct file_detail *d)
{
	char *tmp, *text;
	size_t len;
	int r;

	/* beside PATH, so that rename() is atomic; made with O_EXCL, which no
	 * symbolic link planted there can redirect */
	int fd = file_replace_start(path, &tmp, d);
	if (fd < 0)
		return fd;
	if (!(text = baseline_text(l, kinds, &len)))
		r = -ENOMEM;
	else if ((r = file_write_all(fd, text, len)) == 0 && fsync(fd) < 0)
		r = -errno;
	free(text);
	r = file_replace_finish(fd, tmp, path, r);
	free(tmp);
	return r;
}

static int fault(struct baseline_error *err, unsigned long line, const char *msg)
{
	err->line = line;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
	return -EINVAL;
}

/* Digits only, no sign, no blank: strtoull alone takes " +1". */
static bool parse_decimal(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!len || len > 20 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "posix INODE HEXNAME": a POSIX name is "/" and 1..NAME_MAX bytes, none a
 * NUL or a "/". */
static bool valid_posix(const char *s)
{
	const char *sp = strchr(s, ' ');
	unsigned long long ino;
	if (!sp || !parse_decimal(s, (size_t)(sp - s), ULLONG_MAX, &ino) || !ino)
		return false;
	const char *h = sp + 1;
	size_t len = strlen(h);
	if (len % 2 || len < 4 || len > 2 * (NAME_MAX + 1))
		return false;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hexval(h[i]), lo = hexval(h[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		int byte = hi * 16 + lo;
		if (i == 0 ? byte != '/' : byte == '/' || byte == 0)
			return false;
	}
	return true;
}

/* "sysv 0xKEY ID CTIME", as baseline_text writes it, and only so. */
static bool valid_sysv(const char *s)
{
	unsigned long long id, ctime;
	if (strncmp(s, "0x", 2) != 0 || strlen(s) < 11 || s[10] != ' ')
		return false;
	for (int i = 2; i < 10; i++)
		if (hexval(s[i]) < 0)
			return false;
	const char *p = s + 11, *sp = strchr(p, ' ');
	return sp && parse_decimal(p, (size_t)(sp - p), INT_MAX, &id) &&
		parse_decimal(sp + 1, strlen(sp + 1), LLONG_MAX, &ctime);
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int parse_kinds(const char *line, unsigned *kinds)
{
	if (strncmp(line, "kinds", 5) != 0)
		return -1;
	*kinds = 0;
	for (const char *p = line + 5; *p;) {
		if (!strncmp(p, " posix", 6) && !(*kinds & QUEUE_KIND_BIT(QUEUE_POSIX))) {
			*kinds |= QUEUE_KIND_BIT(QUEUE_POSIX);
			p += 6;
		} else if (!strncmp(p, " sysv", 5) && !(*kinds & QUEUE_KIND_BIT(QUEUE_SYSV))) {
			*kinds |= QUEUE_KIND_BIT(QUEUE_SYSV);
			p += 5;
		} else {
			return -1;
		}
	}
	return 0;
}

/* A valid LINE's identity (baseline_identity's text) into B: a System V
 * line without its msg_ctime, which a change of mode, owner or capacity
 * (IPC_SET) moves: the key and the identifier tell a queue made again. */
static int add_id(struct baseline *b, size_t *cap, const char *line)
{
	size_t len = strncmp(line, "sysv ", 5) ? strlen(line) : (size_t)(strrchr(line, ' ') - line);
	char **v = grow_array(b->ids, cap, b->n, sizeof(*v), 256);
	if (!v)
		return -ENOMEM;
	b->ids = v;
	if (!(b->ids[b->n] = strndup(line, len)))
		return -ENOMEM;
	b->n++;
	return 0;
}

static int parse_stream(FILE *f, struct baseline *b, struct baseline_error *err)
{
	char *line = NULL;
	size_t size = 0, cap = 0;
	unsigned long no = 0;
	ssize_t n;
	int r = 0;

	while (r == 0 && (n = getline(&line, &size, f)) >= 0) {
		no++;
		if (n == 0 || line[n - 1] != '\n') {
			r = fault(err, no, "the last line is cut short (no newline): the file is incomplete");
			break;
		}
		line[--n] = '\0';
		if ((size_t)n >= BASELINE_LINE_MAX)
			r = fault(err, no, "line too long for a queue's identity");
		else if (strlen(line) != (size_t)n)
			r = fault(err, no, "a NUL byte in the line");
		else if (no == 1)
			r = strcmp(line, MAGIC) ?
				fault(err, no, "not an mqstat baseline (it starts with \"" MAGIC "\")") :
				0;
		else if (no == 2)
			r = parse_kinds(line, &b->kinds) ?
				fault(err, no, "expected \"kinds\" and posix, sysv or both") :
				0;
		else if (b->n >= MAX_ENTRIES)
			r = fault(err, no, "more queues than any namespace holds");
		else if ((!strncmp(line, "posix ", 6) && (b->kinds & QUEUE_KIND_BIT(QUEUE_POSIX)) &&
				 valid_posix(line + 6)) ||
			(!strncmp(line, "sysv ", 5) && (b->kinds & QUEUE_KIND_BIT(QUEUE_SYSV)) && valid_sysv(line + 5)))
			r = add_id(b, &cap, line);
		else
			r = fault(err, no,
				"not a queue's identity (\"posix INODE HEXNAME\" or \"sysv 0xKEY ID CTIME\", of a kind the file covers)");
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	if (r == 0 && no < 2)
		r = fault(err, 0,
			no ? "no \"kinds\" line: the file is incomplete" : "the file is empty: not an mqstat baseline");
	free(line);
	return r;
}

int baseline_load(const char *path, struct baseline *b, struct baseline_error *err)
{
	int r;

	memset(b, 0, sizeof(*b));
	memset(err, 0, sizeof(*err));
	/* never through a link, never blocking on a FIFO: a regular file */
	int fd = file_open_read(path, &err->file);
	if (fd < 0)
		return fd;
	FILE *f = fdopen(fd, "r");
	if (!f) {
		r = -errno;
		close(fd);
		return r;
	}
	r = parse_stream(f, b, err);
	fclose(f);
	if (r < 0) {
		baseline_free(b);
		return r;
	}
	qsort(b->ids, b->n, sizeof(*b->ids), compare_ids);
	return 0;
}

bool baseline_has(const struct baseline *b, const struct queue_entry *e)
{
	char id[BASELINE_LINE_MAX];
	const char *key = id;
	if (baseline_identity(e, id, sizeof(id)) < 0)
		return true;
	return b->n && bsearch(&key, b->ids, b->n, sizeof(*b->ids), compare_ids);
}

void baseline_free(struct baseline *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->ids[i]);
	free(b->ids);
	memset(b, 0, sizeof(*b));
}
