/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend.h - what each LED backend implements behind led.h (led-gpiod.c,
 * led-class.c, led-console.c): private to src/mqled/led/, as
 * queue/backend.h is to the queue layer. */
#ifndef MQTOOLS_LED_BACKEND_H
#define MQTOOLS_LED_BACKEND_H

#include <stddef.h>
#include "mqled/led/led.h"

struct led_ops {
	int (*set)(struct led *led, bool on, struct led_error *e);
	/* Optional: run SEQ in the kernel (the LED starts with ms[0] on and is
	 * off at the end of a counted one). -ENOTSUP when this LED cannot: the
	 * controller then blinks it itself. Any set() ends it. */
	int (*blink)(struct led *led, const struct led_sequence *seq, struct led_error *e);
	/* Optional, while blinking by itself: whether it is lit now. */
	bool (*lit)(struct led *led);
	/* Optional: light it at VALUE of its max_brightness, or at VALUE
	 * percent; the level set in *SET. -ENOTSUP: on or off only. */
	int (*level)(struct led *led, unsigned value, bool percent, unsigned *set, struct led_error *e);
	/* Release the LED; KEEP: leave it as it is, else it is off already. */
	void (*close)(struct led *led, bool keep);
};

/* What every backend shares. A backend's own handle embeds it as its first
 * member, named base, and keeps its state beside it: see LED_BACKEND_OF. */
struct led {
	const struct led_ops *ops;
	bool on;                   /* what set() made it (meaningless while blinking) */
	bool blinking;             /* blink() runs a sequence in the kernel */
	unsigned level, max_level; /* a level set by led_level (0: on is full); its max */
	char description[256];     /* "gpio gpiochip0 line 17 (GPIO17)" */
};

/* The backend's handle of TYPE around LED. */
#define LED_BACKEND_OF(led, type) ((type *)(void *)((char *)(led)-offsetof(type, base)))

/* Word E's message (printf FMT) and return -ERR. */
int led_fail(struct led_error *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The backends' constructors, called by led_open. */
int led_gpio_open(const struct led_options *opt, struct led **out, struct led_error *e);
int led_class_open(const struct led_options *opt, struct led **out, struct led_error *e);
int led_console_open(const struct led_options *opt, struct led **out, struct led_error *e);

#endif
