/* SPDX-License-Identifier: GPL-2.0-or-later */
/* progress.c - a progress line on a terminal (progress.h). */
#include "config.h"
#include "cli/progress.h"
#include "lib/clock.h"
#include "lib/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REDRAW_NS 200000000LL /* five times a second, as pv */

/* The progress whose line is on the terminal now (one at a time). */
static struct progress *shown;

struct progress {
	unsigned long long total, done;
	bool bytes;
	int64_t start, next_draw;
	int fd;     /* progress_new_reading's, or -1 */
	off_t from; /* its offset at the start */
};

struct progress *progress_new(unsigned long long total, bool bytes, bool quiet)
{
	if (quiet || !isatty(STDERR_FILENO))
		return NULL;
	struct progress *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL; /* no progress is no failure */
	p->total = total;
	p->bytes = bytes;
	p->start = monotonic_coarse_ns();
	p->next_draw = p->start;
	p->fd = -1;
	return p;
}

struct progress *progress_new_reading(int fd, bool quiet)
{
	struct stat st;
	off_t at;

	if (quiet || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (at = lseek(fd, 0, SEEK_CUR)) < 0)
		return NULL;
	struct progress *p = progress_new(st.st_size > at ? (unsigned long long)(st.st_size - at) : 0, true, quiet);
	if (p) {
		p->fd = fd;
		p->from = at;
	}
	return p;
}

/* N units as the line shows them: a count, or a size. */
static const char *amount(const struct progress *p, unsigned long long n, char *buf, size_t len)
{
	if (p->bytes)
		return format_size_human(n, buf, len);
	snprintf(buf, len, "%llu", n);
	return buf;
}

static void draw(struct progress *p, int64_t now)
{
	char line[160], done[32], total[32], rate[32], eta[32];
	double secs = (double)(now - p->start) / 1e9;
	double per_s = secs > 0 ? (double)p->done / secs : 0;
	int n = snprintf(line, sizeof(line), "\r%s", amount(p, p->done, done, sizeof(done)));

	if (p->total)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "/%s %s %3llu%%",
			amount(p, p->total, total, sizeof(total)), p->bytes ? "bytes" : "messages",
			p->done >= p->total ? 100ULL : p->done * 100 / p->total);
	else
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s", p->bytes ? "bytes" : "messages");
	n += snprintf(line + n, sizeof(line) - (size_t)n, "  %s%s/s",
		amount(p, (unsigned long long)per_s, rate, sizeof(rate)), p->bytes ? "" : " msg");
	if (p->total && per_s > 0 && p->done < p->total)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "  ETA %s",
			format_duration((int64_t)((double)(p->total - p->done) / per_s + 0.5), eta, sizeof(eta)));
	/* the rest of an earlier, longer line goes */
	snprintf(line + n, sizeof(line) - (size_t)n, "\033[K");
	fputs(line, stderr);
	fflush(stderr);
	shown = p;
	p->next_draw = now + REDRAW_NS;
}

void progress_update(struct progress *p, unsigned long long done)
{
	if (!p)
		return;
	p->done = done;
	int64_t now = monotonic_coarse_ns();
	if (now >= p->next_draw)
		draw(p, now);
}

/* Where the reading is: the file's offset, which runs ahead of what was
 * sent by at most the reader's buffer. */
static unsigned long long read_so_far(const struct progress *p)
{
	off_t at = lseek(p->fd, 0, SEEK_CUR);
	return at > p->from ? (unsigned long long)(at - p->from) : 0;
}

void progress_update_reading(struct progress *p)
{
	if (p && monotonic_coarse_ns() >= p->next_draw)
		progress_update(p, read_so_far(p));
}

void progress_end(struct progress *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		p->done = read_so_far(p);
	draw(p, monotonic_coarse_ns());
	fputc('\n', stderr);
	shown = NULL;
	free(p);
}

void progress_clear(void)
{
	if (!shown)
		return;
	fputs("\r\033[K", stderr);
	shown->next_draw = 0; /* drawn again at the next update */
	shown = NULL;
}
