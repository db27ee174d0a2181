/* led.c - the backend-independent half of led.h. */
#include "config.h"
#include "led/led.h"

#include <errno.h>
#include <stdio.h>

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
	if (r == 0)
		led->on = on;
	return r;
}

void led_close(struct led *led, bool keep)
{
	struct parse_error ignored;
	if (!keep && led->on)
		led_set(led, false, &ignored);
	led->ops->close(led, keep);
}
