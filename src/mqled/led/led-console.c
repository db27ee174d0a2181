/* SPDX-License-Identifier: GPL-2.0-or-later */
/* led-console.c - the LED shown in the terminal, for machines without one.
 * On a terminal one line is redrawn in place, the lit LED in red;
 * otherwise (a pipe, a file, a terminal that says TERM=dumb) every change
 * is a line of its own, "LED on" or "LED off", written at once so that a
 * reader sees each change when it happens. NO_COLOR (no-color.org) keeps
 * the redrawn line but leaves out the colour. */
#include "config.h"
#include "mqled/led/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct led_console {
	struct led base;
	bool tty;    /* a terminal that can redraw a line */
	bool colour; /* ...and the user lets it show colour */
};

/* The one console LED whose line a log must step around
 * (led_console_redraw). */
static struct led_console *shown;

/* The redrawn line for ON. */
static void draw_line(const struct led_console *c, bool on)
{
	if (!on)
		fputs("\r\033[KLED ( ) off", stdout);
	else if (c->colour)
		fputs("\r\033[KLED \033[1;31m(*)\033[0m on ", stdout);
	else
		fputs("\r\033[KLED (*) on ", stdout);
}

static void draw(const struct led_console *c)
{
	draw_line(c, c->base.on);
	fflush(stdout);
}

/* Before a log line: clear the status line, so the log line starts on a
 * clean line; after it: draw the status line again, below. */
void led_console_redraw(bool after)
{
	if (!shown)
		return;
	if (after) {
		draw(shown);
	} else {
		fputs("\r\033[K", stdout);
		fflush(stdout);
	}
}

static int console_set(struct led *led, bool on, struct led_error *e)
{
	struct led_console *c = LED_BACKEND_OF(led, struct led_console);
	if (c->tty)
		draw_line(c, on);
	else
		printf("LED %s\n", on ? "on" : "off");
	if (fflush(stdout) != 0) {
		snprintf(e->msg, sizeof(e->msg), "writing the LED's state to standard output: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static void console_close(struct led *led, bool keep)
{
	struct led_console *c = LED_BACKEND_OF(led, struct led_console);
	(void)keep;
	if (shown == c)
		shown = NULL;
	if (c->tty) {
		putchar('\n');
		fflush(stdout);
	}
	free(c);
}

static const struct led_ops console_ops = { .set = console_set, .close = console_close };

int led_console_open(const struct led_options *opt, struct led **out, struct led_error *e)
{
	struct led_console *c = calloc(1, sizeof(*c));
	(void)opt;
	if (!c)
		return -ENOMEM;
	c->base.ops = &console_ops;
	const char *term = getenv("TERM"), *no_colour = getenv("NO_COLOR");
	c->tty = isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
	c->colour = c->tty && !(no_colour && *no_colour);
	snprintf(c->base.description, sizeof(c->base.description), "console (standard output)");
	int r = console_set(&c->base, false, e);
	if (r < 0) {
		free(c);
		return r;
	}
	if (c->tty && isatty(STDERR_FILENO))
		shown = c;
	*out = &c->base;
	return 0;
}
