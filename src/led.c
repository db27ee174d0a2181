/* led.c - the backend-independent half of led.h. */
#include "config.h"
#include "led.h"

#include <errno.h>
#include <stdio.h>

const char *const led_bias_names[] = {
	[LED_BIAS_AS_IS] = "as-is", [LED_BIAS_PULL_UP] = "pull-up", [LED_BIAS_PULL_DOWN] = "pull-down",
	[LED_BIAS_DISABLE] = "disable", NULL,
};
const char *const led_drive_names[] = {
	[LED_DRIVE_PUSH_PULL] = "push-pull", [LED_DRIVE_OPEN_DRAIN] = "open-drain",
	[LED_DRIVE_OPEN_SOURCE] = "open-source", NULL,
};

int led_open(const struct led_options *opt, struct led **out, struct parse_error *e)
{
	switch (opt->kind) {
	case LED_GPIO:
#ifdef MQTOOLS_GPIOD_API
		return led_gpio_open(opt, out, e);
#else
		snprintf(e->msg, sizeof(e->msg), "this mqled was built without libgpiod: "
			"use --led NAME or --console, or rebuild with libgpiod-dev installed");
		return -ENOTSUP;
#endif
	case LED_CLASS:
		return led_class_open(opt, out, e);
	case LED_CONSOLE:
		return led_console_open(opt, out, e);
	}
	return -EINVAL;
}

int led_set(struct led *led, bool on, struct parse_error *e)
{
	int r = led->ops->set(led, on, e);
	if (r == 0) {
		led->on = on;
		led->blinking = false;
		led->level = 0;
	}
	return r;
}

int led_level(struct led *led, unsigned value, bool percent, struct parse_error *e)
{
	unsigned set = 0;
	int r = led->ops->level ? led->ops->level(led, value, percent, &set, e) : -ENOTSUP;

	if (r == -ENOTSUP && !led->ops->level)
		snprintf(e->msg, sizeof(e->msg), "brightness needs a kernel LED (--led NAME) with a max_brightness "
			"above 1; %.200s is on or off only", led->description);
	if (r == 0) {
		led->on = set > 0;
		led->blinking = false;
		led->level = set;
	}
	return r;
}

int led_blink(struct led *led, const struct led_sequence *seq, struct parse_error *e)
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
	struct parse_error ignored;
	/* a blink in the kernel goes on after exit only with KEEP */
	if (!keep && (led->on || led->blinking))
		led_set(led, false, &ignored);
	led->ops->close(led, keep);
}
