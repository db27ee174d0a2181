/* SPDX-License-Identifier: GPL-2.0-or-later */
/* led.c - the backend-independent half of led.h. */
#include "config.h"
#include "mqled/led/backend.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const led_bias_names[] = {
	[LED_BIAS_AS_IS] = "as-is",
	[LED_BIAS_PULL_UP] = "pull-up",
	[LED_BIAS_PULL_DOWN] = "pull-down",
	[LED_BIAS_DISABLE] = "disable",
	NULL,
};
const char *const led_drive_names[] = {
	[LED_DRIVE_PUSH_PULL] = "push-pull",
	[LED_DRIVE_OPEN_DRAIN] = "open-drain",
	[LED_DRIVE_OPEN_SOURCE] = "open-source",
	NULL,
};

static int word_index(const char *word, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (!strcmp(word, words[i]))
			return i;
	return -1;
}

/* gpio:'s ",active-low,bias=B,drive=D" */
static int gpio_flags(char *flags, struct led_options *out, struct parse_error *e)
{
	char *save = NULL;
	for (char *f = strtok_r(flags, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		int i;
		if (!strcmp(f, "active-low"))
			out->active_low = true;
		else if (!strncmp(f, "bias=", 5) && (i = word_index(f + 5, led_bias_names)) >= 0)
			out->bias = (enum led_bias)i;
		else if (!strncmp(f, "drive=", 6) && (i = word_index(f + 6, led_drive_names)) >= 0)
			out->drive = (enum led_drive)i;
		else
			return snprintf(e->msg, sizeof(e->msg),
				       "'%.40s' is not a GPIO setting (active-low, "
				       "bias=pull-up|pull-down|disable|as-is, drive=push-pull|open-drain|open-source)",
				       f),
			       -EINVAL;
	}
	return 0;
}

int led_spec_parse(char *spec, struct led_options *out, struct parse_error *e)
{
	*out = (struct led_options){ .kind = LED_GPIO };
	if (!strcmp(spec, "console")) {
		out->kind = LED_CONSOLE;
		return 0;
	}
	if (!strncmp(spec, "led:", 4) && spec[4]) {
		out->kind = LED_CLASS;
		out->led_name = spec + 4; /* LED names may have ':' and ',' */
		return 0;
	}
	if (!strncmp(spec, "gpio:", 5) && spec[5] && spec[5] != ',') {
		char *line = spec + 5, *flags = strchr(line, ','), *colon;
		if (flags)
			*flags++ = '\0';
		if ((colon = strrchr(line, ':'))) {
			*colon = '\0';
			out->chip = line;
			line = colon + 1;
		}
		out->line = line;
		if (!*line || (out->chip && !*out->chip))
			return snprintf(e->msg, sizeof(e->msg), "gpio: needs [CHIP:]LINE"), -EINVAL;
		return flags ? gpio_flags(flags, out, e) : 0;
	}
	snprintf(e->msg, sizeof(e->msg),
		"'%.60s' is not an LED (console, led:NAME or gpio:[CHIP:]LINE[,active-low]"
		"[,bias=BIAS][,drive=DRIVE])",
		spec);
	return -EINVAL;
}

int led_fail(struct led_error *e, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* E is written, not read: callers rightly pass it uninitialised */
	// cppcheck-suppress ctuuninitvar
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -err;
}

int led_open(const struct led_options *opt, struct led **out, struct led_error *e)
{
	switch (opt->kind) {
	case LED_GPIO:
#ifdef MQTOOLS_GPIOD_API
		return led_gpio_open(opt, out, e);
#else
		snprintf(e->msg, sizeof(e->msg),
			"this mqled was built without libgpiod: "
			"use --led NAME or --console, or rebuild with libgpiod-dev installed");
		return -ENOTSUP;
#endif
	case LED_CLASS: return led_class_open(opt, out, e);
	case LED_CONSOLE: return led_console_open(opt, out, e);
	}
	return -EINVAL;
}

int led_set(struct led *led, bool on, struct led_error *e)
{
	int r = led->ops->set(led, on, e);
	if (r == 0) {
		led->on = on;
		led->blinking = false;
		led->level = 0;
	}
	return r;
}

int led_level(struct led *led, unsigned value, bool percent, struct led_error *e)
{
	unsigned set = 0;
	int r = led->ops->level ? led->ops->level(led, value, percent, &set, e) : -ENOTSUP;

	if (r == -ENOTSUP && !led->ops->level)
		snprintf(e->msg, sizeof(e->msg),
			"brightness needs a kernel LED (--led NAME) with a max_brightness "
			"above 1; %.200s is on or off only",
			led->description);
	if (r == 0) {
		led->on = set > 0;
		led->blinking = false;
		led->level = set;
	}
	return r;
}

int led_blink(struct led *led, const struct led_sequence *seq, struct led_error *e)
{
	if (!led->ops->blink || seq->n == 0 || seq->n % 2 || seq->n > LED_SEQUENCE_MAX)
		return -ENOTSUP;
	int r = led->ops->blink(led, seq, e);
	if (r == 0)
		led->blinking = true;
	return r;
}

bool led_lit(struct led *led)
{
	return led->blinking && led->ops->lit ? led->ops->lit(led) : led->on;
}

void led_close(struct led *led, bool keep)
{
	struct led_error ignored;
	/* a blink in the kernel goes on after exit only with KEEP */
	if (!keep && (led->on || led->blinking))
		led_set(led, false, &ignored);
	led->ops->close(led, keep);
}

bool led_is_on(const struct led *led)
{
	return led->on;
}

bool led_is_blinking(const struct led *led)
{
	return led->blinking;
}

unsigned led_get_level(const struct led *led)
{
	return led->level;
}

unsigned led_max_level(const struct led *led)
{
	return led->max_level;
}

const char *led_description(const struct led *led)
{
	return led->description;
}
