/* SPDX-License-Identifier: GPL-2.0-or-later */
/* led-gpiod.c - an LED on a GPIO line, through libgpiod. Both major APIs
 * are supported, chosen by configure (MQTOOLS_GPIOD_API is 1 or 2): the few calls
 * that differ are the gpio_* functions at the top, one version of each per
 * API; finding the chip and the line above them is common.
 *
 * The line is requested as an output, driven inactive (off) at once, and
 * released at exit. The kernel lets one consumer hold a line, so a second
 * controller on the same LED is refused by the request itself. */
#include "config.h"
#include "mqled/led/backend.h"

#if MQTOOLS_GPIOD_API == 2
#define LIBGPIOD_2 1
#endif

#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSUMER "mqled"

struct led_gpio {
	struct led base;
	struct gpiod_chip *chip;
	unsigned offset;
#ifdef LIBGPIOD_2
	struct gpiod_line_request *request;
#else
	struct gpiod_line *line;
#endif
};

/* --- what differs between libgpiod 1.x and 2.x -------------------------- */

#ifdef LIBGPIOD_2

static void gpio_chip_facts(struct gpiod_chip *chip, char *name, size_t len, unsigned *num_lines)
{
	struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
	snprintf(name, len, "%s", info ? gpiod_chip_info_get_name(info) : "?");
	*num_lines = info ? (unsigned)gpiod_chip_info_get_num_lines(info) : 0;
	gpiod_chip_info_free(info);
}

static int gpio_find_line(struct gpiod_chip *chip, const char *name)
{
	return gpiod_chip_get_line_offset_from_name(chip, name);
}

/* The line's name and, when it is in use, its consumer ("" if none). */
static void gpio_line_facts(struct gpiod_chip *chip, unsigned offset, char *name, size_t nlen, char *consumer,
	size_t clen)
{
	struct gpiod_line_info *info = gpiod_chip_get_line_info(chip, offset);
	const char *n = info ? gpiod_line_info_get_name(info) : NULL;
	const char *c = info && gpiod_line_info_is_used(info) ? gpiod_line_info_get_consumer(info) : NULL;
	snprintf(name, nlen, "%s", n ? n : "");
	snprintf(consumer, clen, "%s", c ? c : (info && gpiod_line_info_is_used(info) ? "the kernel" : ""));
	gpiod_line_info_free(info);
}

static int gpio_request(struct led_gpio *g, const struct led_options *opt)
{
	static const enum gpiod_line_bias bias[] = {
		[LED_BIAS_AS_IS] = GPIOD_LINE_BIAS_AS_IS,
		[LED_BIAS_PULL_UP] = GPIOD_LINE_BIAS_PULL_UP,
		[LED_BIAS_PULL_DOWN] = GPIOD_LINE_BIAS_PULL_DOWN,
		[LED_BIAS_DISABLE] = GPIOD_LINE_BIAS_DISABLED,
	};
	static const enum gpiod_line_drive drive[] = {
		[LED_DRIVE_PUSH_PULL] = GPIOD_LINE_DRIVE_PUSH_PULL,
		[LED_DRIVE_OPEN_DRAIN] = GPIOD_LINE_DRIVE_OPEN_DRAIN,
		[LED_DRIVE_OPEN_SOURCE] = GPIOD_LINE_DRIVE_OPEN_SOURCE,
	};
	struct gpiod_line_settings *settings = gpiod_line_settings_new();
	struct gpiod_line_config *config = gpiod_line_config_new();
	struct gpiod_request_config *rconfig = gpiod_request_config_new();
	int err = ENOMEM;

	if (settings && config && rconfig) {
		gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT);
		gpiod_line_settings_set_active_low(settings, opt->active_low);
		gpiod_line_settings_set_bias(settings, bias[opt->bias]);
		gpiod_line_settings_set_drive(settings, drive[opt->drive]);
		gpiod_line_settings_set_output_value(settings, GPIOD_LINE_VALUE_INACTIVE);
		gpiod_request_config_set_consumer(rconfig, CONSUMER);
		if (gpiod_line_config_add_line_settings(config, &g->offset, 1, settings) == 0) {
			g->request = gpiod_chip_request_lines(g->chip, rconfig, config);
			err = g->request ? 0 : errno;
		} else {
			err = errno;
		}
	}
	gpiod_request_config_free(rconfig);
	gpiod_line_config_free(config);
	gpiod_line_settings_free(settings);
	return -err;
}

static int gpio_set(struct led_gpio *g, bool on)
{
	return gpiod_line_request_set_value(g->request, g->offset,
		       on ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) == 0 ?
		0 :
		-errno;
}

static void gpio_release(struct led_gpio *g)
{
	gpiod_line_request_release(g->request);
}

#else /* libgpiod 1.x */

static void gpio_chip_facts(struct gpiod_chip *chip, char *name, size_t len, unsigned *num_lines)
{
	snprintf(name, len, "%s", gpiod_chip_name(chip));
	*num_lines = gpiod_chip_num_lines(chip);
}

static int gpio_find_line(struct gpiod_chip *chip, const char *name)
{
	struct gpiod_line *line = gpiod_chip_find_line(chip, name);
	return line ? (int)gpiod_line_offset(line) : -1;
}

static void gpio_line_facts(struct gpiod_chip *chip, unsigned offset, char *name, size_t nlen, char *consumer,
	size_t clen)
{
	struct gpiod_line *line = gpiod_chip_get_line(chip, offset);
	if (line)
		gpiod_line_update(line); /* 1.x caches line info: read it anew */
	const char *n = line ? gpiod_line_name(line) : NULL;
	bool used = line && gpiod_line_is_used(line);
	const char *c = used ? gpiod_line_consumer(line) : NULL;
	snprintf(name, nlen, "%s", n ? n : "");
	snprintf(consumer, clen, "%s", c ? c : used ? "the kernel" : "");
}

static int gpio_request(struct led_gpio *g, const struct led_options *opt)
{
	static const int bias[] = {
		[LED_BIAS_AS_IS] = 0,
		[LED_BIAS_PULL_UP] = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP,
		[LED_BIAS_PULL_DOWN] = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN,
		[LED_BIAS_DISABLE] = GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE,
	};
	static const int drive[] = {
		[LED_DRIVE_PUSH_PULL] = 0,
		[LED_DRIVE_OPEN_DRAIN] = GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN,
		[LED_DRIVE_OPEN_SOURCE] = GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE,
	};
	g->line = gpiod_chip_get_line(g->chip, g->offset);
	if (!g->line)
		return -errno;
	return gpiod_line_request_output_flags(g->line, CONSUMER,
		       (opt->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0) | bias[opt->bias] | drive[opt->drive],
		       0) == 0 ?
		0 :
		-errno;
}

static int gpio_set(struct led_gpio *g, bool on)
{
	return gpiod_line_set_value(g->line, on) == 0 ? 0 : -errno;
}

static void gpio_release(struct led_gpio *g)
{
	gpiod_line_release(g->line);
}

#endif

/* --- finding the chip and the line --------------------------------------- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int by_chip_number(const struct dirent **a, const struct dirent **b)
{
	return atoi((*a)->d_name + 8) - atoi((*b)->d_name + 8);
}

static int is_chip_entry(const struct dirent *d)
{
	return strncmp(d->d_name, "gpiochip", 8) == 0 && all_digits(d->d_name + 8);
}

/* /dev/gpiochip*, in number order; the count, or -errno. */
static int list_chips(struct dirent ***names)
{
	int n = scandir("/dev", names, is_chip_entry, by_chip_number);
	return n < 0 ? -errno : n;
}

static void free_chip_list(struct dirent **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int open_chip(const char *path, struct gpiod_chip **chip, struct led_error *e)
{
	*chip = gpiod_chip_open(path);
	if (*chip)
		return 0;
	int err = errno;
	if (err == ENOENT) {
		struct dirent **names;
		char list[256] = "";
		size_t o = 0;
		int n = list_chips(&names);
		for (int i = 0; i < n && o + 2 < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", names[i]->d_name);
		if (n >= 0)
			free_chip_list(names, n);
		return led_fail(e, err, "no GPIO chip %s%s%s", path,
			n > 0 ? "; there are: " : " (this machine has none)", list);
	}
	if (err == EACCES || err == EPERM)
		return led_fail(e, err, "%s: permission denied (run as root, or as a member of the gpio group)", path);
	return led_fail(e, err, "%s: %s%s", path, strerror(err),
		err == ENOTTY || err == ENODEV ? " (not a GPIO chip)" : "");
}

/* --chip as given: a path, a number (gpiochipN) or a name under /dev. */
static void chip_path(const char *spec, char *path, size_t len)
{
	if (spec[0] == '/')
		snprintf(path, len, "%s", spec);
	else if (all_digits(spec))
		snprintf(path, len, "/dev/gpiochip%s", spec);
	else
		snprintf(path, len, "/dev/%s", spec);
}

/* The chip that has a line named NAME: the first of /dev/gpiochip*. */
static int find_chip_with_line(const char *name, struct led_gpio *g, struct led_error *e)
{
	struct dirent **names;
	int n = list_chips(&names), r = -ENOENT;

	if (n < 0)
		return led_fail(e, -n, "cannot list GPIO chips in /dev: %s", strerror(-n));
	for (int i = 0; i < n && r == -ENOENT; i++) {
		char path[300];
		struct gpiod_chip *chip;
		snprintf(path, sizeof(path), "/dev/%s", names[i]->d_name);
		int o = open_chip(path, &chip, e);
		if (o == -EACCES || o == -EPERM) {
			r = o; /* the reason is in E: a chip we may not read may have it */
			break;
		}
		if (o < 0)
			continue;
		int offset = gpio_find_line(chip, name);
		if (offset >= 0) {
			g->chip = chip;
			g->offset = (unsigned)offset;
			r = 0;
		} else {
			gpiod_chip_close(chip);
		}
	}
	free_chip_list(names, n);
	if (r == -ENOENT)
		return led_fail(e, ENOENT, "no GPIO line named %s on %s%s", name,
			n ? "any chip" : "this machine, which has no GPIO chip",
			n ? " (see gpioinfo; give --chip and --line OFFSET)" : "");
	return r;
}

static int find_line(const struct led_options *opt, struct led_gpio *g, struct led_error *e)
{
	const char *line = opt->line ? opt->line : LED_DEFAULT_LINE;
	char path[300], name[64];
	unsigned num_lines;
	int r;

	if (!opt->chip) {
		if (all_digits(line))
			return led_fail(e, EINVAL,
				"--line %s is an offset, which needs --chip (or give the line's name)", line);
		return find_chip_with_line(line, g, e);
	}
	chip_path(opt->chip, path, sizeof(path));
	if ((r = open_chip(path, &g->chip, e)) < 0)
		return r;
	gpio_chip_facts(g->chip, name, sizeof(name), &num_lines);
	if (all_digits(line)) {
		long offset = strtol(line, NULL, 10);
		if (offset >= (long)num_lines)
			return led_fail(e, EINVAL, "%s has lines 0..%u, not %s", name, num_lines - 1, line);
		g->offset = (unsigned)offset;
		return 0;
	}
	if ((r = gpio_find_line(g->chip, line)) < 0)
		return led_fail(e, ENOENT, "%s has no line named %s (see gpioinfo %s)", name, line, name);
	g->offset = (unsigned)r;
	return 0;
}

/* --- the backend ---------------------------------------------------------- */

static int led_gpio_set(struct led *led, bool on, struct led_error *e)
{
	struct led_gpio *g = LED_BACKEND_OF(led, struct led_gpio);
	int r = gpio_set(g, on);
	if (r < 0)
		return led_fail(e, -r, "setting %s: %s", led->description, strerror(-r));
	return 0;
}

static void led_gpio_close(struct led *led, bool keep)
{
	struct led_gpio *g = LED_BACKEND_OF(led, struct led_gpio);
	(void)keep; /* what a released line does is the driver's choice */
	gpio_release(g);
	gpiod_chip_close(g->chip);
	free(g);
}

static const struct led_ops led_gpio_ops = { .set = led_gpio_set, .close = led_gpio_close };

int led_gpio_open(const struct led_options *opt, struct led **out, struct led_error *e)
{
	struct led_gpio *g = calloc(1, sizeof(*g));
	char chip[64], line[64], consumer[64];
	unsigned num_lines;
	int r;

	if (!g)
		return -ENOMEM;
	g->base.ops = &led_gpio_ops;
	if ((r = find_line(opt, g, e)) < 0)
		goto fail;
	gpio_chip_facts(g->chip, chip, sizeof(chip), &num_lines);
	gpio_line_facts(g->chip, g->offset, line, sizeof(line), consumer, sizeof(consumer));
	snprintf(g->base.description, sizeof(g->base.description), "gpio %s line %u%s%s%s%s%s%s%s%s", chip, g->offset,
		line[0] ? " (" : "", line, line[0] ? ")" : "", opt->active_low ? " active-low" : "",
		opt->drive ? " " : "", opt->drive ? led_drive_names[opt->drive] : "", opt->bias ? " bias " : "",
		opt->bias ? led_bias_names[opt->bias] : "");
	if ((r = gpio_request(g, opt)) < 0) {
		if (r == -EBUSY) {
			/* ask again: the consumer is known once the request failed */
			gpio_line_facts(g->chip, g->offset, line, sizeof(line), consumer, sizeof(consumer));
			(void)led_fail(e, EBUSY, "line %u of %s is in use by %s%s%s%s", g->offset, chip,
				consumer[0] ? "'" : "another program", consumer, consumer[0] ? "'" : "",
				strcmp(consumer, CONSUMER) == 0 ?
					": another mqled controller drives this LED; stop it first" :
					"");
		} else {
			(void)led_fail(e, -r, "requesting line %u of %s as an output: %s%s", g->offset, chip,
				strerror(-r),
				r == -EINVAL && (opt->bias || opt->drive) ?
					" (the kernel or the chip refused --bias or --drive; the GPIO uAPI has them since Linux 5.5)" :
					"");
		}
		goto fail;
	}
	*out = &g->base;
	return 0;
fail:
	if (g->chip)
		gpiod_chip_close(g->chip);
	free(g);
	return r;
}
