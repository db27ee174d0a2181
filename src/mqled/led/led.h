/* SPDX-License-Identifier: GPL-2.0-or-later */
/* led.h - the LED that mqled drives, behind one interface whatever it is:
 * a GPIO line through libgpiod (led-gpiod.c), a kernel LED class device
 * (led-class.c) or the terminal (led-console.c); struct led is opaque, its
 * backends' side is backend.h. Functions return 0 or -errno; on failure
 * the reason, worded for the user, is in the led_error. */
#ifndef MQTOOLS_LED_H
#define MQTOOLS_LED_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/parse.h"

enum led_kind { LED_GPIO, LED_CLASS, LED_CONSOLE };
/* GPIO line settings (--bias, --drive), as gpioset has them. */
enum led_bias { LED_BIAS_AS_IS, LED_BIAS_PULL_UP, LED_BIAS_PULL_DOWN, LED_BIAS_DISABLE };
enum led_drive { LED_DRIVE_PUSH_PULL, LED_DRIVE_OPEN_DRAIN, LED_DRIVE_OPEN_SOURCE };
extern const char *const led_bias_names[];  /* "as-is", "pull-up", "pull-down", "disable" */
extern const char *const led_drive_names[]; /* "push-pull", "open-drain", "open-source" */

struct led_options {
	enum led_kind kind;
	const char *chip;     /* GPIO: name, number or path; NULL = any chip */
	const char *line;     /* GPIO: offset or line name */
	bool active_low;      /* GPIO */
	enum led_bias bias;   /* GPIO */
	enum led_drive drive; /* GPIO */
	const char *led_name; /* LED class: NAME under /sys/class/leds */
	/* LED class: where the lock file that holds the LED for one
	 * controller goes (its state file goes beside it, .lock made
	 * .trigger): the path for the LED's directory LED_PATH into PATH; 0 or
	 * -errno. The caller's, who knows its lock directory; required. */
	int (*lock_path)(const char *led_path, char *path, size_t len);
};
#define LED_DEFAULT_LINE "GPIO17"
/* For tests: the directory that stands for /sys/class/leds. */
#define LED_CLASS_ROOT_ENV "MQLED_SYS_CLASS_LEDS"
#define LED_CLASS_ROOT "/sys/class/leds"

struct led;

/* Why an LED operation failed, worded for the user. */
struct led_error {
	char msg[512];
};

/* A blink the LED may run by itself: on for ms[0], off for ms[1], on for
 * ms[2]... (N durations, N even), the whole REPEAT times, 0 = for ever. */
struct led_sequence {
	const unsigned *ms;
	size_t n;
	unsigned repeat;
};
/* The most durations a backend's sequence may have (the pattern trigger
 * holds 1024 steps, two per duration). */
#define LED_SEQUENCE_MAX 512

/* An LED as -L gives it, SPEC one of
 *   console | led:NAME | gpio:[CHIP:]LINE[,active-low][,bias=BIAS][,drive=DRIVE]
 * into OUT, whose strings point into SPEC (which it changes: keep it).
 * 0, or -EINVAL with the reason in E. */
int led_spec_parse(char *spec, struct led_options *out, struct parse_error *e);

/* Take the LED and turn it off. */
int led_open(const struct led_options *opt, struct led **out, struct led_error *e);
int led_set(struct led *led, bool on, struct led_error *e);
/* Blink SEQ in the kernel: 0, or -ENOTSUP when the LED cannot (then
 * nothing was changed), or another -errno with the reason in E. */
int led_blink(struct led *led, const struct led_sequence *seq, struct led_error *e);
/* Light it at a level (0 = off): VALUE, or VALUE percent of its max. */
int led_level(struct led *led, unsigned value, bool percent, struct led_error *e);
/* Whether it is lit now, blinking or not. */
bool led_lit(struct led *led);
/* Turn it off unless KEEP, and release it. */
void led_close(struct led *led, bool keep);

/* What led_set or led_level made it (meaningless while it blinks). */
bool led_is_on(const struct led *led);
/* Whether it runs a sequence by itself (led_blink). */
bool led_is_blinking(const struct led *led);
/* The level led_level set (0: on is full brightness), and its maximum. */
unsigned led_get_level(const struct led *led);
unsigned led_max_level(const struct led *led);
/* What it is, for the log: "gpio gpiochip0 line 17 (GPIO17)". */
const char *led_description(const struct led *led);

/* For a log written to the terminal on which a console LED keeps its line
 * redrawn: call with false before each log line (the LED's line is
 * cleared) and with true after it (drawn again, below). Nothing happens
 * when no console LED is on a terminal. */
void led_console_redraw(bool after);

#endif
