/* SPDX-License-Identifier: GPL-2.0-or-later */
/* led-console.c - the LED shown in the terminal, for machines without one.
 * On a terminal one line is redrawn in place; otherwise (a pipe, a file)
 * every change is a line of its own, "LED on" or "LED off", written at
 * once so that a reader sees each change when it happens. */
#include "config.h"
#include "mqled/led/backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct led_console {
	struct led base;
	bool tty;
};

/* The one console LED whose line a log must step around
 * (led_console_redraw). */
static struct led_console *shown;

static void draw(const struct led_console *c)
{
	printf("\r\033[K%s", c->base.on ? "LED \033[1;31m(*)\033[0m on " : "LED ( ) off");
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
		printf("\r\033[K%s", on ? "LED \033[1;31m(*)\033[0m on " : "LED ( ) off");
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
	c->tty = isatty(STDOUT_FILENO);
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
