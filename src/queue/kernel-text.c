/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kernel-text.c - pure parsers of kernel text about queues (see kernel-text.h).
 * A small hand-written scanner rather than sscanf: sscanf needs a NUL the
 * caller may not have, skips signs and blanks in ways we do not want, and
 * overflows silently. */
#include "config.h"
#include "queue/kernel-text.h"

#include <limits.h>
#include <string.h>

struct scan {
	const char *p, *end;
};

static void skip_blanks(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
}

/* An unsigned number in BASE (8 or 10) up to MAX, after optional blanks. */
static int scan_unsigned(struct scan *s, unsigned base, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *start;

	skip_blanks(s);
	start = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p < (char)('0' + base)) {
		unsigned d = (unsigned)(*s->p - '0');
		if (d > max || v > (max - d) / base) /* d > max: max - d would wrap */
			return -1;
		v = v * base + d;
		s->p++;
	}
	if (s->p == start)
		return -1;
	*out = v;
	return 0;
}

static int scan_signed(struct scan *s, long long min, long long max, long long *out)
{
	unsigned long long mag, limit;
	bool neg = false;

	skip_blanks(s);
	if (s->p < s->end && *s->p == '-') {
		neg = true;
		s->p++;
	}
	/* the largest magnitude allowed on this side of zero */
	limit = !neg ? (unsigned long long)max : min < 0 ? (unsigned long long)(-(min + 1)) + 1 : 0;
	if (scan_unsigned(s, 10, limit, &mag) < 0)
		return -1;
	*out = !neg ? (long long)mag : mag == 0 ? 0 : -(long long)(mag - 1) - 1;
	return 0;
}

static bool at_end(struct scan *s)
{
	skip_blanks(s);
	if (s->p < s->end && *s->p == '\n')
		s->p++;
	return s->p == s->end;
}

int ktext_sysvipc_msg_line(const char *line, size_t len, struct queue_info *info)
{
	struct scan s = { line, line + len };
	long long key;
	unsigned long long id, perms, cbytes, qnum, lspid, lrpid, uid, gid, cuid, cgid, stime, rtime, ctime;

	if (scan_signed(&s, INT_MIN, INT_MAX, &key) < 0 || scan_unsigned(&s, 10, INT_MAX, &id) < 0 ||
		scan_unsigned(&s, 8, 07777, &perms) < 0 || scan_unsigned(&s, 10, ULONG_MAX, &cbytes) < 0 ||
		scan_unsigned(&s, 10, ULONG_MAX, &qnum) < 0 || scan_unsigned(&s, 10, INT_MAX, &lspid) < 0 ||
		scan_unsigned(&s, 10, INT_MAX, &lrpid) < 0 || scan_unsigned(&s, 10, UINT_MAX, &uid) < 0 ||
		scan_unsigned(&s, 10, UINT_MAX, &gid) < 0 || scan_unsigned(&s, 10, UINT_MAX, &cuid) < 0 ||
		scan_unsigned(&s, 10, UINT_MAX, &cgid) < 0 || scan_unsigned(&s, 10, INT64_MAX, &stime) < 0 ||
		scan_unsigned(&s, 10, INT64_MAX, &rtime) < 0 || scan_unsigned(&s, 10, INT64_MAX, &ctime) < 0 ||
		!at_end(&s))
		return -1;

	memset(info, 0, sizeof(*info));
	info->addr.kind = QUEUE_SYSV;
	info->addr.form = ADDR_SYSV_ID;
	info->addr.key = (key_t)key;
	info->addr.id = (int)id;
	info->mode = (mode_t)(perms & 0777);
	info->used_bytes = (unsigned long)cbytes;
	info->messages = (unsigned long)qnum;
	info->lspid = (pid_t)lspid;
	info->lrpid = (pid_t)lrpid;
	info->uid = (uid_t)uid;
	info->gid = (gid_t)gid;
	info->cuid = (uid_t)cuid;
	info->cgid = (gid_t)cgid;
	info->stime = (int64_t)stime;
	info->rtime = (int64_t)rtime;
	info->ctime = (int64_t)ctime;
	info->known = QI_OWNER | QI_COUNTS | QI_TIMES | QI_PIDS | QI_CTIME;
	return 0;
}

/* "NAME:" then a number. */
static int scan_field(struct scan *s, const char *name, long long min, long long max, long long *out)
{
	size_t n = strlen(name);

	skip_blanks(s);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, name, n) != 0)
		return -1;
	s->p += n;
	return scan_signed(s, min, max, out);
}

int ktext_mqueue_file(const char *buf, size_t len, struct mqueue_file *out)
{
	struct scan s = { buf, buf + len };
	long long qsize, notify, signo, pid;

	if (scan_field(&s, "QSIZE:", 0, LONG_MAX, &qsize) < 0 ||
		scan_field(&s, "NOTIFY:", INT_MIN, INT_MAX, &notify) < 0 ||
		scan_field(&s, "SIGNO:", INT_MIN, INT_MAX, &signo) < 0 ||
		scan_field(&s, "NOTIFY_PID:", 0, INT_MAX, &pid) < 0 || !at_end(&s))
		return -1;
	out->qsize = (unsigned long)qsize;
	out->notify = (int)notify;
	out->signo = (int)signo;
	out->notify_pid = (int)pid;
	return 0;
}

/* "0x" then hexadecimal digits, after optional blanks. */
static int scan_hex(struct scan *s, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *start;

	skip_blanks(s);
	if (s->end - s->p < 2 || s->p[0] != '0' || s->p[1] != 'x')
		return -1;
	s->p += 2;
	start = s->p;
	while (s->p < s->end) {
		char c = *s->p;
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			c >= 'a' && c <= 'f'      ? (unsigned)(c - 'a' + 10) :
						    16;
		if (d == 16)
			break;
		if (v >> 60)
			return -1;
		v = v << 4 | d;
		s->p++;
	}
	if (s->p == start)
		return -1;
	*out = v;
	return 0;
}

int ktext_proc_syscall(const char *buf, size_t len, long *nr, unsigned long long *arg1)
{
	struct scan s = { buf, buf + len };
	long long n;
	unsigned long long a;

	if (scan_signed(&s, 0, 1 << 20, &n) < 0 || scan_hex(&s, &a) < 0)
		return -1;
	if (s.p < s.end && *s.p != ' ' && *s.p != '\n')
		return -1;
	*nr = (long)n;
	*arg1 = a;
	return 0;
}
